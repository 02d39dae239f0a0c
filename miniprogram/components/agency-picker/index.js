/**
 * 选择海事机构: drill down 海事局 → 分支局 → 海事处. Choosing an agency shows it and its
 * subordinates (GET /agencies/{code}); the breadcrumb goes back up; a search box finds an
 * agency by name (GET /agencies?q=). 确定 emits `confirm` with {code, name, short_name}.
 *
 * With `item` (an item code) it offers only the units that handle the item: the tree of
 * GET /catalog/items/{item}/agencies, loaded once and walked here. Units above them are there
 * to reach them; 确定 takes only a unit that handles the item (`handles_item`).
 */
const services = require('../../services/index');

function ref(agency) {
  return agency ? { code: agency.code, name: agency.name, short_name: agency.short_name } : null;
}

Component({
  properties: {
    value: { type: String, value: '' },
    confirmText: { type: String, value: '确定' },
    item: { type: String, value: '' },
  },
  data: {
    current: null,
    ancestors: [],
    children: [],
    loading: false,
    keyword: '',
    results: [],
    searching: false,
    selectable: false,
  },
  lifetimes: {
    attached() {
      this.open(this.data.value);
    },
  },
  methods: {
    /** The item's tree, by code: {node, parent} (closed units and others are not in it). */
    async itemTree() {
      if (!this.byCode) {
        const roots = await services.api.catalog.agencies(this.data.item);
        const byCode = {};
        const walk = (nodes, parent) => nodes.forEach((node) => {
          byCode[node.code] = { node, parent };
          walk(node.children || [], node.code);
        });
        walk(roots, null);
        this.byCode = byCode;
        this.roots = roots;
      }
      return this.byCode;
    },

    /** A unit of the item's tree shown as `open` shows one of the whole tree. */
    async openInItemTree(code) {
      const byCode = await this.itemTree();
      const entry = byCode[code] || (this.roots.length ? byCode[this.roots[0].code] : null);
      if (!entry) return;
      const ancestors = [];
      for (let up = entry.parent; up; up = byCode[up].parent) ancestors.unshift(ref(byCode[up].node));
      this.setData({
        current: entry.node,
        ancestors,
        children: entry.node.children || [],
        selectable: !!entry.node.handles_item,
      });
      this.triggerEvent('change', ref(entry.node));
    },

    async rootCode() {
      const tree = await services.api.agencies.tree();
      const roots = tree; // GET /agencies answers the tree as an array
      return roots.length ? roots[0].code : null;
    },

    /** Shows one agency with its breadcrumb and direct subordinates, and selects it. */
    async open(code) {
      this.setData({ loading: true });
      try {
        if (this.data.item) {
          await this.openInItemTree(code);
          return;
        }
        const target = code || (await this.rootCode());
        if (!target) return;
        const detail = await services.api.agencies.get(target);
        this.setData({
          current: detail,
          ancestors: detail.ancestors || [],
          children: detail.children || [],
          selectable: true,
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
        if (this.data.item) {
          const byCode = await this.itemTree();
          const pathOf = (code) => {
            const names = [];
            for (let up = byCode[code].parent; up; up = byCode[up].parent) names.unshift(byCode[up].node.short_name);
            return names.join(' / ');
          };
          this.setData({
            results: Object.keys(byCode).map((code) => byCode[code].node)
              .filter((a) => a.handles_item && (a.name.indexOf(q) >= 0 || a.short_name.indexOf(q) >= 0))
              .map((a) => Object.assign({}, a, { path: pathOf(a.code) })),
          });
          return;
        }
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
      if (!this.data.current || !this.data.selectable) return;
      this.triggerEvent('confirm', ref(this.data.current));
    },
  },
});
