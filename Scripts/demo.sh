#!/usr/bin/env bash
# Tributary demo: a county hub on an embedded SQLite file, three township stations (one of
# them with two devices) working offline for a morning, then syncing, settling a conflict,
# and showing every replica agrees.
#
#   Scripts/demo.sh            # build if needed, run, clean up the processes
#   Scripts/demo.sh --keep     # also keep the hub running at the end (Ctrl-C to stop)
#   Scripts/demo.sh --postgres # three hub processes on PostgreSQL (Scripts/demo-postgres.sh)
#
# Files go to $TRIBUTARY_DEMO_DIR (default: a fresh folder under /tmp); the script prints it.
set -euo pipefail
cd "$(dirname "$0")/.."

KEEP=false
[[ "${1:-}" == "--keep" ]] && KEEP=true
# Three hub processes on a throw-away PostgreSQL cluster instead of one SQLite file.
[[ "${1:-}" == "--postgres" ]] && exec "$(dirname "$0")/demo-postgres.sh"


bold() { printf '\n\033[1m== %s\033[0m\n' "$*"; }
run() { printf '\033[2m$ %s\033[0m\n' "$*"; "$@"; }

bold "Building (swift build; the first build takes a few minutes)"
for product in tributary tributary-hub; do
  swift build --product "$product" >/dev/null 2>&1 || swift build --product "$product"
done
BIN="$(swift build --show-bin-path)"
export PATH="$BIN:$PATH"

DIR="${TRIBUTARY_DEMO_DIR:-$(mktemp -d /tmp/tributary-demo.XXXXXX)}"
mkdir -p "$DIR"
rm -f "$DIR"/*.db "$DIR"/*.db-wal "$DIR"/*.db-shm
HUB_PID=""
cleanup() { [[ -n "$HUB_PID" ]] && kill "$HUB_PID" 2>/dev/null && wait "$HUB_PID" 2>/dev/null || true; }
trap cleanup EXIT

start_hub() {
  tributary-hub --db "$DIR/hub.db" serve --port "${1:-0}" --log-level warning >"$DIR/hub.out" 2>>"$DIR/hub.log" &
  HUB_PID=$!
  for _ in $(seq 1 100); do
    grep -q '^listening on ' "$DIR/hub.out" 2>/dev/null && break
    sleep 0.1
  done
  HUB_URL="$(sed -n 's/^listening on //p' "$DIR/hub.out" | head -1)"
  [[ -n "$HUB_URL" ]] || { echo "the hub did not start; see $DIR/hub.log" >&2; exit 1; }
}
stop_hub() { kill "$HUB_PID"; wait "$HUB_PID" 2>/dev/null || true; HUB_PID=""; }
token() { python3 -c 'import json,sys; print(json.load(sys.stdin)["token"])'; }

bold "The county hub: import the org tree of 永春县 and register the stations"
export TRIBUTARY_HUB_DB="$DIR/hub.db"
run tributary-hub org import Protocol/examples/sample-county.csv
TAOCHENG_A=$(tributary-hub station add --org yc-t01 --name "桃城镇 党群服务中心" --json | token)
TAOCHENG_B=$(tributary-hub station add --org yc-t01 --name "桃城镇 网格员平板" --json | token)
WULI=$(tributary-hub station add --org yc-t02 --name "五里街镇" --json | token)
YIDU=$(tributary-hub station add --org yc-t03 --name "一都镇" --json | token)
run tributary-hub station list
start_hub 0
PORT="${HUB_URL##*:}"
echo "hub listening on $HUB_URL"

st() { local db="$1"; shift; tributary --db "$DIR/$db.db" "$@"; }

bold "Each station initialises from its token (the hub tells it its org unit) and bootstraps"
st taocheng-a init --hub "$HUB_URL" --token "$TAOCHENG_A"
st taocheng-b init --hub "$HUB_URL" --token "$TAOCHENG_B"
st wuli init --hub "$HUB_URL" --token "$WULI"
st yidu init --hub "$HUB_URL" --token "$YIDU"
for s in taocheng-a taocheng-b wuli yidu; do printf '%-11s ' "$s"; st $s sync; done

bold "Before the link goes down, 桃城镇 opens today's activity and meeting on the front desk"
st taocheng-a put activity act-1126 orgUnitId=yc-t01-c01 kind=unifiedActivityDay date=2026-11-28 title=统一活动日·清洁家园 place=留安社区广场 >/dev/null
st taocheng-a put meeting mtg-1126 orgUnitId=yc-t01 kind=jointMeeting date=2026-11-26 title=联席会议 minutes="议题：老旧小区加装电梯。" >/dev/null
st taocheng-a sync; st taocheng-b sync

bold "The mobile link goes down: the hub is unreachable for the morning"
stop_hub
run st wuli sync || echo "(exit $? — hub unreachable; every write stays in the outbox)"

bold "Offline morning at 桃城镇 (front desk and the grid worker's tablet)"
M1=$(st taocheng-a put member name=林秀英 gender=female birthYear=1958 orgUnitId=yc-t01-c01 category=retired phone=13800000001)
M2=$(st taocheng-a put member name=陈志强 gender=male birthYear=1983 orgUnitId=yc-t01-c01 category=inService)
M3=$(st taocheng-b put member name=黄美玲 gender=female birthYear=1990 orgUnitId=yc-t01-c02 category=floating)
TEAM=$(st taocheng-a put volunteerTeam name=桃城红马甲 orgUnitId=yc-t01 specialty=家电维修 leaderId="$M2")
SO=$(st taocheng-a put serviceOrder orgUnitId=yc-t01-c01 requester=郑阿婆 category=applianceRepair description="电饭煲不通电" orderedOn=2026-11-26 state=ordered)
st taocheng-a put serviceOrder "$SO" state=dispatched teamId="$TEAM" >/dev/null
st taocheng-a put volunteerHours memberId="$M2" teamId="$TEAM" orderId="$SO" orgUnitId=yc-t01 date=2026-11-26 hours=1.5 note=上门维修 >/dev/null
echo "check-ins from two devices:"
run st taocheng-a put activity act-1126 attendees=+"$M1",+"$M2"
run st taocheng-b put activity act-1126 attendees=+"$M3"
echo "both devices edit the meeting minutes:"
run st taocheng-a put meeting mtg-1126 minutes="议题：老旧小区加装电梯。决定：先行试点留安社区3号楼。"
run st taocheng-b put meeting mtg-1126 minutes="议题：老旧小区加装电梯。决定：征求居民意见后再定。"

bold "Offline morning at 五里街镇 and 一都镇"
W1=$(st wuli put member name=王建国 gender=male birthYear=1950 orgUnitId=yc-t02 category=retired)
WSO=$(st wuli put serviceOrder orgUnitId=yc-t02 requester=李大爷 category=billPayment orderedOn=2026-11-26 state=ordered)
st wuli put serviceOrder "$WSO" state=done doneOn=2026-11-26 >/dev/null
st wuli put serviceOrder "$WSO" state=reviewed rating=5 >/dev/null
st wuli put volunteerHours memberId="$W1" orgUnitId=yc-t02 date=2026-11-26 hours=2 note=代缴水电费 >/dev/null
INC=$(st yidu put gridIncident gridId=yc-t03-v01 reportedBy=网格员张华 category=sanitation description="河道垃圾堆积" reportedOn=2026-11-26 state=reported)
st yidu put gridIncident "$INC" state=handling >/dev/null
WISH=$(st yidu put microWish orgUnitId=yc-t03 beneficiary=留守儿童小明 wish="一套课外读物" postedOn=2026-11-26 state=posted)
st yidu put microWish "$WISH" state=claimed >/dev/null
run st taocheng-a status

bold "The link is back: everyone syncs (twice, so each sees the others)"
start_hub "$PORT"
for round in 1 2; do
  for s in taocheng-a taocheng-b wuli yidu; do printf '%-11s ' "$s"; st $s sync; done
done

bold "Both check-ins count (a set field): the activity's attendees"
st taocheng-b get activity act-1126 --json | python3 -c 'import json,sys; r=json.load(sys.stdin); a=r.get("sets",r.get("setFields",{})).get("attendees") or r["fields"].get("attendees",[]); print("attendees:", len(a), "(2 checked in on the front desk, 1 on the tablet)")'

bold "The concurrent edit of the minutes is kept as a conflict, not lost"
run st taocheng-a conflicts
run st taocheng-a explain meeting mtg-1126 minutes

bold "The clerk settles it with a merged text, and syncs"
run st taocheng-a resolve meeting mtg-1126 minutes --value "议题：老旧小区加装电梯。决定：征求居民意见后，先行试点留安社区3号楼。"
for s in taocheng-a taocheng-b; do printf '%-11s ' "$s"; st $s sync; done
run st taocheng-b conflicts

bold "Every replica agrees with the hub's view of its scope"
for s in taocheng-a taocheng-b wuli yidu; do
  printf '%-11s ' "$s"; st $s digest --hub --json | python3 -c 'import json,sys; d=json.load(sys.stdin); print(d["digest"][:16], "== hub" if d["match"] is True else "!= hub " + d["hub"][:16])'
done
run tributary-hub digest

bold "Record types are data: a clerk looks one up; the county checks its own version 2 (民声茶馆 tea-house talks)"
run st wuli schema show serviceOrder
run st wuli put serviceOrder "$WSO" rating=9 || echo "(exit $? — a rating is 1 to 5; nothing was written)"
run tributary-hub schema check Protocol/examples/county-work-2.json

bold "Done"
echo "files: $DIR (hub.db, taocheng-a.db, taocheng-b.db, wuli.db, yidu.db, hub.log)"
echo "try:   tributary --db $DIR/taocheng-a.db log   |   tributary-hub --db $DIR/hub.db station list"
if $KEEP; then
  echo "hub still running at $HUB_URL (Ctrl-C to stop)"
  wait "$HUB_PID"
fi
