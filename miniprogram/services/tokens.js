/**
 * Token store: the access/refresh pair, the signed-in user and the WeChat binding ticket,
 * mirrored in memory and persisted with wx storage (so a restart keeps the session).
 */
const AUTH_KEY = 'msa.auth';
const TICKET_KEY = 'msa.bindingTicket';

function createTokenStore(getWx) {
  let auth;
  let ticket;
  const listeners = [];

  function storage(method, ...args) {
    const wx = getWx && getWx();
    if (!wx || typeof wx[method] !== 'function') return undefined;
    try {
      return wx[method](...args);
    } catch (e) {
      return undefined;
    }
  }

  function read() {
    if (auth === undefined) auth = storage('getStorageSync', AUTH_KEY) || null;
    return auth;
  }

  function write(value) {
    auth = value;
    if (value) storage('setStorageSync', AUTH_KEY, value);
    else storage('removeStorageSync', AUTH_KEY);
    listeners.slice().forEach((fn) => fn(value ? value.user || null : null));
  }

  return {
    getAccess: () => (read() || {}).access_token || null,
    getRefresh: () => (read() || {}).refresh_token || null,
    getUser: () => (read() || {}).user || null,
    isLoggedIn: () => Boolean((read() || {}).access_token),
    /** Saves a token response `{access_token, refresh_token, expires_in, user?}`. */
    save(res) {
      const previous = read() || {};
      write({
        access_token: res.access_token,
        refresh_token: res.refresh_token,
        expires_at: res.expires_in ? Date.now() + res.expires_in * 1000 : null,
        user: res.user || previous.user || null,
      });
    },
    setUser(user) {
      const current = read();
      if (current) write(Object.assign({}, current, { user }));
    },
    clear() {
      if (read()) write(null);
    },
    getBindingTicket() {
      if (ticket === undefined) ticket = storage('getStorageSync', TICKET_KEY) || null;
      return ticket;
    },
    setBindingTicket(value) {
      ticket = value || null;
      if (ticket) storage('setStorageSync', TICKET_KEY, ticket);
      else storage('removeStorageSync', TICKET_KEY);
    },
    /** Calls fn(user|null) whenever the session changes; returns the unsubscribe function. */
    subscribe(fn) {
      listeners.push(fn);
      return () => {
        const i = listeners.indexOf(fn);
        if (i >= 0) listeners.splice(i, 1);
      };
    },
  };
}

module.exports = { createTokenStore, AUTH_KEY, TICKET_KEY };
