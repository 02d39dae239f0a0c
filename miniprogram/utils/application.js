/**
 * An application (办件) as the pages show it. The API's objects are normalised in one place:
 * `status` may be a code with `status_label`, or a {code, label} pair; the number may be
 * `application_no` or `number`; item and agency may be objects or strings.
 */
const { formatDateTime } = require('./format');
const { labelOf } = require('./certificate');
const { statusInfo } = require('./status');
const { actionsFor } = require('./application-actions');

function codeOf(v) {
  if (!v) return '';
  return typeof v === 'object' ? v.code || '' : String(v);
}

/** Plain fields every page relies on, added to (not replacing) the API's object. */
function normalize(app, extra) {
  const a = app || {};
  const status = codeOf(a.status);
  return Object.assign({}, a, {
    status,
    status_label: a.status_label || (typeof a.status === 'object' && a.status ? a.status.label : '') || statusInfo(status).label,
    application_no: a.application_no || a.number || '',
    item_code: a.item_code || codeOf(a.item),
    item_name: a.item_name || labelOf(a.item) || '',
    agency_code: a.agency_code || (a.agency && typeof a.agency === 'object' ? a.agency.code : ''),
    agency_name: a.agency_name || labelOf(a.agency) || '',
  }, extra || {});
}

/** The list and detail view model: labels, times and the action buttons. */
function summary(app, extra) {
  const n = normalize(app, extra);
  return {
    id: n.id,
    applicationNo: n.application_no,
    itemName: n.item_name || n.item_code,
    agencyName: n.agency_name,
    status: n.status,
    statusLabel: n.status_label,
    updatedAt: formatDateTime(n.updated_at || n.submitted_at || n.created_at),
    submittedAt: formatDateTime(n.submitted_at),
    actions: actionsFor(n),
    raw: n,
  };
}

module.exports = { normalize, summary, codeOf };
