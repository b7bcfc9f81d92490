// Shared helpers for the gradlab e2e specs (node --test + playwright-core + system Chromium).
//
// - suite(): one static server (serve.mjs, 127.0.0.1, free port) and one Chromium per test file.
// - openApp(): a fresh context/page that records console errors, page errors and every request
//   to another origin (such requests are also aborted, so a test never reaches another host).
// - waits are condition-based (waitForFunction / locator waits), never fixed sleeps.
// - screenshots go to tests/e2e/screenshots/ (git-ignored).

import { before, after } from 'node:test';
import fs from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { startServer, DEFAULT_DIST } from './serve.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
export const SCREENSHOT_DIR = path.join(here, 'screenshots');

/** Where the Chromium binary lives (Debian's `chromium` package). */
export const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';

/** Flags every launch uses: no GPU, no background traffic to Google, no first-run UI. */
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

/** Default per-wait budget (ms). Generous: CI machines have 2 cores. */
export const WAIT_MS = Number(process.env.E2E_WAIT_MS || 30_000);

export const VIEWPORTS = {
  desktop: { width: 1280, height: 720 },
  phone: { width: 390, height: 844 },
};

/**
 * Registers before/after hooks for the current test file: starts the static server on
 * dist/ (or $GRADLAB_DIST) and launches Chromium. Returns a live object whose fields
 * ({ origin, url, browser }) are filled once `before` has run.
 */
export function suite() {
  const ctx = { origin: null, url: null, browser: null, server: null };
  before(async () => {
    ctx.server = await startServer({ root: process.env.GRADLAB_DIST || DEFAULT_DIST });
    ctx.origin = ctx.server.origin;
    ctx.url = ctx.server.url;
    // Playwright's own launcher flags (pipe transport, temp --user-data-dir) are kept;
    // ours are added. headless/chromiumSandbox are set so it doesn't add conflicting ones.
    ctx.browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      chromiumSandbox: false,
      args: CHROMIUM_ARGS,
      timeout: WAIT_MS,
    });
  });
  after(async () => {
    await ctx.browser?.close().catch(() => {});
    await ctx.server?.close();
  });
  return ctx;
}

/**
 * Opens the app in a fresh browser context.
 * options: { viewport = VIEWPORTS.desktop, hash = '', waitForApp = true, locale } (locale: the
 * browser language, e.g. 'zh-CN'; Chromium's default when omitted)
 * Returns { page, context, log } where log = { console: [], page: [], foreign: [], failed: [] }.
 *   console: console messages of type "error"   page: uncaught exceptions (incl. Rust panics)
 *   foreign: URLs of requests to another origin  failed: same-origin requests that failed
 */
export async function openApp(s, { viewport = VIEWPORTS.desktop, hash = '', waitForApp = true, locale, init, missing = [] } = {}) {
  const context = await s.browser.newContext({ viewport, deviceScaleFactor: 1, ...(locale ? { locale } : {}) });
  // `init`: a function run in the page before its own scripts (e.g. to remove an API).
  if (init) await context.addInitScript(init);
  const log = { console: [], page: [], foreign: [], failed: [] };

  await context.route('**/*', (route) => {
    const u = route.request().url();
    // `missing`: files of the bundle to answer with 404 (as from an incomplete copy).
    if (missing.some((m) => new URL(u).pathname.endsWith('/' + m))) return route.fulfill({ status: 404, body: 'not found' });
    return sameOrigin(u, s.origin) ? route.continue() : route.abort('blockedbyclient');
  });

  const page = await context.newPage();
  page.on('console', (msg) => {
    if (msg.type() === 'error') {
      const loc = msg.location();
      log.console.push(`${msg.text()}${loc?.url ? ` (${loc.url}:${loc.lineNumber})` : ''}`);
    }
  });
  page.on('pageerror', (err) => log.page.push(String(err?.stack || err)));
  page.on('request', (req) => {
    if (!sameOrigin(req.url(), s.origin)) log.foreign.push(req.url());
  });
  page.on('websocket', (ws) => {
    if (!sameOrigin(ws.url(), s.origin)) log.foreign.push(ws.url());
  });
  page.on('requestfailed', (req) => {
    if (sameOrigin(req.url(), s.origin)) log.failed.push(`${req.url()}: ${req.failure()?.errorText}`);
  });

  await page.goto(s.url + (hash ? (hash.startsWith('#') ? hash : '#' + hash) : ''), {
    waitUntil: 'load',
    timeout: WAIT_MS,
  });
  if (waitForApp) await waitForApp_(page);
  return { page, context, log };
}

/** Waits until the Yew app has mounted (its header is in the DOM). */
async function waitForApp_(page) {
  await page.locator('[data-testid=app-header]').waitFor({ state: 'attached', timeout: WAIT_MS });
}
export { waitForApp_ as waitForApp };

/** True for URLs on `origin`, and for data:/blob:/about: URLs (they never leave the page). */
export function sameOrigin(url, origin) {
  if (/^(data|blob|about):/i.test(url)) return true;
  try {
    return new URL(url).origin === origin;
  } catch {
    return false;
  }
}

/**
 * Pixel statistics of a <canvas> (any context type): copies it onto a scratch 2D canvas and
 * reads the RGBA pixels. Returns { width, height, distinct, nonBackground, background }, where
 * background is the most common colour and nonBackground counts pixels of any other colour.
 */
export async function canvasStats(page, selector) {
  return page.evaluate((sel) => {
    const src = document.querySelector(sel);
    if (!(src instanceof HTMLCanvasElement)) return { error: `${sel} is not a canvas` };
    const { width, height } = src;
    if (!width || !height) return { width, height, distinct: 0, nonBackground: 0 };
    const scratch = document.createElement('canvas');
    scratch.width = width;
    scratch.height = height;
    const g = scratch.getContext('2d', { willReadFrequently: true });
    g.drawImage(src, 0, 0);
    const data = g.getImageData(0, 0, width, height).data;
    const counts = new Map();
    for (let i = 0; i < data.length; i += 4) {
      const key = ((data[i] << 24) | (data[i + 1] << 16) | (data[i + 2] << 8) | data[i + 3]) >>> 0;
      counts.set(key, (counts.get(key) || 0) + 1);
    }
    let bg = 0;
    let bgCount = -1;
    for (const [k, c] of counts) if (c > bgCount) [bg, bgCount] = [k, c];
    return {
      width,
      height,
      distinct: counts.size,
      nonBackground: width * height - bgCount,
      background: '#' + bg.toString(16).padStart(8, '0'),
    };
  }, selector);
}

/** Polls canvasStats until the canvas has ≥ 2 colours and ≥ `minPixels` non-background pixels. */
export async function waitForCanvasDrawn(page, selector, { minPixels = 20, timeout = WAIT_MS } = {}) {
  await page.locator(selector).waitFor({ state: 'attached', timeout });
  const deadline = Date.now() + timeout;
  let stats;
  for (;;) {
    stats = await canvasStats(page, selector);
    if (stats.error) throw new Error(stats.error);
    if (stats.distinct >= 2 && stats.nonBackground >= minPixels) return stats;
    if (Date.now() > deadline) {
      throw new Error(`${selector} stayed blank for ${timeout} ms: ${JSON.stringify(stats)}`);
    }
    // Wait for the next two animation frames in the page (a condition, not a fixed sleep).
    await page.evaluate(
      () => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(() => r()))),
    );
  }
}

/** Saves a full-page screenshot as tests/e2e/screenshots/NAME.png and returns its path. */
export async function screenshot(page, name) {
  await fs.mkdir(SCREENSHOT_DIR, { recursive: true });
  const file = path.join(SCREENSHOT_DIR, `${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}

/** Formats a log for assertion messages. */
export function describeLog(log) {
  return JSON.stringify(log, null, 2);
}
