/**
 * 执法人员扫码 result: the certificate as the officer may see it (POST /officer/scans).
 */
const page = require('../../behaviors/page');
const handoff = require('../../utils/handoff');
const { toView } = require('../../utils/certificate');
const { formatDateTime } = require('../../utils/format');

Component({
  behaviors: [page],
  data: { certificate: null, fields: [], scannedAt: '' },
  methods: {
    onLoad() {
      const res = handoff.take('scan-result');
      if (!res) return;
      const certificate = res.certificate || res;
      this.setData({
        certificate,
        fields: toView(certificate).fields,
        scannedAt: formatDateTime(res.scanned_at || new Date().toISOString()),
      });
    },
  },
});
