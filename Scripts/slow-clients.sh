#!/usr/bin/env bash
# Slow and idle clients against a real hub on loopback, with an honest station syncing
# meanwhile (issue 17 items 3 and 4); figures in Benchmarks/RELIABILITY-slow.md.
#
#   Scripts/slow-clients.sh [SECONDS]     # each scenario runs SECONDS (default 60)
#
# Uses the executables in $TRIBUTARY_BIN_DIR (default .build/debug; build them first). Starts
# `tributary-hub serve` under a 1,024 open-file limit (systemd's default) over a fresh database
# with the sample county, a station whose token the attacker uses and an honest station, then
# runs Scripts/slow-clients.py for each scenario and prints one JSON line per scenario to
# stdout and .build/slow-clients/results.jsonl. Loopback only; every scenario is bounded.
set -euo pipefail
cd "$(dirname "$0")/.."
SECONDS_BOUND="${1:-60}"
BIN="${TRIBUTARY_BIN_DIR:-.build/debug}"
WORK=.build/slow-clients
rm -rf "$WORK" && mkdir -p "$WORK"
HUB_DB="$WORK/hub.db"

"$BIN/tributary-hub" org import --db "$HUB_DB" Protocol/examples/sample-county.csv >/dev/null
ATTACKER=$("$BIN/tributary-hub" station add --db "$HUB_DB" --org yc-t01 --name attacker --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["token"])')
HONEST=$("$BIN/tributary-hub" station add --db "$HUB_DB" --org yc-t02 --name honest --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["token"])')

prlimit --nofile=1024:1024 "$BIN/tributary-hub" serve --db "$HUB_DB" --port 0 --log-level notice \
  >"$WORK/hub.out" 2>"$WORK/hub.log" &
HUB=$!
trap 'kill $HUB 2>/dev/null || true; wait $HUB 2>/dev/null || true' EXIT
for _ in $(seq 100); do grep -q "listening on" "$WORK/hub.out" && break; sleep 0.1; done
URL=$(sed -n 's/^listening on //p' "$WORK/hub.out")
PORT=${URL##*:}
"$BIN/tributary" --db "$WORK/honest.db" init --hub "$URL" --token "$HONEST" >/dev/null
"$BIN/tributary" --db "$WORK/honest.db" sync >/dev/null

run() {
  python3 Scripts/slow-clients.py --port "$PORT" --token "$ATTACKER" --tributary "$BIN/tributary" \
    --station "$WORK/honest.db" --seconds "$SECONDS_BOUND" "$@" | tee -a "$WORK/results.jsonl"
  sleep 2  # pacing between scenarios: let the hub close what is left
}
run --attack uploads --count 8
run --attack headers --count 400
run --attack connections --count 1500 --sources 12
grep -c "hub.connection.closed" "$WORK/hub.log" | sed 's/^/hub.connection.closed log lines: /'
