#!/usr/bin/env bash
# The fault-injection soak (issue 9): a real hub and real stations on 127.0.0.1, random
# writes of every merge policy, kill -9 of the hub and the stations at random moments, and a
# proxy per station that loses, delays, cuts short and doubles requests. At the end every
# replica's digest must equal the hub's view of its scope, and no change may be lost or
# applied twice. Builds release first.
#
#   Scripts/soak.sh                  ≥100 kills, 6 stations, at most 9 minutes
#   Scripts/soak.sh --postgres       the same against three hub processes on one PostgreSQL
#                                    database (a throw-away cluster of the driver's own, restarted
#                                    once mid-run; needs Debian's postgresql)
#   Scripts/soak.sh --quick          16 kills, at most 80 seconds (what the test suite runs)
#   Scripts/soak.sh --seed 42 …      any other argument goes to tributary-soak (see --help)
set -euo pipefail
cd "$(dirname "$0")/.."

args=(--kills 100 --seconds 540 --stations 6)
extra=()
for arg in "$@"; do
  case "$arg" in
    --quick) args=(--kills 16 --seconds 80 --stations 6) ;;
    *) extra+=("$arg") ;;
  esac
done

echo "building tributary, tributary-hub and tributary-soak (release)…"
for product in tributary tributary-hub tributary-soak; do
  swift build -c release --product "$product"
done
bin="$(swift build -c release --show-bin-path)"

exec "$bin/tributary-soak" --bin-dir "$bin" "${args[@]}" "${extra[@]+"${extra[@]}"}"
