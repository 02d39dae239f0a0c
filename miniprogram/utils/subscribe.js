/**
 * 订阅消息 (one-time subscriptions): the server has ONE template for application status changes
 * (GET /me/notifications/subscription) and sends a WeChat message only while the user has
 * granted sends left, spending one per message. So the mini program asks at the moments a user
 * expects news — when submitting an application and when resubmitting after 补正 — and tells
 * the server how many sends were granted (POST /me/notifications/subscription).
 *
 * WeChat only shows the request inside a tap, so the template is loaded beforehand (prepare,
 * when a page that can submit is shown) and ask() calls wx.requestSubscribeMessage at once.
 */
const { call } = require('./wxp');

let templateId = null;

/** Loads the server's template (silently: without it nothing is asked). */
async function prepare(api) {
  try {
    const sub = await api.notifications.subscription();
    templateId = sub.template_id || null;
  } catch (e) {
    templateId = null;
  }
  return templateId;
}

/**
 * Asks for one more send of the template (call it from the tap of 提交) and records an
 * acceptance on the server. Never rejects: a refusal only means no WeChat message.
 */
function ask(api, w) {
  const id = templateId;
  if (!id) return Promise.resolve(null);
  return call('requestSubscribeMessage', { tmplIds: [id] }, w)
    .then((res) => {
      if (!res || res[id] !== 'accept') return null;
      return api.notifications.accept({ template_id: id, accepted: 1 });
    })
    .catch(() => null);
}

function reset() {
  templateId = null;
}

module.exports = { prepare, ask, reset };
