/**
 * 法人/船舶用户登录 (manual §3.2.2.2): 用户名 and 密码 (also how officers and staff sign in).
 *
 * Officers, staff and administrators continue with a second factor (等保 level 3):
 * - `code`: the 6-digit code of their authenticator app, or one of their recovery codes;
 * - `enrol`: first sign-in: scan the QR code (or type the key) into an authenticator, confirm
 *   with a code, then `recovery`: the ten recovery codes, shown this once;
 * - `expired`: a password older than its validity is replaced first, then the second factor.
 */
const page = require('../../behaviors/page');
const services = require('../../services/index');
const { go, leaveLogin } = require('../../utils/nav');
const { refreshUnread } = require('../../utils/messages');
const { rules, checkForm, sameAs, bodyErrors } = require('../../utils/validators');
const { svgDataUrl } = require('../../utils/svg');
const { toast } = require('../../utils/wxp');

const TOTP = /^\d{6}$/;
const RECOVERY = /^[A-Za-z0-9]{5}-?[A-Za-z0-9]{5}$/;
// Problems after which the steps start again from the password.
const RESTART = ['auth.ticket_invalid', 'auth.locked', 'auth.account_disabled'];

Component({
  behaviors: [page],
  data: {
    step: 'password',
    username: '',
    password: '',
    code: '',
    useRecovery: false,
    newPassword: '',
    newPassword2: '',
    enrolment: null,
    qr: '',
    recoveryCodes: [],
    errors: {},
    busy: false,
  },
  methods: {
    /** 忘记密码: the account's username and a face verification of its registered operator. */
    onForgot() {
      go('/pages/face/index?purpose=reset_password&account=corporate');
    },
    onUsername(e) {
      this.setData({ username: e.detail.value, 'errors.username': '' });
    },
    onPassword(e) {
      this.setData({ password: e.detail.value, 'errors.password': '' });
    },
    onInput(e) {
      const key = e.currentTarget.dataset.key;
      this.setData({ [key]: e.detail.value, [`errors.${key}`]: '' });
    },
    onToggleRecovery() {
      this.setData({ useRecovery: !this.data.useRecovery, code: '', 'errors.code': '' });
    },

    /** Runs one step; problems are shown by the request layer, some send the user back. */
    async run(work) {
      if (this.data.busy) return;
      this.setData({ busy: true });
      try {
        await work();
      } catch (err) {
        this.onProblem(err);
      } finally {
        this.setData({ busy: false });
      }
    },
    onProblem(err) {
      const code = err && err.code;
      if (code === 'auth.password_expired' && err.extensions && err.extensions.ticket) {
        this.ticket = err.extensions.ticket;
        this.setData({ step: 'expired', newPassword: '', newPassword2: '', errors: {} });
      } else if (RESTART.indexOf(code) >= 0) {
        this.ticket = null;
        this.setData({ step: 'password', code: '', password: '', enrolment: null, qr: '' });
      } else if (err && err.status === 422) {
        const fields = bodyErrors(err);
        this.setData({ errors: { newPassword: fields.new_password || err.title, code: fields.code || '' } });
      }
    },

    async onLogin() {
      const errors = checkForm(this.data, { username: rules.required('用户名'), password: rules.required('密码') });
      this.setData({ errors });
      if (Object.keys(errors).length) return;
      await this.run(async () => {
        const res = await services.auth.loginPassword(this.data.username.trim(), this.data.password);
        if (res && res.second_factor_required) await this.secondFactor(res);
        else this.done();
      });
    },

    /** The password is right: on to the code, or to enrolling an authenticator. */
    async secondFactor(step) {
      this.ticket = step.ticket;
      if (step.enrolled) {
        this.setData({ step: 'code', code: '', useRecovery: false, errors: {} });
        return;
      }
      const offer = await services.auth.startEnrolment(step.ticket);
      this.setData({
        step: 'enrol', code: '', errors: {}, enrolment: offer, qr: offer.qr_svg ? svgDataUrl(offer.qr_svg) : '',
      });
    },

    async onVerify() {
      const code = String(this.data.code || '').trim();
      const valid = this.data.useRecovery ? RECOVERY.test(code) : TOTP.test(code);
      if (!valid) {
        this.setData({ 'errors.code': this.data.useRecovery ? '请输入恢复码（如 ABCDE-FGHJK）' : '请输入6位动态验证码' });
        return;
      }
      await this.run(async () => {
        await services.auth.loginSecondFactor(this.ticket, code);
        this.done();
      });
    },

    async onConfirmEnrolment() {
      const code = String(this.data.code || '').trim();
      if (!TOTP.test(code)) {
        this.setData({ 'errors.code': '请输入身份验证器显示的6位动态验证码' });
        return;
      }
      await this.run(async () => {
        const res = await services.auth.confirmEnrolment(this.ticket, code);
        this.ticket = null;
        this.setData({ step: 'recovery', recoveryCodes: res.recovery_codes || [], enrolment: null, qr: '' });
      });
    },

    onCopyKey() {
      const offer = this.data.enrolment;
      if (offer) wx.setClipboardData({ data: offer.secret });
    },
    onCopyRecovery() {
      wx.setClipboardData({ data: this.data.recoveryCodes.join('\n') });
    },
    onRecoverySaved() {
      this.setData({ recoveryCodes: [] });
      this.done();
    },

    async onChangeExpired() {
      const errors = checkForm(this.data, { newPassword: rules.password, newPassword2: sameAs('newPassword') });
      this.setData({ errors });
      if (Object.keys(errors).length) return;
      await this.run(async () => {
        const step = await services.auth.changeExpiredPassword(this.ticket, this.data.newPassword);
        toast('密码已更新', 'success');
        this.setData({ password: '', newPassword: '', newPassword2: '' });
        await this.secondFactor(step);
      });
    },

    onRestart() {
      this.ticket = null;
      this.setData({ step: 'password', code: '', password: '', enrolment: null, qr: '', errors: {} });
    },

    done() {
      toast('登录成功', 'success');
      refreshUnread();
      leaveLogin();
    },
  },
});
