#!/usr/bin/env bash
# Vendors the Leaflet map library (BSD-2-Clause) from the npm registry into
# crates/server/vendor/leaflet/, unmodified, with its licence: the workbench
# embeds it at build time (include_str!), so the page needs no network.
# The tarball is checked against its pinned sha256 before anything is copied.
set -euo pipefail
version=1.9.4
sha=84c65a256e50657896f54c33bd857b6849ebe94c817803be818bf32a3dde0b77
here="$(cd "$(dirname "$0")" && pwd)"
out="$here/../../crates/server/vendor/leaflet"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
(cd "$work" && npm pack "leaflet@$version" --silent >/dev/null)
echo "$sha  $work/leaflet-$version.tgz" | sha256sum -c --quiet
tar -xzf "$work/leaflet-$version.tgz" -C "$work"
mkdir -p "$out"
cp "$work/package/dist/leaflet.js" "$work/package/dist/leaflet.css" "$work/package/LICENSE" "$out/"
cat > "$out/SOURCE.md" <<MD
# Leaflet $version (vendored, unmodified)

- From: the npm registry, package \`leaflet@$version\` (tarball sha256 \`$sha\`)
- Files: \`dist/leaflet.js\`, \`dist/leaflet.css\`, \`LICENSE\` (BSD-2-Clause, kept beside them)
- Re-derive: \`scripts/vendor/leaflet.sh\`
- Used by: the workbench's interactive map (\`crates/server/src/assets.rs\` embeds these files)
MD
echo "vendored leaflet $version into $out"
