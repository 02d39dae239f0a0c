/**
 * What the applicant can do with an application (我的办件 list and detail share this):
 * the buttons come from the application's `allowed_actions` (or, for list entries without them,
 * from its state); 查看受理通知书 appears once a notice can exist.
 */
const { call, confirm, toast } = require('./wxp');
const { go } = require('./nav');
const { FINISHED } = require('./status');
const { pageOf } = require('./format');

const ACTIONS = {
  edit: { label: '编辑', theme: 'primary' },
  submit: { label: '提交', theme: 'primary' },
  cancel: { label: '取消', theme: 'default', confirm: '确定取消该办件吗？取消后可重新编辑后再次提交。', done: '已取消' },
  withdraw: { label: '撤回', theme: 'default', confirm: '确定撤回该办件吗？撤回后可重新编辑后再次提交。', done: '已撤回' },
  delete: { label: '删除', theme: 'danger', confirm: '确定删除该草稿吗？', done: '已删除' },
  notice: { label: '查看受理通知书', theme: 'primary' },
  evaluate: { label: '评价', theme: 'primary' },
};
const ORDER = ['edit', 'submit', 'cancel', 'withdraw', 'delete', 'notice', 'evaluate'];
// Accepted or later: the 受理通知书 has been issued.
const NOTICE_STATES = ['accepted', 'approved', 'declined'];
const ALIASES = { discard: 'delete', view_notice: 'notice', notices: 'notice', evaluation: 'evaluate' };
// What each state allows (contract: Applications) when a list entry does not carry
// allowed_actions; the action is checked again against the fresh application before it runs.
const BY_STATUS = {
  draft: ['edit', 'submit', 'delete'],
  supplement_required: ['edit', 'submit'],
  cancelled: ['edit', 'submit'],
  withdrawn: ['edit', 'submit'],
  submitted: ['after_submit'],
};
// Changes of state run on the fresh application (its version for If-Match).
const STATE_CHANGES = ['submit', 'cancel', 'withdraw', 'delete'];

function allowed(app) {
  let keys = app && app.allowed_actions;
  if (!Array.isArray(keys)) {
    keys = (BY_STATUS[app.status] || []).map((k) => (k === 'after_submit' ? app.after_submit : k)).filter(Boolean);
  }
  return keys.map((a) => ALIASES[a] || a);
}

function isEvaluated(app) {
  return Boolean(app.evaluation || app.evaluated || app.evaluated_at);
}

/** Buttons for one (normalised) application: [{key, label, theme}]. */
function actionsFor(app) {
  const keys = allowed(app);
  if (NOTICE_STATES.indexOf(app.status) >= 0 && keys.indexOf('notice') < 0) keys.push('notice');
  if (!Array.isArray(app.allowed_actions) && FINISHED.indexOf(app.status) >= 0 && !isEvaluated(app)) keys.push('evaluate');
  return ORDER.filter((k) => keys.indexOf(k) >= 0).map((k) => ({ key: k, label: ACTIONS[k].label, theme: ACTIONS[k].theme }));
}

function kindOf(notice) {
  const k = notice.kind;
  return k && typeof k === 'object' ? k.code : k || '';
}

function noticeTitle(notice) {
  const k = notice.kind;
  return notice.title || notice.name || (k && typeof k === 'object' ? k.label : '') || '通知书';
}

function pickNotice(notices) {
  const acceptance = notices.find((n) => kindOf(n) === 'acceptance'
    || (/受理通知书/.test(noticeTitle(n)) && !/不予/.test(noticeTitle(n))));
  return acceptance || notices[0] || null;
}

/** Downloads a notice as PDF and opens it. */
async function openNotice(api, app, notice, w) {
  const path = await api.applications.downloadNotice(app.id, notice.id);
  return call('openDocument', { filePath: path, fileType: 'pdf', showMenu: true }, w);
}

/** 查看受理通知书: the acceptance notice of the application (or the only one issued). */
async function openAcceptanceNotice(api, app, w) {
  const notices = Array.isArray(app.notices) && app.notices.length ? app.notices : pageOf(await api.applications.notices(app.id)).items;
  const notice = pickNotice(notices);
  if (!notice) {
    toast('暂无受理通知书', 'none', w);
    return null;
  }
  return openNotice(api, app, notice, w);
}

/** The application as it is now, so a state change sends its current version. */
async function fresh(api, app) {
  if (typeof api.applications.get !== 'function') return app;
  const current = await api.applications.get(app.id);
  const status = current.status && typeof current.status === 'object' ? current.status.code : current.status;
  return Object.assign({}, current, { status });
}

/**
 * Runs one action. Resolves {changed: true, application?} when the application changed (the
 * caller reloads), {changed: false} otherwise.
 */
async function runAction(api, key, app, w) {
  const spec = ACTIONS[key];
  if (!spec) return { changed: false };
  if (spec.confirm && !(await confirm(spec.confirm, '提示', w))) return { changed: false };
  switch (key) {
    case 'edit':
      go(`/pages/apply/index?id=${encodeURIComponent(app.id)}`, w);
      return { changed: false };
    case 'evaluate':
      go(`/pages/evaluate/index?id=${encodeURIComponent(app.id)}&name=${encodeURIComponent(app.item_name || '')}`, w);
      return { changed: false };
    case 'notice':
      await openAcceptanceNotice(api, app, w);
      return { changed: false };
    default:
  }
  const current = STATE_CHANGES.indexOf(key) >= 0 ? await fresh(api, app) : app;
  if (Array.isArray(current.allowed_actions) && allowed(current).indexOf(key) < 0) {
    toast('办件状态已变化，请刷新后重试', 'none', w);
    return { changed: true };
  }
  if (key === 'delete') {
    await api.applications.remove(current.id, current.version);
    toast(spec.done, 'success', w);
    return { changed: true, removed: true };
  }
  const updated = await api.applications[key](current.id, current.version);
  toast(key === 'submit' ? '提交成功' : spec.done, 'success', w);
  return { changed: true, application: updated };
}

module.exports = { ACTIONS, actionsFor, runAction, openNotice, openAcceptanceNotice, pickNotice, noticeTitle };
