// Shorter import and export names in wasm-bindgen's output. wasm-bindgen names every import
// `__wbg_<method>_<16 hex digits>` and the JS glue repeats each name; the hex digits hardly
// compress. This gives each import and export a short name in both files, and drops the
// custom sections the browser ignores ("producers", "target_features").

// The binary helpers are shared with wasm-order.mjs.

/** An unsigned LEB128 number at `pos`: `[value, position after it]`. */
export function readLeb(buf, pos) {
  let result = 0, shift = 0, byte;
  do {
    byte = buf[pos++];
    result += (byte & 0x7f) * 2 ** shift;
    shift += 7;
  } while (byte & 0x80);
  return [result, pos];
}

/** `n` as unsigned LEB128. */
export function leb(n) {
  const out = [];
  do {
    let byte = n & 0x7f;
    n = Math.floor(n / 128);
    if (n !== 0) byte |= 0x80;
    out.push(byte);
  } while (n !== 0);
  return Buffer.from(out);
}

function name(s) {
  const b = Buffer.from(s, 'utf8');
  return Buffer.concat([leb(b.length), b]);
}

function readName(buf, pos) {
  const [len, p] = readLeb(buf, pos);
  return [buf.toString('utf8', p, p + len), p + len];
}

// Skips a limits record (memory or table); returns the position after it.
function skipLimits(buf, pos) {
  const flags = buf[pos++];
  [, pos] = readLeb(buf, pos);
  if (flags & 1) [, pos] = readLeb(buf, pos);
  return pos;
}

/**
 * The import entry at `pos`: `{ mod, field, kind, desc, end }`, where `desc` is the position of
 * its kind byte (the description runs from there to `end`). Kinds: 0 function, 1 table,
 * 2 memory, 3 global, 4 tag.
 */
export function readImport(buf, pos) {
  const [mod, p0] = readName(buf, pos);
  const [field, desc] = readName(buf, p0);
  const kind = buf[desc];
  let p = desc + 1;
  if (kind === 0) [, p] = readLeb(buf, p);
  else if (kind === 1) p = skipLimits(buf, p + 1);
  else if (kind === 2) p = skipLimits(buf, p);
  else if (kind === 3) p += 2;
  else if (kind === 4) [, p] = readLeb(buf, p + 1);
  else throw new Error(`unknown import kind ${kind}`);
  return { mod, field, kind, desc, end: p };
}

// The n-th short name: a, b, …, z, A, …, Z, aa, ab, …
function shortName(n) {
  const abc = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ';
  let s = '';
  n += 1;
  while (n > 0) {
    n -= 1;
    s = abc[n % 52] + s;
    n = Math.floor(n / 52);
  }
  return s;
}

/**
 * Renames the imports and exports of `wasm` (a Buffer) and rewrites `glue` (wasm-bindgen's
 * unminified `--target web` JS) to match. Returns `{ wasm, glue, imports, exports }`.
 * Throws when the glue does not name every import and export it renames, so a change in
 * wasm-bindgen's output fails the build instead of producing a broken page.
 */
export function shortenNames(wasm, glue) {
  if (wasm.readUInt32LE(0) !== 0x6d736100 || wasm.readUInt32LE(4) !== 1) throw new Error('not a wasm module');
  const parts = [wasm.subarray(0, 8)];
  const importMap = new Map();
  const exportMap = new Map();
  let module = null;
  let pos = 8;
  while (pos < wasm.length) {
    const id = wasm[pos];
    const [size, body] = readLeb(wasm, pos + 1);
    const end = body + size;
    if (id === 0) {
      const [section] = readName(wasm, body);
      if (section === 'producers' || section === 'target_features') {
        pos = end;
        continue;
      }
      parts.push(wasm.subarray(pos, end));
    } else if (id === 2) {
      let [count, p] = readLeb(wasm, body);
      const out = [leb(count)];
      for (let i = 0; i < count; i++) {
        const { mod, field, desc: descStart, end: next } = readImport(wasm, p);
        p = next;
        if (module === null) module = mod;
        let short = field;
        if (mod === module) {
          if (!importMap.has(field)) importMap.set(field, shortName(importMap.size));
          short = importMap.get(field);
        }
        out.push(name(mod === module ? 'w' : mod), name(short), wasm.subarray(descStart, p));
      }
      if (p !== end) throw new Error('import section did not parse to its end');
      const bodyBuf = Buffer.concat(out);
      parts.push(Buffer.from([2]), leb(bodyBuf.length), bodyBuf);
    } else if (id === 7) {
      let [count, p] = readLeb(wasm, body);
      const out = [leb(count)];
      for (let i = 0; i < count; i++) {
        let field;
        [field, p] = readName(wasm, p);
        const kind = wasm[p++];
        const idxStart = p;
        [, p] = readLeb(wasm, p);
        const short = shortName(exportMap.size);
        exportMap.set(field, short);
        out.push(name(short), Buffer.from([kind]), wasm.subarray(idxStart, p));
      }
      if (p !== end) throw new Error('export section did not parse to its end');
      const bodyBuf = Buffer.concat(out);
      parts.push(Buffer.from([7]), leb(bodyBuf.length), bodyBuf);
    } else {
      parts.push(wasm.subarray(pos, end));
    }
    pos = end;
  }

  // The glue: import keys (`NAME: function(`) and the module name; exports as `wasm.NAME`.
  const moduleKey = `"${module}":`;
  if (!glue.includes(moduleKey)) throw new Error(`the glue does not name the import module ${module}`);
  let out = glue.replace(moduleKey, '"w":');
  // Names go into the patterns as they are, so only plain identifiers are accepted.
  const identifier = /^[A-Za-z_][A-Za-z0-9_]*$/;
  for (const [long, short] of importMap) {
    if (!identifier.test(long)) throw new Error(`import ${long} is not a plain identifier`);
    const re = new RegExp(`(?<![A-Za-z0-9_$.])${long}(?=\\s*:\\s*function\\b)`, 'g');
    const n = (out.match(re) || []).length;
    if (n !== 1) throw new Error(`the glue defines import ${long} ${n} times`);
    out = out.replace(re, short);
  }
  // Exports in one pass, so a short new name is never renamed again.
  for (const long of exportMap.keys()) {
    if (!identifier.test(long)) throw new Error(`export ${long} is not a plain identifier`);
  }
  out = out.replace(/\bwasm\.([A-Za-z_$][A-Za-z0-9_$]*)/g, (m, name) => (exportMap.has(name) ? `wasm.${exportMap.get(name)}` : m));
  const left = out.match(/\bwasm\.[A-Za-z_$][A-Za-z0-9_$]{2,}/);
  if (left) throw new Error(`the glue uses ${left[0]}, which is not an export`);
  return { wasm: Buffer.concat(parts), glue: out, imports: importMap.size, exports: exportMap.size };
}
