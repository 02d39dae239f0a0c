/**
 * 法人/船舶用户登录 (manual §3.2.2.2): 用户名 and 密码 (also how officers and staff sign in).
 */
const page = require('../../behaviors/page');
const services = require('../../services/index');
const { leaveLogin } = require('../../utils/nav');
const { refreshUnread } = require('../../utils/messages');
const { rules, checkForm } = require('../../utils/validators');
const { toast } = require('../../utils/wxp');

Component({
  behaviors: [page],
  data: { username: '', password: '', errors: {}, busy: false },
  methods: {
    onUsername(e) {
      this.setData({ username: e.detail.value, 'errors.username': '' });
    },
    onPassword(e) {
      this.setData({ password: e.detail.value, 'errors.password': '' });
    },
    async onLogin() {
      const errors = checkForm(this.data, { username: rules.required('用户名'), password: rules.required('密码') });
      this.setData({ errors });
      if (Object.keys(errors).length || this.data.busy) return;
      this.setData({ busy: true });
      try {
        await services.auth.loginPassword(this.data.username.trim(), this.data.password);
        toast('登录成功', 'success');
        refreshUnread();
        leaveLogin();
      } catch (err) {
        // 用户名或密码错误 shown by the request layer
      } finally {
        this.setData({ busy: false });
      }
    },
  },
});
