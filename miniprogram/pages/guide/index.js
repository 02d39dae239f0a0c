/**
 * 办事指南 of one item (GET /catalog/items/{code}): every guide field, the 申请材料 table and
 * the 办理流程; items handled online offer 在线办理.
 */
const page = require('../../behaviors/page');
const services = require('../../services/index');
const { guideRows } = require('../../utils/catalog');
const { go } = require('../../utils/nav');

Component({
  behaviors: [page],
  data: {
    detail: null,
    rows: [],
    materials: [],
    process: [],
    loading: true,
    notFound: false,
  },
  methods: {
    async onLoad(query) {
      const code = decodeURIComponent((query && query.code) || '');
      try {
        const item = await services.api.catalog.item(code);
        const guide = item.guide || {};
        this.setData({
          detail: item,
          rows: guideRows(guide),
          materials: (guide.materials || []).map((m) => Object.assign({}, m, {
            requiredText: m.required ? '必须' : '非必须',
          })),
          process: guide.process || [],
        });
        wx.setNavigationBarTitle({ title: item.name });
      } catch (e) {
        this.setData({ notFound: true });
      } finally {
        this.setData({ loading: false });
      }
    },
    onApply() {
      go(`/pages/apply/index?item_code=${encodeURIComponent(this.data.detail.code)}`);
    },
  },
});
