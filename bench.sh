#!/usr/bin/env bash
# bench.sh — training throughput benchmarks.
#
#   ./bench.sh                 native engine, one thread: `gradlab bench` (2 s per setup)
#   ./bench.sh --seconds 5     longer native runs
#
# Then the browser benchmark: updates/s, epochs/s and frame-time p50/p95 of the playground
# in headless Chromium at 1 epoch per frame and at the fastest speed, first render, bundle size.
#
# The setups are gradlab::train::report::bench_experiments(): (a) circle, x1 x2, 4-2 tanh,
# batch 10; (b) spiral, seven features, 8-8-8-8-8-8 tanh, batch 10.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cd "$ROOT"
if [ -f "$HOME/.cargo/env" ]; then . "$HOME/.cargo/env"; fi

echo "==> native benchmark (release build)"
cargo run --release --quiet --bin gradlab -- bench "$@"

# ---------------------------------------------------------------------------------------------
# Browser benchmark: the release build in headless Chromium (tests/e2e/bench.mjs).
./setup.sh >/dev/null
export PATH="$ROOT/tests/e2e/node_modules/.bin:$HOME/.cargo/bin:$PATH"
echo "==> release build for the browser benchmark"
# Built as test.sh builds it (see there).
RUSTC_BOOTSTRAP=1 CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUSTFLAGS=-Zlocation-detail=none trunk build --release >/dev/null
echo "==> browser benchmark (headless Chromium)"
node tests/e2e/bench.mjs
