package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/piimap/piimap/detectors"
	"github.com/piimap/piimap/report"
)

// validFnr returns the n-th valid fødselsnummer born 15.03.1987, built with
// the two MOD11 control digits.
func validFnr(t *testing.T, n int) string {
	t.Helper()
	k1 := []byte{3, 7, 6, 1, 8, 9, 4, 5, 2}
	k2 := []byte{5, 4, 3, 2, 7, 6, 5, 4, 3, 2}
	for ind := 100; ind < 500; ind++ {
		p := []byte(fmt.Sprintf("150387%03d", ind))
		c1, ok1 := detectors.Mod11CheckDigit(p, k1)
		if !ok1 {
			continue
		}
		p = append(p, c1)
		c2, ok2 := detectors.Mod11CheckDigit(p, k2)
		if !ok2 {
			continue
		}
		if n == 0 {
			return string(append(p, c2))
		}
		n--
	}
	t.Fatal("no fødselsnummer")
	return ""
}

// TestBaselineByValue is the acceptance test of exact baselines: one
// fødselsnummer appended to a baselined file fails the run (exit 1) and the
// finding shows one new value; the same values under a new file name stay
// accepted; a value accepted once stays accepted when repeated.
func TestBaselineByValue(t *testing.T) {
	tree := t.TempDir()
	logs := filepath.Join(tree, "logs")
	os.MkdirAll(logs, 0o755)
	log := filepath.Join(logs, "kyc.log")
	line := func(fnr string) string { return "2026-03-03T10:00:00 ERROR kyc: lookup failed for fnr=" + fnr + "\n" }
	os.WriteFile(log, []byte(line(validFnr(t, 0))), 0o644)
	work := t.TempDir()
	keyFile := filepath.Join(work, "project.key")
	base := filepath.Join(work, "baseline.json")
	t.Setenv(KeyEnv, "")

	code, _, stderr := runCLI(t, "scan", tree, "--fingerprint-key-file", keyFile, "--write-baseline", base, "-f", "json", "-q")
	if code != report.ExitFindings {
		t.Fatalf("first run: exit %d: %s", code, stderr)
	}
	if st, err := os.Stat(keyFile); err != nil || st.Mode().Perm() != 0o600 {
		t.Fatalf("key file not created owner-only: %v %v", st, err)
	}
	if !strings.Contains(stderr, "created the fingerprint key") {
		t.Errorf("no note about the new key: %s", stderr)
	}
	data, _ := os.ReadFile(base)
	var b report.Baseline
	if err := json.Unmarshal(data, &b); err != nil || b.Schema != report.BaselineSchema || b.KeyID == "" || len(b.Findings) != 1 || len(b.Findings[0].Values) != 1 {
		t.Fatalf("baseline %v:\n%s", err, data)
	}
	key, _ := os.ReadFile(keyFile)
	for _, leak := range []string{validFnr(t, 0), strings.TrimSpace(string(key))} {
		if strings.Contains(string(data), leak) {
			t.Errorf("baseline holds %q", leak)
		}
	}

	scan := func(wantCode int) *report.Report {
		t.Helper()
		out := filepath.Join(work, "r.json")
		code, _, stderr := runCLI(t, "scan", tree, "--fingerprint-key-file", keyFile, "--baseline", base, "-f", "json", "-o", out, "-q")
		if code != wantCode {
			t.Fatalf("exit %d, want %d: %s", code, wantCode, stderr)
		}
		r, err := report.ReadJSON(out)
		if err != nil {
			t.Fatal(err)
		}
		return r
	}
	r := scan(report.ExitOK)
	if len(r.Findings) != 1 || r.Findings[0].Verdict != report.Ignored || r.Findings[0].Reason != "baseline" {
		t.Fatalf("unchanged file: %+v", r.Findings)
	}

	// The same value again is not new.
	f, _ := os.OpenFile(log, os.O_APPEND|os.O_WRONLY, 0)
	f.WriteString(line(validFnr(t, 0)))
	f.Close()
	scan(report.ExitOK)

	// One new fødselsnummer: exit 1, one new value.
	f, _ = os.OpenFile(log, os.O_APPEND|os.O_WRONLY, 0)
	f.WriteString(line(validFnr(t, 1)))
	f.Close()
	r = scan(report.ExitFindings)
	if len(r.Findings) != 1 {
		t.Fatalf("findings %+v", r.Findings)
	}
	got := r.Findings[0]
	if got.Verdict != report.Undeclared || got.NewValues != 1 || !got.Failing || !strings.Contains(got.Reason, "1 new value not in the baseline") || got.Count != 3 {
		t.Errorf("appended value: %+v", got)
	}
	code, table, _ := runCLI(t, "scan", tree, "--fingerprint-key-file", keyFile, "--baseline", base)
	if code != report.ExitFindings || !strings.Contains(table, "1 new") {
		t.Errorf("table does not show the new value (exit %d):\n%s", code, table)
	}
	// Declared, the same finding is no news: the baseline holds only what
	// would fail, and a declared finding shows no new values.
	decl := filepath.Join(work, "piimap.yaml")
	os.WriteFile(decl, []byte("declared:\n  national_id: {}\n"), 0o644)
	code, out, _ := runCLI(t, "scan", tree, "--declared", decl, "--fingerprint-key-file", keyFile, "--baseline", base, "-f", "json", "-q")
	var dr report.Report
	if err := json.Unmarshal([]byte(out), &dr); err != nil || code != report.ExitOK || len(dr.Findings) != 1 ||
		dr.Findings[0].Verdict != report.Declared || dr.Findings[0].NewValues != 0 {
		t.Errorf("declared: exit %d, %+v (%v); want declared without new values", code, dr.Findings, err)
	}

	// Renamed with the accepted values only: still accepted (the baseline is by value).
	os.WriteFile(log, []byte(line(validFnr(t, 0))), 0o644)
	if err := os.Rename(log, filepath.Join(logs, "kyc-2026-03.log")); err != nil {
		t.Fatal(err)
	}
	r = scan(report.ExitOK)
	if len(r.Findings) != 1 || r.Findings[0].Verdict != report.Ignored || !strings.Contains(r.Findings[0].Reason, "another location") {
		t.Errorf("renamed file: %+v", r.Findings)
	}

	// Another key cannot read the baseline: a clear usage error.
	t.Setenv(KeyEnv, "another key of enough length")
	code, _, stderr = runCLI(t, "scan", tree, "--baseline", base, "-q")
	if code != report.ExitUsage || !strings.Contains(stderr, "fingerprint key") {
		t.Errorf("other key: exit %d: %s", code, stderr)
	}
}

// TestBaselineWithoutKeyWarns: a report scanned without a fingerprint key
// carries no value fingerprints; 'piimap baseline' says its baseline
// accepts locations only.
func TestBaselineWithoutKeyWarns(t *testing.T) {
	t.Setenv(KeyEnv, "")
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "a.log"), []byte("fnr="+validFnr(t, 2)+"\n"), 0o644)
	rep := filepath.Join(t.TempDir(), "r.json")
	runCLI(t, "scan", dir, "--fingerprint-key-file", filepath.Join(t.TempDir(), "none.key"), "-f", "json", "-o", rep, "-q")
	r, err := report.ReadJSON(rep)
	if err != nil {
		t.Fatal(err)
	}
	if r.ValueKeyID != "" || len(r.Findings) != 1 || len(r.Findings[0].Values) != 0 {
		t.Fatalf("scan without a key: key id %q, findings %+v", r.ValueKeyID, r.Findings)
	}
	code, out, stderr := runSub(t, "baseline", rep)
	if code != 0 || !strings.Contains(stderr, "accepts locations, not values") || !strings.Contains(out, report.BaselineSchema) {
		t.Errorf("exit %d, stderr %q", code, stderr)
	}
	// With the key in the environment, the report carries value fingerprints.
	t.Setenv(KeyEnv, "a project key of thirty-two bytes")
	runCLI(t, "scan", dir, "-f", "json", "-o", rep, "-q")
	r, _ = report.ReadJSON(rep)
	if r.ValueKeyID == "" || len(r.Findings) != 1 || len(r.Findings[0].Values) != 1 {
		t.Errorf("scan with a key: key id %q, findings %+v", r.ValueKeyID, r.Findings)
	}
	// A key too short to be a secret is refused.
	t.Setenv(KeyEnv, "short")
	if code, _, stderr := runCLI(t, "scan", dir, "-q"); code != report.ExitUsage || !strings.Contains(stderr, "at least 16") {
		t.Errorf("short key: exit %d: %s", code, stderr)
	}
}

// TestKeyFileNotScanned: a fingerprint key file inside the scanned tree is
// skipped like the declaration, whatever it holds.
func TestKeyFileNotScanned(t *testing.T) {
	tree := t.TempDir()
	keyFile := filepath.Join(tree, "team.key")
	os.WriteFile(keyFile, []byte("fnr "+validFnr(t, 0)+" as key material\n"), 0o600)
	t.Setenv(KeyEnv, "")
	code, out, stderr := runCLI(t, "scan", tree, "--fingerprint-key-file", keyFile, "-f", "json", "-q")
	var r report.Report
	if err := json.Unmarshal([]byte(out), &r); err != nil {
		t.Fatalf("exit %d: %v: %s", code, err, stderr)
	}
	if code != report.ExitOK || len(r.Findings) != 0 || r.SkipCounts["piimap configuration (declaration or rules file)"] != 1 {
		t.Errorf("exit %d, findings %+v, skipped %v; want the key file skipped", code, r.Findings, r.SkipCounts)
	}
}
