/**
 * The preview's browser tests: the real demo (server/dist, built by `npm run build` before jest)
 * as a child process, the preview built by build.mjs (skipped when up to date), Debian's Chromium
 * driven by playwright-core. Screenshots go to test-artifacts/preview/.
 */
const path = require('node:path');

module.exports = {
  displayName: 'preview',
  rootDir: __dirname,
  testEnvironment: 'node',
  testMatch: ['<rootDir>/test/**/*.test.js'],
  transform: {},
  globalSetup: path.join(__dirname, 'test/support/buildPreview.js'),
};
