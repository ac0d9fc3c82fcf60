package scanner

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/piimap/piimap/detectors"
	"github.com/piimap/piimap/internal/corpus"
	"github.com/piimap/piimap/sources"
	"github.com/piimap/piimap/sources/files"
)

// corpusText returns about size bytes of generated log lines, a
// personal-data line every 40 lines on average.
func corpusText(t *testing.T, size int64, seed uint64) []byte {
	t.Helper()
	var b bytes.Buffer
	if _, _, err := corpus.Write(&b, size, corpus.Options{Seed: seed, PIIEvery: 40}); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// countingSource counts the parts (ranges) its source yields.
type countingSource struct {
	sources.Source
	parts *int
}

func (c countingSource) Units(ctx context.Context, yield func(sources.Unit) bool) error {
	return c.Source.Units(ctx, func(u sources.Unit) bool {
		if _, ok := u.(sources.Part); ok {
			*c.parts++
		}
		return yield(u)
	})
}

// splitScan scans dir with the files source, every detector, a value key
// (so value fingerprints are compared too), files larger than split bytes
// read in ranges (negative: none), chunks of chunk bytes. It returns the
// result, how many parts were read, and the last progress report.
func splitScan(t *testing.T, dir string, split int64, chunk, workers int) (*Result, int, Progress) {
	t.Helper()
	parts := 0
	var last Progress
	cfg := Config{
		Targets: []string{dir}, Detectors: detectors.All(), Workers: workers,
		ValueKey: []byte("split test value key, 32 bytes.."),
		Open: func(ctx context.Context, target string) (sources.Source, error) {
			src, err := files.New(target, sources.Options{SplitSize: split, ChunkSize: chunk}, slog.New(slog.DiscardHandler))
			if err != nil {
				return nil, err
			}
			return countingSource{src, &parts}, nil
		},
		Progress: func(p Progress) { last = p },
	}
	res, err := Scan(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	return res, parts, last
}

// sameResult fails t when got differs from want in anything but the time
// of the scan. Expected (a float sum of chances) is compared to 1e-9: the
// ranges' sums are added up per range first. Findings are compared as a
// set: the order of the two findings of one location and category (inline
// ignored and not) is not fixed, whole or in ranges.
func sameResult(t *testing.T, what string, want, got *Result) {
	t.Helper()
	if diff := cmp.Diff(want, got, cmpopts.IgnoreFields(Result{}, "Started", "Duration"), cmpopts.EquateApprox(0, 1e-9), cmpopts.EquateEmpty(),
		cmpopts.SortSlices(func(a, b Finding) bool { return a.Fingerprint < b.Fingerprint })); diff != "" {
		t.Errorf("%s: result differs from reading the file whole (-whole +%s):\n%s", what, what, diff)
	}
}

// checkRich fails t unless res has findings with line numbers, examples,
// candidate counts and value fingerprints, so that comparing two results
// compares them.
func checkRich(t *testing.T, res *Result) {
	t.Helper()
	var lines, examples, cands, values bool
	for _, f := range res.Findings {
		lines = lines || len(f.Lines) > 0
		examples = examples || len(f.Examples) > 0
		cands = cands || f.Candidates > 0
		values = values || len(f.Values) > 0
	}
	if len(res.Findings) < 3 || !lines || !examples || !cands || !values {
		t.Fatalf("want findings with lines, examples, candidates and values; got %d findings (lines %v, examples %v, candidates %v, values %v)",
			len(res.Findings), lines, examples, cands, values)
	}
}

func writeFile(t *testing.T, dir, name string, data []byte) {
	t.Helper()
	if err := os.WriteFile(filepath.Join(dir, name), data, 0o600); err != nil {
		t.Fatal(err)
	}
}

// jsonLines wraps each line of text in a JSON object, its text under the
// key path "event.msg".
func jsonLines(t *testing.T, text []byte) []byte {
	var b bytes.Buffer
	for i, line := range bytes.Split(bytes.TrimSuffix(text, []byte("\n")), []byte("\n")) {
		msg, err := json.Marshal(string(line))
		if err != nil {
			t.Fatal(err)
		}
		fmt.Fprintf(&b, "{\"seq\":%d,\"event\":{\"msg\":%s}}\n", i, msg)
	}
	return b.Bytes()
}

// TestSplitFileSameAsWhole scans a generated 3 MB log and a JSON-lines log
// whole, in ranges with one worker and in ranges with two, and requires the
// same result: findings with their line numbers, counts, confidence,
// examples, candidate counts and value fingerprints, bytes and files.
func TestSplitFileSameAsWhole(t *testing.T) {
	dir := t.TempDir()
	text := corpusText(t, 3<<20, 7)
	// Inline ignore comments on some lines, ignoring one category or all.
	lines := bytes.SplitAfter(text, []byte("\n"))
	for i := 0; i < len(lines); i += 97 {
		lines[i] = append(bytes.TrimSuffix(lines[i], []byte("\n")), []byte(" # piimap:ignore ip_address\n")...)
	}
	for i := 13; i < len(lines); i += 211 {
		lines[i] = append(bytes.TrimSuffix(lines[i], []byte("\n")), []byte(" // piimap:ignore\n")...)
	}
	text = bytes.Join(lines, nil)
	writeFile(t, dir, "app.log", text)
	writeFile(t, dir, "events.jsonl", jsonLines(t, corpusText(t, 2<<20, 8)))
	size := int64(len(text))

	for _, tc := range []struct {
		name  string
		split int64
		chunk int
		parts int // at least
	}{
		{"64KiB chunks", 256 << 10, 64 << 10, 40},
		{"default chunks", 1 << 20, 0, 4},
	} {
		t.Run(tc.name, func(t *testing.T) {
			whole, n, _ := splitScan(t, dir, -1, tc.chunk, 2)
			if n != 0 {
				t.Fatalf("splitting off: %d parts read", n)
			}
			checkRich(t, whole)
			inline := false
			for _, f := range whole.Findings {
				inline = inline || f.InlineIgnored
			}
			if !inline {
				t.Fatal("no finding of inline-ignored values")
			}
			if whole.Files != 2 || whole.Bytes != size+int64(len(jsonLines(t, corpusText(t, 2<<20, 8)))) {
				t.Fatalf("whole: files %d, bytes %d", whole.Files, whole.Bytes)
			}
			for _, workers := range []int{1, 2} {
				got, parts, prog := splitScan(t, dir, tc.split, tc.chunk, workers)
				if parts < tc.parts {
					t.Fatalf("workers=%d: %d parts read, want at least %d", workers, parts, tc.parts)
				}
				sameResult(t, fmt.Sprintf("ranges, workers=%d", workers), whole, got)
				if prog.Units != 2 || prog.Listed != 2 || prog.ListedBytes != whole.Bytes || prog.Bytes != whole.Bytes {
					t.Errorf("workers=%d: progress %+v, want 2 units of 2 listed, %d bytes", workers, prog, whole.Bytes)
				}
			}
		})
	}
}

// TestSplitEdges: files whose ranges meet awkward content are read as
// when read whole.
func TestSplitEdges(t *testing.T) {
	const split, chunk = 64 << 10, 4 << 10 // ranges of at least 8 KiB
	base := corpusText(t, 300<<10, 11)
	long := bytes.ReplaceAll(corpusText(t, 40<<10, 12), []byte("\n"), []byte(" ")) // a 40 KiB line
	mid := bytes.IndexByte(base[len(base)/2:], '\n') + len(base)/2 + 1
	exact := corpusText(t, split+8<<10, 13)
	exact = exact[:bytes.LastIndexByte(exact[:split], '\n')+1]
	exact = append(exact, bytes.Repeat([]byte("x"), split-len(exact)-1)...)
	exact = append(exact, '\n') // split bytes exactly
	for _, tc := range []struct {
		name  string
		data  []byte
		split bool
	}{
		{"last line without newline", bytes.TrimSuffix(base, []byte("\n")), true},
		{"a line longer than a range", append(append(append([]byte{}, base[:mid]...), long...), base[mid:]...), true},
		{"a line longer than a range at the end", append(append([]byte{}, base...), long...), true},
		{"CRLF", bytes.ReplaceAll(base, []byte("\n"), []byte("\r\n")), true},
		{"BOM", append([]byte("\xef\xbb\xbf"), base...), true},
		{"exactly the threshold", exact, false},
		{"one byte above the threshold", append(append([]byte{}, exact...), '\n'), true},
		{"one line", long, false},
		{"CSV", append([]byte("navn;epost;telefon\n"), bytes.ReplaceAll(base, []byte(" "), []byte(";"))...), false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			name := "big.log"
			if tc.name == "CSV" {
				name = "big.csv"
			}
			writeFile(t, dir, name, tc.data)
			whole, _, _ := splitScan(t, dir, -1, chunk, 2)
			if len(whole.Findings) == 0 {
				t.Fatal("no findings")
			}
			if whole.Bytes != int64(len(tc.data)) {
				t.Fatalf("whole: %d bytes, want %d", whole.Bytes, len(tc.data))
			}
			got, parts, _ := splitScan(t, dir, split, chunk, 2)
			if tc.split && parts < 4 || !tc.split && parts != 0 {
				t.Fatalf("%d parts read (split: %v)", parts, tc.split)
			}
			sameResult(t, "ranges", whole, got)
		})
	}
}

// TestSplitLongLineLines: the values of a line longer than a range, and of
// the lines after it, are found once at their line numbers when the file
// is read in ranges.
func TestSplitLongLineLines(t *testing.T) {
	dir := t.TempDir()
	var b bytes.Buffer
	for i := 1; i <= 2000; i++ {
		switch i {
		case 1000: // 60 KiB, two values in it
			b.WriteString("kunde e-post ola.nordmann@gmail.com " + strings.Repeat("lorem ipsum ", 5000) + " kari.nordmann@gmail.com\n")
		case 1500:
			b.WriteString("kontakt per.hansen@gmail.com\n")
		default:
			fmt.Fprintf(&b, "%d INFO request handled in %d ms\n", i, i%97)
		}
	}
	writeFile(t, dir, "app.log", b.Bytes())
	res, parts, _ := splitScan(t, dir, 64<<10, 4<<10, 2)
	if parts < 4 {
		t.Fatalf("%d parts", parts)
	}
	var email *Finding
	for i := range res.Findings {
		if res.Findings[i].Category == detectors.Email {
			email = &res.Findings[i]
		}
	}
	if email == nil || email.Count != 3 || fmt.Sprint(email.Lines) != "[1000 1500]" {
		t.Fatalf("email finding = %+v, want 3 values on lines 1000 and 1500", email)
	}
}

func TestPartsMergeInOrder(t *testing.T) {
	whole := &sources.Whole{Loc: sources.Location{Path: "big.log"}}
	part := func(i int, last bool, examples []string, lines []int64, failed bool) (sources.Part, *aggregate) {
		a := newAggregate()
		f := a.find(whole.Loc, detectors.Email, false)
		for j, ex := range examples {
			f.add(detectors.Match{Detector: "email", Category: detectors.Email, Confidence: detectors.High}, ex, lines[j], 0, nil)
		}
		if failed {
			a.fail(whole.Loc, errors.New("read big.log: input/output error"))
		}
		a.files, a.bytes = 1, 10
		return testPart{whole, i, last}, a
	}
	var ps parts
	p2, a2 := part(2, true, []string{"e", "f"}, []int64{50, 60}, true)
	p1, a1 := part(1, false, []string{"c", "d"}, []int64{30, 40}, true)
	p0, a0 := part(0, false, []string{"a", "b"}, []int64{10, 20}, false)
	if ps.add(p2, a2) != nil || ps.add(p1, a1) != nil {
		t.Fatal("done before every part was read")
	}
	got := ps.add(p0, a0)
	if got == nil {
		t.Fatal("not done when every part was read")
	}
	f := got.findings[findingKey{whole.Loc, detectors.Email, false}]
	if fmt.Sprint(f.examples, f.lines, f.count) != "[a b c] [10 20 30 40 50] 6" {
		t.Errorf("examples, lines, count = %v %v %d, want the first ones in order", f.examples, f.lines, f.count)
	}
	if got.files != 1 || got.bytes != 30 || len(got.failures) != 1 {
		t.Errorf("files %d, bytes %d, failures %v: want the file once, every byte, the failure once", got.files, got.bytes, got.failures)
	}
	if len(ps.groups) != 0 {
		t.Errorf("%d groups left", len(ps.groups))
	}
}

type testPart struct {
	whole *sources.Whole
	index int
	last  bool
}

func (p testPart) Location() sources.Location               { return p.whole.Loc }
func (p testPart) Size() int64                              { return 0 }
func (p testPart) Read(context.Context, sources.Sink) error { return nil }
func (p testPart) PartOf() (*sources.Whole, int, bool)      { return p.whole, p.index, p.last }
func (p testPart) Lines() (lead, owned int64, ok bool)      { return 0, 0, true }

// TestSplitCancelled: a scan cancelled while a file is read in ranges ends
// with a partial result, marked incomplete, holding what the ranges read.
func TestSplitCancelled(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, dir, "app.log", corpusText(t, 2<<20, 5))
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	cfg := Config{
		Targets: []string{dir}, Detectors: detectors.All(), Workers: 2,
		Open: func(ctx context.Context, target string) (sources.Source, error) {
			return files.New(target, sources.Options{SplitSize: 128 << 10, ChunkSize: 16 << 10}, nil)
		},
		Progress: func(Progress) { cancel() }, // after the first range
	}
	res, err := Scan(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	if !res.Incomplete || res.Bytes == 0 || res.Bytes >= 2<<20 || len(res.Findings) == 0 {
		t.Fatalf("incomplete %v, %d bytes, %d findings: want a partial result", res.Incomplete, res.Bytes, len(res.Findings))
	}
}

// TestSplitDeepLines: findings deep in later ranges of a file, past lines
// longer than a range (empty ranges), carry the line numbers of the file,
// as when it is read whole: plain text (the first lines of a category) and
// JSON lines (one finding per key path, each on its own line).
func TestSplitDeepLines(t *testing.T) {
	dir := t.TempDir()
	var text bytes.Buffer
	emails := map[int]bool{20001: true, 22222: true, 25000: true, 27777: true, 29999: true}
	for i := 1; i <= 30000; i++ {
		switch {
		case emails[i]:
			fmt.Fprintf(&text, "%d kontakt per.hansen%d@gmail.com\n", i, i)
		case i == 10000 || i == 15000: // 20 KiB: empty ranges
			text.WriteString(strings.Repeat("lorem ipsum ", 1700) + "\n")
		default:
			fmt.Fprintf(&text, "%d INFO request handled in %d ms\n", i, i%97)
		}
	}
	writeFile(t, dir, "app.log", text.Bytes())
	var js bytes.Buffer
	want := map[string]int64{} // key path → line
	for i := 1; i <= 12000; i++ {
		switch {
		case i%997 == 0 && i > 3000:
			fmt.Fprintf(&js, "{\"seq\":%d,\"u%d\":{\"email\":\"kunde%d@example.no\"}}\n", i, i, i)
			want[fmt.Sprintf("u%d.email", i)] = int64(i)
		case i == 5000:
			fmt.Fprintf(&js, "{\"seq\":%d,\"note\":%q}\n", i, strings.Repeat("lorem ipsum ", 1700))
		default:
			fmt.Fprintf(&js, "{\"seq\":%d,\"event\":{\"msg\":\"request handled\"}}\n", i)
		}
	}
	writeFile(t, dir, "events.jsonl", js.Bytes())
	whole, _, _ := splitScan(t, dir, -1, 4<<10, 1)
	for _, workers := range []int{1, 2} {
		got, parts, _ := splitScan(t, dir, 64<<10, 4<<10, workers)
		if parts < 200 {
			t.Fatalf("%d parts", parts)
		}
		sameResult(t, fmt.Sprintf("ranges, workers=%d", workers), whole, got)
		found := 0
		for _, f := range got.Findings {
			switch {
			case f.Category != detectors.Email:
			case f.Location.Path == "app.log":
				if fmt.Sprint(f.Lines) != "[20001 22222 25000 27777 29999]" || f.Count != 5 {
					t.Errorf("app.log: %d e-mail addresses on lines %v, want 5 on lines 20001 … 29999", f.Count, f.Lines)
				}
				found++
			case want[f.Location.Field] > 0:
				if len(f.Lines) != 1 || f.Lines[0] != want[f.Location.Field] {
					t.Errorf("%s: lines %v, want [%d]", f.Location, f.Lines, want[f.Location.Field])
				}
				found++
			}
		}
		if found != len(want)+1 {
			t.Errorf("workers=%d: %d e-mail findings checked, want %d", workers, found, len(want)+1)
		}
	}
}

// wrapSource passes its source's units through wrap, which may ask for a
// unit to be yielded after all the others (later).
type wrapSource struct {
	sources.Source
	wrap func(u sources.Unit) (w sources.Unit, later bool)
}

func (s wrapSource) Units(ctx context.Context, yield func(sources.Unit) bool) error {
	var held []sources.Unit
	err := s.Source.Units(ctx, func(u sources.Unit) bool {
		w, later := s.wrap(u)
		if later {
			held = append(held, w)
			return true
		}
		return yield(w)
	})
	for _, u := range held {
		if !yield(u) {
			break
		}
	}
	return err
}

// wrapScan scans dir like splitScan (ranges of 8 KiB, chunks of 4 KiB),
// its units passed through wrap.
func wrapScan(t *testing.T, ctx context.Context, dir string, workers int, wrap func(u sources.Unit) (sources.Unit, bool)) *Result {
	t.Helper()
	cfg := Config{
		Targets: []string{dir}, Detectors: detectors.All(), Workers: workers,
		ValueKey: []byte("split test value key, 32 bytes.."),
		Open: func(ctx context.Context, target string) (sources.Source, error) {
			src, err := files.New(target, sources.Options{SplitSize: 64 << 10, ChunkSize: 4 << 10}, slog.New(slog.DiscardHandler))
			if err != nil {
				return nil, err
			}
			return wrapSource{src, wrap}, nil
		},
	}
	res, err := Scan(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	return res
}

// spyPart reports what its part handed over.
type spyPart struct {
	sources.Part
	chunks, bytes *int64
}

func (p spyPart) Read(ctx context.Context, sink sources.Sink) error {
	return p.Part.Read(ctx, &spySink{Sink: sink, p: p})
}

type spySink struct {
	sources.Sink
	p spyPart
}

func (s *spySink) Text(ctx context.Context, c *sources.Chunk) error {
	*s.p.chunks++
	return s.Sink.Text(ctx, c)
}

func (s *spySink) Scanned(loc sources.Location, n, rows int64) {
	*s.p.bytes += n
	s.Sink.Scanned(loc, n, rows)
}

// TestSplitEmptyRanges: ranges inside a line longer than a range hand
// over nothing and own no bytes, and the file's findings (in that line
// and after it, with their lines) are those of reading it whole.
func TestSplitEmptyRanges(t *testing.T) {
	dir := t.TempDir()
	var b bytes.Buffer
	for i := 1; i <= 3000; i++ {
		switch i {
		case 1000: // 60 KiB
			b.WriteString("kunde ola.nordmann@gmail.com " + strings.Repeat("lorem ipsum ", 2500) + " tlf 912 34 567 " + strings.Repeat("dolor sit ", 3000) + " kari.nordmann@gmail.com\n")
		case 2500:
			b.WriteString("kontakt per.hansen@gmail.com\n")
		default:
			fmt.Fprintf(&b, "%d INFO request handled in %d ms\n", i, i%97)
		}
	}
	writeFile(t, dir, "app.log", b.Bytes())
	whole, _, _ := splitScan(t, dir, -1, 4<<10, 1)
	var mu sync.Mutex
	var stats [][2]*int64
	got := wrapScan(t, context.Background(), dir, 2, func(u sources.Unit) (sources.Unit, bool) {
		p, ok := u.(sources.Part)
		if !ok {
			return u, false
		}
		mu.Lock()
		defer mu.Unlock()
		s := [2]*int64{new(int64), new(int64)}
		stats = append(stats, s)
		return spyPart{p, s[0], s[1]}, false
	})
	sameResult(t, "ranges", whole, got)
	empty := 0
	for _, s := range stats {
		if *s[0] == 0 && *s[1] == 0 {
			empty++
		}
	}
	if len(stats) < 10 || empty < 4 {
		t.Errorf("%d ranges, %d of them empty: want a few empty ones", len(stats), empty)
	}
	for _, f := range got.Findings {
		if f.Category == detectors.Email && (f.Count != 3 || fmt.Sprint(f.Lines) != "[1000 2500]") {
			t.Errorf("e-mail: %d on lines %v, want 3 on lines 1000 and 2500", f.Count, f.Lines)
		}
	}
}

// TestSplitFileGrows: a file appended to after it was listed, before its
// last range is read, gives what reading it whole then gives: the last
// range reads to its new end.
func TestSplitFileGrows(t *testing.T) {
	dir := t.TempDir()
	var b bytes.Buffer
	for i := 1; b.Len() < 200<<10; i++ {
		fmt.Fprintf(&b, "%d INFO request handled in %d ms\n", i, i%97)
	}
	writeFile(t, dir, "app.log", b.Bytes())
	more := append([]byte("kontakt per.hansen@gmail.com, tlf 912 34 567\n"), corpusText(t, 100<<10, 21)...)
	grown := append(bytes.Clone(b.Bytes()), more...)
	parts := 0
	got := wrapScan(t, context.Background(), dir, 1, func(u sources.Unit) (sources.Unit, bool) {
		if p, ok := u.(sources.Part); ok {
			parts++
			if _, _, last := p.PartOf(); last {
				appendFile(t, filepath.Join(dir, "app.log"), more)
			}
		}
		return u, false
	})
	if parts < 10 {
		t.Fatalf("%d parts", parts)
	}
	whole, _, _ := splitScan(t, dir, -1, 4<<10, 1)
	checkRich(t, whole)
	if whole.Bytes != int64(len(grown)) {
		t.Fatalf("whole: %d bytes, want %d", whole.Bytes, len(grown))
	}
	sameResult(t, "ranges of a growing file", whole, got)
}

// TestSplitInterruptedLines: a part that was not read, or not to its end
// (the scan was interrupted), leaves the parts after it not knowing how
// many lines come before them: their findings are reported without line
// numbers, those of the parts before it with theirs, and no line number
// reported is wrong.
func TestSplitInterruptedLines(t *testing.T) {
	dir := t.TempDir()
	var js bytes.Buffer
	for i := 1; js.Len() < 300<<10; i++ {
		if i%50 == 0 { // one finding (key path) per line
			fmt.Fprintf(&js, "{\"seq\":%d,\"u%d\":{\"email\":\"kunde%d@example.no\"}}\n", i, i, i)
		} else {
			fmt.Fprintf(&js, "{\"seq\":%d,\"event\":{\"msg\":\"request handled\"}}\n", i)
		}
	}
	writeFile(t, dir, "events.jsonl", js.Bytes())
	whole, _, _ := splitScan(t, dir, -1, 4<<10, 1)
	lines := map[string]string{}
	for _, f := range whole.Findings {
		lines[f.Location.String()] = fmt.Sprint(f.Lines)
	}
	// Part 3 is yielded after all the others, and one worker reads them
	// in that order: the scan ends (cancelled) either when the last part
	// has been read, before part 3 is (not read), or as part 3 is read
	// (cut short).
	for _, cutShort := range []bool{false, true} {
		ctx, cancel := context.WithCancel(context.Background())
		got := wrapScan(t, ctx, dir, 1, func(u sources.Unit) (sources.Unit, bool) {
			p, ok := u.(sources.Part)
			if !ok {
				return u, false
			}
			switch _, i, last := p.PartOf(); {
			case i == 3:
				if cutShort {
					return cancelPart{p, cancel, true}, true
				}
				return u, true
			case last && !cutShort:
				return cancelPart{p, cancel, false}, false
			}
			return u, false
		})
		cancel()
		if !got.Incomplete {
			t.Errorf("cut short %v: not marked incomplete", cutShort)
		}
		with, without := 0, 0
		for _, f := range got.Findings {
			if f.Category != detectors.Email {
				continue
			}
			if len(f.Lines) == 0 {
				without++
				continue
			}
			with++
			if want := lines[f.Location.String()]; fmt.Sprint(f.Lines) != want {
				t.Errorf("cut short %v: %s on lines %v, want %s", cutShort, f.Location, f.Lines, want)
			}
		}
		if with == 0 || without == 0 {
			t.Errorf("cut short %v: %d e-mail findings with line numbers, %d without: want both", cutShort, with, without)
		}
	}
}

// cancelPart cancels the scan before it reads its part (first) or after.
type cancelPart struct {
	sources.Part
	cancel context.CancelFunc
	first  bool
}

func (p cancelPart) Read(ctx context.Context, sink sources.Sink) error {
	if p.first {
		p.cancel()
		return p.Part.Read(ctx, sink)
	}
	err := p.Part.Read(ctx, sink)
	p.cancel()
	return err
}

// TestPartsMergeLines: merging parts in order adds the lines of the parts
// before each one to its line numbers; after a part that does not know its
// lines, and in what an interrupted scan read after a part it did not
// read, line numbers are dropped, not guessed.
func TestPartsMergeLines(t *testing.T) {
	whole := &sources.Whole{Loc: sources.Location{Path: "big.log"}}
	part := func(i int, last bool, line, lead, owned int64, known bool) (sources.Part, *aggregate) {
		a := newAggregate()
		a.find(whole.Loc, detectors.Email, false).add(detectors.Match{Detector: "email", Category: detectors.Email, Confidence: detectors.High}, "x", line, 0, nil)
		a.lead, a.ownedLines, a.linesUnknown = lead, owned, !known
		return testPart{whole, i, last}, a
	}
	linesOf := func(a *aggregate) string {
		f := a.findings[findingKey{whole.Loc, detectors.Email, false}]
		return fmt.Sprint(f.lines, f.count)
	}
	var ps parts
	p0, a0 := part(0, false, 10, 0, 100, true)
	p1, a1 := part(1, false, 5, 2, 50, true) // line 5 - 2 + 100
	p2, a2 := part(2, false, 7, 1, 0, false) // line 7 - 1 + 150, then unknown
	p3, a3 := part(3, true, 9, 3, 40, true)  // unknown
	if ps.add(p3, a3) != nil || ps.add(p1, a1) != nil || ps.add(p2, a2) != nil {
		t.Fatal("done before every part was read")
	}
	if got := ps.add(p0, a0); got == nil || linesOf(got) != "[10 103 156] 4" {
		t.Errorf("lines, count = %s, want [10 103 156] 4", linesOf(got))
	}

	// Parts 0 and 2 read, part 1 not: part 2's lines are unknown.
	ps = parts{}
	p0, a0 = part(0, false, 10, 0, 100, true)
	p2, a2 = part(2, true, 7, 1, 0, true)
	if ps.add(p2, a2) != nil || ps.add(p0, a0) != nil {
		t.Fatal("done before every part was read")
	}
	rest := ps.rest()
	if len(rest) != 1 || linesOf(rest[0]) != "[10] 2" {
		t.Errorf("interrupted: lines, count = %s, want [10] 2", linesOf(rest[0]))
	}
}

// appendFile appends data to the file at p, as a logger does.
func appendFile(t *testing.T, p string, data []byte) {
	t.Helper()
	f, err := os.OpenFile(p, os.O_WRONLY|os.O_APPEND, 0)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.Write(data); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
}
