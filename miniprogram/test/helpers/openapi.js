/**
 * The API contract (openapi/openapi.json) for the fake server: finds the operation of a
 * request by method and path, and checks a reply against that operation's documented status
 * codes and response schema. A mock that answers what the API never answers fails the test.
 */
const path = require('path');
const Ajv2020 = require('ajv/dist/2020');
const addFormats = require('ajv-formats');

const DOC = require(path.resolve(__dirname, '../../../openapi/openapi.json'));
const PREFIX = '/api/v1';
const GATEWAY_STATUSES = [502, 504];

const ajv = new Ajv2020({ strict: false, allErrors: true, validateFormats: true });
addFormats(ajv);
ajv.addSchema(DOC, 'openapi');

// [{method, re, template}] for every documented operation
const OPERATIONS = [];
Object.keys(DOC.paths).forEach((template) => {
  Object.keys(DOC.paths[template]).forEach((method) => {
    if (['get', 'post', 'put', 'patch', 'delete'].indexOf(method) < 0) return;
    const pattern = template.replace(/[.+^$()[\]\\]/g, '\\$&').replace(/\{[^}]+\}/g, '[^/]+');
    OPERATIONS.push({ method: method.toUpperCase(), re: new RegExp(`^${pattern}$`), template });
  });
});
// literal segments win over parameters (/me/materials/quota before /me/materials/{id})
OPERATIONS.sort((a, b) => (a.template.match(/\{/g) || []).length - (b.template.match(/\{/g) || []).length);

function pointer(...parts) {
  return parts.map((p) => String(p).replace(/~/g, '~0').replace(/\//g, '~1')).join('/');
}

const validators = {};
function validatorFor(template, method, status, mediaType) {
  const key = `${method} ${template} ${status} ${mediaType}`;
  if (!validators[key]) {
    const ref = `openapi#/${pointer('paths', template, method.toLowerCase(), 'responses', status, 'content', mediaType, 'schema')}`;
    validators[key] = ajv.compile({ $ref: ref });
  }
  return validators[key];
}

/** The documented operation of `METHOD /path` (path after /api/v1), or null. */
function operationOf(method, apiPath) {
  const full = `${PREFIX}${apiPath}`;
  const op = OPERATIONS.find((o) => o.method === method && o.re.test(full));
  if (!op) return null;
  return Object.assign({}, op, { spec: DOC.paths[op.template][method.toLowerCase()] });
}

/** The status code a successful call of the operation answers (200, 201 or 204). */
function successStatus(op) {
  return Number(Object.keys(op.spec.responses).find((s) => /^2\d\d$/.test(s)) || 200);
}

/**
 * Problems with a reply of `METHOD /path`: [] when the operation is documented, answers this
 * status and the body matches its schema. `binary` replies (downloads) are not JSON.
 */
function check(method, apiPath, status, body, binary) {
  // a proxy in front of the API answers these, not the API (the client must cope with them)
  if (GATEWAY_STATUSES.indexOf(status) >= 0) return [];
  const op = operationOf(method, apiPath);
  if (!op) return [`${method} ${apiPath}: no such operation in openapi.json`];
  const response = op.spec.responses[String(status)];
  if (!response) {
    return [`${method} ${apiPath}: status ${status} is not documented (documented: ${Object.keys(op.spec.responses).join(', ')})`];
  }
  const content = response.content || {};
  const mediaType = Object.keys(content).find((m) => /json/.test(m));
  if (!mediaType) {
    if (binary || status === 304 || (status >= 300 && status < 400)) return [];
    if (body === undefined || body === '' || body === null) return [];
    return [`${method} ${apiPath}: status ${status} has no body, the mock answered ${JSON.stringify(body).slice(0, 200)}`];
  }
  if (binary && status < 300) return [];
  const validate = validatorFor(op.template, method, String(status), mediaType);
  if (validate(body)) return [];
  return [`${method} ${apiPath} → ${status} does not match ${op.template} in openapi.json:\n${
    ajv.errorsText(validate.errors, { separator: '\n', dataVar: 'body' })}\nbody: ${JSON.stringify(body).slice(0, 800)}`];
}

module.exports = { check, operationOf, successStatus, DOC };
