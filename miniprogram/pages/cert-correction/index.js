/**
 * 证照纠错 (manual §3.3.4): which field is wrong, the correct value, the reason and optional
 * supporting material → POST /me/certificates/{id}/corrections; then 我的纠错 shows its progress.
 */
const page = require('../../behaviors/page');
const services = require('../../services/index');
const { rules, checkForm, bodyErrors } = require('../../utils/validators');
const { toast } = require('../../utils/wxp');

const EVIDENCE_SLOT = { slot: 'evidence', name: '证明材料（选填）', required: false };

Component({
  behaviors: [page],
  data: {
    certificate: null,
    fields: [],
    fieldLabels: [],
    fieldIndex: -1,
    current: '',
    proposedValue: '',
    reason: '',
    material: null,
    evidenceSlot: EVIDENCE_SLOT,
    errors: {},
    busy: false,
  },
  methods: {
    async onLoad(query) {
      this.id = decodeURIComponent((query && query.id) || '');
      try {
        const certificate = await services.api.certificates.get(this.id);
        // the fields the holder may ask to correct (correctable_fields), with what they read now
        const fields = certificate.correctable_fields.map((f) => {
          const shown = certificate.fields.find((x) => x.key === f.key);
          return { key: f.key, label: f.label, value: shown ? shown.value : '' };
        });
        this.setData({ certificate, fields, fieldLabels: fields.map((f) => f.label) });
      } catch (e) {
        // shown by the request layer
      }
    },
    onField(e) {
      const i = Number(e.detail.value);
      const f = this.data.fields[i];
      this.setData({ fieldIndex: i, current: f && f.value ? String(f.value) : '', 'errors.field': '' });
    },
    onInput(e) {
      const key = e.currentTarget.dataset.key;
      this.setData({ [key]: e.detail.value, [`errors.${key}`]: '' });
    },
    onMaterial(e) {
      this.setData({ material: e.detail.material });
    },
    async onSubmit() {
      const field = this.data.fields[this.data.fieldIndex];
      const errors = checkForm(this.data, {
        proposedValue: rules.required('更正后的内容'),
        reason: rules.required('纠错原因'),
      });
      if (!field) errors.field = '请选择纠错项';
      this.setData({ errors });
      if (Object.keys(errors).length || this.data.busy) return;
      this.setData({ busy: true });
      try {
        const body = { field: field.key, proposed_value: this.data.proposedValue.trim(), reason: this.data.reason.trim() };
        if (this.data.material) body.material_ids = [this.data.material.id];
        await services.api.certificates.correct(this.id, body);
        toast('已提交纠错申请', 'success');
        wx.redirectTo({ url: '/pages/corrections/index' });
      } catch (err) {
        if (err && err.status === 422) {
          const f = bodyErrors(err);
          this.setData({ errors: { field: f.field || '', proposedValue: f.proposed_value || '', reason: f.reason || '' } });
        }
      } finally {
        this.setData({ busy: false });
      }
    },
  },
});
