/**
 * Lays out the mini program as WeChat DevTools builds it, in a scratch folder the renderer can
 * load in Node: the project's own files as they are, plus `miniprogram_npm/tdesign-miniprogram`
 * (the package's `miniprogram_dist`, what 构建 npm copies) with its ES-module JS transpiled to
 * CommonJS (esbuild), since Node's require() runs the component code in jsdom.
 */
const fs = require('fs');
const path = require('path');
const esbuild = require('esbuild');

const ROOT = path.resolve(__dirname, '../..');
/** Not part of the uploaded package (project.config.json packOptions) or build output. */
const SKIP = new Set(['node_modules', 'miniprogram_npm', 'test', 'scripts', 'screens', 'coverage',
  'package.json', 'package-lock.json', 'jest.config.js', 'jest.e2e.config.js', 'README.md', '.eslintrc.js',
  'eslint.config.js', 'eslint.config.mjs', 'project.private.config.json']);

function copyTree(from, to, filter, transform) {
  fs.mkdirSync(to, { recursive: true });
  fs.readdirSync(from, { withFileTypes: true }).forEach((entry) => {
    if (filter && !filter(entry.name)) return;
    const src = path.join(from, entry.name);
    const dst = path.join(to, entry.name);
    if (entry.isDirectory()) copyTree(src, dst, null, transform);
    else if (transform && transform(src, dst)) {
      // written by the transform
    } else fs.copyFileSync(src, dst);
  });
}

function toCommonJs(src, dst) {
  if (!src.endsWith('.js')) return false;
  const code = fs.readFileSync(src, 'utf8');
  const out = /\b(import|export)\b/.test(code)
    ? esbuild.transformSync(code, { format: 'cjs', target: 'es2020', loader: 'js', sourcefile: src }).code
    : code;
  fs.writeFileSync(dst, out);
  return true;
}

/** Builds the scratch copy under `dir` (emptied first); returns its root. */
function build(dir) {
  fs.rmSync(dir, { recursive: true, force: true });
  copyTree(ROOT, dir, (name) => !SKIP.has(name) && !name.startsWith('.'));
  const dist = path.join(path.dirname(require.resolve('tdesign-miniprogram/package.json')), 'miniprogram_dist');
  copyTree(dist, path.join(dir, 'miniprogram_npm', 'tdesign-miniprogram'), null, toCommonJs);
  return dir;
}

module.exports = { build, ROOT };
