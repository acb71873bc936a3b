/**
 * Plugin tests: ES modules, as the plugin ships (the repo runs jest with --experimental-vm-modules).
 * swc strips the types (type-checking is `npm run typecheck`); `./x.js` imports resolve to the .ts.
 * Commands run in-process against the real backend, started from server/dist (built by globalSetup).
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));

export default {
  displayName: 'plugin',
  rootDir: here,
  testEnvironment: 'node',
  testMatch: ['<rootDir>/test/**/*.test.ts'],
  extensionsToTreatAsEsm: ['.ts'],
  transform: {
    '^.+\\.ts$': [
      '@swc/jest',
      { jsc: { target: 'es2022', parser: { syntax: 'typescript' } }, module: { type: 'es6' } },
    ],
  },
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  globalSetup: '<rootDir>/test/support/globalSetup.js',
  setupFiles: ['<rootDir>/test/support/setup.ts'],
};
