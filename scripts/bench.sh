#!/usr/bin/env bash
# Throughput benchmark: generates three log corpora of MB each (4 files;
# default 256 MB): "mixed" (a personal-data line every ~200 lines), "dense"
# (every other line) and "clean" (none), then, on each, times `cat`,
# `piimap scan`, `rg` with a union regex of the shapes piimap looks for and
# `rg '@'`, and prints MB/s of wall time and MB per CPU-second (user +
# system time of the process and its threads), and piimap's peak RSS.
# CPU-seconds are the fair measure on a shared machine: they do not grow
# when other processes take the cores.
#   scripts/bench.sh [MB] [WORKERS]
set -euo pipefail
cd "$(dirname "$0")/.."
mb=${1:-256}
workers=${2:-$(nproc)}
out=bench-out
mkdir -p "$out"
go build -o "$out/piimap" ./cmd/piimap
command -v rg > /dev/null || { echo "bench.sh: rg (ripgrep) not found: apt-get install ripgrep" >&2; exit 2; }
[ -x /usr/bin/time ] || { echo "bench.sh: GNU time (/usr/bin/time) not found" >&2; exit 2; }

# The shapes piimap's detectors look for, as one regex: e-mail addresses,
# 11-digit national ids (with an optional separator), card numbers (13-19
# digits in groups), phone numbers with a country code or 8 digits in
# groups, dotted quads and IPv6 addresses.
union='[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}|\b[0-9]{6}[ -]?[0-9]{5}\b|\b[0-9]{4}([ -]?[0-9]{4}){2,3}[0-9]{0,3}\b|\+[0-9]{2}[ 0-9]{8,12}|\b[0-9]{2,3}( ?[0-9]{2,3}){2,3}\b|\b([0-9]{1,3}\.){3}[0-9]{1,3}\b|\b[0-9A-Fa-f]{1,4}(:[0-9A-Fa-f]{0,4}){2,7}\b'

declare -A every=([mixed]=200 [dense]=2 [clean]=0)
printf '%-6s %-12s %8s %8s %10s %12s %9s\n' corpus tool wall_s cpu_s MB/s MB/cpu-s peak_MB
for corpus in mixed dense clean; do
  dir="$out/corpus-$corpus-$mb"
  if [ ! -f "$dir/.done" ]; then
    rm -rf "$dir"
    go run ./scripts/gencorpus -mb "$mb" -files 4 -pii-every "${every[$corpus]}" -out "$dir"
    touch "$dir/.done"
  fi
  bytes=$(cat "$dir"/*.log | wc -c)
  cat "$dir"/*.log > /dev/null # warm the page cache
  run() { # name, command...: one line of the table
    local name=$1
    shift
    local m
    # rg exits 1 when nothing matches (the clean corpus has no '@'): only
    # the figures matter here.
    m=$({ /usr/bin/time -f '%e %U %S %M' "$@" 2>&1 > /dev/null || true; } | tail -1)
    read -r wall user sys rss <<< "$m"
    awk -v c="$corpus" -v n="$name" -v b="$bytes" -v w="$wall" -v u="$user" -v s="$sys" -v r="$rss" 'BEGIN {
      cpu = u + s; mbs = b / 1048576
      printf "%-6s %-12s %8.2f %8.2f %10.0f %12s %9.0f\n", c, n, w, cpu, (w > 0 ? mbs / w : 0), (cpu > 0 ? sprintf("%.0f", mbs / cpu) : "-"), r / 1024 }'
  }
  run cat cat "$dir"/app-00.log "$dir"/app-01.log "$dir"/app-02.log "$dir"/app-03.log
  # Each tool twice, interleaved, so that load from other processes falls
  # on both alike.
  for _ in 1 2; do
    run piimap "$out/piimap" scan "$dir" --workers "$workers" --format json --output /dev/null --fail-on never --quiet
    run "rg union" rg -c -j "$workers" -e "$union" "$dir"
    run "rg @" rg -c -j "$workers" '@' "$dir"
  done
done
printf 'workers: %d; cpu: %s, %d cores\n' "$workers" "$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')" "$(nproc)"
