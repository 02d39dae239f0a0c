/**
 * The `wx` the pages see while they are rendered: the Node bridge of the end-to-end suite
 * (wx.request / uploadFile / downloadFile against the live server) plus what the pages and
 * TDesign call while rendering, on a 375 × 812 pt phone. Navigation and dialogs are recorded,
 * nothing more; the navigation bar title and colour are kept for the screenshot's title bar.
 */
const { createNodeWx } = require('../../test/e2e/wx-node');

const WINDOW = {
  pixelRatio: 2, screenWidth: 375, screenHeight: 812, windowWidth: 375, windowHeight: 812,
  statusBarHeight: 44, safeArea: { left: 0, right: 375, top: 44, bottom: 778, width: 375, height: 734 },
  screenTop: 0,
};

function createRenderWx() {
  const base = createNodeWx();
  const state = { pending: 0, title: null, navColor: null, calls: [], failed: [] };
  const done = (p, res) => {
    const r = Object.assign({ errMsg: 'ok' }, res);
    if (p && p.success) p.success(r);
    if (p && p.complete) p.complete(r);
  };
  /**
   * Node's fetch may reuse a keep-alive connection the server has just closed ("fetch failed"
   * before any answer); the phone's network stack retries that itself, so the bridge does too.
   */
  const retrying = (fn) => (p) => fn(Object.assign({}, p, {
    fail: (e) => {
      if (e && /fetch failed/.test(e.errMsg || '') && (p.method || 'GET').toUpperCase() === 'GET') fn(p);
      else if (p.fail) p.fail(e);
    },
  }));
  const wrap = (fn) => (p) => {
    state.pending += 1;
    let settled = false;
    const settle = () => {
      if (!settled) {
        settled = true;
        state.pending -= 1;
      }
    };
    const q = Object.assign({}, p, {
      success: (r) => {
        settle();
        if (r && r.statusCode >= 400) state.failed.push(`${(p.method || 'GET').toUpperCase()} ${String(p.url).replace(/^https?:\/\/[^/]+/, '')} → ${r.statusCode}`);
        if (p.success) p.success(r);
        if (p.complete) p.complete(r);
      },
      fail: (e) => {
        settle();
        state.failed.push(`${(p.method || 'GET').toUpperCase()} ${String(p.url).replace(/^https?:\/\/[^/]+/, '')} → ${e && e.errMsg}`);
        if (p.fail) p.fail(e);
        if (p.complete) p.complete(e);
      },
    });
    return fn(q);
  };
  const wx = Object.assign({}, base, {
    state,
    request: wrap(retrying(base.request)),
    uploadFile: wrap(base.uploadFile),
    downloadFile: wrap(base.downloadFile),
    getWindowInfo: () => Object.assign({}, WINDOW),
    getDeviceInfo: () => ({ platform: 'ios', system: 'iOS 17.0', model: 'iPhone', brand: 'iPhone', pixelRatio: 2 }),
    getAppBaseInfo: () => ({ SDKVersion: '3.5.0', version: '8.0.50', language: 'zh_CN', theme: 'light', fontSizeSetting: 16 }),
    getSystemInfoSync: () => Object.assign({ platform: 'ios', SDKVersion: '3.5.0', version: '8.0.50', theme: 'light' }, WINDOW),
    getSystemSetting: () => ({ theme: 'light' }),
    getAccountInfoSync: () => ({ miniProgram: { envVersion: 'develop', appId: 'touristappid' } }),
    getMenuButtonBoundingClientRect: () => ({ width: 87, height: 32, top: 48, right: 368, bottom: 80, left: 281 }),
    canIUse: () => true,
    nextTick: (fn) => setTimeout(fn, 0),
    onThemeChange() {},
    offThemeChange() {},
    onWindowResize() {},
    offWindowResize() {},
    onAppShow() {},
    offAppShow() {},
    onKeyboardHeightChange() {},
    offKeyboardHeightChange() {},
    setNavigationBarTitle: (p) => {
      state.title = p.title;
      done(p);
    },
    setNavigationBarColor: (p) => {
      state.navColor = p.backgroundColor;
      done(p);
    },
    showToast: (p) => {
      base.toasts.push(p.title);
      done(p);
    },
    createSelectorQuery: () => {
      const q = {
        in: () => q, select: () => q, selectAll: () => q, selectViewport: () => q,
        boundingClientRect: (cb) => { if (cb) cb(null); return q; },
        fields: (f, cb) => { if (cb) cb(null); return q; },
        scrollOffset: (cb) => { if (cb) cb({ scrollTop: 0 }); return q; },
        exec: (cb) => { if (cb) cb([]); },
      };
      return q;
    },
    createIntersectionObserver: () => ({ relativeToViewport: function r() { return this; }, relativeTo: function r() { return this; }, observe() {}, disconnect() {} }),
    getStorageInfoSync: () => ({ keys: Object.keys(base.storage), currentSize: 0, limitSize: 10240 }),
  });
  // Everything else a page may call (navigation, dialogs, subscriptions…): recorded, answered ok.
  return new Proxy(wx, {
    get(target, key) {
      if (key in target || typeof key !== 'string') return target[key];
      return (p) => {
        state.calls.push(key);
        if (/^(show|hide|navigate|redirect|switchTab|reLaunch|stopPullDownRefresh|pageScrollTo|setTabBar|removeTabBar|vibrate)/.test(key)) done(p);
        return undefined;
      };
    },
  });
}

module.exports = { createRenderWx, WINDOW };
