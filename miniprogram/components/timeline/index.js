/**
 * 办理过程: the timeline of an application (who, when, why), oldest first as the server sends it
 * (TimelineEntry: action and status as {code, label}, actor, occurred_at, comment).
 */
const { formatDateTime } = require('../../utils/format');

function normalize(entry) {
  const action = entry.action.label;
  const statusLabel = entry.status.label;
  return {
    title: action || statusLabel,
    status: action && statusLabel && statusLabel !== action ? statusLabel : '',
    time: formatDateTime(entry.occurred_at),
    actor: entry.actor || '',
    comment: entry.comment || '',
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
