/**
 * 海事一网通办 mini program entry: binds the WeChat identity on launch (wx.login →
 * POST /auth/wechat/session) and refreshes the unread message badge.
 */
const services = require('./services/index');
const { refreshUnread } = require('./utils/messages');

App({
  onLaunch() {
    services.auth.bindWechat().then(() => refreshUnread());
  },
  onShow() {
    refreshUnread();
  },
});
