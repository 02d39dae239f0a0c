/**
 * 证书查询: 证书编号 and 持证人姓名, no login → type, validity, issuing agency, masked holder.
 */
const page = require('../../behaviors/page');
const services = require('../../services/index');
const { rules, checkForm, bodyErrors } = require('../../utils/validators');

Component({
  behaviors: [page],
  data: { certificateNo: '', holderName: '', errors: {}, busy: false, result: null, notFound: false },
  methods: {
    onNo(e) {
      this.setData({ certificateNo: e.detail.value, 'errors.certificateNo': '' });
    },
    onHolder(e) {
      this.setData({ holderName: e.detail.value, 'errors.holderName': '' });
    },
    async onQuery() {
      const errors = checkForm(this.data, { certificateNo: rules.required('证书编号'), holderName: rules.required('持证人姓名') });
      this.setData({ errors, result: null, notFound: false });
      if (Object.keys(errors).length || this.data.busy) return;
      this.setData({ busy: true });
      try {
        const result = await services.api.publicQuery.certificate(
          { certificate_no: this.data.certificateNo.trim(), holder_name: this.data.holderName.trim() },
          { silent: true },
        );
        this.setData({ result });
      } catch (err) {
        if (err.status === 404) this.setData({ notFound: true });
        else if (err.status === 422) {
          const f = bodyErrors(err);
          this.setData({ errors: { certificateNo: f.certificate_no || '', holderName: f.holder_name || '' } });
        } else wx.showToast({ title: err.title, icon: 'none' });
      } finally {
        this.setData({ busy: false });
      }
    },
  },
});
