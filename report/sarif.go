package report

import (
	"encoding/json"
	"fmt"
	"io"
	"net/url"
	"path"
	"path/filepath"
	"slices"
	"strings"

	"github.com/piimap/piimap/detectors"
)

// SARIF constants.
const (
	SARIFVersion = "2.1.0"
	SARIFSchema  = "https://json.schemastore.org/sarif-2.1.0.json"
	// SARIFFingerprint names the partial fingerprint piimap sets on every
	// result: the keyed finding fingerprint, stable across runs.
	SARIFFingerprint = "piimapFinding/v1"
	// SARIFColumnRule is the rule of findings made from a column name, CSV
	// header or JSON key alone.
	SARIFColumnRule = "column_name"
	// SARIFRootBase is the uriBaseId of file results: the directory piimap
	// ran in (the repository root in CI), or for a scan of several
	// directories, each target's root.
	SARIFRootBase  = "%SRCROOT%"
	informationURI = "https://github.com/piimap/piimap"
)

type sarifLog struct {
	Schema  string     `json:"$schema"`
	Version string     `json:"version"`
	Runs    []sarifRun `json:"runs"`
}

type sarifRun struct {
	Tool               sarifTool                   `json:"tool"`
	Invocations        []sarifInvocation           `json:"invocations"`
	OriginalURIBaseIDs map[string]sarifArtifactLoc `json:"originalUriBaseIds,omitempty"`
	Results            []sarifResult               `json:"results"`
	Taxonomies         []sarifToolComponent        `json:"taxonomies,omitempty"`
	Properties         map[string]any              `json:"properties,omitempty"`
	ColumnKind         string                      `json:"columnKind,omitempty"`
}

type sarifTool struct {
	Driver sarifToolComponent `json:"driver"`
}

type sarifToolComponent struct {
	Name           string      `json:"name"`
	Version        string      `json:"version,omitempty"`
	InformationURI string      `json:"informationUri,omitempty"`
	ShortDesc      *sarifText  `json:"shortDescription,omitempty"`
	Rules          []sarifRule `json:"rules,omitempty"`
	Taxa           []sarifRule `json:"taxa,omitempty"`
}

type sarifText struct {
	Text string `json:"text"`
}

type sarifRule struct {
	ID               string           `json:"id"`
	Name             string           `json:"name,omitempty"`
	ShortDescription *sarifText       `json:"shortDescription,omitempty"`
	FullDescription  *sarifText       `json:"fullDescription,omitempty"`
	Help             *sarifText       `json:"help,omitempty"`
	DefaultConfig    *sarifRuleConfig `json:"defaultConfiguration,omitempty"`
	Relationships    []sarifRelation  `json:"relationships,omitempty"`
	Properties       map[string]any   `json:"properties,omitempty"`
}

type sarifRuleConfig struct {
	Level string `json:"level"`
}

type sarifRelation struct {
	Target sarifDescriptorRef `json:"target"`
	Kinds  []string           `json:"kinds,omitempty"`
}

type sarifDescriptorRef struct {
	ID            string                 `json:"id"`
	Index         int                    `json:"index"`
	ToolComponent *sarifToolComponentRef `json:"toolComponent,omitempty"`
}

type sarifToolComponentRef struct {
	Name string `json:"name"`
}

type sarifInvocation struct {
	ExecutionSuccessful bool                `json:"executionSuccessful"`
	ExitCode            int                 `json:"exitCode"`
	ExitCodeDescription string              `json:"exitCodeDescription,omitempty"`
	Notifications       []sarifNotification `json:"toolExecutionNotifications,omitempty"`
}

type sarifNotification struct {
	Level     string          `json:"level"`
	Message   sarifText       `json:"message"`
	Locations []sarifLocation `json:"locations,omitempty"`
}

type sarifArtifactLoc struct {
	URI         string     `json:"uri,omitempty"`
	URIBaseID   string     `json:"uriBaseId,omitempty"`
	Description *sarifText `json:"description,omitempty"`
}

type sarifResult struct {
	RuleID              string               `json:"ruleId"`
	RuleIndex           int                  `json:"ruleIndex"`
	Kind                string               `json:"kind,omitempty"`
	Level               string               `json:"level"`
	Message             sarifText            `json:"message"`
	Locations           []sarifLocation      `json:"locations"`
	PartialFingerprints map[string]string    `json:"partialFingerprints"`
	BaselineState       string               `json:"baselineState,omitempty"`
	Suppressions        []sarifSuppress      `json:"suppressions,omitempty"`
	Taxa                []sarifDescriptorRef `json:"taxa,omitempty"`
	Properties          map[string]any       `json:"properties,omitempty"`
}

type sarifLocation struct {
	PhysicalLocation *sarifPhysical `json:"physicalLocation,omitempty"`
	LogicalLocations []sarifLogical `json:"logicalLocations,omitempty"`
	Message          *sarifText     `json:"message,omitempty"`
}

type sarifPhysical struct {
	ArtifactLocation sarifArtifactLoc `json:"artifactLocation"`
	Region           *sarifRegion     `json:"region,omitempty"`
}

type sarifRegion struct {
	StartLine int64 `json:"startLine"`
}

type sarifLogical struct {
	Name               string `json:"name,omitempty"`
	FullyQualifiedName string `json:"fullyQualifiedName"`
	Kind               string `json:"kind,omitempty"`
}

// sarifSuppress is a suppression. Its review status is left out: the
// 2.1.0 schemas disagree on its name (state, later status).
type sarifSuppress struct {
	Kind          string `json:"kind"`
	Justification string `json:"justification,omitempty"`
}

// sarifRules lists one rule per detector (the built-in ones, then any other
// id the findings name, e.g. from a newer piimap's report), the column_name
// rule, and the rule index of every id.
func sarifRules(r *Report) ([]sarifRule, map[string]int) {
	catIndex := map[string]int{}
	for i, c := range detectors.Categories {
		catIndex[string(c)] = i
	}
	taxon := func(cat string) []sarifRelation {
		i, ok := catIndex[cat]
		if !ok {
			return nil
		}
		return []sarifRelation{{Target: sarifDescriptorRef{ID: cat, Index: i, ToolComponent: &sarifToolComponentRef{Name: "piimap-categories"}}, Kinds: []string{"relevant"}}}
	}
	var rules []sarifRule
	index := map[string]int{}
	add := func(id, cat, desc string) {
		if _, ok := index[id]; ok {
			return
		}
		index[id] = len(rules)
		rules = append(rules, sarifRule{
			ID: id, Name: ruleName(id),
			ShortDescription: &sarifText{Text: desc},
			Help: &sarifText{Text: "Declare the category in piimap.yaml (with the locations where it may live), " +
				"remove the data, or accept the finding with an ignore rule or a baseline."},
			DefaultConfig: &sarifRuleConfig{Level: "error"},
			Relationships: taxon(cat),
			Properties:    map[string]any{"category": cat, "tags": []string{"privacy", "personal-data", cat}},
		})
	}
	for _, d := range detectors.All() {
		add(d.ID(), string(d.Category()), d.Description())
	}
	for _, c := range r.CustomDetectors {
		add(c.ID, c.Category, c.Description+" (custom detector from "+c.Source+")")
	}
	add(SARIFColumnRule, "", "A column name, CSV header or JSON key that names personal data (name, address, date of birth, credentials).")
	for _, f := range r.Findings {
		for _, id := range f.Detectors {
			add(id, f.Category, "Personal data ("+f.Category+") found by detector "+id+".")
		}
	}
	return rules, index
}

// ruleName turns a detector id into the PascalCase name SARIF viewers show.
func ruleName(id string) string {
	var b strings.Builder
	for _, part := range strings.FieldsFunc(id, func(r rune) bool { return r == '_' || r == '-' || r == '.' }) {
		b.WriteString(strings.ToUpper(part[:1]) + part[1:])
	}
	return b.String()
}

// sarifLevel maps a verdict to a result level: failing verdicts are errors,
// declared findings notes (warnings when --fail-on any makes them fail),
// ignored ones "none" (and suppressed).
func sarifLevel(f Finding) string {
	switch f.Verdict {
	case Undeclared, Misplaced:
		if !f.Failing {
			return "warning" // below --fail-confidence
		}
		return "error"
	case Declared:
		if f.Failing {
			return "warning"
		}
		return "note"
	}
	return "none"
}

// sarifPaths resolves file locations to URIs. With exactly one local
// target, paths (relative to that target) are made relative to the
// directory piimap ran in, which is the repository root in CI, so that code
// scanning links to the file; an absolute target gives file:// URIs.
type sarifPaths struct {
	prefix string // relative target prefix with a trailing slash, or ""
	abs    string // absolute target root, or ""
	single string // the one local target, cleaned
}

func newSARIFPaths(targets []string) sarifPaths {
	var local []string
	for _, t := range targets {
		if !strings.Contains(t, "://") && !strings.HasPrefix(t, "sqlite:") {
			local = append(local, t)
		}
	}
	if len(local) != 1 {
		return sarifPaths{}
	}
	t := filepath.ToSlash(filepath.Clean(local[0]))
	p := sarifPaths{single: t}
	switch {
	case filepath.IsAbs(local[0]):
		p.abs = strings.TrimSuffix(t, "/") + "/"
	case t == "." || strings.HasPrefix(t, "../") || t == "..":
		// Outside or at the working directory: keep paths relative to it.
		if t != "." {
			p.prefix = t + "/"
		}
	default:
		p.prefix = t + "/"
	}
	return p
}

// artifact returns the artifact location of a file path (the outermost
// archive for archive members).
func (sp sarifPaths) artifact(target, p string) sarifArtifactLoc {
	if target != "" {
		// smb://host/share + path: an absolute URI.
		return sarifArtifactLoc{URI: target + "/" + escapePath(p)}
	}
	if p == sp.single {
		// The target was this file itself: its path is already relative to the working directory.
		if filepath.IsAbs(filepath.FromSlash(p)) {
			return sarifArtifactLoc{URI: (&url.URL{Scheme: "file", Path: p}).String()}
		}
		return sarifArtifactLoc{URI: escapePath(p), URIBaseID: SARIFRootBase}
	}
	if sp.abs != "" {
		return sarifArtifactLoc{URI: (&url.URL{Scheme: "file", Path: sp.abs + p}).String()}
	}
	return sarifArtifactLoc{URI: escapePath(path.Clean(sp.prefix + p)), URIBaseID: SARIFRootBase}
}

func escapePath(p string) string {
	return (&url.URL{Path: p}).EscapedPath()
}

// location builds the location of a finding: a physical location for
// files (the file, or the outermost archive of a member, with the first line
// when known), a logical location for database columns and for fields and
// archive members.
func (sp sarifPaths) location(f Finding) sarifLocation {
	w := f.Where
	if w.Table {
		kind := "resource"
		name := w.Path
		if w.Field != "" {
			kind, name = "member", w.Field
		}
		return sarifLocation{LogicalLocations: []sarifLogical{{Name: name, FullyQualifiedName: f.Location, Kind: kind}}}
	}
	file := w.Path
	member := ""
	if i := strings.IndexByte(w.Path, '!'); i >= 0 {
		file, member = w.Path[:i], w.Path[i+1:]
	}
	loc := sarifLocation{PhysicalLocation: &sarifPhysical{ArtifactLocation: sp.artifact(w.Target, file)}}
	if member == "" && len(f.Lines) > 0 && f.Lines[0] > 0 {
		loc.PhysicalLocation.Region = &sarifRegion{StartLine: f.Lines[0]}
	}
	switch {
	case member != "":
		name := member
		if w.Field != "" {
			name = w.Field
		}
		loc.LogicalLocations = []sarifLogical{{Name: name, FullyQualifiedName: f.Location, Kind: "member"}}
		loc.Message = &sarifText{Text: "in archive member " + member}
	case w.Field != "":
		loc.LogicalLocations = []sarifLogical{{Name: w.Field, FullyQualifiedName: f.Location, Kind: "property"}}
	}
	return loc
}

// sarifMessage describes a finding without its values: the masked examples
// at most (values are re-masked even when the report shows them).
func sarifMessage(f Finding, valuesShown bool) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s: %d %s value", strings.ToUpper(f.Verdict[:1])+f.Verdict[1:], f.Count, strings.ReplaceAll(f.Category, "_", " "))
	if f.Count != 1 {
		b.WriteString("s")
	}
	fmt.Fprintf(&b, " (%s confidence) in %s", f.Confidence, f.Location)
	if f.Reason != "" {
		fmt.Fprintf(&b, "; %s", f.Reason)
	}
	b.WriteString(".")
	if ex := sarifExamples(f, valuesShown); len(ex) > 0 {
		fmt.Fprintf(&b, " Examples (masked): %s.", strings.Join(ex, ", "))
	}
	if len(f.Labels) > 0 {
		fmt.Fprintf(&b, " Labels: %s.", strings.Join(f.Labels, ", "))
	}
	return b.String()
}

func sarifExamples(f Finding, valuesShown bool) []string {
	if !valuesShown {
		return f.Examples
	}
	ex := make([]string, len(f.Examples))
	for i, e := range f.Examples {
		ex[i] = detectors.Mask(detectors.Category(f.Category), e)
	}
	return ex
}

// RenderSARIF writes the report as a SARIF 2.1.0 log for code scanning.
func RenderSARIF(w io.Writer, r *Report) error {
	rules, ruleIndex := sarifRules(r)
	sp := newSARIFPaths(r.Targets)
	results := make([]sarifResult, 0, len(r.Findings))
	for _, f := range SortedFindings(r) {
		ruleID := SARIFColumnRule
		if len(f.Detectors) > 0 {
			ruleID = f.Detectors[0]
		}
		res := sarifResult{
			RuleID: ruleID, RuleIndex: ruleIndex[ruleID], Kind: "fail",
			Level:               sarifLevel(f),
			Message:             sarifText{Text: sarifMessage(f, r.ValuesShown)},
			Locations:           []sarifLocation{sp.location(f)},
			PartialFingerprints: map[string]string{SARIFFingerprint: f.Fingerprint},
			Properties: map[string]any{
				"category": f.Category, "verdict": f.Verdict, "reason": f.Reason, "count": f.Count,
				"confidence": f.Confidence, "detectors": f.Detectors, "location": f.Location,
			},
		}
		if i := slices.Index(detectors.Categories, detectors.Category(f.Category)); i >= 0 {
			res.Taxa = []sarifDescriptorRef{{ID: f.Category, Index: i, ToolComponent: &sarifToolComponentRef{Name: "piimap-categories"}}}
		}
		if len(f.Labels) > 0 {
			res.Properties["labels"] = f.Labels
		}
		if ex := sarifExamples(f, r.ValuesShown); len(ex) > 0 {
			res.Properties["examples"] = ex
		}
		if len(f.Lines) > 0 {
			res.Properties["lines"] = f.Lines
		}
		if len(f.Rows) > 0 {
			res.Properties["rows"] = f.Rows
		}
		if f.Column != nil {
			res.Properties["column"] = f.Column
		}
		if f.Verdict == Ignored {
			res.Kind = "informational"
			res.Suppressions = []sarifSuppress{{Kind: "external", Justification: f.Reason}}
		} else if f.Verdict == Declared {
			res.Kind = "informational"
		}
		if r.Baseline != "" {
			res.BaselineState = "new"
			if f.Verdict == Ignored && f.Reason == "baseline" {
				res.BaselineState = "unchanged"
			}
		}
		results = append(results, res)
	}
	inv := sarifInvocation{
		ExecutionSuccessful: len(r.Failures) == 0 && !r.Incomplete,
		ExitCode:            r.Summary.ExitCode, ExitCodeDescription: r.Summary.ExitCause,
	}
	for _, f := range r.Failures {
		inv.Notifications = append(inv.Notifications, sarifNotification{
			Level: "error", Message: sarifText{Text: "could not read " + f.Location + ": " + f.Error},
			Locations: []sarifLocation{failureLocation(f.Location)},
		})
	}
	if r.Incomplete {
		inv.Notifications = append(inv.Notifications, sarifNotification{Level: "error", Message: sarifText{Text: "the scan was interrupted; the results are partial"}})
	}
	for _, n := range r.NotFound {
		msg := "declared category " + n.Category + " was not found"
		if n.Note != "" {
			msg += " (" + n.Note + ")"
		}
		inv.Notifications = append(inv.Notifications, sarifNotification{Level: "note", Message: sarifText{Text: msg}})
	}
	taxa := make([]sarifRule, len(detectors.Categories))
	for i, c := range detectors.Categories {
		taxa[i] = sarifRule{ID: string(c), Name: ruleName(string(c)), ShortDescription: &sarifText{Text: "Personal data category " + string(c) + "."}}
	}
	run := sarifRun{
		Tool: sarifTool{Driver: sarifToolComponent{
			Name: "piimap", Version: r.Version, InformationURI: informationURI, Rules: rules,
			ShortDesc: &sarifText{Text: "Finds personal data and compares it with the categories an organisation declares."},
		}},
		Invocations: []sarifInvocation{inv},
		Results:     results,
		Taxonomies:  []sarifToolComponent{{Name: "piimap-categories", ShortDesc: &sarifText{Text: "The personal-data categories of piimap declarations."}, Taxa: taxa}},
		ColumnKind:  "unicodeCodePoints",
		Properties: map[string]any{
			"schema": r.Schema, "targets": r.Targets, "summary": r.Summary, "notFound": r.NotFound,
			"declaration": r.Declaration, "organisation": r.Organisation, "incomplete": r.Incomplete,
			"started": r.Started, "durationSeconds": r.Duration,
		},
	}
	if r.Shard != "" {
		run.Properties["shard"] = r.Shard
	}
	if len(r.Findings) > 0 || len(r.Failures) > 0 {
		desc := "The directory piimap ran in (the repository root in CI)."
		if sp.single == "" {
			desc = "The root of the scanned target the path belongs to."
		}
		run.OriginalURIBaseIDs = map[string]sarifArtifactLoc{SARIFRootBase: {Description: &sarifText{Text: desc}}}
	}
	doc := sarifLog{Schema: SARIFSchema, Version: SARIFVersion, Runs: []sarifRun{run}}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	if err := enc.Encode(doc); err != nil {
		return fmt.Errorf("sarif: %w", err)
	}
	return nil
}

// failureLocation is a best-effort location for a location string that
// could not be read: a logical location naming it.
func failureLocation(loc string) sarifLocation {
	return sarifLocation{LogicalLocations: []sarifLogical{{FullyQualifiedName: loc, Kind: "resource"}}}
}
