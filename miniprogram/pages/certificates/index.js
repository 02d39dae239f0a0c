/**
 * 我的证照 (manual §3.3.4): results of applications and certificates, newest first; 船员证照
 * can be shown (亮证, QR icon) and corrected (纠错).
 */
const page = require('../../behaviors/page');
const list = require('../../behaviors/list');
const services = require('../../services/index');
const { go } = require('../../utils/nav');

Component({
  behaviors: [page, list],
  methods: {
    onLoad() {
      return this.reload();
    },
    fetchPage(cursor) {
      return services.api.certificates.list({ limit: 20, cursor: cursor || undefined });
    },
    /** A tap on a certificate card opens 证照详情. */
    onOpen(e) {
      go(`/pages/certificate/index?id=${encodeURIComponent(e.detail.id)}`);
    },
    onDisplay(e) {
      go(`/pages/cert-display/index?id=${encodeURIComponent(e.detail.id)}`);
    },
    onCorrect(e) {
      go(`/pages/cert-correction/index?id=${encodeURIComponent(e.detail.id)}`);
    },
  },
});
