/**
 * Turns an online item's `form_schema` (JSON Schema 2020-12) and `steps` into field descriptors
 * for the one form renderer (components/form-field), and handles form values by dotted path
 * ("ships.0.name").
 *
 * Widgets:
 *   text, textarea, number, integer, switch, date, datetime, select (enum), multiselect
 *   (array of enum), object (nested), array (array of objects), list (array of plain strings),
 *   ship (object filled from 我的船舶), reference (code picked from a pick list; `multiple` for
 *   arrays), with `kind` one of supplier, port, country, regulation.
 *
 * Special pickers are chosen by the property's id kind: the pick list it is taken from (the
 * schema's description names it, e.g. "取自 /reference/ports") or, failing that, the id pattern
 * (FS### suppliers, UN/LOCODE ports, ISO 3166-1 alpha-2 countries).
 */

const REFERENCE_KINDS = [
  { kind: 'supplier', source: '/reference/fuel-suppliers', pattern: /^\^FS/ },
  { kind: 'port', source: '/reference/ports', pattern: /^\^\[A-Z\]\{2\}\[A-Z2-9\]\{3\}\$$/ },
  { kind: 'country', source: '/reference/countries', pattern: /^\^\[A-Z\]\{2\}\$$/ },
  { kind: 'regulation', source: '/reference/regulation-items', pattern: null },
];

const TEXTAREA_MIN_LENGTH = 200;

function referenceKind(schema, ownerDescription) {
  if (!schema) return null;
  const text = `${schema.description || ''} ${ownerDescription || ''}`;
  const bySource = REFERENCE_KINDS.find((k) => text.indexOf(k.source) >= 0);
  if (bySource) return bySource.kind;
  const byPattern = REFERENCE_KINDS.find((k) => k.pattern && k.pattern.test(schema.pattern || ''));
  return byPattern ? byPattern.kind : null;
}

function isShip(schema) {
  if (!schema || schema.type !== 'object') return false;
  const props = schema.properties || {};
  return String(schema.description || '').indexOf('/me/ships') >= 0 || Boolean(props.imo_number && props.mmsi);
}

function widgetFor(schema) {
  const s = schema || {};
  switch (s.type) {
    case 'object':
      return isShip(s) ? 'ship' : 'object';
    case 'array': {
      const items = s.items || {};
      if (Array.isArray(items.enum)) return 'multiselect';
      if (items.type === 'object') return 'array';
      if (referenceKind(items, s.description)) return 'reference';
      return 'list';
    }
    case 'number':
      return 'number';
    case 'integer':
      return 'integer';
    case 'boolean':
      return 'switch';
    default:
      if (referenceKind(s)) return 'reference';
      if (Array.isArray(s.enum)) return 'select';
      if (s.format === 'date') return 'date';
      if (s.format === 'date-time') return 'datetime';
      if (s.maxLength === undefined || s.maxLength > TEXTAREA_MIN_LENGTH) return 'textarea';
      return 'text';
  }
}

/** The description without the API paths meant for integrators ("取自 /reference/ports"). */
function helpText(description) {
  if (!description) return '';
  return String(description)
    .replace(/[，,；;]?\s*取自\s*\/[\w\-/]+/g, '')
    .replace(/[（(]\s*\/[\w\-/]+\s*[)）]/g, '')
    .replace(/\s*\/(reference|me)\/[\w\-/]+/g, '')
    .trim();
}

function placeholderFor(widget, title) {
  switch (widget) {
    case 'text':
    case 'textarea':
    case 'number':
    case 'integer':
      return `请输入${title}`;
    case 'ship':
      return '请选择船舶';
    default:
      return `请选择${title}`;
  }
}

function describeChildren(schema) {
  const props = (schema && schema.properties) || {};
  const required = (schema && schema.required) || [];
  return Object.keys(props).map((k) => describe(k, props[k], required.indexOf(k) >= 0));
}

/** Field descriptor (plain data, passed to the form-field component). */
function describe(key, schema, required) {
  const s = schema || {};
  const widget = widgetFor(s);
  const title = s.title || key;
  const d = {
    key,
    title,
    help: helpText(s.description),
    required: Boolean(required),
    widget,
    placeholder: placeholderFor(widget, title),
  };
  if (s.maxLength !== undefined) d.maxLength = s.maxLength;
  if (widget === 'number' || widget === 'integer') {
    // The digit keyboard has no minus sign: coordinates and other signed numbers get text input.
    const lower = s.minimum !== undefined ? s.minimum : s.exclusiveMinimum;
    const signed = lower === undefined || lower < 0;
    d.inputType = signed ? 'text' : widget === 'integer' ? 'number' : 'digit';
  }
  if (widget === 'select') d.options = s.enum.slice();
  if (widget === 'multiselect') d.options = s.items.enum.slice();
  if (widget === 'reference') {
    const multiple = s.type === 'array';
    d.kind = multiple ? referenceKind(s.items, s.description) : referenceKind(s);
    d.multiple = multiple;
  }
  if (widget === 'object' || widget === 'ship') d.fields = describeChildren(s);
  if (widget === 'array') {
    d.itemTitle = (s.items && s.items.title) || title;
    d.itemFields = describeChildren(s.items);
    d.itemKeys = Object.keys((s.items && s.items.properties) || {});
  }
  if (widget === 'ship') d.shipKeys = Object.keys(s.properties || {});
  return d;
}

/**
 * Alternatives the schema offers with `oneOf: [{required: [a]}, {required: [b]}]` (e.g. a fuel
 * supplier picked from the list, `supplier_id`, or entered by hand, `supplier_other`): a map
 * from the picked field to the hand-entered object field. Exactly one of the two is required.
 */
function alternatives(schema) {
  const props = (schema && schema.properties) || {};
  const out = {};
  const oneOf = (schema && schema.oneOf) || [];
  if (oneOf.length !== 2) return out;
  const keys = oneOf.map((alt) => (alt && Array.isArray(alt.required) && alt.required.length === 1 ? alt.required[0] : null));
  if (!keys[0] || !keys[1] || !props[keys[0]] || !props[keys[1]]) return out;
  const picked = keys.find((k) => widgetFor(props[k]) === 'reference');
  const other = keys.find((k) => k !== picked && props[k].type === 'object');
  if (picked && other) out[picked] = other;
  return out;
}

/** The descriptor of a top-level form field, with its hand-entered alternative (`other`). */
function describeTop(schema, key, alts) {
  const props = schema.properties || {};
  const required = schema.required || [];
  const otherKey = alts[key];
  const d = describe(key, props[key], Boolean(otherKey) || required.indexOf(key) >= 0);
  if (otherKey) d.other = describe(otherKey, props[otherKey], true);
  return d;
}

/** Descriptors of the form fields of one step. */
function describeStep(item, step) {
  const schema = item.form_schema || {};
  const props = schema.properties || {};
  const alts = alternatives(schema);
  const inline = (step.fields || []).map((k) => alts[k]).filter(Boolean);
  const slotsByName = {};
  (item.material_slots || []).forEach((s) => {
    slotsByName[s.slot] = s;
  });
  let slotNames = step.slots || [];
  if (step.kind === 'materials' && !slotNames.length) slotNames = (item.material_slots || []).map((s) => s.slot);
  return {
    key: step.key,
    title: step.title,
    kind: step.kind,
    fields: (step.fields || []).filter((k) => props[k] && inline.indexOf(k) < 0).map((k) => describeTop(schema, k, alts)),
    slots: slotNames.map((n) => slotsByName[n]).filter(Boolean),
  };
}

/* ---------- values by path ---------- */

function splitPath(path) {
  if (Array.isArray(path)) return path.map((p) => (typeof p === 'number' ? p : String(p)));
  if (path === '' || path === undefined || path === null) return [];
  return String(path).split('.').map((p) => (/^\d+$/.test(p) ? Number(p) : p));
}

function getIn(obj, path) {
  return splitPath(path).reduce((acc, k) => (acc === undefined || acc === null ? undefined : acc[k]), obj);
}

/** Returns a copy of obj with the value at path replaced (containers created as needed). */
function setIn(obj, path, value) {
  const parts = splitPath(path);
  if (!parts.length) return value;
  const [head, ...rest] = parts;
  let base = obj;
  if (base === undefined || base === null) base = typeof head === 'number' ? [] : {};
  const copy = Array.isArray(base) ? base.slice() : Object.assign({}, base);
  copy[head] = rest.length ? setIn(base[head], rest, value) : value;
  return copy;
}

function isEmpty(value) {
  if (value === undefined || value === null) return true;
  if (typeof value === 'string') return value.trim() === '';
  if (Array.isArray(value)) return value.length === 0;
  if (typeof value === 'object') return Object.keys(value).length === 0;
  return false;
}

/**
 * The form as sent to the server: properties the schema does not know are dropped
 * (additionalProperties: false), empty values removed, strings trimmed.
 */
function clean(value, schema) {
  const s = schema || {};
  if (value === undefined || value === null) return undefined;
  if (s.type === 'object' || (s.properties && typeof value === 'object' && !Array.isArray(value))) {
    if (typeof value !== 'object' || Array.isArray(value)) return undefined;
    const props = s.properties || {};
    const out = {};
    Object.keys(value).forEach((k) => {
      if (!props[k] && s.additionalProperties === false) return;
      const v = clean(value[k], props[k]);
      if (!isEmpty(v)) out[k] = v;
    });
    return isEmpty(out) ? undefined : out;
  }
  if (s.type === 'array' || Array.isArray(value)) {
    if (!Array.isArray(value)) return undefined;
    const out = value.map((v) => clean(v, s.items)).filter((v) => !isEmpty(v));
    return out.length ? out : undefined;
  }
  if (typeof value === 'string') {
    const t = value.trim();
    return t === '' ? undefined : t;
  }
  return value;
}

/* ---------- server errors ---------- */

/**
 * Splits problem+json `errors` by where they belong: loc ["body","form","ship","imo_number"]
 * becomes form["ship.imo_number"]; anything else (materials, agency_code…) goes to other,
 * keyed by its path without "body".
 */
function mapErrors(errors) {
  const form = {};
  const other = {};
  (errors || []).forEach((e) => {
    const loc = (e.loc || []).slice();
    if (loc[0] === 'body') loc.shift();
    if (loc[0] === 'form' && loc.length > 1) {
      const key = loc.slice(1).join('.');
      if (!form[key]) form[key] = e.msg;
    } else {
      const key = loc.join('.') || '_';
      if (!other[key]) other[key] = e.msg;
    }
  });
  return { form, other };
}

/** Index of the step a form path, slot or other error key belongs to (-1 when none). */
function stepIndexFor(item, key) {
  const parts = splitPath(key);
  const steps = item.steps || [];
  const top = parts[0];
  if (top === 'agency_code') return steps.findIndex((s) => s.kind === 'agency');
  if (top === 'materials') {
    const slot = parts.find((p) => typeof p === 'string' && p !== 'materials');
    const bySlot = steps.findIndex((s) => (s.slots || []).indexOf(slot) >= 0);
    if (bySlot >= 0) return bySlot;
    return steps.findIndex((s) => s.kind === 'materials' || (s.slots || []).length);
  }
  const index = steps.findIndex((s) => (s.fields || []).indexOf(top) >= 0);
  if (index >= 0) return index;
  // A hand-entered alternative (supplier_other) is shown on the step of the field it replaces.
  const alts = alternatives(item.form_schema);
  const picked = Object.keys(alts).find((k) => alts[k] === top);
  return picked ? steps.findIndex((s) => (s.fields || []).indexOf(picked) >= 0) : -1;
}

module.exports = {
  REFERENCE_KINDS,
  referenceKind,
  alternatives,
  isShip,
  widgetFor,
  helpText,
  describe,
  describeStep,
  splitPath,
  getIn,
  setIn,
  isEmpty,
  clean,
  mapErrors,
  stepIndexFor,
};
