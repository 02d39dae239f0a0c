/**
 * 办件详情: the application with its status, timeline (办理过程), notices (受理通知书 and other
 * documents, opened as PDF) and the actions its state allows.
 */
const page = require('../../behaviors/page');
const services = require('../../services/index');
const { runAction, openNotice, noticeTitle } = require('../../utils/application-actions');
const { summary } = require('../../utils/application');
const subscribe = require('../../utils/subscribe');
const { formatDateTime } = require('../../utils/format');

Component({
  behaviors: [page],
  data: { app: null, view: null, notices: [], loading: true },
  methods: {
    onLoad(query) {
      this.id = decodeURIComponent((query && query.id) || '');
    },
    onShow() {
      // 提交 of a 补正 asks for 订阅消息 inside the tap: the template is loaded beforehand
      subscribe.prepare(services.api);
      return this.load();
    },
    async load() {
      if (!this.id) return;
      try {
        const app = await services.api.applications.get(this.id);
        this.setData({
          app,
          view: summary(app),
          notices: app.notices.map((n) => Object.assign({}, n, {
            title: noticeTitle(n),
            meta: [n.number, formatDateTime(n.issued_at)].filter(Boolean).join(' · '),
          })),
        });
      } catch (e) {
        // shown by the request layer
      } finally {
        this.setData({ loading: false });
      }
    },
    onNotice(e) {
      const notice = this.data.notices[Number(e.currentTarget.dataset.index)];
      if (notice) openNotice(services.api, this.data.view.raw, notice).catch(() => {});
    },
    async onAction(e) {
      try {
        const result = await runAction(services.api, e.currentTarget.dataset.key, this.data.view.raw);
        if (result.removed) wx.navigateBack();
        else if (result.changed) await this.load();
      } catch (err) {
        // shown by the request layer
      }
    },
  },
});
