/**
 * 人脸识别: 姓名, 身份证号, the method (反光识别 / 读数识别) and the 人脸识别个人信息处理规则 the user
 * must agree to (单独同意, sent with the face session), then 开始识别 runs the face flow
 * (utils/face) for `purpose` and emits `verified` with
 * {proof: {face_session_id, verify_result}, name, idNumber}.
 * Pages that collect more fields first hide the button (show-button="{{false}}") and call
 * `run()` themselves (this.selectComponent('#face').run()).
 */
const services = require('../../services/index');
const { verifyFace, METHODS } = require('../../utils/face');
const { rules, checkForm } = require('../../utils/validators');
const { toast } = require('../../utils/wxp');
const { FACE, consentText, agreement } = require('../../utils/consent');

Component({
  options: { addGlobalClass: true },
  properties: {
    purpose: { type: String, value: 'login' },
    buttonText: { type: String, value: '开始识别' },
    showButton: { type: Boolean, value: true },
  },
  data: {
    name: '',
    idNumber: '',
    method: 'reflective',
    methods: METHODS,
    methodHelp: METHODS[0].help,
    errors: {},
    busy: false,
    consent: null,
    agreed: false,
    consentOpen: false,
  },
  lifetimes: {
    attached() {
      this.loadConsent();
    },
  },
  methods: {
    /** The current text of the rules; null while it cannot be fetched. */
    async loadConsent() {
      if (this.data.consent) return this.data.consent;
      try {
        const consent = await consentText(services.api, FACE);
        this.setData({ consent });
        return consent;
      } catch (e) {
        return null;
      }
    },
    onAgree(e) {
      const checked = Array.isArray(e.detail.value) ? e.detail.value.length > 0 : Boolean(e.detail.checked);
      this.setData({ agreed: checked, 'errors.consent': '' });
    },
    onToggleConsent() {
      this.setData({ consentOpen: !this.data.consentOpen });
    },
    onName(e) {
      this.setData({ name: e.detail.value, 'errors.name': '' });
    },
    onIdNumber(e) {
      this.setData({ idNumber: String(e.detail.value || '').toUpperCase(), 'errors.idNumber': '' });
    },
    onMethod(e) {
      const method = e.detail.value;
      const m = METHODS.find((x) => x.value === method) || METHODS[0];
      this.setData({ method, methodHelp: m.help });
    },

    validate() {
      const errors = checkForm(this.data, { name: rules.name, idNumber: rules.idNumber });
      if (!this.data.agreed) errors.consent = '请先阅读并同意《人脸识别个人信息处理规则》';
      this.setData({ errors });
      if (errors.consent && !errors.name && !errors.idNumber) toast(errors.consent);
      return Object.keys(errors).length === 0;
    },

    /** Runs the face flow; resolves {proof, name, idNumber} or null (invalid input / failure). */
    async run() {
      if (this.data.busy || !this.validate()) return null;
      this.setData({ busy: true });
      try {
        const name = this.data.name.trim();
        const idNumber = this.data.idNumber.trim();
        const consent = await this.loadConsent();
        if (!consent) {
          toast('人脸识别规则加载失败，请稍后重试');
          return null;
        }
        const proof = await verifyFace({
          api: services.api,
          purpose: this.data.purpose,
          name,
          idNumber,
          method: this.data.method,
          consent: agreement(consent),
        });
        return { proof, name, idNumber };
      } catch (err) {
        if (err && err.name === 'FaceError') toast(err.title);
        return null;
      } finally {
        this.setData({ busy: false });
      }
    },

    async onStart() {
      const result = await this.run();
      if (result) this.triggerEvent('verified', result);
    },
  },
});
