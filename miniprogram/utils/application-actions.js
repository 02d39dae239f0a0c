/**
 * What the applicant can do with an application (我的办件 list and detail share this). The
 * buttons come from what the server says: `allowed_actions` of the application (list entries
 * carry them too, with `after_submit`, `evaluated` and `version`). No rule is derived from a
 * status here: the server owns the state machine. An action this version does not know (a newer
 * server, or a staff action) shows no button and does nothing.
 */
const { call, confirm, toast } = require('./wxp');
const { go } = require('./nav');
const subscribe = require('./subscribe');

const ACTIONS = {
  edit: { label: '编辑', theme: 'primary' },
  submit: { label: '提交', theme: 'primary' },
  cancel: { label: '取消', theme: 'default', confirm: '确定取消该办件吗？取消后可重新编辑后再次提交。', done: '已取消' },
  withdraw: { label: '撤回', theme: 'default', confirm: '确定撤回该办件吗？撤回后可重新编辑后再次提交。', done: '已撤回' },
  discard: { label: '删除', theme: 'danger', confirm: '确定删除该草稿吗？', done: '已删除' },
  // the server offers it once the application has a notice (受理通知书, 备案证明, 决定书…)
  view_notice: { label: '查看通知书', theme: 'primary' },
  evaluate: { label: '评价', theme: 'primary' },
};
const ORDER = ['edit', 'submit', 'cancel', 'withdraw', 'discard', 'view_notice', 'evaluate'];
// wx.showActionSheet shows at most six entries
const SHEET_MAX = 6;
// Changes of state run on the fresh application (its version for If-Match).
const STATE_CHANGES = ['submit', 'cancel', 'withdraw', 'discard'];

/** The acceptance notice among an application's notices (NoticeSummary, kind {code,label}). */
function pickNotice(notices) {
  return (notices || []).find((n) => n.kind.code === 'acceptance') || null;
}

/**
 * Buttons for one application (ApplicationSummary or ApplicationRead): [{key, label, theme}],
 * exactly the known ones among its `allowed_actions`, in a fixed order.
 */
function actionsFor(app) {
  const keys = app.allowed_actions || [];
  return ORDER.filter((k) => keys.indexOf(k) >= 0).map((k) => ({ key: k, label: ACTIONS[k].label, theme: ACTIONS[k].theme }));
}

function noticeTitle(notice) {
  return notice.kind.label || '通知书';
}

/** Downloads a notice as PDF and opens it. */
async function openNotice(api, app, notice, w) {
  const path = await api.applications.downloadNotice(app.id, notice.id);
  return call('openDocument', { filePath: path, fileType: 'pdf', showMenu: true }, w);
}

/**
 * 查看通知书 (`view_notice`): the application's notices (a list entry has none with it, so they
 * are fetched); one opens at once, several are offered by kind (受理通知书 first, as the manual
 * shows it, then the newest), the user picks one.
 */
async function viewNotices(api, app, w) {
  const notices = (app.notices || (await api.applications.notices(app.id))).slice();
  if (!notices.length) {
    toast('暂无通知书', 'none', w);
    return null;
  }
  if (notices.length === 1) return openNotice(api, app, notices[0], w);
  const acceptance = pickNotice(notices);
  const rest = notices.filter((n) => n !== acceptance).sort((a, b) => (a.issued_at < b.issued_at ? 1 : -1));
  const choices = (acceptance ? [acceptance] : []).concat(rest).slice(0, SHEET_MAX);
  let picked;
  try {
    picked = await call('showActionSheet', { itemList: choices.map(noticeTitle) }, w);
  } catch (err) {
    return null; // the user closed the sheet
  }
  const notice = choices[picked.tapIndex];
  return notice ? openNotice(api, app, notice, w) : null;
}

/**
 * Runs one action on an application (`app.id`, `app.item.label`). Resolves {changed: true,
 * application?, removed?} when the application changed (the caller reloads), {changed: false}
 * otherwise.
 */
async function runAction(api, key, app, w) {
  const spec = ACTIONS[key];
  if (!spec) return { changed: false };
  // 提交 (a 补正 resubmitted too) is when the applicant expects news: ask inside the tap
  const asked = key === 'submit' ? subscribe.ask(api, w) : null;
  if (spec.confirm && !(await confirm(spec.confirm, '提示', w))) return { changed: false };
  switch (key) {
    case 'edit':
      go(`/pages/apply/index?id=${encodeURIComponent(app.id)}`, w);
      return { changed: false };
    case 'evaluate':
      go(`/pages/evaluate/index?id=${encodeURIComponent(app.id)}&name=${encodeURIComponent(app.item.label)}`, w);
      return { changed: false };
    case 'view_notice':
      await viewNotices(api, app, w);
      return { changed: false };
    default:
  }
  // the application as it is now: its version for If-Match, and whether the action is still allowed
  const current = STATE_CHANGES.indexOf(key) >= 0 ? await api.applications.get(app.id) : app;
  if (current.allowed_actions.indexOf(key) < 0) {
    toast('办件状态已变化，请刷新后重试', 'none', w);
    return { changed: true };
  }
  if (key === 'discard') {
    await api.applications.remove(current.id, current.version);
    toast(spec.done, 'success', w);
    return { changed: true, removed: true };
  }
  const updated = await api.applications[key](current.id, current.version);
  toast(key === 'submit' ? '提交成功' : spec.done, 'success', w);
  await asked;
  return { changed: true, application: updated };
}

module.exports = { ACTIONS, actionsFor, runAction, openNotice, viewNotices, pickNotice, noticeTitle };
