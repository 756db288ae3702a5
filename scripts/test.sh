#!/usr/bin/env bash
# Installs what the tests need, then runs every test: Rust unit and
# integration tests (SQLite), the integration tests again on PostgreSQL,
# then Playwright end-to-end in Debian's Chromium.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install.sh test
# Incremental caches only pay off on a developer's second build; in CI they
# are gigabytes that nothing reads again.
if [ -n "${CI:-}" ]; then export CARGO_INCREMENTAL=0; fi

step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }

# A fresh clone's debug build and the release build each need several GB: say
# so up front rather than fail mid-compile with "No space left on device".
free_gb="$(df -Pk . | awk 'NR==2 {print int($4 / 1048576)}')"
if [ "${free_gb:-0}" -lt 12 ]; then
  printf '\033[1mwarning:\033[0m only %s GB free here; the test command needs about 12 GB (target/)\n' "$free_gb" >&2
fi

step "cargo fmt --check"
cargo fmt --all -- --check

step "dependencies: licenses, bans, sources (cargo deny, offline; deny.toml)"
# Advisories need a copy of the RustSec database (README, Security:
# Dependencies); these three checks need nothing from the network.
# cargo-deny reads the metadata of every target's dependencies: fetch them all
# first (a build fetches only this platform's), then check offline.
cargo fetch --locked -q
cargo deny --offline check bans licenses sources 2>&1 | tail -n 1

step "Rust unit and integration tests (SQLite)"
# Bounded: a test that hangs fails the run here instead of using up CI's time.
timeout --kill-after=30s 20m cargo test --features ssr --no-fail-fast

step "Rust integration tests (PostgreSQL)"
# The same test binary (no second compile), each test in its own database.
# Uses the server on 127.0.0.1:5432 (TAPIN_TEST_PG_URL, default user postgres,
# trust auth); where nothing answers there, a private throwaway cluster
# under .tools/pg on a free port, stopped when the step ends (also forced
# with TAPIN_TEST_PG_PRIVATE=1). Never skipped.
(
  if [ -z "${TAPIN_TEST_PG_PRIVATE:-}" ] && pg_isready -q -h 127.0.0.1 -p 5432; then
    pg_url="${TAPIN_TEST_PG_URL:-postgres://postgres@127.0.0.1:5432/postgres}"
    echo "using the PostgreSQL on 127.0.0.1:5432"
  else
    pg_bin="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n1)"
    if [ ! -x "$pg_bin/initdb" ]; then
      echo "nothing answers on 127.0.0.1:5432 and no PostgreSQL server is installed" >&2
      echo "(scripts/install.sh test installs Debian's postgresql)" >&2
      exit 1
    fi
    pg_dir="$PWD/.tools/pg"
    port="$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
    as_pg=()
    if [ "$(id -u)" = 0 ]; then
      # initdb refuses root: the cluster belongs to the postgres user the
      # package created (or a system user made here for it).
      id -u postgres >/dev/null 2>&1 ||
        useradd --system --no-create-home --shell /usr/sbin/nologin postgres
      as_pg=(runuser -u postgres --)
      if ! runuser -u postgres -- test -x "$PWD"; then
        pg_dir="$(mktemp -d /tmp/tapin-pg.XXXXXX)" # the checkout is closed to other users
      fi
    fi
    rm -rf "$pg_dir" && mkdir -p "$pg_dir"
    if [ "$(id -u)" = 0 ]; then chown postgres: "$pg_dir"; fi
    stop_pg() {
      "${as_pg[@]}" "$pg_bin/pg_ctl" -D "$pg_dir/data" -m immediate stop >/dev/null 2>&1 || true
      rm -rf "$pg_dir"
    }
    trap stop_pg EXIT
    echo "starting a private PostgreSQL ($pg_bin) in $pg_dir on 127.0.0.1:$port"
    timeout 2m "${as_pg[@]}" "$pg_bin/initdb" -D "$pg_dir/data" -U postgres --auth=trust \
      -E UTF8 --no-instructions >"$pg_dir/initdb.log" || { cat "$pg_dir/initdb.log" >&2; exit 1; }
    # TCP on 127.0.0.1 only, no Unix socket, fsync off (throwaway data).
    timeout 2m "${as_pg[@]}" "$pg_bin/pg_ctl" -D "$pg_dir/data" -l "$pg_dir/server.log" -w \
      -o "-h 127.0.0.1 -p $port -k '' -c fsync=off" start >/dev/null ||
      { cat "$pg_dir/server.log" >&2; exit 1; }
    pg_url="postgres://postgres@127.0.0.1:$port/postgres"
  fi
  TAPIN_TEST_BACKEND=postgres TAPIN_TEST_PG_URL="$pg_url" \
    timeout --kill-after=30s 20m cargo test --features ssr --no-fail-fast --test it
)

# The debug build is done with: under CI (a fresh clone), free its disk before
# the release build doubles what target/ holds.
if [ -n "${CI:-}" ]; then
  step "freeing the debug build ($(du -sh target/debug 2>/dev/null | cut -f1))"
  rm -rf target/debug
fi

step "build the site as shipped (release server + wasm-release bundle, precompressed)"
# The production build is the one under test: release-only failures (and a
# missing wasm-opt) show up here, not at deploy time.
# --split: the lazy pages (everything but /m/<id>) become separate WASM chunks;
# a build without it leaves the bundle importing a module that does not exist.
# Two browser modules: the full one and the phone pages' (scripts/build-site.sh).
scripts/build-site.sh

# --- benchmarks (issue 6) -------------------------------------------------
step "benchmarks, quick mode (real server on loopback; fails only on errors)"
timeout --kill-after=30s 5m target/release/tapin bench --quick
# ---------------------------------------------------------------------------

step "client libraries (TypeScript and Python, against the release server; clients/README.md)"
scripts/test-clients.sh target/release/tapin

step "end-to-end (Playwright in Debian Chromium: phone and desktop viewports, axe-core)"
(cd end2end && npx playwright test)

step "generated-input API test (schemathesis against the served OpenAPI; fails on any 5xx)"
scripts/api-fuzz.sh 90
