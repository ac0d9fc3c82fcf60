package report

import (
	"bytes"
	"encoding/csv"
	"strings"
	"testing"

	"github.com/olekukonko/tablewriter/pkg/twwidth"
)

// longReport is the sample report with long locations and many findings.
func longReport(t *testing.T) *Report {
	t.Helper()
	r := sampleReport(t, Options{})
	base := r.Findings[0]
	for i := range 80 {
		f := base
		f.Location = "smb://fileserver.example.internal/avdeling-økonomi/arkiv/2019/kvartal-" + strings.Repeat("x", i%40) + "/lønnsslipp-" + itoa(int64(i)) + ".pdf"
		f.Fingerprint = "pm1:long" + itoa(int64(i))
		f.Examples = []string{"150387*****", "3108*******", "kari.n*****@example.no"}
		f.Lines = []int64{1, 20, 300, 4000, 50000}
		r.Findings = append(r.Findings, f)
	}
	return r
}

// TestTableFitsWidth: at 80 and 200 columns no line of the table output,
// summary included, is wider than the terminal.
func TestTableFitsWidth(t *testing.T) {
	for _, width := range []int{80, 200, 50, 120} {
		for _, r := range []*Report{sampleReport(t, Options{}), longReport(t)} {
			var b bytes.Buffer
			if err := TableRenderer(TableOptions{Width: width, MaxRows: 60})(&b, r); err != nil {
				t.Fatal(err)
			}
			out := b.String()
			for i, line := range strings.Split(out, "\n") {
				if w := twwidth.Width(line); w > width {
					t.Errorf("width %d: line %d is %d wide: %q", width, i+1, w, line)
				}
			}
			if !strings.Contains(out, "FAIL undeclared") || !strings.Contains(out, "FAIL: fails the run") {
				t.Errorf("width %d: failing findings not marked:\n%s", width, out)
			}
		}
	}
}

func TestTableGroupsTruncatesAndCaps(t *testing.T) {
	r := longReport(t)
	var b bytes.Buffer
	if err := TableRenderer(TableOptions{Width: 80, MaxRows: 10})(&b, r); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	more := len(r.Findings) - 10
	if !strings.Contains(out, "… "+itoa(int64(more))+" more (use --format json or --output)") {
		t.Errorf("no row cap note:\n%s", out)
	}
	// Long locations are cut in the middle: the start and the file name stay.
	if !strings.Contains(out, "smb://") || !strings.Contains(out, "…") {
		t.Errorf("long locations not shortened in the middle:\n%s", out)
	}
	if strings.Contains(out, "\x1b[") {
		t.Error("colours without Color")
	}
	// Grouped: a location is printed once, on the first row of its group.
	b.Reset()
	if err := TableRenderer(TableOptions{Width: 200})(&b, sampleReport(t, Options{})); err != nil {
		t.Fatal(err)
	}
	out = b.String()
	seen := map[string]int{}
	for _, f := range sampleReport(t, Options{}).Findings {
		seen[f.Location]++
	}
	for loc, n := range seen {
		if c := strings.Count(out, loc+" "); n > 1 && c != 1 {
			t.Errorf("%s has %d findings and is printed %d times:\n%s", loc, n, c, out)
		}
	}
	// Failing findings come first.
	lines := strings.Split(out, "\n")
	lastFail, firstPass := -1, -1
	for i, l := range lines {
		if strings.Contains(l, "FAIL ") && !strings.Contains(l, "FAIL:") {
			lastFail = i
		} else if (strings.Contains(l, " declared") || strings.Contains(l, " ignored")) && firstPass < 0 {
			firstPass = i
		}
	}
	if lastFail < 0 || firstPass < 0 || lastFail > firstPass {
		t.Errorf("failing rows not first (last FAIL line %d, first passing %d):\n%s", lastFail, firstPass, out)
	}
	// Colours only when asked, and only around the verdict.
	b.Reset()
	if err := TableRenderer(TableOptions{Width: 80, Color: true})(&b, sampleReport(t, Options{})); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(b.String(), ansiRed+"FAIL undeclared") {
		t.Errorf("no colour for failing verdicts:\n%q", b.String())
	}
}

func TestFit(t *testing.T) {
	for _, tc := range []struct {
		in     string
		width  int
		middle bool
		want   string
	}{
		{"file:logs/app.log", 40, true, "file:logs/app.log"},
		{"file:a/very/long/path/to/some/app.log", 20, true, "file:a/ver…e/app.log"},
		{"abcdefghij", 5, false, "abcd…"},
		{"æøå/æøå/æøå", 7, true, "æøå…æøå"},
	} {
		got := fit(tc.in, tc.width, tc.middle)
		if got != tc.want || twwidth.Width(got) > tc.width {
			t.Errorf("fit(%q, %d) = %q, want %q", tc.in, tc.width, got, tc.want)
		}
	}
}

// TestFailingVisibleEverywhere: CSV, Markdown and HTML say which findings
// fail the run and why, failing first.
func TestFailingVisibleEverywhere(t *testing.T) {
	r := sampleReport(t, Options{})
	var csvOut, html bytes.Buffer
	if err := RenderCSV(&csvOut, r); err != nil {
		t.Fatal(err)
	}
	recs, err := csv.NewReader(&csvOut).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	n := len(CSVHeader)
	if h := recs[0]; h[n-3] != "failing" || h[n-2] != "outcome" || h[n-1] != "new_values" {
		t.Errorf("csv header %v", h)
	}
	seenPass := false
	for _, rec := range recs[1:] {
		switch {
		case rec[n-3] == "true" && strings.HasPrefix(rec[n-2], "fails the run: "):
			if seenPass {
				t.Errorf("failing row after a passing one: %v", rec)
			}
		case rec[n-3] == "false" && strings.HasPrefix(rec[n-2], "does not fail: "):
			seenPass = true
		default:
			t.Errorf("row without failing/outcome: %v", rec)
		}
	}
	if err := RenderHTML(&html, r); err != nil {
		t.Fatal(err)
	}
	if n := strings.Count(html.String(), `<span class="badge fail">fails</span>`); n != r.Summary.Failing || n == 0 {
		t.Errorf("html marks %d findings failing, want %d", n, r.Summary.Failing)
	}
	if !strings.Contains(html.String(), "below --fail-confidence medium") {
		t.Error("html does not say why a misplaced low-confidence finding passes")
	}
}
