/**
 * Turns a rendered page (jsdom DOM of miniprogram-simulate) into a standalone HTML document for
 * Chromium: the WXSS of the page and its components (class-prefixed as exparser prefixes the
 * DOM), app.wxss for the page and for components that share it, base styles for WeChat's
 * built-in elements (wx-view, wx-image …), rpx at 375 pt (750 rpx = 375 px, screenshot ×2),
 * a navigation bar with the page's title and, for tab pages, the tab bar.
 */
const fs = require('fs');
const path = require('path');
const wxss = require('miniprogram-simulate/src/wxss');

/** The built-in elements' default look (WeChat's base library, approximately). */
const BASE_CSS = `
html { -webkit-text-size-adjust: 100%; }
body { margin: 0; width: 375px; font-size: 16px; line-height: 1.4; color: #000; background: #fff;
  font-family: -apple-system, "PingFang SC", "Noto Sans CJK SC", "Noto Sans SC", "Source Han Sans SC", sans-serif; }
wx-page, main, wx-view, wx-scroll-view, wx-swiper, wx-swiper-item, wx-form, wx-navigator, wx-cover-view, wx-rich-text,
wx-button, wx-textarea, wx-input, wx-picker-view, wx-movable-area, wx-editor, wx-progress { display: block; }
wx-text, wx-label, wx-icon, wx-picker { display: inline; }
wx-text { white-space: pre-wrap; }
wx-picker { display: block; }
wx-block { display: contents; }
[hidden] { display: none !important; }
wx-image { display: inline-block; position: relative; width: 160px; height: 120px; overflow: hidden; }
wx-image > img { display: block; width: 100%; height: 100%; object-fit: fill; }
wx-image[data-mp-mode="aspectFit"] > img { object-fit: contain; }
wx-image[data-mp-mode="aspectFill"] > img { object-fit: cover; }
wx-image[data-mp-mode="widthFix"] { height: auto; }
wx-image[data-mp-mode="widthFix"] > img { height: auto; }
wx-input { display: block; height: 1.4em; min-height: 1.4em; line-height: 1.4em; overflow: hidden; white-space: nowrap; text-overflow: clip; }
wx-textarea { display: block; width: 300px; height: 150px; overflow: hidden; white-space: pre-wrap; }
wx-textarea[data-mp-auto-height="true"] { height: auto; min-height: 1.4em; }
.mp-placeholder { color: #a0a4ab; }
wx-button { position: relative; display: block; box-sizing: border-box; margin-left: auto; margin-right: auto;
  padding-left: 14px; padding-right: 14px; font-size: 18px; text-align: center; line-height: 2.55555556;
  border-radius: 5px; color: #000; background-color: #f8f8f8; overflow: hidden; }
wx-scroll-view { overflow: hidden; }
wx-swiper { position: relative; height: 150px; overflow: hidden; }
wx-swiper-item { display: block; width: 100%; height: 100%; }
wx-swiper-item ~ wx-swiper-item { display: none; }
.mp-navbar { position: relative; height: 44px; line-height: 44px; text-align: center; font-size: 17px; font-weight: 600;
  color: #fff; overflow: hidden; white-space: nowrap; text-overflow: ellipsis; padding: 0 96px; }
.mp-capsule { position: absolute; right: 7px; top: 6px; width: 87px; height: 32px; box-sizing: border-box; border-radius: 16px;
  border: 1px solid rgba(255,255,255,.4); }
.mp-tabbar { position: fixed; left: 0; right: 0; bottom: 0; height: 50px; display: flex; border-top: 1px solid rgba(0,0,0,.33);
  background: #fff; z-index: 9999; }
.mp-tab { flex: 1; text-align: center; font-size: 10px; padding-top: 4px; }
.mp-tab img { display: block; width: 24px; height: 24px; margin: 0 auto 2px; }
body.mp-has-tabbar { padding-bottom: 50px; }
`;

/** rpx → px at 375 pt (750 rpx = the screen width). */
function rpxToPx(text) {
  return text.replace(/(-?\d*\.?\d+)rpx/g, (m, n) => `${+(parseFloat(n) / 2).toFixed(3)}px`);
}

/** `page` in WXSS is the page's root: the document root here. */
function pageToRoot(css) {
  return css.replace(/(^|[\s,}>+~(])page(?=[\s,.:{[>+~)])/g, '$1:root');
}

function dataUri(file) {
  const ext = path.extname(file).slice(1).toLowerCase();
  const type = { png: 'image/png', jpg: 'image/jpeg', jpeg: 'image/jpeg', svg: 'image/svg+xml', gif: 'image/gif' }[ext] || 'application/octet-stream';
  return `data:${type};base64,${fs.readFileSync(file).toString('base64')}`;
}

function readJson(file) {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (e) {
    return null;
  }
}

/**
 * Tag → whether app.wxss reaches into that component (styleIsolation apply-shared / shared, or
 * addGlobalClass), from every usingComponents of the build.
 */
function sharedTags(root) {
  const shared = new Set(['main']);
  const seen = new Set();
  function visit(jsonFile) {
    if (seen.has(jsonFile)) return;
    seen.add(jsonFile);
    const json = readJson(jsonFile);
    if (!json) return;
    Object.keys(json.usingComponents || {}).forEach((tag) => {
      const target = json.usingComponents[tag];
      let file;
      if (target.startsWith('/')) file = path.join(root, target);
      else if (target.startsWith('.')) file = path.resolve(path.dirname(jsonFile), target);
      else file = path.join(root, 'miniprogram_npm', target);
      const compJson = readJson(`${file}.json`) || {};
      let js = '';
      try {
        js = fs.readFileSync(`${file}.js`, 'utf8');
      } catch (e) {
        // no JS
      }
      const iso = compJson.styleIsolation || ((js.match(/styleIsolation\s*:\s*["']([a-z-]+)["']/) || [])[1]);
      if (iso === 'apply-shared' || iso === 'shared' || /addGlobalClass\s*:\s*(!0|true)/.test(js)) shared.add(tag);
      visit(`${file}.json`);
    });
  }
  visit(path.join(root, 'app.json'));
  ['pages', 'components'].forEach((dir) => {
    const base = path.join(root, dir);
    if (!fs.existsSync(base)) return;
    fs.readdirSync(base).forEach((d) => {
      fs.readdirSync(path.join(base, d)).filter((f) => f.endsWith('.json')).forEach((f) => visit(path.join(base, d, f)));
    });
  });
  return shared;
}

let sharedCache = null;
const appCssCache = {};

function appCss(root, tags) {
  if (!sharedCache || sharedCache.root !== root) sharedCache = { root, tags: sharedTags(root) };
  const source = wxss.getContent(path.join(root, 'app.wxss'));
  return tags.filter((t) => sharedCache.tags.has(t)).map((prefix) => {
    const key = `${root}|${prefix}`;
    if (!appCssCache[key]) appCssCache[key] = wxss.compile(source, { prefix });
    return appCssCache[key];
  }).join('\n');
}

/** The tag prefixes exparser wrote into class names (`t-cell--t-cell__title` → t-cell). */
function prefixesIn(el) {
  const out = new Set(['main']);
  el.querySelectorAll('[class]').forEach((e) => {
    e.getAttribute('class').split(/\s+/).forEach((c) => {
      const i = c.indexOf('--');
      if (i > 0) out.add(c.slice(0, i));
    });
  });
  return [...out];
}

function escapeHtml(s) {
  return String(s).replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]);
}

/** rich-text `nodes` (an HTML string or the node array) as HTML. */
function richText(nodes) {
  if (typeof nodes === 'string') return nodes;
  if (!Array.isArray(nodes)) return '';
  return nodes.map((n) => {
    if (!n) return '';
    if (n.type === 'text') return escapeHtml(n.text || '');
    const attrs = Object.keys(n.attrs || {}).map((k) => ` ${k}="${escapeHtml(n.attrs[k])}"`).join('');
    return `<${n.name}${attrs}>${richText(n.children || [])}</${n.name}>`;
  }).join('');
}

/** Gives the built-in elements the content WeChat's native views would draw. */
function materialize(el) {
  const doc = el.ownerDocument;
  el.querySelectorAll('wx-image').forEach((img) => {
    const src = img.getAttribute('data-mp-src');
    if (!src) return;
    const tag = doc.createElement('img');
    tag.setAttribute('src', src);
    tag.setAttribute('alt', '');
    img.insertBefore(tag, img.firstChild);
  });
  el.querySelectorAll('wx-input, wx-textarea').forEach((input) => {
    const value = input.getAttribute('data-mp-value') || '';
    const placeholder = input.getAttribute('data-mp-placeholder') || '';
    const span = doc.createElement('span');
    if (value) span.textContent = input.getAttribute('data-mp-password') === 'true' ? '•'.repeat(value.length) : value;
    else {
      span.textContent = placeholder;
      span.className = 'mp-placeholder';
    }
    input.insertBefore(span, input.firstChild);
  });
  el.querySelectorAll('wx-rich-text').forEach((rt) => {
    const nodes = rt.__mpNodes;
    if (nodes) rt.innerHTML = richText(nodes);
  });
}

function tabBarHtml(root, tabBar, page) {
  const items = tabBar.list.map((t) => {
    const active = t.pagePath === page;
    const icon = active ? t.selectedIconPath : t.iconPath;
    const img = icon && fs.existsSync(path.join(root, icon)) ? `<img src="${dataUri(path.join(root, icon))}" alt="">` : '';
    return `<div class="mp-tab" style="color:${active ? tabBar.selectedColor : tabBar.color}">${img}${escapeHtml(t.text)}</div>`;
  }).join('');
  return `<div class="mp-tabbar" style="background:${tabBar.backgroundColor || '#fff'}">${items}</div>`;
}

/** The standalone HTML of a rendered page. `pageEl` is the element the page was attached to. */
function toDocument({ root, page, css, pageEl, title, navColor, tabBar }) {
  materialize(pageEl);
  const styles = [appCss(root, prefixesIn(pageEl)), css].map((s) => rpxToPx(pageToRoot(s))).join('\n');
  const body = rpxToPx(pageEl.innerHTML);
  const nav = `<div class="mp-navbar" style="background:${escapeHtml(navColor || '#0052d9')}">`
    + `<span class="mp-title">${escapeHtml(title || '')}</span><span class="mp-capsule"></span></div>`;
  return '<!doctype html><html lang="zh-CN"><head><meta charset="utf-8">'
    + '<meta name="viewport" content="width=375, initial-scale=1">'
    + `<title>${escapeHtml(page)}</title><style>${BASE_CSS}</style><style>${styles}</style></head>`
    + `<body class="${tabBar ? 'mp-has-tabbar' : ''}">${nav}<wx-page>${body}</wx-page>`
    + `${tabBar ? tabBarHtml(root, tabBar, page) : ''}</body></html>`;
}

module.exports = { toDocument, rpxToPx, pageToRoot, BASE_CSS };
