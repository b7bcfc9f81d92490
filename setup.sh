#!/usr/bin/env bash
# setup.sh — install everything gradlab needs to build, serve and test. Idempotent: each step
# checks first and skips what is already present, so a second run takes a second or two.
#
#   1. Rust target wasm32-unknown-unknown           (rustup)
#   2. trunk $TRUNK_VERSION                          (cargo install --locked)
#   3. wasm-bindgen-cli = the wasm-bindgen version in Cargo.lock (cargo install, not --locked)
#   4. chromium + chromium-driver, fonts-noto-cjk    (apt-get, only if missing; the CJK font
#      lets headless Chromium render the Chinese UI in screenshots)
#   5. tests/e2e node modules from package-lock.json (npm ci): playwright-core, binaryen
#      (wasm-opt 132, which Trunk uses for release builds), terser and csso (the post-build
#      hook minify.mjs) and @axe-core/playwright
#
# Nothing downloads a prebuilt tool binary: Trunk finds wasm-bindgen and wasm-opt on PATH (see
# Trunk.toml [tools]); Playwright drives the system Chromium.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cd "$ROOT"

TRUNK_VERSION="0.21.14"

step() { printf '\n\033[1m==> %s\033[0m\n' "$*"; }
ok() { printf '    ok: %s\n' "$*"; }
die() { printf 'setup.sh: %s\n' "$*" >&2; exit 1; }

# Run a command as root (we usually are; fall back to sudo).
as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"
  elif command -v sudo >/dev/null; then sudo "$@"
  else die "need root (or sudo) to run: $*"; fi
}

APT_UPDATED=0
apt_install() {
  command -v apt-get >/dev/null || die "apt-get not found; install these yourself: $*"
  if [ "$APT_UPDATED" -eq 0 ]; then
    as_root env DEBIAN_FRONTEND=noninteractive apt-get update
    APT_UPDATED=1
  fi
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "$@"
}

# ---------------------------------------------------------------------------------------------
step "Rust toolchain"
if [ -f "$HOME/.cargo/env" ]; then
  # shellcheck disable=SC1091
  . "$HOME/.cargo/env"
fi
command -v cargo >/dev/null || die "cargo not found — install Rust (rustup) first"
command -v rustup >/dev/null || die "rustup not found — it is needed to add the wasm32 target"
ok "$(rustc --version)"

step "Rust target wasm32-unknown-unknown"
if rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  ok "already installed"
else
  rustup target add wasm32-unknown-unknown
fi

# ---------------------------------------------------------------------------------------------
step "trunk $TRUNK_VERSION"
if command -v trunk >/dev/null && [ "$(trunk --version 2>/dev/null)" = "trunk $TRUNK_VERSION" ]; then
  ok "$(trunk --version) at $(command -v trunk)"
else
  echo "    installing (compiles from source; takes about 10 minutes on 2 cores)..."
  cargo install --locked "trunk@$TRUNK_VERSION"
fi

# ---------------------------------------------------------------------------------------------
# The CLI must match the wasm-bindgen crate exactly; take the version from Cargo.lock (or, before
# the first build has written it, from the `=x.y.z` pin in Cargo.toml).
WB_VERSION="$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/[^0-9.]/, ""); print; exit }' Cargo.lock 2>/dev/null || true)"
if [ -z "$WB_VERSION" ]; then
  WB_VERSION="$(sed -n 's/^wasm-bindgen *= *"=\{0,1\}\([0-9.]*\)".*/\1/p' Cargo.toml | head -n1)"
fi
[ -n "$WB_VERSION" ] || die "cannot find the wasm-bindgen version in Cargo.lock or Cargo.toml"

step "wasm-bindgen-cli $WB_VERSION"
if command -v wasm-bindgen >/dev/null && command -v wasm-bindgen-test-runner >/dev/null \
  && [ "$(wasm-bindgen --version 2>/dev/null)" = "wasm-bindgen $WB_VERSION" ]; then
  ok "$(wasm-bindgen --version) at $(command -v wasm-bindgen)"
else
  # Not --locked: a dependency pinned in wasm-bindgen-cli's own lockfile is gone from crates.io.
  cargo install --force "wasm-bindgen-cli@$WB_VERSION"
fi
if ! grep -q "wasm_bindgen *= *\"$WB_VERSION\"" Trunk.toml; then
  echo "    WARNING: Trunk.toml [tools] wasm_bindgen differs from Cargo.lock ($WB_VERSION);"
  echo "             Trunk would try to download a matching wasm-bindgen and fail offline."
fi

# ---------------------------------------------------------------------------------------------
step "Chromium and chromedriver"
if command -v chromium >/dev/null && command -v chromedriver >/dev/null; then
  ok "$(chromium --version 2>/dev/null | head -n1); $(chromedriver --version 2>/dev/null | head -n1)"
else
  apt_install chromium chromium-driver
  ok "$(chromium --version 2>/dev/null | head -n1)"
fi
step "CJK font (fonts-noto-cjk)"
if dpkg -s fonts-noto-cjk >/dev/null 2>&1; then
  ok "fonts-noto-cjk installed"
else
  apt_install fonts-noto-cjk
  ok "fonts-noto-cjk"
fi

# ---------------------------------------------------------------------------------------------
step "Node.js"
if command -v node >/dev/null && command -v npm >/dev/null; then
  ok "node $(node --version), npm $(npm --version 2>/dev/null)"
else
  apt_install nodejs npm
fi
NODE_MAJOR="$(node -p 'process.versions.node.split(".")[0]')"
[ "$NODE_MAJOR" -ge 20 ] || die "node $(node --version) is too old; the e2e tests need node >= 20"

step "tests/e2e node modules (npm ci)"
E2E="$ROOT/tests/e2e"
STAMP="$E2E/node_modules/.gradlab-lock.sha256"
LOCK_SUM="$(sha256sum "$E2E/package-lock.json" | cut -d' ' -f1)"
if [ -f "$STAMP" ] && [ "$(cat "$STAMP")" = "$LOCK_SUM" ] && [ -x "$E2E/node_modules/.bin/wasm-opt" ]; then
  ok "node_modules matches package-lock.json"
else
  (cd "$E2E" && npm ci --no-audit --no-fund)
  echo "$LOCK_SUM" >"$STAMP"
fi
WASM_OPT_VERSION="$("$E2E/node_modules/.bin/wasm-opt" --version)"
case "$WASM_OPT_VERSION" in
  *"version 132"*) ok "$WASM_OPT_VERSION (npm binaryen; put first on PATH for Trunk)" ;;
  *) die "unexpected wasm-opt: $WASM_OPT_VERSION" ;;
esac

printf '\nsetup.sh: done.\n'
