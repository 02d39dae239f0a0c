/**
 * 设置新密码 after the face check: `?mode=reset` (忘记密码, POST /auth/password/reset) or
 * `?mode=change` (修改密码, PUT /me/password).
 */
const page = require('../../behaviors/page');
const services = require('../../services/index');
const handoff = require('../../utils/handoff');
const { back, go } = require('../../utils/nav');
const { rules, checkForm, sameAs, bodyErrors } = require('../../utils/validators');
const { toast } = require('../../utils/wxp');

Component({
  behaviors: [page],
  data: { mode: 'reset', password: '', password2: '', errors: {}, busy: false, expired: false },
  methods: {
    onLoad(query) {
      const mode = query && query.mode === 'change' ? 'change' : 'reset';
      const handed = handoff.take('face-proof');
      const purpose = mode === 'change' ? 'change_password' : 'reset_password';
      this.proof = handed && handed.purpose === purpose ? handed.proof : null;
      this.setData({ mode, expired: !this.proof });
    },
    onInput(e) {
      const key = e.currentTarget.dataset.key;
      this.setData({ [key]: e.detail.value, [`errors.${key}`]: '' });
    },
    async onSave() {
      const errors = checkForm(this.data, { password: rules.password, password2: sameAs('password') });
      this.setData({ errors });
      if (Object.keys(errors).length || this.data.busy || !this.proof) return;
      this.setData({ busy: true });
      const body = Object.assign({}, this.proof, { new_password: this.data.password });
      try {
        if (this.data.mode === 'change') {
          await services.api.me.changePassword(body);
          toast('密码修改成功', 'success');
          back();
        } else {
          await services.auth.resetPassword(body);
          toast('密码已重置', 'success');
          go('/pages/login/index');
        }
      } catch (err) {
        if (err && err.status === 422) this.setData({ errors: { password: bodyErrors(err).new_password || err.title } });
        if (err && err.code && /^auth\.face/.test(err.code)) this.setData({ expired: true });
      } finally {
        this.setData({ busy: false });
      }
    },
    onRetry() {
      const purpose = this.data.mode === 'change' ? 'change_password' : 'reset_password';
      wx.redirectTo({ url: `/pages/face/index?purpose=${purpose}` });
    },
  },
});
