/**
 * 法人用户注册 (manual §3.2.1.2): 单位 and 经办人 information, 用户名 and 密码 →
 * POST /auth/register/corporate (法人用户 or 船舶用户).
 */
const page = require('../../behaviors/page');
const services = require('../../services/index');
const { leaveLogin } = require('../../utils/nav');
const { rules, checkForm, sameAs, bodyErrors } = require('../../utils/validators');
const { toast } = require('../../utils/wxp');

const FIELDS = {
  company_name: 'companyName',
  credit_code: 'creditCode',
  operator_name: 'operatorName',
  operator_id_number: 'operatorIdNumber',
  contact_phone: 'contactPhone',
  username: 'username',
  password: 'password',
};

Component({
  behaviors: [page],
  data: {
    kind: 'company',
    kinds: [{ value: 'company', label: '法人用户' }, { value: 'ship', label: '船舶用户' }],
    companyName: '',
    creditCode: '',
    operatorName: '',
    operatorIdNumber: '',
    contactPhone: '',
    username: '',
    password: '',
    password2: '',
    errors: {},
    busy: false,
  },
  methods: {
    onInput(e) {
      const key = e.currentTarget.dataset.key;
      this.setData({ [key]: e.detail.value, [`errors.${key}`]: '' });
    },
    onKind(e) {
      this.setData({ kind: e.detail.value });
    },
    async onRegister() {
      const d = this.data;
      const errors = checkForm(d, {
        companyName: rules.required(d.kind === 'ship' ? '船舶所有人/经营人名称' : '单位名称'),
        creditCode: rules.creditCode,
        operatorName: rules.name,
        operatorIdNumber: rules.idNumber,
        contactPhone: rules.phone,
        username: rules.username,
        password: rules.password,
        password2: sameAs('password'),
      });
      this.setData({ errors });
      if (Object.keys(errors).length || d.busy) return;
      this.setData({ busy: true });
      try {
        await services.auth.registerCorporate({
          company_name: d.companyName.trim(),
          credit_code: d.creditCode.trim().toUpperCase(),
          kind: d.kind,
          operator_name: d.operatorName.trim(),
          operator_id_number: d.operatorIdNumber.trim().toUpperCase(),
          contact_phone: d.contactPhone.trim(),
          username: d.username.trim(),
          password: d.password,
        });
        // registration signs the new account in (Tokens)
        toast('注册成功', 'success');
        leaveLogin();
      } catch (err) {
        if (err && err.status === 422) {
          const f = bodyErrors(err);
          const mapped = {};
          Object.keys(FIELDS).forEach((k) => {
            if (f[k]) mapped[FIELDS[k]] = f[k];
          });
          this.setData({ errors: mapped });
        }
      } finally {
        this.setData({ busy: false });
      }
    },
  },
});
