#!/usr/bin/env bash
# Installs what the client libraries' tests need (idempotent) and runs both suites
# (clients/typescript, clients/python) against a real tapin.
#   scripts/test-clients.sh [path/to/tapin]
# The binary: the argument, else $TAPIN_BIN, else $CARGO_TARGET_DIR/debug/tapin
# (default target/debug/tapin). Each suite starts its own servers on free ports with
# throwaway SQLite databases. Chromium: /usr/bin/chromium (or $CHROMIUM_PATH).
set -euo pipefail
cd "$(dirname "$0")/.."
root="$PWD"

bin="${1:-${TAPIN_BIN:-${CARGO_TARGET_DIR:-$root/target}/debug/tapin}}"
case "$bin" in /*) ;; *) bin="$root/$bin" ;; esac
if [ ! -x "$bin" ]; then
  echo "no tapin binary at $bin (cargo build --features ssr --bin tapin, or pass its path)" >&2
  exit 1
fi
export TAPIN_BIN="$bin"
export CHROMIUM_PATH="${CHROMIUM_PATH:-/usr/bin/chromium}"
if [ ! -x "$CHROMIUM_PATH" ]; then
  echo "no Chromium at $CHROMIUM_PATH (scripts/install.sh test installs Debian's chromium)" >&2
  exit 1
fi

step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }

step "TypeScript client (clients/typescript): npm ci, tsc, node --test"
(
  cd clients/typescript
  # The lock file pins everything; a second run with nothing changed installs nothing.
  if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
    npm ci --no-audit --no-fund
  fi
  npm test
)

step "Python client (clients/python): venv, pip install -e .[test], mypy, pytest"
(
  cd clients/python
  venv="${TAPIN_CLIENTS_VENV:-$root/.tools/clients-venv}"
  if [ ! -x "$venv/bin/python" ]; then
    python3 -m venv "$venv"
  fi
  # Reinstall only when pyproject.toml changed since the last install.
  stamp="$venv/.tapin-pyproject.sha256"
  sum="$(sha256sum pyproject.toml | cut -d' ' -f1)"
  if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$sum" ]; then
    "$venv/bin/pip" install --quiet --upgrade pip
    "$venv/bin/pip" install --quiet -e '.[test]'
    echo "$sum" >"$stamp"
  fi
  "$venv/bin/python" -m mypy src/tapin
  # The Playwright package drives Debian's Chromium (executable_path): no browser download.
  PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 "$venv/bin/python" -m pytest -q
)
