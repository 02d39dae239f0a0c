/**
 * 证照详情: a certificate's own fields (职务、等级、航区… by type), validity, status and scan
 * history (执法人员扫码核验记录), with 亮证 and 纠错 where allowed; a result document
 * (决定书, 备案证明) opens its PDF and links to the application that issued it.
 */
const page = require('../../behaviors/page');
const services = require('../../services/index');
const { detailView, openDocument } = require('../../utils/certificate-detail');
const { go } = require('../../utils/nav');
const { toast } = require('../../utils/wxp');

const STATUS_THEME = { valid: 'success', expiring: 'warning', expired: 'danger', revoked: 'default' };

Component({
  behaviors: [page],
  data: { view: null, theme: 'default', loading: true, opening: false },
  methods: {
    onLoad(query) {
      this.id = decodeURIComponent((query && query.id) || '');
    },
    onShow() {
      return this.load();
    },
    async load() {
      if (!this.id) return;
      try {
        const view = detailView(await services.api.certificates.get(this.id));
        this.setData({ view, theme: STATUS_THEME[view.statusCode] || 'default' });
        wx.setNavigationBarTitle({ title: view.isDocument ? '文书详情' : '证照详情' });
      } catch (e) {
        // shown by the request layer
      } finally {
        this.setData({ loading: false });
      }
    },
    onDisplay() {
      go(`/pages/cert-display/index?id=${encodeURIComponent(this.id)}`);
    },
    onCorrect() {
      go(`/pages/cert-correction/index?id=${encodeURIComponent(this.id)}`);
    },
    onApplication() {
      go(`/pages/application/index?id=${encodeURIComponent(this.data.view.applicationId)}`);
    },
    async onDocument() {
      if (this.data.opening) return;
      this.setData({ opening: true });
      try {
        await openDocument(services.api, this.id);
      } catch (e) {
        if (!e || !e.status) toast('文书打开失败，请稍后重试');
      } finally {
        this.setData({ opening: false });
      }
    },
  },
});
