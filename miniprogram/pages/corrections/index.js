/**
 * 我的纠错: the certificate corrections submitted and how they were decided (GET /me/corrections).
 */
const page = require('../../behaviors/page');
const list = require('../../behaviors/list');
const services = require('../../services/index');
const { formatDateTime } = require('../../utils/format');

/**
 * CorrectionRead: certificate as {id, number, title, type}, field and status as {code, label}
 * (status pending 待处理, accepted 已更正, rejected 不予更正).
 */
function view(c) {
  return {
    id: c.id,
    certificate: c.certificate.title,
    certificateNo: c.certificate.number,
    field: c.field.label,
    oldValue: c.old_value || '',
    proposedValue: c.proposed_value,
    reason: c.reason,
    status: c.status.label,
    theme: { pending: 'warning', accepted: 'success', rejected: 'danger' }[c.status.code] || 'default',
    reply: c.comment || '',
    createdAt: formatDateTime(c.created_at),
    decidedAt: formatDateTime(c.decided_at),
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
