#!/usr/bin/env bash
# Cargo runner for wasm32-unknown-unknown tests (tests/web.rs): runs wasm-bindgen-test-runner
# with Debian's chromedriver and tests/browser/webdriver.json (Chromium binary and flags).
# Used by test.sh through CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER; usable by hand:
#   CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=tests/browser/runner.sh \
#     cargo test --target wasm32-unknown-unknown --test web
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
export CHROMEDRIVER="${CHROMEDRIVER:-$(command -v chromedriver || echo /usr/bin/chromedriver)}"
export WASM_BINDGEN_TEST_WEBDRIVER_JSON="${WASM_BINDGEN_TEST_WEBDRIVER_JSON:-$here/webdriver.json}"
# Debug builds on a 2-core machine can be slow to load; the default is 20 s.
export WASM_BINDGEN_TEST_TIMEOUT="${WASM_BINDGEN_TEST_TIMEOUT:-180}"
exec wasm-bindgen-test-runner "$@"
