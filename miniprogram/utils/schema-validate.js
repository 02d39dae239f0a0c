/**
 * Light client-side checks of a form against its JSON Schema, so a step can point at a missing
 * or malformed field before the server does. The server remains the authority (its 422 errors
 * are shown on the same fields); messages are zh-CN and keyed by dotted path.
 */
const { isEmpty, widgetFor, alternatives } = require('./schema-form');

function label(schema, key) {
  return (schema && schema.title) || key;
}

function checkScalar(schema, value, key) {
  const title = label(schema, key);
  if (schema.type === 'number' || schema.type === 'integer') {
    if (typeof value !== 'number' || Number.isNaN(value)) return `${title}请输入数字`;
    if (schema.type === 'integer' && !Number.isInteger(value)) return `${title}请输入整数`;
    if (schema.minimum !== undefined && value < schema.minimum) return `${title}不能小于${schema.minimum}`;
    if (schema.maximum !== undefined && value > schema.maximum) return `${title}不能大于${schema.maximum}`;
    if (schema.exclusiveMinimum !== undefined && value <= schema.exclusiveMinimum) return `${title}须大于${schema.exclusiveMinimum}`;
    if (schema.exclusiveMaximum !== undefined && value >= schema.exclusiveMaximum) return `${title}须小于${schema.exclusiveMaximum}`;
    return null;
  }
  if (schema.type === 'boolean') return typeof value === 'boolean' ? null : `${title}格式不正确`;
  if (typeof value !== 'string') return `${title}格式不正确`;
  if (schema.minLength !== undefined && value.length < schema.minLength) return `请填写${title}`;
  if (schema.maxLength !== undefined && value.length > schema.maxLength) return `${title}不能超过${schema.maxLength}个字符`;
  if (Array.isArray(schema.enum) && schema.enum.indexOf(value) < 0) return `请选择${title}`;
  if (schema.pattern && !new RegExp(schema.pattern).test(value)) return `${title}格式不正确`;
  if (schema.format === 'date' && !/^\d{4}-\d{2}-\d{2}$/.test(value)) return `${title}格式不正确`;
  if (schema.format === 'date-time' && !/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/.test(value)) {
    return `${title}格式不正确`;
  }
  return null;
}

function requiredMessage(schema, key) {
  const widget = widgetFor(schema);
  const verb = ['text', 'textarea', 'number', 'integer'].indexOf(widget) >= 0 ? '请填写' : '请选择';
  return `${verb}${label(schema, key)}`;
}

function validateValue(schema, value, path, errors) {
  if (!schema || isEmpty(value)) return;
  if (schema.type === 'object') {
    if (typeof value !== 'object' || Array.isArray(value)) {
      errors[path] = `${label(schema, path)}格式不正确`;
      return;
    }
    validateObject(schema, value, path, errors);
    return;
  }
  if (schema.type === 'array') {
    if (!Array.isArray(value)) {
      errors[path] = `${label(schema, path)}格式不正确`;
      return;
    }
    if (schema.minItems !== undefined && value.length < schema.minItems) {
      errors[path] = `${label(schema, path)}至少需要${schema.minItems}项`;
    } else if (schema.maxItems !== undefined && value.length > schema.maxItems) {
      errors[path] = `${label(schema, path)}最多${schema.maxItems}项`;
    }
    value.forEach((v, i) => validateValue(schema.items || {}, v, `${path}.${i}`, errors));
    return;
  }
  const msg = checkScalar(schema, value, path);
  if (msg) errors[path] = msg;
}

function validateObject(schema, value, prefix, errors, onlyKeys) {
  const props = schema.properties || {};
  const required = schema.required || [];
  const keys = onlyKeys || Object.keys(props);
  keys.forEach((k) => {
    const path = prefix ? `${prefix}.${k}` : k;
    const v = value ? value[k] : undefined;
    if (isEmpty(v)) {
      if (required.indexOf(k) >= 0) errors[path] = requiredMessage(props[k], k);
      return;
    }
    validateValue(props[k], v, path, errors);
  });
}

/**
 * `oneOf` alternatives (supplier_id or supplier_other): the picked code, or the hand-entered
 * object once the user chose 其他 (an object, even still empty), is required.
 */
function validateAlternatives(schema, form, errors, keys) {
  const alts = alternatives(schema);
  const props = schema.properties || {};
  Object.keys(alts).forEach((picked) => {
    const other = alts[picked];
    if (keys && keys.indexOf(picked) < 0 && keys.indexOf(other) < 0) return;
    const chosen = form[other];
    if (!isEmpty(form[picked])) {
      validateValue(props[picked], form[picked], picked, errors);
    } else if (chosen && typeof chosen === 'object') {
      validateObject(props[other], chosen, other, errors);
    } else {
      errors[picked] = requiredMessage(props[picked], picked);
    }
  });
  return alts;
}

/** Errors of the whole form (or only of `keys`, the fields of one step), keyed by path. */
function validate(schema, form, keys) {
  const errors = {};
  const s = schema || {};
  const alts = validateAlternatives(s, form || {}, errors, keys);
  const handled = Object.keys(alts).concat(Object.keys(alts).map((k) => alts[k]));
  const rest = (keys || Object.keys(s.properties || {})).filter((k) => handled.indexOf(k) < 0);
  validateObject(s, form || {}, '', errors, rest);
  return errors;
}

module.exports = { validate };
