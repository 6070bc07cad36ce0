#!/usr/bin/env bash
# Runs every test of govhall: formatting and lints, web unit tests and type
# checks, Rust tests on SQLite, the same tests on PostgreSQL (when
# GOVHALL_TEST_DATABASE_URL is set, or a local server answers), and browser
# end-to-end tests with Debian's Chromium against the server binary.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)

step() { printf '\n==> %s\n' "$*"; }

step "browser, fonts and tools"
# chromium + fonts for the browser tests; openssl makes the TLS test's certificates; pg_dump checks a dump for plaintext.
if ! command -v chromium >/dev/null 2>&1 || ! fc-list 2>/dev/null | grep -qi "noto sans cjk" || ! command -v openssl >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-noto-cjk openssl >/dev/null
  else
    echo "chromium, fonts-noto-cjk and openssl are needed (apt-get install chromium fonts-noto-cjk openssl)" >&2
    exit 1
  fi
fi

step "web: install, unit tests, type check and build"
(cd web && npm ci --no-audit --no-fund && npx vitest run && npm run build)
# The web UI is built; the Rust build embeds web/dist without rebuilding it.
export GOVHALL_SKIP_WEB=1

step "rust: format and lints"
cargo fmt --all -- --check
cargo clippy --workspace --all-targets -- -D warnings

step "rust: tests on SQLite"
env -u GOVHALL_TEST_DATABASE_URL cargo test --workspace

pg_url=${GOVHALL_TEST_DATABASE_URL:-}
if [ -z "$pg_url" ] && command -v pg_isready >/dev/null 2>&1 && pg_isready -q -h 127.0.0.1 -p 5432; then
  pg_url=postgres://postgres@127.0.0.1:5432/postgres
fi
if [ -n "$pg_url" ]; then
  step "rust: the same tests on PostgreSQL"
  GOVHALL_TEST_DATABASE_URL=$pg_url cargo test --workspace
else
  echo "PostgreSQL not reachable and GOVHALL_TEST_DATABASE_URL unset: skipping the PostgreSQL run" >&2
fi

step "browser end-to-end tests (Debian Chromium)"
# The server binary the Rust tests built (`--no-run` only makes sure it is
# there; an optimised build would add a quarter of an hour to CI, and speed is
# measured by `govhall bench`, not here).
cargo test --workspace --no-run
(cd web && GOVHALL_BIN="$root/target/debug/govhall" node --test e2e/)
