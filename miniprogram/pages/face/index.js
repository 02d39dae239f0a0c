/**
 * Face verification before changing credentials: 忘记密码 (manual §3.2.3, 开始扫描 → 设置新密码),
 * 修改密码 and 修改手机号码 (manual §3.3.3: 人脸认证 → 设置新密码 / 设置新手机号码).
 * `?purpose=` reset_password | change_password | change_phone.
 */
const page = require('../../behaviors/page');
const handoff = require('../../utils/handoff');

const PURPOSES = {
  reset_password: { title: '忘记密码', button: '开始扫描', next: '/pages/password-set/index?mode=reset',
    hint: '请填写本人姓名和身份证号，人脸识别通过后设置新密码。' },
  change_password: { title: '人脸认证', button: '开始识别', next: '/pages/password-set/index?mode=change',
    hint: '修改密码前请先进行人脸认证。' },
  change_phone: { title: '人脸认证', button: '开始识别', next: '/pages/phone-set/index',
    hint: '修改手机号码前请先进行人脸认证。' },
};

Component({
  behaviors: [page],
  data: { purpose: 'reset_password', spec: PURPOSES.reset_password },
  methods: {
    onLoad(query) {
      const purpose = PURPOSES[(query && query.purpose) || ''] ? query.purpose : 'reset_password';
      this.setData({ purpose, spec: PURPOSES[purpose] });
      wx.setNavigationBarTitle({ title: PURPOSES[purpose].title });
    },
    onVerified(e) {
      handoff.put('face-proof', { purpose: this.data.purpose, proof: e.detail.proof });
      wx.redirectTo({ url: this.data.spec.next });
    },
  },
});
