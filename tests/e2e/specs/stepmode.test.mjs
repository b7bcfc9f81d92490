// Issue 5 — step mode: walk one mini-batch phase by phase, the inspector's numbers,
// going back restores the weights exactly, gradient check, keyboard, granularity,
// gradient-norm chart. Every test also asserts a clean console.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { suite, openApp, screenshot, describeLog, waitForCanvasDrawn, WAIT_MS } from '../helpers.mjs';

const s = suite();

const text = (page, id) => page.locator(`[data-testid=${id}]`).first().innerText();
// The inspector prints a true minus sign (−); Number() needs a hyphen.
const num = async (page, id) => Number((await text(page, id)).trim().replace(/−/g, '-'));

function assertClean(log) {
  assert.deepEqual(log.console, [], `console errors:\n${describeLog(log)}`);
  assert.deepEqual(log.page, [], `page errors:\n${describeLog(log)}`);
  assert.deepEqual(log.foreign, [], `requests to other origins:\n${describeLog(log)}`);
}

/** Waits until the phase read-out starts with `prefix`. */
async function waitPhase(page, prefix) {
  await page.waitForFunction(
    (p) => document.querySelector('[data-testid=phase]')?.textContent.trim().startsWith(p),
    prefix,
    { timeout: WAIT_MS },
  );
}

async function waitText(page, id, value) {
  await page.waitForFunction(
    ([id, v]) => document.querySelector(`[data-testid=${id}]`)?.textContent.trim() === v,
    [id, value],
    { timeout: WAIT_MS },
  );
}

async function enterStepMode(page) {
  await page.check('[data-testid=step-mode]');
  await waitPhase(page, 'ready');
  await page.locator('[data-testid=inspector]').waitFor({ timeout: WAIT_MS });
}

// One hidden layer: layers 1 (hidden) and 2 (output).
const SEQUENCE = ['forward-1', 'forward-2', 'loss', 'backward-2', 'backward-1', 'update'];

test('one mini-batch phase by phase: phases, Δw = change of the weight, back restores it, gradient check', async () => {
  const { page, log, context } = await openApp(s, { hash: 'd=xor&h=4&opt=momentum&lr=0.1&reg=l2&rr=0.01&sp=0' });
  // Two whole updates first, so momentum has a buffer and the step is not the first.
  await page.click('[data-testid=step]');
  await page.click('[data-testid=step]');
  await waitText(page, 'updates', '2');
  await enterStepMode(page);
  assert.match(await text(page, 'phase'), /ready — next: forward-1/);
  const w0 = await text(page, 'inspector-w');
  const layerNodes = (cls) => page.locator(`.node.${cls}`).count();

  for (const id of SEQUENCE) {
    await page.click('[data-testid=next-phase]');
    await waitPhase(page, id);
    if (id === 'forward-1') {
      // The hidden layer is active, the output layer not computed yet.
      assert.equal(await layerNodes('active'), 4);
      assert.equal(await layerNodes('pending'), 1);
      assert.match(await page.locator('[data-testid=inspector] math').first().textContent(), /=/);
      assert.equal(await page.locator('[data-testid=inspector] math').first().evaluate((m) => m.namespaceURI), 'http://www.w3.org/1998/Math/MathML');
      await screenshot(page, 'stepmode-forward-1280x720');
    }
    if (id === 'loss') {
      assert.match(await text(page, 'inspector'), /prediction/);
    }
    if (id === 'backward-1') {
      assert.equal(await layerNodes('active'), 4);
      // Per-sample gradients of the focused weight beside their mean and dw with L2.
      assert.ok((await page.locator('.per-list .chip-num').count()) >= 2, 'per-sample gradients listed');
      assert.ok(Number.isFinite(await num(page, 'inspector-grad-data')));
      // L2 (rate 0.01): the penalty's term is listed, and data gradient + term = what the optimizer uses.
      const [gData, gReg, gFull] = [await num(page, 'inspector-grad-data'), await num(page, 'inspector-grad-reg'), await num(page, 'inspector-grad')];
      assert.ok(gReg !== 0 && Math.abs(gData + gReg - gFull) <= 2e-4, `${gData} + ${gReg} ≈ ${gFull}`);
      assert.equal(await text(page, 'inspector-w'), w0, 'parameters change only in the update');
      // Gradient check against the traced dw.
      await page.click('[data-testid=grad-check]');
      await page.locator('[data-testid=grad-check-result]').waitFor({ timeout: WAIT_MS });
      const res = await text(page, 'grad-check-result');
      const m = res.match(/relative error\s+([0-9.eE+-]+)/);
      assert.ok(m, `relative error shown: ${res}`);
      assert.ok(Number(m[1]) < 1e-6, `relative error ${m[1]} < 1e-6 (${res})`);
      await screenshot(page, 'stepmode-backward-1280x720');
    }
  }
  await waitText(page, 'updates', '3');
  const w1 = await text(page, 'inspector-w');
  const dw = await num(page, 'inspector-dw');
  assert.notEqual(w1, w0, 'the update changed the weight');
  assert.ok(dw !== 0 && Number.isFinite(dw), `Δw ${dw}`);
  assert.equal(Number(w1) - Number(w0), dw, `Δw ${dw} = ${w1} − ${w0}`);
  assert.match(await text(page, 'inspector'), /←/, 'the optimizer formula is written out');
  await screenshot(page, 'stepmode-update-1280x720');

  // Back across the update: the weight returns to its old value exactly.
  await page.click('[data-testid=prev-phase]');
  await waitPhase(page, 'backward-1');
  await waitText(page, 'updates', '2');
  assert.equal(await text(page, 'inspector-w'), w0);
  // The gradient check also works after the update (at the parameters the gradient was computed at).
  await page.keyboard.press('.');
  await waitPhase(page, 'update');
  assert.equal(await text(page, 'inspector-w'), w1, 'the same update again, bit for bit');
  await page.click('[data-testid=grad-check]');
  await page.waitForFunction(() => /relative error/.test(document.querySelector('[data-testid=grad-check-result]')?.textContent || ''));
  const again = (await text(page, 'grad-check-result')).match(/relative error\s+([0-9.eE+-]+)/);
  assert.ok(Number(again[1]) < 1e-6, `after the update: ${again[1]}`);
  // Keyboard: "," back, "." forward.
  await page.keyboard.press(',');
  await waitPhase(page, 'backward-1');
  await page.keyboard.press('.');
  await waitPhase(page, 'update');
  await page.keyboard.press('.');
  await waitPhase(page, 'forward-1');
  assertClean(log);
  await context.close();
});

test('Adam: the inspector shows m, v and bias corrections; Δw matches', async () => {
  const { page, log, context } = await openApp(s, { hash: 'd=circle&h=3&opt=adam&lr=0.03&sp=0' });
  await enterStepMode(page);
  // Focus a neuron of the output layer: the inspector follows its bias.
  await page.focus('[data-testid=neuron-2-1]');
  await page.waitForFunction(() => /bias of layer 2 neuron 1/.test(document.querySelector('[data-testid=inspector]')?.textContent || ''));
  const b0 = await text(page, 'inspector-w');
  for (const id of ['forward-1', 'forward-2', 'loss', 'backward-2', 'backward-1', 'update']) {
    await page.keyboard.press('.');
    await waitPhase(page, id);
  }
  const b1 = await text(page, 'inspector-w');
  const db = await num(page, 'inspector-dw');
  assert.equal(Number(b1) - Number(b0), db);
  const insp = await text(page, 'inspector');
  assert.match(insp, /m̂/);
  assert.match(insp, /v̂/);
  assert.equal(await page.locator('[data-testid=inspector] math').count() >= 5, true);
  assertClean(log);
  await context.close();
});

test('granularity: one sample, one epoch; leaving step mode keeps play working; gradient-norm chart', async () => {
  const { page, log, context } = await openApp(s, { hash: 'd=gauss&h=4&sp=0' });
  await enterStepMode(page);
  await page.selectOption('[data-testid=granularity]', { index: 0 });
  await page.click('[data-testid=next-phase]');
  await waitPhase(page, 'forward-1');
  assert.equal(await page.locator('[data-testid=inspector-sample] option').count(), 1, 'a batch of one sample');
  // Finish the step with Next, then one whole epoch.
  for (let k = 0; k < SEQUENCE.length - 1; k++) await page.click('[data-testid=next-phase]');
  await waitPhase(page, 'update');
  await waitText(page, 'updates', '1');
  await page.selectOption('[data-testid=granularity]', { index: 2 });
  const epoch0 = await num(page, 'epoch');
  await page.click('[data-testid=next-phase]');
  await page.waitForFunction((e) => Number(document.querySelector('[data-testid=epoch]').textContent) > e, epoch0);
  await waitForCanvasDrawn(page, '[data-testid=grad-norm-chart]', { minPixels: 200 });
  // Play leaves step mode and trains.
  await page.click('[data-testid=play]');
  await page.waitForFunction(() => !document.querySelector('[data-testid=step-mode]').checked);
  const u = await num(page, 'updates');
  await page.waitForFunction((u) => Number(document.querySelector('[data-testid=updates]').textContent) > u + 20, u);
  await page.click('[data-testid=play]');
  await page.locator('[data-testid=play][aria-pressed=false]').waitFor({ timeout: WAIT_MS });
  assert.equal(await page.locator('[data-testid=inspector]').count(), 0, 'the inspector belongs to step mode');
  assertClean(log);
  await context.close();
});

/** Runs the six phases of one update with the "." key. */
async function oneUpdate(page) {
  for (const id of SEQUENCE) {
    await page.keyboard.press('.');
    await waitPhase(page, id);
  }
}

for (const [opt, marks] of [['adagrad', [/G/, /γ̃/]], ['rmsprop', [/ṽ/, /𝛼|α/]]]) {
  test(`${opt}: the inspector writes out the rule with the trace's numbers; Δw matches`, async () => {
    const { page, log, context } = await openApp(s, { hash: `d=circle&h=3&opt=${opt}&lr=0.05&sp=0` });
    await page.click('[data-testid=step]');
    await waitText(page, 'updates', '1');
    await enterStepMode(page);
    const w0 = await text(page, 'inspector-w');
    await oneUpdate(page);
    const w1 = await text(page, 'inspector-w');
    const dw = await num(page, 'inspector-dw');
    assert.ok(dw !== 0 && Number.isFinite(dw), `Δw ${dw}`);
    assert.equal(Number(w1) - Number(w0), dw, `Δw ${dw} = ${w1} − ${w0}`);
    const insp = await text(page, 'inspector');
    for (const m of marks) assert.match(insp, m);
    assert.match(insp, /←/);
    await screenshot(page, `stepmode-${opt}-update-1280x720`);
    assertClean(log);
    await context.close();
  });
}

test('phone width: step mode fits, formulas break into lines, no sideways page scroll', async () => {
  const { page, log, context } = await openApp(s, { hash: 'd=circle&h=3&opt=adam&lr=0.03&sp=0', viewport: { width: 390, height: 844 } });
  await enterStepMode(page);
  await oneUpdate(page);
  const { scroll, inner } = await page.evaluate(() => ({ scroll: document.scrollingElement.scrollWidth, inner: window.innerWidth }));
  assert.ok(scroll <= inner + 1, `page width ${scroll} ≤ viewport ${inner}`);
  assert.ok((await page.locator('[data-testid=inspector] .eq-line.cont').count()) >= 2, 'derivations continue on new lines');
  await page.locator('[data-testid=inspector]').scrollIntoViewIfNeeded();
  await screenshot(page, 'stepmode-update-390');
  assertClean(log);
  await context.close();
});

test('timeline: auto-play runs phases; going back to an update and forward again replays it exactly; links show ∂L/∂w and Δw', async () => {
  const { page, log, context } = await openApp(s, { hash: 'd=xor&h=4&opt=momentum&lr=0.1&sp=0' });
  await enterStepMode(page);
  // Auto-play at the fastest pace until two updates are done, then stop.
  await page.selectOption('[data-testid=auto-pace]', { index: 4 });
  await page.click('[data-testid=auto-play]');
  await page.waitForFunction(() => Number(document.querySelector('[data-testid=updates]').textContent) >= 2, null, { timeout: WAIT_MS });
  await page.click('[data-testid=auto-play]');
  await page.locator('[data-testid=auto-play][aria-pressed=false]').waitFor({ timeout: WAIT_MS });
  // Finish the step under way, so the state sits right after an update.
  const u = await num(page, 'updates');
  let now = u;
  if (!(await text(page, 'phase')).startsWith('update')) {
    now = u + 1;
    for (let k = 0; k < SEQUENCE.length; k++) {
      const before = await text(page, 'phase');
      await page.keyboard.press('.');
      await page.waitForFunction((b) => document.querySelector('[data-testid=phase]').textContent !== b, before);
      if ((await text(page, 'phase')).startsWith('update')) break;
    }
  }
  await waitText(page, 'updates', String(now));
  const wNow = await text(page, 'inspector-w');
  const bars = page.locator('[data-testid=scrubber] .tl-bar[data-update]');
  assert.ok((await bars.count()) >= now, `a bar per update (${await bars.count()})`);
  const labelNow = await page.locator(`[data-testid=scrubber] [data-update="${now}"]`).getAttribute('aria-label');
  // Back to update 1.
  await page.click('[data-testid=scrubber] [data-update="1"]');
  await waitText(page, 'updates', '1');
  assert.notEqual(await text(page, 'inspector-w'), wNow);
  assert.equal(await page.locator(`[data-testid=scrubber] [data-update="${now}"].future`).count(), 1, 'later updates stay, marked as future');
  // Forward to the latest again: the same weight and the same loss, bit for bit.
  await page.click(`[data-testid=scrubber] [data-update="${now}"]`);
  await waitText(page, 'updates', String(now));
  assert.equal(await text(page, 'inspector-w'), wNow);
  assert.equal(await page.locator(`[data-testid=scrubber] [data-update="${now}"]`).getAttribute('aria-label'), labelNow);
  // Back to the initial weights.
  await page.click('[data-testid=scrubber] .tl-start');
  await waitText(page, 'updates', '0');
  await page.click(`[data-testid=scrubber] [data-update="${now}"]`);
  await waitText(page, 'updates', String(now));
  assert.equal(await text(page, 'inspector-w'), wNow);
  // The diagram's lines: weights, gradients, last change — three different drawings.
  // A checksum of the diagram canvas; waiting for it to change (the CSP forbids building
  // functions from strings in the page, so the code is written out in each call).
  const checksum = (prev) => {
    const c = document.querySelector('[data-testid=network] canvas.links');
    const v = c.getContext('2d').getImageData(0, 0, c.width, c.height).data.reduce((a, x, i) => (a + x * ((i % 97) + 1)) % 1e9, 0);
    return v !== prev ? v : false;
  };
  const drawn = [await page.evaluate(checksum, -1)];
  for (const k of [1, 2]) {
    await page.selectOption('[data-testid=link-mode]', { index: k });
    const sum = await page.waitForFunction(checksum, drawn[drawn.length - 1], { timeout: WAIT_MS });
    drawn.push(await sum.jsonValue());
  }
  assert.equal(new Set(drawn).size, 3, `weights, gradients and Δw draw differently: ${drawn}`);
  await screenshot(page, 'stepmode-links-delta-1280x720');
  assertClean(log);
  await context.close();
});
