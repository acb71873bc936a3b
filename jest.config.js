/** One `jest` run covers every workspace. */
module.exports = {
  projects: ['<rootDir>/server/jest.config.js'],
  testTimeout: 60000,
};
