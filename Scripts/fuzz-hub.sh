#!/usr/bin/env bash
# Fuzzes a live hub with schemathesis against Protocol/openapi.yaml (issue 9, part 2).
#
#   Scripts/fuzz-hub.sh [SECONDS]      # default 300; the run stops at that bound
#
# Creates a venv under .build/fuzz-venv, pip-installs schemathesis, builds tributary-hub, starts
# it on a free loopback port over a temporary database with a small org tree, one station token
# and one admin token (rate limits off: schemathesis sends thousands of requests from one
# token), and runs schemathesis (bounded by --max-time) with the checks not_a_server_error,
# status/content-type/header/schema conformance, negative_data_rejection,
# unsupported_method and ignored_auth. Not missing_required_header: it expects 400-ish for a
# missing header, while SPEC §10 answers a missing Tributary-Protocol with 426 and a missing
# Tributary-Schema with 409 schema_mismatch, as documented in openapi.yaml (FUZZ_CHECKS overrides them;
# FUZZ_MAX_EXAMPLES, FUZZ_SEED, FUZZ_VENV too). The summary goes to
# .build/fuzz-hub/schemathesis.txt; the exit status is schemathesis's.
set -euo pipefail
cd "$(dirname "$0")/.."
SECONDS_BOUND="${1:-300}"
WORK=.build/fuzz-hub
VENV="${FUZZ_VENV:-.build/fuzz-venv}"
mkdir -p "$WORK"
rm -f "$WORK"/hub.db*

if [ ! -x "$VENV/bin/schemathesis" ]; then
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install --quiet --upgrade pip
  "$VENV/bin/pip" install --quiet schemathesis
fi
"$VENV/bin/schemathesis" --version | tee "$WORK/version.txt"

swift build --product tributary-hub >/dev/null
HUB="$(swift build --show-bin-path)/tributary-hub"
export TRIBUTARY_HUB_DB="$WORK/hub.db"
cat > "$WORK/org.csv" <<'CSV'
id,name,kind,parentId
yc,永春县,county,
yc-t01,桃城镇,township,yc
yc-t01-c01,留安社区,community,yc-t01
CSV
"$HUB" org import "$WORK/org.csv" >/dev/null
STATION_TOKEN="$("$HUB" station add --org yc-t01 --name fuzz --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["token"])')"
ADMIN_TOKEN="$("$HUB" admin-token --name fuzz --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["token"])')"

"$HUB" serve --port 0 --rate-limit 0 --failed-auth-limit 0 --log-level warning > "$WORK/hub.out" 2> "$WORK/hub.err" &
HUB_PID=$!
trap 'kill $HUB_PID 2>/dev/null || true' EXIT
for _ in $(seq 100); do grep -q "listening on" "$WORK/hub.out" && break; sleep 0.1; done
URL="$(sed -n 's/^listening on //p' "$WORK/hub.out" | head -1)"
echo "hub at $URL (pid $HUB_PID)"

set +e
"$VENV/bin/schemathesis" --no-color run Protocol/openapi.yaml \
  --url "$URL" \
  --header "Authorization: Bearer $STATION_TOKEN" \
  --header "Tributary-Protocol: 1" \
  --header "Tributary-Schema: county-work/1" \
  --checks "${FUZZ_CHECKS:-not_a_server_error,status_code_conformance,content_type_conformance,response_headers_conformance,response_schema_conformance,negative_data_rejection,unsupported_method,ignored_auth}" \
  --max-examples "${FUZZ_MAX_EXAMPLES:-300}" \
  --max-time "$SECONDS_BOUND" \
  --seed "${FUZZ_SEED:-20261127}" \
  --report-json-path "$WORK/report.json" \
  2>&1 | tee "$WORK/schemathesis.txt"
STATUS=${PIPESTATUS[0]}
set -e
# The hub must still answer after the run.
curl -fsS "$URL/healthz" >/dev/null && echo "hub still healthy" || { echo "hub died"; exit 1; }
echo "admin token for manual report checks: $ADMIN_TOKEN" > "$WORK/tokens.txt"
exit "$STATUS"
