// Browser benchmark: the playground's training speed and frame times in headless Chromium
// against the release build (dist/, or $GRADLAB_DIST). Reports numbers; asserts nothing.
//
//   node tests/e2e/bench.mjs [--seconds S]
//
// Setups (as the engine's native bench): (a) circle, x1 x2, 4-2 tanh, batch 10;
// (b) spiral, all 7 features, 8-8-8-8-8-8 tanh, batch 10; both with 50 % training data.
// Each runs at "1 epoch / frame" and at "fastest". Frame time = interval between
// requestAnimationFrame callbacks measured in the page while training runs.
// Also: first render (navigation start → header and output plot drawn) and bundle size.

import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { chromium } from 'playwright-core';
import { startServer, DEFAULT_DIST } from './serve.mjs';
import { CHROMIUM, CHROMIUM_ARGS } from './helpers.mjs';

const seconds = Number(process.argv[process.argv.indexOf('--seconds') + 1]) || 4;
const dist = process.env.GRADLAB_DIST || DEFAULT_DIST;
const SETUPS = {
  'a: circle, x1 x2, 4-2 tanh, batch 10': 'd=circle&f=x1,x2&h=4,2&a=tanh&b=10&tr=50',
  'b: spiral, 7 features, 8-8-8-8-8-8 tanh, batch 10':
    'd=spiral&f=x1,x2,x1^2,x2^2,x1*x2,sin(x1),sin(x2)&h=8,8,8,8,8,8&a=tanh&b=10&tr=50',
};
const SPEEDS = { '1 epoch/frame': 3, fastest: 7 };

const server = await startServer({ root: dist });
const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, chromiumSandbox: false, args: CHROMIUM_ARGS });
const results = [];
try {
  // First render, five cold loads.
  const firsts = [];
  for (let i = 0; i < 5; i++) {
    const context = await browser.newContext({ viewport: { width: 1280, height: 720 } });
    const page = await context.newPage();
    await page.goto(server.url, { waitUntil: 'commit' });
    await page.waitForFunction(() => {
      const c = document.querySelector('[data-testid=heatmap]');
      return document.querySelector('[data-testid=app-header]') && c && c.width > 0;
    });
    firsts.push(await page.evaluate(() => performance.now()));
    await context.close();
  }
  firsts.sort((x, y) => x - y);
  console.log(`first render (navigation → header and output plot drawn), median of 5: ${firsts[2].toFixed(0)} ms`);

  for (const [name, hash] of Object.entries(SETUPS)) {
    for (const [speedName, sp] of Object.entries(SPEEDS)) {
      const context = await browser.newContext({ viewport: { width: 1280, height: 720 } });
      const page = await context.newPage();
      await page.goto(`${server.url}#${hash}&sp=${sp}`);
      await page.locator('[data-testid=play]').waitFor();
      await page.click('[data-testid=play]');
      // Warm up one second (a condition-free wait is fine here: this is a benchmark, not a test).
      await page.waitForTimeout(1000);
      const r = await page.evaluate(async (ms) => {
        const num = (id) => Number(document.querySelector(`[data-testid=${id}]`).textContent);
        const u0 = num('updates');
        const e0 = num('epoch');
        const t0 = performance.now();
        const frames = [];
        let last = t0;
        await new Promise((done) => {
          const f = (t) => {
            frames.push(t - last);
            last = t;
            if (t - t0 < ms) requestAnimationFrame(f);
            else done();
          };
          requestAnimationFrame(f);
        });
        // Let the counters catch up (they refresh every 100 ms).
        await new Promise((r) => setTimeout(r, 150));
        const dt = (performance.now() - t0) / 1000;
        frames.shift();
        frames.sort((x, y) => x - y);
        const q = (p) => frames[Math.min(frames.length - 1, Math.floor(frames.length * p))];
        return { ups: (num('updates') - u0) / dt, eps: (num('epoch') - e0) / dt, p50: q(0.5), p95: q(0.95), frames: frames.length };
      }, seconds * 1000);
      const line = `${name} @ ${speedName}: ${r.ups.toFixed(0)} updates/s, ${r.eps.toFixed(1)} epochs/s, frame p50 ${r.p50.toFixed(1)} ms, p95 ${r.p95.toFixed(1)} ms (${r.frames} frames)`;
      console.log(line);
      results.push({ name, speed: speedName, ...r });
      await context.close();
    }
  }
} finally {
  await browser.close();
  await server.close();
}

// Every file the page loads (wasm, its JS, the links worker, CSS, HTML, icon), gzip -9 each.
let raw = 0;
let gz = 0;
for (const f of fs.readdirSync(dist)) {
  const p = path.join(dist, f);
  if (!fs.statSync(p).isFile()) continue;
  const b = fs.readFileSync(p);
  raw += b.length;
  gz += zlib.gzipSync(b, { level: 9 }).length;
}
console.log(`bundle: ${(raw / 1024).toFixed(0)} KiB raw, ${gz} bytes = ${(gz / 1024).toFixed(0)} KiB gzip in total (budget 300 KB)`);
