package report

import (
	"bytes"
	"encoding/json"
	"os"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/piimap/piimap/detectors"
	"github.com/piimap/piimap/scanner"
)

// sarifSchemaPath is the official SARIF 2.1.0 schema (see its README).
const sarifSchemaPath = "../testdata/sarif/sarif-schema-2.1.0.json"

func sarifValidator(t *testing.T) *jsonschema.Schema {
	t.Helper()
	f, err := os.Open(sarifSchemaPath)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	doc, err := jsonschema.UnmarshalJSON(f)
	if err != nil {
		t.Fatal(err)
	}
	c := jsonschema.NewCompiler()
	c.AssertFormat()
	const id = "https://raw.githubusercontent.com/oasis-tcs/sarif-spec/master/Schemata/sarif-schema-2.1.0.json"
	if err := c.AddResource(id, doc); err != nil {
		t.Fatal(err)
	}
	sch, err := c.Compile(id)
	if err != nil {
		t.Fatal(err)
	}
	return sch
}

func validateSARIF(t *testing.T, sch *jsonschema.Schema, data []byte) {
	t.Helper()
	inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(data))
	if err != nil {
		t.Fatalf("SARIF is not JSON: %v", err)
	}
	if err := sch.Validate(inst); err != nil {
		t.Fatalf("SARIF does not validate against the 2.1.0 schema: %v", err)
	}
}

// sarifDoc is the part of a SARIF log the tests read back.
type sarifDoc struct {
	Schema  string `json:"$schema"`
	Version string `json:"version"`
	Runs    []struct {
		Tool struct {
			Driver struct {
				Name  string `json:"name"`
				Rules []struct {
					ID         string         `json:"id"`
					Properties map[string]any `json:"properties"`
				} `json:"rules"`
			} `json:"driver"`
		} `json:"tool"`
		Invocations []struct {
			ExecutionSuccessful bool `json:"executionSuccessful"`
			ExitCode            int  `json:"exitCode"`
			Notifications       []struct {
				Level   string                `json:"level"`
				Message struct{ Text string } `json:"message"`
			} `json:"toolExecutionNotifications"`
		} `json:"invocations"`
		Results []struct {
			RuleID    string                `json:"ruleId"`
			RuleIndex int                   `json:"ruleIndex"`
			Level     string                `json:"level"`
			Message   struct{ Text string } `json:"message"`
			Locations []struct {
				PhysicalLocation *struct {
					ArtifactLocation struct {
						URI       string `json:"uri"`
						URIBaseID string `json:"uriBaseId"`
					} `json:"artifactLocation"`
					Region *struct {
						StartLine int64 `json:"startLine"`
					} `json:"region"`
				} `json:"physicalLocation"`
				LogicalLocations []struct {
					Name               string `json:"name"`
					FullyQualifiedName string `json:"fullyQualifiedName"`
					Kind               string `json:"kind"`
				} `json:"logicalLocations"`
			} `json:"locations"`
			PartialFingerprints map[string]string `json:"partialFingerprints"`
			BaselineState       string            `json:"baselineState"`
			Suppressions        []struct {
				Kind          string `json:"kind"`
				Justification string `json:"justification"`
			} `json:"suppressions"`
			Properties map[string]any `json:"properties"`
		} `json:"results"`
	} `json:"runs"`
}

func renderSARIF(t *testing.T, r *Report) ([]byte, sarifDoc) {
	t.Helper()
	var buf bytes.Buffer
	if err := RenderSARIF(&buf, r); err != nil {
		t.Fatal(err)
	}
	var doc sarifDoc
	if err := json.Unmarshal(buf.Bytes(), &doc); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes(), doc
}

func TestSARIFValidatesAndMapsFindings(t *testing.T) {
	sch := sarifValidator(t)
	r := sampleReport(t, Options{})
	data, doc := renderSARIF(t, r)
	validateSARIF(t, sch, data)

	if doc.Version != "2.1.0" || len(doc.Runs) != 1 || doc.Runs[0].Tool.Driver.Name != "piimap" {
		t.Fatalf("log header: version %q, %d runs", doc.Version, len(doc.Runs))
	}
	run := doc.Runs[0]
	// One rule per detector, plus column_name.
	ruleAt := map[string]int{}
	for i, rule := range run.Tool.Driver.Rules {
		ruleAt[rule.ID] = i
	}
	for _, d := range detectors.All() {
		i, ok := ruleAt[d.ID()]
		if !ok {
			t.Errorf("no rule for detector %s", d.ID())
			continue
		}
		if got := run.Tool.Driver.Rules[i].Properties["category"]; got != string(d.Category()) {
			t.Errorf("rule %s category %v, want %s", d.ID(), got, d.Category())
		}
	}
	if _, ok := ruleAt[SARIFColumnRule]; !ok {
		t.Errorf("no %s rule", SARIFColumnRule)
	}

	if len(run.Results) != len(r.Findings) {
		t.Fatalf("%d results for %d findings", len(run.Results), len(r.Findings))
	}
	byFP := map[string]Finding{}
	for _, f := range r.Findings {
		byFP[f.Fingerprint] = f
	}
	wantLevel := map[string]string{Undeclared: "error", Misplaced: "error", Declared: "note", Ignored: "none"}
	seen := map[string]bool{}
	for _, res := range run.Results {
		fp := res.PartialFingerprints[SARIFFingerprint]
		f, ok := byFP[fp]
		if !ok {
			t.Errorf("result with unknown partial fingerprint %q", fp)
			continue
		}
		seen[fp] = true
		want := wantLevel[f.Verdict]
		if want == "error" && !f.Failing {
			want = "warning" // a failing verdict below --fail-confidence
		}
		if res.Level != want {
			t.Errorf("%s (%s, %s): level %s, want %s", f.Location, f.Verdict, f.Confidence, res.Level, want)
		}
		if res.RuleID != f.Detectors[0] || run.Tool.Driver.Rules[res.RuleIndex].ID != res.RuleID {
			t.Errorf("%s: rule %s at index %d, want %s", f.Location, res.RuleID, res.RuleIndex, f.Detectors[0])
		}
		if (f.Verdict == Ignored) != (len(res.Suppressions) == 1) {
			t.Errorf("%s (%s): suppressions %+v", f.Location, f.Verdict, res.Suppressions)
		}
		if res.Properties["verdict"] != f.Verdict || res.Properties["category"] != f.Category {
			t.Errorf("%s: properties %v", f.Location, res.Properties)
		}
		if !strings.Contains(res.Message.Text, f.Location) || !strings.Contains(res.Message.Text, f.Confidence) {
			t.Errorf("%s: message %q lacks the location or confidence", f.Location, res.Message.Text)
		}
		if len(res.Locations) != 1 {
			t.Fatalf("%s: %d locations", f.Location, len(res.Locations))
		}
		loc := res.Locations[0]
		switch {
		case f.Where.Table:
			if loc.PhysicalLocation != nil || len(loc.LogicalLocations) != 1 || loc.LogicalLocations[0].FullyQualifiedName != f.Location {
				t.Errorf("%s: database location %+v", f.Location, loc)
			}
		case f.Where.Target != "":
			if loc.PhysicalLocation == nil || loc.PhysicalLocation.ArtifactLocation.URI != f.Where.Target+"/"+f.Where.Path {
				t.Errorf("%s: share location %+v", f.Location, loc.PhysicalLocation)
			}
		default:
			if loc.PhysicalLocation == nil {
				t.Errorf("%s: no physical location", f.Location)
				break
			}
			pl := loc.PhysicalLocation
			if pl.ArtifactLocation.URIBaseID != SARIFRootBase {
				t.Errorf("%s: uriBaseId %q", f.Location, pl.ArtifactLocation.URIBaseID)
			}
			if strings.Contains(f.Where.Path, "!") {
				// Archive members point at the archive, the member is a logical location.
				if pl.ArtifactLocation.URI != "testdata/demo/exports/2024.zip" || pl.Region != nil {
					t.Errorf("%s: archive member location %+v", f.Location, pl)
				}
				if len(loc.LogicalLocations) != 1 || loc.LogicalLocations[0].FullyQualifiedName != f.Location {
					t.Errorf("%s: archive member logical location %+v", f.Location, loc.LogicalLocations)
				}
				break
			}
			if f.Where.Path == "logs/app.log" && pl.ArtifactLocation.URI != "testdata/demo/logs/app.log" {
				t.Errorf("%s: uri %q, want it relative to the working directory", f.Location, pl.ArtifactLocation.URI)
			}
			if len(f.Lines) > 0 && (pl.Region == nil || pl.Region.StartLine != f.Lines[0]) {
				t.Errorf("%s: region %+v, want start line %d", f.Location, pl.Region, f.Lines[0])
			}
			if strings.ContainsAny(pl.ArtifactLocation.URI, "<>| ") {
				t.Errorf("%s: uri %q is not escaped", f.Location, pl.ArtifactLocation.URI)
			}
		}
	}
	if len(seen) != len(r.Findings) {
		t.Errorf("%d distinct fingerprints in results, want %d", len(seen), len(r.Findings))
	}
	inv := run.Invocations[0]
	if inv.ExecutionSuccessful || inv.ExitCode != ExitUnread {
		t.Errorf("invocation %+v: a failure to read must make it unsuccessful with exit 3", inv)
	}
	var failNote bool
	for _, n := range inv.Notifications {
		if n.Level == "error" && strings.Contains(n.Message.Text, "logs/old.log.gz") && strings.Contains(n.Message.Text, "unexpected EOF") {
			failNote = true
		}
	}
	if !failNote {
		t.Errorf("no notification for the unreadable file: %+v", inv.Notifications)
	}
}

func TestSARIFBaselineAndFailOn(t *testing.T) {
	sch := sarifValidator(t)
	r := sampleReport(t, Options{Baseline: NewBaselineSet("", []BaselineFinding{{Fingerprint: "pm1:aaa1"}}), BaselinePath: "base.json", FailOn: "any"})
	data, doc := renderSARIF(t, r)
	validateSARIF(t, sch, data)
	for _, res := range doc.Runs[0].Results {
		fp := res.PartialFingerprints[SARIFFingerprint]
		v := res.Properties["verdict"]
		switch {
		case fp == "pm1:aaa1":
			if res.BaselineState != "unchanged" || res.Level != "none" || len(res.Suppressions) != 1 || res.Suppressions[0].Justification != "baseline" {
				t.Errorf("baselined result: state %q level %q suppressions %+v", res.BaselineState, res.Level, res.Suppressions)
			}
		case v == Declared:
			// --fail-on any makes declared findings fail: warnings, not notes.
			if res.Level != "warning" || res.BaselineState != "new" {
				t.Errorf("declared under fail-on any: level %q state %q", res.Level, res.BaselineState)
			}
		}
	}
}

func TestSARIFMasksShownValues(t *testing.T) {
	res := sampleResult()
	res.Findings = res.Findings[:1]
	res.Findings[0].Examples = []string{"01019912345"} // as a --show-values scan keeps it
	r := Build(res, nil, Options{ShowValues: true})
	data, doc := renderSARIF(t, r)
	validateSARIF(t, sarifValidator(t), data)
	if bytes.Contains(data, []byte("01019912345")) {
		t.Fatal("SARIF contains an unmasked value")
	}
	want := detectors.Mask(detectors.NationalID, "01019912345")
	if !strings.Contains(doc.Runs[0].Results[0].Message.Text, want) {
		t.Errorf("message %q lacks the masked example %q", doc.Runs[0].Results[0].Message.Text, want)
	}
}

func TestSARIFEmptyAndPaths(t *testing.T) {
	sch := sarifValidator(t)
	// No findings at all still makes a valid log.
	data, doc := renderSARIF(t, Build(&scanner.Result{}, nil, Options{}))
	validateSARIF(t, sch, data)
	if len(doc.Runs[0].Results) != 0 {
		t.Errorf("results %d", len(doc.Runs[0].Results))
	}
	for _, tc := range []struct {
		targets []string
		path    string
		uri     string
	}{
		{[]string{"."}, "logs/app.log", "logs/app.log"},
		{[]string{"./logs/"}, "app.log", "logs/app.log"},
		{[]string{"logs/app.log"}, "logs/app.log", "logs/app.log"}, // a file target: the path is the target
		{[]string{"/srv/data"}, "a b#c.txt", "file:///srv/data/a%20b%23c.txt"},
		{[]string{"a", "b"}, "x.txt", "x.txt"}, // several roots: relative to each
	} {
		sp := newSARIFPaths(tc.targets)
		if got := sp.artifact("", tc.path).URI; got != tc.uri {
			t.Errorf("targets %v, path %q: uri %q, want %q", tc.targets, tc.path, got, tc.uri)
		}
	}
}
