/**
 * 办理过程: the timeline of an application (who, when, why), oldest first as the server sends it.
 * An entry's action and status may be codes or {code, label} pairs.
 */
const { formatDateTime } = require('../../utils/format');
const { statusInfo } = require('../../utils/status');

function label(v) {
  if (!v) return '';
  return typeof v === 'object' ? v.label || v.name || v.code || '' : String(v);
}

function code(v) {
  return v && typeof v === 'object' ? v.code || '' : v || '';
}

function actorOf(entry) {
  const a = entry.actor || entry.by;
  if (!a) return entry.actor_name || '';
  return typeof a === 'string' ? a : a.name || a.display_name || a.label || '';
}

function normalize(entry) {
  const status = code(entry.status || entry.to_status);
  const statusLabel = entry.status_label || (typeof entry.status === 'object' ? label(entry.status) : '') || statusInfo(status).label;
  const action = label(entry.action_label || entry.action);
  return {
    title: entry.title || action || statusLabel,
    status: action && statusLabel && statusLabel !== action ? statusLabel : '',
    time: formatDateTime(entry.occurred_at || entry.at || entry.created_at || entry.time),
    actor: actorOf(entry),
    agency: label(entry.agency),
    comment: entry.comment || entry.reason || entry.note || '',
  };
}

Component({
  properties: {
    items: { type: Array, value: [] },
  },
  data: { entries: [] },
  observers: {
    items(items) {
      this.setData({ entries: (items || []).map(normalize) });
    },
  },
});
