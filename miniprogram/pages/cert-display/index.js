/**
 * 亮证 (manual §3.3.4): a short-lived signed QR code of the certificate
 * (POST /me/certificates/{id}/display-token, valid about 2 minutes) for an officer to scan.
 * The code is renewed before it expires, and the countdown shows how long it is valid.
 */
const page = require('../../behaviors/page');
const services = require('../../services/index');
const { svgDataUrl } = require('../../utils/svg');
const { toast } = require('../../utils/wxp');

const RENEW_BEFORE_SECONDS = 15;

/** {token, svg, expiresAt(ms)} from the display-token response (DisplayToken). */
function readToken(r, now) {
  // expires_in counts from now on this device, whose clock may differ from the server's
  return { token: r.token, svg: r.qr_svg, expiresAt: now + r.expires_in * 1000 };
}

Component({
  behaviors: [page],
  data: { certificate: null, qr: '', token: '', remaining: 0, failed: false },
  methods: {
    onLoad(query) {
      this.id = decodeURIComponent((query && query.id) || '');
      services.api.certificates.get(this.id).then((certificate) => this.setData({ certificate }), () => {});
    },
    onShow() {
      return this.renew();
    },
    onHide() {
      this.stop();
    },
    onUnload() {
      this.stop();
    },

    stop() {
      clearTimeout(this.renewTimer);
      clearInterval(this.tickTimer);
      this.renewTimer = null;
      this.tickTimer = null;
    },

    async renew() {
      this.stop();
      try {
        const res = await services.api.certificates.displayToken(this.id);
        const now = Date.now();
        const t = readToken(res, now);
        this.expiresAt = t.expiresAt;
        this.setData({ qr: t.svg ? svgDataUrl(t.svg) : '', token: t.token, failed: false });
        this.tick();
        this.tickTimer = setInterval(() => this.tick(), 1000);
        const renewIn = Math.max(5, (t.expiresAt - now) / 1000 - RENEW_BEFORE_SECONDS) * 1000;
        this.renewTimer = setTimeout(() => this.renew(), renewIn);
      } catch (e) {
        this.setData({ failed: true });
      }
    },

    tick() {
      this.setData({ remaining: Math.max(0, Math.round((this.expiresAt - Date.now()) / 1000)) });
    },

    onRefresh() {
      toast('二维码已刷新');
      return this.renew();
    },
  },
});
