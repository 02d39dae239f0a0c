/**
 * 执法人员扫码 result: the certificate as the officer may see it (POST /officer/scans).
 */
const page = require('../../behaviors/page');
const handoff = require('../../utils/handoff');
const { formatDateTime } = require('../../utils/format');

Component({
  behaviors: [page],
  data: { certificate: null, status: '', fields: [], scannedAt: '' },
  methods: {
    onLoad() {
      const res = handoff.take('scan-result');
      if (!res) return;
      // ScannedCertificate: the certificate's card fields, its own fields and when it was scanned
      this.setData({
        certificate: res,
        status: res.status.label,
        fields: res.fields,
        scannedAt: formatDateTime(res.scanned_at),
      });
    },
  },
});
