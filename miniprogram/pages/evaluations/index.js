/**
 * 我的评价: the evaluations given (GET /me/evaluations).
 */
const page = require('../../behaviors/page');
const list = require('../../behaviors/list');
const services = require('../../services/index');
const { formatDateTime, ratingLabel } = require('../../utils/format');
const { labelOf } = require('../../utils/certificate');

function view(ev) {
  const app = ev.application || {};
  return {
    id: ev.id,
    itemName: ev.item_name || app.item_name || labelOf(app.item) || '',
    applicationNo: ev.application_no || app.application_no || '',
    rating: Number(ev.rating) || 0,
    ratingLabel: ev.rating_label || ratingLabel(ev.rating),
    bad: Number(ev.rating) <= 2,
    tags: ev.tags || [],
    comment: ev.comment || '',
    reply: ev.reply || ev.response || '',
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
