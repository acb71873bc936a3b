/** Builds the preview once before the tests (a no-op when its inputs are unchanged). */
const { execFileSync } = require('node:child_process');
const path = require('node:path');

module.exports = async function buildPreview() {
  execFileSync(process.execPath, [path.join(__dirname, '../../build.mjs')], { stdio: 'inherit' });
};
