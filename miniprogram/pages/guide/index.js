/**
 * 办事指南, from one of two sources, drawn by the one template:
 *
 * - an item (`?code=`, GET /catalog/items/{code}): the current guide, every guide field, the
 *   申请材料 table and the 办理流程; items handled online offer 在线办理. 受理机构: the user picks
 *   one of the units that handle the item (the agency picker with the item); the guide is then
 *   asked again with `?agency=` and shows what the server filled in: that unit's 受理地点/办理时间,
 *   咨询电话 and 收费 (`local_details` says which unit said each).
 * - an application (`?application=`, GET /applications/{id}/guide, from 办件详情): the guide as
 *   the dataset version the application was first submitted under held it, filled in for its
 *   受理机构. Later publishes do not change it, so the page says which version it is; the agency is
 *   the application's (no picker) and there is no 在线办理. `&draft=1`: not submitted yet, the
 *   server answers the current version.
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

/** The item's guide (CatalogItemDetail) as the page shows it. */
function fromItem(item) {
  const local = item.local_details;
  return {
    detail: item,
    snapshot: null,
    agency: local ? local.agency : null,
    localRows: local ? LOCAL_DETAILS.filter((d) => local[d.key]).map((d) => ({
      key: d.key,
      label: d.label,
      text: local[d.key].value,
      // Said by a unit above the chosen one (its parent's details stand in for its own).
      from: local[d.key].agency.code === local.agency.code ? '' : `（${local[d.key].agency.name}公布）`,
    })) : [],
    guide: item.guide || {},
  };
}

/** An application's guide (ApplicationGuide) as the page shows it: its version said, its agency fixed. */
function fromApplication(answer, draft) {
  const agency = answer.agency;
  return {
    detail: { code: answer.item_code, name: answer.item_name, online: false },
    snapshot: {
      version: answer.version,
      notice: draft
        ? `该办件尚未提交，以下为现行（第 ${answer.version} 版）办事指南，提交后以提交时的版本为准`
        : `以下为该办件提交时（第 ${answer.version} 版）的办事指南，之后的调整不影响本办件`,
    },
    agency,
    localRows: agency ? [
      { key: 'address', label: '地址', text: agency.address || '', from: '' },
      { key: 'phone', label: '电话', text: agency.phone || '', from: '' },
    ].filter((r) => r.text) : [],
    guide: answer.guide || {},
  };
}

Component({
  behaviors: [page],
  data: {
    detail: null,
    snapshot: null,
    rows: [],
    materials: [],
    process: [],
    loading: true,
    notFound: false,
    failed: '',
    byApplication: false,
    agency: null,
    localRows: [],
    pickerVisible: false,
  },
  methods: {
    onLoad(query) {
      const q = query || {};
      this.code = decodeURIComponent(q.code || '');
      // `?agency=` opens the guide as that unit fills it in (the screens).
      this.agencyCode = q.agency ? decodeURIComponent(q.agency) : '';
      this.application = q.application ? decodeURIComponent(q.application) : '';
      this.draft = q.draft === '1';
      this.setData({ byApplication: !!this.application });
      return this.load();
    },

    async load() {
      this.setData({ loading: true, notFound: false, failed: '' });
      try {
        const view = this.application
          ? fromApplication(await services.api.applications.guide(this.application), this.draft)
          : fromItem(await services.api.catalog.item(this.code, this.agencyCode));
        this.show(view);
        wx.setNavigationBarTitle({ title: view.detail.name });
      } catch (e) {
        // The request layer showed the error as a toast; the page says what is missing.
        if (!this.application || (e && e.status === 404)) this.setData({ notFound: true });
        else this.setData({ failed: (e && e.title) || '加载失败' });
      } finally {
        this.setData({ loading: false });
      }
    },

    onRetry() {
      return this.load();
    },

    /** The one rendering of both sources. */
    show(view) {
      const guide = view.guide;
      this.setData({
        detail: view.detail,
        snapshot: view.snapshot,
        agency: view.agency,
        localRows: view.localRows,
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
        this.show(fromItem(await services.api.catalog.item(this.data.detail.code, e.detail.code)));
      } catch (err) {
        // the request layer showed the error; the guide stays as it was
      }
    },
    onApply() {
      go(`/pages/apply/index?item_code=${encodeURIComponent(this.data.detail.code)}`);
    },
  },
});
