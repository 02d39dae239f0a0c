/**
 * Renders one page of the scratch build (build.js) in jsdom with miniprogram-simulate:
 * WXML compiled by WeChat's own compiler (wcc, `compiler: 'official'`), the real TDesign
 * components, the page's real JS and services/ talking to the live server through `wx`.
 * Returns a standalone HTML document (rpx converted at 375 pt width) for Chromium.
 */
const fs = require('fs');
const path = require('path');
const { JSDOM } = require('jsdom');

const dom = new JSDOM('<!doctype html><html><head></head><body></body></html>', { pretendToBeVisual: true, url: 'http://localhost/' });
['window', 'document', 'Node', 'Element', 'HTMLElement', 'Event', 'CustomEvent', 'MouseEvent', 'DocumentFragment',
  'Text', 'Comment', 'MutationObserver', 'getComputedStyle', 'requestAnimationFrame', 'cancelAnimationFrame'].forEach((k) => {
  if (!(k in global)) global[k] = k === 'window' ? dom.window : dom.window[k];
});
if (typeof global.getComputedStyle === 'function') global.getComputedStyle = global.getComputedStyle.bind(dom.window);

const simulate = require('miniprogram-simulate');
const simulateUtils = require('miniprogram-simulate/src/utils');
const wxss = require('miniprogram-simulate/src/wxss');
const jComponent = require('j-component');
const { toDocument, rpxToPx } = require('./document');

// form-field renders nested objects through itself: register it as the jest helpers do.
require('../../test/helpers/recursive-components').allowSelfReference(jComponent);

// TDesign lists `class` among a component's external classes (SuperComponent), so the class
// written on <t-icon class="…"> styles the component's inner root, as in WeChat. j-component
// treats `class` on a component as the host's class only: pass it on to the external class too.
const exparser = require('miniprogram-exparser');

const classProperty = Object.getOwnPropertyDescriptor(exparser.Element.prototype, 'class');
Object.defineProperty(exparser.Element.prototype, 'class', {
  configurable: true,
  enumerable: classProperty.enumerable,
  get: classProperty.get,
  set(value) {
    classProperty.set.call(this, value);
    if (this instanceof exparser.Component && typeof this.hasExternalClass === 'function' && this.hasExternalClass('class')) {
      this.setExternalClass('class', value);
    }
  },
});

let ROOTDIR = null;

/** WeChat's module resolution: relative paths, else `miniprogram_npm/<name>` up the tree. */
function resolveModule(fromDir, request) {
  const candidates = (p) => [p, `${p}.js`, path.join(p, 'index.js')];
  if (request.startsWith('.') || request.startsWith('/')) {
    const base = request.startsWith('/') ? path.join(ROOTDIR, request) : path.resolve(fromDir, request);
    return candidates(base).find((c) => fs.existsSync(c) && fs.statSync(c).isFile()) || base;
  }
  for (let dir = fromDir; dir.startsWith(ROOTDIR); dir = path.dirname(dir)) {
    const found = candidates(path.join(dir, 'miniprogram_npm', request)).find((c) => fs.existsSync(c) && fs.statSync(c).isFile());
    if (found) return found;
    if (dir === ROOTDIR) break;
  }
  return null;
}

const moduleCache = {};
/** Runs a file of the scratch build as the mini program would (one instance per module). */
function runModule(file) {
  if (moduleCache[file]) return moduleCache[file].exports;
  const mod = { exports: {} };
  moduleCache[file] = mod;
  const dir = path.dirname(file);
  const localRequire = (request) => {
    const resolved = resolveModule(dir, request);
    return resolved ? runModule(resolved) : require(request);
  };
  const source = fs.readFileSync(file, 'utf8');
  // eslint-disable-next-line no-new-func
  new Function('require', 'module', 'exports', '__filename', '__dirname', source)(localRequire, mod, mod.exports, file, dir);
  return mod.exports;
}
/**
 * Forgets the mini program's modules: the next page starts as a fresh launch (its own store and
 * tokens). The npm packages (TDesign) keep no per-user state and stay loaded.
 */
function resetModules() {
  Object.keys(moduleCache).forEach((k) => {
    if (!k.includes(`${path.sep}miniprogram_npm${path.sep}`)) delete moduleCache[k];
  });
}
// Components and pages run each time they are loaded (they call Component()); utils stay shared.
simulateUtils.runJs = (filePath) => {
  const file = filePath.endsWith('.js') ? filePath : `${filePath}.js`;
  delete moduleCache[file];
  return runModule(file);
};

// Inline styles: j-component turns `Nrpx` into `Npx`; WeChat draws 750 rpx as the 375 pt width.
const jUtils = require('j-component/src/tool/utils');

jUtils.transformRpx = (style) => rpxToPx(style);
simulateUtils.transformRpx = (style) => rpxToPx(style);

/**
 * Built-in elements whose look comes from their properties (native views in WeChat): keep the
 * properties on the DOM element (data-mp-*), document.js draws them.
 */
function keep(names) {
  const properties = {};
  names.forEach((name) => {
    properties[name] = {
      type: null,
      value: null,
      observer(value) {
        const el = this._exparserNode && this._exparserNode.$$;
        if (!el) return;
        if (name === 'nodes') el.__mpNodes = value;
        else if (value === null || value === undefined) el.removeAttribute(`data-mp-${name}`);
        else el.setAttribute(`data-mp-${name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`, typeof value === 'object' ? JSON.stringify(value) : String(value));
      },
    };
  });
  return properties;
}
const BUILTIN = {
  image: ['src', 'mode'], input: ['value', 'placeholder', 'password', 'type'], textarea: ['value', 'placeholder', 'autoHeight'],
  'rich-text': ['nodes'],
};
Object.keys(BUILTIN).forEach((name) => {
  jComponent.register({ id: name, tagName: `wx-${name}`, template: '<slot/>', properties: keep(BUILTIN[name]) });
});

// Every page load compiles the WXSS of all the components it registers again (postcss + csso):
// the same files with the same prefixes each time, so remember the results.
const compileWxss = wxss.compile;
const compiledWxss = new Map();
wxss.compile = (source, options) => {
  const key = `${(options && options.prefix) || ''}\u0000${source}`;
  if (!compiledWxss.has(key)) compiledWxss.set(key, compileWxss(source, options));
  return compiledWxss.get(key);
};

let capturedCss = '';
wxss.insert = (list) => {
  capturedCss = (Array.isArray(list) ? list : [list]).join('\n');
};

// A page's promise that fails with nobody awaiting it is that page's script error, not the end
// of the run (Node would exit on it).
let pageErrors = null;
process.on('unhandledRejection', (reason) => {
  const message = `unhandled: ${(reason && reason.message) || reason}`;
  if (pageErrors) pageErrors.push(message);
  else process.stderr.write(`${message}\n`);
});

function flush(ms) {
  return new Promise((r) => setTimeout(r, ms || 0));
}

/** Waits until no request is in flight for a little while (or the limit passes). */
async function settle(wx, limitMs) {
  const end = Date.now() + (limitMs || 8000);
  let quiet = 0;
  while (Date.now() < end && quiet < 4) {
    await flush(25);  
    quiet = wx.state.pending ? 0 : quiet + 1;
  }
}

/**
 * Renders `page` (e.g. "pages/home/index"). `setup(runModule)` runs first, after the modules were
 * reset (to sign in, hand values over, switch 适老化). Returns { html, title, errors, wx }.
 */
async function renderPage(root, page, options) {
  const o = options || {};
  ROOTDIR = root;
  resetModules();
  const app = JSON.parse(fs.readFileSync(path.join(root, 'app.json'), 'utf8'));
  const wx = o.wx;
  global.wx = wx;
  const errors = [];
  pageErrors = errors;
  global.getApp = () => ({ globalData: {} });
  const pageStack = [];
  global.getCurrentPages = () => pageStack;
  if (o.setup) await o.setup(runModule);

  const usingComponents = {};
  Object.keys(app.usingComponents || {}).forEach((tag) => {
    const target = app.usingComponents[tag];
    usingComponents[tag] = target.startsWith('/') || target.startsWith('.') ? target : `/miniprogram_npm/${target}`;
  });
  const id = simulate.load(path.join(root, page), { compiler: 'official', rootPath: root, usingComponents });
  const comp = simulate.render(id, {});
  const parent = document.createElement('wx-page');
  document.body.innerHTML = '';
  document.body.appendChild(parent);
  comp.attach(parent);
  const inst = comp.instance;
  pageStack.push(Object.assign(inst, { route: page, options: o.query || {} }));
  const call = async (name, arg) => {
    if (typeof inst[name] !== 'function') return;
    try {
      await inst[name](arg);
    } catch (e) {
      errors.push(`${name}: ${e && e.message}`);
    }
  };
  await call('onLoad', o.query || {});
  await call('onShow');
  await call('onReady');
  await settle(wx);
  if (o.after) await o.after(inst, comp);
  await settle(wx);

  const pageJson = JSON.parse(fs.readFileSync(path.join(root, `${page}.json`), 'utf8'));
  const title = wx.state.title || pageJson.navigationBarTitleText || app.window.navigationBarTitleText;
  const navColor = wx.state.navColor || pageJson.navigationBarBackgroundColor || app.window.navigationBarBackgroundColor;
  const tabBar = (app.tabBar && app.tabBar.list.some((t) => t.pagePath === page)) ? app.tabBar : null;
  const html = toDocument({ root, page, css: capturedCss, pageEl: parent, title, navColor, tabBar });
  comp.detach();
  return { html, title, errors, toasts: wx.toasts.slice(), failedRequests: wx.state.failed.slice() };
}

module.exports = { renderPage, runModule, resetModules };
