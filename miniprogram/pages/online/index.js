/**
 * 在线办理 (manual §3.4.1): the items that can be handled online; tapping one opens its form.
 */
const page = require('../../behaviors/page');
const services = require('../../services/index');
const onlineItems = require('../../utils/online-items');
const { go, requireLogin } = require('../../utils/nav');

Component({
  behaviors: [page],
  data: { items: [], loading: true, error: false },
  methods: {
    onLoad() {
      return this.load(false);
    },
    onPullDownRefresh() {
      return this.load(true).then(() => wx.stopPullDownRefresh());
    },
    async load(force) {
      this.setData({ loading: true, error: false });
      try {
        const items = await onlineItems.load(force);
        this.setData({
          items: items.map((i) => ({
            item_code: i.item_code,
            name: i.name,
            nature: (i.nature && i.nature.label) || '',
            steps: (i.steps || []).length,
          })),
        });
      } catch (e) {
        this.setData({ error: true });
      } finally {
        this.setData({ loading: false });
      }
    },
    onItem(e) {
      const code = e.currentTarget.dataset.code;
      if (!requireLogin(services.auth)) return;
      go(`/pages/apply/index?item_code=${encodeURIComponent(code)}`);
    },
    onGuide(e) {
      go(`/pages/guide/index?code=${encodeURIComponent(e.currentTarget.dataset.code)}`);
    },
  },
});
