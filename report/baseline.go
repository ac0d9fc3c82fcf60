package report

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Baseline schemas. v2 accepts values (keyed value fingerprints per
// finding); v1, which accepted locations, is still read.
const (
	BaselineSchema   = "piimap.baseline/v2"
	BaselineSchemaV1 = "piimap.baseline/v1"
)

// Baseline is a set of accepted findings and the values they held. It never
// holds a value: only keyed fingerprints (HMAC-SHA256 under the project's
// value key, see KeyID). --baseline reads either this document or a whole
// JSON report.
type Baseline struct {
	Schema       string    `json:"schema"`
	Created      time.Time `json:"created"`
	Version      string    `json:"version,omitempty"`
	Organisation string    `json:"organisation,omitempty"`
	Targets      []string  `json:"targets,omitempty"`
	// KeyID names the value key the value fingerprints were made with ("" =
	// none: the baseline accepts locations only).
	KeyID string `json:"key_id,omitempty"`
	// Findings are the accepted findings, sorted by location and category.
	Findings []BaselineFinding `json:"findings"`
	// Fingerprints are the location fingerprints of a v1 baseline (read
	// only; v2 keeps them in Findings).
	Fingerprints []string `json:"fingerprints,omitempty"`
}

// BaselineFinding is one accepted finding.
type BaselineFinding struct {
	// Fingerprint is the keyed location fingerprint (location, category).
	Fingerprint string `json:"fingerprint"`
	Location    string `json:"location,omitempty"`
	Category    string `json:"category,omitempty"`
	Count       int64  `json:"count,omitempty"`
	// Values are the keyed fingerprints of the accepted values.
	Values []string `json:"values,omitempty"`
	// ValuesTruncated: the location held more distinct values than a
	// finding keeps (scanner.MaxValueFingerprints); beyond Values the
	// baseline compares counts.
	ValuesTruncated bool `json:"values_truncated,omitempty"`
}

// Accepted reports whether a finding belongs in a baseline made from its
// report: everything that is not declared. Undeclared and misplaced findings
// are what the baseline accepts; ignored ones stay accepted (a finding
// ignored because of the previous baseline carries over). Declared findings
// are left out so that they keep their verdict.
func Accepted(f Finding) bool {
	return f.Verdict != Declared
}

// NewBaseline makes the baseline of a judged report.
func NewBaseline(r *Report, now time.Time) *Baseline {
	b := &Baseline{
		Schema: BaselineSchema, Created: now.UTC().Truncate(time.Second), Version: r.Version,
		Organisation: r.Organisation, Targets: r.Targets, KeyID: r.ValueKeyID, Findings: []BaselineFinding{},
	}
	seen := map[string]int{}
	for _, f := range r.Findings {
		if !Accepted(f) || f.Fingerprint == "" {
			continue
		}
		if i, ok := seen[f.Fingerprint]; ok { // merged shards: one entry per location
			e := &b.Findings[i]
			e.Count += f.Count
			e.Values = unionSorted(e.Values, f.Values)
			e.ValuesTruncated = e.ValuesTruncated || f.ValuesTruncated
			continue
		}
		seen[f.Fingerprint] = len(b.Findings)
		b.Findings = append(b.Findings, BaselineFinding{
			Fingerprint: f.Fingerprint, Location: f.Location, Category: f.Category, Count: f.Count,
			Values: slices.Clone(f.Values), ValuesTruncated: f.ValuesTruncated,
		})
	}
	slices.SortFunc(b.Findings, func(x, y BaselineFinding) int {
		if x.Location != y.Location {
			if x.Location < y.Location {
				return -1
			}
			return 1
		}
		if x.Category != y.Category {
			if x.Category < y.Category {
				return -1
			}
			return 1
		}
		if x.Fingerprint < y.Fingerprint {
			return -1
		}
		return 0
	})
	return b
}

func unionSorted(a, b []string) []string {
	out := slices.Concat(a, b)
	slices.Sort(out)
	return slices.Compact(out)
}

// WriteBaseline writes the baseline as indented JSON.
func WriteBaseline(w io.Writer, b *Baseline) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	if err := enc.Encode(b); err != nil {
		return fmt.Errorf("write baseline: %w", err)
	}
	return nil
}

// BaselineSet is a loaded baseline, ready to judge findings by.
type BaselineSet struct {
	// KeyID is the value key the baseline was written with, or "".
	KeyID string
	// Schema is the schema the baseline was read from.
	Schema string
	byFP   map[string]*BaselineFinding
	byLoc  map[string]*BaselineFinding // location + "\x00" + category, for entries that name theirs
	values map[string]map[string]bool  // category -> accepted value fingerprints
}

// NewBaselineSet indexes accepted findings; keyID names their value key.
func NewBaselineSet(keyID string, findings []BaselineFinding) *BaselineSet {
	s := &BaselineSet{KeyID: keyID, Schema: BaselineSchema, byFP: map[string]*BaselineFinding{}, byLoc: map[string]*BaselineFinding{}, values: map[string]map[string]bool{}}
	for i := range findings {
		e := &findings[i]
		if e.Location != "" && !strings.Contains(e.Location, "#") {
			s.byLoc[e.Location+"\x00"+e.Category] = e
		}
		if old := s.byFP[e.Fingerprint]; old != nil {
			old.Count += e.Count
			old.Values = unionSorted(old.Values, e.Values)
			old.ValuesTruncated = old.ValuesTruncated || e.ValuesTruncated
		} else {
			s.byFP[e.Fingerprint] = e
		}
		if len(e.Values) > 0 {
			vs := s.values[e.Category]
			if vs == nil {
				vs = map[string]bool{}
				s.values[e.Category] = vs
			}
			for _, v := range e.Values {
				vs[v] = true
			}
		}
	}
	return s
}

// Len is the number of accepted locations.
func (s *BaselineSet) Len() int {
	if s == nil {
		return 0
	}
	return len(s.byFP)
}

// Has reports whether the location fingerprint fp is accepted.
func (s *BaselineSet) Has(fp string) bool {
	return s != nil && s.byFP[fp] != nil
}

// Check judges a finding against the baseline: whether it is accepted, and
// if not, how many of its values the baseline does not know (0 when the
// finding is new as a whole or carries no value fingerprints).
//
// A finding with value fingerprints is accepted when the baseline knows
// every one of its values in its category, wherever they were accepted: a
// renamed or moved file with the same values stays accepted. When either
// side kept only part of a location's values (more than
// scanner.MaxValueFingerprints distinct values), values the baseline may
// have seen but not kept are accepted as long as the location's count did
// not grow. A finding without value fingerprints (a column name, a scan
// without a value key, a v1 baseline) is accepted by its location, or by
// its file's when the baseline accepted the file whole before piimap read
// it by key path (file:export.json for file:export.json#kunder[].epost).
func (s *BaselineSet) Check(f *Finding) (accepted bool, newValues int64, reason string) {
	if s == nil {
		return false, 0, ""
	}
	e := s.byFP[f.Fingerprint]
	var whole *BaselineFinding // the file's, accepted whole before piimap read it by key path
	outer, _, keyed := strings.Cut(f.Location, "#")
	if e == nil && keyed {
		whole = s.byLoc[outer+"\x00"+f.Category]
	}
	byLocation := func(b *BaselineFinding) bool { return b != nil && len(b.Values) == 0 && !b.ValuesTruncated }
	if len(f.Values) == 0 || byLocation(e) || byLocation(whole) {
		switch {
		case e != nil:
			return true, 0, "baseline"
		case whole != nil:
			return true, 0, "baseline: accepted for the whole file " + outer
		}
		return false, 0, ""
	}
	known := s.values[f.Category]
	var unknown int64
	for _, v := range f.Values {
		if !known[v] {
			unknown++
		}
	}
	newValues = unknown
	switch {
	case e != nil && e.ValuesTruncated:
		// The baseline kept part of this location's values: unknown ones
		// may be among the rest; only growth of the count is new for sure.
		newValues = min(unknown, max(f.Count-e.Count, 0))
	case f.ValuesTruncated:
		// More distinct values than the baseline kept for this location:
		// some are new even if the kept ones are known.
		newValues = max(unknown, 1)
	}
	if newValues == 0 {
		if e != nil {
			return true, 0, "baseline"
		}
		return true, 0, "baseline: every value accepted at another location"
	}
	what := "value"
	if newValues != 1 {
		what = "values"
	}
	prefix := ""
	if f.ValuesTruncated || (e != nil && e.ValuesTruncated) {
		prefix = "at least "
	}
	return false, newValues, prefix + strconv.FormatInt(newValues, 10) + " new " + what + " not in the baseline"
}

// LoadBaseline reads a baseline file: a baseline document (v2, or v1 of
// location fingerprints) or a JSON report, of which the findings that are
// not declared are accepted.
func LoadBaseline(path string) (*BaselineSet, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read baseline: %w", err)
	}
	return ParseBaseline(path, data)
}

// ParseBaseline is LoadBaseline on bytes; name is used in errors.
func ParseBaseline(name string, data []byte) (*BaselineSet, error) {
	var head struct {
		Schema string `json:"schema"`
	}
	if err := json.Unmarshal(data, &head); err != nil {
		return nil, fmt.Errorf("read baseline %s: not JSON: %w", name, err)
	}
	switch head.Schema {
	case BaselineSchema, BaselineSchemaV1:
		var b Baseline
		if err := json.Unmarshal(data, &b); err != nil {
			return nil, fmt.Errorf("read baseline %s: %w", name, err)
		}
		for i, fp := range b.Fingerprints {
			if fp == "" {
				return nil, fmt.Errorf("read baseline %s: fingerprint %d is empty", name, i+1)
			}
			b.Findings = append(b.Findings, BaselineFinding{Fingerprint: fp})
		}
		for i, f := range b.Findings {
			if f.Fingerprint == "" {
				return nil, fmt.Errorf("read baseline %s: finding %d has no fingerprint", name, i+1)
			}
			if len(f.Values) > 0 && b.KeyID == "" {
				return nil, fmt.Errorf("read baseline %s: value fingerprints without a key_id", name)
			}
		}
		s := NewBaselineSet(b.KeyID, b.Findings)
		s.Schema = head.Schema
		return s, nil
	case SchemaVersion:
		var r Report
		if err := json.Unmarshal(data, &r); err != nil {
			return nil, fmt.Errorf("read baseline %s: %w", name, err)
		}
		b := NewBaseline(&r, time.Time{})
		s := NewBaselineSet(b.KeyID, b.Findings)
		s.Schema = head.Schema
		return s, nil
	case "":
		return nil, errors.New("read baseline " + name + ": no \"schema\" field: want a piimap JSON report or a baseline (" + BaselineSchema + ")")
	default:
		return nil, fmt.Errorf("read baseline %s: schema %q, want %q or %q", name, head.Schema, BaselineSchema, SchemaVersion)
	}
}
