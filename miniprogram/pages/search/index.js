/**
 * 事项查询 (manual §3.1.3): search by name or pinyin, filter by 服务对象 / 按业务 /
 * 按事项性质 / 在线办理 (labels and counts from GET /catalog/facets), narrowed to the chosen
 * 海事机构; infinite scroll over GET /catalog/items (cursor). Tapping an item opens its 办事指南.
 */
const page = require('../../behaviors/page');
const list = require('../../behaviors/list');
const services = require('../../services/index');
const store = require('../../utils/store');
const { FILTER_GROUPS } = require('../../utils/catalog');
const { go } = require('../../utils/nav');

const PAGE_SIZE = 20;
const DEBOUNCE_MS = 400;

Component({
  behaviors: [page, list],
  data: {
    q: '',
    focus: false,
    filters: { audience: '', business: '', nature: '', online: false },
    groups: [],
    onlineCount: 0,
    agencyName: '',
  },
  methods: {
    onLoad(query) {
      const q = query || {};
      const agency = store.get('agency');
      this.setData({
        q: q.q ? decodeURIComponent(q.q) : '',
        focus: q.focus === '1',
        agencyName: agency ? agency.name : '',
        filters: {
          audience: q.audience || '',
          business: q.business || '',
          nature: q.nature || '',
          online: q.online === 'true' || q.online === '1',
        },
      });
      return Promise.all([this.loadFacets(), this.reload()]);
    },
    onUnload() {
      clearTimeout(this.debounceTimer);
    },

    params() {
      const agency = store.get('agency');
      const f = this.data.filters;
      return {
        q: this.data.q.trim() || undefined,
        audience: f.audience || undefined,
        business: f.business || undefined,
        nature: f.nature || undefined,
        online: f.online ? true : undefined,
        agency: agency ? agency.code : undefined,
      };
    },

    fetchPage(cursor) {
      return services.api.catalog.items(Object.assign(this.params(), { limit: PAGE_SIZE, cursor: cursor || undefined }));
    },

    async loadFacets() {
      try {
        const agency = store.get('agency');
        const facets = await services.api.catalog.facets({ agency: agency ? agency.code : undefined });
        this.setData({
          groups: FILTER_GROUPS.map((g) => ({
            key: g.key,
            label: g.label,
            options: [{ code: '', label: '全部' }].concat(facets[g.key] || []),
          })),
          onlineCount: (facets.online && facets.online.count) || 0,
        });
      } catch (e) {
        // filters stay hidden; the list still works
      }
    },

    onKeyword(e) {
      this.setData({ q: e.detail.value });
      clearTimeout(this.debounceTimer);
      this.debounceTimer = setTimeout(() => this.reload(), DEBOUNCE_MS);
    },
    onSubmit() {
      clearTimeout(this.debounceTimer);
      return this.reload();
    },
    onClear() {
      this.setData({ q: '' });
      return this.onSubmit();
    },
    onFilter(e) {
      const { group, code } = e.currentTarget.dataset;
      this.setData({ [`filters.${group}`]: this.data.filters[group] === code ? '' : code });
      return this.reload();
    },
    onToggleOnline() {
      this.setData({ 'filters.online': !this.data.filters.online });
      return this.reload();
    },
    onItem(e) {
      go(`/pages/guide/index?code=${encodeURIComponent(e.currentTarget.dataset.code)}`);
    },
  },
});
