package main

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/alecthomas/kong"

	"github.com/piimap/piimap/report"
)

// subCLI holds the commands these tests drive that main.go's CLI may not
// list yet; runSub runs them through run once CLI has them, and until then
// parses and runs them the way run does.
type subCLI struct {
	Merge    MergeCmd    `cmd:""`
	Baseline BaselineCmd `cmd:""`
}

func runSub(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	if len(args) > 0 {
		field := strings.ToUpper(args[0][:1]) + args[0][1:]
		if _, wired := reflect.TypeOf(CLI{}).FieldByName(field); wired {
			return runCLI(t, args...)
		}
	}
	var out, errb bytes.Buffer
	var cli subCLI
	parser, err := kong.New(&cli, kong.Writers(&out, &errb), kong.Name("piimap"), kong.Exit(func(code int) { panic(exitPanic(code)) }))
	if err != nil {
		t.Fatal(err)
	}
	code := func() (code int) {
		defer func() {
			if r := recover(); r != nil {
				c, ok := r.(exitPanic)
				if !ok {
					panic(r)
				}
				code = int(c)
			}
		}()
		kctx, err := parser.Parse(args)
		if err != nil {
			errb.WriteString(err.Error())
			return report.ExitUsage
		}
		env := &Env{Ctx: context.Background(), Stdout: &out, Stderr: &errb, Version: "test", Logger: newLogger(&errb, "warn")}
		err = kctx.Run(env)
		var ee *exitError
		switch {
		case errors.As(err, &ee):
			if ee.err != nil {
				errb.WriteString(ee.err.Error())
			}
			return ee.code
		case err != nil:
			errb.WriteString(err.Error())
			return report.ExitUsage
		}
		return 0
	}()
	return code, out.String(), errb.String()
}

// copyDemo copies the demo tree to a temp dir, so that a test can add files.
func copyDemo(t *testing.T) string {
	t.Helper()
	dst := filepath.Join(t.TempDir(), "demo")
	if err := os.CopyFS(dst, os.DirFS(demo)); err != nil {
		t.Fatal(err)
	}
	return dst
}

// TestBaselineSecondRunPasses: the demo fails (exit 1); run again with the
// baseline written by the first run, it passes (exit 0); a new leak added
// afterwards fails again, alone.
func TestBaselineSecondRunPasses(t *testing.T) {
	tree := copyDemo(t)
	decl := filepath.Join(tree, "piimap.yaml")
	dir := t.TempDir()
	first, base := filepath.Join(dir, "first.json"), filepath.Join(dir, "baseline.json")

	code, _, stderr := runCLI(t, "scan", tree, "-d", decl, "-f", "json", "-o", first, "--write-baseline", base)
	if code != report.ExitFindings {
		t.Fatalf("first run: exit %d, want 1: %s", code, stderr)
	}
	r1, err := report.ReadJSON(first)
	if err != nil {
		t.Fatal(err)
	}
	if st, err := os.Stat(base); err != nil || st.Mode().Perm() != 0o600 {
		t.Fatalf("baseline file: %v %v", st, err)
	}

	second := filepath.Join(dir, "second.json")
	code, _, stderr = runCLI(t, "scan", tree, "-d", decl, "-f", "json", "-o", second, "--baseline", base)
	if code != report.ExitOK {
		t.Fatalf("second run with the baseline: exit %d, want 0: %s", code, stderr)
	}
	r2, err := report.ReadJSON(second)
	if err != nil {
		t.Fatal(err)
	}
	if r2.Baseline != base || r2.Summary.Failing != 0 || len(r2.Findings) != len(r1.Findings) {
		t.Errorf("second run: baseline %q, failing %d, %d findings (first %d)", r2.Baseline, r2.Summary.Failing, len(r2.Findings), len(r1.Findings))
	}
	before := map[string]string{}
	for _, f := range r1.Findings {
		before[f.Fingerprint] = f.Verdict
	}
	for _, f := range r2.Findings {
		switch was := before[f.Fingerprint]; {
		case was == report.Undeclared || was == report.Misplaced:
			if f.Verdict != report.Ignored || f.Reason != "baseline" {
				t.Errorf("%s was %s: now %s (%s), want ignored by the baseline", f.Location, was, f.Verdict, f.Reason)
			}
		case f.Verdict != was:
			t.Errorf("%s changed from %s to %s", f.Location, was, f.Verdict)
		}
	}

	// The report itself, and a baseline made by 'piimap baseline', work the same.
	code, _, stderr = runCLI(t, "scan", tree, "-d", decl, "-f", "json", "--baseline", first, "-q")
	if code != report.ExitOK {
		t.Errorf("report as baseline: exit %d: %s", code, stderr)
	}
	base2 := filepath.Join(dir, "baseline2.json")
	if code, _, stderr := runSub(t, "baseline", first, "-o", base2); code != 0 {
		t.Fatalf("piimap baseline: exit %d: %s", code, stderr)
	}
	b1, _ := os.ReadFile(base)
	b2, _ := os.ReadFile(base2)
	fp1, _ := report.ParseBaseline("1", b1)
	fp2, _ := report.ParseBaseline("2", b2)
	if fp1.Len() == 0 || fp1.Len() != fp2.Len() || fp1.KeyID == "" || fp1.KeyID != fp2.KeyID {
		t.Errorf("--write-baseline gave %d fingerprints (key %q), piimap baseline %d (key %q)", fp1.Len(), fp1.KeyID, fp2.Len(), fp2.KeyID)
	}

	// A new leak is not in the baseline: it alone fails. (The demo's own
	// fødselsnummer in a new file would stay accepted: baselines accept
	// values.)
	leak := "2026-03-03T10:00:00 ERROR kyc: lookup failed for fnr=" + validFnr(t, 7) + "\n"
	if err := os.WriteFile(filepath.Join(tree, "logs", "new.log"), []byte(leak), 0o644); err != nil {
		t.Fatal(err)
	}
	third := filepath.Join(dir, "third.json")
	code, _, stderr = runCLI(t, "scan", tree, "-d", decl, "-f", "json", "-o", third, "--baseline", base)
	if code != report.ExitFindings {
		t.Fatalf("new leak with the baseline: exit %d, want 1: %s", code, stderr)
	}
	r3, _ := report.ReadJSON(third)
	if r3.Summary.Failing != 1 {
		t.Errorf("%d failing, want only the new leak", r3.Summary.Failing)
	}
	for _, f := range r3.Findings {
		if report.Failing(f.Verdict, "undeclared") && f.Location != "file:logs/new.log" {
			t.Errorf("old finding fails again: %s %s", f.Location, f.Verdict)
		}
	}
}

func TestBaselineUsageErrors(t *testing.T) {
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.json")
	os.WriteFile(bad, []byte(`{"schema":"nope"}`), 0o600)
	if code, _, stderr := runCLI(t, "scan", demo, "--baseline", bad, "-q"); code != report.ExitUsage || !strings.Contains(stderr, "bad.json") {
		t.Errorf("bad baseline: exit %d, stderr %q", code, stderr)
	}
	if code, _, _ := runCLI(t, "scan", demo, "--baseline", filepath.Join(dir, "missing.json"), "-q"); code != report.ExitUsage {
		t.Errorf("missing baseline: exit %d, want 2", code)
	}
	if code, _, _ := runSub(t, "baseline", bad); code != report.ExitUsage {
		t.Errorf("piimap baseline of a non-report: exit %d, want 2", code)
	}
	// To stdout.
	rep := filepath.Join(dir, "r.json")
	runCLI(t, "scan", demo, "-d", demo+"/piimap.yaml", "-f", "json", "-o", rep, "-q")
	code, out, _ := runSub(t, "baseline", rep)
	if code != 0 || !strings.Contains(out, report.BaselineSchema) || !strings.Contains(out, "pm1:") {
		t.Errorf("baseline to stdout: exit %d:\n%s", code, out)
	}
}
