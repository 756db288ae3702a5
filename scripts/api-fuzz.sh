#!/usr/bin/env bash
# Generated-input test of the agent API: schemathesis (PyPI) reads the served
# OpenAPI document and sends generated requests to every operation; the run
# fails on any 5xx. Expects the server binary of `scripts/build-site.sh`
# (FUZZ_BINARY overrides it).
#   scripts/api-fuzz.sh [max-seconds]
set -euo pipefail
cd "$(dirname "$0")/.."
budget="${1:-150}"
port="${FUZZ_PORT:-3739}"
dir="target/fuzz"
rm -rf "$dir" && mkdir -p "$dir"
export TAPIN_CONFIG="$dir/none.toml" TAPIN_DATABASE_URL="sqlite://$PWD/$dir/fuzz.db"
export LEPTOS_SITE_ADDR="127.0.0.1:$port" TAPIN_PUBLIC_URL="http://127.0.0.1:$port" TAPIN_LOG=error
# Generated traffic is far above a real agent's: lift the per-key limit for this run.
export TAPIN_RATE_LIMIT_PER_MINUTE=1000000

bin="${FUZZ_BINARY:-target/release/tapin}"
$bin org create fuzz >/dev/null
key="$($bin api-key create --org fuzz --scopes admin 2>/dev/null)"
$bin serve >"$dir/server.log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null || true' EXIT
for _ in $(seq 1 100); do
  curl -fs "http://127.0.0.1:$port/api/v1/healthz" >/dev/null && break
  sleep 0.1
done

# Streams and the long-poll hold the connection open by design; they are
# covered by the integration tests instead.
.tools/venv/bin/schemathesis run "http://127.0.0.1:$port/api/v1/openapi.json" \
  --checks not_a_server_error \
  --header "x-api-key: $key" \
  --exclude-path-regex '(/events$|/stream$|/wait$)' \
  --phases examples,coverage,fuzzing \
  --max-examples 25 \
  --max-time "$budget" \
  --request-timeout 10 \
  --seed 1 \
  --workers 2 \
  --generation-with-security-parameters false \
  --no-color
