/**
 * 选择海事机构 (manual §3.1.2): 确定 keeps the choice (storage) and returns to 首页, whose
 * catalog is then filtered by it.
 */
const page = require('../../behaviors/page');
const store = require('../../utils/store');
const { go } = require('../../utils/nav');

Component({
  behaviors: [page],
  data: { current: '', ready: false },
  methods: {
    onLoad() {
      const agency = store.get('agency');
      this.setData({ current: agency ? agency.code : '', ready: true });
    },
    onConfirm(e) {
      store.set('agency', e.detail);
      go('/pages/home/index');
    },
    onAll() {
      store.set('agency', null);
      go('/pages/home/index');
    },
  },
});
