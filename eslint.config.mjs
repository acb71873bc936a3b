// ESLint for the TypeScript workspaces (type-aware rules where they catch real bugs).
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';
import { createRequire } from 'node:module';

// The Salesforce LWC rules (CommonJS package): decorators via @babel/eslint-parser, platform restrictions.
// For the package's components and for the local preview's own LWC modules (preview/src/modules).
const lwcConfig = createRequire(import.meta.url)('@salesforce/eslint-config-lwc');
const LWC_JS = ['force-app/**/lwc/**/*.js', 'preview/src/modules/**/*.js'];

export default tseslint.config(
  {
    ignores: [
      '**/node_modules/**',
      '**/dist/**',
      '**/lib/**',
      '.closeloop/**',
      '.tryton/**',
      'coverage/**',
      'results/**',
      '.sf/**',
      '.sfdx/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['server/**/*.ts', 'plugin/**/*.ts'],
    languageOptions: {
      parserOptions: {
        project: ['./server/tsconfig.json', './plugin/tsconfig.json'],
        tsconfigRootDir: import.meta.dirname,
      },
      globals: globals.node,
    },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: { arguments: false } }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  {
    files: ['**/*.{js,mjs,cjs}'],
    languageOptions: { globals: globals.node },
  },
  // Lightning Web Components: the Salesforce LWC config, scoped to the LWC sources above.
  ...lwcConfig.configs.recommended.map((config) => ({ ...config, files: LWC_JS })),
  {
    files: LWC_JS,
    rules: {
      // TypeScript rules do not apply to LWC JavaScript (the LWC config brings its own).
      '@typescript-eslint/no-unused-vars': 'off',
      'no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
    },
  },
  // The preview's browser code (its entry and the platform stubs run in the page, not in Node).
  {
    files: ['preview/src/**/*.js'],
    languageOptions: { globals: globals.browser },
  },
  // The preview's jest project: CommonJS, as jest loads it without a transform.
  {
    files: ['preview/jest.config.js', 'preview/test/**/*.js'],
    languageOptions: { sourceType: 'commonjs', globals: { ...globals.node, ...globals.jest } },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    files: ['force-app/**/lwc/**/__tests__/**/*.js'],
    languageOptions: { globals: { ...globals.jest, ...globals.node } },
    rules: {
      // jest.mock factories and JSON fixtures are required; tests drive wire adapters directly.
      '@typescript-eslint/no-require-imports': 'off',
      '@lwc/lwc/no-unexpected-wire-adapter-usages': 'off',
    },
  },
  // CommonJS tooling of the Salesforce package: jest configs and the offline metadata checks.
  {
    files: ['force-app/jest.config.js', 'force-app/test/**/*.js', 'force-app-tests/**/*.js'],
    languageOptions: { sourceType: 'commonjs', globals: { ...globals.node, ...globals.jest } },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
);
