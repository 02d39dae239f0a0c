// ESLint (flat config) for the mini program: `npm run lint`, and `npm test` runs it first.
const js = require('@eslint/js');
const globals = require('globals');

// What the WeChat runtime provides to every page, component and the app.
const WECHAT = {
  wx: 'readonly',
  App: 'readonly',
  Page: 'readonly',
  Component: 'readonly',
  Behavior: 'readonly',
  getApp: 'readonly',
  getCurrentPages: 'readonly',
  requirePlugin: 'readonly',
};

module.exports = [
  {
    ignores: ['node_modules/**', 'miniprogram_npm/**', 'coverage/**'],
  },
  js.configs.recommended,
  {
    files: ['**/*.js'],
    languageOptions: {
      ecmaVersion: 2020,
      sourceType: 'commonjs',
      globals: Object.assign({}, globals.commonjs, WECHAT, {
        console: 'readonly', setTimeout: 'readonly', clearTimeout: 'readonly', setInterval: 'readonly',
        clearInterval: 'readonly', Promise: 'readonly', globalThis: 'readonly',
      }),
    },
    rules: {
      'no-unused-vars': ['error', { args: 'after-used', caughtErrors: 'none' }],
      'no-var': 'error',
      'prefer-const': 'error',
      eqeqeq: ['error', 'always', { null: 'ignore' }],
      'no-implicit-globals': 'error',
      'no-new-func': 'error',
    },
  },
  {
    // jest tests, their helpers and the Node end-to-end harness
    files: ['test/**/*.js', 'jest.config.js', 'jest.e2e.config.js', 'eslint.config.js'],
    languageOptions: {
      ecmaVersion: 2022,
      globals: Object.assign({}, globals.node, globals.jest, { document: 'readonly' }),
    },
  },
  {
    // `make screens`: Node scripts, some of whose functions run inside Chromium's pages
    files: ['scripts/**/*.js'],
    languageOptions: {
      ecmaVersion: 2022,
      globals: Object.assign({}, globals.node, globals.browser),
    },
  },
];
