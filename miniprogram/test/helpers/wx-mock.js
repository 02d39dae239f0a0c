/**
 * A `wx` for unit tests: every API is a jest.fn with a harmless default (storage in memory,
 * navigation recorded, dialogs confirmed). Tests override what they need.
 */
function createWxMock() {
  const storage = {};
  const ok = (params, result) => {
    const res = Object.assign({ errMsg: 'ok' }, result);
    if (params && params.success) params.success(res);
    if (params && params.complete) params.complete(res);
  };
  const wx = {
    storage,
    getStorageSync: jest.fn((k) => (k in storage ? storage[k] : '')),
    setStorageSync: jest.fn((k, v) => {
      storage[k] = v;
    }),
    removeStorageSync: jest.fn((k) => {
      delete storage[k];
    }),
    showToast: jest.fn((p) => ok(p)),
    showLoading: jest.fn((p) => ok(p)),
    hideLoading: jest.fn((p) => ok(p)),
    showModal: jest.fn((p) => ok(p, { confirm: true, cancel: false })),
    showActionSheet: jest.fn((p) => ok(p, { tapIndex: 0 })),
    navigateTo: jest.fn((p) => ok(p)),
    redirectTo: jest.fn((p) => ok(p)),
    navigateBack: jest.fn((p) => ok(p)),
    switchTab: jest.fn((p) => ok(p)),
    reLaunch: jest.fn((p) => ok(p)),
    setNavigationBarTitle: jest.fn((p) => ok(p)),
    setNavigationBarColor: jest.fn((p) => ok(p)),
    setTabBarBadge: jest.fn((p) => ok(p)),
    removeTabBarBadge: jest.fn((p) => ok(p)),
    stopPullDownRefresh: jest.fn((p) => ok(p)),
    pageScrollTo: jest.fn((p) => ok(p)),
    login: jest.fn((p) => ok(p, { code: 'test-code' })),
    request: jest.fn((p) => p.fail && p.fail({ errMsg: 'request:fail no fake server' })),
    uploadFile: jest.fn((p) => {
      if (p.fail) p.fail({ errMsg: 'uploadFile:fail no fake server' });
      return { onProgressUpdate: jest.fn(), abort: jest.fn() };
    }),
    downloadFile: jest.fn((p) => p.fail && p.fail({ errMsg: 'downloadFile:fail no fake server' })),
    openDocument: jest.fn((p) => ok(p)),
    setClipboardData: jest.fn((p) => ok(p)),
    shareFileMessage: jest.fn((p) => ok(p)),
    previewImage: jest.fn((p) => ok(p)),
    scanCode: jest.fn((p) => ok(p, { result: 'scanned-token' })),
    chooseMedia: jest.fn((p) => ok(p, { tempFiles: [{ tempFilePath: 'wxfile://tmp/photo.jpg', size: 1024 }] })),
    chooseMessageFile: jest.fn((p) => ok(p, { tempFiles: [{ path: 'wxfile://tmp/doc.pdf', name: '申请书.pdf', size: 2048 }] })),
    startFacialRecognitionVerify: jest.fn((p) => ok(p, { verifyResult: 'wx-verify-result' })),
    requestSubscribeMessage: jest.fn((p) => ok(p, {})),
    getFileSystemManager: jest.fn(() => ({ readFileSync: jest.fn(() => '') })),
    getSystemInfoSync: jest.fn(() => ({ windowWidth: 375, windowHeight: 667, pixelRatio: 2 })),
  };
  return wx;
}

module.exports = { createWxMock };
