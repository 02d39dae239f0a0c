/**
 * @jest-environment node
 *
 * The checks of `make screens` (scripts/screens/checks.js) catch what they are for: each is run
 * in headless Chromium on a small crafted page that has the fault, and on the same page without it.
 */
const fs = require('fs');
const os = require('os');
const path = require('path');
const { launch } = require('../../scripts/screens/chromium');
const checks = require('../../scripts/screens/checks');
const icons = require('../../scripts/screens/icons');
const { BASE_CSS } = require('../../scripts/screens/document');

jest.setTimeout(60000);

let browser;
let dir;
let seq = 0;

beforeAll(async () => {
  browser = await launch();
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'msa-screens-checks-'));
});

afterAll(async () => {
  if (browser) await browser.close();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

/** Opens a page (a title bar and `body`), runs the checks; returns { problems, fontSize, requested }. */
async function measure(body, options) {
  const o = options || {};
  seq += 1;
  const file = path.join(dir, `case-${seq}.html`);
  const title = o.title === undefined ? '测试页面' : o.title;
  fs.writeFileSync(file, `<!doctype html><html><head><meta charset="utf-8"><style>${BASE_CSS}</style><style>${o.css || ''}</style></head>`
    + `<body><div class="mp-navbar"><span class="mp-title">${title}</span></div><wx-page>${body}</wx-page></body></html>`);
  const requested = await browser.open(file);
  const result = await browser.evaluate(checks.expression({ iconFamily: icons.FAMILY, iconNames: o.iconNames || icons.bundled().names }));
  return Object.assign(result, { requested });
}

const kinds = (result) => result.problems.map((p) => p.check);

describe('a broken image', () => {
  const qr = (svg) => `<wx-view>亮证二维码</wx-view><img alt="" src="data:image/svg+xml;base64,${Buffer.from(svg).toString('base64')}">`;

  test('an inline SVG without xmlns (the 亮证 QR as the server sends it) does not decode', async () => {
    const result = await measure(qr('<svg width="40" height="40"><rect width="40" height="40"/></svg>'));
    expect(kinds(result)).toEqual(['image']);
    expect(result.problems[0].message).toMatch(/^图片无法显示: data:image\/svg\+xml/);
  });

  test('the same SVG with its namespace shows', async () => {
    const result = await measure(qr('<svg xmlns="http://www.w3.org/2000/svg" width="40" height="40"><rect width="40" height="40"/></svg>'));
    expect(result.problems).toEqual([]);
  });
});

describe('text cut off by a fixed-height box', () => {
  const card = (style) => `<wx-view class="card" style="width: 200px; overflow: hidden; ${style}">`
    + '<wx-view>中华人民共和国海船船员适任证书</wx-view><wx-view>证书编号：JSH1122025163015</wx-view>'
    + '<wx-view>有效期至：2030-11-01</wx-view><wx-button>纠错</wx-button></wx-view>';

  test('a card taller than its fixed height with overflow hidden is reported', async () => {
    const result = await measure(card('height: 60px;'));
    expect(kinds(result)).toEqual(['overflow']);
    expect(result.problems[0].message).toMatch(/内容被截断/);
  });

  test('a button whose border is cut off counts, though its text still shows', async () => {
    const result = await measure('<wx-view style="height: 50px; overflow: hidden;"><wx-view style="height: 20px;">标题</wx-view>'
      + '<wx-button style="line-height: 20px; padding: 6px 0; border: 1px solid #000;">纠错</wx-button></wx-view>');
    expect(kinds(result)).toEqual(['overflow']);
  });

  test('the same card with room for its content passes', async () => {
    expect((await measure(card('height: 400px;'))).problems).toEqual([]);
    expect((await measure(card(''))).problems).toEqual([]);
  });

  test('a textarea scrolls its own text: a long text in it is not a fault', async () => {
    const result = await measure('<wx-textarea style="height: 40px; line-height: 20px;"><span>洋山深水港区小洋山岛以南水域，'
      + '由A(30°36′36″N, 122°03′00″E)、B(30°36′36″N, 122°04′48″E)、C(30°35′24″N, 122°04′48″E)四点连线围成的水域。</span></wx-textarea>');
    expect(result.problems).toEqual([]);
  });

  test('a deliberate ellipsis or line clamp is not a fault', async () => {
    const clamp = '<wx-view style="width: 120px; height: 40px; line-height: 20px; overflow: hidden; display: -webkit-box; '
      + '-webkit-box-orient: vertical; -webkit-line-clamp: 2;">港口、码头、装卸站及船舶有关作业单位防治船舶污染海洋环境应急预案备案</wx-view>';
    const ellipsis = '<wx-view style="width: 120px; height: 20px; line-height: 20px; overflow: hidden; white-space: nowrap; '
      + 'text-overflow: ellipsis;">港口、码头、装卸站及船舶有关作业单位防治船舶污染海洋环境应急预案备案</wx-view>';
    expect((await measure(clamp)).problems).toEqual([]);
    expect((await measure(ellipsis)).problems).toEqual([]);
  });
});

describe('an empty page', () => {
  test('a page with no visible text is reported', async () => {
    const result = await measure('<wx-view style="height: 300px; background: #f3f4f6;"><wx-view hidden>加载中</wx-view></wx-view>');
    expect(result.problems).toEqual([{ check: 'empty', message: '页面没有可见的文字' }]);
  });

  test('a page without a title is reported', async () => {
    const result = await measure('<wx-view>我的办件</wx-view>', { title: '' });
    expect(result.problems).toEqual([{ check: 'empty', message: '页面没有标题' }]);
  });
});

describe('适老化 larger than normal', () => {
  const page = (size) => `<wx-view style="font-size: ${size}px;"><wx-view>申请编号：HS20261207518436</wx-view>`
    + '<wx-view style="font-size: 12px;">更新时间</wx-view><wx-view>受理机构：天津海事局</wx-view></wx-view>';

  test('the same text size in both modes is reported', async () => {
    const normal = await measure(page(15));
    const elder = await measure(page(15));
    expect(checks.compareElder(normal, elder)).toEqual([{ check: 'elder', message: '适老化模式的文字不比普通模式大 (15px ≤ 15px)' }]);
  });

  test('larger text in 适老化 passes', async () => {
    const normal = await measure(page(15));
    const elder = await measure(page(20));
    expect(normal.fontSize).toBe(15);
    expect(elder.fontSize).toBe(20);
    expect(checks.compareElder(normal, elder)).toEqual([]);
  });
});

describe('icons without a CDN', () => {
  const iconCss = fs.readFileSync(icons.OUTPUT, 'utf8');
  const icon = (name, code) => `<style>.t-icon-${name}:before{content:'\\${code}';}</style>`
    + `<wx-view>首页</wx-view><wx-view class="t-icon"><wx-label class="t-icon-${name} t-icon-base" style="display:block;font-size:24px;line-height:1"></wx-label></wx-view>`;

  test('the bundled icon font draws the icons the pages use, with no request', async () => {
    const result = await measure(icon('chevron-right', 'E1D8'), { css: iconCss });
    expect(result.problems).toEqual([]);
    expect(result.icons).toEqual(['chevron-right']);
    expect(result.requested).toEqual([]);
  });

  test("TDesign's own stylesheet (the font from a CDN) is reported, and so is its request", async () => {
    const cdn = "@font-face{font-family:t;src:url(https://tdesign.gtimg.com/icon/0.4.3/fonts/t.woff) format('woff');}"
      + '.t-icon-base{font-family:t;}';
    const result = await measure(icon('chevron-right', 'E1D8'), { css: cdn });
    expect(result.problems.map((p) => p.message)).toEqual(['图标 chevron-right 未使用内置图标字体 (t)', '内置图标字体未能加载 (未声明)']);
    expect(checks.networkProblems(result.requested)).toEqual([
      { check: 'network', message: '页面依赖网络资源: https://tdesign.gtimg.com/icon/0.4.3/fonts/t.woff' }]);
  });

  test('an icon missing from the bundle is reported (rerun `npm run icons`)', async () => {
    const result = await measure(icon('chevron-right', 'E1D8'), { css: iconCss, iconNames: ['add'] });
    expect(result.problems).toEqual([{ check: 'icon', message: '图标 chevron-right 不在内置图标字体中' }]);
  });

  test('the bundle holds every icon the mini program and its TDesign components name', () => {
    expect(icons.bundled().names).toEqual(icons.usedIcons());
  });
});
