/**
 * The picker pages of the online forms: 选择船舶 (我的船舶), 选择燃油供应商公司, 选择港口,
 * 选择国家（地区）and 选择不符合的规定项 (multi-select). Opened by a form field, which hands
 * over {kind, multiple, title, selected, onSelect} (utils/handoff); a choice is passed back
 * through onSelect and the page closes.
 */
const page = require('../../behaviors/page');
const list = require('../../behaviors/list');
const services = require('../../services/index');
const handoff = require('../../utils/handoff');
const { KINDS } = require('../../utils/reference');
const { back, go } = require('../../utils/nav');
const { toast } = require('../../utils/wxp');

const PAGE_SIZE = 50;

Component({
  behaviors: [page, list],
  data: {
    kind: '',
    multiple: false,
    searchable: false,
    q: '',
    selectedCount: 0,
    allowOther: false,
    isShip: false,
  },
  methods: {
    onLoad(query) {
      const request = handoff.take('picker') || {};
      const kind = request.kind || (query && query.kind) || '';
      const spec = KINDS[kind];
      if (!spec) return Promise.resolve();
      this.request = request;
      this.spec = spec;
      this.selected = {};
      (request.selected || []).forEach((code) => {
        this.selected[code] = { id: code };
      });
      this.setData({
        kind,
        multiple: Boolean(request.multiple || (query && query.multiple === '1')),
        searchable: spec.searchable,
        allowOther: Boolean(request.allowOther),
        isShip: kind === 'ship',
        selectedCount: Object.keys(this.selected).length,
      });
      wx.setNavigationBarTitle({ title: request.title || spec.title });
      return this.reload();
    },

    fetchPage(cursor) {
      return this.spec.fetch(services.api, { q: this.data.q.trim() || undefined, limit: PAGE_SIZE, cursor: cursor || undefined });
    },

    mapItem(entry) {
      const code = this.data.kind === 'ship' ? entry.imo_number || entry.id : entry.id;
      if (this.selected[code]) this.selected[code] = entry;
      return {
        code,
        label: this.spec.label(entry),
        note: this.spec.note(entry),
        checked: Boolean(this.selected[code]),
        entry,
      };
    },

    onKeyword(e) {
      this.setData({ q: e.detail.value });
      clearTimeout(this.timer);
      this.timer = setTimeout(() => this.reload(), 300);
    },
    onSubmit() {
      clearTimeout(this.timer);
      return this.reload();
    },
    onUnload() {
      clearTimeout(this.timer);
    },

    finish(entries) {
      if (this.request && typeof this.request.onSelect === 'function') this.request.onSelect(entries);
      back();
    },

    onPick(e) {
      const it = this.data.items[Number(e.currentTarget.dataset.index)];
      if (!it) return;
      if (!this.data.multiple) {
        this.finish([it.entry]);
        return;
      }
      const index = Number(e.currentTarget.dataset.index);
      if (this.selected[it.code]) delete this.selected[it.code];
      else this.selected[it.code] = it.entry;
      this.setData({ [`items[${index}].checked`]: Boolean(this.selected[it.code]), selectedCount: Object.keys(this.selected).length });
    },

    /** 其他（手动填写）: the supplier is not on the list; the form shows fields to type it in. */
    onOther() {
      this.finish([{ other: true }]);
    },

    /** 添加船舶 (a new company has none yet): 我的船舶's form; the list reloads on return. */
    onAddShip() {
      this.needsReload = true;
      go('/pages/ship-edit/index');
    },
    onShow() {
      if (!this.needsReload) return Promise.resolve();
      this.needsReload = false;
      return this.reload();
    },

    onConfirm() {
      const entries = Object.keys(this.selected).map((code) => this.selected[code]);
      if (!entries.length) {
        toast('请至少选择一项');
        return;
      }
      this.finish(entries);
    },
  },
});
