#!/usr/bin/env bash
# The kill -9 test, N times in a row (default 20), then once with 20 rounds of SIGKILL.
#   scripts/reliability/kill9.sh [N]
# Each run: the server is killed with SIGKILL during a burst of saves and updates (3 rounds), then
# restarted; every acknowledged save and update must be there and PRAGMA integrity_check = ok.
set -euo pipefail
cd "$(dirname "$0")/../.."
N=${1:-20}
cargo test -q -p allylens --test cli --no-run
pass=0
for i in $(seq "$N"); do
  out=$(cargo test -q -p allylens --test cli kill_9 -- --nocapture 2>&1) || { echo "run $i FAILED"; echo "$out"; exit 1; }
  pass=$((pass + 1))
  echo "run $i: $(grep -o 'kill -9: .*' <<<"$out")"
done
echo "kill -9 test: $pass of $N runs passed in a row"
out=$(ALLYLENS_KILL_ROUNDS=20 cargo test -q -p allylens --test cli kill_9 -- --nocapture 2>&1) || { echo "20-round run FAILED"; echo "$out"; exit 1; }
echo "one run with 20 rounds: $(grep -o 'kill -9: .*' <<<"$out")"
