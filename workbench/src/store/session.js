// Who is signed in (kept for this browser tab only), and the idle clock the server keeps too.
import { defineStore } from 'pinia';
import { auth } from '../api/auth';

const STORAGE_KEY = 'msa-workbench-session';
// The server notes a session's activity at most once a minute: count that minute as gone.
const SERVER_GRANULARITY_S = 60;

function idleTimeoutSeconds() {
  const content = document.querySelector('meta[name="msa-settings"]')?.content || '';
  const seconds = Number(new URLSearchParams(content.replace(/;\s*/g, '&')).get('idle_timeout'));
  return Number.isFinite(seconds) && seconds > 0 ? seconds : 15 * 60;
}

function stored() {
  try {
    return JSON.parse(sessionStorage.getItem(STORAGE_KEY)) || {};
  } catch {
    return {};
  }
}

export const useSession = defineStore('session', {
  state: () => ({
    accessToken: '',
    refreshToken: '',
    user: null,
    lastActivity: 0,
    idleTimeout: idleTimeoutSeconds(),
    endedBecause: '',
    ...stored(),
  }),
  getters: {
    signedIn: (state) => Boolean(state.accessToken),
    /** The account's role code: staff, or sysadmin (数据维护). */
    role: (state) => (state.user && state.user.role && state.user.role.code) || '',
    /** Seconds this tab may stay idle before the server ends the session. */
    idleAllowance: (state) => Math.max(state.idleTimeout - SERVER_GRANULARITY_S, 30),
  },
  actions: {
    save() {
      const { accessToken, refreshToken, user, lastActivity } = this;
      sessionStorage.setItem(STORAGE_KEY, JSON.stringify({ accessToken, refreshToken, user, lastActivity }));
    },
    signIn(tokens) {
      this.accessToken = tokens.access_token;
      this.refreshToken = tokens.refresh_token;
      this.user = tokens.user;
      this.endedBecause = '';
      this.lastActivity = Date.now();
      this.save();
    },
    noteActivity() {
      this.lastActivity = Date.now();
      this.save();
    },
    async refresh() {
      try {
        this.signIn(await auth.refresh(this.refreshToken));
        return true;
      } catch {
        return false;
      }
    },
    /** The server no longer accepts the session (idle, signed out elsewhere, expired). */
    expire(problem) {
      const idle = problem && problem.code === 'auth.session_idle';
      this.clear(idle ? '由于长时间未操作，已安全退出，请重新登录' : '登录已失效，请重新登录');
    },
    clear(reason = '') {
      this.accessToken = '';
      this.refreshToken = '';
      this.user = null;
      this.lastActivity = 0;
      this.endedBecause = reason;
      sessionStorage.removeItem(STORAGE_KEY);
    },
  },
});
