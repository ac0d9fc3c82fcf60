package report

import (
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/piimap/piimap/detectors"
	"github.com/piimap/piimap/scanner"
	"github.com/piimap/piimap/sources"
)

// SchemaVersion names the JSON report schema. It changes only when a field
// changes meaning or disappears; new fields may be added within a version.
const SchemaVersion = "piimap.report/v1"

// Verdicts.
const (
	Declared   = "declared"
	Misplaced  = "misplaced"
	Undeclared = "undeclared"
	Ignored    = "ignored"
)

// Report is the judged result of a scan: the stable JSON document every
// renderer works from.
type Report struct {
	Schema       string    `json:"schema"`
	Version      string    `json:"version"`
	Organisation string    `json:"organisation,omitempty"`
	Declaration  string    `json:"declaration,omitempty"`
	Baseline     string    `json:"baseline,omitempty"`
	Targets      []string  `json:"targets"`
	Started      time.Time `json:"started"`
	Duration     float64   `json:"duration_seconds"`
	Incomplete   bool      `json:"incomplete"`
	Shard        string    `json:"shard,omitempty"`
	ValuesShown  bool      `json:"values_shown"`
	// ValueKeyID names the key of the findings' value fingerprints ("" =
	// none were computed). The key itself is never in a report.
	ValueKeyID string `json:"value_key_id,omitempty"`

	// Detectors are the detectors the scan ran (after --detectors and
	// --exclude-detectors), what SARIF rules are made from.
	Detectors []DetectorInfo `json:"detectors,omitempty"`

	Summary  Summary    `json:"summary"`
	Findings []Finding  `json:"findings"`
	NotFound []NotFound `json:"not_found"`
	Tables   []Table    `json:"tables,omitempty"`
	Failures []Failure  `json:"failures"`
	Skipped  []Skip     `json:"skipped,omitempty"`
	// SkipCounts counts skipped files by reason (all of them, also past the Skipped list).
	SkipCounts map[string]int `json:"skip_counts,omitempty"`
	// CustomDetectors are the user-defined detectors the scan ran
	// (piimap.yaml `detectors:` and --rules files).
	CustomDetectors []CustomDetector `json:"custom_detectors,omitempty"`
	// Comparison is what changed since an earlier report (--compare).
	Comparison *Diff `json:"comparison,omitempty"`
}

// Summary is the overview of a report.
type Summary struct {
	Files    int64          `json:"files"`
	Tables   int64          `json:"tables"`
	Bytes    int64          `json:"bytes"`
	Rows     int64          `json:"rows"`
	Findings int            `json:"findings"`
	Verdicts map[string]int `json:"verdicts"`
	Failing  int            `json:"failing"`
	Failures int            `json:"failures"`
	Skipped  int            `json:"skipped"`
	FailOn   string         `json:"fail_on"`
	// FailConfidence is the lowest confidence at which a failing verdict fails the run.
	FailConfidence string `json:"fail_confidence"`
	ExitCode       int    `json:"exit_code"`
	ExitCause      string `json:"exit_cause"`
}

// Finding is one (location, category) with its verdict and evidence.
type Finding struct {
	Location   string           `json:"location"`
	Where      sources.Location `json:"where"`
	Category   string           `json:"category"`
	Verdict    string           `json:"verdict"`
	Reason     string           `json:"reason,omitempty"`
	Count      int64            `json:"count"`
	Candidates int64            `json:"candidates,omitempty"`
	// Expected is how many of the candidates chance alone would validate
	// (the detectors' chance model), when candidates were counted.
	Expected   float64 `json:"expected,omitempty"`
	Confidence string  `json:"confidence"`
	// ConfidenceReason says why the scanner graded the finding as it did
	// when that differs from the detectors' own grading: "12 of 469
	// candidates validated; chance expects 10".
	ConfidenceReason string   `json:"confidence_reason,omitempty"`
	Detectors        []string `json:"detectors"`
	Labels           []string `json:"labels,omitempty"`
	Examples         []string `json:"examples,omitempty"`
	Lines            []int64  `json:"lines,omitempty"`
	Rows             []int64  `json:"rows,omitempty"`
	// RowKeys name example database rows by primary key ("id=42"), masked
	// where the key is personal data.
	RowKeys     []string `json:"row_keys,omitempty"`
	Column      *Column  `json:"column,omitempty"`
	Fingerprint string   `json:"fingerprint"`
	// Values are the keyed fingerprints of the distinct values found
	// (HMAC-SHA256 under the project's value key, truncated to 96 bits),
	// what exact baselines compare; never the values.
	Values []string `json:"value_fingerprints,omitempty"`
	// ValuesTruncated: the location held more distinct values than are kept.
	ValuesTruncated bool `json:"values_truncated,omitempty"`
	// InlineIgnored: the values are on lines with an inline
	// "piimap:ignore" comment; the verdict is ignored.
	InlineIgnored bool `json:"inline_ignored,omitempty"`
	// NewValues is how many of the values a baseline did not know, when
	// a baseline was given and did not accept the finding.
	NewValues int64 `json:"new_values,omitempty"`
	// Failing is whether this finding fails the run (its verdict under
	// --fail-on, at or above --fail-confidence).
	Failing bool `json:"failing"`
}

// DetectorInfo describes a detector a scan ran.
type DetectorInfo struct {
	ID          string `json:"id"`
	Category    string `json:"category"`
	Description string `json:"description"`
}

// ColumnNameDetector describes the rule that reports columns by their
// names alone (column_name), for Options.Detectors when it ran.
var ColumnNameDetector = DetectorInfo{ID: "column_name", Description: "A column name, CSV header or JSON key that names personal data (name, address, date of birth, credentials), with non-empty values."}

// DetectorInfos describes detectors for Options.Detectors.
func DetectorInfos(ds []detectors.Detector) []DetectorInfo {
	out := make([]DetectorInfo, len(ds))
	for i, d := range ds {
		out[i] = DetectorInfo{ID: d.ID(), Category: string(d.Category()), Description: d.Description()}
	}
	return out
}

// Column holds per-column statistics of a finding.
type Column struct {
	Type    string  `json:"type,omitempty"`
	Rows    int64   `json:"rows"`
	NonNull int64   `json:"non_null"`
	Share   float64 `json:"share"`
}

// NotFound is a declared category no finding matched.
type NotFound struct {
	Category string   `json:"category"`
	Where    []string `json:"where,omitempty"`
	Note     string   `json:"note,omitempty"`
}

// Table says how a database table was read, and how much of it.
type Table struct {
	Location  string `json:"location"`
	Method    string `json:"method"`
	Rows      int64  `json:"rows"`
	Estimated int64  `json:"estimated"`
	// Covered is the share of the table's rows read: 1 when every row
	// was, Rows/Estimated otherwise (at most 0.999), -1 when the size is
	// unknown.
	Covered float64 `json:"covered"`
	// DetectionLimit is the smallest share of rows a value must be in to
	// be found with 95 % probability, when the rows read are a random
	// sample (for a sample of n rows out of N, about 3/n): 0 when every
	// row was read, -1 when the size is unknown.
	DetectionLimit float64 `json:"detection_limit"`
	// Coverage says the same in words: "all rows read", or "a value in
	// fewer than 0.03 % of rows may be missed (1 % of rows read)".
	Coverage string `json:"coverage"`
}

// detectionConfidence is the probability with which a value at the
// detection limit is found.
const detectionConfidence = 0.95

// TableFrom renders how a table was read, with its coverage.
func TableFrom(t sources.Table) Table {
	out := Table{Location: t.Loc.String(), Method: t.Method, Rows: t.Rows, Estimated: t.Estimated}
	out.Covered, out.DetectionLimit = Coverage(t.Rows, t.Estimated, t.Complete)
	switch {
	case out.DetectionLimit == 0:
		out.Coverage = "all rows read"
	case out.DetectionLimit < 0:
		out.Coverage = "table size unknown: no detection limit"
	default:
		out.Coverage = fmt.Sprintf("a value in fewer than %s of rows may be missed (%s of rows read)",
			percent(out.DetectionLimit), percent(out.Covered))
	}
	return out
}

// Coverage returns the share of a table's rows that read rows out of an
// estimated total are, and the detection limit: the smallest share s of
// rows such that a value in s·total rows has at most a 5 % chance of
// being in none of the rows read, were they drawn at random. A value in k
// rows is missed with probability at most (1 − read/total)^k, so k is
// ln 0.05 / ln(1 − read/total), about 3·total/read. complete means every
// row was read (limit 0); an unknown total (< 1) gives −1 for both.
func Coverage(read, total int64, complete bool) (covered, limit float64) {
	if complete {
		return 1, 0
	}
	if total <= 0 || read <= 0 {
		if total > 0 {
			return 0, 1
		}
		return -1, -1
	}
	q := min(float64(read)/float64(total), 0.999)
	k := math.Ceil(math.Log(1-detectionConfidence) / math.Log(1-q))
	return q, min(1, k/float64(total))
}

// percent renders a share as a percentage with two significant digits and
// no exponent: "0.03 %", "1.5 %", "100 %".
func percent(share float64) string {
	p := share * 100
	if p <= 0 {
		return "0 %"
	}
	digits := max(0, 1-int(math.Floor(math.Log10(p))))
	f := strconv.FormatFloat(p, 'f', digits, 64)
	if strings.Contains(f, ".") {
		f = strings.TrimRight(strings.TrimRight(f, "0"), ".")
	}
	return f + " %"
}

// Failure is a location that could not be read.
type Failure struct {
	Location string `json:"location"`
	Error    string `json:"error"`
}

// Skip is a location deliberately not scanned.
type Skip struct {
	Location string `json:"location"`
	Reason   string `json:"reason"`
}

// Options steer judging.
type Options struct {
	Version string
	FailOn  string // undeclared (default), any, never
	// FailConfidence: findings below it are reported with their verdict but
	// do not fail the run ("" = medium).
	FailConfidence string
	Baseline       *BaselineSet // findings and values accepted by a baseline
	// ValueKeyID names the value key of the scan (see Report.ValueKeyID).
	ValueKeyID string
	// Detectors are the detectors the scan ran (Report.Detectors).
	Detectors []DetectorInfo
	// BaselinePath is reported when a baseline is used.
	BaselinePath string
	ShowValues   bool
	// Custom describes the user-defined detectors of --rules files (those
	// of the declaration are taken from it).
	Custom []CustomDetector
	// MaskPath, when set, masks the personal data in the paths of the
	// report's locations (findings, failures, skips) and in the failures'
	// messages and the verdicts' reasons that quote them: a file named by
	// a fødselsnummer. Findings are judged first, so that declaration globs
	// and baselines see the real paths (fingerprints are made from them
	// too). scanner.PathMasker.Mask; nil with --show-values.
	MaskPath func(path string) string
}

// maskLoc returns loc with its path masked by mask (nil: as it is).
func maskLoc(loc sources.Location, mask func(string) string) sources.Location {
	if mask != nil {
		loc.Path = mask(loc.Path)
	}
	return loc
}

// maskFinding masks the path of a judged finding's location.
func maskFinding(f *Finding, mask func(string) string) {
	if mask == nil {
		return
	}
	if w := maskLoc(f.Where, mask); w != f.Where {
		f.Where, f.Location = w, w.String()
	}
	// A reason quotes the declaration's globs and notes, which may name a
	// file by a value as a path does.
	f.Reason = mask(f.Reason)
}

// Build judges a scan result against a declaration (nil = nothing declared).
func Build(res *scanner.Result, decl *Declaration, opt Options) *Report {
	r := &Report{
		Schema: SchemaVersion, Version: opt.Version, Targets: res.Targets,
		Started: res.Started.UTC().Truncate(time.Millisecond), Duration: res.Duration.Seconds(),
		Incomplete: res.Incomplete, Shard: res.Shard, ValuesShown: opt.ShowValues, ValueKeyID: opt.ValueKeyID,
		Baseline: opt.BaselinePath, Findings: make([]Finding, 0, len(res.Findings)), NotFound: []NotFound{}, Failures: []Failure{},
		SkipCounts: res.SkipCount, Detectors: opt.Detectors,
	}
	if r.Targets == nil {
		r.Targets = []string{}
	}
	r.Summary = Summary{Files: res.Files, Tables: res.Tables, Bytes: res.Bytes, Rows: res.Rows}
	if decl != nil {
		r.CustomDetectors = append(r.CustomDetectors, decl.Custom.Info()...)
	}
	r.CustomDetectors = append(r.CustomDetectors, opt.Custom...)
	for _, f := range res.Findings {
		r.Findings = append(r.Findings, FindingFrom(f))
	}
	for _, t := range res.TableInfo {
		r.Tables = append(r.Tables, TableFrom(t))
	}
	for _, f := range res.Failures {
		msg := f.Error
		if opt.MaskPath != nil {
			// Errors name the path they are about ("x.pdf:3: …") and
			// archive members ("member \"15038510190.txt\" is cut off").
			msg = opt.MaskPath(msg)
		}
		r.Failures = append(r.Failures, Failure{Location: maskLoc(f.Location, opt.MaskPath).String(), Error: msg})
	}
	for _, s := range res.Skipped {
		r.Skipped = append(r.Skipped, Skip{Location: maskLoc(s.Location, opt.MaskPath).String(), Reason: s.Reason})
	}
	Judge(r, decl, opt)
	for i := range r.Findings {
		maskFinding(&r.Findings[i], opt.MaskPath)
	}
	return r
}

// FindingFrom converts a scanner finding into a report finding without a verdict.
func FindingFrom(f scanner.Finding) Finding {
	fd := Finding{
		Location: f.Location.String(), Where: f.Location, Category: string(f.Category),
		Count: f.Count, Confidence: f.Confidence.String(), Detectors: f.Detectors, Labels: f.Labels,
		Examples: f.Examples, Lines: f.Lines, Rows: f.Rows, RowKeys: f.RowKeys, Fingerprint: f.Fingerprint, Candidates: f.Candidates,
		Expected: math.Round(f.Expected*10) / 10, ConfidenceReason: f.ConfidenceReason,
		Values: f.Values, ValuesTruncated: f.Values != nil && !f.ValuesComplete, InlineIgnored: f.InlineIgnored,
	}
	if f.Column != nil {
		fd.Column = &Column{Type: f.Column.Type, Rows: f.Column.Rows, NonNull: f.Column.NonNull, Share: f.Column.Share}
	}
	return fd
}

// JudgeFinding sets the verdict and reason of one finding, exactly as Judge
// does for a whole report: streamed formats judge findings as they come.
func JudgeFinding(f *Finding, decl *Declaration, opt Options) {
	f.Verdict, f.Reason, f.NewValues = verdict(f, decl, opt.Baseline)
	f.Failing = Failing(f.Verdict, opt.failOn()) && confidenceAtLeast(f.Confidence, opt.failConfidence())
}

func (o Options) failOn() string {
	if o.FailOn == "" {
		return "undeclared"
	}
	return o.FailOn
}

func (o Options) failConfidence() string {
	if o.FailConfidence == "" {
		return "medium"
	}
	return o.FailConfidence
}

func confidenceAtLeast(have, want string) bool {
	h, _ := detectors.ParseConfidence(have)
	w, _ := detectors.ParseConfidence(want)
	return h >= w
}

// Judge (re)computes every verdict, the not-found list, the summary counts
// and the exit code of r. `piimap merge` calls it on combined reports.
func Judge(r *Report, decl *Declaration, opt Options) {
	if decl != nil {
		r.Organisation = decl.Organisation
		r.Declaration = decl.Path
	}
	found := map[string]bool{}
	for i := range r.Findings {
		f := &r.Findings[i]
		JudgeFinding(f, decl, opt)
		if f.Verdict == Declared {
			found[f.Category] = true
		}
		if f.Verdict == Ignored || f.Verdict == Misplaced {
			// A declared category seen in the wrong place still counts as found.
			if decl != nil && decl.Declared[f.Category] != nil {
				found[f.Category] = true
			}
		}
	}
	r.NotFound = []NotFound{}
	if decl != nil {
		for _, c := range detectors.Categories {
			e, ok := decl.Declared[string(c)]
			if ok && !found[string(c)] {
				r.NotFound = append(r.NotFound, NotFound{Category: string(c), Where: e.Where, Note: e.Note})
			}
		}
		// Custom categories (declared for user-defined detectors), by name.
		var custom []string
		for c := range decl.Declared {
			if !detectors.IsBuiltin(detectors.Category(c)) && !found[c] {
				custom = append(custom, c)
			}
		}
		slices.Sort(custom)
		for _, c := range custom {
			e := decl.Declared[c]
			r.NotFound = append(r.NotFound, NotFound{Category: c, Where: e.Where, Note: e.Note})
		}
	}
	s := &r.Summary
	s.Findings = len(r.Findings)
	s.Verdicts = map[string]int{Declared: 0, Misplaced: 0, Undeclared: 0, Ignored: 0}
	s.Failing = 0
	s.FailOn = opt.failOn()
	s.FailConfidence = opt.failConfidence()
	for _, f := range r.Findings {
		s.Verdicts[f.Verdict]++
		if f.Failing {
			s.Failing++
		}
	}
	s.Failures = len(r.Failures)
	s.Skipped = 0
	for _, n := range r.SkipCounts {
		s.Skipped += n
	}
	s.ExitCode, s.ExitCause = exitCode(r)
}

// Failing reports whether a verdict fails the run under failOn.
func Failing(verdict, failOn string) bool {
	switch failOn {
	case "never":
		return false
	case "any":
		return verdict != Ignored
	default:
		return verdict == Undeclared || verdict == Misplaced
	}
}

// Exit codes.
const (
	ExitOK       = 0
	ExitFindings = 1
	ExitUsage    = 2
	ExitUnread   = 3
)

func exitCode(r *Report) (int, string) {
	switch {
	case len(r.Failures) > 0:
		return ExitUnread, "some locations could not be read"
	case r.Incomplete:
		return ExitUnread, "the scan was interrupted; the report is partial"
	case r.Summary.Failing > 0:
		return ExitFindings, "failing verdicts (--fail-on " + r.Summary.FailOn + ")"
	}
	return ExitOK, "no failing verdicts"
}

// InlineIgnoreReason is the reason of findings ignored by inline comments.
const InlineIgnoreReason = "inline piimap:ignore comment"

func verdict(f *Finding, decl *Declaration, baseline *BaselineSet) (string, string, int64) {
	if f.InlineIgnored {
		return Ignored, InlineIgnoreReason, 0
	}
	accepted, newValues, why := baseline.Check(f)
	if accepted {
		return Ignored, why, 0
	}
	v, reason := declVerdict(f, decl)
	if v == Declared || v == Ignored {
		// A baseline accepts what would fail; new values of a declared
		// finding are no news.
		return v, reason, 0
	}
	if newValues > 0 {
		reason = why + "; " + reason
	}
	return v, reason, newValues
}

func declVerdict(f *Finding, decl *Declaration) (string, string) {
	if decl == nil {
		return Undeclared, "no declaration"
	}
	for i, rule := range decl.Ignore {
		if rule.Category != "" && rule.Category != f.Category {
			continue
		}
		if rule.Fingerprint != "" && rule.Fingerprint != f.Fingerprint {
			continue
		}
		if rule.Where != "" && !matchLocation(rule.Where, f.Where) {
			continue
		}
		why := "ignore rule " + strconv.Itoa(i+1)
		if rule.Note != "" {
			why += ": " + rule.Note
		}
		return Ignored, why
	}
	e, ok := decl.Declared[f.Category]
	if !ok {
		return Undeclared, "category not declared"
	}
	if len(e.Where) == 0 {
		return Declared, "declared anywhere"
	}
	for _, g := range e.Where {
		if matchLocation(g, f.Where) {
			return Declared, "declared for " + g
		}
	}
	return Misplaced, "declared only for " + joinQuoted(e.Where)
}

// matchLocation matches a glob against the location with and without its field.
func matchLocation(glob string, loc sources.Location) bool {
	if ok, _ := sources.MatchGlob(glob, loc.String()); ok {
		return true
	}
	ok, _ := sources.MatchGlob(glob, loc.Resource().String())
	return ok
}

func joinQuoted(globs []string) string {
	q := make([]string, len(globs))
	for i, g := range globs {
		q[i] = strconv.Quote(g)
	}
	return strings.Join(q, ", ")
}
