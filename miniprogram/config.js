/**
 * The ONE place to point the mini program at a server and to configure WeChat services.
 *
 * - apiBaseUrl: the API root including the `/api/v1` base path. For the embedded development
 *   server (`make run` in the repository root) this is http://127.0.0.1:8000/api/v1; in WeChat
 *   DevTools tick 详情 → 本地设置 → 不校验合法域名 to call it. Production needs an HTTPS domain
 *   registered in the mini program console (request + uploadFile + downloadFile).
 * - 订阅消息: the template id comes from the server (GET /me/notifications/subscription), so it
 *   is configured once, on the server, with the template of the mini program console.
 * - devFakeFace: development only. The embedded server's fake face adapter accepts the
 *   verify_result "fake:pass"; with this on, the face flow skips wx.startFacialRecognitionVerify
 *   (which needs a real, approved AppID) and sends "fake:pass". Must be false in production.
 * - devFillExample: development only. Shows 填入示例 in the online form, which fills the item's
 *   example form from GET /online-items.
 */
module.exports = {
  apiBaseUrl: 'http://127.0.0.1:8000/api/v1',
  requestTimeoutMs: 15000,
  devFakeFace: false,
  devFillExample: false,
};
