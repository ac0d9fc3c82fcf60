#!/usr/bin/env bash
# Real-world precision benchmark: scans real public text that nobody here
# wrote and that every Debian machine with this project's dependencies has
# (/usr/share/doc, /usr/share/common-licenses, the Go module cache without
# its download cache), and prints the number of findings per category and
# confidence. On such text nearly every finding is noise: the figures at
# medium and high are what a user's CI would fail on.
#   scripts/realworld.sh            # the table
#   scripts/realworld.sh sample N   # also write N findings per corpus to label (bench-out/realworld/)
set -euo pipefail
cd "$(dirname "$0")/.."
out=bench-out/realworld
mkdir -p "$out"
go build -o "$out/piimap" ./cmd/piimap
gomod=$(go env GOMODCACHE)
declare -A roots=([doc]=/usr/share/doc [licenses]=/usr/share/common-licenses [gomod]="$gomod")
reports=()
for c in doc licenses gomod; do
  root=${roots[$c]}
  [ -d "$root" ] || { echo "realworld: $root missing, skipped" >&2; continue; }
  t0=$(date +%s.%N)
  # Exit 1 (failing verdicts) and 3 (unreadable files: the module cache holds
  # deliberately corrupt test archives) are expected here.
  "$out/piimap" scan "$root" --exclude 'cache' --format json --output "$out/$c.json" --fail-on never --quiet || [ $? -eq 3 ]
  t1=$(date +%s.%N)
  printf 'scanned %-8s %s in %.1f s\n' "$c" "$root" "$(echo "$t1 - $t0" | bc -l)"
  reports+=("$c=$out/$c.json")
done
go run ./scripts/realworld "${reports[@]}"
if [ "${1:-}" = sample ]; then
  go run ./scripts/realworld -sample "${2:-100}" -roots "doc=/usr/share/doc,licenses=/usr/share/common-licenses,gomod=$gomod" "${reports[@]}" > "$out/sample.tsv"
  echo "wrote $out/sample.tsv: label each row (yes/no) by reading its lines, then add it to testdata/realworld/sample.tsv"
fi
