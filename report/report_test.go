package report

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"github.com/piimap/piimap/detectors"
	"github.com/piimap/piimap/scanner"
	"github.com/piimap/piimap/sources"
)

func finding(loc sources.Location, cat detectors.Category, fp string) scanner.Finding {
	return scanner.Finding{Location: loc, Category: cat, Count: 2, Confidence: detectors.High,
		Detectors: []string{"x"}, Examples: []string{"o***@e***.no"}, Fingerprint: fp}
}

func TestVerdicts(t *testing.T) {
	decl, err := ParseDeclaration("p.yaml", []byte(`
declared:
  email:
    where: ["file:exports/**", "postgres://*/shop/public.customers.*"]
  ip_address:
    where: ["file:logs/access.log*"]
  phone: {}
  name: {}
ignore:
  - where: "file:fixtures/**"
  - fingerprint: "pm1:accepted"
`))
	if err != nil {
		t.Fatal(err)
	}
	pg := sources.Location{Target: "postgres://db:5432/shop", Path: "public.customers", Field: "epost", Table: true}
	res := &scanner.Result{Findings: []scanner.Finding{
		finding(sources.Location{Path: "exports/kunder.csv", Field: "e-post"}, detectors.Email, "pm1:1"),
		finding(pg, detectors.Email, "pm1:2"),
		finding(sources.Location{Path: "logs/app.log"}, detectors.Email, "pm1:3"),
		finding(sources.Location{Path: "logs/access.log.1.gz"}, detectors.IPAddress, "pm1:4"),
		finding(sources.Location{Path: "logs/app.log"}, detectors.NationalID, "pm1:5"),
		finding(sources.Location{Path: "fixtures/cards.txt"}, detectors.PaymentCard, "pm1:6"),
		finding(sources.Location{Path: "logs/app.log"}, detectors.PaymentCard, "pm1:accepted"),
		finding(sources.Location{Path: "logs/app.log"}, detectors.Phone, "pm1:8"),
		finding(sources.Location{Path: "logs/app.log"}, detectors.Name, "pm1:9"),
	}}
	r := Build(res, decl, Options{Version: "test"})
	want := []string{Declared, Declared, Misplaced, Declared, Undeclared, Ignored, Ignored, Declared, Declared}
	for i, f := range r.Findings {
		if f.Verdict != want[i] {
			t.Errorf("%s %s: verdict %s (%s), want %s", f.Location, f.Category, f.Verdict, f.Reason, want[i])
		}
	}
	if r.Summary.Failing != 2 || r.Summary.ExitCode != ExitFindings {
		t.Errorf("summary %+v, want 2 failing and exit 1", r.Summary)
	}
	// Baseline turns the undeclared and misplaced ones into ignored.
	r = Build(res, decl, Options{Baseline: NewBaselineSet("", []BaselineFinding{{Fingerprint: "pm1:3"}, {Fingerprint: "pm1:5"}})})
	if r.Summary.Failing != 0 || r.Summary.ExitCode != ExitOK {
		t.Errorf("with baseline: %+v", r.Summary)
	}
	// --fail-on any fails on declared findings too; never never fails.
	if r := Build(res, decl, Options{FailOn: "any"}); r.Summary.Failing != 7 {
		t.Errorf("fail-on any: failing %d, want 7", r.Summary.Failing)
	}
	if r := Build(res, decl, Options{FailOn: "never"}); r.Summary.ExitCode != ExitOK {
		t.Errorf("fail-on never: exit %d", r.Summary.ExitCode)
	}
	// No declaration: everything undeclared.
	if r := Build(res, nil, Options{}); r.Summary.Verdicts[Undeclared] != len(res.Findings) {
		t.Errorf("no declaration: %+v", r.Summary.Verdicts)
	}
}

func TestNotFoundAndUnreadable(t *testing.T) {
	decl, _ := ParseDeclaration("p.yaml", []byte("declared:\n  email: {}\n  date_of_birth: {note: \"§2\"}\n"))
	res := &scanner.Result{
		Findings: []scanner.Finding{finding(sources.Location{Path: "a"}, detectors.Email, "pm1:1")},
		Failures: []scanner.Failure{{Location: sources.Location{Path: "broken.gz"}, Error: "gzip: unexpected EOF"}},
	}
	r := Build(res, decl, Options{})
	if len(r.NotFound) != 1 || r.NotFound[0].Category != "date_of_birth" || r.NotFound[0].Note != "§2" {
		t.Errorf("not found = %+v", r.NotFound)
	}
	if r.Summary.ExitCode != ExitUnread {
		t.Errorf("exit %d, want 3 when something could not be read", r.Summary.ExitCode)
	}
	var buf bytes.Buffer
	if err := RenderTable(&buf, r); err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	for _, want := range []string{"file:a", "Declared but not found: date_of_birth", "broken.gz: gzip: unexpected EOF", "Exit 3"} {
		if !strings.Contains(out, want) {
			t.Errorf("table output lacks %q:\n%s", want, out)
		}
	}
}

func TestJSONRoundTrip(t *testing.T) {
	res := &scanner.Result{Targets: []string{"testdata/demo"}, Findings: []scanner.Finding{
		finding(sources.Location{Path: "exports/k.csv", Field: "e-post"}, detectors.Email, "pm1:1")}}
	r := Build(res, nil, Options{Version: "v1.2.3"})
	var buf bytes.Buffer
	if err := RenderJSON(&buf, r); err != nil {
		t.Fatal(err)
	}
	var generic map[string]any
	if err := json.Unmarshal(buf.Bytes(), &generic); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"schema", "version", "targets", "summary", "findings", "not_found", "failures", "duration_seconds", "incomplete"} {
		if _, ok := generic[k]; !ok {
			t.Errorf("JSON lacks %q", k)
		}
	}
	if generic["schema"] != SchemaVersion {
		t.Errorf("schema = %v", generic["schema"])
	}
	f := generic["findings"].([]any)[0].(map[string]any)
	if f["location"] != "file:exports/k.csv#e-post" || f["verdict"] != Undeclared || f["fingerprint"] != "pm1:1" {
		t.Errorf("finding JSON = %v", f)
	}
}

// TestFailConfidence: a failing verdict below --fail-confidence is reported
// with its verdict but does not fail the run.
func TestFailConfidence(t *testing.T) {
	low := finding(sources.Location{Path: "ids.log"}, detectors.NationalID, "pm1:low")
	low.Confidence = detectors.Low
	res := &scanner.Result{Findings: []scanner.Finding{low}}
	r := Build(res, nil, Options{})
	if f := r.Findings[0]; f.Verdict != Undeclared || f.Failing || r.Summary.ExitCode != ExitOK || r.Summary.FailConfidence != "medium" {
		t.Errorf("default: finding %+v, summary %+v; want undeclared, not failing, exit 0", f, r.Summary)
	}
	r = Build(res, nil, Options{FailConfidence: "low"})
	if !r.Findings[0].Failing || r.Summary.ExitCode != ExitFindings {
		t.Errorf("--fail-confidence low: %+v", r.Summary)
	}
}

// TestRenderJSONSameAsEncoder: RenderJSON, which encodes the findings one
// at a time, writes the bytes encoding/json writes for the whole report:
// no findings (nil and empty), one, and several with characters JSON
// escapes (HTML, quotes, control and non-ASCII characters) in the values
// around the findings field and in the findings themselves.
func TestRenderJSONSameAsEncoder(t *testing.T) {
	odd := finding(sources.Location{Path: "exports/<k>&\"x\".csv", Field: "e-post\n  \"findings\": null"}, detectors.Email, "pm1:1")
	odd.Examples = []string{"ø***@e***.no", "\u2028\x01"}
	odd.Lines = []int64{3, 9}
	col := finding(sources.Location{Target: "postgres://db:5432/shop", Path: "public.customers", Field: "fnr", Table: true}, detectors.NationalID, "pm1:2")
	col.Column = &scanner.ColumnStats{Type: "text", Rows: 10, NonNull: 9, Share: 0.5}
	for _, tc := range []struct {
		name     string
		findings []scanner.Finding
		nilSlice bool
	}{
		{"none", nil, false},
		{"nil", nil, true},
		{"one", []scanner.Finding{odd}, false},
		{"several", []scanner.Finding{odd, col, finding(sources.Location{Path: "a.log"}, detectors.Phone, "pm1:3")}, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			res := &scanner.Result{Targets: []string{"testdata/<demo>"}, Findings: tc.findings,
				Failures: []scanner.Failure{{Location: sources.Location{Path: "x.gz"}, Error: "gzip: \"bad\" <eof>"}}}
			r := Build(res, nil, Options{Version: "v1.2.3"})
			if tc.nilSlice {
				r.Findings = nil
			}
			var want, got bytes.Buffer
			enc := json.NewEncoder(&want)
			enc.SetIndent("", "  ")
			if err := enc.Encode(r); err != nil {
				t.Fatal(err)
			}
			if err := RenderJSON(&got, r); err != nil {
				t.Fatal(err)
			}
			if got.String() != want.String() {
				t.Errorf("RenderJSON differs from encoding/json:\n got: %s\nwant: %s", got.String(), want.String())
			}
		})
	}
}

// TestMaskPath: with Options.MaskPath the paths of findings, failures and
// skips are masked in the report (and in the NDJSON stream), after the
// findings are judged against the real paths: a declaration glob naming
// the real file still declares it.
func TestMaskPath(t *testing.T) {
	mask := func(p string) string { return strings.ReplaceAll(p, "15038510190", "15038*****0") }
	decl, err := ParseDeclaration("p.yaml", []byte(`
declared:
  email:
    where: ["file:hr/15038510190_kontrakt.txt"]
`))
	if err != nil {
		t.Fatal(err)
	}
	raw := sources.Location{Path: "hr/15038510190_kontrakt.txt"}
	res := &scanner.Result{
		Findings: []scanner.Finding{finding(raw, detectors.Email, "pm1:1")},
		Failures: []scanner.Failure{{Location: sources.Location{Path: "hr/15038510190.pdf"}, Error: "hr/15038510190.pdf: encrypted"}},
		Skipped:  []scanner.Skip{{Location: sources.Location{Path: "hr/15038510190.bin"}, Reason: "binary"}},
	}
	opt := Options{MaskPath: mask}
	r := Build(res, decl, opt)
	f := r.Findings[0]
	if f.Verdict != Declared {
		t.Errorf("verdict %s, want declared (judged against the real path)", f.Verdict)
	}
	if f.Location != "file:hr/15038*****0_kontrakt.txt" || f.Where.Path != "hr/15038*****0_kontrakt.txt" || f.Reason != "declared for file:hr/15038*****0_kontrakt.txt" {
		t.Errorf("finding location %q, where %q, reason %q", f.Location, f.Where.Path, f.Reason)
	}
	if got := r.Failures[0]; got.Location != "file:hr/15038*****0.pdf" || got.Error != "hr/15038*****0.pdf: encrypted" {
		t.Errorf("failure %+v", got)
	}
	if got := r.Skipped[0].Location; got != "file:hr/15038*****0.bin" {
		t.Errorf("skip %q", got)
	}
	var buf bytes.Buffer
	s := NewNDJSONStream(&buf, decl, opt)
	s.Findings(res.Findings)
	if err := s.Finish(r); err != nil {
		t.Fatal(err)
	}
	// The reason quotes the declaration's own glob, masked too.
	out := buf.String()
	if strings.Contains(out, "15038510190") || !strings.Contains(out, `"verdict":"declared"`) || !strings.Contains(out, `"reason":"declared for file:hr/15038*****0_kontrakt.txt"`) {
		t.Errorf("NDJSON stream shows the path or lost the verdict:\n%s", out)
	}
	if r := Build(res, decl, Options{}); r.Findings[0].Location != "file:hr/15038510190_kontrakt.txt" {
		t.Errorf("without MaskPath: %q", r.Findings[0].Location)
	}
}
