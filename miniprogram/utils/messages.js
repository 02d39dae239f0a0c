/**
 * The unread message count: kept in the store (个人中心 shows it on 我的消息) and as the badge
 * of the 个人中心 tab.
 */
const services = require('../services/index');
const store = require('./store');
const { globalWx } = require('./wxp');

const MINE_TAB_INDEX = 2;

function countOf(res) {
  if (typeof res === 'number') return res;
  if (!res) return 0;
  return Number(res.count !== undefined ? res.count : res.unread !== undefined ? res.unread : res.unread_count) || 0;
}

function showBadge(count) {
  const w = globalWx();
  if (!w || !w.setTabBarBadge) return;
  const done = () => {};
  if (count > 0) w.setTabBarBadge({ index: MINE_TAB_INDEX, text: count > 99 ? '99+' : String(count), fail: done });
  else w.removeTabBarBadge({ index: MINE_TAB_INDEX, fail: done });
}

function setUnread(count) {
  store.set('unread', count);
  showBadge(count);
}

/** Reloads the count when signed in (0 otherwise); never throws. */
async function refreshUnread() {
  if (!services.auth.isLoggedIn()) {
    setUnread(0);
    return 0;
  }
  try {
    const count = countOf(await services.api.messages.unreadCount());
    setUnread(count);
    return count;
  } catch (e) {
    return store.get('unread') || 0;
  }
}

module.exports = { refreshUnread, setUnread, countOf };
