// Trunk post-build hook, part 1 of 2 (Trunk runs the hooks of one stage concurrently, so
// this script runs csp-hash.mjs itself when it is done):
//
// 1. orders the wasm functions so similar code sits together (wasm-order.mjs; ~4.3 KB gzip);
// 2. gives wasm-bindgen's imports and exports short names in the wasm and the JS glue
//    (wasm-names.mjs; ~8 KB gzip of hashed names like `__wbg_append_f1a2…`);
// 3. minifies what Trunk copies as written — wasm-bindgen's JS glue and the links worker
//    (terser) and the style sheet (csso) — in $TRUNK_STAGING_DIR. Release builds only: the
//    page's budget is 300 KB gzip for every file in dist/, and this is ~5 KB of it;
// 4. rewrites the Subresource Integrity hashes (sha384) that index.html gives those files;
// 5. runs csp-hash.mjs (the inline loader's hash into the Content-Security-Policy).
//
// terser and csso come from tests/e2e/node_modules (the committed lockfile), like wasm-opt.
//
//   node minify.mjs   (Trunk sets TRUNK_STAGING_DIR and TRUNK_PROFILE)

import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { shortenNames } from './wasm-names.mjs';
import { orderFunctions } from './wasm-order.mjs';

const dir = process.env.TRUNK_STAGING_DIR || 'dist';
const release = (process.env.TRUNK_PROFILE || 'release') === 'release';

if (release) {
  const require = createRequire(new URL('./tests/e2e/package.json', import.meta.url));
  const { minify } = require('terser');
  const csso = require('csso');
  const before = {};
  let saved = 0;
  const names = fs.readdirSync(dir);
  const wasmName = names.find((n) => n.endsWith('_bg.wasm'));
  const glueName = wasmName && wasmName.replace(/_bg\.wasm$/, '.js');
  if (!wasmName || !names.includes(glueName)) {
    console.error(`minify: no wasm module and glue in ${dir}`);
    process.exit(1);
  }
  {
    const wasmFile = path.join(dir, wasmName);
    const glueFile = path.join(dir, glueName);
    const wasm = fs.readFileSync(wasmFile);
    const localOpt = new URL('./tests/e2e/node_modules/.bin/wasm-opt', import.meta.url).pathname;
    const ordered = orderFunctions(wasm, fs.existsSync(localOpt) ? localOpt : 'wasm-opt');
    const r = shortenNames(ordered, fs.readFileSync(glueFile, 'utf8'));
    fs.writeFileSync(wasmFile, r.wasm);
    fs.writeFileSync(glueFile, r.glue);
    before[wasmName] = wasm.length;
    saved += wasm.length - r.wasm.length;
    console.log(`minify: ${r.imports} imports and ${r.exports} exports renamed`);
  }
  for (const name of names) {
    const file = path.join(dir, name);
    const text = fs.readFileSync(file, 'utf8');
    let out;
    if (name.endsWith('.js')) {
      // The glue is an ES module; the worker is a classic script.
      const r = await minify(text, { module: name !== 'links-worker.js', compress: { passes: 2 }, mangle: true, format: { comments: false } });
      out = r.code;
    } else if (name.endsWith('.css')) {
      out = csso.minify(text, { restructure: false }).css;
    } else {
      continue;
    }
    if (!out || out.length === 0) {
      console.error(`minify: ${name} came out empty`);
      process.exit(1);
    }
    before[name] = text.length;
    saved += text.length - out.length;
    fs.writeFileSync(file, out);
  }

  // Subresource Integrity: <link … href="./NAME" … integrity="sha384-…">.
  const index = path.join(dir, 'index.html');
  let html = fs.readFileSync(index, 'utf8');
  let fixed = 0;
  html = html.replace(/<link\b[^>]*>/g, (tag) => {
    const href = tag.match(/\bhref="\.\/([^"]+)"/);
    if (!href || !(href[1] in before) || !/\bintegrity="/.test(tag)) return tag;
    const sri = 'sha384-' + crypto.createHash('sha384').update(fs.readFileSync(path.join(dir, href[1]))).digest('base64');
    fixed += 1;
    return tag.replace(/\bintegrity="[^"]*"/, `integrity="${sri}"`);
  });
  fs.writeFileSync(index, html);
  console.log(`minify: ${Object.keys(before).length} file(s), ${saved} bytes smaller, ${fixed} integrity hash(es) rewritten`);
}

await import('./csp-hash.mjs');
