/**
 * What a rendered page must satisfy, measured in Chromium on the laid-out page:
 * - every <img> decoded (naturalWidth > 0): a broken image;
 * - no text cut off by a box of fixed height with overflow hidden (ellipsis / line-clamp are
 *   deliberate and allowed);
 * - the page is not empty: a title and visible text;
 * - every TDesign icon draws a glyph of the bundled icon font (no CDN);
 * and, between the two renders of a page, 适老化 text is larger than normal text.
 *
 * `inPage` runs inside the page (Runtime.evaluate); it returns { problems, fontSize, icons }.
 */

/* eslint-disable no-var */
function inPage(options) {
  var o = options || {};
  var problems = [];
  var root = document.querySelector(o.root || 'wx-page') || document.body;

  function visible(el) {
    var cs = getComputedStyle(el);
    if (cs.display === 'none' || cs.visibility === 'hidden') return false;
    var r = el.getBoundingClientRect();
    return r.width > 0 && r.height > 0;
  }
  function describe(el) {
    var cls = (el.getAttribute('class') || '').trim().split(/\s+/).slice(0, 2).join('.');
    return el.tagName.toLowerCase() + (cls ? '.' + cls : '');
  }
  function snippet(text) {
    var t = text.replace(/\s+/g, ' ').trim();
    return t.length > 30 ? t.slice(0, 30) + '…' : t;
  }

  // Broken images.
  Array.prototype.forEach.call(document.images, function (img) {
    if (!img.complete || img.naturalWidth === 0) {
      var src = img.getAttribute('src') || '';
      problems.push({ check: 'image', message: '图片无法显示: ' + (src.length > 60 ? src.slice(0, 60) + '…' : src) });
    }
  });

  // Text cut off by a fixed-height box with overflow hidden.
  var all = root.querySelectorAll('*');
  Array.prototype.forEach.call(all, function (box) {
    // Native controls scroll their own content (a long text in a textarea is not cut off).
    if (/^WX-(TEXTAREA|INPUT|SCROLL-VIEW|PICKER-VIEW)$/.test(box.tagName)) return;
    var cs = getComputedStyle(box);
    if (cs.overflowY !== 'hidden' && cs.overflowY !== 'clip') return;
    if (cs.webkitLineClamp && cs.webkitLineClamp !== 'none') return;
    if (box.clientHeight < 1 || !visible(box)) return;
    if (box.scrollHeight <= box.clientHeight + 1) return;
    // Only a box whose height is set (height / max-height) cuts its content off: measure the
    // height it would take with both released.
    var saved = [box.style.height, box.style.maxHeight, box.style.minHeight];
    box.style.setProperty('height', 'auto', 'important');
    box.style.setProperty('max-height', 'none', 'important');
    var natural = box.getBoundingClientRect().height;
    box.style.height = saved[0];
    box.style.maxHeight = saved[1];
    box.style.minHeight = saved[2];
    var rect = box.getBoundingClientRect();
    if (natural <= rect.height + 1) return;
    var bottom = rect.top + box.clientTop + box.clientHeight;
    var walker = document.createTreeWalker(box, NodeFilter.SHOW_TEXT);
    var node;
    while ((node = walker.nextNode())) {
      if (!node.textContent.trim()) continue;
      var parent = node.parentElement;
      if (!parent || !visible(parent)) continue;
      var range = document.createRange();
      range.selectNodeContents(node);
      var rects = Array.prototype.slice.call(range.getClientRects());
      // The text itself, or the element that draws it (a button whose border is cut).
      var parentRect = parent.getBoundingClientRect();
      if (parent !== box && parentRect.height < rect.height) rects.push(parentRect);
      for (var i = 0; i < rects.length; i += 1) {
        if (rects[i].height > 0 && rects[i].bottom > bottom + 1) {
          problems.push({ check: 'overflow', message: '内容被截断: “' + snippet(node.textContent) + '” 超出 ' + describe(box) + ' (高 ' + box.clientHeight + 'px, 内容 ' + Math.round(natural) + 'px)' });
          return;
        }
      }
    }
  });

  // An empty page.
  var title = (document.querySelector('.mp-title') || {}).textContent || '';
  var text = (root.innerText || '').replace(/\s+/g, '');
  if (!title.trim()) problems.push({ check: 'empty', message: '页面没有标题' });
  if (text.length < 2) problems.push({ check: 'empty', message: '页面没有可见的文字' });

  // Icons: the bundled font, a glyph with a width, no network.
  var icons = [];
  Array.prototype.forEach.call(root.querySelectorAll('[class*="t-icon-base"]'), function (el) {
    if (!visible(el.parentElement || el)) return;
    var name = (el.getAttribute('class') || '').split(/\s+/)
      .map(function (c) { return c.replace(/^[a-z0-9-]+--(?=t-icon-)/, ''); })
      .filter(function (c) { return /^t-icon-/.test(c) && c !== 't-icon-base'; })
      .map(function (c) { return c.slice('t-icon-'.length); })[0] || '';
    var family = getComputedStyle(el).fontFamily.split(',')[0].replace(/["']/g, '').trim();
    var glyph = getComputedStyle(el, '::before').content;
    var width = el.getBoundingClientRect().width;
    icons.push(name);
    if (o.iconFamily && family !== o.iconFamily) problems.push({ check: 'icon', message: '图标 ' + name + ' 未使用内置图标字体 (' + family + ')' });
    else if (!glyph || glyph === 'none' || glyph === 'normal' || !(width > 0)) problems.push({ check: 'icon', message: '图标 ' + name + ' 没有字形' });
    else if (o.iconNames && o.iconNames.indexOf(name) < 0) problems.push({ check: 'icon', message: '图标 ' + name + ' 不在内置图标字体中' });
  });
  if (o.iconFamily && icons.length) {
    var faces = [];
    document.fonts.forEach(function (f) { if (f.family.replace(/["']/g, '') === o.iconFamily) faces.push(f.status); });
    if (faces.indexOf('loaded') < 0) problems.push({ check: 'icon', message: '内置图标字体未能加载 (' + (faces.join(',') || '未声明') + ')' });
  }

  // The typical text size: the median font size over the visible characters.
  var sizes = [];
  var tw = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
  var t;
  while ((t = tw.nextNode())) {
    var chars = t.textContent.replace(/\s+/g, '').length;
    if (!chars || !t.parentElement || !visible(t.parentElement)) continue;
    var size = parseFloat(getComputedStyle(t.parentElement).fontSize);
    for (var k = 0; k < chars; k += 1) sizes.push(size);
  }
  sizes.sort(function (a, b) { return a - b; });
  var fontSize = sizes.length ? sizes[Math.floor(sizes.length / 2)] : 0;
  return { problems: problems, fontSize: fontSize, icons: icons };
}
/* eslint-enable no-var */

/** The expression to evaluate in the page. */
function expression(options) {
  return `(${inPage.toString()})(${JSON.stringify(options || {})})`;
}

/** 适老化 must show larger text than the normal mode (the median character's font size). */
function compareElder(normal, elder) {
  if (!(elder.fontSize > normal.fontSize)) {
    return [{ check: 'elder', message: `适老化模式的文字不比普通模式大 (${elder.fontSize}px ≤ ${normal.fontSize}px)` }];
  }
  return [];
}

/** The page tried to fetch from the network (a CDN font, a remote image). */
function networkProblems(urls) {
  return urls.map((u) => ({ check: 'network', message: `页面依赖网络资源: ${u.length > 80 ? `${u.slice(0, 80)}…` : u}` }));
}

module.exports = { inPage, expression, compareElder, networkProblems };
