/**
 * 办事指南 of one item (GET /catalog/items/{code}): every guide field, the 申请材料 table and
 * the 办理流程; items handled online offer 在线办理.
 *
 * 受理机构: the user picks one of the units that handle the item (the agency picker with the
 * item); the guide is then asked again with `?agency=` and shows what the server filled in:
 * that unit's 受理地点/办理时间, 咨询电话 and 收费 (`local_details` says which unit said each).
 */
const page = require('../../behaviors/page');
const services = require('../../services/index');
const { guideRows } = require('../../utils/catalog');
const { go } = require('../../utils/nav');

// The chosen unit's details the server fills in (`local_details`), in the order the card shows them.
const LOCAL_DETAILS = [
  { key: 'place', label: '受理地点' },
  { key: 'hours', label: '办理时间' },
  { key: 'phone', label: '咨询电话' },
  { key: 'fee', label: '收费' },
];

Component({
  behaviors: [page],
  data: {
    detail: null,
    rows: [],
    materials: [],
    process: [],
    loading: true,
    notFound: false,
    agency: null,
    localRows: [],
    pickerVisible: false,
  },
  methods: {
    async onLoad(query) {
      const code = decodeURIComponent((query && query.code) || '');
      // `?agency=` opens the guide as that unit fills it in (a link from 办件详情, the screens).
      const agency = query && query.agency ? decodeURIComponent(query.agency) : '';
      try {
        const item = await services.api.catalog.item(code, agency);
        this.show(item);
        wx.setNavigationBarTitle({ title: item.name });
      } catch (e) {
        this.setData({ notFound: true });
      } finally {
        this.setData({ loading: false });
      }
    },

    show(item) {
      const guide = item.guide || {};
      const local = item.local_details;
      this.setData({
        detail: item,
        agency: local ? local.agency : null,
        localRows: local ? LOCAL_DETAILS.filter((d) => local[d.key]).map((d) => ({
          key: d.key,
          label: d.label,
          text: local[d.key].value,
          // Said by a unit above the chosen one (its parent's details stand in for its own).
          from: local[d.key].agency.code === local.agency.code ? '' : `（${local[d.key].agency.name}公布）`,
        })) : [],
        rows: guideRows(guide),
        materials: (guide.materials || []).map((m) => Object.assign({}, m, {
          requiredText: m.required ? '必须' : '非必须',
        })),
        process: guide.process || [],
      });
    },

    onPickAgency() {
      this.setData({ pickerVisible: true });
    },

    onPicker(e) {
      this.setData({ pickerVisible: e.detail.visible });
    },

    /** The guide as the chosen unit fills it in. */
    async onAgencyConfirm(e) {
      this.setData({ pickerVisible: false });
      try {
        this.show(await services.api.catalog.item(this.data.detail.code, e.detail.code));
      } catch (err) {
        // the request layer showed the error; the guide stays as it was
      }
    },
    onApply() {
      go(`/pages/apply/index?item_code=${encodeURIComponent(this.data.detail.code)}`);
    },
  },
});
