package report

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"time"
)

// BaselineSchema names the baseline document.
const BaselineSchema = "piimap.baseline/v1"

// Baseline is a set of accepted findings, by fingerprint. --baseline reads
// either this document or a whole JSON report.
type Baseline struct {
	Schema       string    `json:"schema"`
	Created      time.Time `json:"created"`
	Version      string    `json:"version,omitempty"`
	Organisation string    `json:"organisation,omitempty"`
	Targets      []string  `json:"targets,omitempty"`
	// Fingerprints are the accepted findings, sorted.
	Fingerprints []string `json:"fingerprints"`
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
		Organisation: r.Organisation, Targets: r.Targets, Fingerprints: []string{},
	}
	for _, f := range r.Findings {
		if Accepted(f) && f.Fingerprint != "" && !slices.Contains(b.Fingerprints, f.Fingerprint) {
			b.Fingerprints = append(b.Fingerprints, f.Fingerprint)
		}
	}
	slices.Sort(b.Fingerprints)
	return b
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

// LoadBaseline reads a baseline file: a baseline document
// ({"schema":"piimap.baseline/v1","fingerprints":[…]}) or a JSON report, of
// which the findings that are not declared are accepted. It returns the
// accepted fingerprints.
func LoadBaseline(path string) (map[string]bool, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read baseline: %w", err)
	}
	return ParseBaseline(path, data)
}

// ParseBaseline is LoadBaseline on bytes; name is used in errors.
func ParseBaseline(name string, data []byte) (map[string]bool, error) {
	var head struct {
		Schema string `json:"schema"`
	}
	if err := json.Unmarshal(data, &head); err != nil {
		return nil, fmt.Errorf("read baseline %s: not JSON: %w", name, err)
	}
	set := map[string]bool{}
	switch head.Schema {
	case BaselineSchema:
		var b Baseline
		if err := json.Unmarshal(data, &b); err != nil {
			return nil, fmt.Errorf("read baseline %s: %w", name, err)
		}
		for i, fp := range b.Fingerprints {
			if fp == "" {
				return nil, fmt.Errorf("read baseline %s: fingerprint %d is empty", name, i+1)
			}
			set[fp] = true
		}
	case SchemaVersion:
		var r Report
		if err := json.Unmarshal(data, &r); err != nil {
			return nil, fmt.Errorf("read baseline %s: %w", name, err)
		}
		for _, f := range r.Findings {
			if Accepted(f) && f.Fingerprint != "" {
				set[f.Fingerprint] = true
			}
		}
	case "":
		return nil, errors.New("read baseline " + name + ": no \"schema\" field: want a piimap JSON report or a baseline (" + BaselineSchema + ")")
	default:
		return nil, fmt.Errorf("read baseline %s: schema %q, want %q or %q", name, head.Schema, BaselineSchema, SchemaVersion)
	}
	return set, nil
}
