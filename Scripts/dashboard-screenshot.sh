#!/usr/bin/env bash
# Takes a screenshot of the county dashboard with sample data, from a live hub:
#   1. builds tributary-hub and tributary, creates a hub with the sample county tree
#      (Protocol/examples/sample-county.csv), an admin token and three township stations;
#   2. starts the hub on a free port; each station records sample members, service orders,
#      time-bank entries, grid incidents and micro-wishes offline (tributary import) and syncs;
#      a fourth station never syncs, so the sync-health table shows a "never synced" row;
#   3. signs in with the admin token (curl, checking the page's HTML for its key elements);
#      headless Chromium, given the session cookie over the DevTools protocol, opens the
#      dashboard and saves a full-page PNG (default docs/dashboard.png); then, at a phone's
#      width (390 px), the county and a township page, and the township's service orders in its
#      Records card: each must be no wider than the viewport and keep unit names readable
#      (OUT-390.png, OUT-390-township.png, OUT-390-records.png).
#
# Needs: chromium (Debian package `chromium`) and, for Chinese labels, fonts-noto-cjk.
# Usage: Scripts/dashboard-screenshot.sh [OUT.png]      (DASHBOARD_LANG=en for English;
#        TRIBUTARY_BIN=DIR uses binaries already built in DIR instead of running swift build)
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
OUT=${1:-$ROOT/docs/dashboard.png}
LANG_CHOICE=${DASHBOARD_LANG:-zh}
CHROMIUM=${CHROMIUM:-$(command -v chromium || command -v chromium-browser || true)}
[ -n "$CHROMIUM" ] || { echo "error: chromium is not installed (apt-get install -y chromium)" >&2; exit 2; }

cd "$ROOT"
if [ -n "${TRIBUTARY_BIN:-}" ]; then
    BIN=$TRIBUTARY_BIN   # already built (the test that runs this script sets it)
else
    swift build --product tributary-hub >&2
    swift build --product tributary >&2
    BIN=$(swift build --show-bin-path)
fi
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

"$BIN/tributary-hub" --db "$WORK/hub.db" serve --port 0 > "$WORK/hub.log" 2>&1 &
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

# Headless Chromium gets the session cookie (from the sign-in above) through the DevTools
# protocol, opens the dashboard and captures the whole page.
SESSION=$(awk '$6 == "tributary_session" { print $7 }' "$COOKIES")
mkdir -p "$(dirname "$OUT")"
"$CHROMIUM" --headless --no-sandbox --disable-gpu --hide-scrollbars --user-data-dir="$WORK/chromium" \
    --remote-debugging-port=0 --window-size=1280,1000 about:blank 2>"$WORK/chromium.log" &
CHROMIUM_PID=$!
trap 'kill "$CHROMIUM_PID" 2>/dev/null || true; wait "$CHROMIUM_PID" 2>/dev/null || true; cleanup' EXIT
python3 - "$WORK/chromium.log" "$URL" "$SESSION" "$LANG_CHOICE" "$OUT" <<'PY'
import base64, json, os, re, socket, struct, sys, time, urllib.request
log, url, session, lang, out = sys.argv[1:]
for _ in range(300):
    found = re.search(r"DevTools listening on ws://([0-9.]+):(\d+)/", open(log).read())
    if found: break
    time.sleep(0.1)
else:
    sys.exit("error: chromium did not start its DevTools endpoint")
host, port = found.group(1), int(found.group(2))
pages = json.load(urllib.request.urlopen(f"http://{host}:{port}/json/list"))
path = re.sub(r"^ws://[^/]+", "", next(p for p in pages if p["type"] == "page")["webSocketDebuggerUrl"])
sock = socket.create_connection((host, port))
sock.sendall((f"GET {path} HTTP/1.1\r\nHost: {host}:{port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
              "Sec-WebSocket-Key: dHJpYnV0YXJ5LWRhc2g=\r\nSec-WebSocket-Version: 13\r\n\r\n").encode())
buffer = b""
while b"\r\n\r\n" not in buffer: buffer += sock.recv(4096)
buffer = buffer.split(b"\r\n\r\n", 1)[1]
def read(n):
    global buffer
    while len(buffer) < n: buffer += sock.recv(1 << 16)
    data, buffer = buffer[:n], buffer[n:]
    return data
def receive():
    first, second = read(2)
    length = second & 0x7F
    if length == 126: length = struct.unpack(">H", read(2))[0]
    elif length == 127: length = struct.unpack(">Q", read(8))[0]
    return json.loads(read(length))
ids = iter(range(1, 1000))
def call(method, **params):
    ident = next(ids)
    payload = json.dumps({"id": ident, "method": method, "params": params}).encode()
    header = bytes([0x81]) + (bytes([0x80 | len(payload)]) if len(payload) < 126 else bytes([0x80 | 126]) + struct.pack(">H", len(payload)) if len(payload) < 65536 else bytes([0x80 | 127]) + struct.pack(">Q", len(payload)))
    mask = os.urandom(4)
    sock.sendall(header + mask + bytes(b ^ mask[i % 4] for i, b in enumerate(payload)))
    while True:
        message = receive()
        if message.get("id") == ident:
            if "error" in message: sys.exit(f"error: {method}: {message['error']}")
            return message.get("result", {})
call("Page.enable")
call("Network.enable")
call("Network.setCookie", name="tributary_session", value=session, url=url + "/", httpOnly=True, sameSite="Strict")
call("Network.setCookie", name="tributary_lang", value=lang, url=url + "/", httpOnly=True, sameSite="Strict")
call("Page.navigate", url=url + "/")
deadline = time.time() + 30
while time.time() < deadline:
    if receive().get("method") == "Page.loadEventFired": break
metrics = call("Page.getLayoutMetrics")
height = int(metrics["cssContentSize"]["height"])
shot = call("Page.captureScreenshot", format="png", captureBeyondViewport=True,
            clip={"x": 0, "y": 0, "width": 1280, "height": height, "scale": 1})
open(out, "wb").write(base64.b64decode(shot["data"]))

# At a phone's width (390 px) every page fits: the document is no wider than the viewport
# (charts scale, wide tables scroll inside their card) and no unit name is squeezed to a
# character per line. Saved beside OUT as OUT-390.png (county), OUT-390-township.png and
# OUT-390-records.png (the township with the Records card showing service orders, a wide table).
def measure(js):
    return call("Runtime.evaluate", expression=js, returnByValue=True)["result"]["value"]
call("Emulation.setDeviceMetricsOverride", width=390, height=844, deviceScaleFactor=1, mobile=True)
for suffix, page in (("390", "/"), ("390-township", "/org/yc-t01"), ("390-records", "/org/yc-t01?type=serviceOrder")):
    call("Page.navigate", url=url + page)
    deadline = time.time() + 30
    while time.time() < deadline:
        if receive().get("method") == "Page.loadEventFired": break
    width = measure("document.documentElement.scrollWidth")
    if width > 390: sys.exit(f"error: at 390 px the page {page} is {width} px wide")
    narrowest = measure("Math.min(1e9, ...Array.from(document.querySelectorAll('td.name')).map(e => e.getBoundingClientRect().width))")
    if narrowest < 48: sys.exit(f"error: at 390 px a unit name on {page} is squeezed to {narrowest} px")
    height = int(call("Page.getLayoutMetrics")["cssContentSize"]["height"])
    shot = call("Page.captureScreenshot", format="png", captureBeyondViewport=True,
                clip={"x": 0, "y": 0, "width": 390, "height": height, "scale": 1})
    open(re.sub(r"\.png$", "", out) + f"-{suffix}.png", "wb").write(base64.b64decode(shot["data"]))
    print(f"{page}: {width} px wide at 390, narrowest name {narrowest:.0f} px", file=sys.stderr)
PY
[ -s "$OUT" ] || { echo "error: no screenshot" >&2; exit 1; }
echo "$OUT"
