/**
 * 办件详情: the application with its status, timeline (办理过程), notices (受理通知书 and other
 * documents, opened as PDF) and the actions its state allows.
 */
const page = require('../../behaviors/page');
const services = require('../../services/index');
const { runAction, openNotice, noticeTitle } = require('../../utils/application-actions');
const { summary } = require('../../utils/application');
const { pageOf, formatDateTime } = require('../../utils/format');

Component({
  behaviors: [page],
  data: { app: null, view: null, notices: [], loading: true },
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
        const app = await services.api.applications.get(this.id);
        const view = summary(app);
        this.setData({ app, view });
        let notices = Array.isArray(app.notices) ? app.notices : [];
        if (!notices.length && ['accepted', 'approved', 'declined', 'rejected', 'supplement_required'].indexOf(view.status) >= 0) {
          notices = pageOf(await services.api.applications.notices(app.id)).items;
        }
        this.setData({
          notices: notices.map((n) => Object.assign({}, n, {
            title: noticeTitle(n),
            meta: [n.number, formatDateTime(n.issued_at || n.created_at)].filter(Boolean).join(' · '),
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
