/**
 * The online form of any online item (manual §3.4), driven by the item's form_schema, steps and
 * material_slots: one step at a time (上一步 / 下一步), then 保存 (draft in 我的办件),
 * 提交 or 取消. `?item_code=` starts a new application, `?id=` edits a saved one.
 * Server validation errors are shown on their fields and the form jumps to their step.
 * Editing an application that is 待补正 lists what to 补正 (each item with its reason and step)
 * and marks those fields and material slots until they are changed.
 */
const page = require('../../behaviors/page');
const services = require('../../services/index');
const config = require('../../config');
const onlineItems = require('../../utils/online-items');
const appForm = require('../../utils/application-form');
const { setIn } = require('../../utils/schema-form');
const subscribe = require('../../utils/subscribe');
const { back } = require('../../utils/nav');
const { confirm, toast } = require('../../utils/wxp');
const { supplementView, supplementMarks } = require('../../utils/supplement');

function without(map, key) {
  const copy = Object.assign({}, map);
  Object.keys(copy).forEach((k) => {
    if (k === key || k.indexOf(`${key}.`) === 0) delete copy[k];
  });
  return copy;
}

/**
 * What the server fills in when 联系人 is left empty: the account's name (a company's 经办人)
 * and phone, as the user sees them (masked).
 */
function defaultContact(user) {
  if (!user) return '';
  const name = user.corporate ? user.corporate.operator_name : user.display_name;
  return [name, user.phone].filter(Boolean).join('，');
}

Component({
  behaviors: [page],
  data: {
    loading: true,
    failed: false,
    onlineItem: null,
    steps: [],
    stepIndex: 0,
    step: null,
    isLast: false,
    form: {},
    materials: {},
    agency: null,
    contactName: '',
    contactPhone: '',
    storedContactName: '',
    storedContactPhone: '',
    defaultContact: '',
    errors: {},
    slotErrors: {},
    agencyError: '',
    general: [],
    supplement: null,
    applicationId: '',
    version: null,
    busy: false,
    fillExample: config.devFillExample,
  },
  methods: {
    async onLoad(query) {
      const q = query || {};
      subscribe.prepare(services.api);
      this.setData({ defaultContact: defaultContact(services.auth.user()) });
      try {
        let state = null;
        let request = null;
        let itemCode = q.item_code ? decodeURIComponent(q.item_code) : '';
        if (q.id) {
          const app = await services.api.applications.get(decodeURIComponent(q.id));
          itemCode = app.item.code;
          state = appForm.stateFromApplication(app);
          request = app.supplement_request || null;
          this.setData({ applicationId: app.id, version: app.version });
        }
        const item = await onlineItems.find(itemCode);
        if (!item) throw new Error(`not an online item: ${itemCode}`);
        const steps = appForm.describeSteps(item);
        this.setData(Object.assign({ onlineItem: item, steps }, state || {}));
        if (request) {
          const marks = supplementMarks(request);
          this.setData({ supplement: supplementView(request, steps), errors: marks.errors, slotErrors: marks.slotErrors });
        }
        this.goStep(0);
        wx.setNavigationBarTitle({ title: item.name });
      } catch (e) {
        this.setData({ failed: true });
      } finally {
        this.setData({ loading: false });
      }
    },

    state() {
      const d = this.data;
      return {
        form: d.form,
        materials: d.materials,
        agency: d.agency,
        contactName: d.contactName,
        contactPhone: d.contactPhone,
        storedContactName: d.storedContactName,
        storedContactPhone: d.storedContactPhone,
      };
    },

    goStep(index) {
      const i = Math.max(0, Math.min(index, this.data.steps.length - 1));
      this.setData({ stepIndex: i, step: this.data.steps[i], isLast: i === this.data.steps.length - 1 });
      if (wx.pageScrollTo) wx.pageScrollTo({ scrollTop: 0, duration: 0 });
    },

    onFieldChange(e) {
      const { path, value } = e.detail;
      this.setData({ form: setIn(this.data.form, path, value), errors: without(this.data.errors, path) });
    },
    onSlotChange(e) {
      const { slot, material } = e.detail;
      const materials = Object.assign({}, this.data.materials);
      if (material) materials[slot] = material;
      else delete materials[slot];
      this.setData({ materials, slotErrors: without(this.data.slotErrors, slot) });
    },
    onAgencyConfirm(e) {
      this.setData({ agency: { code: e.detail.code, name: e.detail.name }, agencyError: '' });
      toast('已选择受理机构', 'success');
    },
    onContactName(e) {
      this.setData({ contactName: e.detail.value });
    },
    onContactPhone(e) {
      this.setData({ contactPhone: e.detail.value, slotErrors: without(this.data.slotErrors, '_contactPhone') });
    },
    onFillExample() {
      this.setData({ form: JSON.parse(JSON.stringify(this.data.onlineItem.example || {})), errors: {} });
    },

    showCheck(result) {
      this.setData({
        errors: Object.assign({}, this.data.errors, result.errors),
        slotErrors: Object.assign({}, this.data.slotErrors, result.slotErrors),
        agencyError: result.agencyError || '',
      });
    },

    /** A tap on an item of the 补正 list: to the step where it is filled in. */
    onSupplementItem(e) {
      const step = Number(e.currentTarget.dataset.step);
      if (step >= 0) this.goStep(step);
    },

    onPrev() {
      this.goStep(this.data.stepIndex - 1);
    },
    onNext() {
      const result = appForm.checkStep(this.data.onlineItem, this.data.step, this.state());
      if (!result.ok) {
        this.showCheck(result);
        toast('请完善本页信息');
        return;
      }
      this.setData({ general: [] });
      this.goStep(this.data.stepIndex + 1);
    },

    /** Creates the draft or saves the changes; resolves the application. */
    async save() {
      const body = appForm.buildBody(this.data.onlineItem, this.state(), Boolean(this.data.applicationId));
      this.lastBody = body;
      const { applications } = services.api;
      const app = this.data.applicationId
        ? await applications.update(this.data.applicationId, body, this.data.version)
        : await applications.create(body);
      this.setData({ applicationId: app.id, version: app.version });
      return app;
    },

    showServerErrors(err) {
      if (!err || err.status !== 422) return;
      const placed = appForm.placeServerErrors(this.data.onlineItem, err, this.lastBody);
      this.setData({
        errors: placed.errors,
        slotErrors: placed.slotErrors,
        agencyError: placed.agencyError,
        general: placed.general,
      });
      if (placed.step >= 0) this.goStep(placed.step);
    },

    async run(task) {
      if (this.data.busy) return null;
      // The buttons show `busy` as their loading state; a second tap is ignored meanwhile.
      this.setData({ busy: true, general: [] });
      try {
        return await task();
      } catch (err) {
        this.showServerErrors(err);
        return null;
      } finally {
        this.setData({ busy: false });
      }
    },

    /** 保存: kept in 个人中心 - 我的办件, can be edited and submitted later. */
    onSave() {
      return this.run(async () => {
        const app = await this.save();
        toast('已保存到“我的办件”', 'none');
        return app;
      });
    },

    /** 提交: checks every step, saves, then submits (status 待受理). */
    onSubmit() {
      const result = appForm.checkAll(this.data.onlineItem, this.state());
      if (!result.ok) {
        this.showCheck(result);
        this.goStep(result.step);
        toast('请完善申请信息');
        return Promise.resolve(null);
      }
      // 提交 (a 补正 resubmitted too) is when the applicant expects news: WeChat only shows the
      // subscribe dialog from a tap, so it is asked now, before the network calls.
      const asked = subscribe.ask(services.api);
      return this.run(async () => {
        await this.save();
        const submitted = await services.api.applications.submit(this.data.applicationId, this.data.version);
        toast('提交成功', 'success');
        await asked;
        wx.redirectTo({ url: `/pages/application/index?id=${encodeURIComponent(submitted.id)}` });
        return submitted;
      });
    },

    /** 取消: leave the form (what was saved stays in 我的办件). */
    async onCancel() {
      const ok = await confirm('确定取消办理吗？未保存的内容将不会保留。');
      if (ok) back();
    },
  },
});
