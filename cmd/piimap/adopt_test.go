package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"runtime/debug"
	"slices"
	"strings"
	"testing"

	"github.com/piimap/piimap/internal/testdb"
	"github.com/piimap/piimap/report"
)

func TestVersion(t *testing.T) {
	code, out, _ := runCLI(t, "--version")
	if code != 0 || !strings.HasPrefix(out, "piimap ") || !strings.Contains(out, "module github.com/piimap/piimap") {
		t.Errorf("--version: exit %d: %q", code, out)
	}
	code, out2, _ := runCLI(t, "version")
	if code != 0 || out2 != out {
		t.Errorf("version: exit %d: %q, want %q", code, out2, out)
	}
	// A release build carries the version set by -ldflags (as goreleaser does).
	bin := filepath.Join(t.TempDir(), "piimap")
	if b, err := exec.Command("go", "build", "-ldflags", "-X main.version=v9.8.7", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("build: %v\n%s", err, b)
	}
	b, err := exec.Command(bin, "--version").Output()
	if err != nil || !strings.HasPrefix(string(b), "piimap v9.8.7 (module github.com/piimap/piimap") {
		t.Errorf("release build --version: %q %v", b, err)
	}
	// The VCS revision and time go build records (a clone, not a worktree).
	bi := &debug.BuildInfo{GoVersion: "go1.26.8", Main: debug.Module{Path: "github.com/piimap/piimap", Version: "v1.2.0"},
		Settings: []debug.BuildSetting{{Key: "vcs.revision", Value: "3f9a0c1d2e4b5a6978"}, {Key: "vcs.time", Value: "2026-05-04T10:00:00Z"}, {Key: "vcs.modified", Value: "true"}}}
	got := versionFrom("dev", bi)
	if !strings.HasPrefix(got, "piimap v1.2.0 (module github.com/piimap/piimap v1.2.0, commit 3f9a0c1d2e4b+dirty, 2026-05-04T10:00:00Z) go1.26.8 ") {
		t.Errorf("versionFrom = %q", got)
	}
}

func TestBareUsageAndHelpTopics(t *testing.T) {
	code, out, _ := runCLI(t)
	if code != 0 || !strings.Contains(out, "Usage: piimap <command>") || !strings.Contains(out, "scan") {
		t.Errorf("bare piimap: exit %d:\n%s", code, out)
	}
	for topic, want := range map[string]string{"baselines": "1 new value", "keys": "Rotating", "sarif": "primaryLocationLineHash", "exit-codes": "3  some locations", "ignore": "piimap:ignore"} {
		code, out, _ := runCLI(t, "help", topic)
		if code != 0 || !strings.Contains(out, want) {
			t.Errorf("help %s: exit %d:\n%s", topic, code, out)
		}
	}
	if code, out, _ := runCLI(t, "help", "databases"); code != 0 || !strings.Contains(out, "--database-budget") || !strings.Contains(out, "may be missed") {
		t.Errorf("help databases: exit %d:\n%s", code, out)
	}
	if code, out, _ := runCLI(t, "help", "scan"); code != 0 || !strings.Contains(out, "--fail-confidence") {
		t.Errorf("help scan: exit %d:\n%s", code, out)
	}
	if code, _, stderr := runCLI(t, "help", "nonsense"); code != 2 || !strings.Contains(stderr, "topics: ") {
		t.Errorf("help nonsense: exit %d: %s", code, stderr)
	}
}

// TestCompletion generates the scripts, checks their syntax with each
// shell, and completes with each for real (zsh in a pseudo-terminal,
// zshComplete). A shell that is not installed skips
// its checks, except in CI (testdb.Required), where it fails.
func TestCompletion(t *testing.T) {
	for _, sh := range []string{"bash", "zsh", "fish"} {
		code, out, stderr := runCLI(t, "completion", sh)
		if code != 0 || !strings.Contains(out, "fail-confidence") || !strings.Contains(out, "sarif") {
			t.Fatalf("completion %s: exit %d %s:\n%s", sh, code, stderr, out)
		}
		path, err := exec.LookPath(sh)
		if err != nil {
			if testdb.Required() {
				t.Errorf("%s not installed: its completion script cannot be checked", sh)
			} else {
				t.Logf("%s not installed: syntax not checked", sh)
			}
			continue
		}
		script := filepath.Join(t.TempDir(), "piimap."+sh)
		if err := os.WriteFile(script, []byte(out), 0o644); err != nil {
			t.Fatal(err)
		}
		if b, err := exec.Command(path, "-n", script).CombinedOutput(); err != nil {
			t.Errorf("%s -n: %v\n%s", sh, err, b)
		}
		switch sh {
		case "zsh":
			b, err := exec.Command(path, "-f", "-c", `autoload -U compinit && compinit -u -D && source "$1" && whence -w _piimap`, "x", script).CombinedOutput()
			if err != nil || !strings.Contains(string(b), "_piimap: function") {
				t.Errorf("zsh: the script does not define _piimap: %v\n%s", err, b)
			}
			for line, want := range map[string]string{
				"piimap sc":             "scan",
				"piimap scan --format ": "csv html json markdown ndjson sarif table",
				"piimap scan --fail-c":  "--fail-confidence",
				"piimap completion ":    "bash fish zsh",
			} {
				if got := zshComplete(t, path, script, line); got != want {
					t.Errorf("zsh: %q<TAB> = %q, want %q", line, got, want)
				}
			}
			continue
		case "fish":
			complete := func(line string) string {
				t.Helper()
				b, err := exec.Command(path, "--no-config", "-c", `source $argv[1]; complete -C$argv[2]`, script, line).CombinedOutput()
				if err != nil {
					t.Fatalf("fish completion: %v\n%s", err, b)
				}
				return string(b)
			}
			if got := complete("piimap sc"); !strings.HasPrefix(got, "scan\t") {
				t.Errorf("fish: piimap sc<TAB> = %q", got)
			}
			if got := complete("piimap scan --format "); !strings.Contains(got, "sarif") || !strings.Contains(got, "markdown") {
				t.Errorf("fish: --format <TAB> = %q", got)
			}
			if got := complete("piimap scan --fail-c"); !strings.HasPrefix(got, "--fail-confidence") {
				t.Errorf("fish: --fail-c<TAB> = %q", got)
			}
			continue
		}
		complete := func(words ...string) []string {
			t.Helper()
			cmd := `source "$1"; shift; COMP_WORDS=("$@"); COMP_CWORD=$(( $# - 1 )); _piimap; printf '%s\n' "${COMPREPLY[@]}"`
			b, err := exec.Command(path, append([]string{"-c", cmd, "x", script}, words...)...).CombinedOutput()
			if err != nil {
				t.Fatalf("bash completion: %v\n%s", err, b)
			}
			return strings.Fields(string(b))
		}
		if got := complete("piimap", "sc"); strings.Join(got, " ") != "scan" {
			t.Errorf("piimap sc<TAB> = %v", got)
		}
		if got := strings.Join(complete("piimap", "scan", "--format", ""), " "); !strings.Contains(got, "sarif") || !strings.Contains(got, "markdown") {
			t.Errorf("--format <TAB> = %v", got)
		}
		if got := strings.Join(complete("piimap", "scan", "--fail-c"), " "); got != "--fail-confidence" {
			t.Errorf("--fail-c<TAB> = %v", got)
		}
		if got := strings.Join(complete("piimap", "completion", ""), " "); got != "bash zsh fish" {
			t.Errorf("completion <TAB> = %v", got)
		}
	}
}

// TestScanStdin: the target "-" scans standard input, named by --stdin-name.
func TestScanStdin(t *testing.T) {
	var out, errb bytes.Buffer
	in := strings.NewReader("2026-03-03 ERROR lookup failed for fnr=15038712486\n")
	code := runWith(context.Background(), []string{"scan", "-", "--stdin-name", "logs/piped.log", "-f", "json"}, in, &out, &errb)
	if code != report.ExitFindings {
		t.Fatalf("exit %d: %s", code, errb.String())
	}
	var r report.Report
	if err := json.Unmarshal(out.Bytes(), &r); err != nil {
		t.Fatal(err)
	}
	if len(r.Findings) != 1 || r.Findings[0].Location != "file:logs/piped.log" || r.Findings[0].Category != "national_id" || r.Summary.Files != 1 {
		t.Errorf("findings %+v, files %d", r.Findings, r.Summary.Files)
	}
	if strings.Contains(out.String(), "15038712486") {
		t.Error("unmasked value in the report")
	}
	// Default name, and nothing to read is no finding.
	out.Reset()
	if code := runWith(context.Background(), []string{"scan", "-", "-f", "json", "-q"}, strings.NewReader("nothing here\n"), &out, &errb); code != 0 || !strings.Contains(out.String(), `"files": 1`) {
		t.Errorf("stdin without findings: exit %d: %s", code, out.String())
	}
}

// TestDiff compares two audits: a finding added, one gone, one changed.
func TestDiff(t *testing.T) {
	tree := copyDemo(t)
	dir := t.TempDir()
	old, cur := filepath.Join(dir, "old.json"), filepath.Join(dir, "new.json")
	decl := filepath.Join(tree, "piimap.yaml")
	runCLI(t, "scan", tree, "-d", decl, "-f", "json", "-o", old, "-q")
	if code, out, _ := runCLI(t, "diff", old, old); code != 0 || !strings.Contains(out, "0 new, 0 gone, 0 changed") {
		t.Errorf("diff of a report with itself: exit %d:\n%s", code, out)
	}
	os.WriteFile(filepath.Join(tree, "logs", "new.log"), []byte("fnr=15038712486\n"), 0o644)
	os.Remove(filepath.Join(tree, "fixtures", "testkort.txt"))
	f, _ := os.OpenFile(filepath.Join(tree, "logs", "access.log"), os.O_APPEND|os.O_WRONLY, 0)
	f.WriteString("10.1.2.3 - - [03/Mar/2026:10:00:00 +0100] \"GET / HTTP/1.1\" 200 1\n")
	f.Close()
	runCLI(t, "scan", tree, "-d", decl, "-f", "json", "-o", cur, "-q")
	code, out, stderr := runCLI(t, "diff", old, cur)
	if code != 1 {
		t.Fatalf("diff: exit %d: %s", code, stderr)
	}
	for _, want := range []string{"1 new, 1 gone, 1 changed", "+ file:logs/new.log  national_id", "- file:fixtures/testkort.txt", "~ file:logs/access.log  ip_address: count 7 → 8"} {
		if !strings.Contains(out, want) {
			t.Errorf("diff lacks %q:\n%s", want, out)
		}
	}
	code, js, _ := runCLI(t, "diff", old, cur, "-f", "json")
	var d report.Diff
	if err := json.Unmarshal([]byte(js), &d); err != nil || code != 1 || len(d.Added) != 1 || len(d.Gone) != 1 || len(d.Changed) != 1 {
		t.Errorf("diff json: exit %d, %v: %s", code, err, js)
	}
	if code, md, _ := runCLI(t, "diff", old, cur, "-f", "markdown"); code != 1 || !strings.Contains(md, "| new | file:logs/new.log | National identity number |") {
		t.Errorf("diff markdown: exit %d:\n%s", code, md)
	}
}

// TestInlineIgnore: a value on a line with a piimap:ignore comment is
// counted as ignored with its reason; the rest of the file still fails.
func TestInlineIgnore(t *testing.T) {
	dir := t.TempDir()
	src := "package fixtures\n\n" +
		"const testFnr = \"15038712486\" // piimap:ignore national_id\n" +
		"const card = \"4111 1111 1111 1111\" // piimap:ignore national_id\n"
	os.WriteFile(filepath.Join(dir, "fixtures.go"), []byte(src), 0o644)
	code, js, stderr := runCLI(t, "scan", dir, "-f", "json", "-q")
	var r report.Report
	if err := json.Unmarshal([]byte(js), &r); err != nil {
		t.Fatalf("exit %d: %v: %s", code, err, stderr)
	}
	var ignored, other int
	for _, f := range r.Findings {
		switch {
		case f.Category == "national_id" && f.Verdict == report.Ignored && f.Reason == report.InlineIgnoreReason && f.Count == 1 && f.InlineIgnored:
			ignored++
		case f.Category == "payment_card" && f.Verdict != report.Ignored:
			other++ // the comment names national_id only
		default:
			t.Errorf("unexpected finding %+v", f)
		}
	}
	if ignored != 1 || other != 1 || r.Summary.Verdicts[report.Ignored] != 1 {
		t.Errorf("ignored %d, other %d, summary %v", ignored, other, r.Summary.Verdicts)
	}
	// With only the ignored line, the scan passes.
	os.WriteFile(filepath.Join(dir, "fixtures.go"), []byte("const testFnr = \"15038712486\" # piimap:ignore\n"), 0o644)
	if code, out, _ := runCLI(t, "scan", dir); code != 0 || !strings.Contains(out, "ignored") {
		t.Errorf("only ignored values: exit %d:\n%s", code, out)
	}
}

// TestOnlyTargetFailed: a scan whose only target cannot be read exits 3
// and no format says "No personal data found".
func TestOnlyTargetFailed(t *testing.T) {
	missing := filepath.Join(t.TempDir(), "gone")
	for _, f := range []string{"table", "markdown", "html"} {
		code, out, _ := runCLI(t, "scan", missing, "-f", f, "-q")
		if code != report.ExitUnread || strings.Contains(out, "No personal data found.") {
			t.Errorf("%s: exit %d:\n%s", f, code, out)
		}
	}
	code, out, _ := runCLI(t, "scan", "postgres://u:secret@127.0.0.1:1/shop?sslmode=disable", "-f", "json", "-q", "--timeout", "2s")
	var r report.Report
	if err := json.Unmarshal([]byte(out), &r); err != nil || code != report.ExitUnread || len(r.Failures) != 1 {
		t.Fatalf("exit %d, %v: %s", code, err, out)
	}
	if loc := r.Failures[0].Location; loc != "postgres://127.0.0.1:1/shop" {
		t.Errorf("failure location %q, want postgres://127.0.0.1:1/shop", loc)
	}
	if strings.Contains(out, "secret") {
		t.Error("password in the report")
	}
}

// TestNoDeclarationNote: without piimap.yaml piimap says so once, with the
// next steps; a piimap.yaml in the scanned directory is used.
func TestNoDeclarationNote(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "a.log"), []byte("mail kari@example.no\n"), 0o644)
	_, _, stderr := runCLI(t, "scan", dir, "-f", "json")
	if strings.Count(stderr, "no declaration") != 1 || !strings.Contains(stderr, "piimap declare") || !strings.Contains(stderr, "--write-baseline") {
		t.Errorf("stderr:\n%s", stderr)
	}
	if _, _, stderr := runCLI(t, "scan", dir, "-f", "json", "-q"); strings.Contains(stderr, "no declaration") {
		t.Errorf("--quiet still notes: %s", stderr)
	}
	os.WriteFile(filepath.Join(dir, "piimap.yaml"), []byte("declared:\n  email: {}\n"), 0o644)
	code, out, stderr := runCLI(t, "scan", dir, "-f", "json")
	var r report.Report
	json.Unmarshal([]byte(out), &r)
	if code != 0 || strings.Contains(stderr, "no declaration") || r.Declaration != filepath.Join(dir, "piimap.yaml") {
		t.Errorf("declaration in the scanned directory: exit %d, declaration %q: %s", code, r.Declaration, stderr)
	}
}

// zshCapture drives an interactive zsh in a pseudo-terminal (zsh/zpty):
// it loads the completion script, types the line and a TAB, and writes
// the matches the completion adds (compadd, wrapped) to a file; a second
// file says that completion has run.
const zshCapture = `zmodload zsh/zpty || exit 3
script=$1 out=$2 line=$3
zpty z zsh -f -i
zpty -w z "PROMPT=''; autoload -U compinit; compinit -u -D"
zpty -w z "source ${(q)script}; compdef _piimap piimap"
zpty -w z "bindkey '^I' complete-word"
zpty -w z "compadd() { if (( \$@[(I)-[OAD]] )); then builtin compadd \"\$@\"; return; fi; local -a __h; builtin compadd -O __h \"\$@\"; (( \$#__h )) && print -rl -- \$__h >> ${(q)out}; builtin compadd \"\$@\" }"
zpty -w z "__captured() { print ok >> ${(q)out}.done }; comppostfuncs=( __captured )"
zpty -w -n z "$line"$'\t'
for i in {1..100}; do [[ -e $out.done ]] && break; sleep 0.1; done
zpty -d z
[[ -e $out.done ]] || exit 2
`

// zshComplete returns the matches zsh offers for line followed by TAB,
// sorted and joined by spaces.
func zshComplete(t *testing.T, zsh, script, line string) string {
	t.Helper()
	dir := t.TempDir()
	capture, out := filepath.Join(dir, "capture.zsh"), filepath.Join(dir, "matches")
	if err := os.WriteFile(capture, []byte(zshCapture), 0o644); err != nil {
		t.Fatal(err)
	}
	if b, err := exec.Command(zsh, "-f", capture, script, out, line).CombinedOutput(); err != nil {
		t.Fatalf("zsh completion of %q: %v\n%s", line, err, b)
	}
	b, _ := os.ReadFile(out)
	matches := strings.Fields(string(b))
	slices.Sort(matches)
	return strings.Join(slices.Compact(matches), " ")
}

// TestFirstSentence: a description is cut at its first full stop, not at
// an abbreviation's ("e.g. the shards" stays whole).
func TestFirstSentence(t *testing.T) {
	for in, want := range map[string]string{
		"Combine JSON reports (e.g. the shards of a scan) into one. More.": "Combine JSON reports (e.g. the shards of a scan) into one",
		"Scan targets. Paths and URLs.":                                    "Scan targets",
		"One sentence only.":                                               "One sentence only",
		"i.e. this. Then that":                                             "i.e. this",
	} {
		if got := firstSentence(in); got != want {
			t.Errorf("firstSentence(%q) = %q, want %q", in, got, want)
		}
	}
}
