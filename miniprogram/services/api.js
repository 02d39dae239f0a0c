/**
 * Every endpoint of the API contract (docs: shared/api-contract.md), as thin functions over the
 * HTTP layer. Public endpoints are called without a token (`auth: false`).
 * POSTs that create or change state send an Idempotency-Key (`idempotent: true`); state changes
 * of versioned resources send `If-Match: <version>` when the caller passes the version.
 */
const PUBLIC = { auth: false };

function createApi(http) {
  const enc = encodeURIComponent;
  const pub = (path, query, extra) => http.get(path, query, Object.assign({}, PUBLIC, extra));

  return {
    agencies: {
      tree: (q) => pub('/agencies', { q }),
      get: (code) => pub(`/agencies/${enc(code)}`),
    },
    catalog: {
      facets: (params) => pub('/catalog/facets', params),
      items: (params) => pub('/catalog/items', params),
      /** 办事指南; with `agency`, filled in with that unit's 受理地点/办理时间, 咨询电话 and 收费. */
      item: (code, agency) => pub(`/catalog/items/${enc(code)}`, agency ? { agency } : undefined),
      /** The open units that handle the item (`handles_item`) and those above them, as a tree. */
      agencies: (code) => pub(`/catalog/items/${enc(code)}/agencies`),
    },
    onlineItems: {
      list: () => pub('/online-items'),
    },
    reference: {
      ports: (params, extra) => pub('/reference/ports', params, extra),
      countries: (params, extra) => pub('/reference/countries', params, extra),
      fuelSuppliers: (params, extra) => pub('/reference/fuel-suppliers', params, extra),
      regulationItems: (params, extra) => pub('/reference/regulation-items', params, extra),
    },
    publicQuery: {
      /** 办件查询: {application_no, phone}; an unknown pair is a 404 shown inline by the page. */
      progress: (body, extra) => http.post('/public/progress', body, Object.assign({}, PUBLIC, extra)),
      /** 证书查询: {certificate_no, holder_name}. */
      certificate: (body, extra) => http.post('/public/certificate-lookup', body, Object.assign({}, PUBLIC, extra)),
    },
    privacy: {
      /** 个人信息处理规则: [{purpose: {code, label}, version, title, text}]. */
      consentTexts: (extra) => pub('/privacy/consent-texts', undefined, extra),
    },
    help: {
      list: (params) => pub('/help/articles', params),
      get: (id) => pub(`/help/articles/${enc(id)}`),
    },
    auth: {
      wechatSession: (code) => http.post('/auth/wechat/session', { code }, { auth: false, silent: true }),
      faceSession: (body) => http.post('/auth/face/sessions', body, PUBLIC),
      registerPersonal: (body) => http.post('/auth/register/personal', body, PUBLIC),
      registerCorporate: (body) => http.post('/auth/register/corporate', body, PUBLIC),
      loginPersonal: (body) => http.post('/auth/login/personal', body, PUBLIC),
      loginPassword: (body) => http.post('/auth/login/password', body, PUBLIC),
      loginSecondFactor: (body) => http.post('/auth/login/second-factor', body, PUBLIC),
      startEnrolment: (ticket) => http.post('/auth/second-factor/enrolment', { ticket }, PUBLIC),
      confirmEnrolment: (body) => http.post('/auth/second-factor/enrolment/confirm', body, PUBLIC),
      changeExpiredPassword: (body) => http.post('/auth/password/expired', body, PUBLIC),
      logout: () => http.post('/auth/logout', undefined, { silent: true }),
      resetPassword: (body) => http.post('/auth/password/reset', body, PUBLIC),
    },
    me: {
      get: (extra) => http.get('/me', undefined, extra),
      changePassword: (body) => http.put('/me/password', body),
      changePhone: (body) => http.put('/me/phone', body),
      /** 解除微信绑定: this WeChat no longer signs in to the account. */
      unbindWechat: () => http.del('/me/wechat-binding'),
      ships: (params) => http.get('/me/ships', params),
      consents: (extra) => http.get('/me/consents', undefined, extra),
      /** {purpose, version}: the user tapped 同意 under that text. */
      giveConsent: (body) => http.post('/me/consents', body),
      withdrawConsent: (purpose) => http.del(`/me/consents/${enc(purpose)}`),
      /** 导出我的数据: the JSON archive downloaded to a temp file path. */
      exportData: () => http.download({ path: '/me/export', accept: 'application/json' }),
      /** 注销账号: {face_session_id, verify_result} of a face check with purpose account_deletion. */
      deleteAccount: (proof) => http.post('/me/deletion', proof),
    },
    /** 我的船舶 (corporate and ship accounts): the list is a plain array of ShipRead. */
    ships: {
      list: (params, extra) => http.get('/me/ships', params, extra),
      add: (body) => http.post('/me/ships', body),
      update: (id, body) => http.put(`/me/ships/${enc(id)}`, body),
      remove: (id) => http.del(`/me/ships/${enc(id)}`),
    },
    materials: {
      list: (params) => http.get('/me/materials', params),
      /** {filePath, name?, kind?, onProgress?} → the created material (kind identity_document needs consent). */
      upload: ({ filePath, name, kind, onProgress }) => http.upload({
        path: '/me/materials',
        query: kind ? { kind } : undefined,
        filePath,
        name: 'file',
        formData: name ? { name } : {},
        onProgress,
      }),
      remove: (id) => http.del(`/me/materials/${enc(id)}`),
      /**
       * Downloads the bytes (following a signed-URL redirect) to a temp file path;
       * variant "thumbnail" gives the image thumbnail.
       */
      download: (id, variant) => http.download({
        path: `/me/materials/${enc(id)}/content`,
        query: variant ? { variant } : undefined,
      }),
    },
    applications: {
      create: (body) => http.post('/applications', body, { idempotent: true }),
      mine: (params) => http.get('/me/applications', params),
      get: (id) => http.get(`/applications/${enc(id)}`),
      update: (id, body, version) => http.put(`/applications/${enc(id)}`, body, { version }),
      remove: (id, version) => http.del(`/applications/${enc(id)}`, { version }),
      submit: (id, version) => http.post(`/applications/${enc(id)}/submit`, undefined, { idempotent: true, version }),
      cancel: (id, version) => http.post(`/applications/${enc(id)}/cancel`, undefined, { idempotent: true, version }),
      withdraw: (id, version) => http.post(`/applications/${enc(id)}/withdraw`, undefined, { idempotent: true, version }),
      notices: (id) => http.get(`/applications/${enc(id)}/notices`),
      /**
       * 办事指南 as the dataset version the application was first submitted under held it (a draft:
       * the current one), filled in for its 受理机构. `opts.silent`: no toast on failure.
       */
      guide: (id, opts) => http.get(`/applications/${enc(id)}/guide`, undefined, opts),
      /** The notice as PDF in a temp file, for wx.openDocument. */
      downloadNotice: (id, noticeId) => http.download({
        path: `/applications/${enc(id)}/notices/${enc(noticeId)}`,
        accept: 'application/pdf',
      }),
      evaluate: (id, body) => http.post(`/applications/${enc(id)}/evaluation`, body, { idempotent: true }),
    },
    evaluations: {
      mine: (params) => http.get('/me/evaluations', params),
    },
    certificates: {
      list: (params, extra) => http.get('/me/certificates', params, extra),
      get: (id) => http.get(`/me/certificates/${enc(id)}`),
      displayToken: (id, extra) => http.post(`/me/certificates/${enc(id)}/display-token`, undefined, extra),
      correct: (id, body) => http.post(`/me/certificates/${enc(id)}/corrections`, body, { idempotent: true }),
      corrections: (params) => http.get('/me/corrections', params),
      /** A result document's PDF (决定书, 备案证明: type RESULT_DOCUMENT) in a temp file. */
      document: (id) => http.download({ path: `/me/certificates/${enc(id)}/document`, accept: 'application/pdf' }),
    },
    notifications: {
      /** 订阅消息: {template_id (null: none configured), remaining sends}. */
      subscription: () => http.get('/me/notifications/subscription', undefined, { silent: true }),
      /** {template_id, accepted}: the user granted that many one-time sends. */
      accept: (body) => http.post('/me/notifications/subscription', body, { silent: true }),
    },
    officer: {
      scan: (token) => http.post('/officer/scans', { token }),
    },
    messages: {
      list: (params) => http.get('/me/messages', params),
      unreadCount: () => http.get('/me/messages/unread-count', undefined, { silent: true, authRedirect: false }),
      read: (id) => http.post(`/me/messages/${enc(id)}/read`, undefined, { silent: true }),
      readAll: () => http.post('/me/messages/read-all'),
    },
  };
}

module.exports = { createApi };
