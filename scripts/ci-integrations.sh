#!/usr/bin/env bash
# The commands the GitHub Action (action.yml) and the pre-commit hook
# (.pre-commit-hooks.yaml) run, in one place so that CI exercises exactly
# them (scripts/ci-integrations-test.sh, run by .ci/run).
#
#   ci-integrations.sh action        scan, then SARIF and Markdown from the report;
#                                    exits with the scan's exit code
#   ci-integrations.sh pre-commit F… scan the staged files F…
#
# The action reads its inputs from the environment:
#   PIIMAP            the piimap binary (default: piimap on PATH)
#   PIIMAP_TARGETS    what to scan (default: .), split on spaces
#   PIIMAP_DECLARED   declaration (default: piimap.yaml when it exists)
#   PIIMAP_BASELINE   baseline file (optional)
#   PIIMAP_OUT        directory for piimap.json, piimap.sarif, piimap.md (default: .)
#   PIIMAP_FAIL_ON, PIIMAP_FAIL_CONFIDENCE, PIIMAP_FINGERPRINT_KEY: as for piimap scan
set -uo pipefail
piimap=${PIIMAP:-piimap}

case "${1:-}" in
action)
  out=${PIIMAP_OUT:-.}
  mkdir -p "$out"
  args=(scan --format json --output "$out/piimap.json" --progress never)
  decl=${PIIMAP_DECLARED:-}
  if [ -z "$decl" ] && [ -f piimap.yaml ]; then decl=piimap.yaml; fi
  common=()
  [ -n "$decl" ] && common+=(--declared "$decl")
  [ -n "${PIIMAP_BASELINE:-}" ] && common+=(--baseline "$PIIMAP_BASELINE")
  # shellcheck disable=SC2206 # targets are split on spaces on purpose
  targets=(${PIIMAP_TARGETS:-.})
  # The scan's exit code decides the job; the other formats are rendered
  # from its JSON report by 'piimap merge' (no second scan).
  # The inputs are passed as flags: unset the variables piimap would also read.
  run() { env -u PIIMAP_DECLARED -u PIIMAP_BASELINE -u PIIMAP_TARGETS "$piimap" "$@"; }
  run "${args[@]}" "${common[@]}" -- "${targets[@]}"
  code=$?
  if [ -s "$out/piimap.json" ]; then
    run merge "$out/piimap.json" "${common[@]}" --format sarif --output "$out/piimap.sarif" --quiet
    run merge "$out/piimap.json" "${common[@]}" --format markdown --output "$out/piimap.md" --quiet
  fi
  echo "piimap: scan exit $code; reports in $out (piimap.json, piimap.sarif, piimap.md)" >&2
  exit "$code"
  ;;
pre-commit)
  shift
  [ $# -eq 0 ] && exit 0
  exec "$piimap" scan --progress never -- "$@"
  ;;
*)
  echo "usage: $0 action | pre-commit FILE..." >&2
  exit 2
  ;;
esac
