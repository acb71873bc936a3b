/**
 * LWC unit tests: the real LWC compiler through sfdx-lwc-jest (jsdom), Lightning base components
 * as its stubs, accessibility checked with sa11y. Fixtures are the backend's own examples in
 * contract/ (imported as `@contract/<file>.json`), the same files the server's tests validate.
 */
const path = require('path');
const { jestConfig } = require('@salesforce/sfdx-lwc-jest/config');

const root = path.join(__dirname, '..');

module.exports = {
    ...jestConfig,
    displayName: 'lwc',
    rootDir: root,
    roots: ['<rootDir>/force-app'],
    testMatch: ['<rootDir>/force-app/**/lwc/**/__tests__/**/*.test.js'],
    moduleNameMapper: {
        '^@contract/(.*)$': '<rootDir>/contract/$1',
    },
    setupFilesAfterEnv: [...(jestConfig.setupFilesAfterEnv || []), '<rootDir>/force-app/test/jest-setup.js'],
    modulePathIgnorePatterns: ['<rootDir>/.localdevserver'],
    collectCoverageFrom: ['<rootDir>/force-app/**/lwc/**/*.js', '!**/__tests__/**'],
};
