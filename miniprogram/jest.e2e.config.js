// `npm run test:e2e`: the real services/ code in Node against a live backend at E2E_BASE_URL
// (e.g. http://127.0.0.1:8000). Skips cleanly when E2E_BASE_URL is unset.
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test/e2e'],
  testMatch: ['**/*.e2e.test.js'],
  testTimeout: 60000,
};
