/**
 * Static checks of the mini program as WeChat DevTools will load it, and a smoke load of every
 * page: files present, titles set, every tag declared, TDesign components and icons real.
 */
const fs = require('fs');
const path = require('path');
const { ROOT, load } = require('../helpers/simulate');

const app = JSON.parse(fs.readFileSync(path.join(ROOT, 'app.json'), 'utf8'));
const TD_DIST = path.join(ROOT, 'node_modules/tdesign-miniprogram/miniprogram_dist');
const NATIVE = ['view', 'text', 'image', 'picker', 'swiper', 'swiper-item', 'scroll-view', 'rich-text', 'block', 'slot',
  'button', 'input', 'textarea', 'navigator', 'icon', 'form', 'label'];

function componentDirs() {
  return fs.readdirSync(path.join(ROOT, 'components')).map((d) => `components/${d}/index`);
}

function tagsOf(wxml) {
  const tags = new Set();
  const re = /<([a-z][a-z0-9-]*)/g;
  let m;
  while ((m = re.exec(wxml))) tags.add(m[1]);
  return [...tags];
}

const units = app.pages.concat(componentDirs());

describe('app.json', () => {
  test('the tab bar is 首页, 在线办理, 个人中心', () => {
    expect(app.tabBar.list.map((t) => t.text)).toEqual(['首页', '在线办理', '个人中心']);
    app.tabBar.list.forEach((t) => {
      expect(fs.existsSync(path.join(ROOT, t.iconPath))).toBe(true);
      expect(fs.existsSync(path.join(ROOT, t.selectedIconPath))).toBe(true);
    });
  });

  test('does not use "style": "v2" (TDesign needs it off)', () => {
    expect(app.style).toBeUndefined();
  });

  test.each(Object.entries(app.usingComponents))('TDesign %s exists in the package', (tag, ref) => {
    expect(fs.existsSync(path.join(TD_DIST, `${ref.replace('tdesign-miniprogram/', '')}.json`))).toBe(true);
  });
});

describe('project', () => {
  test('DevTools minifies the templates and styles of the package', () => {
    const project = JSON.parse(fs.readFileSync(path.join(ROOT, 'project.config.json'), 'utf8'));
    expect(project.setting).toMatchObject({ minified: true, minifyWXML: true, minifyWXSS: true });
  });

  test('npm test lints the mini program (ESLint) before the tests', () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
    expect(pkg.scripts.lint).toBe('eslint .');
    expect(pkg.scripts.test).toMatch(/^eslint \. && jest/);
    expect(fs.existsSync(path.join(ROOT, 'eslint.config.js'))).toBe(true);
    ['eslint', 'ajv', 'ajv-formats'].forEach((name) => expect(pkg.devDependencies[name]).toMatch(/^\d+\.\d+\.\d+$/));
  });
});

// Native tags and components that screen readers already announce as buttons or links.
const ANNOUNCED = ['t-button', 'button', 't-cell', 'navigator'];

/** Tappable elements of a template that a screen reader cannot name: [{tag, class}]. */
function unnamedTappables(wxml) {
  const out = [];
  const re = /<([a-z][a-z0-9-]*)\b([^>]*?)\/?>/gs;
  let m;
  while ((m = re.exec(wxml))) {
    const [, tag, attrs] = m;
    const tappable = /\b(bind|catch):?tap=/.test(attrs);
    const iconOnly = tag === 't-button' && /\bicon=/.test(attrs) && /^\s*<\/t-button>/.test(wxml.slice(re.lastIndex));
    if ((tappable && ANNOUNCED.indexOf(tag) < 0) || iconOnly) {
      if (!/\baria-role=/.test(attrs) || !/\baria-label=/.test(attrs)) out.push({ tag, class: (attrs.match(/class="([^"]*)"/) || [])[1] });
    }
  }
  return out;
}

/**
 * Uses of `index` inside a wx:for nested in another where both loops call their index `index`:
 * on a phone it is the inner loop's (a data-index meant for the outer item points elsewhere).
 */
function shadowedIndexes(wxml) {
  const out = [];
  const stack = [];
  const re = /<(\/?)([a-z][a-z0-9-]*)\b([^>]*?)(\/?)>/gs;
  let m;
  while ((m = re.exec(wxml))) {
    const [, closing, tag, attrs, selfClosing] = m;
    if (closing) {
      while (stack.length && stack.pop().tag !== tag);
      continue;
    }
    const loop = /\bwx:for=/.test(attrs) ? ((attrs.match(/wx:for-index="([^"]+)"/) || [])[1] || 'index') : null;
    const loops = stack.filter((e) => e.loop).map((e) => e.loop).concat(loop ? [loop] : []);
    const uses = (attrs.match(/\{\{[^}]*\}\}/g) || []).some((e) => /(^|[^.\w])index\b/.test(e.slice(2, -2)));
    if (uses && loops.filter((l) => l === 'index').length > 1) out.push({ tag, class: (attrs.match(/class="([^"]*)"/) || [])[1] });
    if (!selfClosing) stack.push({ tag, loop });
  }
  return out;
}

test('the nested-loop check finds an outer index shadowed by the inner loop', () => {
  expect(shadowedIndexes('<view wx:for="{{a}}"><b wx:for="{{item.x}}" wx:for-item="y" data-index="{{index}}" class="z"/></view>'))
    .toEqual([{ tag: 'b', class: 'z' }]);
  expect(shadowedIndexes('<view wx:for="{{a}}"><b wx:for="{{item.x}}" wx:for-index="i" data-index="{{index}}"/></view>')).toEqual([]);
  expect(shadowedIndexes('<view wx:for="{{a}}"><b data-index="{{index}}"/></view><c wx:for="{{d}}" data-i="{{index}}"/>')).toEqual([]);
});

test('the screen-reader check finds an unnamed tappable view and an icon-only button', () => {
  expect(unnamedTappables('<view class="a" bind:tap="x">去</view><t-button icon="add" bind:tap="y"></t-button>')).toEqual([
    { tag: 'view', class: 'a' }, { tag: 't-button', class: undefined }]);
  expect(unnamedTappables('<view bind:tap="x" aria-role="button" aria-label="去">去</view><t-button bind:tap="y">提交</t-button>')).toEqual([]);
});

describe.each(units)('%s', (unit) => {
  const base = path.join(ROOT, unit);
  const json = JSON.parse(fs.readFileSync(`${base}.json`, 'utf8'));
  const wxml = fs.readFileSync(`${base}.wxml`, 'utf8');

  test('has its four files', () => {
    ['js', 'json', 'wxml', 'wxss'].forEach((ext) => expect(fs.existsSync(`${base}.${ext}`)).toBe(true));
  });

  test('declares every component its template uses', () => {
    const using = Object.assign({}, app.usingComponents, json.usingComponents || {});
    tagsOf(wxml).filter((t) => NATIVE.indexOf(t) < 0).forEach((tag) => {
      expect({ tag, declared: Boolean(using[tag]) }).toEqual({ tag, declared: true });
    });
    Object.values(json.usingComponents || {}).forEach((ref) => {
      const target = ref.startsWith('/') ? path.join(ROOT, ref) : path.resolve(path.dirname(base), ref);
      expect(fs.existsSync(`${target}.json`)).toBe(true);
    });
  });

  test('uses no `index` that an inner wx:for shadows (pass ids, never a loop index of another loop)', () => {
    expect(shadowedIndexes(wxml)).toEqual([]);
  });

  test('names every tappable view and icon button for screen readers (aria-role, aria-label)', () => {
    expect(unnamedTappables(wxml)).toEqual([]);
  });

  test('repeats no attribute on a tag', () => {
    const tags = wxml.match(/<[a-z][^>]*>/g) || [];
    tags.forEach((tag) => {
      const names = (tag.replace(/\{\{[^}]*\}\}/g, '').match(/\s([a-z:-]+)=/g) || []).map((n) => n.trim());
      expect({ tag, duplicates: names.filter((n, i) => names.indexOf(n) !== i) }).toEqual({ tag, duplicates: [] });
    });
  });

  test('calls no functions in template expressions (WXML cannot)', () => {
    const exprs = wxml.match(/\{\{[^}]*\}\}/g) || [];
    exprs.forEach((e) => expect({ expr: e, call: /[A-Za-z_$][\w$]*\s*\(/.test(e) }).toEqual({ expr: e, call: false }));
  });

  test('uses only TDesign icons that exist', () => {
    const icons = fs.readFileSync(path.join(TD_DIST, 'icon/icon.wxss'), 'utf8');
    const names = [];
    const re = /(?:name|icon|left-icon)="([a-z0-9-]+)"/g;
    let m;
    while ((m = re.exec(wxml))) names.push(m[1]);
    const js = fs.readFileSync(`${base}.js`, 'utf8');
    const jsIcons = /ICONS = (\{[^}]+\})/g;
    while ((m = jsIcons.exec(js))) {
      // a literal of the page's own source, read as a test fixture
      Object.values(Function(`return ${m[1]}`)()).forEach((n) => names.push(n)); // eslint-disable-line no-new-func
    }
    names.forEach((n) => expect({ icon: n, exists: icons.indexOf(`.t-icon-${n}:before`) >= 0 }).toEqual({ icon: n, exists: true }));
  });

  if (unit.startsWith('pages/')) {
    test('has a title and an elder-aware root view', () => {
      expect(json.navigationBarTitleText).toBeTruthy();
      expect(wxml.trim()).toMatch(/^<view class="app-page \{\{elder \? 'elder' : ''\}\}/);
    });

    test('loads and renders', () => {
      const comp = load(unit);
      expect(comp.dom).toBeTruthy();
      expect(comp.instance.data.elder).toBe(false);
    });
  }
});
