/**
 * The preview's tests.
 * - Browser tests (test/*.browser.test.js): the real demo (server/dist, built by `npm run build`
 *   before jest) as a child process, the preview built by build.mjs (skipped when up to date),
 *   Debian's Chromium driven by playwright-core. Screenshots go to test-artifacts/preview/.
 * - Unit tests of the platform stubs (test/stubs/*.test.js) in node: the stubs are ES modules as
 *   rollup reads them, so jest runs them through babel's CommonJS transform (babel-jest comes with
 *   jest; the plugin with @salesforce/sfdx-lwc-jest, which compiles the LWC tests the same way),
 *   and `@salesforce/i18n/*` is the value lightning-base-components gives the build
 *   (build/salesforceModules.mjs maps it the same way).
 */
const path = require('node:path');

const lbc = path.dirname(require.resolve('lightning-base-components/package.json', { paths: [__dirname] }));
const esModules = [
  'babel-jest',
  {
    babelrc: false,
    configFile: false,
    plugins: [require.resolve('@babel/plugin-transform-modules-commonjs')],
  },
];

module.exports = {
  displayName: 'preview',
  rootDir: __dirname,
  testEnvironment: 'node',
  testMatch: ['<rootDir>/test/**/*.test.js'],
  transform: {
    '/preview/src/.+\\.js$': esModules,
    '/lightning-base-components/scopedImports/.+\\.js$': esModules,
  },
  transformIgnorePatterns: ['/node_modules/(?!lightning-base-components/scopedImports/)'],
  moduleNameMapper: {
    '^@salesforce/i18n/(.+)$': `${lbc}/scopedImports/@salesforce-i18n-$1.js`,
  },
  globalSetup: path.join(__dirname, 'test/support/buildPreview.js'),
};
