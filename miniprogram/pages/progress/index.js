/**
 * 办件查询 (manual §3.1.4.1): 申请编号 and 联系人手机号, no login; a match opens 办件信息.
 */
const page = require('../../behaviors/page');
const services = require('../../services/index');
const handoff = require('../../utils/handoff');
const { go } = require('../../utils/nav');
const { rules, checkForm, bodyErrors } = require('../../utils/validators');

Component({
  behaviors: [page],
  data: { applicationNo: '', phone: '', errors: {}, busy: false, notFound: false },
  methods: {
    onNo(e) {
      this.setData({ applicationNo: e.detail.value, 'errors.applicationNo': '', notFound: false });
    },
    onPhone(e) {
      this.setData({ phone: e.detail.value, 'errors.phone': '', notFound: false });
    },
    async onQuery() {
      const errors = checkForm(this.data, { applicationNo: rules.required('申请编号'), phone: rules.phone });
      this.setData({ errors });
      if (Object.keys(errors).length || this.data.busy) return;
      this.setData({ busy: true, notFound: false });
      try {
        const result = await services.api.publicQuery.progress(
          { application_no: this.data.applicationNo.trim(), phone: this.data.phone.trim() },
          { silent: true },
        );
        handoff.put('progress-result', result);
        go('/pages/progress-result/index');
      } catch (err) {
        if (err.status === 404) this.setData({ notFound: true });
        else if (err.status === 422) {
          const f = bodyErrors(err);
          this.setData({ errors: { applicationNo: f.application_no || '', phone: f.phone || '' } });
        } else wx.showToast({ title: err.title, icon: 'none' });
      } finally {
        this.setData({ busy: false });
      }
    },
  },
});
