/**
 * A tiny global store for app-wide state that pages react to:
 * - elder: 适老化模式 (large text, high contrast), persisted
 * - agency: the chosen 海事机构 {code, name, short_name}, persisted; filters the catalog
 * - unread: the unread message count (tab badge and 个人中心)
 */
const { globalWx } = require('./wxp');

const PERSISTED = { elder: 'msa.elder', agency: 'msa.agency' };

function createStore(initial, getWx) {
  const state = Object.assign({}, initial);
  const listeners = {};
  const loaded = {};

  function storage() {
    const w = getWx();
    return w && typeof w.getStorageSync === 'function' ? w : null;
  }

  function get(key) {
    if (PERSISTED[key] && !loaded[key]) {
      loaded[key] = true;
      const w = storage();
      if (w) {
        try {
          const stored = w.getStorageSync(PERSISTED[key]);
          if (stored !== '' && stored !== undefined && stored !== null) state[key] = stored;
        } catch (e) {
          // keep the default
        }
      }
    }
    return state[key];
  }

  function set(key, value) {
    get(key);
    state[key] = value;
    if (PERSISTED[key]) {
      const w = storage();
      if (w) {
        try {
          if (value === null || value === undefined) w.removeStorageSync(PERSISTED[key]);
          else w.setStorageSync(PERSISTED[key], value);
        } catch (e) {
          // storage full or unavailable: the in-memory value still applies
        }
      }
    }
    (listeners[key] || []).slice().forEach((fn) => fn(value));
  }

  function subscribe(key, fn) {
    listeners[key] = listeners[key] || [];
    listeners[key].push(fn);
    return () => {
      const list = listeners[key] || [];
      const i = list.indexOf(fn);
      if (i >= 0) list.splice(i, 1);
    };
  }

  /** Drops the in-memory state and listeners so the next get() reads storage again (tests). */
  function reset() {
    Object.keys(listeners).forEach((k) => delete listeners[k]);
    Object.keys(state).forEach((k) => delete state[k]);
    Object.assign(state, initial);
    Object.keys(loaded).forEach((k) => delete loaded[k]);
  }

  return { get, set, subscribe, reset };
}

const store = createStore({ elder: false, agency: null, unread: 0 }, globalWx);

module.exports = store;
module.exports.createStore = createStore;
