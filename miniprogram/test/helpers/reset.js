/* Runs in every test file after the framework is set up. */
// The app's singletons (session, store, caches) start clean for every test.
beforeEach(() => {
  const services = require('../../services/index');
  const store = require('../../utils/store');
  const handoff = require('../../utils/handoff');
  const onlineItems = require('../../utils/online-items');
  const consent = require('../../utils/consent');
  services.tokens.clear();
  services.tokens.setBindingTicket(null);
  store.reset();
  ['picker', 'progress-result', 'scan-result', 'face-proof'].forEach((k) => handoff.take(k));
  onlineItems.reset();
  consent.resetConsentCache();
  Object.keys(global.wx.storage).forEach((k) => delete global.wx.storage[k]);
  global.getCurrentPages.mockReturnValue([]);
});

afterEach(() => {
  const attached = global.__mpAttached || [];
  while (attached.length) attached.pop().detach();
});
