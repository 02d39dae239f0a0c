/**
 * 我的办件 (manual §3.3.2): the applications by status, each with the actions its state allows
 * (编辑, 取消, 撤回, 查看受理通知书, 评价 …).
 */
const page = require('../../behaviors/page');
const list = require('../../behaviors/list');
const services = require('../../services/index');
const { STATUS_FILTERS } = require('../../utils/status');
const { runAction } = require('../../utils/application-actions');
const { summary, codeOf } = require('../../utils/application');
const onlineItems = require('../../utils/online-items');
const { go } = require('../../utils/nav');

Component({
  behaviors: [page, list],
  data: { status: '', filters: STATUS_FILTERS },
  methods: {
    onLoad(query) {
      const status = (query && query.status) || '';
      this.setData({ status: STATUS_FILTERS.some((f) => f.code === status) ? status : '' });
    },
    async onShow() {
      // 取消 or 撤回 depends on the item (after_submit), which list entries do not carry
      if (!this.afterSubmit) {
        this.afterSubmit = {};
        try {
          (await onlineItems.load()).forEach((i) => {
            this.afterSubmit[i.item_code] = i.after_submit;
          });
        } catch (e) {
          // the list still shows; 取消/撤回 appear in the detail
        }
      }
      // reload on every show: an edit, submission or evaluation may have changed the list
      return this.reload();
    },
    fetchPage(cursor) {
      return services.api.applications.mine({ status: this.data.status || undefined, limit: 20, cursor: cursor || undefined });
    },
    mapItem(app) {
      const code = app.item_code || codeOf(app.item);
      return summary(app, { after_submit: app.after_submit || (this.afterSubmit || {})[code] });
    },

    onTab(e) {
      this.setData({ status: e.detail.value });
      return this.reload();
    },
    onOpen(e) {
      go(`/pages/application/index?id=${encodeURIComponent(e.currentTarget.dataset.id)}`);
    },
    async onAction(e) {
      const { index, key } = e.currentTarget.dataset;
      const entry = this.data.items[Number(index)];
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
