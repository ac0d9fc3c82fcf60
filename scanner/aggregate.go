package scanner

import (
	"cmp"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"math"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/piimap/piimap/detectors"
	"github.com/piimap/piimap/internal/textfmt"
	"github.com/piimap/piimap/sources"
)

// findingKey identifies a finding while aggregating; Location is
// comparable, so no string is built per match.
type findingKey struct {
	loc sources.Location
	cat detectors.Category
	// ignored: the matches were on lines with an inline piimap:ignore
	// comment; they form a finding of their own.
	ignored bool
}

type acc struct {
	loc      sources.Location
	cat      detectors.Category
	ignored  bool // inline piimap:ignore
	count    int64
	conf     detectors.Confidence
	byConf   [4]int64
	dets     []string
	labels   []string
	examples []string
	// tries counts the examples offered; after maxExampleTries a finding
	// whose values mask alike (IPs of one network, phones ending alike)
	// stops masking every match for a list that will not grow.
	tries int
	lines []int64
	rows  []int64
	keys  []string // primary keys of example rows, masked when personal
	// vals holds the keyed fingerprints of the distinct values, up to
	// MaxValueFingerprints, valSeq the same in the order first seen (so
	// that merging the parts of a file keeps the same ones as reading it
	// whole); valsOver is set when more were seen.
	vals     map[ValueFP]struct{}
	valSeq   []ValueFP
	valsOver bool
}

// aggregate collects one unit's (or the whole scan's) matches and events.
type aggregate struct {
	findings map[findingKey]*acc
	// last is the accumulator find returned last, under lastKey: matches
	// come in runs at one location, and comparing a key is cheaper than
	// hashing it.
	last    *acc
	lastKey findingKey
	cands   map[findingKey]*candCount // well-shaped candidates examined, per location
	columns map[string]*sources.Column
	// names counts, per column with a generic name word (name, navn), the
	// values read and those written as a person's name.
	names map[sources.Location]*nameCount
	// keys counts the values under JSON, XML and YAML key paths that name
	// what they hold.
	keys       map[findingKey]*keyCount
	tables     []sources.Table
	failures   []Failure
	skips      []Skip
	skipCount  map[string]int
	files      int64
	tablesDone int64
	bytes      int64
	rows       int64
	incomplete bool
	// The aggregate of a part of a resource (sources.Part) holds the
	// part's own line numbers until the parts are merged (parts.go): lead
	// and ownedLines are what the part's Lines returned, linesUnknown
	// that it did not know them.
	lead, ownedLines int64
	linesUnknown     bool
}

// newAggregate returns an empty aggregate. Its maps other than findings
// are made on first use: most units (a file, a log) need none of them,
// and a scan of many small files makes an aggregate per file.
func newAggregate() *aggregate {
	return &aggregate{findings: map[findingKey]*acc{}}
}

// nameCount is what the values of a column with a generic name word say:
// how many were read and how many are written as a person's name
// (detectors.NameShaped).
type nameCount struct{ values, named int64 }

// keyCount counts the values under a key path (JSON, XML, YAML) whose key
// says what they hold (detectors.ClassifyKey), and those written as such a value.
type keyCount struct {
	ev           detectors.ColumnEvidence
	values, fits int64
	lines        []int64
}

// keyCountAt returns the counts at fk, made for ev when new; nil when the
// aggregate counts maxKeyColumns key paths already.
func (a *aggregate) keyCountAt(fk findingKey, ev detectors.ColumnEvidence) *keyCount {
	k := a.keys[fk]
	if k == nil {
		if len(a.keys) >= maxKeyColumns {
			return nil
		}
		if a.keys == nil {
			a.keys = map[findingKey]*keyCount{}
		}
		k = &keyCount{ev: ev}
		a.keys[fk] = k
	}
	return k
}

// maxKeyColumns bounds the key paths an aggregate counts values of.
const maxKeyColumns = 1 << 16

// keyValue counts a value under the key path at loc that ev classifies.
func (a *aggregate) keyValue(loc sources.Location, ev detectors.ColumnEvidence, fits bool, line int64) {
	k := a.keyCountAt(findingKey{loc: loc, cat: ev.Category}, ev)
	if k == nil {
		return
	}
	k.values++
	if fits {
		k.fits++
		k.lines = addInt(k.lines, line, MaxLines)
	}
}

// nameValues counts values of the column at loc, named of them written
// as a person's name.
func (a *aggregate) nameValues(loc sources.Location, values, named int64) {
	c := a.names[loc]
	if c == nil {
		if a.names == nil {
			a.names = map[sources.Location]*nameCount{}
		}
		c = &nameCount{}
		a.names[loc] = c
	}
	c.values += values
	c.named += named
}

// minNameValues is how many values of a column with a generic name word
// must be read before their shape can lower the column's grade: a users
// table of go, zig and whatever (a test database) is not one of people;
// one or two values say too little.
const minNameValues = 3

func addString(list []string, s string, max int) []string {
	if slices.Contains(list, s) || len(list) >= max {
		return list
	}
	return append(list, s)
}

// addExample adds an example to list, up to MaxExamples distinct ones. It
// keeps a copy: a match's value (shown with --show-values) is a string
// in a block of its chunk's values (see detectors.Input), which a kept
// value would keep alive whole.
func addExample(list []string, s string) []string {
	if slices.Contains(list, s) || len(list) >= MaxExamples {
		return list
	}
	return append(list, strings.Clone(s))
}

func addInt(list []int64, v int64, max int) []int64 {
	if v <= 0 || len(list) >= max || slices.Contains(list, v) {
		return list
	}
	return append(list, v)
}

// candCount is the candidates examined at a location and how many of them
// chance alone would validate.
type candCount struct {
	n      int64
	expect float64
}

func (c *candCount) add(n int64, expect float64) {
	c.n += n
	c.expect += expect
}

// candidates returns the candidate count of (loc, cat), creating it.
func (a *aggregate) candidates(loc sources.Location, cat detectors.Category) *candCount {
	k := findingKey{loc: loc, cat: cat}
	c := a.cands[k]
	if c == nil {
		if a.cands == nil {
			a.cands = map[findingKey]*candCount{}
		}
		c = &candCount{}
		a.cands[k] = c
	}
	return c
}

// find returns the accumulator for (loc, cat), creating it; ignored picks
// the one of matches on lines with an inline piimap:ignore comment.
func (a *aggregate) find(loc sources.Location, cat detectors.Category, ignored bool) *acc {
	k := findingKey{loc, cat, ignored}
	if a.last != nil && k == a.lastKey {
		return a.last
	}
	f := a.findings[k]
	if f == nil {
		f = &acc{loc: loc, cat: cat, ignored: ignored}
		a.findings[k] = f
	}
	a.last, a.lastKey = f, k
	return f
}

// foundAt reports whether a holds a finding at loc.
func (a *aggregate) foundAt(loc sources.Location) bool {
	for k := range a.findings {
		if k.loc == loc {
			return true
		}
	}
	return false
}

// wantsExample reports whether f still collects examples, so that callers
// mask a value only when it may be kept.
func (f *acc) wantsExample() bool {
	return len(f.examples) < MaxExamples && f.tries < maxExampleTries
}

// maxExampleTries is how many matches of a finding are offered as examples
// at most: the distinct examples come from its first maxExampleTries
// matches.
const maxExampleTries = 4096

// add counts one match into f; example may be "" when f is full. vfp is
// the keyed fingerprint of the match's value, nil when no key is set.
func (f *acc) add(m detectors.Match, example string, line, row int64, vfp *ValueFP) {
	f.count++
	if vfp != nil {
		f.addValue(*vfp)
	}
	f.byConf[m.Confidence]++
	if m.Confidence > f.conf {
		f.conf = m.Confidence
	}
	f.dets = addString(f.dets, m.Detector, 16)
	for _, l := range m.Labels {
		f.labels = addString(f.labels, l, 16)
	}
	if example != "" {
		f.tries++
		f.examples = addExample(f.examples, example)
	}
	f.lines = addInt(f.lines, line, MaxLines)
	f.rows = addInt(f.rows, row, MaxLines)
}

// addValue records one value fingerprint, up to MaxValueFingerprints.
func (f *acc) addValue(v ValueFP) {
	if _, ok := f.vals[v]; ok {
		return
	}
	if len(f.vals) >= MaxValueFingerprints {
		f.valsOver = true
		return
	}
	if f.vals == nil {
		f.vals = map[ValueFP]struct{}{}
	}
	f.vals[v] = struct{}{}
	f.valSeq = append(f.valSeq, v)
}

// values returns the value fingerprints as sorted hex strings, and whether
// they are every distinct value seen.
func (f *acc) values() ([]string, bool) {
	if len(f.vals) == 0 {
		return nil, !f.valsOver
	}
	out := make([]string, 0, len(f.vals))
	for v := range f.vals {
		out = append(out, hex.EncodeToString(v[:]))
	}
	slices.Sort(out)
	return out, !f.valsOver
}

func (a *aggregate) column(c sources.Column) {
	k := c.Loc.String()
	if old := a.columns[k]; old != nil {
		old.Rows += c.Rows
		old.NonNull += c.NonNull
		return
	}
	cc := c
	if a.columns == nil {
		a.columns = map[string]*sources.Column{}
	}
	a.columns[k] = &cc
}

func (a *aggregate) fail(loc sources.Location, err error) {
	a.failures = append(a.failures, Failure{Location: loc, Error: err.Error()})
}

func (a *aggregate) skip(loc sources.Location, reason string) {
	if a.skipCount == nil {
		a.skipCount = map[string]int{}
	}
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
		for _, k := range fb.keys {
			fa.keys = addString(fa.keys, k, MaxLines)
		}
		for _, v := range fb.valSeq {
			fa.addValue(v)
		}
		fa.valsOver = fa.valsOver || fb.valsOver
	}
	for k, c := range b.cands {
		a.candidates(k.loc, k.cat).add(c.n, c.expect)
	}
	for _, c := range b.columns {
		if c.Loc.Field == sources.NamesField && !b.foundAt(c.Loc) {
			// A directory's names without a finding: nothing will read
			// their statistics, and a tree has many directories.
			continue
		}
		a.column(*c)
	}
	for loc, c := range b.names {
		a.nameValues(loc, c.values, c.named)
	}
	for fk, kb := range b.keys {
		k := a.keyCountAt(fk, kb.ev)
		if k == nil {
			continue
		}
		k.values += kb.values
		k.fits += kb.fits
		for _, v := range kb.lines {
			k.lines = addInt(k.lines, v, MaxLines)
		}
	}
	a.tables = append(a.tables, b.tables...)
	a.failures = append(a.failures, b.failures...)
	for _, s := range b.skips {
		if len(a.skips) < MaxSkipList {
			a.skips = append(a.skips, s)
		}
	}
	for r, n := range b.skipCount {
		if a.skipCount == nil {
			a.skipCount = map[string]int{}
		}
		a.skipCount[r] += n
	}
	a.files += b.files
	a.tablesDone += b.tablesDone
	a.bytes += b.bytes
	a.rows += b.rows
	a.incomplete = a.incomplete || b.incomplete
}

// shiftLines adds d to every line number of the findings.
func (a *aggregate) shiftLines(d int64) {
	if d == 0 {
		return
	}
	for _, f := range a.findings {
		for i := range f.lines {
			f.lines[i] += d
		}
	}
}

// dropLines forgets the line numbers of the findings.
func (a *aggregate) dropLines() {
	for _, f := range a.findings {
		f.lines = nil
	}
}

// grading is what the scanner concludes about a finding from the evidence
// at its location, beyond each match's own confidence.
type grading struct {
	conf   detectors.Confidence
	share  float64 // matching values / non-empty values of a column
	reason string  // why the scanner changed the confidence, or ""
}

// grade sets a finding's confidence from the evidence at its location: the
// matches compared with what chance predicts from the candidates examined
// there (the detectors' chance model), and for a column the share of its
// values that matched.
//
// The chance test: if k matches were found among n candidates of which
// chance alone would validate mu (= Σ chance per candidate), the matches are
// evidence only when k is improbably high for coincidences, P(X ≥ k) <
// chanceAlpha for X ~ Binomial(n, mu/n). When chance expects at least one
// valid candidate and the matches are not above it, they are graded Low
// (with the reason) unless context vouched for most of them: a log of
// 100,000 random 11-digit ids holds about a thousand that pass the
// fødselsnummer checks, and they are not personal data. When chance
// expects less than one, the test cannot speak and the detectors' grading
// stands: one fødselsnummer in a log line is not a coincidence to be
// explained away.
//
// A column is one location: when at least half of its values match and
// the matches are above chance (or no candidates were counted), the column
// holds the category (High). Mixed columns (fødselsnummer and
// personnummer, several phone forms) are judged on the category: matches
// and candidates of every detector of the category are summed.
func grade(f *acc, col *sources.Column, cands *candCount) grading {
	g := grading{conf: f.conf}
	strong := f.byConf[detectors.High]*10 >= f.count // context vouched for most matches
	var n int64
	var mu float64
	if cands != nil {
		n, mu = cands.n, cands.expect
	}
	k := f.count
	above := n == 0 || mu < 1 || binomialTail(k, n, mu/float64(n)) < chanceAlpha
	chanceReason := func() string {
		return fmt.Sprintf("%d of %d candidates validated; chance expects %s", k, n, formatExpect(mu))
	}
	if col != nil && col.NonNull > 0 {
		g.share = min(float64(f.count)/float64(col.NonNull), 1)
		switch {
		case g.share >= 0.5 && above && (f.byConf[detectors.Medium]+f.byConf[detectors.High] > 0 || (n > 0 && mu/float64(n) <= 0.03)):
			if g.conf < detectors.High {
				g.reason = fmt.Sprintf("%s of the column's %d values match", percent(g.share), col.NonNull)
				if n > 0 {
					g.reason += "; " + chanceReason()
				}
			}
			g.conf = detectors.High
		case !above && !strong:
			g.conf, g.reason = detectors.Low, chanceReason()
		case n == 0 && chancy[f.cat] && col.NonNull >= 50 && g.share < 0.02 && !strong:
			// No candidates counted (phones): a tiny share of a large
			// column is coincidence. (Not so for addresses: a support
			// note's "customer at 81.166.23.4" is one.)
			g.conf = detectors.Low
			g.reason = fmt.Sprintf("%d of the column's %d values match", f.count, col.NonNull)
		}
		return g
	}
	if !above && !strong {
		g.conf, g.reason = detectors.Low, chanceReason()
	}
	// A key path of structured text (JSON lines) is a column without
	// statistics: its candidates are its values.
	if f.loc.Field != "" && n >= minKeyCandidates && above && float64(k) >= 0.5*float64(n) && g.conf >= detectors.Medium && g.conf < detectors.High {
		g.conf = detectors.High
		g.reason = fmt.Sprintf("%d of the %d candidates at this key validated; chance expects %s", k, n, formatExpect(mu))
	}
	return g
}

// keyNoun says what a value under a JSON key of a category is written as
// (detectors.KeyValueFits).
var keyNoun = map[detectors.Category]string{
	detectors.Name: "a person's name", detectors.Address: "an address", detectors.DateOfBirth: "a date",
	detectors.Credentials: "a password or user name, not a placeholder", detectors.BankAccount: "an account number",
}

// testGrade grades a finding in a test fixture path (the path element
// elem: "testdata/", "fixtures/", "x_test.go") Low, with the reason.
func testGrade(g grading, elem string) grading {
	if g.conf > detectors.Low {
		g.conf = detectors.Low
		r := "in a test fixture path (" + elem + "): test data"
		if g.reason != "" {
			r += "; " + g.reason
		}
		g.reason = r
	}
	return g
}

// minKeyCandidates is how many candidates a key path needs before the
// share of them that validates can make it High.
const minKeyCandidates = 10

// chancy are the categories whose values can validate by chance
// (checksums, numbering plans).
var chancy = map[detectors.Category]bool{
	detectors.NationalID: true, detectors.Phone: true, detectors.PaymentCard: true, detectors.BankAccount: true,
}

// chanceAlpha is the level of the chance test: matches count as evidence
// when chance alone would produce as many at most once in a thousand.
const chanceAlpha = 0.001

// binomialTail returns P(X ≥ k) for X ~ Binomial(n, p), summed in log
// space from the tail's far side of the mean, where the terms fall away:
// above the mean from k upwards; at or below it, 1 - P(X ≤ k-1) from k-1
// downwards. Summing the upper tail from a k below the mean would walk
// the whole bulk of the distribution, thousands of terms for a file's
// 80,000 candidates, only to find a tail near 1.
func binomialTail(k, n int64, p float64) float64 {
	tail, _ := binomialTailTerms(k, n, p)
	return tail
}

// binomialTailTerms is binomialTail, also returning how many terms it
// summed. The sum stops where a term adds nothing: below a trillionth of
// the sum, or zero, a term too small for a float64 (every term after it
// is smaller still). Far from the mean, the first term is such a zero:
// 30,000 validated of 83,226 where chance expects 3,186.
func binomialTailTerms(k, n int64, p float64) (tail float64, terms int) {
	switch {
	case k <= 0:
		return 1, 0
	case k > n || p <= 0:
		return 0, 0
	case p >= 1:
		return 1, 0
	}
	lp, lq := math.Log(p), math.Log1p(-p)
	lgn, _ := math.Lgamma(float64(n) + 1)
	mean := float64(n) * p
	term := func(i int64) float64 {
		terms++
		a, _ := math.Lgamma(float64(i) + 1)
		b, _ := math.Lgamma(float64(n-i) + 1)
		return math.Exp(lgn - a - b + float64(i)*lp + float64(n-i)*lq)
	}
	sum := 0.0
	if float64(k) > mean {
		for i := k; i <= n; i++ {
			t := term(i)
			sum += t
			if t == 0 || t < sum*1e-12 {
				break // past the mean the terms only fall
			}
		}
		return min(sum, 1), terms
	}
	for i := k - 1; i >= 0; i-- {
		t := term(i)
		sum += t
		if t == 0 || t < sum*1e-12 {
			break // below the mean the terms only fall
		}
	}
	return max(1-sum, 0), terms
}

// formatExpect prints an expected count: "0.4", "10", "1,234".
func formatExpect(mu float64) string {
	if mu < 10 {
		return strconv.FormatFloat(math.Round(mu*10)/10, 'f', -1, 64)
	}
	return textfmt.Thousands(int64(math.Round(mu)))
}

func percent(share float64) string {
	return strconv.Itoa(int(math.Round(share*100))) + " %"
}

// result grades and orders the findings. With consume, each accumulator
// is dropped from a as it becomes a finding, so that a scan of many
// locations does not hold both at once; a is then spent.
func (a *aggregate) result(cfg *Config, consume bool) *Result {
	res := &Result{
		Files: a.files, Tables: a.tablesDone, Bytes: a.bytes, Rows: a.rows,
		TableInfo: a.tables, Failures: a.failures, Skipped: a.skips, SkipCount: a.skipCount,
		Incomplete: a.incomplete,
	}
	if res.SkipCount == nil {
		res.SkipCount = map[string]int{}
	}
	mac := hmac.New(sha256.New, cfg.FingerprintKey)
	// fingerprint keys (location, category); the matches on lines with an
	// inline ignore comment are a finding of their own, with its own.
	fingerprint := func(loc string, cat detectors.Category, inlineIgnored bool) string {
		mac.Reset()
		mac.Write([]byte(loc))
		mac.Write([]byte{0})
		mac.Write([]byte(cat))
		if inlineIgnored {
			mac.Write([]byte("\x00" + InlineIgnore))
		}
		return "pm1:" + hex.EncodeToString(mac.Sum(nil)[:12])
	}
	// seen: the (column, category) pairs a value detector found, which
	// column names need not report again.
	seen := map[string]bool{}
	// The findings with their locations as strings, which order them:
	// rendered once each, not once per comparison.
	res.Findings = make([]Finding, 0, len(a.findings)+len(a.columns))
	locs := make([]string, 0, cap(res.Findings))
	for k, f := range a.findings {
		if consume {
			delete(a.findings, k)
		}
		locStr := f.loc.String()
		col := a.columns[locStr]
		cands := a.cands[findingKey{loc: f.loc, cat: f.cat}]
		g := grade(f, col, cands)
		labels := f.labels
		if tp := testPath(f.loc); tp != "" && !cfg.KeepTestPaths {
			g = testGrade(g, tp)
			labels = addString(slices.Clone(labels), detectors.LabelTestData, 17)
		} else if ext := codePath(f.loc); ext != "" && codeCategories[f.cat] && g.conf > detectors.Low && !dataSet(f) {
			g.conf = detectors.Low
			g.reason = "in source code or configuration (" + ext + "): phone numbers, addresses and card numbers there are examples, constants and servers"
		} else if doc := docPath(f.loc); doc != "" && docCategories[f.cat] && g.conf > detectors.Low {
			g.conf = detectors.Low
			g.reason = "in documentation (" + doc + "): addresses and card numbers there are examples, configuration and quoted logs"
		} else if why := credentialsExample(f.loc); why != "" && f.cat == detectors.Credentials && g.conf > detectors.Low {
			g.conf, g.reason = detectors.Low, why
		}
		conf, share := g.conf, g.share
		if conf < cfg.MinConfidence {
			continue
		}
		fd := Finding{
			Location: f.loc, Category: f.cat, Count: f.count, Confidence: conf,
			Detectors: sorted(f.dets), Labels: sorted(labels), Examples: f.examples,
			Lines: sortedInts(f.lines), Rows: sortedInts(f.rows), Fingerprint: fingerprint(locStr, f.cat, f.ignored), RowKeys: f.keys, InlineIgnored: f.ignored,
			ConfidenceReason: g.reason,
		}
		if len(cfg.ValueKey) > 0 {
			fd.Values, fd.ValuesComplete = f.values()
		}
		if cands != nil {
			fd.Candidates, fd.Expected = cands.n, cands.expect
		}
		if col != nil {
			fd.Column = &ColumnStats{Type: col.Type, Rows: col.Rows, NonNull: col.NonNull, Share: share}
		}
		if col != nil || a.keys[findingKey{loc: f.loc, cat: f.cat}] != nil {
			seen[locStr+"\x00"+string(f.cat)] = true
		}
		res.Findings = append(res.Findings, fd)
		locs = append(locs, locStr)
	}
	// Column names are evidence on their own (fornavn, passord, fodt).
	for k, col := range a.columns {
		if cfg.NoColumnNames {
			break
		}
		ev, ok := detectors.ClassifyColumn(col.Loc.Field)
		if !ok || col.NonNull == 0 {
			continue
		}
		if seen[k+"\x00"+string(ev.Category)] {
			continue
		}
		g := grading{conf: ev.Confidence}
		generic := ev.Confidence == detectors.Medium // name, navn, adresse, username: not fornavn
		switch n := a.names[col.Loc]; {
		case generic && detectors.NamesThings(col.Loc.Path):
			// A generic word in a table of things: products.name,
			// kategorier.navn, companies.address.
			g.conf, g.reason = detectors.Low, "the table's rows are things, not people ("+col.Loc.Path+")"
		case generic && ev.Category == detectors.Name && n != nil && n.values >= minNameValues:
			// A generic word: the values decide. A package list's
			// "name" is not a person's.
			share := float64(n.named) / float64(n.values)
			g.reason = fmt.Sprintf("%s of the %d values read are written as a person's name", percent(share), n.values)
			if share < 0.5 {
				g.conf = detectors.Low
			}
		}
		var labels []string
		if tp := testPath(col.Loc); tp != "" && !cfg.KeepTestPaths {
			g, labels = testGrade(g, tp), []string{detectors.LabelTestData}
		}
		if g.conf < cfg.MinConfidence {
			continue
		}
		res.Findings = append(res.Findings, Finding{
			Location: col.Loc, Category: ev.Category, Count: col.NonNull, Confidence: g.conf,
			Detectors: []string{"column_name"}, Fingerprint: fingerprint(k, ev.Category, false), Labels: labels,
			ConfidenceReason: g.reason,
			Column:           &ColumnStats{Type: col.Type, Rows: col.Rows, NonNull: col.NonNull, Share: 1},
		})
		locs = append(locs, k)
	}
	// Document keys are evidence when most of their values agree
	// (kunder[].fornavn, author.name).
	for fk, k := range a.keys {
		if cfg.NoColumnNames {
			break
		}
		loc := fk.loc
		locStr := loc.String()
		if k.fits*2 <= k.values || seen[locStr+"\x00"+string(k.ev.Category)] {
			continue
		}
		g := grading{conf: k.ev.Confidence, reason: fmt.Sprintf("%d of the %d values at this key are written as %s", k.fits, k.values, keyNoun[k.ev.Category])}
		var labels []string
		if tp := testPath(loc); tp != "" && !cfg.KeepTestPaths {
			g, labels = testGrade(g, tp), []string{detectors.LabelTestData}
		}
		if g.conf < cfg.MinConfidence {
			continue
		}
		res.Findings = append(res.Findings, Finding{
			Location: loc, Category: k.ev.Category, Count: k.fits, Confidence: g.conf,
			Detectors: []string{"column_name"}, Fingerprint: fingerprint(locStr, k.ev.Category, false), Labels: labels,
			ConfidenceReason: g.reason, Lines: sortedInts(k.lines),
		})
		locs = append(locs, locStr)
	}
	order := map[detectors.Category]int{}
	for i, c := range detectors.Categories {
		order[c] = i
	}
	// By location, then category (built-in ones in report order, custom
	// ones after them by name), then the matches on lines without an
	// inline ignore before those with one: a total order, so that reports
	// of the same data are the same.
	rank := func(c detectors.Category) int {
		if i, ok := order[c]; ok {
			return i
		}
		return len(order)
	}
	perm := make([]int32, len(res.Findings))
	for i := range perm {
		perm[i] = int32(i)
	}
	slices.SortFunc(perm, func(i, j int32) int {
		a, b := &res.Findings[i], &res.Findings[j]
		if c := strings.Compare(locs[i], locs[j]); c != 0 {
			return c
		}
		if c := cmp.Compare(rank(a.Category), rank(b.Category)); c != 0 {
			return c
		}
		if c := strings.Compare(string(a.Category), string(b.Category)); c != 0 {
			return c
		}
		switch {
		case a.InlineIgnored == b.InlineIgnored:
			return 0
		case b.InlineIgnored:
			return -1
		}
		return 1
	})
	// Put finding perm[i] at i, cycle by cycle, in place.
	for i := range perm {
		if perm[i] < 0 {
			continue
		}
		tmp, j := res.Findings[i], int32(i)
		for {
			k := perm[j]
			perm[j] = -1
			if int(k) == i {
				res.Findings[j] = tmp
				break
			}
			res.Findings[j] = res.Findings[k]
			j = k
		}
	}
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
