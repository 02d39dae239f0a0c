/**
 * 我的评价: the evaluations given (GET /me/evaluations).
 */
const page = require('../../behaviors/page');
const list = require('../../behaviors/list');
const services = require('../../services/index');
const { formatDateTime } = require('../../utils/format');

/** EvaluationRead: item and agency as {code, label}, rating as {code: "1"…"5", label}. */
function view(ev) {
  return {
    id: ev.id,
    itemName: ev.item.label,
    agencyName: ev.agency.label,
    applicationNo: ev.application_no || '',
    rating: Number(ev.rating.code),
    ratingLabel: ev.rating.label,
    bad: ev.is_bad,
    tags: ev.tags,
    comment: ev.comment || '',
    time: formatDateTime(ev.created_at),
  };
}

Component({
  behaviors: [page, list],
  methods: {
    onLoad() {
      return this.reload();
    },
    fetchPage(cursor) {
      return services.api.evaluations.mine({ limit: 20, cursor: cursor || undefined });
    },
    mapItem: view,
  },
});
