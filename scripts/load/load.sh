#!/usr/bin/env bash
# Bounded load test of the workbench API on loopback with wrk (Debian package `wrk`).
#
#   scripts/load/load.sh [SECONDS] [CONNECTIONS] [THREADS]     (defaults: 20 s, 8 connections, 1 thread)
#
# Builds the release binary, starts `allylens serve` on a free loopback port with a fresh database,
# runs wrk against each main endpoint in turn and prints one line per endpoint:
#   endpoint  requests/s  p50  p99  non-2xx  socket-errors
# wrk shares the two cores with the server, so the figures are for both on one 2-core machine.
set -euo pipefail
cd "$(dirname "$0")/../.."
SECS=${1:-20}; CONN=${2:-8}; THREADS=${3:-1}
command -v wrk >/dev/null || { echo "load.sh: wrk is missing (apt-get install wrk)" >&2; exit 2; }
cargo build --release -q -p allylens
work=$(mktemp -d)
trap 'kill $pid 2>/dev/null || true; rm -rf "$work"' EXIT
target/release/allylens serve --addr 127.0.0.1:0 --db "$work/load.db" 2>"$work/serve.log" &
pid=$!
for _ in $(seq 100); do grep -q "http://" "$work/serve.log" 2>/dev/null && break; sleep 0.1; done
base=$(grep -o 'http://127.0.0.1:[0-9]*' "$work/serve.log")
curl -fsS "$base/api/health" >/dev/null
# A scenario to read back.
id=$(curl -fsS -X POST "$base/api/scenarios" -H 'Content-Type: application/json' \
  --data "{\"title\":\"load\",\"deal\":$(python3 -c 'import json,sys;print(json.dumps(open("examples/deals/icbm-only.toml").read()))')}" \
  | python3 -c 'import json,sys;print(json.load(sys.stdin)["id"])')

run() {  # name, wrk args...
  local name=$1; shift
  local out; out=$(wrk -t"$THREADS" -c"$CONN" -d"${SECS}s" --latency "$@")
  python3 - "$name" <<PY
import re, sys
out = """$out"""
def ms(v):
    n, u = re.match(r"([\d.]+)(\w+)", v).groups(); n = float(n)
    return n * {"us": 0.001, "ms": 1, "s": 1000, "m": 60000}[u]
rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
lat = dict(re.findall(r"^\s+(50|99)%\s+(\S+)", out, re.M))
non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
sock = re.search(r"Socket errors: (.*)", out)
print(f"{sys.argv[1]:<34} {rps:9.0f} req/s  p50 {ms(lat['50']):7.2f} ms  p99 {ms(lat['99']):7.2f} ms  non-2xx {non2xx.group(1) if non2xx else 0}  socket errors: {sock.group(1) if sock else 'none'}")
PY
}
echo "load: ${SECS}s per endpoint, ${CONN} connections, ${THREADS} wrk thread(s), $(nproc) cores, $base"
run "GET /api/reach (Nodong, Pyongyang)" "$base/api/reach?missile=nodong&from=pyongyang"
run "GET /api/reach (Hwasong-12, Pyongyang)" "$base/api/reach?missile=hwasong-12&from=pyongyang"
MISSILE=nodong run "GET /api/reach (Nodong, uncached)" -s scripts/load/reach-uncached.lua "$base"
MISSILE=hwasong-12 run "GET /api/reach (Hwasong-12, uncached)" -s scripts/load/reach-uncached.lua "$base"
run "POST /api/assess (ICBM-only)" -s scripts/load/assess.lua "$base/api/assess"
run "POST /api/clauses (inter-Korean text)" -s scripts/load/clauses.lua "$base/api/clauses"
run "POST /api/scenarios (durable save)" -s scripts/load/save.lua "$base/api/scenarios"
run "GET /api/scenarios/{id}" "$base/api/scenarios/$id"
run "GET /api/health" "$base/api/health"
