/**
 * 我的船舶 (corporate and ship accounts): the ships the account reports for, as the online
 * forms (不合规燃油信息报告, 因燃油导致发动机故障报告) pick them. 添加船舶, tap a ship to
 * edit it, 删除 with confirmation.
 */
const page = require('../../behaviors/page');
const services = require('../../services/index');
const { go } = require('../../utils/nav');
const { confirm, toast } = require('../../utils/wxp');
const { pageOf } = require('../../utils/format');
const { shipView } = require('../../utils/ships');

Component({
  behaviors: [page],
  data: { ships: [], loading: true, loadError: false },
  methods: {
    onShow() {
      return this.load();
    },
    async load() {
      this.setData({ loading: true, loadError: false });
      try {
        const res = await services.api.ships.list();
        this.setData({ ships: pageOf(res).items.map(shipView), loading: false });
      } catch (e) {
        this.setData({ loading: false, loadError: true });
      }
    },
    onAdd() {
      go('/pages/ship-edit/index');
    },
    onEdit(e) {
      go(`/pages/ship-edit/index?id=${encodeURIComponent(e.currentTarget.dataset.id)}`);
    },
    async onRemove(e) {
      const ship = this.data.ships.find((s) => s.id === e.currentTarget.dataset.id);
      if (!ship || !(await confirm(`确定删除船舶“${ship.name}”吗？已提交的办件不受影响。`, '删除船舶'))) return;
      try {
        await services.api.ships.remove(ship.id);
        toast('已删除', 'success');
        await this.load();
      } catch (err) {
        // shown by the request layer
      }
    },
  },
});
