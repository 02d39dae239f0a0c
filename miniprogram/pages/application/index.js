/**
 * 办件详情: the application with its status, timeline (办理过程), notices (受理通知书 and other
 * documents, opened as PDF), the actions its state allows, and what was submitted: the form
 * read-only from its item's form_schema (申请内容) and the attached materials (申请材料, images
 * previewed, documents opened). While 待补正, what to 补正 comes first, item by item with reasons.
 * 办事指南 opens the guide the application was submitted under (its dataset version as the note).
 */
const page = require('../../behaviors/page');
const services = require('../../services/index');
const { runAction, openNotice, noticeTitle } = require('../../utils/application-actions');
const { summary } = require('../../utils/application');
const subscribe = require('../../utils/subscribe');
const { formatDateTime } = require('../../utils/format');
const onlineItems = require('../../utils/online-items');
const { formRows, resolveNames, materialRows } = require('../../utils/form-view');
const { openMaterial } = require('../../utils/upload');
const { toast } = require('../../utils/wxp');
const { supplementView } = require('../../utils/supplement');
const { go } = require('../../utils/nav');

Component({
  behaviors: [page],
  data: { app: null, view: null, supplement: null, notices: [], formRows: [], materials: [], guideNote: '', loading: true },
  methods: {
    onLoad(query) {
      this.id = decodeURIComponent((query && query.id) || '');
      // 提交 of a 补正 asks for 订阅消息 inside the tap: the template is loaded beforehand
      subscribe.prepare(services.api);
    },
    onShow() {
      return this.load();
    },
    async load() {
      if (!this.id) return;
      try {
        const app = await services.api.applications.get(this.id);
        this.setData({
          app, view: summary(app), materials: materialRows(app), supplement: supplementView(app.supplement_request),
        });
        this.showForm(app);
        this.showGuideVersion(app);
        this.setData({
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
    /** 申请内容: the form by its item's schema (pick-list names looked up, then shown). */
    async showForm(app) {
      try {
        const item = await onlineItems.find(app.item.code);
        if (!item) return;
        const rows = formRows(item.form_schema, app.form);
        this.setData({ formRows: rows });
        this.setData({ formRows: await resolveNames(services.api, rows) });
      } catch (e) {
        // the rest of the page stands without it
      }
    },
    /** 办事指南's note once submitted: the dataset version the guide is kept at (silent: the row stands without it). */
    async showGuideVersion(app) {
      if (!app.submitted_at) {
        this.setData({ guideNote: '' });
        return;
      }
      try {
        const answer = await services.api.applications.guide(app.id, { silent: true });
        this.setData({ guideNote: `提交时第 ${answer.version} 版` });
      } catch (e) {
        this.setData({ guideNote: '' });
      }
    },
    onGuide() {
      const app = this.data.app;
      if (!app) return;
      go(`/pages/guide/index?application=${encodeURIComponent(app.id)}${app.submitted_at ? '' : '&draft=1'}`);
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
