// Trunk post-build hook: replaces 'unsafe-inline' in the Content-Security-Policy's script-src
// of the built index.html with the SHA-256 hash of each inline <script> (Trunk's module loader,
// whose text names the hashed file names, so the hash changes with every build and is computed
// here, after Trunk has written the page). Fails the build if there is nothing to replace.
//
//   node csp-hash.mjs [index.html]   (default: $TRUNK_STAGING_DIR/index.html)

import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

const file = process.argv[2] || path.join(process.env.TRUNK_STAGING_DIR || 'dist', 'index.html');
const html = fs.readFileSync(file, 'utf8');

const hashes = [];
for (const m of html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/gi)) {
  if (/\bsrc\s*=/i.test(m[1])) continue;
  hashes.push(`'sha256-${crypto.createHash('sha256').update(m[2], 'utf8').digest('base64')}'`);
}

const csp = /(<meta\s+http-equiv="Content-Security-Policy"\s+content=")([^"]*)(")/i;
const meta = html.match(csp);
if (!meta) {
  console.error(`csp-hash: no Content-Security-Policy meta in ${file}`);
  process.exit(1);
}
const directives = meta[2].split(';').map((d) => d.trim());
const i = directives.findIndex((d) => d.startsWith('script-src '));
if (i < 0 || !directives[i].includes("'unsafe-inline'")) {
  console.error(`csp-hash: script-src has no 'unsafe-inline' to replace in ${file}`);
  process.exit(1);
}
const sources = directives[i].split(/\s+/).filter((s) => s !== "'unsafe-inline'");
directives[i] = [...sources, ...hashes].join(' ');
const out = html.replace(csp, (_, a, _b, c) => a + directives.join('; ') + c);
fs.writeFileSync(file, out);
console.log(`csp-hash: script-src allows ${hashes.length} inline script(s) by hash`);
