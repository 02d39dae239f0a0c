/**
 * 我的办件 (manual §3.3.2): the applications by status, each with the actions the server allows
 * (编辑, 提交, 取消, 撤回, 删除, 评价 — `allowed_actions` of each entry).
 * `?finished=true` is 我要评: the finished applications (办结, 不予受理, 不予许可), rated or not.
 */
const page = require('../../behaviors/page');
const list = require('../../behaviors/list');
const services = require('../../services/index');
const { STATUS_FILTERS } = require('../../utils/status');
const { runAction } = require('../../utils/application-actions');
const { summary } = require('../../utils/application');
const subscribe = require('../../utils/subscribe');
const { go } = require('../../utils/nav');

Component({
  behaviors: [page, list],
  data: { status: '', finishedOnly: false, filters: STATUS_FILTERS },
  methods: {
    onLoad(query) {
      const q = query || {};
      const status = q.status || '';
      const finishedOnly = q.finished === 'true';
      this.setData({ finishedOnly, status: !finishedOnly && STATUS_FILTERS.some((f) => f.code === status) ? status : '' });
      if (finishedOnly) wx.setNavigationBarTitle({ title: '我要评' });
    },
    onShow() {
      // 提交 from the list asks for 订阅消息 inside the tap: the template is loaded beforehand
      subscribe.prepare(services.api);
      // reload on every show: an edit, submission or evaluation may have changed the list
      return this.reload();
    },
    fetchPage(cursor) {
      const params = { limit: 20, cursor: cursor || undefined };
      if (this.data.finishedOnly) params.finished = true;
      else params.status = this.data.status || undefined;
      return services.api.applications.mine(params);
    },
    mapItem(app) {
      return summary(app);
    },

    onTab(e) {
      this.setData({ status: e.detail.value });
      return this.reload();
    },
    onOpen(e) {
      go(`/pages/application/index?id=${encodeURIComponent(e.currentTarget.dataset.id)}`);
    },
    async onAction(e) {
      // the application's id, never a loop index (inside nested wx:for, `index` is the inner one)
      const { id, key } = e.currentTarget.dataset;
      const entry = this.data.items.find((i) => i.id === id);
      if (!entry) return;
      try {
        const result = await runAction(services.api, key, entry.raw);
        if (result.changed) await this.reload();
      } catch (err) {
        // shown by the request layer
      }
    },
  },
});
