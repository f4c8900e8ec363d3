#!/usr/bin/env bash
# Takes a screenshot of the county dashboard with sample data, from a live hub:
#   1. builds tributary-hub and tributary, creates a hub with the sample county tree
#      (Protocol/examples/sample-county.csv), an admin token and three township stations;
#   2. starts the hub on a free port; each station records sample members, service orders,
#      time-bank entries, grid incidents and micro-wishes offline (tributary import) and syncs;
#      a fourth station never syncs, so the sync-health table shows a "never synced" row;
#   3. headless Chromium signs in with the admin token (an auto-submitted login form) and
#      saves a PNG (default docs/dashboard.png); the page's HTML is checked with curl too.
#
# Needs: chromium (Debian package `chromium`) and, for Chinese labels, fonts-noto-cjk.
# Usage: Scripts/dashboard-screenshot.sh [OUT.png]      (DASHBOARD_LANG=en for English)
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
OUT=${1:-$ROOT/docs/dashboard.png}
LANG_CHOICE=${DASHBOARD_LANG:-zh}
CHROMIUM=${CHROMIUM:-$(command -v chromium || command -v chromium-browser || true)}
[ -n "$CHROMIUM" ] || { echo "error: chromium is not installed (apt-get install -y chromium)" >&2; exit 2; }

cd "$ROOT"
swift build --product tributary-hub >&2
swift build --product tributary >&2
BIN=$(swift build --show-bin-path)
WORK=$(mktemp -d)
HUB_PID=""
cleanup() {
    if [ -n "$HUB_PID" ]; then kill "$HUB_PID" 2>/dev/null || true; wait "$HUB_PID" 2>/dev/null || true; fi
    rm -rf "$WORK"
}
trap cleanup EXIT

hub() { "$BIN/tributary-hub" --db "$WORK/hub.db" "$@"; }
json() { python3 -c "import json,sys; print(json.load(sys.stdin)$1)"; }

hub org import Protocol/examples/sample-county.csv >&2
ADMIN=$(hub admin-token --name screenshot --json | json '["token"]')

hub serve --port 0 > "$WORK/hub.log" 2>&1 &
HUB_PID=$!
for _ in $(seq 1 100); do
    URL=$(grep -o 'http://[0-9.]*:[0-9]*' "$WORK/hub.log" || true)
    [ -n "$URL" ] && break
    sleep 0.1
done
[ -n "$URL" ] || { echo "error: the hub did not start:" >&2; cat "$WORK/hub.log" >&2; exit 1; }

# Sample work recorded by three township stations, offline, then synced.
SEED=1
for TOWNSHIP in yc-t01 yc-t02 yc-t05; do
    TOKEN=$(hub station add --org "$TOWNSHIP" --name "$TOWNSHIP 工作站" --json | json '["token"]')
    DB="$WORK/$TOWNSHIP.db"
    "$BIN/tributary" --db "$DB" init --hub "$URL" --token "$TOKEN" >&2
    "$BIN/tributary" --db "$DB" sync >&2   # learn the org tree first
    python3 - "$TOWNSHIP" "$SEED" > "$WORK/$TOWNSHIP.jsonl" <<'PY'
import csv, json, random, sys
township, seed = sys.argv[1], int(sys.argv[2])
random.seed(seed)
units = [r["id"] for r in csv.DictReader(open("Protocol/examples/sample-county.csv", encoding="utf-8"))
         if r["id"].startswith(township + "-")]
surnames = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗高"
given = ["秀英", "桂兰", "建国", "志强", "丽华", "海燕", "文博", "晓东", "春梅", "德明"]
def out(t, i, f): print(json.dumps({"type": t, "id": i, "fields": f}, ensure_ascii=False))
members = []
for n in range(240):
    unit = random.choice(units); mid = f"{township}-m{n}"; members.append((mid, unit))
    out("member", mid, {"name": random.choice(surnames) + random.choice(given), "orgUnitId": unit,
        "category": random.choice(["direct", "inService", "retired", "retired", "floating", "laidOff"])})
for n in range(160):
    unit = random.choice(units); state = random.choice(["ordered", "dispatched", "accepted", "done", "done", "reviewed", "reviewed"])
    m = random.randint(1, 6); f = {"orgUnitId": unit, "state": state, "orderedOn": f"2025-{m:02d}-{random.randint(1, 20):02d}",
        "category": random.choice(["legalAdvice", "applianceRepair", "billPayment", "parcelPickup", "elderCare", "other"]),
        "requester": "居民" + random.choice(surnames)}
    if state in ("done", "reviewed"): f["doneOn"] = f"2025-{m:02d}-{random.randint(21, 28):02d}"
    if state == "reviewed": f["rating"] = random.randint(3, 5)
    out("serviceOrder", f"{township}-o{n}", f)
for n in range(900):
    mid, unit = random.choice(members); month = random.randint(1, 6)
    out("volunteerHours", f"{township}-h{n}", {"memberId": mid, "orgUnitId": unit, "date": f"2025-{month:02d}-{random.randint(1, 28):02d}",
        "hours": random.choice([0.5, 1, 1.5, 2, 3]) * (1 + month / 6)})
for n in range(40):
    unit = random.choice(units)
    out("gridIncident", f"{township}-g{n}", {"gridId": unit, "state": random.choice(["reported", "handling", "resolved", "resolved"]),
        "reportedOn": f"2025-{random.randint(1, 6):02d}-{random.randint(1, 28):02d}", "category": "sanitation", "reportedBy": "网格员"})
    out("microWish", f"{township}-w{n}", {"orgUnitId": unit, "state": random.choice(["posted", "claimed", "fulfilled"]),
        "postedOn": f"2025-{random.randint(1, 6):02d}-10", "beneficiary": "独居老人", "wish": "一台收音机"})
PY
    "$BIN/tributary" --db "$DB" import "$WORK/$TOWNSHIP.jsonl" >&2
    "$BIN/tributary" --db "$DB" sync >&2
    SEED=$((SEED + 1))
done
hub station add --org yc-t09 --name "yc-t09 工作站" >/dev/null

# The page itself, checked for its key elements.
COOKIES="$WORK/cookies.txt"
curl -sf -c "$COOKIES" -o /dev/null --data-urlencode "token=$ADMIN" "$URL/login"
curl -sf -b "$COOKIES" "$URL/?lang=$LANG_CHOICE" > "$WORK/page.html"
for needle in 'id="orders-chart"' '<polyline' 'id="sync"' 'status-never' 'href="/org/yc-t01"' 'format=csv'; do
    grep -q "$needle" "$WORK/page.html" || { echo "error: the dashboard lacks $needle" >&2; exit 1; }
done

# Headless Chromium signs in through an auto-submitted form, follows the redirect and shoots.
cat > "$WORK/login.html" <<HTML
<!DOCTYPE html><html><body onload="document.forms[0].submit()">
<form method="post" action="$URL/login?lang=$LANG_CHOICE"><input type="hidden" name="token" value="$ADMIN"></form>
</body></html>
HTML
mkdir -p "$(dirname "$OUT")"
"$CHROMIUM" --headless --no-sandbox --disable-gpu --hide-scrollbars --user-data-dir="$WORK/chromium" \
    --window-size=1280,1700 --virtual-time-budget=8000 --screenshot="$OUT" "file://$WORK/login.html" >"$WORK/chromium.log" 2>&1 \
    || { cat "$WORK/chromium.log" >&2; exit 1; }
[ -s "$OUT" ] || { echo "error: no screenshot" >&2; exit 1; }
echo "$OUT"
