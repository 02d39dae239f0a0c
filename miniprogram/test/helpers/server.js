/**
 * A fake API behind the mocked wx.request / wx.uploadFile / wx.downloadFile: handlers keyed by
 * "METHOD /path" (path after the /api/v1 base, without the query). A handler returns the body
 * (answered with the operation's documented success status: 200, 201 or 204), or {status, body}
 * via reply(), and receives {method, path, query, data, header}.
 *
 * Every reply is checked against openapi/openapi.json (test/helpers/openapi.js): an undocumented
 * path or status, or a body that does not match the operation's response schema, is recorded and
 * fails the test (test/helpers/reset.js), so the mocks answer only what the API answers.
 */
const config = require('../../config');
const contract = require('./openapi');

global.__contractViolations = global.__contractViolations || [];

function violation(messages) {
  messages.forEach((m) => global.__contractViolations.push(m));
}

function reply(status, body) {
  return { __reply: true, status, body };
}

function problem(status, code, title, errors) {
  return reply(status, {
    type: `urn:test:${code}`, title, status, detail: title, code, request_id: 'test', errors,
  });
}

function parseUrl(url) {
  const base = config.apiBaseUrl.replace(/\/+$/, '');
  const rest = url.indexOf(base) === 0 ? url.slice(base.length) : url;
  const [path, qs] = rest.split('?');
  const query = {};
  (qs || '').split('&').filter(Boolean).forEach((kv) => {
    const [k, v] = kv.split('=');
    query[decodeURIComponent(k)] = decodeURIComponent(v || '');
  });
  return { path, query };
}

function installFakeServer(wx, handlers) {
  const calls = [];
  const routes = Object.assign({}, handlers);

  function handle(method, url, data, header, binary) {
    const { path, query } = parseUrl(url);
    const req = { method, path, query, data, header };
    calls.push(req);
    const key = `${method} ${path}`;
    const handler = routes[key] || Object.keys(routes)
      .filter((k) => k.indexOf('*') >= 0)
      .map((k) => ({ k, re: new RegExp(`^${k.replace(/[.?+^$()[\]\\]/g, '\\$&').replace(/\*/g, '[^/]+')}$`) }))
      .filter((x) => x.re.test(key))
      .map((x) => routes[x.k])[0];
    let res;
    if (!handler) {
      res = { statusCode: 404, data: problem(404, 'not_found', '请求的资源不存在').body };
    } else {
      const out = typeof handler === 'function' ? handler(req) : handler;
      if (out && out.__reply) {
        res = { statusCode: out.status, data: out.body };
      } else {
        const op = contract.operationOf(method, path);
        const status = op ? contract.successStatus(op) : 200;
        res = { statusCode: status, data: out === undefined ? '' : out };
      }
    }
    violation(contract.check(method, path, res.statusCode, res.data, binary));
    return res;
  }

  wx.request.mockImplementation((p) => {
    const res = handle(p.method || 'GET', p.url, p.data, p.header || {});
    Promise.resolve().then(() => p.success(res));
    return { abort: jest.fn() };
  });
  wx.uploadFile.mockImplementation((p) => {
    const task = { onProgressUpdate: jest.fn((cb) => { task.progress = cb; }), abort: jest.fn() };
    const res = handle('POST', p.url, { filePath: p.filePath, name: p.name, formData: p.formData }, p.header || {});
    Promise.resolve().then(() => {
      if (task.progress) task.progress({ progress: 100, totalBytesSent: 10, totalBytesExpectedToSend: 10 });
      p.success({ statusCode: res.statusCode, data: typeof res.data === 'string' ? res.data : JSON.stringify(res.data) });
    });
    return task;
  });
  wx.downloadFile.mockImplementation((p) => {
    const res = handle('GET', p.url, undefined, p.header || {}, true);
    Promise.resolve().then(() => p.success({ statusCode: res.statusCode, tempFilePath: `wxfile://tmp/download${calls.length}` }));
    return { onProgressUpdate: jest.fn(), abort: jest.fn() };
  });

  return {
    calls,
    on(key, handler) {
      routes[key] = handler;
    },
    called(key) {
      return calls.filter((c) => `${c.method} ${c.path}` === key);
    },
  };
}

/** Lets pending promises (fake server replies, setData) settle. */
function flush(times) {
  let p = Promise.resolve();
  for (let i = 0; i < (times || 10); i += 1) p = p.then(() => new Promise((r) => setTimeout(r, 0)));
  return p;
}

module.exports = { installFakeServer, reply, problem, flush };
