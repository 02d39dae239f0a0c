/**
 * Wiring: builds the request layer, the API and the auth helpers from config.js.
 * `createServices` is what tests and the Node end-to-end harness use with their own `wx`;
 * the default export is the instance the mini program pages use (global `wx`).
 */
const config = require('../config');
const { createHttp } = require('./http');
const { createTokenStore } = require('./tokens');
const { createApi } = require('./api');
const { createAuth } = require('./auth');

function globalWx() {
  if (typeof wx !== 'undefined') return wx;
  return typeof globalThis !== 'undefined' ? globalThis.wx : undefined;
}

const LOGIN_PAGE = 'pages/login/index';

let loginOpenedAt = 0;

/** Opens the login page once, however many requests found the session gone at the same time. */
function openLogin(getWx) {
  const w = getWx();
  if (!w || typeof w.navigateTo !== 'function') return;
  const pages = typeof getCurrentPages === 'function' ? getCurrentPages() : [];
  const top = pages[pages.length - 1];
  if ((top && top.route === LOGIN_PAGE) || Date.now() - loginOpenedAt < 2000) return;
  loginOpenedAt = Date.now();
  w.navigateTo({ url: `/${LOGIN_PAGE}` });
}

function createServices(options) {
  const o = options || {};
  const getWx = o.getWx || (o.wx ? () => o.wx : globalWx);
  const tokens = o.tokens || createTokenStore(getWx);
  const http = createHttp({
    baseUrl: o.baseUrl || config.apiBaseUrl,
    timeout: o.timeout || config.requestTimeoutMs,
    getWx,
    tokens,
    notify: o.notify,
    onAuthRequired: o.onAuthRequired || (() => openLogin(getWx)),
  });
  const api = createApi(http);
  const auth = createAuth({ api, tokens, getWx });
  return { http, tokens, api, auth, getWx };
}

const services = createServices();

module.exports = Object.assign({ createServices }, services);
