/**
 * Offline checks of the Salesforce package (force-app/): Apex syntax, XML well-formedness,
 * field types, cross-references, and a full source → metadata conversion. No org needed.
 */
module.exports = {
  displayName: 'force-app-metadata',
  rootDir: __dirname,
  testEnvironment: 'node',
  testMatch: ['<rootDir>/**/*.test.js'],
};
