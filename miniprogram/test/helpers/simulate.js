/**
 * Loads components and pages of the mini program with miniprogram-simulate.
 *
 * TDesign components (declared globally in app.json) are replaced by light stand-ins that
 * render their text properties and slots, so tests see the page's own markup and can fire the
 * events TDesign would (`stub.instance.triggerEvent('change', {value})`).
 * Pages are built with Component() (a supported way to write pages), so they load as they are;
 * their page lifecycle (onLoad/onShow/...) is called by the test.
 */
const fs = require('fs');
const path = require('path');
const simulate = require('miniprogram-simulate');
const simulateUtils = require('miniprogram-simulate/src/utils');
const jComponent = require('j-component');

require('./recursive-components').allowSelfReference(jComponent);

// miniprogram-simulate runs a component's JS with require() and then deletes it from
// require.cache so the next load runs it again; Jest's module registry ignores that delete.
// Run the file's source each time instead, with a require that shares Jest's registry, so a
// component used by several pages registers every time while utils/services stay singletons.
simulateUtils.runJs = (filePath) => {
  const file = filePath.endsWith('.js') ? filePath : `${filePath}.js`;
  const dir = path.dirname(file);
  const source = fs.readFileSync(file, 'utf8');
  const mod = { exports: {} };
  const localRequire = (request) => require(request.startsWith('.') ? path.resolve(dir, request) : request);
  // eslint-disable-next-line no-new-func
  new Function('require', 'module', 'exports', '__filename', '__dirname', source)(localRequire, mod, mod.exports, file, dir);
  return mod.exports;
};

const ROOT = path.resolve(__dirname, '../..');
const APP = require('../../app.json');

const STUB_PROPS = ['label', 'title', 'content', 'text', 'note', 'description', 'placeholder', 'tips', 'value',
  'visible', 'disabled', 'loading', 'theme', 'options', 'count', 'dot', 'current', 'items', 'status', 'percentage',
  'name', 'checked', 'icon', 'arrow', 'url', 'size', 'variant', 'block', 'type', 'maxlength', 'texts', 'required',
  'align', 'layout', 'borderless', 'bordered', 'shape', 'image', 'placement'];

let stubs = null;

function tdesignStubs() {
  if (stubs) return stubs;
  stubs = {};
  const properties = {};
  STUB_PROPS.forEach((p) => {
    properties[p] = { type: null, value: null };
  });
  Object.keys(APP.usingComponents).forEach((tag) => {
    stubs[tag] = simulate.load({
      tagName: tag,
      template: '<view class="stub">{{label}}{{title}}{{content}}{{text}}{{note}}{{description}}{{tips}}'
        + '<slot name="title"/><slot name="note"/><slot name="description"/><slot name="icon"/>'
        + '<slot name="content"/><slot name="footer"/><slot/></view>',
      properties,
      options: { multipleSlots: true, addGlobalClass: true },
    });
  });
  return stubs;
}

/** Loads and attaches `relPath` (e.g. "components/status-tag/index"), rendering it with props. */
global.__mpAttached = global.__mpAttached || [];
const attached = global.__mpAttached;

/** Detaches everything loaded by the test (pages and components unsubscribe from stores). */
function cleanup() {
  while (attached.length) attached.pop().detach();
}

function loadWith(compiler, relPath, props) {
  const id = simulate.load(path.join(ROOT, relPath), {
    rootPath: ROOT,
    compiler,
    usingComponents: tdesignStubs(),
  });
  const comp = simulate.render(id, props || {});
  const parent = document.createElement('parent-wrapper');
  comp.attach(parent);
  attached.push(comp);
  return comp;
}

function load(relPath, props) {
  return loadWith('simulate', relPath, props);
}

/**
 * Like load(), but compiles the templates with WeChat's own WXML compiler (the npm package
 * miniprogram-compiler), which behaves as on a phone where the default simulate compiler does
 * not (e.g. `index` inside a nested wx:for is the inner loop's).
 */
function loadOfficial(relPath, props) {
  return loadWith('official', relPath, props);
}

async function runPage(comp, query) {
  const inst = comp.instance;
  if (typeof inst.onLoad === 'function') await inst.onLoad(query || {});
  if (typeof inst.onShow === 'function') await inst.onShow();
  return comp;
}

/** loadPage() with WeChat's own WXML compiler (see loadOfficial). */
function loadPageOfficial(relPath, query) {
  return runPage(loadOfficial(relPath), query);
}

/** Loads a page and runs its onLoad(query) (and onShow), resolving once both settled. */
async function loadPage(relPath, query) {
  const comp = load(relPath);
  const inst = comp.instance;
  if (typeof inst.onLoad === 'function') await inst.onLoad(query || {});
  if (typeof inst.onShow === 'function') await inst.onShow();
  return comp;
}

/** Lets promises (fake server replies, async handlers) settle. */
function flush(times) {
  let p = Promise.resolve();
  for (let i = 0; i < (times || 10); i += 1) p = p.then(() => new Promise((r) => setTimeout(r, 0)));
  return p;
}

/**
 * Fires an event as the element would (j-component delivers it asynchronously, bubbling and
 * composed) and waits until the handlers settled. `target` is a wrapper or a selector.
 */
async function fire(comp, target, eventName, detail) {
  const el = typeof target === 'string' ? comp.querySelector(target) : target;
  if (!el) throw new Error(`nothing matches ${target}`);
  el.dispatchEvent(eventName, { detail: detail || {} });
  await flush();
}

/** The text of the rendered tree, whitespace collapsed. */
function text(comp) {
  return comp.dom.textContent.replace(/\s+/g, ' ').trim();
}

/** Every element (components included) matching a selector. */
function all(comp, selector) {
  return comp.querySelectorAll(selector);
}

module.exports = {
  load, loadOfficial, loadPage, loadPageOfficial, text, all, fire, flush, cleanup, ROOT, simulate,
};
