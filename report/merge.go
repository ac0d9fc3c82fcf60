package report

import (
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/piimap/piimap/detectors"
	"github.com/piimap/piimap/scanner"
)

// MergeSource names a report to merge, for errors and missing-shard notes.
type MergeSource struct {
	Name   string
	Report *Report
}

// Merge combines the reports of several scans, typically the shards of one
// scan (--shard K/N), into one unjudged report: targets are the union,
// summary counts are summed, findings concatenated and de-duplicated by
// fingerprint, tables, failures and skips concatenated, the duration is the
// longest, and the result is incomplete when any input is. Call Judge on the
// result to give every finding its verdict under one declaration.
//
// Shards are checked: all sharded inputs must split the same way (same N),
// a shard may not appear twice, and a shard missing from a complete set is
// recorded as a failure, so that a partial merge never passes silently.
func Merge(srcs []MergeSource) (*Report, error) { return MergeWith(srcs, nil) }

// MergeWith is Merge, and calls warn (when not nil) for each finding left
// out for its fingerprint whose count, examples, lines or values differ
// from those of the finding kept: not the same finding seen by two
// overlapping scans, but another file at the same location, as when
// separate scans of /srv/a and /srv/b each report file:app.log. The merged
// report keeps the first; the warning names both reports.
func MergeWith(srcs []MergeSource, warn func(msg string)) (*Report, error) {
	if len(srcs) == 0 {
		return nil, errors.New("merge: no reports")
	}
	out := &Report{
		Schema: SchemaVersion, Targets: []string{}, Findings: []Finding{}, NotFound: []NotFound{},
		Failures: []Failure{}, SkipCounts: map[string]int{},
	}
	seenFP := map[string]int{} // fingerprint -> index in out.Findings
	from := []string{}         // the report of each of out.Findings
	seenShard := map[int]string{}
	shardN := 0
	for i, s := range srcs {
		r := s.Report
		if r == nil {
			return nil, fmt.Errorf("merge: %s: no report", s.Name)
		}
		if r.Schema != SchemaVersion {
			return nil, fmt.Errorf("merge: %s: schema %q, want %q", s.Name, r.Schema, SchemaVersion)
		}
		if r.Shard != "" {
			k, n, err := ParseShard(r.Shard)
			if err != nil {
				return nil, fmt.Errorf("merge: %s: %w", s.Name, err)
			}
			if shardN != 0 && n != shardN {
				return nil, fmt.Errorf("merge: %s is shard %s but another report is of %d shards", s.Name, r.Shard, shardN)
			}
			if prev, ok := seenShard[k]; ok {
				return nil, fmt.Errorf("merge: %s and %s are both shard %d/%d", prev, s.Name, k, n)
			}
			shardN = n
			seenShard[k] = s.Name
		}
		if i == 0 || r.Started.Before(out.Started) {
			out.Started = r.Started
		}
		if out.Version == "" {
			out.Version = r.Version
		} else if r.Version != "" && r.Version != out.Version && !strings.Contains(out.Version, r.Version) {
			out.Version += "+" + r.Version
		}
		for _, d := range r.Detectors {
			if !slices.ContainsFunc(out.Detectors, func(o DetectorInfo) bool { return o.ID == d.ID }) {
				out.Detectors = append(out.Detectors, d)
			}
		}
		for _, t := range r.Targets {
			if !slices.Contains(out.Targets, t) {
				out.Targets = append(out.Targets, t)
			}
		}
		out.Duration = max(out.Duration, r.Duration)
		out.Incomplete = out.Incomplete || r.Incomplete
		out.ValuesShown = out.ValuesShown || r.ValuesShown
		if r.ValueKeyID != "" {
			if out.ValueKeyID != "" && out.ValueKeyID != r.ValueKeyID {
				return nil, fmt.Errorf("merge: %s was scanned with value key %s, another report with %s: scan every shard with the same PIIMAP_FINGERPRINT_KEY", s.Name, r.ValueKeyID, out.ValueKeyID)
			}
			out.ValueKeyID = r.ValueKeyID
		}
		out.Summary.Files += r.Summary.Files
		out.Summary.Tables += r.Summary.Tables
		out.Summary.Bytes += r.Summary.Bytes
		out.Summary.Rows += r.Summary.Rows
		for _, f := range r.Findings {
			if j, ok := seenFP[f.Fingerprint]; ok && f.Fingerprint != "" {
				if k := out.Findings[j]; warn != nil && !sameFinding(k, f) {
					warn(fmt.Sprintf("%s: its finding %s (%s, count %d) is left out: %s has one at that location that differs (count %d), "+
						"so the two name different files or tables (separate scans of /srv/a and /srv/b both locate file:app.log); "+
						"scan such trees in one run, where each file is located by its own path", s.Name, f.Location, f.Category, f.Count, from[j], k.Count))
				}
				continue
			}
			seenFP[f.Fingerprint] = len(out.Findings)
			out.Findings = append(out.Findings, f)
			from = append(from, s.Name)
		}
		for _, c := range r.CustomDetectors {
			if !slices.ContainsFunc(out.CustomDetectors, func(o CustomDetector) bool { return o.ID == c.ID }) {
				out.CustomDetectors = append(out.CustomDetectors, c)
			}
		}
		out.Tables = append(out.Tables, r.Tables...)
		out.Failures = append(out.Failures, r.Failures...)
		out.Skipped = append(out.Skipped, r.Skipped...)
		for k, n := range r.SkipCounts {
			out.SkipCounts[k] += n
		}
	}
	if shardN > 0 {
		var missing []string
		for k := 1; k <= shardN; k++ {
			if _, ok := seenShard[k]; !ok {
				missing = append(missing, strconv.Itoa(k)+"/"+strconv.Itoa(shardN))
			}
		}
		for _, m := range missing {
			out.Failures = append(out.Failures, Failure{Location: "shard " + m, Error: "no report of this shard was merged"})
		}
		if len(missing) > 0 {
			var have []string
			for k := 1; k <= shardN; k++ {
				if _, ok := seenShard[k]; ok {
					have = append(have, strconv.Itoa(k)+"/"+strconv.Itoa(shardN))
				}
			}
			out.Shard = strings.Join(have, ",")
		}
	}
	if len(out.SkipCounts) == 0 {
		out.SkipCounts = nil
	}
	sortReport(out)
	return out, nil
}

// sortReport orders findings, tables, failures and skips as a scan does, so
// that a merged report reads like an unsharded one.
func sortReport(r *Report) {
	order := map[string]int{}
	for i, c := range detectors.Categories {
		order[string(c)] = i
	}
	slices.SortStableFunc(r.Findings, func(a, b Finding) int {
		if c := strings.Compare(a.Location, b.Location); c != 0 {
			return c
		}
		oa, okA := order[a.Category]
		ob, okB := order[b.Category]
		switch {
		case okA && okB:
			return oa - ob
		case okA:
			return -1
		case okB:
			return 1
		}
		return strings.Compare(a.Category, b.Category)
	})
	slices.SortStableFunc(r.Tables, func(a, b Table) int { return strings.Compare(a.Location, b.Location) })
	slices.SortStableFunc(r.Failures, func(a, b Failure) int { return strings.Compare(a.Location, b.Location) })
	slices.SortStableFunc(r.Skipped, func(a, b Skip) int { return strings.Compare(a.Location, b.Location) })
	if len(r.Skipped) > scanner.MaxSkipList {
		r.Skipped = r.Skipped[:scanner.MaxSkipList]
	}
}

// ParseShard reads "K/N" with 1 <= K <= N.
func ParseShard(s string) (k, n int, err error) {
	ks, ns, ok := strings.Cut(strings.TrimSpace(s), "/")
	if !ok {
		return 0, 0, fmt.Errorf("shard %q: want K/N, e.g. 2/5", s)
	}
	k, errK := strconv.Atoi(strings.TrimSpace(ks))
	n, errN := strconv.Atoi(strings.TrimSpace(ns))
	if errK != nil || errN != nil {
		return 0, 0, fmt.Errorf("shard %q: want K/N with whole numbers, e.g. 2/5", s)
	}
	if n < 1 || k < 1 || k > n {
		return 0, 0, fmt.Errorf("shard %q: want 1 <= K <= N", s)
	}
	return k, n, nil
}

// sameFinding reports whether a and b, of one fingerprint, are the same
// finding seen twice (overlapping scans): the same count, examples, lines,
// rows and values.
func sameFinding(a, b Finding) bool {
	return a.Count == b.Count && slices.Equal(a.Examples, b.Examples) && slices.Equal(a.Lines, b.Lines) &&
		slices.Equal(a.Rows, b.Rows) && slices.Equal(a.Values, b.Values)
}
