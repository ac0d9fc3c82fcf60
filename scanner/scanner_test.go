package scanner

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/piimap/piimap/detectors"
	"github.com/piimap/piimap/internal/corpus"
	"github.com/piimap/piimap/sources"
)

// tokenDetector reports every "PII-<digits>" token: a detector small enough
// that these tests exercise the scanner's own mechanics (chunk ownership,
// line numbers, aggregation, shares), not detection.
type tokenDetector struct{}

func (tokenDetector) ID() string                   { return "test_token" }
func (tokenDetector) Category() detectors.Category { return detectors.NationalID }
func (tokenDetector) Description() string          { return "PII-n tokens" }
func (tokenDetector) Positives() []detectors.Example {
	return nil
}
func (tokenDetector) Negatives() []detectors.Example { return nil }
func (tokenDetector) ContextWords() []string         { return nil }
func (tokenDetector) Find(in *detectors.Input, emit func(detectors.Match)) {
	b := in.Buf
	for i := 0; ; {
		j := bytes.Index(b[i:], []byte("PII-"))
		if j < 0 {
			return
		}
		s := i + j
		e := s + 4
		for e < len(b) && detectors.IsDigit(b[e]) {
			e++
		}
		conf := detectors.Medium
		if in.Context(s, detectors.NewWordSet("fnr"), detectors.NewWordSet("ordrenr")) == detectors.Boost {
			conf = detectors.High
		}
		emit(detectors.Match{Detector: "test_token", Category: detectors.NationalID, Start: s, End: e, Value: string(b[s:e]), Confidence: conf})
		i = e
	}
}

// memSource serves units from memory.
type memSource struct{ units []sources.Unit }

func (m memSource) Units(ctx context.Context, yield func(sources.Unit) bool) error {
	for _, u := range m.units {
		if !yield(u) {
			return ctx.Err()
		}
	}
	return nil
}
func (memSource) Close() error { return nil }

// textUnit hands its text over in chunks of size with overlap, like the files source.
type textUnit struct {
	path    string
	text    string
	size    int
	overlap int
	err     error
	json    bool // JSON lines: key paths are fields
}

func (u textUnit) Location() sources.Location { return sources.Location{Path: u.path} }
func (u textUnit) Size() int64                { return int64(len(u.text)) }
func (u textUnit) Read(ctx context.Context, sink sources.Sink) error {
	if u.err != nil {
		return u.err
	}
	data := []byte(u.text)
	line := int64(1)
	for start := 0; start < len(data); {
		end := min(start+u.size, len(data))
		c := &sources.Chunk{Loc: u.Location(), Data: data[start:end], Line: line, JSON: u.json}
		if start > 0 {
			c.Skip = 0
		}
		if end < len(data) {
			c.Limit = end - start - u.overlap
		}
		if err := sink.Text(ctx, c); err != nil {
			return err
		}
		if end == len(data) {
			break
		}
		next := end - u.overlap
		line += int64(bytes.Count(data[start:next], []byte{'\n'}))
		start = next
	}
	sink.Scanned(u.Location(), int64(len(data)), 0)
	return nil
}

func scan(t *testing.T, cfg Config, units ...sources.Unit) *Result {
	t.Helper()
	cfg.Targets = []string{"mem"}
	cfg.Open = func(context.Context, string) (sources.Source, error) { return memSource{units}, nil }
	if cfg.Detectors == nil {
		cfg.Detectors = []detectors.Detector{tokenDetector{}}
	}
	res, err := Scan(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	return res
}

func TestChunkEdgesFoundOnceWithLines(t *testing.T) {
	var sb strings.Builder
	for i := 1; i <= 500; i++ {
		fmt.Fprintf(&sb, "line %d some filler text here PII-%d and more\n", i, i)
	}
	res := scan(t, Config{Workers: 2}, textUnit{path: "a.log", text: sb.String(), size: 200, overlap: 40})
	if len(res.Findings) != 1 {
		t.Fatalf("findings = %d, want 1: %+v", len(res.Findings), res.Findings)
	}
	f := res.Findings[0]
	if f.Count != 500 {
		t.Errorf("count = %d, want 500 (each value exactly once across chunk edges)", f.Count)
	}
	if want := []int64{1, 2, 3, 4, 5}; fmt.Sprint(f.Lines) != fmt.Sprint(want) {
		t.Errorf("lines = %v, want %v", f.Lines, want)
	}
	if len(f.Examples) != MaxExamples {
		t.Errorf("examples = %v, want %d", f.Examples, MaxExamples)
	}
	for _, ex := range f.Examples {
		if strings.Contains(ex, "PII-1") && !strings.Contains(ex, "*") {
			t.Errorf("example %q is not masked", ex)
		}
	}
	if res.Files != 1 || res.Bytes != int64(sb.Len()) {
		t.Errorf("files=%d bytes=%d, want 1 and %d", res.Files, res.Bytes, sb.Len())
	}
	if !strings.HasPrefix(f.Fingerprint, "pm1:") || strings.Contains(f.Fingerprint, "PII") {
		t.Errorf("fingerprint %q", f.Fingerprint)
	}
}

func TestLineNumbersLateInChunk(t *testing.T) {
	text := "a\nb\nc\nfnr PII-7\n"
	res := scan(t, Config{}, textUnit{path: "x", text: text, size: 1 << 20})
	if got := res.Findings[0].Lines; len(got) != 1 || got[0] != 4 {
		t.Fatalf("lines = %v, want [4]", got)
	}
	if res.Findings[0].Confidence != detectors.High {
		t.Errorf("confidence = %v, want high from context", res.Findings[0].Confidence)
	}
}

func TestShowValuesAndMinConfidence(t *testing.T) {
	u := textUnit{path: "x", text: "PII-12345 fnr PII-777\n", size: 1 << 20}
	res := scan(t, Config{ShowValues: true}, u)
	if ex := strings.Join(res.Findings[0].Examples, ","); !strings.Contains(ex, "PII-12345") {
		t.Errorf("examples %q should be unmasked with ShowValues", ex)
	}
	res = scan(t, Config{}, u)
	if ex := strings.Join(res.Findings[0].Examples, ","); strings.Contains(ex, "PII-12345") {
		t.Errorf("examples %q leak the value", ex)
	}
	// A finding's confidence is its best match; --min-confidence high keeps it, but a
	// file with only medium matches is dropped.
	res = scan(t, Config{MinConfidence: detectors.High}, textUnit{path: "y", text: "PII-1 PII-2\n", size: 100})
	if len(res.Findings) != 0 {
		t.Errorf("min confidence high kept %+v", res.Findings)
	}
}

func TestFailuresAndFingerprintsStable(t *testing.T) {
	units := []sources.Unit{
		textUnit{path: "ok", text: "PII-1\n", size: 100},
		textUnit{path: "bad", err: errors.New("permission denied")},
	}
	r1 := scan(t, Config{}, units...)
	r2 := scan(t, Config{Workers: 1}, units...)
	if len(r1.Failures) != 1 || r1.Failures[0].Location.Path != "bad" || !strings.Contains(r1.Failures[0].Error, "permission denied") {
		t.Fatalf("failures = %+v", r1.Failures)
	}
	if r1.Findings[0].Fingerprint != r2.Findings[0].Fingerprint {
		t.Errorf("fingerprints differ between runs")
	}
	r3 := scan(t, Config{FingerprintKey: []byte("other")}, units...)
	if r3.Findings[0].Fingerprint == r1.Findings[0].Fingerprint {
		t.Errorf("fingerprint does not depend on the key")
	}
}

func TestShardsPartitionUnits(t *testing.T) {
	var units []sources.Unit
	for i := 0; i < 60; i++ {
		units = append(units, textUnit{path: fmt.Sprintf("f%02d", i), text: "PII-1\n", size: 100})
	}
	seen := map[string]int{}
	for k := 1; k <= 3; k++ {
		res := scan(t, Config{Shard: k, Shards: 3}, units...)
		if res.Files == 0 || res.Files == 60 {
			t.Errorf("shard %d/3 scanned %d files: not a split", k, res.Files)
		}
		for _, f := range res.Findings {
			seen[f.Location.Path]++
		}
	}
	if len(seen) != 60 {
		t.Errorf("shards covered %d of 60 units", len(seen))
	}
	for p, n := range seen {
		if n != 1 {
			t.Errorf("%s scanned by %d shards", p, n)
		}
	}
}

// columnUnit delivers one value per row of a column, then its Column stats.
type columnUnit struct {
	field  string
	values []string
}

func (u columnUnit) Location() sources.Location {
	return sources.Location{Target: "postgres://db:5432/shop", Path: "public.t", Table: true}
}
func (u columnUnit) Size() int64 { return int64(len(u.values)) }
func (u columnUnit) Read(ctx context.Context, sink sources.Sink) error {
	loc := u.Location()
	loc.Field = u.field
	var nonNull int64
	for i, v := range u.values {
		if v == "" {
			continue
		}
		nonNull++
		if err := sink.Text(ctx, &sources.Chunk{Loc: loc, Data: []byte(v), Row: int64(i + 1)}); err != nil {
			return err
		}
	}
	sink.Column(sources.Column{Loc: loc, Type: "text", Rows: int64(len(u.values)), NonNull: nonNull})
	sink.Scanned(u.Location(), 0, int64(len(u.values)))
	return nil
}

func TestColumnShareGradesConfidence(t *testing.T) {
	mostly := make([]string, 100)
	sparse := make([]string, 10000)
	for i := range mostly {
		mostly[i] = fmt.Sprintf("PII-%d", i)
	}
	for i := range sparse {
		sparse[i] = fmt.Sprint(100000 + i)
	}
	sparse[77] = "PII-1"
	res := scan(t, Config{}, columnUnit{"col_a", mostly}, columnUnit{"order_no", sparse})
	got := map[string]Finding{}
	for _, f := range res.Findings {
		got[f.Location.Field] = f
	}
	if f := got["col_a"]; f.Confidence != detectors.High || f.Column == nil || f.Column.Share != 1 {
		t.Errorf("col_a = %+v, want high with share 1", f)
	}
	if f := got["order_no"]; f.Confidence != detectors.Low || f.Count != 1 {
		t.Errorf("order_no = %+v, want one low-confidence match", f)
	}
	if res.Rows != 10100 {
		t.Errorf("rows = %d", res.Rows)
	}
}

func TestColumnNamesAreEvidence(t *testing.T) {
	res := scan(t, Config{}, columnUnit{"fornavn", []string{"Ola", "Kari", ""}}, columnUnit{"product_name", []string{"Kaffe"}})
	if len(res.Findings) != 1 {
		t.Fatalf("findings = %+v, want only fornavn", res.Findings)
	}
	f := res.Findings[0]
	if f.Category != detectors.Name || f.Count != 2 || f.Detectors[0] != "column_name" {
		t.Errorf("finding = %+v", f)
	}
	if len(f.Examples) != 0 {
		t.Errorf("column-name findings must not show values: %v", f.Examples)
	}
}

func TestCancelledScanIsIncomplete(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	res, err := Scan(ctx, Config{
		Targets: []string{"mem"}, Detectors: []detectors.Detector{tokenDetector{}},
		Open: func(context.Context, string) (sources.Source, error) {
			return memSource{[]sources.Unit{textUnit{path: "a", text: "PII-1", size: 10}}}, nil
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	if !res.Incomplete {
		t.Error("a cancelled scan must be marked incomplete")
	}
}

func TestStreamSeesEveryFindingOnce(t *testing.T) {
	var streamed []Finding
	units := []sources.Unit{
		textUnit{path: "a", text: "PII-1\n", size: 100},
		textUnit{path: "b", text: "PII-2 PII-3\n", size: 100},
		columnUnit{"fornavn", []string{"Ola"}},
	}
	res := scan(t, Config{Stream: func(f []Finding) { streamed = append(streamed, f...) }}, units...)
	if len(streamed) != len(res.Findings) || len(res.Findings) != 3 {
		t.Fatalf("streamed %d findings, result has %d, want 3 each", len(streamed), len(res.Findings))
	}
	fp := map[string]bool{}
	for _, f := range streamed {
		fp[f.Fingerprint] = true
	}
	for _, f := range res.Findings {
		if !fp[f.Fingerprint] {
			t.Errorf("finding %s was not streamed", f.Location)
		}
	}
}

// datedID returns an 11-digit id that starts with a date DDMMYY, as order
// numbers often do: its date part always holds, so only the control digits
// tell it from a fødselsnummer.
func datedID(r *rand.Rand) string {
	return fmt.Sprintf("%02d%02d%02d%05d", 1+r.IntN(28), 1+r.IntN(12), r.IntN(100), r.IntN(100000))
}

// TestCandidateShareGradesFreeText: in a log where almost every standalone
// 11-digit id fails the checksums, the few that pass are graded low; where
// most pass, they keep their confidence.
func TestCandidateShareGradesFreeText(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	noisy, clean := &strings.Builder{}, &strings.Builder{}
	valid := 0
	for i := 0; i < 3000; i++ {
		fmt.Fprintf(noisy, "value %s done\n", datedID(r))
	}
	for i := 0; i < 10; i++ {
		fmt.Fprintf(noisy, "value %s done\n", corpus.Fnr(r))
		fmt.Fprintf(clean, "value %s done\n", corpus.Fnr(r))
		valid++
	}
	dets := []detectors.Detector{detectors.NewNoFnr()}
	res := scan(t, Config{Detectors: dets},
		textUnit{path: "noisy.log", text: noisy.String(), size: 1 << 20},
		textUnit{path: "clean.log", text: clean.String(), size: 1 << 20})
	got := map[string]Finding{}
	for _, f := range res.Findings {
		got[f.Location.Path] = f
	}
	if f := got["noisy.log"]; f.Confidence != detectors.Low || f.Candidates != 3010 || f.Count < int64(valid) {
		t.Errorf("noisy.log: %+v, want low with 3010 candidates", f)
	}
	if f := got["clean.log"]; f.Confidence != detectors.Medium || f.Count != 10 {
		t.Errorf("clean.log: %+v, want medium", f)
	}
}

// TestJSONKeyJudgedOnItsOwnCandidates: in JSON lines, a key holding valid
// fødselsnummer and personnummer (a BankID subject) is judged on its own
// candidates, not on those of the other keys of the file (tens of
// thousands of order ids): it stays at the detectors' grading, while the
// order-id key's coincidences are graded Low with the reason.
func TestJSONKeyJudgedOnItsOwnCandidates(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 8))
	var b strings.Builder
	for i := 0; i < 3000; i++ {
		subject := ""
		if i%50 == 0 {
			subject = corpus.Fnr(r)
		}
		fmt.Fprintf(&b, `{"item":{"code":"%s"},"user":{"identity":{"subject":"%s"}}}`+"\n", datedID(r), subject)
	}
	dets := []detectors.Detector{detectors.NewNoFnr(), detectors.NewSePersonnummer(nil)}
	res := scan(t, Config{Detectors: dets}, textUnit{path: "events.jsonl", text: b.String(), size: 1 << 20, json: true})
	got := map[string]Finding{}
	for _, f := range res.Findings {
		got[f.Location.Field] = f
	}
	subj := got["user.identity.subject"]
	if subj.Count != 60 || subj.Confidence != detectors.High || subj.Candidates != 60 {
		t.Errorf("subject: count %d, confidence %v, candidates %d; want 60, high, 60", subj.Count, subj.Confidence, subj.Candidates)
	}
	ref := got["item.code"]
	if ref.Count == 0 || ref.Confidence != detectors.Low || ref.Candidates != 3000 || !strings.Contains(ref.ConfidenceReason, "of 3000 candidates validated; chance expects") {
		t.Errorf("item.code: %+v; want low with 3000 candidates and the chance reason", ref)
	}
}
