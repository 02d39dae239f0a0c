/**
 * An application (办件) as the pages show it, from the API's ApplicationSummary (我的办件) or
 * ApplicationRead (办件详情): `number`, `item` and `status` as {code, label}, `agency` as
 * AgencyRef or null. The actions come from the server (utils/application-actions).
 */
const { formatDateTime } = require('./format');
const { actionsFor } = require('./application-actions');

/** The list and detail view model: labels, times and the action buttons. */
function summary(app) {
  return {
    id: app.id,
    applicationNo: app.number || '',
    itemName: app.item.label,
    agencyName: app.agency ? app.agency.name : '',
    status: app.status.code,
    statusLabel: app.status.label,
    updatedAt: formatDateTime(app.updated_at),
    submittedAt: formatDateTime(app.submitted_at),
    evaluated: app.evaluated === true,
    actions: actionsFor(app),
    raw: app,
  };
}

module.exports = { summary };
