#!/usr/bin/env bash
# Builds the site as shipped into target/site: the release server
# (target/release/tapin) and two precompressed, size-optimised browser modules
# from the same crate:
#   target/site/pkg/        every island (desk, admin, settings, login, inbox and
#                           the handoff page), the admin pages lazy (--split);
#   target/site/pkg/phone/  only the islands of the phone pages /m/<id>
#                           (feature `phone`), so a phone does not download the
#                           desk's code and strings (docs/performance.md).
# The server picks the module per page (src/ui/loader.rs) and falls back to the
# full one when pkg/phone is missing.
#
# Skips everything when no input changed since the last complete build (the
# stamp target/.site-built), so a second `scripts/serve.sh` starts in seconds.
# TAPIN_REBUILD=1 forces a build.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PWD/end2end/node_modules/.bin:$PATH"

stamp=target/.site-built
inputs=(src style public migrations Cargo.toml Cargo.lock Leptos.toml scripts/build-site.sh)
if [ -z "${TAPIN_REBUILD:-}" ] && [ -f "$stamp" ] && [ -x target/release/tapin ] \
  && [ -f target/site/pkg/tapin.wasm ] && [ -f target/site/pkg/phone/tapin.wasm ] \
  && [ -z "$(find "${inputs[@]}" -newer "$stamp" -print -quit 2>/dev/null)" ]; then
  echo "[build-site] nothing changed since the last build (target/.site-built); not rebuilding"
  exit 0
fi

rm -f "$stamp"
# The full build: cargo-leptos empties target/site first.
cargo leptos build --release -P --split

# The phone module: its own cargo target dir (so the two feature sets do not
# overwrite each other's artifacts and rebuild every time) and its own site
# root (cargo-leptos empties the site root it builds into), copied in after.
CARGO_TARGET_DIR=target/phone LEPTOS_SITE_ROOT=target/phone/site \
  cargo leptos build --release -P --split --frontend-only --lib-features phone
rm -rf target/site/pkg/phone
mkdir -p target/site/pkg/phone
for f in target/phone/site/pkg/*; do
  case "$f" in *.css | *.css.br | *.css.gz) continue ;; esac # the page links pkg/tapin.css
  cp -p "$f" target/site/pkg/phone/
done
touch "$stamp"
