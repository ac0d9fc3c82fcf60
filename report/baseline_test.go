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
	var got []string
	for _, e := range b.Findings {
		got = append(got, e.Fingerprint)
	}
	slices.Sort(got)
	if !slices.Equal(got, want) {
		t.Errorf("baseline %v, want %v", got, want)
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
	if set.Len() != len(want) {
		t.Errorf("loaded %d fingerprints, want %d", set.Len(), len(want))
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
	if fromReport.Len() != set.Len() {
		t.Errorf("report as baseline: %d fingerprints, want %d", fromReport.Len(), set.Len())
	}
	for _, fp := range want {
		if !fromReport.Has(fp) {
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

// TestBaselineCheckByValue: a baseline accepts values, not places.
func TestBaselineCheckByValue(t *testing.T) {
	set := NewBaselineSet("k1", []BaselineFinding{
		{Fingerprint: "pm1:a", Location: "file:a.log", Category: "national_id", Count: 2, Values: []string{"v1", "v2"}},
		{Fingerprint: "pm1:col", Location: "postgres://h/db/public.t.name", Category: "name", Count: 10},
		{Fingerprint: "pm1:big", Location: "file:big.log", Category: "phone", Count: 100, Values: []string{"p1"}, ValuesTruncated: true},
		{Fingerprint: "pm1:doc", Location: "file:eksport.json", Category: "email", Count: 4},
	})
	for _, tc := range []struct {
		name     string
		f        Finding
		accepted bool
		newVals  int64
		reason   string
	}{
		{"same values", Finding{Fingerprint: "pm1:a", Category: "national_id", Count: 5, Values: []string{"v1", "v2"}}, true, 0, "baseline"},
		{"one appended", Finding{Fingerprint: "pm1:a", Category: "national_id", Count: 3, Values: []string{"v1", "v2", "v3"}}, false, 1, "1 new value not in the baseline"},
		{"renamed", Finding{Fingerprint: "pm1:b", Category: "national_id", Count: 2, Values: []string{"v1", "v2"}}, true, 0, "baseline: every value accepted at another location"},
		{"other category", Finding{Fingerprint: "pm1:c", Category: "phone", Count: 1, Values: []string{"v1"}}, false, 1, "1 new value not in the baseline"},
		{"new place, new values", Finding{Fingerprint: "pm1:d", Category: "national_id", Count: 2, Values: []string{"x", "y"}}, false, 2, "2 new values not in the baseline"},
		{"no values, known place", Finding{Fingerprint: "pm1:col", Category: "name", Count: 12}, true, 0, "baseline"},
		{"no values, new place", Finding{Fingerprint: "pm1:zz", Category: "name", Count: 12}, false, 0, ""},
		// A document accepted whole, now read by key path.
		{"no values, a key path of a file accepted whole", Finding{Fingerprint: "pm1:k", Location: "file:eksport.json#kunder[].epost", Category: "email", Count: 4}, true, 0, "baseline: accepted for the whole file file:eksport.json"},
		{"no values, a key path, another category", Finding{Fingerprint: "pm1:k2", Location: "file:eksport.json#kunder[].tlf", Category: "phone", Count: 4}, false, 0, ""},
		{"no values, a column of another file", Finding{Fingerprint: "pm1:k3", Location: "file:other.json#epost", Category: "email", Count: 4}, false, 0, ""},
		{"values, a key path of a file accepted whole by location", Finding{Fingerprint: "pm1:k4", Location: "file:eksport.json#kunder[].epost", Category: "email", Count: 4, Values: []string{"e1"}}, true, 0, "baseline: accepted for the whole file file:eksport.json"},
		{"truncated baseline, count same", Finding{Fingerprint: "pm1:big", Category: "phone", Count: 100, Values: []string{"p1", "p2"}}, true, 0, "baseline"},
		{"truncated baseline, count grew", Finding{Fingerprint: "pm1:big", Category: "phone", Count: 103, Values: []string{"p1", "p2", "p3", "p4", "p5"}}, false, 3, "at least 3 new values not in the baseline"},
		{"finding truncated", Finding{Fingerprint: "pm1:a", Category: "national_id", Count: 20000, Values: []string{"v1", "v2"}, ValuesTruncated: true}, false, 1, "at least 1 new value not in the baseline"},
	} {
		ok, n, why := set.Check(&tc.f)
		if ok != tc.accepted || n != tc.newVals || why != tc.reason {
			t.Errorf("%s: accepted %v, %d new, %q; want %v, %d, %q", tc.name, ok, n, why, tc.accepted, tc.newVals, tc.reason)
		}
	}
	// Judged: new values keep the declaration's verdict, with the count.
	f := Finding{Fingerprint: "pm1:a", Category: "national_id", Count: 3, Values: []string{"v1", "v2", "v3"}, Confidence: "high"}
	JudgeFinding(&f, nil, Options{Baseline: set})
	if f.Verdict != Undeclared || f.NewValues != 1 || !f.Failing || !strings.Contains(f.Reason, "1 new value") {
		t.Errorf("judged: %+v", f)
	}
	// v1 baselines are read and accept by location.
	v1, err := ParseBaseline("v1.json", []byte(`{"schema":"piimap.baseline/v1","fingerprints":["pm1:a"]}`))
	if err != nil {
		t.Fatal(err)
	}
	if ok, _, _ := v1.Check(&Finding{Fingerprint: "pm1:a", Category: "national_id", Values: []string{"zz"}}); !ok || v1.Schema != BaselineSchemaV1 {
		t.Error("v1 baseline does not accept its location")
	}
	if _, err := ParseBaseline("b.json", []byte(`{"schema":"piimap.baseline/v2","findings":[{"fingerprint":"pm1:a","values":["x"]}]}`)); err == nil || !strings.Contains(err.Error(), "key_id") {
		t.Errorf("values without key id: %v", err)
	}
}
