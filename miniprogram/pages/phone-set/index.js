/**
 * 设置新手机号码 after the face check (PUT /me/phone).
 */
const page = require('../../behaviors/page');
const services = require('../../services/index');
const handoff = require('../../utils/handoff');
const { back } = require('../../utils/nav');
const { rules, checkForm, bodyErrors } = require('../../utils/validators');
const { toast } = require('../../utils/wxp');

Component({
  behaviors: [page],
  data: { phone: '', errors: {}, busy: false, expired: false },
  methods: {
    onLoad() {
      const handed = handoff.take('face-proof');
      this.proof = handed && handed.purpose === 'change_phone' ? handed.proof : null;
      this.setData({ expired: !this.proof });
    },
    onPhone(e) {
      this.setData({ phone: e.detail.value, 'errors.phone': '' });
    },
    async onSave() {
      const errors = checkForm(this.data, { phone: rules.phone });
      this.setData({ errors });
      if (Object.keys(errors).length || this.data.busy || !this.proof) return;
      this.setData({ busy: true });
      try {
        const me = await services.api.me.changePhone(Object.assign({}, this.proof, { new_phone: this.data.phone.trim() }));
        if (me && me.id) services.tokens.setUser(me);
        toast('手机号码已修改', 'success');
        back();
      } catch (err) {
        if (err && err.status === 422) this.setData({ errors: { phone: bodyErrors(err).new_phone || err.title } });
        if (err && err.code && /^auth\.face/.test(err.code)) this.setData({ expired: true });
      } finally {
        this.setData({ busy: false });
      }
    },
    onRetry() {
      wx.redirectTo({ url: '/pages/face/index?purpose=change_phone' });
    },
  },
});
