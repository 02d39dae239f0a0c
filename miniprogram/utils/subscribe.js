/**
 * Asks the user to subscribe to status notifications after an application is submitted, with
 * the template ids of config.js (nothing is asked while none is configured).
 */
const config = require('../config');
const { call } = require('./wxp');

function templateIds(keys) {
  const ids = config.subscribeTemplateIds || {};
  return (keys || Object.keys(ids)).map((k) => ids[k]).filter(Boolean).slice(0, 3);
}

function requestSubscribe(keys, w) {
  const tmplIds = templateIds(keys);
  if (!tmplIds.length) return Promise.resolve(null);
  return call('requestSubscribeMessage', { tmplIds }, w).catch(() => null);
}

module.exports = { requestSubscribe, templateIds };
