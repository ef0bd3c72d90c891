#!/usr/bin/env bash
# Checks that `npm run build` works with no network once `npm install` has run, and gives the
# same site every time: builds twice with the network cut (unshare -n: a network namespace with no
# interfaces), starting from an empty Framework cache as a fresh clone would, and compares dist/.
# Needs root or unprivileged user namespaces; elsewhere it skips with a message.
set -euo pipefail
cd "$(dirname "$0")/.."

if ! unshare -n true 2>/dev/null; then
  echo "Skipping the offline build check: 'unshare -n' is not allowed here (it needs root or user namespaces)."
  exit 0
fi

checksums() { (cd dist && find . -type f | LC_ALL=C sort | xargs sha256sum); }

rm -rf lessons/.observablehq/cache   # as on a fresh clone: nothing resolved or downloaded yet
echo "offline build 1 of 2 (no network)…"
unshare -n npm run build > /tmp/meddl-offline-build-1.log 2>&1 || { tail -30 /tmp/meddl-offline-build-1.log; echo "FAILED: the build needs the network"; exit 1; }
first=$(checksums)
echo "offline build 2 of 2 (no network)…"
unshare -n npm run build > /tmp/meddl-offline-build-2.log 2>&1 || { tail -30 /tmp/meddl-offline-build-2.log; echo "FAILED: the second offline build"; exit 1; }
if [ "$first" != "$(checksums)" ]; then
  diff <(echo "$first") <(checksums) | head -20
  echo "FAILED: two builds of the same sources gave different sites"
  exit 1
fi
echo "offline build OK: no network needed, and the same site both times ($(echo "$first" | wc -l) files)"
