// Function order for compression. gzip finds repeats only within its 32 KB window, so a wasm
// module compresses better when functions with similar code sit side by side. This orders the
// functions greedily — each next one is the unplaced function whose set of 4-byte code
// substrings is most similar (Jaccard) to the one just placed — and lets wasm-opt renumber
// them (`--reorder-functions-by-name` over a name section written for the purpose, then
// stripped). wasm-opt re-encodes the bodies but changes no instruction; the order is a pure
// function of the module.

import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { leb, readImport, readLeb } from './wasm-names.mjs';

// What rustc's wasm32 target emits; wasm-opt must accept these instructions and no others.
const FEATURES = ['--enable-bulk-memory', '--enable-nontrapping-float-to-int', '--enable-sign-ext',
  '--enable-mutable-globals', '--enable-reference-types', '--enable-multivalue'];

/** The number of imported functions and the body of every defined function. */
function functions(wasm) {
  let imported = 0;
  const bodies = [];
  let pos = 8;
  while (pos < wasm.length) {
    const id = wasm[pos];
    const [size, body] = readLeb(wasm, pos + 1);
    if (id === 2) {
      let [count, p] = readLeb(wasm, body);
      for (let i = 0; i < count; i++) {
        const entry = readImport(wasm, p);
        if (entry.kind === 0) imported += 1;
        p = entry.end;
      }
    } else if (id === 10) {
      let [count, p] = readLeb(wasm, body);
      for (let i = 0; i < count; i++) {
        let len;
        [len, p] = readLeb(wasm, p);
        bodies.push(wasm.subarray(p, p + len));
        p += len;
      }
    }
    pos = body + size;
  }
  return { imported, bodies };
}

/** The greedy order: positions into `bodies`, starting with the first function. */
export function similarityOrder(bodies) {
  const n = bodies.length;
  const ids = new Map();
  const sets = bodies.map((b) => {
    const seen = new Set();
    for (let i = 0; i + 4 <= b.length; i++) {
      const key = b.readUInt32LE(i);
      let id = ids.get(key);
      if (id === undefined) {
        id = ids.size;
        ids.set(key, id);
      }
      seen.add(id);
    }
    return Int32Array.from(seen);
  });
  const lists = Array.from({ length: ids.size }, () => []);
  sets.forEach((s, f) => s.forEach((id) => lists[id].push(f)));
  const inv = lists.map((l) => Int32Array.from(l));
  const size = sets.map((s) => s.length);
  const placed = new Uint8Array(n);
  const shared = new Float64Array(n);
  const order = [];
  let cur = 0;
  let firstFree = 0;
  for (let k = 0; k < n; k++) {
    order.push(cur);
    placed[cur] = 1;
    if (k === n - 1) break;
    shared.fill(0);
    for (const id of sets[cur]) for (const f of inv[id]) shared[f] += 1;
    let best = -1, bestSim = 0;
    for (let f = 0; f < n; f++) {
      if (placed[f]) continue;
      const union = size[f] + size[cur] - shared[f];
      const sim = union > 0 ? shared[f] / union : 0;
      if (sim > bestSim) {
        bestSim = sim;
        best = f;
      }
    }
    if (best < 0) {
      while (placed[firstFree]) firstFree += 1;
      best = firstFree;
    }
    cur = best;
  }
  return order;
}

/**
 * `wasm` (a Buffer) with its functions in similarity order. `wasmOpt` is the wasm-opt binary.
 * Returns the new module; throws if wasm-opt fails.
 */
export function orderFunctions(wasm, wasmOpt) {
  const { imported, bodies } = functions(wasm);
  const order = similarityOrder(bodies);
  const key = new Array(bodies.length);
  order.forEach((f, k) => { key[f] = String(k).padStart(6, '0'); });
  const entries = [leb(bodies.length)];
  key.forEach((k, f) => entries.push(leb(imported + f), leb(k.length), Buffer.from(k)));
  const sub = Buffer.concat(entries);
  const body = Buffer.concat([leb(4), Buffer.from('name'), Buffer.from([1]), leb(sub.length), sub]);
  const named = Buffer.concat([wasm, Buffer.from([0]), leb(body.length), body]);
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'wasm-order-'));
  try {
    const input = path.join(tmp, 'in.wasm');
    const output = path.join(tmp, 'out.wasm');
    fs.writeFileSync(input, named);
    execFileSync(wasmOpt, [...FEATURES, input, '--reorder-functions-by-name', '--strip-debug', '-o', output], { stdio: 'inherit' });
    const out = fs.readFileSync(output);
    if (functions(out).bodies.length !== bodies.length) throw new Error('wasm-opt changed the number of functions');
    return out;
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}
