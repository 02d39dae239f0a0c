/**
 * 人脸识别: 姓名, 身份证号 and the method (反光识别 / 读数识别), then 开始识别 runs the face flow
 * (utils/face) for `purpose` and emits `verified` with
 * {proof: {face_session_id, verify_result}, name, idNumber}.
 * Pages that collect more fields first hide the button (show-button="{{false}}") and call
 * `run()` themselves (this.selectComponent('#face').run()).
 */
const services = require('../../services/index');
const { verifyFace, METHODS } = require('../../utils/face');
const { rules, checkForm } = require('../../utils/validators');
const { toast } = require('../../utils/wxp');

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
  },
  methods: {
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
      this.setData({ errors });
      return Object.keys(errors).length === 0;
    },

    /** Runs the face flow; resolves {proof, name, idNumber} or null (invalid input / failure). */
    async run() {
      if (this.data.busy || !this.validate()) return null;
      this.setData({ busy: true });
      try {
        const name = this.data.name.trim();
        const idNumber = this.data.idNumber.trim();
        const proof = await verifyFace({
          api: services.api,
          purpose: this.data.purpose,
          name,
          idNumber,
          method: this.data.method,
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
