#!/usr/bin/env bash
# run.sh — install what is missing (setup.sh), build the release bundle and serve it at
# http://127.0.0.1:8080 (Trunk.toml [serve]: 127.0.0.1 only, port 8080). Ctrl-C stops it.
# Extra arguments go to `trunk serve`, e.g. ./run.sh --port 8081
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cd "$ROOT"

./setup.sh

# wasm-opt 132 from npm (binaryen) must come before any older system wasm-opt.
export PATH="$ROOT/tests/e2e/node_modules/.bin:$HOME/.cargo/bin:$PATH"

port=8080
prev=""
for a in "$@"; do
  case "$a" in --port=*) port="${a#--port=}" ;; esac
  [ "$prev" = "--port" ] && port="$a"
  prev="$a"
done

printf '\n==> building (release) and serving gradlab · 梯度实验室 at http://127.0.0.1:%s/\n\n' "$port"
# The release web build leaves file names and line numbers out of panic locations
# (-Zlocation-detail=none, through RUSTC_BOOTSTRAP on this stable toolchain): ~8 KB gzip of the
# page's 300 KB budget. The -Z flag reaches only the wasm32 crates; RUSTC_BOOTSTRAP lets every
# crate of this build see a "nightly" compiler (proc-macro2's and thiserror's build scripts
# then use unstable APIs), so a toolchain update could break this build alone (README, "Bundle").
export RUSTC_BOOTSTRAP=1 CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUSTFLAGS=-Zlocation-detail=none
exec trunk serve --release "$@"
