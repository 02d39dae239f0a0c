/**
 * 个人用户登录 (manual §3.2.2.1): 姓名, 身份证号, 人脸识别方式, 开始识别 → 刷脸登录
 * (POST /auth/login/personal with the face proof and the WeChat binding ticket).
 */
const page = require('../../behaviors/page');
const services = require('../../services/index');
const { go, leaveLogin } = require('../../utils/nav');
const { refreshUnread } = require('../../utils/messages');
const { toast } = require('../../utils/wxp');

Component({
  behaviors: [page],
  data: { busy: false },
  methods: {
    async onVerified(e) {
      this.setData({ busy: true });
      try {
        await services.auth.loginPersonal(e.detail.proof);
        toast('登录成功', 'success');
        refreshUnread();
        leaveLogin();
      } catch (err) {
        // 人脸识别未通过 etc. shown by the request layer
      } finally {
        this.setData({ busy: false });
      }
    },
    onForgot() {
      go('/pages/face/index?purpose=reset_password');
    },
  },
});
