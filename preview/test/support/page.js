/** What a person does and sees on the preview page, read as they would (innerText, roles). */

/** Waits until `region`'s visible text passes `test` (a RegExp or a function), or fails showing it. */
async function waitForText(region, test, { timeoutMs = 60000, what = String(test) } = {}) {
  const passes = typeof test === 'function' ? test : (text) => test.test(text);
  const deadline = Date.now() + timeoutMs;
  let text = '';
  for (;;) {
    text = (await region.count()) > 0 ? await region.first().innerText() : '';
    if (passes(text)) return text;
    if (Date.now() > deadline) throw new Error(`waited ${timeoutMs} ms for ${what}; the page shows:\n${text}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

/** Picks an option of a lightning-combobox by its label, as a person clicks it. */
async function choose(page, comboboxLabel, optionLabel) {
  await page.getByRole('combobox', { name: comboboxLabel }).click();
  await page.getByRole('option', { name: optionLabel, exact: true }).click();
}

/** The regions the preview's shell puts the package's components in. */
function regions(page) {
  return {
    pulse: page.locator('[data-id="account-pulse"]'),
    billing: page.locator('[data-id="opportunity-billing"]'),
    forecast: page.locator('[data-id="forecast"]'),
    scenarios: page.locator('preview-scenario-panel'),
  };
}

module.exports = { waitForText, choose, regions };
