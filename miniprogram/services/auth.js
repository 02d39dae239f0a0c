/**
 * Sign-in and session: WeChat binding on launch, the login/register calls (which carry the
 * binding ticket when WeChat is not bound yet) and logout.
 *
 * A binding ticket is used once: it is dropped after any sign-in attempt, whatever the answer,
 * so a stale ticket can never block signing in. 退出登录 sticks on this device: until the user
 * signs in again by hand, launching the mini program does not sign in through the WeChat binding.
 */
function wxLogin(wx) {
  return new Promise((resolve, reject) => {
    wx.login({
      success: (res) => (res && res.code ? resolve(res.code) : reject(new Error('wx.login returned no code'))),
      fail: reject,
    });
  });
}

const SIGNED_OUT_KEY = 'msa.signedOut';

function createAuth({ api, tokens, getWx }) {
  function storage(method, ...args) {
    const wx = getWx();
    if (!wx || typeof wx[method] !== 'function') return undefined;
    try {
      return wx[method](...args);
    } catch (e) {
      return undefined;
    }
  }

  function signedIn(res) {
    if (res && res.access_token) {
      tokens.save(res);
      storage('removeStorageSync', SIGNED_OUT_KEY);
    }
    return res;
  }

  /** Calls a sign-in endpoint with the binding ticket (if any), which is then spent either way. */
  function withTicket(call, body) {
    const ticket = tokens.getBindingTicket();
    const sent = ticket ? Object.assign({}, body, { binding_ticket: ticket }) : body;
    const done = () => tokens.setBindingTicket(null);
    return call(sent).then((res) => {
      done();
      return signedIn(res);
    }, (err) => {
      done();
      throw err;
    });
  }

  return {
    /**
     * On launch: wx.login → POST /auth/wechat/session. Bound: signed in. Not bound: keep the
     * binding ticket for the next login or registration. Never throws.
     */
    async bindWechat() {
      if (tokens.isLoggedIn()) return { bound: true, user: tokens.getUser() };
      // signed out on this device: stay so until the user signs in by hand
      if (storage('getStorageSync', SIGNED_OUT_KEY)) return { bound: false };
      const wx = getWx();
      if (!wx || typeof wx.login !== 'function') return { bound: false };
      try {
        const res = await api.auth.wechatSession(await wxLogin(wx));
        if (res && res.access_token) {
          signedIn(res);
          return { bound: true, user: res.user || null };
        }
        tokens.setBindingTicket((res && res.binding_ticket) || null);
      } catch (e) {
        // Offline or WeChat refused: the user can still sign in by hand.
      }
      return { bound: false };
    },
    /**
     * Resolves with the tokens (signed in), or, for officers, staff and admins, with the second
     * factor step `{second_factor_required, ticket, enrolled}` (not signed in yet).
     */
    loginPassword: (username, password) => withTicket(api.auth.loginPassword, { username, password }),
    /** code: the authenticator's 6 digits or a recovery code. */
    loginSecondFactor: (ticket, code) => api.auth.loginSecondFactor({ ticket, code }).then(signedIn),
    /** → {secret, otpauth_uri, qr_svg} for an account without an authenticator. */
    startEnrolment: (ticket) => api.auth.startEnrolment(ticket),
    /** Signs in; the response also carries the recovery codes, shown once. */
    confirmEnrolment: (ticket, code) => api.auth.confirmEnrolment({ ticket, code }).then(signedIn),
    /** After auth.password_expired: the new password, then the second factor step. */
    changeExpiredPassword: (ticket, newPassword) => api.auth.changeExpiredPassword({ ticket, new_password: newPassword }),
    /** proof: {face_session_id, verify_result} */
    loginPersonal: (proof) => withTicket(api.auth.loginPersonal, proof),
    registerPersonal: (body) => withTicket(api.auth.registerPersonal, body),
    registerCorporate: (body) => withTicket(api.auth.registerCorporate, body),
    resetPassword: (body) => api.auth.resetPassword(body),
    async logout() {
      try {
        if (tokens.isLoggedIn()) await api.auth.logout();
      } catch (e) {
        // The local session ends whatever the server says.
      } finally {
        tokens.clear();
        tokens.setBindingTicket(null);
        storage('setStorageSync', SIGNED_OUT_KEY, true);
      }
    },
    /** Reloads /me into the token store (the user shown by 个人中心). */
    async refreshUser(extra) {
      const me = await api.me.get(extra);
      tokens.setUser(me);
      return me;
    },
    isLoggedIn: () => tokens.isLoggedIn(),
    user: () => tokens.getUser(),
  };
}

module.exports = { createAuth, SIGNED_OUT_KEY };
