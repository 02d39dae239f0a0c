/**
 * Promise wrappers for callback-style wx APIs. `wx` is passed in (or read from the global) so
 * pages and tests share one code path.
 */
function globalWx() {
  return typeof wx !== 'undefined' ? wx : undefined;
}

/** Calls wx[name](params) and resolves with the success result, rejects with the fail result. */
function call(name, params, w) {
  const target = w || globalWx();
  return new Promise((resolve, reject) => {
    if (!target || typeof target[name] !== 'function') {
      reject(new Error(`wx.${name} is not available`));
      return;
    }
    target[name](Object.assign({}, params, { success: resolve, fail: reject }));
  });
}

function isCancel(err) {
  return Boolean(err && /cancel/i.test(String(err.errMsg || err.message || '')));
}

function toast(title, icon, w) {
  const target = w || globalWx();
  if (target && title) target.showToast({ title, icon: icon || 'none', duration: 2000 });
}

/** Resolves true when the user confirms. */
function confirm(content, title, w) {
  return call('showModal', { title: title || '提示', content, confirmText: '确定', cancelText: '取消' }, w)
    .then((res) => Boolean(res && res.confirm), () => false);
}

module.exports = { call, isCancel, toast, confirm, globalWx };
