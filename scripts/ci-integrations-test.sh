#!/usr/bin/env bash
# Exercises the GitHub Action and the pre-commit hook in CI (.ci/run): it runs
# scripts/ci-integrations.sh exactly as action.yml runs it, and the entry of
# .pre-commit-hooks.yaml on the staged files of a throwaway Git repository,
# and checks exit codes and reports. Needs go, git and python3.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail() { echo "ci-integrations: FAIL: $*" >&2; exit 1; }

# The Action builds piimap from its own checkout, as action.yml does.
(cd "$root" && go build -trimpath -o "$work/bin/piimap" ./cmd/piimap)
export PATH="$work/bin:$PATH"

# action.yml must call the script this test runs.
grep -q 'scripts/ci-integrations.sh" action' "$root/action.yml" || fail "action.yml does not run scripts/ci-integrations.sh action"
# The upload step must depend on the scan step's own word that the SARIF file
# exists: hashFiles() cannot see files under runner.temp.
grep -q "steps.scan.outputs.sarif == 'true'" "$root/action.yml" || fail "action.yml uploads SARIF on a condition that cannot see runner.temp"
grep -q 'hashFiles(format' "$root/action.yml" && fail "action.yml uses hashFiles() on runner.temp"

echo "ci-integrations: the Action on the demo"
cp -r "$root/testdata/demo" "$work/repo"
set +e
(cd "$work/repo" && PIIMAP="$work/bin/piimap" PIIMAP_TARGETS="." PIIMAP_OUT="$work/out" "$root/scripts/ci-integrations.sh" action)
code=$?
set -e
[ "$code" = 1 ] || fail "action on the demo exited $code, want 1 (undeclared findings)"
[ -s "$work/out/piimap.json" ] || fail "no JSON report"
python3 - "$work/out/piimap.sarif" <<'PY' || fail "SARIF"
import json, sys
d = json.load(open(sys.argv[1]))
assert d["version"] == "2.1.0", d["version"]
res = d["runs"][0]["results"]
assert res, "no results"
for r in res:
    assert r["partialFingerprints"]["primaryLocationLineHash"], r
    assert r["level"] in ("error", "warning", "note"), r["level"]
    assert r["properties"]["verdict"] in ("undeclared", "misplaced"), r["properties"]["verdict"]
PY
grep -q "Failing the run" "$work/out/piimap.md" || fail "Markdown comment lacks the failing findings"

echo "ci-integrations: the Action with a baseline passes"
(cd "$work/repo" && piimap scan . --write-baseline "$work/baseline.json" -q --progress never >/dev/null) || true
set +e
(cd "$work/repo" && PIIMAP_BASELINE="$work/baseline.json" PIIMAP_OUT="$work/out2" "$root/scripts/ci-integrations.sh" action)
code=$?
set -e
[ "$code" = 0 ] || fail "action with the baseline exited $code, want 0"

echo "ci-integrations: the pre-commit hook on staged files"
entry=$(python3 - "$root/.pre-commit-hooks.yaml" <<'PY'
import sys, re
for line in open(sys.argv[1]):
    m = re.match(r"\s*entry:\s*(.+)$", line)
    if m:
        print(m.group(1).strip())
        break
PY
)
[ -n "$entry" ] || fail "no entry in .pre-commit-hooks.yaml"
hook_cmd=$(sed -n 's/.*exec "\$piimap" \(scan .*\) "\$@"/piimap \1/p' "$root/scripts/ci-integrations.sh")
[ "$entry" = "$hook_cmd" ] || fail "the hook entry ($entry) differs from ci-integrations.sh pre-commit ($hook_cmd)"
git init -q "$work/hook"
cd "$work/hook"
git config user.email ci@example.invalid
git config user.name ci
echo "hello" > clean.txt
printf 'kunde fnr=15038712486\n' > leak.log
git add clean.txt
staged() { git diff --cached --name-only --diff-filter=ACMR; }
# shellcheck disable=SC2086 # the entry is a command line
$entry $(staged) >/dev/null || fail "hook failed on a clean staged file"
"$root/scripts/ci-integrations.sh" pre-commit $(staged) >/dev/null || fail "script failed on a clean staged file"
git add leak.log
set +e
$entry $(staged) >"$work/hook.out"
code=$?
set -e
[ "$code" = 1 ] || fail "hook on a staged fødselsnummer exited $code, want 1"
grep -q "file:leak.log" "$work/hook.out" || fail "hook output does not name leak.log"
if grep -q 15038712486 "$work/hook.out"; then fail "hook output shows the value"; fi
echo "ci-integrations: ok"
