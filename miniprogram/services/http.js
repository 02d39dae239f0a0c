/**
 * The one HTTP layer of the mini program: wraps wx.request / wx.uploadFile / wx.downloadFile.
 *
 * - base URL from config (passed in), query strings built here
 * - `Authorization: Bearer <access_token>` injected from the token store
 * - on a 401 that means "session expired", POST /auth/token/refresh once (single flight: refresh
 *   tokens are single-use and rotate) and retry the request once with the new token
 * - a session that cannot be refreshed is cleared and `onAuthRequired` opens 登录 (unless the
 *   caller passes `authRedirect: false`)
 * - problem+json errors become ApiError; their zh-CN `title` is shown as a toast unless the
 *   caller asked for `silent`; field errors stay on the error for forms (err.errors)
 * - upload progress through wx.uploadFile's onProgressUpdate
 *
 * `wx` is never read at module load: `getWx()` is called per request, so tests and the Node
 * end-to-end harness can inject a shim.
 */
const { fromResponse, networkError } = require('./errors');

const REFRESH_PATH = '/auth/token/refresh';
// 401 codes that mean the access token is missing, expired or revoked (as opposed to a wrong
// password or a failed face check, which must not touch the session).
const SESSION_CODE = /^auth\.(token|not_authenticated|session)/;

let keySeq = 0;
/** A random-enough Idempotency-Key (no crypto in every base library). */
function newIdempotencyKey() {
  keySeq += 1;
  const rand = () => Math.random().toString(16).slice(2, 10);
  return `${Date.now().toString(16)}-${rand()}-${rand()}-${keySeq}`;
}

function encodeQuery(query) {
  if (!query) return '';
  const parts = [];
  Object.keys(query).forEach((key) => {
    const value = query[key];
    if (value === undefined || value === null || value === '') return;
    const values = Array.isArray(value) ? value : [value];
    values.forEach((v) => parts.push(`${encodeURIComponent(key)}=${encodeURIComponent(String(v))}`));
  });
  return parts.length ? `?${parts.join('&')}` : '';
}

function parseBody(data) {
  if (typeof data !== 'string') return data === undefined ? null : data;
  if (data === '') return null;
  try {
    return JSON.parse(data);
  } catch (e) {
    return data;
  }
}

function isOk(statusCode) {
  return statusCode >= 200 && statusCode < 300;
}

function problemCode(res) {
  const body = parseBody(res.data);
  return body && typeof body === 'object' ? body.code || '' : '';
}

function isSessionProblem(res) {
  if (res.statusCode !== 401) return false;
  const code = problemCode(res);
  return !code || SESSION_CODE.test(code);
}

function createHttp(options) {
  const opts = options || {};
  const getWx = opts.getWx;
  const tokens = opts.tokens;
  const timeout = opts.timeout || 15000;
  const baseUrl = () => String(typeof opts.baseUrl === 'function' ? opts.baseUrl() : opts.baseUrl).replace(/\/+$/, '');
  const notify = opts.notify || ((title) => {
    const wx = getWx();
    if (wx && wx.showToast) wx.showToast({ title, icon: 'none', duration: 2500 });
  });
  const onAuthRequired = opts.onAuthRequired || (() => {});

  let refreshing = null;

  function url(path, query) {
    return `${baseUrl()}${path}${encodeQuery(query)}`;
  }

  function headers(o, token) {
    const h = Object.assign({ Accept: 'application/json' }, o.headers || {});
    if (token) h.Authorization = `Bearer ${token}`;
    if (o.idempotencyKey) h['Idempotency-Key'] = o.idempotencyKey;
    if (o.version !== undefined && o.version !== null) h['If-Match'] = String(o.version);
    return h;
  }

  /** One wx.request, resolved with the raw response (any status), rejected only on network failure. */
  function sendRequest(o, token) {
    return new Promise((resolve, reject) => {
      const h = headers(o, token);
      const hasBody = o.data !== undefined && o.method !== 'GET';
      if (hasBody) h['Content-Type'] = 'application/json';
      getWx().request({
        url: url(o.path, o.query),
        method: o.method,
        data: hasBody ? o.data : undefined,
        header: h,
        timeout,
        dataType: 'json',
        success: resolve,
        fail: (err) => reject(networkError(err && err.errMsg)),
      });
    });
  }

  function sendUpload(o, token) {
    return new Promise((resolve, reject) => {
      const task = getWx().uploadFile({
        url: url(o.path, o.query),
        filePath: o.filePath,
        name: o.name || 'file',
        formData: o.formData || {},
        header: headers(o, token),
        timeout: o.timeout || timeout * 4,
        success: resolve,
        fail: (err) => reject(networkError(err && err.errMsg)),
      });
      if (o.onProgress && task && task.onProgressUpdate) {
        task.onProgressUpdate((p) => o.onProgress({
          progress: p.progress,
          sent: p.totalBytesSent,
          total: p.totalBytesExpectedToSend,
        }));
      }
    });
  }

  function sendDownload(o, token) {
    return new Promise((resolve, reject) => {
      getWx().downloadFile({
        url: url(o.path, o.query),
        header: headers(Object.assign({}, o, { headers: Object.assign({ Accept: o.accept || '*/*' }, o.headers) }), token),
        timeout: o.timeout || timeout * 4,
        success: (res) => {
          if (isOk(res.statusCode)) {
            resolve(res);
            return;
          }
          // The problem document was written to the temp file: read it back when possible.
          let data;
          try {
            data = getWx().getFileSystemManager().readFileSync(res.tempFilePath, 'utf8');
          } catch (e) {
            data = null;
          }
          resolve({ statusCode: res.statusCode, data, tempFilePath: res.tempFilePath });
        },
        fail: (err) => reject(networkError(err && err.errMsg)),
      });
    });
  }

  /** Refresh the token pair once for everyone who saw `staleToken` rejected. */
  function freshToken(staleToken) {
    const current = tokens.getAccess();
    if (current && current !== staleToken) return Promise.resolve(current);
    if (refreshing) return refreshing;
    const refreshToken = tokens.getRefresh();
    if (!refreshToken) return Promise.resolve(null);
    refreshing = sendRequest({ method: 'POST', path: REFRESH_PATH, data: { refresh_token: refreshToken } }, null)
      .then((res) => {
        const body = parseBody(res.data);
        if (isOk(res.statusCode) && body && body.access_token) {
          tokens.save(body);
          return body.access_token;
        }
        tokens.clear();
        return null;
      }, () => null)
      .then((token) => {
        refreshing = null;
        return token;
      });
    return refreshing;
  }

  async function perform(o, send) {
    const usedToken = o.auth === false ? null : tokens.getAccess();
    let res;
    try {
      res = await send(o, usedToken);
      if (usedToken && isSessionProblem(res)) {
        const token = await freshToken(usedToken);
        if (token) res = await send(o, token);
      }
    } catch (err) {
      if (!o.silent) notify(err.title);
      throw err;
    }
    if (isOk(res.statusCode)) return res;
    const error = fromResponse(res.statusCode, res.data);
    if (res.statusCode === 401 && o.auth !== false && isSessionProblem(res)) {
      if (usedToken) tokens.clear();
      if (o.authRedirect !== false) onAuthRequired(error);
    }
    if (!o.silent) notify(error.title);
    throw error;
  }

  function prepare(o, method) {
    const prepared = Object.assign({ method: method || 'GET', auth: true }, o);
    prepared.method = String(prepared.method).toUpperCase();
    // The same key is reused on the retry after a token refresh, so the server can replay.
    if (prepared.idempotent && !prepared.idempotencyKey) prepared.idempotencyKey = newIdempotencyKey();
    return prepared;
  }

  /** JSON request; resolves with the parsed body (null for 204). */
  async function request(o) {
    const res = await perform(prepare(o), sendRequest);
    return parseBody(res.data);
  }

  /** Multipart upload (field `file` by default); resolves with the parsed body. */
  async function upload(o) {
    const res = await perform(prepare(Object.assign({ idempotent: true }, o), 'POST'), sendUpload);
    return parseBody(res.data);
  }

  /** Authenticated download; resolves with the local temp file path. */
  async function download(o) {
    const res = await perform(prepare(o, 'GET'), sendDownload);
    return res.tempFilePath;
  }

  return {
    request,
    upload,
    download,
    get: (path, query, extra) => request(Object.assign({ method: 'GET', path, query }, extra)),
    post: (path, data, extra) => request(Object.assign({ method: 'POST', path, data }, extra)),
    put: (path, data, extra) => request(Object.assign({ method: 'PUT', path, data }, extra)),
    del: (path, extra) => request(Object.assign({ method: 'DELETE', path }, extra)),
    url,
  };
}

module.exports = { createHttp, encodeQuery, newIdempotencyKey, isSessionProblem };
