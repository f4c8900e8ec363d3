#!/usr/bin/env bash
# Tributary on PostgreSQL: a throw-away PostgreSQL cluster, three stateless hub processes on
# one database, and stations syncing through different processes; every digest ends equal.
#
#   Scripts/demo.sh --postgres      (or Scripts/demo-postgres.sh)
#
# Needs Debian's postgresql (initdb/pg_ctl in /usr/lib/postgresql/*/bin). As root the cluster
# runs as the postgres user (the server will not run as root). Files go to
# $TRIBUTARY_DEMO_DIR (default: a fresh folder under /tmp); everything stops at the end.
set -euo pipefail
cd "$(dirname "$0")/.."

bold() { printf '\n\033[1m== %s\033[0m\n' "$*"; }
run() { printf '\033[2m$ %s\033[0m\n' "$*"; "$@"; }

PGBIN="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)"
[[ -x "$PGBIN/initdb" ]] || { echo "PostgreSQL is not installed (apt-get install postgresql)" >&2; exit 1; }

bold "Building (swift build; the first build takes a few minutes)"
for product in tributary tributary-hub; do
  swift build --product "$product" >/dev/null 2>&1 || swift build --product "$product"
done
export PATH="$(swift build --show-bin-path):$PATH"

DIR="${TRIBUTARY_DEMO_DIR:-$(mktemp -d /tmp/tributary-pg-demo.XXXXXX)}"
mkdir -p "$DIR"
AS_PG=()
if [[ "$(id -u)" == 0 ]]; then chown postgres "$DIR"; AS_PG=(runuser -u postgres --); fi
PGPORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
HUB_PIDS=()
cleanup() {
  for pid in "${HUB_PIDS[@]}"; do kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; done
  "${AS_PG[@]}" "$PGBIN/pg_ctl" -D "$DIR/pgdata" -m fast -w stop >/dev/null 2>&1 || true
}
trap cleanup EXIT

bold "A throw-away PostgreSQL cluster on 127.0.0.1:$PGPORT (socket in $DIR)"
"${AS_PG[@]}" "$PGBIN/initdb" -D "$DIR/pgdata" -U postgres --auth=trust --locale=C -E UTF8 >/dev/null
"${AS_PG[@]}" "$PGBIN/pg_ctl" -D "$DIR/pgdata" -l "$DIR/postgres.log" -w \
  -o "-k $DIR -p $PGPORT -c listen_addresses=127.0.0.1" start >/dev/null
"$PGBIN/createdb" -h "$DIR" -p "$PGPORT" -U postgres tributary
export TRIBUTARY_HUB_DB="postgres://postgres@127.0.0.1:$PGPORT/tributary"
echo "TRIBUTARY_HUB_DB=$TRIBUTARY_HUB_DB"

bold "The county's org tree and three stations, written through the database"
run tributary-hub org import Protocol/examples/sample-county.csv
token() { python3 -c 'import json,sys; print(json.load(sys.stdin)["token"])'; }
T1=$(tributary-hub station add --org yc-t01 --name "桃城镇" --json | token)
T2=$(tributary-hub station add --org yc-t02 --name "五里街镇" --json | token)
CO=$(tributary-hub station add --org yc --name "县委组织部" --json | token)

bold "Three hub processes on the same database"
URLS=()
for i in 1 2 3; do
  tributary-hub serve --port 0 --log-level warning >"$DIR/hub$i.out" 2>"$DIR/hub$i.log" &
  HUB_PIDS+=($!)
  for _ in $(seq 1 300); do grep -q '^listening on ' "$DIR/hub$i.out" 2>/dev/null && break; sleep 0.1; done
  URL="$(sed -n 's/^listening on //p' "$DIR/hub$i.out" | head -1)"
  [[ -n "$URL" ]] || { echo "hub $i did not start; see $DIR/hub$i.log" >&2; exit 1; }
  URLS+=("$URL"); echo "hub $i: $URL"
done

st() { local db="$1"; shift; tributary --db "$DIR/$db.db" "$@"; }
bold "Each station syncs through a different process"
run st taocheng init --hub "${URLS[0]}" --token "$T1"
run st wuli init --hub "${URLS[1]}" --token "$T2"
run st county init --hub "${URLS[2]}" --token "$CO"
run st taocheng put member m-1 name=林秀英 orgUnitId=yc-t01-c01 category=retired
run st wuli put member m-2 name=王建国 orgUnitId=yc-t02 category=direct
run st taocheng sync
run st county sync
bold "The county corrects the township's member through process 3; the township pulls it through process 1"
run st county put member m-1 name=林秀英同志
for s in county taocheng wuli county; do st "$s" sync >/dev/null; done
run st taocheng get member m-1

bold "Every station's replica equals the hub's view of its scope, whichever process answers"
MISMATCH=0
for s in taocheng wuli county; do
  printf '%-9s ' "$s"
  st "$s" digest --hub --json | python3 -c 'import json,sys; d=json.load(sys.stdin); print(d["digest"][:16], "== hub" if d["match"] is True else "!= hub " + d["hub"][:16]); sys.exit(0 if d["match"] is True else 1)' || MISMATCH=1
done
run tributary-hub digest
run tributary-hub station list
[[ "$MISMATCH" == 0 ]] || { echo "a station differs from the hub" >&2; exit 1; }
echo "every digest equal"
