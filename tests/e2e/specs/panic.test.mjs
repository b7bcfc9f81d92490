// A Rust panic must not leave a dead page: the app's panic hook shows the error banner with a
// message and a reload button. `#debug-panic` in the URL makes the app panic on purpose after start.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { suite, openApp, screenshot, describeLog, WAIT_MS } from '../helpers.mjs';

const s = suite();

test('#debug-panic shows the error banner with text and a reload button', { timeout: 120_000 }, async () => {
  const { page, context, log } = await openApp(s, { hash: '#debug-panic', waitForApp: false });
  try {
    const banner = page.locator('[data-testid=error-banner]');
    await banner.waitFor({ state: 'visible', timeout: WAIT_MS });
    const text = (await banner.innerText()).trim();
    assert.ok(text.length > 0, 'error banner has a message');

    const reload = banner.locator('[data-testid=reload]');
    try {
      await reload.waitFor({ state: 'visible', timeout: WAIT_MS });
    } catch (err) {
      const shown = await banner.evaluate((el) => el.outerHTML).catch(() => '(gone)');
      const hash = await page.evaluate(() => location.hash);
      throw new Error(`no visible [data-testid=reload] in the banner.\nbanner: ${shown}\n` +
        `location.hash now: ${hash}\nlog: ${describeLog(log)}\n${err.message}`);
    }
    assert.equal(await reload.evaluate((el) => el.tagName), 'BUTTON', '[data-testid=reload] is a <button>');

    await screenshot(page, 'panic-banner');
    // The panic itself is expected (as a page error / console error); nothing may go elsewhere.
    assert.deepEqual(log.foreign, [], `no requests to other origins:\n${describeLog(log)}`);
  } finally {
    await context.close();
  }
});
