/**
 * 办件详情: the application with its status, timeline (办理过程), notices (受理通知书 and other
 * documents, opened as PDF), the actions its state allows, and what was submitted: the form
 * read-only from its item's form_schema (申请内容) and the attached materials (申请材料, images
 * previewed, documents opened).
 */
const page = require('../../behaviors/page');
const services = require('../../services/index');
const { runAction, openNotice, noticeTitle } = require('../../utils/application-actions');
const { summary, normalize: view } = require('../../utils/application');
const { pageOf, formatDateTime } = require('../../utils/format');
const onlineItems = require('../../utils/online-items');
const { formRows, resolveNames, materialRows } = require('../../utils/form-view');
const { openMaterial } = require('../../utils/upload');
const { toast } = require('../../utils/wxp');

Component({
  behaviors: [page],
  data: { app: null, view: null, notices: [], formRows: [], materials: [], loading: true },
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
        this.setData({ app, view, materials: materialRows(app) });
        this.showForm(app);
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
    /** 申请内容: the form by its item's schema (pick-list names looked up, then shown). */
    async showForm(app) {
      try {
        const item = await onlineItems.find(view(app).item_code);
        if (!item) return;
        const rows = formRows(item.form_schema, app.form);
        this.setData({ formRows: rows });
        this.setData({ formRows: await resolveNames(services.api, rows) });
      } catch (e) {
        // the rest of the page stands without it
      }
    },
    async onMaterial(e) {
      const row = this.data.materials[Number(e.currentTarget.dataset.index)];
      if (!row) return;
      try {
        await openMaterial(services.api, row.material);
      } catch (err) {
        if (!err || !err.status) toast('材料打开失败，请稍后重试');
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
