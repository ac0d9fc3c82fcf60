package report

import (
	"bytes"
	"encoding/json"
	"github.com/piimap/piimap/sources"
	"os"
	"strconv"
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

func renderSARIF(t *testing.T, r *Report, opt ...SARIFOptions) ([]byte, sarifDoc) {
	t.Helper()
	var buf bytes.Buffer
	var o SARIFOptions
	if len(opt) > 0 {
		o = opt[0]
	}
	if err := SARIFRenderer(o)(&buf, r); err != nil {
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
	// The scan ran every detector but se_personnummer (--exclude-detectors).
	var ran []detectors.Detector
	for _, d := range detectors.All() {
		if d.ID() != "se_personnummer" {
			ran = append(ran, d)
		}
	}
	r := sampleReport(t, Options{Detectors: DetectorInfos(ran)})
	data, doc := renderSARIF(t, r, SARIFOptions{All: true})
	validateSARIF(t, sch, data)

	if doc.Version != "2.1.0" || len(doc.Runs) != 1 || doc.Runs[0].Tool.Driver.Name != "piimap" {
		t.Fatalf("log header: version %q, %d runs", doc.Version, len(doc.Runs))
	}
	run := doc.Runs[0]
	// One rule per detector the scan ran, plus column_name; an excluded
	// detector has a rule only because a finding names it.
	ruleAt := map[string]int{}
	for i, rule := range run.Tool.Driver.Rules {
		ruleAt[rule.ID] = i
	}
	if ruleAt["se_personnummer"] < len(ran) {
		t.Errorf("excluded detector se_personnummer is among the scan's rules (index %d of %d)", ruleAt["se_personnummer"], len(ran))
	}
	for _, d := range ran {
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
	wantLevel := map[string]string{Undeclared: "warning", Misplaced: "warning", Declared: "note", Ignored: "none"}
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
		switch {
		case f.Failing:
			want = "error"
		case want == "warning" && f.Confidence == "low":
			want = "note" // a failing verdict below --fail-confidence, at low confidence
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
		case f.Where.Table || f.Where.Target != "":
			// Databases and shares: anchored on the declaration, the real place logical.
			if loc.PhysicalLocation == nil || loc.PhysicalLocation.ArtifactLocation.URI != "piimap.yaml" ||
				loc.PhysicalLocation.Region == nil || loc.PhysicalLocation.Region.StartLine != 1 {
				t.Errorf("%s: no stable artifact: %+v", f.Location, loc.PhysicalLocation)
			}
			if len(loc.LogicalLocations) != 1 || loc.LogicalLocations[0].FullyQualifiedName != f.Location {
				t.Errorf("%s: logical location %+v", f.Location, loc.LogicalLocations)
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
	data, doc := renderSARIF(t, r, SARIFOptions{All: true})
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
			// --fail-on any makes declared findings fail: errors, not notes.
			if res.Level != "error" || res.BaselineState != "new" {
				t.Errorf("declared under fail-on any: level %q state %q", res.Level, res.BaselineState)
			}
		}
	}
}

// TestSARIFBaselineAcceptedElsewhere: a finding the baseline accepts
// because its values were accepted at another location is unchanged too.
func TestSARIFBaselineAcceptedElsewhere(t *testing.T) {
	r := &Report{Baseline: "base.json", Findings: []Finding{{Location: "file:b.log", Where: sources.Location{Path: "b.log"},
		Category: "email", Verdict: Ignored, Reason: "baseline: every value accepted at another location",
		Confidence: "high", Fingerprint: "pm1:b", Count: 1, Detectors: []string{"email"}}}}
	_, doc := renderSARIF(t, r, SARIFOptions{All: true})
	if res := doc.Runs[0].Results; len(res) != 1 || res[0].BaselineState != "unchanged" {
		t.Errorf("results %+v; want one, unchanged", res)
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

// TestSARIFGitHubRequirements checks what GitHub code scanning documents it
// needs of an uploaded SARIF file ("SARIF support for code scanning"):
// version 2.1.0 and $schema; tool.driver.name; per rule an id, a name,
// shortDescription, fullDescription, help, defaultConfiguration.level and
// properties tags, precision and security-severity (a number 0.0–10.0 as
// a string); per result a ruleId that names a rule, a message.text, a level
// GitHub knows, 1 to 10 locations each with a physicalLocation whose
// artifactLocation.uri is relative to the repository (uriBaseId
// %SRCROOT%), a region.startLine ≥ 1 when there is a region, and
// partialFingerprints.primaryLocationLineHash; at most 25,000 results. By
// default only what needs action is a result.
func TestSARIFGitHubRequirements(t *testing.T) {
	sch := sarifValidator(t)
	r := sampleReport(t, Options{Detectors: DetectorInfos(detectors.All())})
	data, _ := renderSARIF(t, r)
	validateSARIF(t, sch, data)
	var doc map[string]any
	if err := json.Unmarshal(data, &doc); err != nil {
		t.Fatal(err)
	}
	str := func(m map[string]any, path ...string) string {
		var cur any = m
		for _, p := range path {
			mm, ok := cur.(map[string]any)
			if !ok {
				return ""
			}
			cur = mm[p]
		}
		s, _ := cur.(string)
		return s
	}
	if doc["version"] != "2.1.0" || doc["$schema"] == nil {
		t.Errorf("version %v, $schema %v", doc["version"], doc["$schema"])
	}
	run := doc["runs"].([]any)[0].(map[string]any)
	driver := run["tool"].(map[string]any)["driver"].(map[string]any)
	if driver["name"] != "piimap" {
		t.Errorf("driver name %v", driver["name"])
	}
	rules := driver["rules"].([]any)
	ruleIDs := map[string]bool{}
	for _, x := range rules {
		rule := x.(map[string]any)
		id := str(rule, "id")
		ruleIDs[id] = true
		for _, p := range [][]string{{"id"}, {"name"}, {"shortDescription", "text"}, {"fullDescription", "text"}, {"help", "text"}, {"help", "markdown"}, {"defaultConfiguration", "level"}, {"properties", "precision"}} {
			if str(rule, p...) == "" {
				t.Errorf("rule %s: no %s", id, strings.Join(p, "."))
			}
		}
		props := rule["properties"].(map[string]any)
		if tags, ok := props["tags"].([]any); !ok || len(tags) == 0 {
			t.Errorf("rule %s: no tags", id)
		}
		switch props["precision"] {
		case "very-high", "high", "medium", "low":
		default:
			t.Errorf("rule %s: precision %v", id, props["precision"])
		}
		sev, ok := props["security-severity"].(string)
		if v, err := strconv.ParseFloat(sev, 64); !ok || err != nil || v < 0 || v > 10 {
			t.Errorf("rule %s: security-severity %v", id, props["security-severity"])
		}
	}
	results := run["results"].([]any)
	want := 0
	for _, f := range r.Findings {
		if f.Failing || f.Verdict == Undeclared || f.Verdict == Misplaced {
			want++
		}
	}
	if len(results) != want || want == 0 || len(results) > SARIFMaxResults {
		t.Errorf("%d results, want %d (undeclared, misplaced and failing only)", len(results), want)
	}
	for _, x := range results {
		res := x.(map[string]any)
		where := str(res, "properties", "location")
		if v := str(res, "properties", "verdict"); v == Declared || v == Ignored {
			t.Errorf("%s: %s finding is a result without --sarif-all", where, v)
		}
		if !ruleIDs[str(res, "ruleId")] {
			t.Errorf("%s: ruleId %q names no rule", where, str(res, "ruleId"))
		}
		if str(res, "message", "text") == "" {
			t.Errorf("%s: no message", where)
		}
		switch res["level"] {
		case "error", "warning", "note":
		default:
			t.Errorf("%s: level %v", where, res["level"])
		}
		if str(res, "partialFingerprints", "primaryLocationLineHash") == "" {
			t.Errorf("%s: no primaryLocationLineHash", where)
		}
		locs, _ := res["locations"].([]any)
		if len(locs) < 1 || len(locs) > 10 {
			t.Fatalf("%s: %d locations", where, len(locs))
		}
		for _, l := range locs {
			loc := l.(map[string]any)
			uri := str(loc, "physicalLocation", "artifactLocation", "uri")
			if uri == "" || strings.Contains(uri, "://") || strings.HasPrefix(uri, "/") {
				t.Errorf("%s: artifact uri %q is not relative to the repository", where, uri)
			}
			if base := str(loc, "physicalLocation", "artifactLocation", "uriBaseId"); base != SARIFRootBase {
				t.Errorf("%s: uriBaseId %q", where, base)
			}
			pl := loc["physicalLocation"].(map[string]any)
			if reg, ok := pl["region"].(map[string]any); ok {
				if n, _ := reg["startLine"].(float64); n < 1 {
					t.Errorf("%s: startLine %v", where, reg["startLine"])
				}
			}
		}
	}
	// security-severity follows category and confidence.
	if securitySeverity("national_id", "high") != "8.0" || securitySeverity("national_id", "low") != "5.0" || securitySeverity("ip_address", "low") != "0.1" {
		t.Error("security-severity scale")
	}
}

// TestSARIFCapsResults: past SARIFMaxResults results, the rest are counted
// in a notification.
func TestSARIFCapsResults(t *testing.T) {
	r := sampleReport(t, Options{})
	base := r.Findings[0]
	base.Verdict, base.Failing = Undeclared, true
	r.Findings = nil
	for i := range SARIFMaxResults + 3 {
		f := base
		f.Fingerprint = "pm1:" + strconv.Itoa(i)
		r.Findings = append(r.Findings, f)
	}
	_, doc := renderSARIF(t, r)
	if n := len(doc.Runs[0].Results); n != SARIFMaxResults {
		t.Errorf("%d results", n)
	}
	found := false
	for _, n := range doc.Runs[0].Invocations[0].Notifications {
		found = found || strings.Contains(n.Message.Text, "3 more findings are left out")
	}
	if !found {
		t.Error("no notification of the findings left out")
	}
}
