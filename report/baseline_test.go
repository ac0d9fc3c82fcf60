package report

import (
	"bytes"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

func TestBaselineRoundTrip(t *testing.T) {
	r := sampleReport(t, Options{})
	b := NewBaseline(r, time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC))
	// Everything but the declared findings is accepted.
	var want []string
	for _, f := range r.Findings {
		if f.Verdict != Declared {
			want = append(want, f.Fingerprint)
		}
	}
	slices.Sort(want)
	if !slices.Equal(b.Fingerprints, want) {
		t.Errorf("baseline %v, want %v", b.Fingerprints, want)
	}
	var buf bytes.Buffer
	if err := WriteBaseline(&buf, b); err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	path := filepath.Join(dir, "baseline.json")
	if err := os.WriteFile(path, buf.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	set, err := LoadBaseline(path)
	if err != nil {
		t.Fatal(err)
	}
	if len(set) != len(want) {
		t.Errorf("loaded %d fingerprints, want %d", len(set), len(want))
	}
	// Judged again with the baseline, nothing fails and declared stays declared.
	again := sampleReport(t, Options{Baseline: set})
	if again.Summary.Failing != 0 {
		t.Errorf("with its own baseline: %d failing", again.Summary.Failing)
	}
	if again.Summary.Verdicts[Declared] != r.Summary.Verdicts[Declared] {
		t.Errorf("declared %d, want %d", again.Summary.Verdicts[Declared], r.Summary.Verdicts[Declared])
	}
	if again.Summary.ExitCode != ExitUnread { // the sample has an unreadable file
		t.Errorf("exit %d", again.Summary.ExitCode)
	}

	// A whole JSON report is a baseline too, with the same fingerprints.
	buf.Reset()
	if err := RenderJSON(&buf, r); err != nil {
		t.Fatal(err)
	}
	fromReport, err := ParseBaseline("report.json", buf.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	if len(fromReport) != len(set) {
		t.Errorf("report as baseline: %d fingerprints, want %d", len(fromReport), len(set))
	}
	for fp := range set {
		if !fromReport[fp] {
			t.Errorf("report as baseline lacks %s", fp)
		}
	}
}

func TestBaselineErrors(t *testing.T) {
	for _, tc := range []struct{ doc, want string }{
		{`not json`, "not JSON"},
		{`{"fingerprints":["pm1:a"]}`, "no \"schema\""},
		{`{"schema":"other/v1"}`, "schema \"other/v1\""},
		{`{"schema":"piimap.baseline/v1","fingerprints":[""]}`, "empty"},
		{`{"schema":"piimap.baseline/v1","fingerprints":"x"}`, "baseline b.json"},
	} {
		_, err := ParseBaseline("b.json", []byte(tc.doc))
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: error %v, want %q", tc.doc, err, tc.want)
		}
	}
	if _, err := LoadBaseline(filepath.Join(t.TempDir(), "missing.json")); err == nil {
		t.Error("missing file accepted")
	}
}
