/* Runs in every test file after the framework is set up. */
// The app's singletons (session, store, caches) start clean for every test.
beforeEach(() => {
  (global.__contractViolations || []).splice(0);
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
  require('../../utils/subscribe').reset();
  Object.keys(global.wx.storage).forEach((k) => delete global.wx.storage[k]);
  global.getCurrentPages.mockReturnValue([]);
});

afterEach(() => {
  const attached = global.__mpAttached || [];
  while (attached.length) attached.pop().detach();
  // replies of the fake server that the API contract (openapi/openapi.json) does not allow
  const violations = (global.__contractViolations || []).splice(0);
  if (violations.length) throw new Error(`the fake server answered outside openapi.json:\n${violations.join('\n\n')}`);
});
