#!/usr/bin/env node
/**
 * `make screens`: every page of app.json rendered to PNG at 375 pt × 2 (750 px wide), in the
 * normal and the 适老化 mode, with demo data from a live backend, and checked (checks.js).
 *
 *   node scripts/screens/index.js --api http://127.0.0.1:8000 [--out screens] [--only home,mine] [--docs ../docs/screens]
 *
 * --api is the server root of a backend in the embedded development mode (demo accounts, fake
 * face adapter); `make screens` starts one. Writes <out>/<page>.png, <out>/<page>-elder.png, the
 * HTML they were taken from (<out>/html/) and <out>/report.json; exits 1 when a check fails.
 * --docs writes the README's thumbnails of a few main screens (DOCS_SCREENS) there.
 */
const fs = require('fs');
const os = require('os');
const path = require('path');
const { build, ROOT } = require('./build');
const { renderPage } = require('./render');
const { createRenderWx } = require('./wx-render');
const { launch } = require('./chromium');
const checks = require('./checks');
const { prepare } = require('./data');
const icons = require('./icons');

function args(argv) {
  const out = {};
  for (let i = 2; i < argv.length; i += 1) {
    const m = argv[i].match(/^--([a-z-]+)(?:=(.*))?$/);
    if (m) out[m[1]] = m[2] !== undefined ? m[2] : argv[(i += 1)];
  }
  return out;
}

/** Who is signed in and what each page is opened with (pages not listed: guessSetup). */
function pageSetups(ids) {
  const handoff = (key, value) => (req, root) => {
    if (value) req(path.join(root, 'utils/handoff.js')).put(key, value);
  };
  return {
    'pages/home/index': { user: 'personal' },
    'pages/online/index': { user: 'corp' },
    'pages/mine/index': { user: 'personal' },
    'pages/agency/index': { user: 'anonymous' },
    'pages/search/index': { user: 'anonymous' },
    'pages/guide/index': { user: 'anonymous', query: { code: ids.catalogCode } },
    'pages/progress/index': { user: 'anonymous' },
    'pages/progress-result/index': { user: 'anonymous', setup: handoff('progress-result', ids.progress) },
    'pages/cert-lookup/index': { user: 'anonymous' },
    'pages/scan-result/index': { user: 'officer', setup: handoff('scan-result', ids.scan) },
    'pages/apply/index': { user: 'corp', query: { id: ids.draftId } },
    'pages/picker/index': { user: 'corp', query: { kind: 'port' } },
    'pages/login/index': { user: 'anonymous' },
    'pages/login-personal/index': { user: 'anonymous' },
    'pages/login-password/index': { user: 'anonymous' },
    'pages/register-personal/index': { user: 'anonymous' },
    'pages/register-corporate/index': { user: 'anonymous' },
    'pages/face/index': { user: 'personal', query: { purpose: 'change_password' } },
    'pages/password-set/index': { user: 'personal', query: { mode: 'change' } },
    'pages/phone-set/index': { user: 'personal' },
    'pages/profile/index': { user: 'personal' },
    'pages/applications/index': { user: 'corp' },
    'pages/application/index': { user: 'corp', query: { id: ids.submittedId } },
    'pages/certificates/index': { user: 'personal' },
    'pages/certificate/index': { user: 'personal', query: { id: ids.certificateId } },
    'pages/cert-display/index': { user: 'personal', query: { id: ids.certificateId } },
    'pages/cert-correction/index': { user: 'personal', query: { id: ids.certificateId } },
    'pages/corrections/index': { user: 'personal' },
    'pages/materials/index': { user: 'corp' },
    'pages/material-upload/index': { user: 'corp' },
    'pages/messages/index': { user: 'corp' },
    'pages/help/index': { user: 'anonymous' },
    'pages/help-article/index': { user: 'anonymous', query: { id: ids.helpId } },
    'pages/evaluate/index': { user: 'corp', query: { id: ids.approvedId, name: encodeURIComponent(ids.approvedName || '') } },
    'pages/evaluations/index': { user: 'corp' },
    'pages/ships/index': { user: 'corp' },
    'pages/ship-edit/index': { user: 'corp', query: ids.shipId ? { id: ids.shipId } : {} },
  };
}

/** Further screens of a page in another state (not in app.json): [{name, page, spec}]. */
function extraScreens(ids) {
  // The guide with a chosen 海事处 (issue 19): the office scripts/screens publishes (tests/support/upkeep.py).
  const guide = [{
    name: 'guide-agency', page: 'pages/guide/index', spec: { user: 'anonymous', query: { code: 'TH-002', agency: 'SD-RZ-SJ' } },
  }, {
    // The guide the submitted application was submitted under, opened from 办件详情 (issue 19).
    name: 'guide-application', page: 'pages/guide/index', spec: { user: 'corp', query: { application: ids.submittedId } },
  }];
  if (!ids.supplementId) return guide;
  const spec = { user: 'corp', query: { id: ids.supplementId } };
  return guide.concat([
    { name: 'application-supplement', page: 'pages/application/index', spec },
    { name: 'apply-supplement', page: 'pages/apply/index', spec },
  ]);
}

/** The screens the README shows (`--docs docs/screens`). */
const DOCS_SCREENS = ['home', 'online', 'apply', 'applications', 'mine', 'mine-elder'];

/**
 * A page not listed in pageSetups (added later): signed in as demo-corp, or as the personal user
 * for a certificate page, and given the id its name suggests. Give it a line in pageSetups when
 * it needs something else.
 */
function guessSetup(page, ids) {
  if (/cert/.test(page)) return { user: 'personal', query: { id: ids.certificateId } };
  if (/ship/.test(page)) return { user: 'corp', query: ids.shipId ? { id: ids.shipId } : {} };
  if (/application/.test(page)) return { user: 'corp', query: { id: ids.submittedId } };
  return { user: 'corp' };
}

/** Every page of app.json, subpackages included. */
function allPages(app) {
  const pages = app.pages.slice();
  (app.subpackages || app.subPackages || []).forEach((sp) => (sp.pages || []).forEach((p) => pages.push(`${sp.root.replace(/\/$/, '')}/${p}`)));
  return pages;
}

function shortName(page) {
  return page.replace(/^pages\//, '').replace(/\/index$/, '').replace(/\//g, '-');
}

async function main() {
  const a = args(process.argv);
  const base = (a.api || process.env.SCREENS_API || '').replace(/\/+$/, '');
  if (!base) throw new Error('--api <server root> is required (make screens starts a server)');
  const api = /\/api\/v1$/.test(base) ? base : `${base}/api/v1`;
  const out = path.resolve(ROOT, a.out || 'screens');
  fs.mkdirSync(path.join(out, 'html'), { recursive: true });
  const started = Date.now();
  const log = (msg) => process.stdout.write(`[screens ${((Date.now() - started) / 1000).toFixed(1)}s] ${msg}\n`);

  // The WXML runtime's advice (e.g. wx:key missing), once per template line, not once per render.
  const advice = new Set();
  ['log', 'warn'].forEach((level) => {
    const original = console[level];  
    console[level] = (...parts) => {  
      if (typeof parts[0] === 'string' && parts[0].startsWith('WXMLRT_')) advice.add(parts[0].replace(/^WXMLRT_\$gwx:/, ''));
      else original.apply(console, parts);
    };
  });

  const root = build(fs.mkdtempSync(path.join(os.tmpdir(), 'msa-screens-build-')));
  const app = JSON.parse(fs.readFileSync(path.join(root, 'app.json'), 'utf8'));
  const bundled = icons.bundled(root);
  log(`built the package; bundled icon font: ${bundled.names.length} icons`);
  const { sessions, ids, notes } = await prepare(api);
  notes.forEach((n) => log(`demo data: ${n}`));
  log('demo data ready');

  const only = a.only ? a.only.split(',') : null;
  const setups = pageSetups(ids);
  const screens = allPages(app).map((p) => ({ name: shortName(p), page: p, spec: setups[p] || guessSetup(p, ids) }))
    .concat(extraScreens(ids))
    .filter((s) => !only || only.includes(s.name) || only.includes(s.page));
  const browser = await launch();
  const report = [];
  try {
    for (const { name: screen, page, spec } of screens) {  
      const results = {};
      for (const mode of ['normal', 'elder']) {  
        const wx = createRenderWx();
        Object.assign(wx.storage, JSON.parse(JSON.stringify(sessions[spec.user] || {})));
        if (mode === 'elder') wx.storage['msa.elder'] = true;
         
        const rendered = await renderPage(root, page, {
          wx,
          query: spec.query,
          setup: async (req) => {
            req(path.join(root, 'config.js')).apiBaseUrl = api;
            if (spec.setup) await spec.setup(req, root);
          },
        });
        // The session goes on as on a phone: a token the page refreshed is the one the next page uses.
        const kept = Object.assign({}, wx.storage);
        delete kept['msa.elder'];
        if (spec.user !== 'anonymous' && kept['msa.auth']) sessions[spec.user] = kept;
        const name = `${screen}${mode === 'elder' ? '-elder' : ''}`;
        const htmlFile = path.join(out, 'html', `${name}.html`);
        fs.writeFileSync(htmlFile, rendered.html);
        const requested = await browser.open(htmlFile);  
         
        const measured = await browser.evaluate(checks.expression({ iconFamily: bundled.family, iconNames: bundled.names }));
        await browser.screenshot(path.join(out, `${name}.png`));  
        const problems = measured.problems.concat(checks.networkProblems(requested))
          .concat(rendered.errors.map((e) => ({ check: 'script', message: `页面脚本出错: ${e}` })));
        results[mode] = { name, title: rendered.title, fontSize: measured.fontSize, icons: measured.icons, problems, toasts: rendered.toasts, failedRequests: rendered.failedRequests };
      }
      const elder = checks.compareElder(results.normal, results.elder);
      const problems = results.normal.problems.map((p) => Object.assign({ mode: 'normal' }, p))
        .concat(results.elder.problems.map((p) => Object.assign({ mode: 'elder' }, p)))
        .concat(elder.map((p) => Object.assign({ mode: 'both' }, p)));
      report.push({
        page: screen === shortName(page) ? page : screen, user: spec.user, title: results.normal.title, fontSize: [results.normal.fontSize, results.elder.fontSize],
        toasts: { normal: results.normal.toasts, elder: results.elder.toasts },
        failedRequests: { normal: results.normal.failedRequests, elder: results.elder.failedRequests }, problems,
      });
      log(`${problems.length ? 'FAIL' : 'ok  '} ${page} (${results.normal.title}; ${results.normal.fontSize}px → ${results.elder.fontSize}px)`);
      problems.forEach((p) => log(`       [${p.check}/${p.mode}] ${p.message}`));
      [...new Set(results.normal.failedRequests.concat(results.elder.failedRequests))].forEach((r) => log(`       (request failed: ${r})`));
    }
    if (a.docs) {
      // The README's screens: the first screen of a few main pages, 375 px wide.
      const docs = path.resolve(process.cwd(), a.docs);
      fs.mkdirSync(docs, { recursive: true });
      for (const name of DOCS_SCREENS) {  
        const png = path.join(out, `${name}.png`);
        if (fs.existsSync(png)) await browser.thumbnail(png, path.join(docs, `${name}.png`), 375, 812);  
      }
      log(`README screens in ${path.relative(process.cwd(), docs)}`);
    }
  } finally {
    await browser.close();
    fs.rmSync(root, { recursive: true, force: true });
  }
  advice.forEach((line) => log(`WXML advice: ${line}`));
  fs.writeFileSync(path.join(out, 'report.json'), `${JSON.stringify({ pages: report, notes, advice: [...advice] }, null, 2)}\n`);
  const failed = report.filter((r) => r.problems.length);
  log(`${report.length} pages, ${report.length * 2} screenshots in ${path.relative(process.cwd(), out) || '.'}; ${failed.length} with problems`);
  process.stdout.write(`screens: ${report.length - failed.length} pages ok, ${failed.length} with problems\n`);
  return failed.length ? 1 : 0;
}

if (require.main === module) {
  main().then((code) => process.exit(code), (err) => {
    process.stderr.write(`${err && err.stack ? err.stack : err}\n`);
    process.exit(2);
  });
}

module.exports = { allPages, shortName };
