/**
 * 办件状态标签: the state's zh-CN label (the server's status_label when given) in its colour.
 */
const { statusInfo } = require('../../utils/status');

Component({
  properties: {
    status: { type: String, value: '' },
    label: { type: String, value: '' },
  },
  data: { text: '', theme: 'default' },
  observers: {
    'status, label': function update(status, label) {
      const info = statusInfo(status);
      this.setData({ text: label || info.label, theme: info.theme });
    },
  },
});
