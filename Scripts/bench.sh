#!/usr/bin/env bash
# Runs the Tributary benchmark suite in release mode and refreshes Benchmarks/results.json
# and Benchmarks/RESULTS.md.
#
#   Scripts/bench.sh            full sizes (county year ≈1M changes, 200 × 5k convergence), 3 runs each
#   Scripts/bench.sh --quick    small sizes, 1 run, under 2 minutes (CI smoke run: reports, never asserts)
#   Scripts/bench.sh --perf     also records a perf profile of the hub during the first ingest
#                               (Benchmarks/ingest.perf; read it with `perf report -i`)
#   Scripts/bench.sh --postgres the hub on SQLite and on PostgreSQL side by side: ingest, pull into a
#                               replica and 200-station convergence, each on SQLite (1 process),
#                               PostgreSQL (1 process) and PostgreSQL (3 processes on one database);
#                               writes Benchmarks/results-postgres.json and RESULTS-postgres.md
#                               (--quick ~2 min; --budget SECONDS bounds a full run). It starts a throw-away
#                               PostgreSQL cluster (Debian's postgresql; run by the postgres user when
#                               root) and stops it at the end; TRIBUTARY_BENCH_POSTGRES=URL uses a
#                               server of yours instead (the benchmark creates and drops databases).
# Other arguments go to tributary-bench (e.g. --only ingest,convergence --runs 5).
set -euo pipefail
cd "$(dirname "$0")/.."

args=()
quick=0
postgres=0
for arg in "$@"; do
  case "$arg" in
    --quick) quick=1; args+=("--quick") ;;
    --perf) args+=("--perf-out" "Benchmarks/ingest.perf") ;;
    --postgres) postgres=1 ;;
    *) args+=("$arg") ;;
  esac
done

echo "building tributary-hub and tributary-bench (release)…"
swift build -c release --product tributary-hub
swift build -c release --product tributary-bench
bin="$(swift build -c release --show-bin-path)"

if [ "$postgres" = 1 ]; then
  command -v psql >/dev/null || { echo "bench.sh --postgres needs psql (apt-get install postgresql)" >&2; exit 1; }
  url="${TRIBUTARY_BENCH_POSTGRES:-}"
  if [ -z "$url" ]; then
    # A throw-away cluster, as .ci/run starts one, but durable (fsync and synchronous_commit on,
    # the defaults) and with pg_stat_statements loaded so the report can say which statements
    # took the time. Unix socket only: no TCP port to collide with.
    PGBIN="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)"
    [[ -x "$PGBIN/initdb" && -x "$PGBIN/pg_ctl" ]] || { echo "no PostgreSQL server (/usr/lib/postgresql/*/bin/initdb); apt-get install postgresql" >&2; exit 1; }
    PGDIR="$(mktemp -d /tmp/tributary-bench-pg.XXXXXX)"
    AS_PG=()
    if [[ "$(id -u)" == 0 ]]; then chown postgres:postgres "$PGDIR"; AS_PG=(runuser -u postgres --); fi
    stop_postgres() {
      "${AS_PG[@]}" "$PGBIN/pg_ctl" -D "$PGDIR/data" -m fast -w stop >/dev/null 2>&1 || true
      rm -rf "$PGDIR"
    }
    trap stop_postgres EXIT
    trap 'exit 130' INT TERM
    "${AS_PG[@]}" "$PGBIN/initdb" -D "$PGDIR/data" -U postgres --auth=trust --encoding=UTF8 --locale=C >/dev/null \
      || { echo "initdb failed" >&2; exit 1; }
    "${AS_PG[@]}" "$PGBIN/pg_ctl" -D "$PGDIR/data" -l "$PGDIR/server.log" -w -t 60 -o "-k $PGDIR -p 5432 -c listen_addresses='' \
      -c shared_buffers=256MB -c max_wal_size=4GB -c max_connections=300 -c shared_preload_libraries=pg_stat_statements" start >/dev/null \
      || { echo "PostgreSQL did not start:" >&2; cat "$PGDIR/server.log" >&2; exit 1; }
    url="postgresql://postgres@localhost:5432/postgres?host=$PGDIR"
    echo "started a throw-away PostgreSQL cluster in $PGDIR"
  fi
  args=("--only" "pg" "--postgres" "$url" "${args[@]}")
fi

commit="$(git rev-parse --short HEAD 2>/dev/null || echo unknown)"
if ! git diff --quiet 2>/dev/null; then commit="$commit (+ local changes)"; fi

name=results
notes=Benchmarks/NOTES.md
if [ "$postgres" = 1 ]; then name=results-postgres; notes=Benchmarks/NOTES-postgres.md; fi
# A smoke run must not overwrite the full figures.
if [ "$quick" = 1 ]; then name="$name-quick"; fi
json="Benchmarks/$name.json"
markdown="Benchmarks/RESULTS${name#results}.md"

status=0
stdbuf -oL "$bin/tributary-bench" --hub "$bin/tributary-hub" --county Protocol/examples/sample-county.json \
  --commit "$commit" --json "$json" --markdown "$markdown" --notes "$notes" "${args[@]}" || status=$?
echo "wrote $json and $markdown"
if [ "$quick" = 1 ]; then exit 0; fi   # reporting, not asserting
exit "$status"
