package scanner

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"slices"
	"sort"

	"github.com/piimap/piimap/detectors"
	"github.com/piimap/piimap/sources"
)

// findingKey identifies a finding while aggregating; Location is
// comparable, so no string is built per match.
type findingKey struct {
	loc sources.Location
	cat detectors.Category
}

type acc struct {
	loc      sources.Location
	cat      detectors.Category
	count    int64
	conf     detectors.Confidence
	byConf   [4]int64
	dets     []string
	labels   []string
	examples []string
	lines    []int64
	rows     []int64
}

// aggregate collects one unit's (or the whole scan's) matches and events.
type aggregate struct {
	findings   map[findingKey]*acc
	cands      map[findingKey]int64 // well-shaped candidates examined, per chunk location
	columns    map[string]*sources.Column
	tables     []sources.Table
	failures   []Failure
	skips      []Skip
	skipCount  map[string]int
	files      int64
	tablesDone int64
	bytes      int64
	rows       int64
	incomplete bool
}

func newAggregate() *aggregate {
	return &aggregate{findings: map[findingKey]*acc{}, cands: map[findingKey]int64{}, columns: map[string]*sources.Column{}, skipCount: map[string]int{}}
}

func addString(list []string, s string, max int) []string {
	if slices.Contains(list, s) || len(list) >= max {
		return list
	}
	return append(list, s)
}

func addInt(list []int64, v int64, max int) []int64 {
	if v <= 0 || len(list) >= max || slices.Contains(list, v) {
		return list
	}
	return append(list, v)
}

// find returns the accumulator for (loc, cat), creating it.
func (a *aggregate) find(loc sources.Location, cat detectors.Category) *acc {
	k := findingKey{loc, cat}
	f := a.findings[k]
	if f == nil {
		f = &acc{loc: loc, cat: cat}
		a.findings[k] = f
	}
	return f
}

// wantsExample reports whether f still collects examples, so that callers
// mask a value only when it may be kept.
func (f *acc) wantsExample() bool { return len(f.examples) < MaxExamples }

// add counts one match into f; example may be "" when f is full.
func (f *acc) add(m detectors.Match, example string, line, row int64) {
	f.count++
	f.byConf[m.Confidence]++
	if m.Confidence > f.conf {
		f.conf = m.Confidence
	}
	f.dets = addString(f.dets, m.Detector, 16)
	for _, l := range m.Labels {
		f.labels = addString(f.labels, l, 16)
	}
	if example != "" {
		f.examples = addString(f.examples, example, MaxExamples)
	}
	f.lines = addInt(f.lines, line, MaxLines)
	f.rows = addInt(f.rows, row, MaxLines)
}

func (a *aggregate) column(c sources.Column) {
	k := c.Loc.String()
	if old := a.columns[k]; old != nil {
		old.Rows += c.Rows
		old.NonNull += c.NonNull
		return
	}
	cc := c
	a.columns[k] = &cc
}

func (a *aggregate) fail(loc sources.Location, err error) {
	a.failures = append(a.failures, Failure{Location: loc, Error: err.Error()})
}

func (a *aggregate) skip(loc sources.Location, reason string) {
	a.skipCount[reason]++
	if len(a.skips) < MaxSkipList {
		a.skips = append(a.skips, Skip{Location: loc, Reason: reason})
	}
}

// merge folds b into a.
func (a *aggregate) merge(b *aggregate) {
	for k, fb := range b.findings {
		fa := a.findings[k]
		if fa == nil {
			a.findings[k] = fb
			continue
		}
		fa.count += fb.count
		for i := range fa.byConf {
			fa.byConf[i] += fb.byConf[i]
		}
		fa.conf = max(fa.conf, fb.conf)
		for _, s := range fb.dets {
			fa.dets = addString(fa.dets, s, 16)
		}
		for _, s := range fb.labels {
			fa.labels = addString(fa.labels, s, 16)
		}
		for _, s := range fb.examples {
			fa.examples = addString(fa.examples, s, MaxExamples)
		}
		for _, v := range fb.lines {
			fa.lines = addInt(fa.lines, v, MaxLines)
		}
		for _, v := range fb.rows {
			fa.rows = addInt(fa.rows, v, MaxLines)
		}
	}
	for k, n := range b.cands {
		a.cands[k] += n
	}
	for _, c := range b.columns {
		a.column(*c)
	}
	a.tables = append(a.tables, b.tables...)
	a.failures = append(a.failures, b.failures...)
	for _, s := range b.skips {
		if len(a.skips) < MaxSkipList {
			a.skips = append(a.skips, s)
		}
	}
	for r, n := range b.skipCount {
		a.skipCount[r] += n
	}
	a.files += b.files
	a.tablesDone += b.tablesDone
	a.bytes += b.bytes
	a.rows += b.rows
	a.incomplete = a.incomplete || b.incomplete
}

// weakCategories are those where a random value can pass validation by
// chance (checksums, numbering plans): a column where only a tiny share of
// values match is evidence of coincidence, not of personal data.
var weakCategories = map[detectors.Category]bool{
	detectors.NationalID: true, detectors.Phone: true, detectors.PaymentCard: true, detectors.BankAccount: true,
}

// grade sets a finding's confidence from the share of values or candidates
// that matched. Per column: 95 % valid fødselsnummer is high even without a
// telling name; one valid value among 10,000 order ids is low. In free text
// the same holds for candidates: when a log holds 100,000 standalone 11-digit
// ids and 30 of them pass the checksums, those 30 are coincidences.
func grade(f *acc, col *sources.Column, candidates int64) (detectors.Confidence, float64) {
	conf := f.conf
	strong := f.byConf[detectors.High]*10 >= f.count // context vouched for most matches
	if col != nil && col.NonNull > 0 {
		share := min(float64(f.count)/float64(col.NonNull), 1)
		switch {
		case share >= 0.5 && f.byConf[detectors.Medium]+f.byConf[detectors.High] > 0:
			conf = detectors.High
		case weakCategories[f.cat] && col.NonNull >= 50 && share < 0.02 && !strong:
			conf = detectors.Low
		}
		return conf, share
	}
	if weakCategories[f.cat] && candidates >= 50 && float64(f.count)/float64(candidates) < 0.02 && !strong {
		conf = detectors.Low
	}
	return conf, 0
}

func (a *aggregate) result(cfg *Config) *Result {
	res := &Result{
		Files: a.files, Tables: a.tablesDone, Bytes: a.bytes, Rows: a.rows,
		TableInfo: a.tables, Failures: a.failures, Skipped: a.skips, SkipCount: a.skipCount,
		Incomplete: a.incomplete,
	}
	mac := hmac.New(sha256.New, cfg.FingerprintKey)
	fingerprint := func(loc string, cat detectors.Category) string {
		mac.Reset()
		mac.Write([]byte(loc))
		mac.Write([]byte{0})
		mac.Write([]byte(cat))
		return "pm1:" + hex.EncodeToString(mac.Sum(nil)[:12])
	}
	seen := map[string]bool{}
	for _, f := range a.findings {
		locStr := f.loc.String()
		col := a.columns[locStr]
		cands := a.cands[findingKey{f.loc, f.cat}]
		if cands == 0 {
			cands = a.cands[findingKey{f.loc.Resource(), f.cat}] // JSON lines: the field is the key path
		}
		conf, share := grade(f, col, cands)
		if conf < cfg.MinConfidence {
			continue
		}
		fd := Finding{
			Location: f.loc, Category: f.cat, Count: f.count, Confidence: conf,
			Detectors: sorted(f.dets), Labels: sorted(f.labels), Examples: f.examples,
			Lines: sortedInts(f.lines), Rows: sortedInts(f.rows), Fingerprint: fingerprint(locStr, f.cat),
			Candidates: cands,
		}
		if col != nil {
			fd.Column = &ColumnStats{Type: col.Type, Rows: col.Rows, NonNull: col.NonNull, Share: share}
		}
		seen[locStr+"\x00"+string(f.cat)] = true
		res.Findings = append(res.Findings, fd)
	}
	// Column names are evidence on their own (fornavn, passord, fodt).
	for k, col := range a.columns {
		ev, ok := detectors.ClassifyColumn(col.Loc.Field)
		if !ok || col.NonNull == 0 || ev.Confidence < cfg.MinConfidence {
			continue
		}
		if seen[k+"\x00"+string(ev.Category)] {
			continue
		}
		res.Findings = append(res.Findings, Finding{
			Location: col.Loc, Category: ev.Category, Count: col.NonNull, Confidence: ev.Confidence,
			Detectors: []string{"column_name"}, Fingerprint: fingerprint(k, ev.Category),
			Column: &ColumnStats{Type: col.Type, Rows: col.Rows, NonNull: col.NonNull, Share: 1},
		})
	}
	order := map[detectors.Category]int{}
	for i, c := range detectors.Categories {
		order[c] = i
	}
	sort.Slice(res.Findings, func(i, j int) bool {
		a, b := res.Findings[i], res.Findings[j]
		if la, lb := a.Location.String(), b.Location.String(); la != lb {
			return la < lb
		}
		return order[a.Category] < order[b.Category]
	})
	sort.Slice(res.TableInfo, func(i, j int) bool { return res.TableInfo[i].Loc.String() < res.TableInfo[j].Loc.String() })
	sort.SliceStable(res.Failures, func(i, j int) bool {
		return res.Failures[i].Location.String() < res.Failures[j].Location.String()
	})
	sort.SliceStable(res.Skipped, func(i, j int) bool {
		return res.Skipped[i].Location.String() < res.Skipped[j].Location.String()
	})
	return res
}

func sorted(s []string) []string { s = slices.Clone(s); slices.Sort(s); return s }

func sortedInts(s []int64) []int64 { s = slices.Clone(s); slices.Sort(s); return s }
