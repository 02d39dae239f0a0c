/**
 * Face verification before changing credentials: 忘记密码 (manual §3.2.3, 开始扫描 → 设置新密码),
 * 修改密码 and 修改手机号码 (manual §3.3.3: 人脸认证 → 设置新密码 / 设置新手机号码).
 * 注销账号 (account_deletion) submits the deletion with the proof right here.
 * `?purpose=` reset_password | change_password | change_phone | account_deletion.
 * 忘记密码 of a company or ship account (`&account=corporate`, from 法人/船舶用户登录): the
 * account's 用户名 and a face verification of its registered operator (经办人).
 */
const page = require('../../behaviors/page');
const handoff = require('../../utils/handoff');
const services = require('../../services/index');
const { go } = require('../../utils/nav');
const { toast } = require('../../utils/wxp');
const { setUnread } = require('../../utils/messages');

const PURPOSES = {
  reset_password: { title: '忘记密码', button: '开始扫描', next: '/pages/password-set/index?mode=reset',
    hint: '请填写本人姓名和身份证号，人脸识别通过后设置新密码。' },
  change_password: { title: '人脸认证', button: '开始识别', next: '/pages/password-set/index?mode=change',
    hint: '修改密码前请先进行人脸认证。' },
  change_phone: { title: '人脸认证', button: '开始识别', next: '/pages/phone-set/index',
    hint: '修改手机号码前请先进行人脸认证。' },
  account_deletion: { title: '注销账号', button: '识别并注销', next: '',
    hint: '请本人进行人脸识别（法人账号请由注册时填写的经办人识别），通过后账号立即注销。' },
};

const CORPORATE_RESET_HINT = '请填写法人/船舶账号的用户名，并由注册时填写的经办人进行人脸识别，通过后设置新密码。';

Component({
  behaviors: [page],
  data: { purpose: 'reset_password', spec: PURPOSES.reset_password, corporate: false, username: '', usernameError: '' },
  methods: {
    onLoad(query) {
      const q = query || {};
      const purpose = PURPOSES[q.purpose || ''] ? q.purpose : 'reset_password';
      const corporate = purpose === 'reset_password' && q.account === 'corporate';
      const spec = corporate ? Object.assign({}, PURPOSES[purpose], { hint: CORPORATE_RESET_HINT }) : PURPOSES[purpose];
      this.setData({ purpose, spec, corporate });
      wx.setNavigationBarTitle({ title: spec.title });
    },
    onUsername(e) {
      this.setData({ username: e.detail.value, usernameError: '' });
    },
    /** 忘记密码 of a company or ship account: the username first, then the operator's face. */
    async onCorporateStart() {
      const username = String(this.data.username || '').trim();
      if (!username) {
        this.setData({ usernameError: '请输入用户名' });
        return;
      }
      const result = await this.selectComponent('#face').run();
      if (!result) return;
      handoff.put('face-proof', { purpose: this.data.purpose, proof: Object.assign({ username }, result.proof) });
      wx.redirectTo({ url: this.data.spec.next });
    },
    async onVerified(e) {
      if (this.data.purpose === 'account_deletion') {
        await this.deleteAccount(e.detail.proof);
        return;
      }
      handoff.put('face-proof', { purpose: this.data.purpose, proof: e.detail.proof });
      wx.redirectTo({ url: this.data.spec.next });
    },
    async deleteAccount(proof) {
      try {
        await services.api.me.deleteAccount(proof);
      } catch (e) {
        return; // e.g. 有正在办理的办件: the request layer shows the reason
      }
      services.tokens.clear();
      setUnread(0);
      toast('账号已注销', 'success');
      go('/pages/mine/index');
    },
  },
});
