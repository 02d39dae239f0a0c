/**
 * 办件信息: the result of 办件查询 — status, item, agency and timeline, no personal data.
 */
const page = require('../../behaviors/page');
const handoff = require('../../utils/handoff');
const { formatDateTime } = require('../../utils/format');
const { normalize } = require('../../utils/application');

Component({
  behaviors: [page],
  data: { result: null, itemName: '', agencyName: '', submittedAt: '' },
  methods: {
    onLoad() {
      const r = handoff.take('progress-result');
      if (!r) return;
      const n = normalize(r);
      this.setData({
        result: n,
        itemName: n.item_name,
        agencyName: n.agency_name,
        submittedAt: formatDateTime(n.submitted_at || n.created_at),
      });
    },
  },
});
