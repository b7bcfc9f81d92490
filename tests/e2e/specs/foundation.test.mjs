// Foundation: the release bundle loads cleanly, shows its header, keeps the error banner
// hidden, draws the loss chart and talks to no other origin; screenshots at desktop and phone
// size (tests/e2e/screenshots/foundation-WxH.png). One page per viewport, checked step by step.

import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  suite, openApp, waitForCanvasDrawn, screenshot, describeLog, VIEWPORTS, WAIT_MS,
} from '../helpers.mjs';

const s = suite();
const T = { timeout: 90_000 };

for (const [name, viewport] of Object.entries(VIEWPORTS)) {
  describe(`foundation, ${name} ${viewport.width}x${viewport.height}`, () => {
    let app;
    before(async () => {
      app = await openApp(s, { viewport, waitForApp: false });
    });
    after(async () => {
      await app?.context.close();
    });

    test('header shows "gradlab" and "梯度实验室"', T, async () => {
      const header = app.page.locator('[data-testid=app-header]');
      await header.waitFor({ state: 'visible', timeout: WAIT_MS });
      const text = await header.innerText();
      assert.match(text, /gradlab/, 'header names the app');
      assert.match(text, /梯度实验室/, 'header has the Chinese name');
    });

    test('error banner is in the DOM but hidden', T, async () => {
      const banner = app.page.locator('[data-testid=error-banner]');
      await banner.waitFor({ state: 'attached', timeout: WAIT_MS });
      assert.equal(await banner.count(), 1, 'exactly one [data-testid=error-banner]');
      assert.equal(await banner.isVisible(), false, 'the banner is hidden when nothing went wrong');
    });

    test('loss chart canvas becomes non-blank', T, async () => {
      const stats = await waitForCanvasDrawn(app.page, '[data-testid=loss-chart]');
      assert.ok(stats.distinct >= 2, `at least two colours: ${JSON.stringify(stats)}`);
    });

    test(`screenshot foundation-${viewport.width}x${viewport.height}.png`, T, async () => {
      await screenshot(app.page, `foundation-${viewport.width}x${viewport.height}`);
    });

    test('no console errors and no page errors', T, () => {
      assert.deepEqual(app.log.page, [], `page errors:\n${describeLog(app.log)}`);
      assert.deepEqual(app.log.console, [], `console errors:\n${describeLog(app.log)}`);
    });

    test('no requests to other origins, no failed requests', T, () => {
      assert.deepEqual(app.log.foreign, [], `requests to other origins:\n${describeLog(app.log)}`);
      assert.deepEqual(app.log.failed, [], `failed requests:\n${describeLog(app.log)}`);
    });
  });
}
