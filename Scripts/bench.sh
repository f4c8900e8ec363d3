#!/usr/bin/env bash
# Runs the Tributary benchmark suite in release mode and refreshes Benchmarks/results.json
# and Benchmarks/RESULTS.md.
#
#   Scripts/bench.sh            full sizes (county year ≈1M changes, 200 × 5k convergence), 3 runs each
#   Scripts/bench.sh --quick    small sizes, 1 run, under 2 minutes (CI smoke run: reports, never asserts)
#   Scripts/bench.sh --perf     also records a perf profile of the hub during the first ingest
#                               (Benchmarks/ingest.perf; read it with `perf report -i`)
# Other arguments go to tributary-bench (e.g. --only ingest,convergence --runs 5).
set -euo pipefail
cd "$(dirname "$0")/.."

args=()
quick=0
for arg in "$@"; do
  case "$arg" in
    --quick) quick=1; args+=("--quick") ;;
    --perf) args+=("--perf-out" "Benchmarks/ingest.perf") ;;
    *) args+=("$arg") ;;
  esac
done

echo "building tributary-hub and tributary-bench (release)…"
swift build -c release --product tributary-hub
swift build -c release --product tributary-bench
bin="$(swift build -c release --show-bin-path)"

commit="$(git rev-parse --short HEAD 2>/dev/null || echo unknown)"
if ! git diff --quiet 2>/dev/null; then commit="$commit (+ local changes)"; fi

json=Benchmarks/results.json
markdown=Benchmarks/RESULTS.md
if [ "$quick" = 1 ]; then
  # A smoke run must not overwrite the full figures.
  json=Benchmarks/results-quick.json
  markdown=Benchmarks/RESULTS-quick.md
fi

status=0
stdbuf -oL "$bin/tributary-bench" --hub "$bin/tributary-hub" --county Protocol/examples/sample-county.json \
  --commit "$commit" --json "$json" --markdown "$markdown" --notes Benchmarks/NOTES.md "${args[@]}" || status=$?
echo "wrote $json and $markdown"
if [ "$quick" = 1 ]; then exit 0; fi   # reporting, not asserting
exit "$status"
