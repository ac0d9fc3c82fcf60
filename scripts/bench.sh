#!/usr/bin/env bash
# Throughput benchmark: generates a realistic log corpus (default 256 MB in 4
# files, a personal-data line every ~200 lines), then times `cat` and
# `piimap scan` over the same files and prints MB/s and peak memory.
#   scripts/bench.sh [MB] [WORKERS]
set -euo pipefail
cd "$(dirname "$0")/.."
mb=${1:-256}
workers=${2:-$(nproc)}
out=bench-out
mkdir -p "$out"
go build -o "$out/piimap" ./cmd/piimap
if [ ! -f "$out/corpus-$mb/.done" ]; then
  rm -rf "$out/corpus-$mb"
  go run ./scripts/gencorpus -mb "$mb" -files 4 -out "$out/corpus-$mb"
  touch "$out/corpus-$mb/.done"
fi
bytes=$(cat "$out"/corpus-"$mb"/*.log | wc -c)
now() { date +%s.%N; }
# Warm the page cache so both runs read from memory.
cat "$out"/corpus-"$mb"/*.log > /dev/null
t0=$(now); cat "$out"/corpus-"$mb"/*.log > /dev/null; t1=$(now)
cat_s=$(echo "$t1 - $t0" | bc -l)
t0=$(now)
"$out/piimap" scan "$out/corpus-$mb" --workers "$workers" --format json --output "$out/report.json" --fail-on never --quiet
t1=$(now)
scan_s=$(echo "$t1 - $t0" | bc -l)
rss=$(go run ./scripts/maxrss "$out/piimap" scan "$out/corpus-$mb" --workers "$workers" --format json --output /dev/null --fail-on never --quiet)
mbs=$(echo "$bytes / 1048576 / $scan_s" | bc -l)
printf 'corpus: %d MB in 4 files (%s)\n' "$((bytes / 1048576))" "$out/corpus-$mb"
printf 'cat:    %6.2f s\n' "$cat_s"
printf 'piimap: %6.2f s  = %.0f MB/s with %d workers (%.0f MB/s per worker), peak RSS %s MB\n' \
  "$scan_s" "$mbs" "$workers" "$(echo "$mbs / $workers" | bc -l)" "$rss"
printf 'cpu: %s, %d cores\n' "$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')" "$(nproc)"
