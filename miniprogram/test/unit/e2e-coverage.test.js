/**
 * Every page of app.json has a main flow in the end-to-end suite (test/e2e, run against a live
 * backend by tests/test_miniprogram_e2e.py): a test declared with `flow([pages…], …)` names the
 * pages it exercises. Checked here too, so a new page without a flow fails `npm test` at once.
 */
const fs = require('fs');
const path = require('path');

const ROOT = path.resolve(__dirname, '../..');
const E2E = path.join(ROOT, 'test/e2e');
const APP_PAGES = JSON.parse(fs.readFileSync(path.join(ROOT, 'app.json'), 'utf8')).pages;

function pagesWithFlows() {
  const covered = new Set();
  fs.readdirSync(E2E).filter((f) => f.endsWith('.e2e.test.js')).forEach((f) => {
    const source = fs.readFileSync(path.join(E2E, f), 'utf8');
    const re = /\bflow\(\s*\[([^\]]*)\]/g;
    let m;
    while ((m = re.exec(source))) {
      (m[1].match(/'pages\/[\w-]+\/index'/g) || []).forEach((p) => covered.add(p.slice(1, -1)));
    }
  });
  return covered;
}

test('every page in app.json has an end-to-end flow', () => {
  const covered = pagesWithFlows();
  expect(APP_PAGES.filter((p) => !covered.has(p))).toEqual([]);
  expect([...covered].filter((p) => APP_PAGES.indexOf(p) < 0)).toEqual([]);
});

test('the count includes the new screens (我的船舶, 证照详情)', () => {
  const covered = pagesWithFlows();
  ['pages/ships/index', 'pages/ship-edit/index', 'pages/certificate/index'].forEach((p) => expect(covered.has(p)).toBe(true));
  expect(APP_PAGES.length).toBeGreaterThanOrEqual(37);
});
