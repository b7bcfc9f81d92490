// A tiny static file server for the release bundle (dist/), bound to 127.0.0.1 only.
//
//   node serve.mjs [DIR] [PORT] [PREFIX]   DIR defaults to ../../dist, PORT 0 = any free port,
//                                          PREFIX (e.g. /sub/path/) serves DIR under that path only
//
// The e2e helpers import startServer() and run it in-process, one server per test file.
// Only GET and HEAD; no directory listings; paths cannot escape DIR.

import http from 'node:http';
import fs from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
export const DEFAULT_DIST = path.resolve(here, '..', '..', 'dist');

export const MIME = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.wasm': 'application/wasm',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.txt': 'text/plain; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.woff2': 'font/woff2',
};

/**
 * Serves `root` on 127.0.0.1:`port` (0 = a free port), at `prefix` ("/" by default; with
 * "/sub/path/", only URLs under it are served, as on a host where the app is not at the root).
 * Resolves to { server, origin, url, close() }; `url` ends with "/".
 */
export async function startServer({ root = DEFAULT_DIST, port = 0, prefix = '/' } = {}) {
  const base = path.resolve(root);
  const mount = '/' + prefix.replace(/^\/+|\/+$/g, '') + (prefix.replace(/\//g, '') ? '/' : '');
  await fs.access(path.join(base, 'index.html')).catch(() => {
    throw new Error(`${base}/index.html not found — run \`trunk build --release\` first`);
  });

  const server = http.createServer(async (req, res) => {
    try {
      if (req.method !== 'GET' && req.method !== 'HEAD') {
        res.writeHead(405, { Allow: 'GET, HEAD' }).end();
        return;
      }
      const { pathname } = new URL(req.url, 'http://127.0.0.1');
      if (!pathname.startsWith(mount)) {
        res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' }).end('not found\n');
        return;
      }
      let rel = decodeURIComponent(pathname.slice(mount.length - 1));
      if (rel.endsWith('/')) rel += 'index.html';
      const file = path.resolve(base, '.' + path.posix.normalize('/' + rel));
      if (file !== base && !file.startsWith(base + path.sep)) {
        res.writeHead(403).end();
        return;
      }
      const stat = await fs.stat(file).catch(() => null);
      if (!stat || !stat.isFile()) {
        res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' }).end('not found\n');
        return;
      }
      const type = MIME[path.extname(file).toLowerCase()] ?? 'application/octet-stream';
      res.writeHead(200, {
        'Content-Type': type,
        'Content-Length': stat.size,
        'Cache-Control': 'no-store',
        'X-Content-Type-Options': 'nosniff',
      });
      if (req.method === 'HEAD') {
        res.end();
        return;
      }
      res.end(await fs.readFile(file));
    } catch (err) {
      if (!res.headersSent) res.writeHead(500, { 'Content-Type': 'text/plain; charset=utf-8' });
      res.end(String(err) + '\n');
    }
  });

  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', resolve);
  });
  const origin = `http://127.0.0.1:${server.address().port}`;
  return {
    server,
    origin,
    url: origin + mount,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections?.();
        server.close(() => resolve());
      }),
  };
}

// CLI mode.
if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const root = process.argv[2] ? path.resolve(process.argv[2]) : DEFAULT_DIST;
  const port = Number(process.argv[3] ?? 0);
  const { url } = await startServer({ root, port, prefix: process.argv[4] ?? '/' });
  console.log(`serving ${root} at ${url}`);
}
