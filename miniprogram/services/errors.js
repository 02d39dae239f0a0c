/**
 * ApiError: one error type for everything the request layer rejects with.
 * It carries the RFC 9457 problem fields of the API (title is zh-CN and shown to users).
 */
const PROBLEM_FIELDS = ['type', 'title', 'status', 'detail', 'code', 'request_id', 'errors'];
const NETWORK_TITLE = '网络异常，请检查网络后重试';
const GENERIC_TITLE = '服务暂时不可用，请稍后重试';

class ApiError extends Error {
  constructor(problem) {
    const p = problem || {};
    // The message is for logs and test failures; users see `title`.
    super(`${p.title || GENERIC_TITLE} (${p.status || 0} ${p.code || 'unknown'}${p.detail ? `: ${p.detail}` : ''})`);
    this.name = 'ApiError';
    this.status = p.status || 0;
    this.code = p.code || 'unknown';
    this.title = p.title || GENERIC_TITLE;
    this.detail = p.detail || '';
    this.errors = Array.isArray(p.errors) ? p.errors : [];
    this.requestId = p.request_id || null;
    this.type = p.type || 'about:blank';
    // Members a problem adds for its own code, e.g. the `ticket` of auth.password_expired.
    this.extensions = {};
    Object.keys(p).filter((k) => PROBLEM_FIELDS.indexOf(k) < 0).forEach((k) => {
      this.extensions[k] = p[k];
    });
  }

  /** True for 422 responses that carry per-field errors for a form. */
  get isValidation() {
    return this.status === 422 && this.errors.length > 0;
  }
}

/** Builds an ApiError from a wx response (statusCode + data, data maybe a JSON string). */
function fromResponse(statusCode, data) {
  let body = data;
  if (typeof body === 'string') {
    try {
      body = JSON.parse(body);
    } catch (e) {
      body = null;
    }
  }
  if (body && typeof body === 'object' && (body.title || body.code)) {
    return new ApiError(Object.assign({ status: statusCode }, body));
  }
  return new ApiError({ status: statusCode, code: `http_${statusCode}`, title: GENERIC_TITLE });
}

function networkError(errMsg) {
  return new ApiError({ status: 0, code: 'network_error', title: NETWORK_TITLE, detail: errMsg || '' });
}

module.exports = { ApiError, fromResponse, networkError, NETWORK_TITLE, GENERIC_TITLE };
