// `npm test`: unit, component and page tests (jsdom + miniprogram-simulate). The end-to-end
// suite against a live backend is separate: `npm run test:e2e` (jest.e2e.config.js).
module.exports = {
  testEnvironment: 'jsdom',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.js'],
  testPathIgnorePatterns: ['/node_modules/', '/test/e2e/'],
  setupFiles: ['<rootDir>/test/helpers/setup.js'],
  setupFilesAfterEnv: ['<rootDir>/test/helpers/reset.js'],
  clearMocks: true,
  // Every core: Jest's default leaves one free (for a watcher), which on a 2-core machine runs
  // the test files one after another in a single process. Each file has its own module registry
  // and `wx` mock either way.
  maxWorkers: '100%',
  modulePathIgnorePatterns: ['<rootDir>/miniprogram_npm/'],
  collectCoverageFrom: ['services/**/*.js', 'utils/**/*.js', 'behaviors/**/*.js', 'components/**/*.js', 'pages/**/*.js'],
};
