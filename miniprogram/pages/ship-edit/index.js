/**
 * 添加船舶 / 修改船舶 (我的船舶): name, IMO, MMSI, 呼号, 船旗国 (picked from the country list),
 * 船籍港, 船舶种类 and 总吨. Checked here with the server's rules; the server's 422 messages are shown
 * on their fields, 409 (the IMO number is already in the list) on the IMO field.
 */
const page = require('../../behaviors/page');
const services = require('../../services/index');
const handoff = require('../../utils/handoff');
const reference = require('../../utils/reference');
const ships = require('../../utils/ships');
const { back, go } = require('../../utils/nav');
const { toast } = require('../../utils/wxp');
const { bodyErrors } = require('../../utils/validators');
const { pageOf } = require('../../utils/format');

const EMPTY = ships.toValues({ flag: 'CN' });

Component({
  behaviors: [page],
  data: { id: '', values: EMPTY, flagName: '', errors: {}, busy: false, loading: false },
  methods: {
    async onLoad(query) {
      const id = decodeURIComponent((query && query.id) || '');
      wx.setNavigationBarTitle({ title: id ? '修改船舶' : '添加船舶' });
      this.setData({ id });
      if (!id) {
        await this.showFlag('CN');
        return;
      }
      this.setData({ loading: true });
      try {
        const ship = pageOf(await services.api.ships.list()).items.find((s) => s.id === id);
        if (!ship) {
          toast('未找到该船舶');
          back();
          return;
        }
        this.setData({ values: ships.toValues(ship) });
        await this.showFlag(ship.flag);
      } catch (e) {
        // shown by the request layer
      } finally {
        this.setData({ loading: false });
      }
    },
    async showFlag(code) {
      this.setData({ flagName: await reference.lookupDisplay(services.api, 'country', code) });
    },
    onInput(e) {
      const key = e.currentTarget.dataset.key;
      const errors = Object.assign({}, this.data.errors);
      delete errors[key];
      this.setData({ [`values.${key}`]: e.detail.value, errors });
    },
    onFlag() {
      handoff.put('picker', {
        kind: 'country',
        title: '选择船旗国',
        selected: this.data.values.flag ? [this.data.values.flag] : [],
        onSelect: (entries) => {
          const entry = entries && entries[0];
          if (!entry) return;
          reference.remember('country', entry);
          const errors = Object.assign({}, this.data.errors);
          delete errors.flag;
          this.setData({ 'values.flag': entry.id, flagName: reference.display('country', entry), errors });
        },
      });
      go('/pages/picker/index?kind=country');
    },
    async onSave() {
      const errors = ships.check(this.data.values);
      this.setData({ errors });
      if (Object.keys(errors).length || this.data.busy) return;
      this.setData({ busy: true });
      const body = ships.toBody(this.data.values);
      try {
        if (this.data.id) await services.api.ships.update(this.data.id, body);
        else await services.api.ships.add(body);
        toast(this.data.id ? '已保存' : '已添加', 'success');
        back();
      } catch (err) {
        if (err && err.status === 409) this.setData({ errors: { imo_number: err.detail || err.title } });
        else if (err && err.errors) this.setData({ errors: bodyErrors(err) });
      } finally {
        this.setData({ busy: false });
      }
    },
  },
});
