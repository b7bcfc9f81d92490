// Runs every tests/e2e/specs/*.test.mjs with node's built-in test runner, spec output plus a
// final "e2e: N passed, M failed" line. Exit status is non-zero if anything failed or no test ran.
//
//   node run-tests.mjs [FILTER]     FILTER: only spec files whose name contains it
//   env GRADLAB_DIST=DIR            serve DIR instead of ../../dist
//   env CHROMIUM_PATH=/path         browser binary (default /usr/bin/chromium)

import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const filter = process.argv[2] ?? '';
const specs = fs
  .readdirSync(path.join(here, 'specs'))
  .filter((f) => f.endsWith('.test.mjs') && f.includes(filter))
  .sort()
  .map((f) => path.join('specs', f));

if (specs.length === 0) {
  console.error(`no spec files match "${filter}"`);
  console.log('e2e: 0 passed, 0 failed');
  process.exit(1);
}

const summaryFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'gradlab-e2e-')), 'summary.txt');
const args = [
  '--test',
  '--test-concurrency=1',
  '--test-reporter=spec',
  '--test-reporter-destination=stdout',
  '--test-reporter=./summary-reporter.mjs',
  `--test-reporter-destination=${summaryFile}`,
  ...specs,
];
const child = spawn(process.execPath, args, { cwd: here, stdio: 'inherit' });
child.on('exit', (code, signal) => {
  let summary = '';
  try {
    summary = fs.readFileSync(summaryFile, 'utf8').trim();
    fs.rmSync(path.dirname(summaryFile), { recursive: true, force: true });
  } catch {
    summary = 'e2e: 0 passed, 0 failed (the test runner produced no summary)';
  }
  console.log(summary);
  const m = /e2e: (\d+) passed, (\d+) failed/.exec(summary);
  const ok = code === 0 && !signal && m && Number(m[1]) > 0 && Number(m[2]) === 0;
  process.exit(ok ? 0 : 1);
});
