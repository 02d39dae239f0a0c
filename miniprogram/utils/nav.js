/**
 * Navigation helpers shared by pages and components.
 */
const { call, globalWx, toast } = require('./wxp');

const TABS = ['/pages/home/index', '/pages/online/index', '/pages/mine/index'];

function go(url, w) {
  const target = w || globalWx();
  const path = url.split('?')[0];
  if (TABS.indexOf(path) >= 0) return call('switchTab', { url: path }, target).catch(() => null);
  return call('navigateTo', { url }, target).catch(() => null);
}

function back(w) {
  const target = w || globalWx();
  const pages = typeof getCurrentPages === 'function' ? getCurrentPages() : [];
  if (pages.length > 1) return call('navigateBack', { delta: 1 }, target).catch(() => null);
  return call('switchTab', { url: TABS[0] }, target).catch(() => null);
}

/** True when signed in; otherwise opens 登录 and resolves false. */
function requireLogin(auth, w) {
  if (auth.isLoggedIn()) return true;
  toast('请先登录', 'none', w);
  go('/pages/login/index', w);
  return false;
}

function query(params) {
  return Object.keys(params)
    .filter((k) => params[k] !== undefined && params[k] !== null && params[k] !== '')
    .map((k) => `${encodeURIComponent(k)}=${encodeURIComponent(params[k])}`)
    .join('&');
}

module.exports = { go, back, requireLogin, query, TABS };

const LOGIN_ROUTE = 'pages/login/index';

/**
 * After signing in or registering: back to the page that asked for it (the one below 登录, or
 * the previous page when a sign-in page was opened directly), or to 个人中心.
 */
function leaveLogin(w) {
  const target = w || globalWx();
  const pages = typeof getCurrentPages === 'function' ? getCurrentPages() : [];
  const index = pages.findIndex((p) => p && p.route === LOGIN_ROUTE);
  if (index > 0) return call('navigateBack', { delta: pages.length - index }, target).catch(() => null);
  if (index < 0 && pages.length > 1) return call('navigateBack', { delta: 1 }, target).catch(() => null);
  return call('switchTab', { url: '/pages/mine/index' }, target).catch(() => null);
}

module.exports.leaveLogin = leaveLogin;
