#!/usr/bin/env bash
# bench.sh — training throughput benchmarks.
#
#   ./bench.sh                 native engine, one thread: `gradlab bench` (2 s per setup)
#   ./bench.sh --seconds 5     longer runs
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
# Browser benchmark: not written yet. It will go here — build with `trunk build --release`,
# serve dist/ with tests/e2e/serve.mjs and measure the same setups in headless Chromium through
# playwright-core (after ./setup.sh has installed it).
