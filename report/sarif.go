package report

import (
	"encoding/json"
	"fmt"
	"io"
	"net/url"
	"path"
	"path/filepath"
	"slices"
	"strconv"
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
	// SARIFGitHubFingerprint is the partial fingerprint GitHub code
	// scanning reads (and computes from the source file when missing).
	SARIFGitHubFingerprint = "primaryLocationLineHash"
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
	Text     string `json:"text"`
	Markdown string `json:"markdown,omitempty"`
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

// sarifRules lists one rule per detector the scan ran (Report.Detectors,
// so --exclude-detectors and custom detectors are respected), then any
// other id the findings name (an older report without the list), the
// column_name rule, and the rule index of every id.
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
		what := CategoryName(cat)
		if cat == "" {
			what = "Personal data named by a column"
		}
		rules = append(rules, sarifRule{
			ID: id, Name: ruleName(id),
			ShortDescription: &sarifText{Text: what + " (" + id + ")"},
			FullDescription:  &sarifText{Text: desc},
			Help:             sarifHelp(id, cat),
			DefaultConfig:    &sarifRuleConfig{Level: "error"},
			Relationships:    taxon(cat),
			Properties: map[string]any{
				"category": cat, "tags": sarifTags(cat), "precision": sarifPrecision(id),
				"security-severity": securitySeverity(cat, "high"), "problem.severity": "error",
			},
		})
	}
	known := map[string]DetectorInfo{}
	for _, d := range detectors.All() {
		known[d.ID()] = DetectorInfo{ID: d.ID(), Category: string(d.Category()), Description: d.Description()}
	}
	for _, c := range r.CustomDetectors {
		add(c.ID, c.Category, c.Description+" (custom detector from "+c.Source+")")
		if sd := rules[index[c.ID]].ShortDescription; !strings.Contains(sd.Text, "custom detector") {
			sd.Text = strings.TrimSuffix(sd.Text, ")") + "; custom detector from " + c.Source + ")"
		}
	}
	for _, d := range r.Detectors {
		add(d.ID, d.Category, d.Description)
	}
	if len(r.Detectors) == 0 {
		// A report from before the list: column_name always ran.
		add(SARIFColumnRule, "", ColumnNameDetector.Description)
	}
	for _, f := range r.Findings {
		for _, id := range f.Detectors {
			if d, ok := known[id]; ok {
				add(id, d.Category, d.Description)
			} else {
				add(id, f.Category, "Personal data ("+f.Category+") found by detector "+id+".")
			}
		}
	}
	return rules, index
}

// sarifHelp is the remediation text of a rule, plain and Markdown.
func sarifHelp(id, cat string) *sarifText {
	what := strings.ToLower(CategoryName(cat))
	if cat == "" {
		what = "personal data named by a column"
	}
	return &sarifText{
		Text: "piimap found " + what + " (detector " + id + ") where the declaration (piimap.yaml) does not allow it. " +
			"Fix it in one of three ways: remove or mask the data at its source; if processing it is intended, declare the " +
			"category in piimap.yaml with the locations where it may live (declared: " + cat + ": where: [...]); or, for data " +
			"that is known and accepted, record it in the baseline (--write-baseline) or an ignore rule with a note saying why.",
		Markdown: "piimap found **" + what + "** (detector `" + id + "`) where the declaration (`piimap.yaml`) does not allow it.\n\n" +
			"Fix it in one of three ways:\n\n" +
			"1. Remove or mask the data at its source (logs and exports should not carry it).\n" +
			"2. If processing it here is intended, declare the category with the locations where it may live:\n\n" +
			"   ```yaml\n   declared:\n     " + cat + ":\n       where: [\"file:exports/**\"]\n   ```\n\n" +
			"3. If it is known and accepted, record it in the baseline (`piimap scan --write-baseline`) or add an `ignore` rule with a `note` saying why.\n\n" +
			"Values are never shown in code scanning: examples are masked.",
	}
}

func sarifTags(cat string) []string {
	tags := []string{"security", "privacy", "personal-data"}
	if cat != "" {
		tags = append(tags, cat)
	}
	return tags
}

// sarifPrecision is how often a detector's matches are right: checksum-
// validated identifiers are very precise, context-dependent kinds less.
func sarifPrecision(id string) string {
	switch id {
	case "no_fnr", "se_personnummer", "payment_card", "no_bank_account", "iban":
		return "very-high"
	case "email", "ip_address":
		return "high"
	}
	return "medium"
}

// categorySeverity is the security-severity (0–10, GitHub's scale: 9+
// critical, 7–8.9 high, 4–6.9 medium, below 4 low) of a category found at
// high confidence: what a leak of one such value costs the person.
var categorySeverity = map[string]float64{
	"credentials": 9.0, "national_id": 8.0, "payment_card": 8.0, "bank_account": 7.0,
	"date_of_birth": 5.0, "address": 4.5, "phone": 4.0, "email": 4.0, "name": 4.0, "ip_address": 3.0,
}

// securitySeverity is the severity of a category at a confidence: lower
// confidence lowers it (medium by 1.5, low by 3), never below 0.1.
func securitySeverity(cat, confidence string) string {
	s, ok := categorySeverity[cat]
	if !ok {
		s = 4.0
	}
	switch confidence {
	case "medium":
		s -= 1.5
	case "low":
		s -= 3
	}
	return strconv.FormatFloat(max(s, 0.1), 'f', 1, 64)
}

// ruleName turns a detector id into the PascalCase name SARIF viewers show.
func ruleName(id string) string {
	var b strings.Builder
	for _, part := range strings.FieldsFunc(id, func(r rune) bool { return r == '_' || r == '-' || r == '.' }) {
		b.WriteString(strings.ToUpper(part[:1]) + part[1:])
	}
	return b.String()
}

// sarifLevel maps a finding to a result level: findings that fail the run
// are errors; undeclared and misplaced findings that do not (below
// --fail-confidence, or --fail-on never) are warnings at medium confidence
// or above and notes below; declared findings notes; ignored ones "none"
// (and suppressed).
func sarifLevel(f Finding) string {
	switch {
	case f.Failing:
		return "error"
	case f.Verdict == Undeclared || f.Verdict == Misplaced:
		if confidenceAtLeast(f.Confidence, "medium") {
			return "warning"
		}
		return "note"
	case f.Verdict == Declared:
		return "note"
	}
	return "none"
}

// SARIFMaxResults is the most results one run carries: GitHub code
// scanning accepts at most 25,000 results per run. The rest are counted in
// a notification (the JSON report has them all).
const SARIFMaxResults = 25000

// SARIFOptions shape the SARIF log.
type SARIFOptions struct {
	// All also writes declared findings (level note, kind pass) and
	// ignored ones (suppressed); by default only undeclared, misplaced and
	// failing findings are results, so that code scanning alerts are what
	// needs action, and an accepted finding closes its alert.
	All bool
}

// sarifPaths resolves file locations to URIs. With exactly one local
// target, paths (relative to that target) are made relative to the
// directory piimap ran in, which is the repository root in CI, so that code
// scanning links to the file; an absolute target gives file:// URIs. With
// several, each path is already the file's path as given (the target's
// path and the path within it).
type sarifPaths struct {
	prefix string // relative target prefix with a trailing slash, or ""
	abs    string // absolute target root, or ""
	single string // the one local target, cleaned
	// declaration anchors results that are not files of the repository.
	declaration sarifArtifactLoc
}

// declarationArtifact is the artifact of the declaration file: its path
// when relative, else piimap.yaml at the root (where it belongs).
func declarationArtifact(decl string) sarifArtifactLoc {
	p := "piimap.yaml"
	if decl != "" && !filepath.IsAbs(decl) {
		p = path.Clean(filepath.ToSlash(decl))
	}
	return sarifArtifactLoc{URI: escapePath(p), URIBaseID: SARIFRootBase}
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
	if p == sp.single || sp.single == "" {
		// The target was this file itself, or several targets were
		// scanned (each file located by its path as given): the path is
		// already relative to the working directory, or absolute.
		if filepath.IsAbs(filepath.FromSlash(p)) {
			return sarifArtifactLoc{URI: (&url.URL{Scheme: "file", Path: p}).String()}
		}
		return sarifArtifactLoc{URI: escapePath(path.Clean(p)), URIBaseID: SARIFRootBase}
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
	if w.Table || w.Target != "" {
		// A database column or a file on a share is not in the repository:
		// the result is anchored on the declaration (a stable artifact in
		// the repository, where the category would be declared), with the
		// real place as its logical location.
		kind := "resource"
		name := w.Path
		if w.Field != "" {
			kind, name = "member", w.Field
		}
		return sarifLocation{
			PhysicalLocation: &sarifPhysical{ArtifactLocation: sp.declaration, Region: &sarifRegion{StartLine: 1}},
			LogicalLocations: []sarifLogical{{Name: name, FullyQualifiedName: f.Location, Kind: kind}},
			Message:          &sarifText{Text: "found in " + f.Location},
		}
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

// RenderSARIF writes the report as a SARIF 2.1.0 log for code scanning,
// with the default SARIFOptions.
func RenderSARIF(w io.Writer, r *Report) error {
	return SARIFRenderer(SARIFOptions{})(w, r)
}

// SARIFRenderer returns the SARIF renderer for opt.
func SARIFRenderer(opt SARIFOptions) Renderer {
	return func(w io.Writer, r *Report) error { return writeSARIF(w, r, opt) }
}

// sarifWanted reports whether a finding becomes a result.
func sarifWanted(f Finding, opt SARIFOptions) bool {
	return opt.All || f.Failing || f.Verdict == Undeclared || f.Verdict == Misplaced
}

func writeSARIF(w io.Writer, r *Report, opt SARIFOptions) error {
	rules, ruleIndex := sarifRules(r)
	sp := newSARIFPaths(r.Targets)
	sp.declaration = declarationArtifact(r.Declaration)
	results := make([]sarifResult, 0, len(r.Findings))
	left := 0
	for _, f := range SortedFindings(r) {
		if !sarifWanted(f, opt) {
			continue
		}
		if len(results) == SARIFMaxResults {
			left++
			continue
		}
		ruleID := SARIFColumnRule
		if len(f.Detectors) > 0 {
			ruleID = f.Detectors[0]
		}
		res := sarifResult{
			RuleID: ruleID, RuleIndex: ruleIndex[ruleID], Kind: "fail",
			Level:     sarifLevel(f),
			Message:   sarifText{Text: sarifMessage(f, r.ValuesShown)},
			Locations: []sarifLocation{sp.location(f)},
			// primaryLocationLineHash is the key GitHub code scanning reads to
			// track an alert across runs; piimap's keyed location fingerprint
			// is stable across runs and edits, and names no value.
			PartialFingerprints: map[string]string{SARIFGitHubFingerprint: f.Fingerprint, SARIFFingerprint: f.Fingerprint},
			Properties: map[string]any{
				"category": f.Category, "verdict": f.Verdict, "reason": f.Reason, "count": f.Count,
				"confidence": f.Confidence, "detectors": f.Detectors, "location": f.Location,
				"failing": f.Failing, "outcome": Outcome(f, r.Summary),
				"security-severity": securitySeverity(f.Category, f.Confidence),
			},
		}
		if f.NewValues > 0 {
			res.Properties["newValues"] = f.NewValues
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
		switch {
		case f.Verdict == Ignored:
			res.Kind = "informational"
			res.Suppressions = []sarifSuppress{{Kind: "external", Justification: f.Reason}}
		case f.Verdict == Declared && !f.Failing:
			res.Kind = "pass"
		}
		if r.Baseline != "" {
			res.BaselineState = "new"
			if f.Verdict == Ignored && strings.HasPrefix(f.Reason, "baseline") {
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
	if left > 0 {
		inv.Notifications = append(inv.Notifications, sarifNotification{Level: "warning", Message: sarifText{Text: fmt.Sprintf("%d more findings are left out: code scanning takes at most %d results per run (see the JSON report)", left, SARIFMaxResults)}})
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
		taxa[i] = sarifRule{ID: string(c), Name: ruleName(string(c)), ShortDescription: &sarifText{Text: CategoryName(string(c)) + " (personal data category " + string(c) + ")."}}
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
