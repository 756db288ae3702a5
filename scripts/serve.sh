#!/usr/bin/env bash
# Builds and serves tapin on SQLite (./data/tapin.db) with demo data: prints an
# API key and a ready mobile link on start. Ctrl-C stops it.
#   LEPTOS_SITE_ADDR=0.0.0.0:3000 TAPIN_PUBLIC_URL=http://<this-machine>:3000 scripts/serve.sh
# makes the link openable from a phone on the same network.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install.sh build
export TAPIN_DEMO="${TAPIN_DEMO:-1}"
# --split is required: see README, "How it is built".
exec cargo leptos serve --split
