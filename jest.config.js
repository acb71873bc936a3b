/** One `jest` run covers every workspace. */
module.exports = {
  projects: [
    '<rootDir>/server/jest.config.js',
    '<rootDir>/force-app/jest.config.js',
    '<rootDir>/force-app-tests/jest.config.js',
    '<rootDir>/plugin/jest.config.js',
    '<rootDir>/preview/jest.config.js',
  ],
  testTimeout: 60000,
};
