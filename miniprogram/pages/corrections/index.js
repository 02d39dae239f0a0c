/**
 * 我的纠错: the certificate corrections submitted and how they were decided (GET /me/corrections).
 */
const page = require('../../behaviors/page');
const list = require('../../behaviors/list');
const services = require('../../services/index');
const { formatDateTime } = require('../../utils/format');
const { labelOf } = require('../../utils/certificate');

const STATUS = { pending: '待处理', submitted: '待处理', accepted: '已采纳', approved: '已采纳', rejected: '未采纳', declined: '未采纳' };

function view(c) {
  const status = c.status_label || STATUS[c.status] || labelOf(c.status) || '';
  return {
    id: c.id,
    certificate: c.certificate_name || labelOf(c.certificate) || c.certificate_no || '',
    field: c.field_label || c.field || '',
    proposedValue: c.proposed_value || '',
    reason: c.reason || '',
    status,
    done: ['accepted', 'approved', 'rejected', 'declined'].indexOf(c.status) >= 0,
    reply: c.decision_comment || c.comment || c.reply || '',
    createdAt: formatDateTime(c.created_at),
  };
}

Component({
  behaviors: [page, list],
  methods: {
    onLoad() {
      return this.reload();
    },
    fetchPage(cursor) {
      return services.api.certificates.corrections({ limit: 20, cursor: cursor || undefined });
    },
    mapItem: view,
  },
});
