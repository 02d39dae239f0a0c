// One way to call the API: bearer token, one refresh on 401, problem+json errors as ApiError
// carrying the server's zh-CN message and stable code.
import { useSession } from '../store/session';

export const API_ROOT = '/api/v1';

export class ApiError extends Error {
  constructor(status, problem) {
    const fields = (problem.errors || []).map((e) => e.msg).filter(Boolean);
    super(fields.length ? fields.join('；') : problem.detail || problem.title || `请求失败（${status}）`);
    this.status = status;
    this.code = problem.code || '';
    this.problem = problem;
  }
}

async function problemOf(response) {
  try {
    return await response.json();
  } catch {
    return { title: response.status >= 500 ? '服务暂时不可用，请稍后重试' : `请求失败（${response.status}）` };
  }
}

async function send(path, { method = 'GET', body, headers = {}, auth = true } = {}) {
  const session = useSession();
  const sent = { ...headers };
  if (body !== undefined) sent['Content-Type'] = 'application/json';
  if (auth && session.accessToken) sent.Authorization = `Bearer ${session.accessToken}`;
  let response;
  try {
    response = await fetch(`${API_ROOT}${path}`, {
      method,
      headers: sent,
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch {
    throw new ApiError(0, { title: '无法连接服务器，请检查网络后重试', code: 'network' });
  }
  if (auth && response.ok) session.noteActivity();
  return response;
}

/** The raw response of an authenticated call (refreshing the token once); errors thrown. */
export async function call(path, options = {}) {
  const session = useSession();
  let response = await send(path, options);
  if (response.status === 401 && options.auth !== false && session.refreshToken) {
    if (await session.refresh()) response = await send(path, options);
  }
  if (!response.ok) {
    const problem = await problemOf(response);
    if (response.status === 401 && options.auth !== false) session.expire(problem);
    throw new ApiError(response.status, problem);
  }
  return response;
}

export async function getJson(path, options) {
  return (await call(path, options)).json();
}

export async function postJson(path, body, options = {}) {
  const response = await call(path, { ...options, method: 'POST', body });
  return response.status === 204 ? null : response.json();
}

export async function putJson(path, body, options = {}) {
  return (await call(path, { ...options, method: 'PUT', body })).json();
}

export async function deleteCall(path, options = {}) {
  await call(path, { ...options, method: 'DELETE' });
}

/** A binary (material, notice PDF) as a blob, fetched with the token. */
export async function getBlob(path, headers) {
  return (await call(path, { headers })).blob();
}

export function query(params) {
  const search = new URLSearchParams();
  Object.entries(params).forEach(([key, value]) => {
    if (value !== undefined && value !== null && value !== '') search.set(key, value);
  });
  const text = search.toString();
  return text ? `?${text}` : '';
}
