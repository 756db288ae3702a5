#!/usr/bin/env bash
# Lighthouse's mobile performance audit of one page, for `tapin bench`.
#
#   scripts/lighthouse.sh <url> <report.json> [extra-headers-json]
#
# Installs lighthouse@12 (npm; 13 needs a newer node) into .tools/ when
# missing and drives Debian's Chromium headless. Mobile form factor with
# Lighthouse's default simulated throttling (slow 4G, 4x CPU slowdown).
set -euo pipefail
cd "$(dirname "$0")/.."
url="$1"
out="$2"
headers="${3:-}"

lh=.tools/lighthouse/node_modules/.bin/lighthouse
if [ ! -x "$lh" ] || [ "$("$lh" --version 2>/dev/null | cut -d. -f1)" != "12" ]; then
  echo "[lighthouse] installing lighthouse@12 into .tools/lighthouse" >&2
  mkdir -p .tools/lighthouse
  npm install --prefix .tools/lighthouse --no-audit --no-fund --loglevel=error lighthouse@12 >&2
fi
export CHROME_PATH="${CHROME_PATH:-/usr/bin/chromium}"
if [ ! -x "$CHROME_PATH" ]; then
  echo "no Chromium at $CHROME_PATH (scripts/install.sh test installs Debian's)" >&2
  exit 3
fi
args=(
  "$url"
  --quiet
  --only-categories=performance
  --form-factor=mobile
  --output=json
  --output-path="$out"
  --chrome-flags="--headless --no-sandbox --disable-gpu --disable-background-networking --disable-component-update --disable-sync"
)
if [ -n "$headers" ]; then
  args+=(--extra-headers="$headers")
fi
"$lh" "${args[@]}"
