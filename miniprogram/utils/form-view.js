/**
 * 办件详情 "申请内容": an application's form shown read-only from its item's form_schema —
 * labels from the schema's titles, pick-list codes shown by name (港口, 国家, 燃油供应商, 规定项),
 * dates and times formatted, booleans as 是/否, ships, objects and table rows as groups.
 */
const { describe, isEmpty } = require('./schema-form');
const { formatDate, formatDateTime } = require('./format');
const { lookupDisplay } = require('./reference');

function scalarText(field, value) {
  switch (field.widget) {
    case 'switch':
      return value ? '是' : '否';
    case 'date':
      return formatDate(value);
    case 'datetime':
      return formatDateTime(value);
    case 'multiselect':
    case 'list':
      return (Array.isArray(value) ? value : [value]).join('、');
    default:
      return typeof value === 'object' ? JSON.stringify(value) : String(value);
  }
}

function rowsOf(fields, values, depth, prefix, out) {
  fields.forEach((field) => {
    const value = values ? values[field.key] : undefined;
    if (isEmpty(value)) return;
    const path = prefix ? `${prefix}.${field.key}` : field.key;
    if (field.widget === 'ship' || field.widget === 'object') {
      out.push({ path, label: field.title, depth, group: true, value: '' });
      rowsOf(field.fields, value, depth + 1, path, out);
    } else if (field.widget === 'array') {
      (Array.isArray(value) ? value : []).forEach((row, i) => {
        out.push({ path: `${path}.${i}`, label: `${field.itemTitle} ${i + 1}`, depth, group: true, value: '' });
        rowsOf(field.itemFields, row, depth + 1, `${path}.${i}`, out);
      });
    } else if (field.widget === 'reference') {
      const codes = field.multiple ? (Array.isArray(value) ? value : [value]) : [value];
      out.push({ path, label: field.title, depth, group: false, value: codes.join('、'), kind: field.kind, codes });
    } else {
      out.push({ path, label: field.title, depth, group: false, value: scalarText(field, value) });
    }
  });
  return out;
}

/** The rows of the form in the schema's order, empty values left out (pick-list codes as codes). */
function formRows(schema, form) {
  const s = schema || {};
  const props = s.properties || {};
  const required = s.required || [];
  const fields = Object.keys(props).map((k) => describe(k, props[k], required.indexOf(k) >= 0));
  return rowsOf(fields, form || {}, 0, '', []);
}

/** The rows with pick-list codes replaced by their names ("上海（CNSHA）"). */
async function resolveNames(api, rows) {
  return Promise.all(rows.map(async (row) => {
    if (!row.kind) return row;
    const names = await Promise.all(row.codes.map((code) => lookupDisplay(api, row.kind, code)));
    return Object.assign({}, row, { value: names.join('、') });
  }));
}

/** The attached materials: [{id, slotName, name, image, material}]. */
function materialRows(app) {
  return ((app && app.materials) || []).map((m) => ({
    id: m.material.id,
    slotName: m.slot_name,
    name: m.material.name,
    image: Boolean(m.material.is_image),
    material: m.material,
  }));
}

module.exports = { formRows, resolveNames, materialRows };
