/**
 * The request layer with a mocked wx: base URL and query, token injection, refresh on 401
 * (single flight, rotating refresh tokens) and one retry, problem+json toasts and field errors,
 * uploads with progress, downloads with Accept, Idempotency-Key and If-Match.
 */
const { createServices } = require('../../services/index');
const { createWxMock } = require('../helpers/wx-mock');
const { installFakeServer, reply, problem, flush } = require('../helpers/server');
const config = require('../../config');
const shapes = require('../helpers/shapes');

const USER = shapes.user();
const TOKENS2 = shapes.tokens({ access_token: 'a2', refresh_token: 'r2' });

function setup(handlers, options) {
  const wx = createWxMock();
  const server = installFakeServer(wx, handlers);
  const onAuthRequired = jest.fn();
  const services = createServices(Object.assign({ wx, onAuthRequired }, options));
  return { wx, server, services, onAuthRequired };
}

function signIn(services, access, refresh) {
  services.tokens.save({ access_token: access || 'a1', refresh_token: refresh || 'r1', expires_in: 900, user: { id: 'u1' } });
}

describe('requests', () => {
  test('builds the URL from the configured base and drops empty query values', async () => {
    const { wx, services } = setup({ 'GET /catalog/items': { items: [], next_cursor: null } });
    await services.api.catalog.items({ q: '船员', audience: 'personal', business: '', cursor: undefined, online: true });
    const url = wx.request.mock.calls[0][0].url;
    expect(url).toBe(`${config.apiBaseUrl}/catalog/items?q=${encodeURIComponent('船员')}&audience=personal&online=true`);
  });

  test('public endpoints send no token, private ones send the bearer token', async () => {
    const { server, services } = setup({ 'GET /catalog/facets': {
      audience: [], business: [], nature: [], online: { code: 'true', label: '可在线办理', count: 0 }, total: 0,
    },
    'GET /me': USER });
    signIn(services);
    await services.api.catalog.facets({});
    await services.api.me.get();
    expect(server.calls[0].header.Authorization).toBeUndefined();
    expect(server.calls[1].header.Authorization).toBe('Bearer a1');
  });

  test('JSON bodies are sent with their content type', async () => {
    const { server, services } = setup({ 'POST /public/progress': {
      application_no: 'HS20260515000001', item: shapes.coded('WF-002', '不合规燃油信息报告'), agency: '上海海事局',
      status: shapes.status('submitted'), submitted_at: shapes.T, timeline: [],
    } });
    await services.api.publicQuery.progress({ application_no: 'A1', phone: '13800138000' });
    expect(server.calls[0].data).toEqual({ application_no: 'A1', phone: '13800138000' });
    expect(server.calls[0].header['Content-Type']).toBe('application/json');
  });

  test('a 204 resolves null', async () => {
    const { services } = setup({ 'DELETE /me/materials/m1': () => undefined });
    signIn(services);
    await expect(services.api.materials.remove('m1')).resolves.toBeNull();
  });
});

describe('errors', () => {
  test('a problem+json error rejects with its fields and shows the zh-CN title', async () => {
    const { wx, services } = setup({
      'GET /catalog/items/XX': problem(404, 'catalog.item_not_found', '未找到该事项'),
    });
    const err = await services.api.catalog.item('XX').catch((e) => e);
    expect(err.name).toBe('ApiError');
    expect(err.status).toBe(404);
    expect(err.code).toBe('catalog.item_not_found');
    expect(err.title).toBe('未找到该事项');
    expect(wx.showToast).toHaveBeenCalledWith(expect.objectContaining({ title: '未找到该事项', icon: 'none' }));
  });

  test('validation errors are handed to the form', async () => {
    const errors = [{ loc: ['body', 'form', 'ship', 'imo_number'], msg: '格式不正确', type: 'pattern' }];
    const { services } = setup({ 'POST /applications': problem(422, 'validation_failed', '提交的内容有误，请检查后重试', errors) });
    signIn(services);
    const err = await services.api.applications.create({}).catch((e) => e);
    expect(err.isValidation).toBe(true);
    expect(err.errors).toEqual(errors);
  });

  test('silent requests do not toast', async () => {
    const { wx, services } = setup({ 'POST /public/progress': problem(404, 'not_found', '未找到') });
    await services.api.publicQuery.progress({}, { silent: true }).catch(() => null);
    expect(wx.showToast).not.toHaveBeenCalled();
  });

  test('a network failure becomes a network_error with a zh-CN toast', async () => {
    const { wx, services } = setup({});
    wx.request.mockImplementation((p) => p.fail({ errMsg: 'request:fail timeout' }));
    const err = await services.api.catalog.facets().catch((e) => e);
    expect(err.code).toBe('network_error');
    expect(wx.showToast).toHaveBeenCalledWith(expect.objectContaining({ title: '网络异常，请检查网络后重试' }));
  });

  test('a non-JSON error body still gives a generic zh-CN title', async () => {
    const { services } = setup({ 'GET /catalog/facets': reply(502, '<html>Bad gateway</html>') });
    const err = await services.api.catalog.facets().catch((e) => e);
    expect(err.status).toBe(502);
    expect(err.title).toBe('服务暂时不可用，请稍后重试');
  });
});

describe('token refresh', () => {
  test('a 401 refreshes the pair once and retries the request with the new token', async () => {
    const { server, services } = setup({
      'GET /me': (req) => (req.header.Authorization === 'Bearer a2'
        ? USER : problem(401, 'auth.token_invalid', '登录已失效，请重新登录')),
      'POST /auth/token/refresh': (req) => (req.data.refresh_token === 'r1'
        ? TOKENS2
        : problem(401, 'auth.refresh_token_reused', '登录凭证已被使用')),
    });
    signIn(services);
    await expect(services.api.me.get()).resolves.toEqual(USER);
    expect(server.called('POST /auth/token/refresh')).toHaveLength(1);
    expect(server.called('GET /me')).toHaveLength(2);
    expect(services.tokens.getAccess()).toBe('a2');
    expect(services.tokens.getRefresh()).toBe('r2');
  });

  test('concurrent 401s share one refresh (refresh tokens are single-use)', async () => {
    const { server, services } = setup({
      'GET /me/materials': (req) => (req.header.Authorization === 'Bearer a2' ? { items: [] } : problem(401, 'auth.token_invalid', '登录已失效')),
      'GET /me/certificates': (req) => (req.header.Authorization === 'Bearer a2' ? { items: [] } : problem(401, 'auth.token_invalid', '登录已失效')),
      'POST /auth/token/refresh': (req) => (req.data.refresh_token === 'r1'
        ? TOKENS2
        : problem(401, 'auth.refresh_token_reused', '登录凭证已被使用')),
    });
    signIn(services);
    await Promise.all([services.api.materials.list(), services.api.certificates.list()]);
    expect(server.called('POST /auth/token/refresh')).toHaveLength(1);
    expect(services.tokens.getUser()).toEqual(USER);
  });

  test('retries only once', async () => {
    const { server, services, onAuthRequired } = setup({
      'GET /me': problem(401, 'auth.token_invalid', '登录已失效，请重新登录'),
      'POST /auth/token/refresh': TOKENS2,
    });
    signIn(services);
    const err = await services.api.me.get().catch((e) => e);
    expect(err.status).toBe(401);
    expect(server.called('GET /me')).toHaveLength(2);
    expect(services.tokens.isLoggedIn()).toBe(false);
    expect(onAuthRequired).toHaveBeenCalledTimes(1);
  });

  test('a failed refresh ends the session and asks for login', async () => {
    const { wx, services, onAuthRequired } = setup({
      'GET /me/applications': problem(401, 'auth.token_invalid', '登录已失效，请重新登录'),
      'POST /auth/token/refresh': problem(401, 'auth.refresh_token_reused', '登录凭证已被使用，请重新登录'),
    });
    signIn(services);
    const err = await services.api.applications.mine().catch((e) => e);
    expect(err.code).toBe('auth.token_invalid');
    expect(services.tokens.isLoggedIn()).toBe(false);
    expect(wx.storage['msa.auth']).toBeUndefined();
    expect(onAuthRequired).toHaveBeenCalled();
  });

  test('a 401 that is not about the session (face check failed) keeps the session', async () => {
    const { server, services, onAuthRequired } = setup({
      'PUT /me/password': problem(401, 'auth.face_mismatch', '人脸识别未通过'),
    });
    signIn(services);
    const err = await services.api.me.changePassword({ face_session_id: 'f', verify_result: 'x', new_password: '12345678' }).catch((e) => e);
    expect(err.title).toBe('人脸识别未通过');
    expect(server.called('POST /auth/token/refresh')).toHaveLength(0);
    expect(services.tokens.isLoggedIn()).toBe(true);
    expect(onAuthRequired).not.toHaveBeenCalled();
  });

  test('authRedirect: false clears the session without opening login', async () => {
    const { services, onAuthRequired } = setup({
      'GET /me': problem(401, 'auth.token_invalid', '登录已失效'),
      'POST /auth/token/refresh': problem(401, 'auth.token_invalid', '登录已失效'),
    });
    signIn(services);
    await services.api.me.get({ silent: true, authRedirect: false }).catch(() => null);
    expect(services.tokens.isLoggedIn()).toBe(false);
    expect(onAuthRequired).not.toHaveBeenCalled();
  });

  test('tokens persist in storage across instances', () => {
    const { wx, services } = setup({});
    signIn(services, 'a9', 'r9');
    const again = createServices({ wx });
    expect(again.tokens.getAccess()).toBe('a9');
    expect(again.tokens.getRefresh()).toBe('r9');
  });
});

describe('headers for state changes', () => {
  test('create/submit send an Idempotency-Key that is reused on the retry', async () => {
    let first = true;
    const { server, services } = setup({
      'POST /applications/a1/submit': () => {
        if (first) {
          first = false;
          return problem(401, 'auth.token_invalid', '登录已失效');
        }
        return shapes.application({ status: 'submitted', version: 4 });
      },
      'POST /auth/token/refresh': TOKENS2,
    });
    signIn(services);
    await services.api.applications.submit('a1', 3);
    const [a, b] = server.called('POST /applications/a1/submit');
    expect(a.header['Idempotency-Key']).toBeTruthy();
    expect(b.header['Idempotency-Key']).toBe(a.header['Idempotency-Key']);
    expect(b.header['If-Match']).toBe('3');
    expect(b.header.Authorization).toBe('Bearer a2');
  });

  test('two submissions get different keys', async () => {
    const { server, services } = setup({ 'POST /applications': shapes.application({ id: 'x' }) });
    signIn(services);
    await services.api.applications.create({});
    await services.api.applications.create({});
    const [a, b] = server.called('POST /applications');
    expect(a.header['Idempotency-Key']).not.toBe(b.header['Idempotency-Key']);
  });

  test('PUT sends If-Match with the version', async () => {
    const { server, services } = setup({ 'PUT /applications/a1': shapes.application({ version: 5 }) });
    signIn(services);
    await services.api.applications.update('a1', { form: {} }, 4);
    expect(server.calls[0].header['If-Match']).toBe('4');
  });
});

describe('uploads and downloads', () => {
  test('uploads multipart field "file" with the name and reports progress', async () => {
    const { wx, services } = setup({ 'POST /me/materials': shapes.material() });
    signIn(services);
    const progress = jest.fn();
    const material = await services.api.materials.upload({ filePath: 'wxfile://tmp/a.jpg', name: '营业执照', onProgress: progress });
    expect(material).toEqual(shapes.material());
    const params = wx.uploadFile.mock.calls[0][0];
    expect(params.name).toBe('file');
    expect(params.formData).toEqual({ name: '营业执照' });
    expect(params.header.Authorization).toBe('Bearer a1');
    expect(params.header['Idempotency-Key']).toBeTruthy();
    expect(progress).toHaveBeenCalledWith({ progress: 100, sent: 10, total: 10 });
  });

  test('an upload refreshes on 401 and retries', async () => {
    const { server, services } = setup({
      'POST /me/materials': (req) => (req.header.Authorization === 'Bearer a2' ? shapes.material() : problem(401, 'auth.token_invalid', '登录已失效')),
      'POST /auth/token/refresh': TOKENS2,
    });
    signIn(services);
    await expect(services.api.materials.upload({ filePath: 'wxfile://x.pdf' })).resolves.toEqual(shapes.material());
    expect(server.called('POST /me/materials')).toHaveLength(2);
  });

  test('notices download as PDF with the token', async () => {
    const { wx, services } = setup({ 'GET /applications/a1/notices/n1': {} });
    signIn(services);
    const path = await services.api.applications.downloadNotice('a1', 'n1');
    expect(path).toMatch(/^wxfile:\/\/tmp\//);
    const params = wx.downloadFile.mock.calls[0][0];
    expect(params.header.Accept).toBe('application/pdf');
    expect(params.header.Authorization).toBe('Bearer a1');
  });

  test('a failed download rejects with the problem read from the file', async () => {
    const { wx, services } = setup({});
    wx.downloadFile.mockImplementation((p) => p.success({ statusCode: 404, tempFilePath: 'wxfile://tmp/err' }));
    wx.getFileSystemManager.mockReturnValue({ readFileSync: () => JSON.stringify({ title: '通知书不存在', code: 'not_found', status: 404 }) });
    signIn(services);
    const err = await services.api.applications.downloadNotice('a1', 'n9').catch((e) => e);
    expect(err.title).toBe('通知书不存在');
  });
});

describe('wechat binding', () => {
  test('a bound WeChat identity signs in on launch', async () => {
    const { server, services } = setup({
      'POST /auth/wechat/session': Object.assign({ bound: true }, shapes.tokens({ user: USER })),
    });
    await expect(services.auth.bindWechat()).resolves.toEqual({ bound: true, user: USER });
    expect(server.calls[0].data).toEqual({ code: 'test-code' });
    expect(services.tokens.isLoggedIn()).toBe(true);
  });

  test('an unbound identity keeps the ticket for the next login, which then clears it', async () => {
    const { server, services } = setup({
      'POST /auth/wechat/session': { bound: false, binding_ticket: 'ticket-1' },
      'POST /auth/login/password': shapes.tokens(),
    });
    await services.auth.bindWechat();
    expect(services.tokens.getBindingTicket()).toBe('ticket-1');
    await services.auth.loginPassword('demo-corp', 'Demo@12345');
    expect(server.called('POST /auth/login/password')[0].data).toEqual({
      username: 'demo-corp', password: 'Demo@12345', binding_ticket: 'ticket-1',
    });
    expect(services.tokens.getBindingTicket()).toBeNull();
  });

  test('registration passes the ticket too', async () => {
    const { server, services } = setup({
      'POST /auth/wechat/session': { bound: false, binding_ticket: 't2' },
      'POST /auth/register/personal': shapes.tokens(),
    });
    await services.auth.bindWechat();
    await services.auth.registerPersonal({ name: '张三' });
    expect(server.called('POST /auth/register/personal')[0].data.binding_ticket).toBe('t2');
  });

  test('logout revokes and clears the local session even if the server fails', async () => {
    const { server, services } = setup({ 'POST /auth/logout': problem(500, 'internal_error', '服务器开小差了') });
    signIn(services);
    await services.auth.logout();
    expect(server.called('POST /auth/logout')).toHaveLength(1);
    expect(services.tokens.isLoggedIn()).toBe(false);
  });

  test('binding never throws when offline', async () => {
    const { wx, services } = setup({});
    wx.request.mockImplementation((p) => p.fail({ errMsg: 'request:fail' }));
    await expect(services.auth.bindWechat()).resolves.toEqual({ bound: false });
    await flush();
  });
});
