#!/usr/bin/env bash
# Builds and serves tapin on SQLite (./data/tapin.db) with demo data: prints an
# API key and a ready mobile link on start. Ctrl-C stops it.
#   LEPTOS_SITE_ADDR=0.0.0.0:3000 TAPIN_PUBLIC_URL=http://<this-machine>:3000 scripts/serve.sh
# makes the link openable from a phone on the same network.
#
# It serves what ships: the release server and the size-optimised, precompressed
# browser build (scripts/build-site.sh: the same build the tests and `tapin bench`
# measure), not a debug build a phone would download megabytes of. A second run
# with nothing changed skips the build and starts in seconds.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install.sh build
scripts/build-site.sh
export TAPIN_DEMO="${TAPIN_DEMO:-1}"
exec target/release/tapin serve
