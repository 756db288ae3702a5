#!/usr/bin/env bash
# Installs what tapin's build (and, with `test`, its tests) need; skips what is
# already there. Nothing downloads a prebuilt tool: every piece comes from the
# package registries (crates.io, npm, Debian).
#
#   scripts/install.sh build   # wasm target, cargo-leptos, wasm-bindgen CLI, wasm-opt (npm)
#   scripts/install.sh test    # + Chromium, Playwright (npm),
#                              #   PostgreSQL (client; server where none answers),
#                              #   schemathesis, standardwebhooks and the MCP Python SDK (PyPI, .tools/venv)
set -euo pipefail
cd "$(dirname "$0")/.."
what="${1:-build}"

say() { printf '\033[1m[install]\033[0m %s\n' "$*"; }

if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  say "adding the wasm32-unknown-unknown target"
  rustup target add wasm32-unknown-unknown
fi

if [ "$(cargo leptos --version 2>/dev/null || true)" != "cargo-leptos 0.3.10" ]; then
  say "building cargo-leptos 0.3.10 (once; 10-15 minutes)"
  # no_downloads: a missing tool fails loudly instead of being fetched from the internet.
  cargo install cargo-leptos@0.3.10 --locked --features no_downloads
fi

# The wasm-bindgen CLI must match the library version in Cargo.lock exactly.
wb_version="$(awk '/^name = "wasm-bindgen"$/{getline; gsub(/version = |"/, ""); print; exit}' Cargo.lock)"
if [ "$(wasm-bindgen --version 2>/dev/null || true)" != "wasm-bindgen $wb_version" ]; then
  say "building wasm-bindgen-cli $wb_version"
  # Without --locked: its lockfile names a crate the registry mirror lacks.
  cargo install wasm-bindgen-cli --version "$wb_version" --force
fi

# binaryen's wasm-opt for release builds (Debian's is too old), and with it
# Playwright (driving /usr/bin/chromium, never its own browser download): both
# from the npm registry, in end2end/node_modules. The release build is what
# both `serve` and the tests use.
if [ ! -f end2end/node_modules/.installed ] || [ end2end/package-lock.json -nt end2end/node_modules/.installed ]; then
  say "installing wasm-opt and the end-to-end test packages (npm ci)"
  (cd end2end && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund --loglevel=error)
  touch end2end/node_modules/.installed
fi

if [ "$what" = "test" ]; then
  # cargo-deny for `cargo deny check` (deny.toml; README "Security", Dependencies).
  if [ "$(cargo deny --version 2>/dev/null || true)" != "cargo-deny 0.20.2" ]; then
    say "building cargo-deny 0.20.2 (once; about 5 minutes)"
    cargo install cargo-deny@0.20.2 --locked
  fi
  if [ ! -x /usr/bin/chromium ]; then
    say "installing Debian's chromium"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  fi
  # PostgreSQL for the second integration run (docs/postgres.md): pg_isready
  # always; the server binaries (initdb, postgres) only where nothing answers
  # on 127.0.0.1:5432, for the private cluster scripts/test.sh starts under
  # .tools/pg. The package must not create and start Debian's own cluster on
  # 5432 (password auth): the drop-in turns that off.
  if ! command -v pg_isready >/dev/null 2>&1; then
    say "installing Debian's postgresql-client"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql-client >/dev/null
  fi
  if ! pg_isready -q -h 127.0.0.1 -p 5432 && ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
    say "installing Debian's postgresql (server binaries; no cluster of its own)"
    mkdir -p /etc/postgresql-common/createcluster.d
    echo "create_main_cluster = false" >/etc/postgresql-common/createcluster.d/tapin.conf
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
  fi
  # schemathesis (PyPI) for the generated-input API test, in a private venv.
  if [ "$(.tools/venv/bin/schemathesis --version 2>/dev/null || true)" != "schemathesis, version 4.32.5" ]; then
    say "installing schemathesis into .tools/venv"
    python3 -m venv .tools/venv
    .tools/venv/bin/pip install -q --disable-pip-version-check schemathesis==4.32.5
  fi
  # standardwebhooks (PyPI), the reference library the webhook tests verify
  # every delivery with (tests/it/standard_webhooks.rs), in the same venv.
  if ! .tools/venv/bin/python -c 'import importlib.metadata as m, sys; sys.exit(m.version("standardwebhooks") != "1.1.0")' 2>/dev/null; then
    say "installing standardwebhooks into .tools/venv"
    [ -x .tools/venv/bin/python ] || python3 -m venv .tools/venv
    .tools/venv/bin/pip install -q --disable-pip-version-check standardwebhooks==1.1.0
  fi
  # The official MCP Python SDK (PyPI `mcp`), the client tests/it/mcp.rs drives
  # against /mcp and `tapin mcp` (docs/mcp.md), in the same venv.
  if [ "$(.tools/venv/bin/python -c 'import importlib.metadata as m; print(m.version("mcp"))' 2>/dev/null || true)" != "2.3.0" ]; then
    say "installing the MCP Python SDK into .tools/venv"
    [ -x .tools/venv/bin/pip ] || python3 -m venv .tools/venv
    .tools/venv/bin/pip install -q --disable-pip-version-check mcp==2.3.0
  fi
fi
say "ready ($what)"
