/**
 * The templates and styles compile with WeChat's own compilers (wcc / wcsc, shipped in the
 * miniprogram-compiler package), which are stricter than the simulator: e.g. WXSS has no
 * universal selector and WXML no function calls.
 */
const fs = require('fs');
const path = require('path');
const { spawnSync } = require('child_process');
const compiler = require('miniprogram-compiler');
const { ROOT } = require('../helpers/simulate');

const app = JSON.parse(fs.readFileSync(path.join(ROOT, 'app.json'), 'utf8'));
const BIN = { linux: 'linux/wcsc', darwin: 'mac/wcsc', win32: 'windows/wcsc.exe' }[process.platform];
const WCSC = path.join(path.dirname(require.resolve('miniprogram-compiler/package.json')), 'bin', BIN);

function wxssFiles() {
  const out = ['app.wxss'];
  ['pages', 'components'].forEach((dir) => {
    fs.readdirSync(path.join(ROOT, dir)).forEach((d) => out.push(`${dir}/${d}/index.wxss`));
  });
  return out;
}

test('every WXML template compiles with wcc', () => {
  const gwx = new Function(compiler.wxmlToJs(ROOT))(); // eslint-disable-line no-new-func
  app.pages.forEach((p) => expect({ page: p, compiled: typeof gwx(`${p}.wxml`) }).toEqual({ page: p, compiled: 'function' }));
});

/** The files a WXSS file @imports (wcsc resolves an import only among the files it is given). */
function imports(file, seen) {
  const done = seen || new Set([file]);
  const text = fs.readFileSync(path.join(ROOT, file), 'utf8');
  (text.match(/@import\s+['"][^'"]+['"]/g) || []).forEach((m) => {
    const target = path.posix.join(path.posix.dirname(file), m.replace(/^@import\s+['"]|['"]$/g, ''));
    if (!done.has(target)) {
      done.add(target);
      imports(target, done);
    }
  });
  return [...done].slice(1);
}

test.each(wxssFiles())('%s compiles with wcsc', (file) => {
  try {
    fs.chmodSync(WCSC, 0o755);
  } catch (e) {
    // read-only install: try as it is
  }
  const res = spawnSync(WCSC, ['-db', file, ...imports(file)], { cwd: ROOT });
  expect({ file, status: res.status, stderr: String(res.stderr || '') }).toEqual({ file, status: 0, stderr: '' });
});
