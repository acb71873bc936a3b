/** Debian's Chromium (scripts/preview/install-chromium.sh), headless, with a fresh profile. */
const { chromium } = require('playwright-core');
const { mkdirSync, mkdtempSync, rmSync } = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
const ARTIFACTS = path.join(__dirname, '../../../test-artifacts/preview');

async function openBrowser() {
  const profile = mkdtempSync(path.join(os.tmpdir(), 'closeloop-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    viewport: { width: 1400, height: 1000 },
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  const errors = [];
  context.on('weberror', (error) => errors.push(error.error().message));
  return {
    context,
    /** Uncaught errors in the page so far (a component that threw). */
    pageErrors: () => [...errors],
    async close() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/** A full-page screenshot in test-artifacts/preview/<name>.png. */
async function screenshot(page, name) {
  mkdirSync(ARTIFACTS, { recursive: true });
  await page.screenshot({ path: path.join(ARTIFACTS, `${name}.png`), fullPage: true });
}

module.exports = { openBrowser, screenshot };
