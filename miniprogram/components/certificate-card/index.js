/**
 * A certificate card (我的证照 carousel and list, 证书查询, 扫码结果): type, number, holder,
 * validity, issuer, with the 亮证 QR icon and 纠错 where the server allows them. With
 * `actions`, tapping the card emits `open` (the page opens 证照详情).
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
      this.setData({ view: c && c.type ? toView(c) : {} });
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
      if (this.data.actions && this.data.view.id) this.triggerEvent('open', { id: this.data.view.id });
    },
  },
});
