/**
 * 选择海事机构: drill down 海事局 → 分支局 → 海事处. Choosing an agency shows it and its
 * subordinates (GET /agencies/{code}); the breadcrumb goes back up; a search box finds an
 * agency by name (GET /agencies?q=). 确定 emits `confirm` with {code, name, short_name}.
 */
const services = require('../../services/index');

function ref(agency) {
  return agency ? { code: agency.code, name: agency.name, short_name: agency.short_name } : null;
}

Component({
  properties: {
    value: { type: String, value: '' },
    confirmText: { type: String, value: '确定' },
  },
  data: {
    current: null,
    ancestors: [],
    children: [],
    loading: false,
    keyword: '',
    results: [],
    searching: false,
  },
  lifetimes: {
    attached() {
      this.open(this.data.value);
    },
  },
  methods: {
    async rootCode() {
      const tree = await services.api.agencies.tree();
      const roots = tree; // GET /agencies answers the tree as an array
      return roots.length ? roots[0].code : null;
    },

    /** Shows one agency with its breadcrumb and direct subordinates, and selects it. */
    async open(code) {
      this.setData({ loading: true });
      try {
        const target = code || (await this.rootCode());
        if (!target) return;
        const detail = await services.api.agencies.get(target);
        this.setData({
          current: detail,
          ancestors: detail.ancestors || [],
          children: detail.children || [],
        });
        this.triggerEvent('change', ref(detail));
      } catch (e) {
        // the request layer showed the error
      } finally {
        this.setData({ loading: false });
      }
    },

    onOpen(e) {
      this.setData({ keyword: '', results: [] });
      return this.open(e.currentTarget.dataset.code);
    },

    onKeyword(e) {
      this.setData({ keyword: e.detail.value });
    },

    async onSearch() {
      const q = this.data.keyword.trim();
      if (!q) {
        this.setData({ results: [] });
        return;
      }
      this.setData({ searching: true });
      try {
        const res = await services.api.agencies.tree(q);
        const list = res; // the matches, as an array
        this.setData({
          results: list.map((a) => Object.assign({}, a, {
            path: a.ancestors.map((x) => x.short_name).join(' / '),
          })),
        });
      } catch (e) {
        // shown by the request layer
      } finally {
        this.setData({ searching: false });
      }
    },

    onClearSearch() {
      this.setData({ keyword: '', results: [] });
    },

    onConfirm() {
      if (!this.data.current) return;
      this.triggerEvent('confirm', ref(this.data.current));
    },
  },
});
