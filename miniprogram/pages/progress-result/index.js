/**
 * 办件信息: the result of 办件查询 — status, item, agency and timeline, no personal data.
 */
const page = require('../../behaviors/page');
const handoff = require('../../utils/handoff');
const { formatDateTime } = require('../../utils/format');

Component({
  behaviors: [page],
  data: { result: null, itemName: '', agencyName: '', submittedAt: '' },
  methods: {
    onLoad() {
      const r = handoff.take('progress-result');
      if (!r) return;
      // PublicProgress: application_no, item and status as {code, label}, agency as its name
      this.setData({
        result: r,
        itemName: r.item.label,
        agencyName: r.agency || '',
        submittedAt: formatDateTime(r.submitted_at),
      });
    },
  },
});
