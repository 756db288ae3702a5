#!/usr/bin/env bash
# Installs what the tests need, then runs every test: Rust unit and
# integration tests (SQLite), then Playwright end-to-end in Debian's Chromium.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install.sh test

step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }

step "cargo fmt --check"
cargo fmt --all -- --check

step "Rust unit and integration tests (SQLite)"
# Bounded: a test that hangs fails the run here instead of using up CI's time.
timeout --kill-after=30s 20m cargo test --features ssr --no-fail-fast

step "build the site as shipped (release server + wasm-release bundle, precompressed)"
# The production build is the one under test: release-only failures (and a
# missing wasm-opt) show up here, not at deploy time.
# --split: the lazy pages (everything but /m/<id>) become separate WASM chunks;
# a build without it leaves the bundle importing a module that does not exist.
PATH="$PWD/end2end/node_modules/.bin:$PATH" cargo leptos build --release -P --split

# --- benchmarks (issue 6) -------------------------------------------------
step "benchmarks, quick mode (real server on loopback; fails only on errors)"
timeout --kill-after=30s 5m target/release/tapin bench --quick
# ---------------------------------------------------------------------------

step "end-to-end (Playwright in Debian Chromium: phone and desktop viewports, axe-core)"
(cd end2end && npx playwright test)

step "generated-input API test (schemathesis against the served OpenAPI; fails on any 5xx)"
scripts/api-fuzz.sh 90
