/**
 * A certificate card (我的证照 carousel and list): type, number, holder, validity, issuer,
 * with the 亮证 QR icon and 纠错 for 船员证照.
 */
const { toView } = require('../../utils/certificate');

Component({
  options: { addGlobalClass: true },
  properties: {
    certificate: { type: Object, value: {} },
    actions: { type: Boolean, value: true },
  },
  data: { view: {} },
  observers: {
    certificate(c) {
      this.setData({ view: toView(c) });
    },
  },
  methods: {
    onDisplay() {
      this.triggerEvent('display', { id: this.data.view.id });
    },
    onCorrect() {
      this.triggerEvent('correct', { id: this.data.view.id });
    },
    onTap() {
      this.triggerEvent('open', { id: this.data.view.id });
    },
  },
});
