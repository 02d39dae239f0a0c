/**
 * 个人用户注册 (manual §3.2.1.1): 姓名, 身份证号, 手机号, 密码, then 人脸识别 →
 * POST /auth/register/personal.
 */
const page = require('../../behaviors/page');
const services = require('../../services/index');
const { leaveLogin } = require('../../utils/nav');
const { rules, checkForm, sameAs, bodyErrors } = require('../../utils/validators');
const { toast } = require('../../utils/wxp');

Component({
  behaviors: [page],
  data: { phone: '', password: '', password2: '', errors: {}, busy: false },
  methods: {
    onInput(e) {
      const key = e.currentTarget.dataset.key;
      this.setData({ [key]: e.detail.value, [`errors.${key}`]: '' });
    },
    async onRegister() {
      const errors = checkForm(this.data, {
        phone: rules.phone,
        password: rules.password,
        password2: sameAs('password'),
      });
      this.setData({ errors });
      const face = this.selectComponent('#face');
      const faceOk = face.validate();
      if (Object.keys(errors).length || !faceOk || this.data.busy) return;
      this.setData({ busy: true });
      try {
        const verified = await face.run();
        if (!verified) return;
        await services.auth.registerPersonal({
          name: verified.name,
          id_number: verified.idNumber,
          phone: this.data.phone.trim(),
          password: this.data.password,
          face_session_id: verified.proof.face_session_id,
          verify_result: verified.proof.verify_result,
        });
        // registration signs the new account in (Tokens)
        toast('注册成功', 'success');
        leaveLogin();
      } catch (err) {
        if (err && err.status === 422) {
          const f = bodyErrors(err);
          this.setData({ errors: { phone: f.phone || '', password: f.password || '' } });
        }
      } finally {
        this.setData({ busy: false });
      }
    },
  },
});
