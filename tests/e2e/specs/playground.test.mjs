// Issue 4 — the playground: train live, step, reset, live settings, URL state, malformed
// links, divergence, adding points by clicking. Every test also asserts a clean console.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { suite, openApp, screenshot, describeLog, waitForCanvasDrawn, WAIT_MS } from '../helpers.mjs';

const s = suite();

const text = (page, id) => page.locator(`[data-testid=${id}]`).first().innerText();
const num = async (page, id) => Number((await text(page, id)).replace(/[^0-9.eE+-]/g, ''));

function assertClean(log) {
  assert.deepEqual(log.console, [], `console errors:\n${describeLog(log)}`);
  assert.deepEqual(log.page, [], `page errors:\n${describeLog(log)}`);
  assert.deepEqual(log.foreign, [], `requests to other origins:\n${describeLog(log)}`);
}

/** Waits until `id`'s number is `op` `x` (op: '>', '>=', '<', '==='). */
async function waitNum(page, id, op, x, timeout = WAIT_MS) {
  await page.waitForFunction(
    ([id, op, x]) => {
      const el = document.querySelector(`[data-testid=${id}]`);
      if (!el) return false;
      const v = Number(el.textContent.replace(/[^0-9.eE+-]/g, ''));
      return op === '>' ? v > x : op === '>=' ? v >= x : op === '<' ? v < x : v === x;
    },
    [id, op, x],
    { timeout },
  );
}

test('play trains: updates grow and the training loss falls on circle', async () => {
  const { page, log, context } = await openApp(s, { hash: 'd=circle&sp=3' });
  await waitForCanvasDrawn(page, '[data-testid=heatmap]');
  const loss0 = await num(page, 'loss-train');
  assert.ok(loss0 > 0.3, `initial loss ${loss0}`);
  await page.click('[data-testid=play]');
  await waitNum(page, 'updates', '>', 500);
  // Seeded, so it always gets there; how many frames it takes depends on the machine.
  await waitNum(page, 'loss-train', '<', loss0 * 0.5);
  await page.click('[data-testid=play]');
  await page.locator('[data-testid=play][aria-pressed=false]').waitFor({ timeout: WAIT_MS });
  const loss1 = await num(page, 'loss-train');
  assert.ok(loss1 < loss0 * 0.5, `loss fell from ${loss0} to ${loss1}`);
  await waitForCanvasDrawn(page, '[data-testid=loss-chart]');
  await screenshot(page, 'playground-trained-1280x720');
  assertClean(log);
  await context.close();
});

test('step adds exactly one update; reset returns to the same initial loss', async () => {
  const { page, log, context } = await openApp(s, { hash: 'd=xor&h=4&sp=0' });
  const loss0 = await text(page, 'loss-train');
  for (let k = 1; k <= 3; k++) {
    await page.click('[data-testid=step]');
    await waitNum(page, 'updates', '===', k);
    assert.equal(await num(page, 'updates'), k);
  }
  assert.notEqual(await text(page, 'loss-train'), loss0);
  await page.click('[data-testid=reset]');
  await waitNum(page, 'updates', '===', 0);
  assert.equal(await text(page, 'loss-train'), loss0, 'same initial weights, same loss');
  // "New weights" draws different initial weights: a different initial loss.
  await page.click('[data-testid=new-weights]');
  await page.waitForFunction((l) => document.querySelector('[data-testid=loss-train]').textContent !== l, loss0);
  assertClean(log);
  await context.close();
});

test('changing the learning rate mid-run keeps the weights', async () => {
  const { page, log, context } = await openApp(s, { hash: 'd=gauss&sp=0' });
  for (let k = 0; k < 5; k++) await page.click('[data-testid=step]');
  await waitNum(page, 'updates', '===', 5);
  await page.focus('[data-testid=neuron-1-1]');
  await page.locator('[data-testid=focus-card]').waitFor({ timeout: WAIT_MS });
  const bias = await text(page, 'focus-value');
  const loss = await text(page, 'loss-train');
  await page.selectOption('[data-testid=learning-rate]', { label: '0.3' });
  await page.waitForFunction(() => location.hash.includes('lr=0.3'));
  assert.equal(await num(page, 'updates'), 5, 'no reset');
  assert.equal(await text(page, 'loss-train'), loss, 'same weights, same loss');
  await page.focus('[data-testid=neuron-1-1]');
  assert.equal(await text(page, 'focus-value'), bias, 'same bias');
  assert.equal(await num(page, 'current-lr'), 0.3);
  await page.click('[data-testid=step]');
  await waitNum(page, 'updates', '===', 6);
  assertClean(log);
  await context.close();
});

test('the URL hash holds the configuration and restores it after reload', async () => {
  const { page, log, context } = await openApp(s);
  await page.click('[data-testid=dataset-spiral]');
  await page.selectOption('[data-testid=learning-rate]', { label: '0.1' });
  await page.selectOption('[data-testid=optimizer]', { label: 'Adam' });
  await page.click('[data-testid=layer-add]');
  await page.click('[data-testid="feature-x1^2"]');
  await page.waitForFunction(() => /d=spiral/.test(location.hash) && /opt=adam/.test(location.hash) && /h=4,2,2/.test(location.hash));
  const hash = await page.evaluate(() => location.hash);
  assert.match(hash, /f=x1,x2,x1\^2/);
  await page.reload();
  await page.locator('[data-testid=app-header]').waitFor();
  assert.equal(await page.evaluate(() => location.hash), hash);
  assert.equal(await page.locator('[data-testid=dataset-spiral]').getAttribute('aria-checked'), 'true');
  assert.equal(await page.locator('[data-testid=learning-rate]').evaluate((e) => e.selectedOptions[0].text), '0.1');
  assert.equal(await page.locator('[data-testid=optimizer]').evaluate((e) => e.selectedOptions[0].text), 'Adam');
  assert.equal(await page.locator('[data-testid="feature-x1^2"]').getAttribute('aria-pressed'), 'true');
  assert.equal(await page.locator('[data-testid^=neuron-3-]').count(), 2, 'third hidden layer of 2 neurons');
  assert.equal(await page.locator('[data-testid=error-banner]').isHidden(), true);
  assertClean(log);
  await context.close();
});

test('a malformed link shows one notice per problem and a working page', async () => {
  const { page, log, context } = await openApp(s, { hash: 'd=banana&lr=abc&nz=9&zzz=1&h=4,99' });
  const banner = page.locator('[data-testid=error-banner]');
  await banner.waitFor({ state: 'visible', timeout: WAIT_MS });
  const items = await banner.locator('li').allInnerTexts();
  assert.equal(items.length, 5, items.join('\n'));
  assert.ok(items.some((t) => t.includes('zzz')));
  assert.ok(items.some((t) => t.includes('banana')));
  // Clamped values are used, defaults replace malformed ones; the link is rewritten.
  await page.waitForFunction(() => /nz=0\.5/.test(location.hash) && /h=4,32/.test(location.hash) && !/zzz/.test(location.hash));
  await page.click('[data-testid=step]');
  await waitNum(page, 'updates', '===', 1);
  await screenshot(page, 'playground-malformed-link');
  assertClean(log);
  await context.close();
});

test('a learning rate that blows up pauses training with an explanation; reset recovers', async () => {
  const { page, log, context } = await openApp(s, { hash: 'd=circle&o=linear_mse&sp=3' });
  await page.selectOption('[data-testid=learning-rate]', { label: '10' });
  await page.click('[data-testid=play]');
  const banner = page.locator('[data-testid=error-banner]');
  await banner.waitFor({ state: 'visible', timeout: WAIT_MS });
  const msg = await banner.innerText();
  assert.match(msg, /paused/i);
  assert.match(msg, /learning rate/i);
  await page.locator('[data-testid=play][aria-pressed=false]').waitFor({ timeout: WAIT_MS });
  await waitForCanvasDrawn(page, '[data-testid=loss-chart]');
  await screenshot(page, 'playground-diverged');
  await page.click('[data-testid=reset]');
  await waitNum(page, 'updates', '===', 0);
  assert.equal(await banner.isHidden(), true);
  await page.selectOption('[data-testid=learning-rate]', { label: '0.03' });
  await page.click('[data-testid=step]');
  await waitNum(page, 'updates', '===', 1);
  assertClean(log);
  await context.close();
});

test('clicking the plot adds points; right-click removes one', async () => {
  const { page, log, context } = await openApp(s, { hash: 'd=gauss' });
  const before = await text(page, 'points');
  // The whole plot on screen (the lessons bar sits above it), so every click lands on it.
  await page.locator('[data-testid=heatmap]').scrollIntoViewIfNeeded();
  const box = await page.locator('[data-testid=heatmap]').boundingBox();
  await page.mouse.click(box.x + box.width * 0.8, box.y + box.height * 0.2);
  await page.keyboard.down('Shift');
  await page.mouse.click(box.x + box.width * 0.2, box.y + box.height * 0.8);
  await page.keyboard.up('Shift');
  await page.waitForFunction(() => (location.hash.match(/add=([^&]*)/)?.[1] ?? '').split(';').length === 2);
  const hash = await page.evaluate(() => location.hash);
  assert.match(hash, /add=[-0-9.]+:[-0-9.]+:1;[-0-9.]+:[-0-9.]+:0/, 'class 1, then shift-click class 0');
  const after = await text(page, 'points');
  assert.notEqual(after, before);
  assert.equal(parseInt(after, 10), parseInt(before, 10) + 2, `${before} → ${after}`);
  await page.mouse.click(box.x + box.width * 0.8, box.y + box.height * 0.2, { button: 'right' });
  await page.waitForFunction(() => (location.hash.match(/add=([^&]*)/)?.[1] ?? '').split(';').length === 1);
  assertClean(log);
  await context.close();
});

test('phone width: the page stacks into one column and still trains', async () => {
  const { page, log, context } = await openApp(s, { viewport: { width: 390, height: 844 }, hash: 'd=moons' });
  await waitForCanvasDrawn(page, '[data-testid=heatmap]');
  await page.click('[data-testid=step]');
  await waitNum(page, 'updates', '===', 1);
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 1, `no horizontal scrolling (overflow ${overflow}px)`);
  await screenshot(page, 'playground-phone-390');
  assertClean(log);
  await context.close();
});

test('a bad seed is refused with a message and the previous seed is kept', async () => {
  const { page, log, context } = await openApp(s, { hash: 'd=xor&s=7' });
  const hash = await page.evaluate(() => location.hash);
  await page.fill('[data-testid=seed]', 'twelve');
  await page.press('[data-testid=seed]', 'Enter');
  await page.locator('[data-testid=seed-error]').waitFor({ timeout: WAIT_MS });
  assert.match(await text(page, 'seed-error'), /twelve/);
  assert.equal(await page.inputValue('[data-testid=seed]'), '7');
  assert.equal(await page.evaluate(() => location.hash), hash);
  await page.fill('[data-testid=seed]', '42');
  await page.press('[data-testid=seed]', 'Enter');
  await page.waitForFunction(() => /&s=42&/.test(location.hash));
  assert.equal(await page.locator('[data-testid=seed-error]').count(), 0);
  // The chart can show accuracy instead of loss.
  await page.check('[data-testid=show-accuracy]');
  await page.waitForFunction(() => document.querySelector('[data-testid=loss-chart]').getAttribute('aria-label').startsWith('Accuracy'));
  assertClean(log);
  await context.close();
});

test('the diagram\'s weight lines are drawn by a worker, and the same on the page where workers are missing', async () => {
  const links = '[data-testid=network] canvas.links';
  const hash = 'd=spiral&h=8,8,8&sp=0';
  const a = await openApp(s, { hash });
  const withWorker = await waitForCanvasDrawn(a.page, links, { minPixels: 5000 });
  // The worker starts with the diagram's first drawing; it may not be listed yet.
  if (a.page.workers().length === 0) await a.page.waitForEvent('worker', { timeout: 10_000 });
  const workers = a.page.workers().map((w) => w.url());
  assert.ok(workers.some((u) => u.endsWith('/links-worker.js')), `workers: ${workers}`);
  assertClean(a.log);
  // Without OffscreenCanvas the page strokes the lines itself: the same drawing.
  const b = await openApp(s, { hash, init: () => { delete globalThis.OffscreenCanvas; } });
  const without = await waitForCanvasDrawn(b.page, links, { minPixels: 5000 });
  assert.deepEqual(b.page.workers(), []);
  assert.equal(without.width, withWorker.width);
  const ratio = without.nonBackground / withWorker.nonBackground;
  assert.ok(Math.abs(ratio - 1) < 0.02, `inked pixels: worker ${withWorker.nonBackground}, page ${without.nonBackground}`);
  assertClean(b.log);
  // A copy of the page without the worker script: the page notices and draws them itself.
  const c = await openApp(s, { hash, missing: ['links-worker.js'] });
  const noScript = await waitForCanvasDrawn(c.page, links, { minPixels: 5000 });
  assert.ok(Math.abs(noScript.nonBackground / withWorker.nonBackground - 1) < 0.02, `inked pixels: ${noScript.nonBackground}`);
  assert.deepEqual(c.log.page, []);
  await a.context.close();
  await b.context.close();
  await c.context.close();
});

test('at the fastest speed the output map keeps changing while training runs', async () => {
  const { page, log, context } = await openApp(s, { hash: 'd=spiral&h=8,8&sp=7' });
  await waitForCanvasDrawn(page, '[data-testid=heatmap]');
  // A checksum of the output canvas, returned once it differs from `prev` (the CSP forbids
  // building functions from strings in the page, so the code is written out here).
  const checksum = (prev) => {
    const c = document.querySelector('[data-testid=heatmap]');
    const v = c.getContext('2d').getImageData(0, 0, c.width, c.height).data.reduce((a, x, i) => (a + x * ((i % 97) + 1)) % 1e9, 0);
    return v !== prev ? v : false;
  };
  const before = await page.evaluate(checksum, -1);
  await page.click('[data-testid=play]');
  await waitNum(page, 'updates', '>', 2000);
  // Two new maps while the run goes on (the map is redrawn whenever a complete one is ready).
  const first = await (await page.waitForFunction(checksum, before, { timeout: WAIT_MS })).jsonValue();
  await (await page.waitForFunction(checksum, first, { timeout: WAIT_MS })).jsonValue();
  assert.equal(await page.locator('[data-testid=play]').getAttribute('aria-pressed'), 'true', 'still playing');
  await page.click('[data-testid=play]');
  assertClean(log);
  await context.close();
});
