package report

import (
	"strconv"
	"strings"
	"testing"
	"time"
)

func TestParseShard(t *testing.T) {
	for in, want := range map[string][2]int{"1/1": {1, 1}, "2/5": {2, 5}, " 3 / 3 ": {3, 3}} {
		k, n, err := ParseShard(in)
		if err != nil || k != want[0] || n != want[1] {
			t.Errorf("ParseShard(%q) = %d, %d, %v; want %v", in, k, n, err, want)
		}
	}
	for _, bad := range []string{"", "3", "0/3", "4/3", "-1/3", "1/0", "a/b", "1/3/4", "1.5/3"} {
		if _, _, err := ParseShard(bad); err == nil {
			t.Errorf("ParseShard(%q) accepted", bad)
		}
	}
}

// splitReport cuts a judged report into n shard reports by finding, the way
// sharded scans would have reported them.
func splitReport(r *Report, n int) []MergeSource {
	var out []MergeSource
	for k := 1; k <= n; k++ {
		s := &Report{Schema: r.Schema, Version: r.Version, Targets: r.Targets, Started: r.Started.Add(time.Duration(k) * time.Second),
			Duration: float64(k), Shard: strings.Join([]string{strconv.Itoa(k), strconv.Itoa(n)}, "/"), Findings: []Finding{}, Failures: []Failure{}}
		for i, f := range r.Findings {
			if i%n == k-1 {
				f.Verdict = "stale" // merge must judge again
				s.Findings = append(s.Findings, f)
			}
		}
		if k == 1 {
			s.Failures = r.Failures
			s.Tables = r.Tables
			s.Skipped = r.Skipped
			s.SkipCounts = r.SkipCounts
		}
		s.Summary = Summary{Files: int64(k), Bytes: 100 * int64(k), Tables: 1, Rows: 10}
		out = append(out, MergeSource{Name: "shard" + strconv.Itoa(k) + ".json", Report: s})
	}
	return out
}

func TestMergeShards(t *testing.T) {
	r := sampleReport(t, Options{})
	decl, _ := ParseDeclaration("piimap.yaml", []byte(sampleDeclaration))
	shards := splitReport(r, 3)
	// The same finding in two inputs (an overlapping scan) is kept once.
	shards[2].Report.Findings = append(shards[2].Report.Findings, shards[0].Report.Findings[0])
	var warnings []string
	m, err := MergeWith(shards, func(msg string) { warnings = append(warnings, msg) })
	if err != nil {
		t.Fatal(err)
	}
	if len(warnings) != 0 {
		t.Errorf("the same finding twice: warnings %q", warnings)
	}
	Judge(m, decl, Options{})
	if len(m.Findings) != len(r.Findings) {
		t.Fatalf("%d findings, want %d", len(m.Findings), len(r.Findings))
	}
	want := verdictsOf(r)
	for fp, v := range verdictsOf(m) {
		if want[fp] != v {
			t.Errorf("%s: verdict %s, want %s", fp, v, want[fp])
		}
	}
	for i := 1; i < len(m.Findings); i++ {
		if m.Findings[i-1].Location > m.Findings[i].Location {
			t.Errorf("findings not sorted by location at %d", i)
		}
	}
	if m.Summary.Files != 6 || m.Summary.Bytes != 600 || m.Summary.Tables != 3 || m.Summary.Rows != 30 {
		t.Errorf("summed counts %+v", m.Summary)
	}
	if m.Duration != 3 || !m.Started.Equal(r.Started.Add(time.Second)) {
		t.Errorf("duration %v (want the longest, 3), started %v", m.Duration, m.Started)
	}
	if m.Shard != "" || m.Summary.ExitCode != r.Summary.ExitCode || m.Summary.Failing != r.Summary.Failing {
		t.Errorf("shard %q, exit %d failing %d; want complete, exit %d failing %d", m.Shard, m.Summary.ExitCode, m.Summary.Failing, r.Summary.ExitCode, r.Summary.Failing)
	}
	if len(m.Failures) != len(r.Failures) || len(m.Tables) != len(r.Tables) || m.SkipCounts["binary"] != 1 {
		t.Errorf("failures %v tables %v skips %v", m.Failures, m.Tables, m.SkipCounts)
	}
	if len(m.Targets) != len(r.Targets) {
		t.Errorf("targets %v, want the union %v", m.Targets, r.Targets)
	}

	// Incomplete anywhere is incomplete.
	shards = splitReport(r, 3)
	shards[1].Report.Incomplete = true
	if m, _ = Merge(shards); !m.Incomplete {
		t.Error("an incomplete shard must make the merge incomplete")
	}
}

func TestMergeChecksShards(t *testing.T) {
	r := sampleReport(t, Options{})
	// A missing shard is a failure: exit 3, never a silent pass.
	shards := splitReport(r, 3)
	m, err := Merge(shards[:2])
	if err != nil {
		t.Fatal(err)
	}
	Judge(m, nil, Options{FailOn: "never"})
	if m.Summary.ExitCode != ExitUnread || m.Shard != "1/3,2/3" {
		t.Errorf("missing shard: exit %d shard %q", m.Summary.ExitCode, m.Shard)
	}
	var noted bool
	for _, f := range m.Failures {
		noted = noted || (f.Location == "shard 3/3" && strings.Contains(f.Error, "no report"))
	}
	if !noted {
		t.Errorf("failures %+v lack the missing shard", m.Failures)
	}
	// The same shard twice, or shards of different splits, are errors.
	shards = splitReport(r, 3)
	if _, err := Merge([]MergeSource{shards[0], shards[1], shards[0]}); err == nil || !strings.Contains(err.Error(), "both shard 1/3") {
		t.Errorf("duplicate shard: %v", err)
	}
	other := splitReport(r, 2)
	if _, err := Merge([]MergeSource{shards[0], other[1]}); err == nil {
		t.Error("shards of 3 and of 2 merged")
	}
	bad := *shards[0].Report
	bad.Schema = "something/v9"
	if _, err := Merge([]MergeSource{{Name: "x.json", Report: &bad}}); err == nil || !strings.Contains(err.Error(), "x.json") {
		t.Errorf("wrong schema: %v", err)
	}
	if _, err := Merge(nil); err == nil {
		t.Error("merge of nothing")
	}
}

// TestMergeWarnsOfOtherFiles: two reports with a finding at one location
// that differs (separate scans of two trees, each with an app.log) keep
// the first, and the other is named in a warning, never dropped silently.
func TestMergeWarnsOfOtherFiles(t *testing.T) {
	a, b := sampleReport(t, Options{}), sampleReport(t, Options{})
	b.Findings = b.Findings[:1]
	b.Findings[0].Count += 5
	var warnings []string
	m, err := MergeWith([]MergeSource{{Name: "a.json", Report: a}, {Name: "b.json", Report: b}}, func(msg string) { warnings = append(warnings, msg) })
	if err != nil {
		t.Fatal(err)
	}
	if len(m.Findings) != len(a.Findings) || m.Findings[0].Count == b.Findings[0].Count && m.Findings[0].Location == b.Findings[0].Location {
		t.Errorf("merged %d findings, want a.json's %d, its counts kept", len(m.Findings), len(a.Findings))
	}
	if len(warnings) != 1 || !strings.Contains(warnings[0], "b.json") || !strings.Contains(warnings[0], "a.json") || !strings.Contains(warnings[0], b.Findings[0].Location) {
		t.Errorf("warnings %q, want one naming b.json, a.json and %s", warnings, b.Findings[0].Location)
	}
}
