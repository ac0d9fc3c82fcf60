package files

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/klauspost/compress/gzip"
	"github.com/klauspost/compress/zstd"
	"github.com/ulikunitz/xz"
	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/unicode"

	"github.com/piimap/piimap/internal/corpus"
	"github.com/piimap/piimap/sources"
)

// needleSink finds a needle in each chunk's owned range, as a detector
// would, and records the absolute offsets of the finds.
type needleSink struct {
	*recSink
	needle []byte
	owned  int // content offset where the next owned range starts
	found  []int
}

func (s *needleSink) Text(ctx context.Context, c *sources.Chunk) error {
	lim := c.Limit
	if lim == 0 {
		lim = len(c.Data)
	}
	start := s.owned - c.Skip // content offset of Data[0]
	for i := c.Skip; i < lim; {
		j := bytes.Index(c.Data[i:], s.needle)
		if j < 0 || i+j >= lim {
			break
		}
		if i+j+len(s.needle) > len(c.Data) {
			s.t.Errorf("needle at %d owned by a chunk it does not fit in", start+i+j)
		}
		s.found = append(s.found, start+i+j)
		i += j + 1
	}
	s.owned += lim - c.Skip
	return s.recSink.Text(ctx, c)
}

func TestChunkEdgesExactlyOnce(t *testing.T) {
	needle := "NEEDLE-01010112345-END"
	rng := rand.New(rand.NewPCG(1, 2))
	for _, tc := range []struct {
		name     string
		chunk    int
		newlines bool
	}{
		{"lines, small chunks", 1500, true},
		{"lines, smallest chunks", minChunkSize, true},
		{"one long line", 1500, false},
		{"one long line, 4k chunks", 4096, false},
		{"lines, 4k chunks", 4096, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			// Needles at every offset class around chunk edges: place one
			// every 1..97 bytes so that some straddle every edge.
			var b strings.Builder
			var want []int
			for b.Len() < 200_000 {
				gap := 1 + rng.IntN(97)
				for range gap {
					if tc.newlines && rng.IntN(40) == 0 {
						b.WriteByte('\n')
					} else {
						b.WriteByte('a' + byte(rng.IntN(26)))
					}
				}
				want = append(want, b.Len())
				b.WriteString(needle)
			}
			content := b.String()
			dir := t.TempDir()
			write(t, dir, "x.log", []byte(content))
			rd := NewReader(sources.Options{ChunkSize: tc.chunk}, nil)
			ns := &needleSink{recSink: newRecSink(t), needle: []byte(needle)}
			if err := rd.ReadFile(context.Background(), filepath.Join(dir, "x.log"), sources.Location{Path: "x.log"}, ns); err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(ns.found, want) {
				t.Fatalf("found %d needles, want %d (first difference near %v)", len(ns.found), len(want), firstDiff(ns.found, want))
			}
			ns.checkTiling(t, "x.log", content)
			if n := len(ns.chunksOf("x.log")); n < len(content)/(tc.chunk+sources.Overlap) {
				t.Errorf("only %d chunks for %d bytes", n, len(content))
			}
			for _, c := range ns.chunksOf("x.log") {
				if len(c.data) > tc.chunk+sources.Overlap {
					t.Fatalf("chunk of %d bytes > ChunkSize+Overlap", len(c.data))
				}
				if tc.newlines && c.limit != 0 && c.limit < len(c.data) && c.data[c.limit-1] != '\n' {
					// cut at a newline when there is one in the second half
					if bytes.IndexByte(c.data[tc.chunk/2+sources.Overlap:], '\n') >= 0 {
						t.Errorf("chunk not cut at a newline although it has one")
					}
				}
			}
		})
	}
}

func firstDiff(a, b []int) string {
	for i := range min(len(a), len(b)) {
		if a[i] != b[i] {
			return fmt.Sprintf("index %d: got %d want %d", i, a[i], b[i])
		}
	}
	return "the end"
}

func TestLineNumbers(t *testing.T) {
	var b strings.Builder
	for i := 1; i <= 5000; i++ {
		fmt.Fprintf(&b, "line %d ola%d@example.no\n", i, i)
	}
	content := b.String()
	dir := t.TempDir()
	write(t, dir, "app.log", []byte(content))
	sink := scan(t, dir, sources.Options{ChunkSize: 4096})
	sink.checkTiling(t, "app.log", content)
	if got := sink.text("app.log"); got != content {
		t.Error("reassembled text differs from the file")
	}
	if sink.scanned["app.log"] != int64(len(content)) {
		t.Errorf("scanned %d bytes, want %d", sink.scanned["app.log"], len(content))
	}
	chunks := sink.chunksOf("app.log")
	if len(chunks) < 10 {
		t.Fatalf("%d chunks", len(chunks))
	}
	// Cut at newlines: every owned range but the first starts at a line start.
	for i, c := range chunks[1:] {
		if c.data[c.skip-1] != '\n' {
			t.Errorf("chunk %d owned range does not start a line", i+1)
		}
	}
}

// TestLongLineBoundedMemory reads a 50 MB file without a newline and checks
// that memory stays bounded by the chunk buffer, not the line.
func TestLongLineBoundedMemory(t *testing.T) {
	if testing.Short() {
		t.Skip("writes 50 MB")
	}
	const size = 50 << 20
	dir := t.TempDir()
	p := filepath.Join(dir, "one-line.log")
	f, err := os.Create(p)
	if err != nil {
		t.Fatal(err)
	}
	block := bytes.Repeat([]byte(`{"k":"v","fnr":"01010112345"},`), 1<<12)
	for n := 0; n < size; n += len(block) {
		if _, err := f.Write(block); err != nil {
			t.Fatal(err)
		}
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	fi, _ := os.Stat(p)

	rd := NewReader(sources.Options{}, nil)
	var chunks, owned int64
	var maxLen int
	sink := &countSink{text: func(c *sources.Chunk) {
		chunks++
		owned += int64(c.Limit - c.Skip)
		maxLen = max(maxLen, len(c.Data))
	}}
	runtime.GC()
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	if err := rd.ReadFile(context.Background(), p, sources.Location{Path: "one-line.log"}, sink); err != nil {
		t.Fatal(err)
	}
	runtime.ReadMemStats(&after)
	if owned != fi.Size() || sink.scanned != fi.Size() {
		t.Errorf("owned %d, scanned %d, file %d bytes", owned, sink.scanned, fi.Size())
	}
	if chunks < fi.Size()/(sources.DefaultChunkSize+sources.Overlap) {
		t.Errorf("%d chunks", chunks)
	}
	if maxLen > sources.DefaultChunkSize+sources.Overlap {
		t.Errorf("chunk of %d bytes", maxLen)
	}
	alloc := after.TotalAlloc - before.TotalAlloc
	t.Logf("TotalAlloc %d KiB for a %d MiB line; HeapInuse %d → %d KiB", alloc>>10, size>>20, before.HeapInuse>>10, after.HeapInuse>>10)
	if alloc > 4<<20 {
		t.Errorf("allocated %d bytes reading a %d-byte line: not bounded", alloc, fi.Size())
	}
	if after.HeapInuse > before.HeapInuse+8<<20 {
		t.Errorf("heap in use grew from %d to %d bytes", before.HeapInuse, after.HeapInuse)
	}
}

// countSink counts without keeping anything.
type countSink struct {
	text    func(*sources.Chunk)
	scanned int64
	failed  []error
	skipped []string
}

func (s *countSink) Text(_ context.Context, c *sources.Chunk) error {
	if s.text != nil {
		s.text(c)
	}
	return nil
}
func (s *countSink) Column(sources.Column)                  {}
func (s *countSink) Table(sources.Table)                    {}
func (s *countSink) Failed(_ sources.Location, err error)   { s.failed = append(s.failed, err) }
func (s *countSink) Skipped(_ sources.Location, r string)   { s.skipped = append(s.skipped, r) }
func (s *countSink) Scanned(_ sources.Location, n, _ int64) { s.scanned += n }

func numberedLines(n int) string {
	var b strings.Builder
	for i := 1; i <= n; i++ {
		fmt.Fprintf(&b, "%06d tlf 99%06d\n", i, i)
	}
	return b.String()
}

func gzipBytes(t testing.TB, p []byte) []byte {
	var buf bytes.Buffer
	w := gzip.NewWriter(&buf)
	if _, err := w.Write(p); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func zstdBytes(t testing.TB, p []byte) []byte {
	var buf bytes.Buffer
	w, err := zstd.NewWriter(&buf)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.Write(p); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func xzBytes(t testing.TB, p []byte) []byte {
	var buf bytes.Buffer
	w, err := xz.NewWriter(&buf)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.Write(p); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestCompressed(t *testing.T) {
	content := numberedLines(3000)
	dir := t.TempDir()
	write(t, dir, "app.log.2.gz", gzipBytes(t, []byte(content)))
	write(t, dir, "app.log.3.zst", zstdBytes(t, []byte(content)))
	write(t, dir, "app.log.4.xz", xzBytes(t, []byte(content)))
	write(t, dir, "misnamed.log", gzipBytes(t, []byte(content))) // magic decides
	write(t, dir, "twice.gz", gzipBytes(t, gzipBytes(t, []byte(content))))
	write(t, dir, "app.log.1", []byte(content))
	write(t, dir, "not-really.log.gz", []byte(content)) // magic decides, not the name
	bz, err := os.ReadFile("testdata/three-lines.txt.bz2")
	if err != nil {
		t.Fatal(err)
	}
	write(t, dir, "old.txt.bz2", bz)

	sink := scan(t, dir, sources.Options{ChunkSize: 4096})
	if len(sink.failed)+len(sink.skipped) != 0 {
		t.Fatalf("failed %v skipped %v", sink.failed, sink.skipped)
	}
	for _, p := range []string{"app.log.2.gz", "app.log.3.zst", "app.log.4.xz", "misnamed.log", "twice.gz", "app.log.1", "not-really.log.gz"} {
		if got := sink.text(p); got != content {
			t.Errorf("%s: decompressed text differs (%d bytes, want %d)", p, len(got), len(content))
			continue
		}
		sink.checkTiling(t, p, content) // line numbers of the decompressed text
		fi, _ := os.Stat(filepath.Join(dir, p))
		if sink.scanned[p] != fi.Size() {
			t.Errorf("%s: Scanned %d bytes, file has %d", p, sink.scanned[p], fi.Size())
		}
	}
	want := "first line\nsecond line ola@example.no\nthird line\n"
	if got := sink.text("old.txt.bz2"); got != want {
		t.Errorf("bzip2: %q", got)
	}
	if c := sink.chunksOf("old.txt.bz2"); len(c) != 1 || c[0].line != 1 {
		t.Errorf("bzip2 chunks %v", c)
	}
}

func TestCompressedCSV(t *testing.T) {
	dir := t.TempDir()
	write(t, dir, "kunder.csv.gz", gzipBytes(t, []byte("navn;fnr\nOla;01010112345\n")))
	sink := scan(t, dir, sources.Options{})
	if len(sink.chunks) != 2 || sink.chunks[1].loc.Field != "fnr" || string(sink.chunks[1].data) != "01010112345" {
		t.Errorf("csv.gz chunks %+v", sink.chunks)
	}
}

func TestTruncatedGzip(t *testing.T) {
	content := numberedLines(20000)
	gz := gzipBytes(t, []byte(content))
	dir := t.TempDir()
	write(t, dir, "cut.log.gz", gz[:len(gz)/2])
	write(t, dir, "garbage.gz", append([]byte{0x1f, 0x8b}, bytes.Repeat([]byte{0xff}, 100)...))
	sink := scan(t, dir, sources.Options{ChunkSize: 8192})
	errs := sink.failed["cut.log.gz"]
	if len(errs) != 1 || !strings.Contains(errs[0].Error(), "cut.log.gz") || !strings.Contains(errs[0].Error(), "gzip data truncated") {
		t.Fatalf("truncated gzip: failed %v", errs)
	}
	got := sink.text("cut.log.gz")
	if len(got) < len(content)/4 || !strings.HasPrefix(content, got) {
		t.Errorf("truncated gzip: %d bytes scanned, want a prefix of the content of at least %d", len(got), len(content)/4)
	}
	sink.checkTiling(t, "cut.log.gz", content[:len(got)])
	if sink.scanned["cut.log.gz"] != int64(len(gz)/2) {
		t.Errorf("truncated gzip: Scanned %d, want %d", sink.scanned["cut.log.gz"], len(gz)/2)
	}
	if errs := sink.failed["garbage.gz"]; len(errs) != 1 || !strings.Contains(errs[0].Error(), "garbage.gz") {
		t.Errorf("corrupt gzip: failed %v", errs)
	}
}

func TestDecompressionLimits(t *testing.T) {
	zeros := bytes.Repeat([]byte("0"), 24<<20) // text, not binary
	dir := t.TempDir()
	write(t, dir, "bomb.gz", gzipBytes(t, zeros))
	write(t, dir, "small.gz", gzipBytes(t, zeros[:1<<20]))
	sink := scan(t, dir, sources.Options{MaxArchiveBytes: 4 << 20})
	if errs := sink.failed["bomb.gz"]; len(errs) != 1 || !errors.Is(errs[0], ErrDecompressedSize) {
		t.Errorf("size limit: failed %v", errs)
	}
	if n := len(sink.text("bomb.gz")); n != 4<<20 {
		t.Errorf("size limit: %d bytes scanned before it, want %d", n, 4<<20)
	}
	if len(sink.failed["small.gz"]) != 0 || len(sink.text("small.gz")) != 1<<20 {
		t.Errorf("below the limit: failed %v", sink.failed["small.gz"])
	}
	// Exactly at the limit is fine.
	sink = scan(t, filepath.Join(dir, "small.gz"), sources.Options{MaxArchiveBytes: 1 << 20})
	if len(sink.failed) != 0 {
		t.Errorf("exactly at the limit: %v", sink.failed)
	}
	// The ratio: 24 MiB of zeros is about 24 KiB of gzip.
	sink = scan(t, filepath.Join(dir, "bomb.gz"), sources.Options{MaxArchiveBytes: 32 << 20, MaxArchiveRatio: 50})
	errs := sink.failed[filepath.ToSlash(filepath.Join(dir, "bomb.gz"))]
	if len(errs) != 1 || !errors.Is(errs[0], ErrCompressionRatio) {
		t.Errorf("ratio limit: failed %v", sink.failed)
	}
}

func TestXzDictionaryLimit(t *testing.T) {
	var buf bytes.Buffer
	w, err := xz.WriterConfig{DictCap: 128 << 20}.NewWriter(&buf)
	if err != nil {
		t.Fatal(err)
	}
	_, _ = w.Write([]byte("hello\n"))
	_ = w.Close()
	if d, ok := xzDictSize(buf.Bytes()); !ok || d < 128<<20 {
		t.Fatalf("xzDictSize = %d, %v", d, ok)
	}
	dir := t.TempDir()
	write(t, dir, "huge-dict.xz", buf.Bytes())
	sink := scan(t, dir, sources.Options{})
	if errs := sink.failed["huge-dict.xz"]; len(errs) != 1 || !errors.Is(errs[0], ErrDictionaryTooLarge) {
		t.Errorf("failed %v", sink.failed)
	}
	if d, ok := xzDictSize(xzBytes(t, []byte("x"))); !ok || d != 8<<20 {
		t.Errorf("default dictionary: %d, %v", d, ok)
	}
}

func TestEncodings(t *testing.T) {
	text := "navn: Ærlige Øyvind Åsen\nfødselsnummer 01010112345\n"
	le, _ := unicode.UTF16(unicode.LittleEndian, unicode.UseBOM).NewEncoder().Bytes([]byte(text))
	be, _ := unicode.UTF16(unicode.BigEndian, unicode.UseBOM).NewEncoder().Bytes([]byte(text))
	leNoBOM, _ := unicode.UTF16(unicode.LittleEndian, unicode.IgnoreBOM).NewEncoder().Bytes([]byte(text))
	cp, _ := charmap.Windows1252.NewEncoder().Bytes([]byte(text + "pris 5 € – «ok»\n"))
	dir := t.TempDir()
	write(t, dir, "le.txt", le)
	write(t, dir, "be.txt", be)
	write(t, dir, "le-nobom.txt", leNoBOM)
	write(t, dir, "bom.txt", append([]byte("\xef\xbb\xbf"), text...))
	write(t, dir, "cp1252.txt", cp)
	write(t, dir, "utf8.txt", []byte(text))
	sink := scan(t, dir, sources.Options{})
	for p, want := range map[string]string{
		"le.txt": text, "be.txt": text, "le-nobom.txt": text, "bom.txt": text, "utf8.txt": text,
		"cp1252.txt": text + "pris 5 € – «ok»\n",
	} {
		if got := sink.text(p); got != want {
			t.Errorf("%s: %q, want %q", p, got, want)
		}
		if c := sink.chunksOf(p); len(c) != 1 || c[0].line != 1 {
			t.Errorf("%s: chunks %v", p, c)
		}
	}
	if sink.scanned["le.txt"] != int64(len(le)) {
		t.Errorf("Scanned counts bytes on disk: %d, want %d", sink.scanned["le.txt"], len(le))
	}
}

func TestCSV(t *testing.T) {
	csvText := "\ufeff navn ;fødselsnummer;telefon;\n" +
		"Ola Nordmann;01010112345;99999999;\n" +
		"\"Kari \"\"K\"\" \nNordmann\";;\"+47 22 22 22 22\";x\n" +
		"\n" +
		"Per;   ;41234567;extra;more\n"
	cp, err := charmap.Windows1252.NewEncoder().Bytes([]byte(strings.TrimPrefix(csvText, "\ufeff")))
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	write(t, dir, "kunder.csv", []byte(csvText))
	write(t, dir, "cp1252.csv", cp)
	write(t, dir, "tabs.tsv", []byte("a\tb\n1\t2\n"))
	write(t, dir, "comma.csv", []byte("a,\"b;c\",d\n1,2,3\n"))
	sink := scan(t, dir, sources.Options{})
	if len(sink.failed) != 0 {
		t.Fatalf("failed %v", sink.failed)
	}
	type field struct {
		field, data string
		row, line   int64
	}
	for _, p := range []string{"kunder.csv", "cp1252.csv"} {
		var got []field
		for _, c := range sink.chunksOf(p) {
			if c.skip != 0 || c.limit != 0 || c.json {
				t.Errorf("%s: field chunk with skip %d limit %d json %v", p, c.skip, c.limit, c.json)
			}
			got = append(got, field{c.loc.Field, string(c.data), c.row, c.line})
		}
		want := []field{
			{"navn", "Ola Nordmann", 1, 2},
			{"fødselsnummer", "01010112345", 1, 2},
			{"telefon", "99999999", 1, 2},
			{"navn", "Kari \"K\" \nNordmann", 2, 3},
			{"telefon", "+47 22 22 22 22", 2, 4},
			{"column 4", "x", 2, 4},
			{"navn", "Per", 3, 6},
			{"telefon", "41234567", 3, 6},
			{"column 4", "extra", 3, 6},
			{"column 5", "more", 3, 6},
		}
		if !slices.Equal(got, want) {
			t.Errorf("%s fields:\n got %v\nwant %v", p, got, want)
		}
		var cols []string
		for _, c := range sink.columns {
			if c.Loc.Path == p {
				cols = append(cols, fmt.Sprintf("%s:%d/%d", c.Loc.Field, c.NonNull, c.Rows))
			}
		}
		if w := []string{"navn:3/3", "fødselsnummer:1/3", "telefon:3/3", "column 4:2/3", "column 5:1/3"}; !slices.Equal(cols, w) {
			t.Errorf("%s columns %v, want %v", p, cols, w)
		}
	}
	if c := sink.chunksOf("tabs.tsv"); len(c) != 2 || c[1].loc.Field != "b" || string(c[1].data) != "2" {
		t.Errorf("tsv %v", c)
	}
	if c := sink.chunksOf("comma.csv"); len(c) != 3 || c[1].loc.Field != "b;c" {
		t.Errorf("comma csv %v", c)
	}
}

func TestCSVOversizedRecordFallsBack(t *testing.T) {
	// A quote that never closes swallows the rest of the file into one
	// field: beyond the record bound the rest is read as plain text.
	var b strings.Builder
	b.WriteString("id,epost\n1,a@example.no\n2,\"unclosed\n")
	for i := 0; b.Len() < 300<<10; i++ {
		fmt.Fprintf(&b, "%d,user%d@example.no\n", i+3, i)
	}
	content := b.String()
	dir := t.TempDir()
	write(t, dir, "bad.csv", []byte(content))
	sink := scan(t, dir, sources.Options{ChunkSize: 4096})
	errs := sink.failed["bad.csv"]
	if len(errs) != 1 || !errors.Is(errs[0], errRecordTooLarge) || !strings.Contains(errs[0].Error(), "bad.csv:3:") {
		t.Fatalf("failed %v", errs)
	}
	chunks := sink.chunksOf("bad.csv")
	if len(chunks) < 2 || chunks[0].loc.Field != "id" || chunks[1].loc.Field != "epost" || string(chunks[1].data) != "a@example.no" {
		t.Fatalf("first record not read as fields: %v", chunks[:min(2, len(chunks))])
	}
	// The rest, from the bad record on, as plain text with its line numbers.
	restStart := strings.Index(content, "2,\"unclosed")
	var text strings.Builder
	for _, c := range chunks[2:] {
		if c.loc.Field != "" {
			t.Fatalf("field chunk after the fallback")
		}
		text.Write(c.owned())
	}
	if text.String() != content[restStart:] {
		t.Errorf("fallback text: %d bytes, want %d", text.Len(), len(content)-restStart)
	}
	if chunks[2].line != 3 {
		t.Errorf("fallback starts at line %d, want 3", chunks[2].line)
	}
	if len(sink.columns) != 2 || sink.columns[1].NonNull != 1 {
		t.Errorf("columns %v", sink.columns)
	}
}

func TestCSVTruncatedGzip(t *testing.T) {
	var b strings.Builder
	b.WriteString("id,epost\n")
	for i := range 20000 {
		fmt.Fprintf(&b, "%d,user%d@example.no\n", i, i)
	}
	gz := gzipBytes(t, []byte(b.String()))
	dir := t.TempDir()
	write(t, dir, "cut.csv.gz", gz[:len(gz)/2])
	sink := scan(t, dir, sources.Options{})
	errs := sink.failed["cut.csv.gz"]
	if len(errs) != 1 || !strings.Contains(errs[0].Error(), "truncated") || errors.Is(errs[0], errRecordTooLarge) {
		t.Fatalf("failed %v", errs)
	}
	rows := 0
	for _, c := range sink.chunksOf("cut.csv.gz") {
		if c.loc.Field == "epost" {
			rows++
		}
	}
	if rows < 1000 {
		t.Errorf("only %d rows read before the truncation", rows)
	}
}

func TestJSONLines(t *testing.T) {
	jl := "{\"user\":{\"email\":\"a@example.no\"}}\n{\"x\":1}\n"
	dir := t.TempDir()
	write(t, dir, "events.jsonl", []byte("[1]\n"+jl)) // by extension
	write(t, dir, "app.log", []byte("  \n"+jl))       // by content
	write(t, dir, "app.log.1", []byte(jl))            // rotated
	write(t, dir, "plain.log", []byte("2024-01-01 {\"a\":1}\n"+jl))
	write(t, dir, "pretty.json", []byte("{\n  \"a\": 1\n}\n"))             // a document, by extension
	write(t, dir, "export", []byte("[\n  {\"a\": 1},\n  {\"a\": 2}\n]\n")) // by content
	write(t, dir, "one.log", []byte(`{"a":{"b":[1,2]}}`))                  // one line: a document
	write(t, dir, "config.ini", []byte("[section]\nkey = {\"a\": 1}\n"))
	write(t, dir, "page.tmpl", []byte("{{ .Name }}\n")) // one line, not a document: as before
	sink := scan(t, dir, sources.Options{})
	const text, lines, doc, config = "text", "JSON lines", "JSON document", "configuration"
	for p, want := range map[string]string{"events.jsonl": lines, "app.log": lines, "app.log.1": lines, "plain.log": text,
		"pretty.json": doc, "export": doc, "one.log": doc, "config.ini": config, "page.tmpl": lines} {
		c := sink.chunksOf(p)
		if len(c) != 1 {
			t.Errorf("%s: %d chunks", p, len(c))
			continue
		}
		got := text
		if c[0].doc {
			got = doc
		} else if c[0].yaml {
			got = config
		} else if c[0].json {
			got = lines
		}
		if got != want {
			t.Errorf("%s: read as %s, want %s", p, got, want)
		}
	}
}

// TestJSONDocuments reads JSON documents larger than a chunk, pretty-printed
// and minified, and checks that each chunk's state (Chunk.JSONDoc) gives
// at every owned position the key path a reader of the whole document
// gives there.
func TestJSONDocuments(t *testing.T) {
	type rec struct {
		Navn    string            `json:"navn"`
		Kontakt map[string]string `json:"kontakt"`
		Notat   string            `json:"notat"`
		Tall    []int             `json:"tall"`
	}
	var rs []rec
	for i := range 3000 {
		rs = append(rs, rec{
			Navn:    fmt.Sprintf("Kari \"%d\" \\ Nordmann", i),
			Kontakt: map[string]string{"epost": fmt.Sprintf("kari%d@firma.no", i), fmt.Sprintf("kari%d@firma.no", i): "x"},
			Notat:   strings.Repeat("lang tekst ", i%300),
			Tall:    []int{i, i * 7},
		})
	}
	pretty, err := json.MarshalIndent(map[string]any{"kunder": rs}, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	mini, _ := json.Marshal(rs)
	dir := t.TempDir()
	write(t, dir, "pretty.json", pretty)
	write(t, dir, "mini.json", mini)
	for name, doc := range map[string][]byte{"pretty.json": pretty, "mini.json": mini} {
		var whole sources.JSONKeyReader
		whole.Reset(doc)
		want := make([]string, len(doc))
		for p := range doc {
			want[p] = whole.At(p)
		}
		chunks, owned := docChunks(t, filepath.Join(dir, name), want, func(c *sources.Chunk) func(int) string {
			if c.JSONDoc == nil {
				return nil
			}
			var r sources.JSONKeyReader
			r.ResetState(c.Data, c.JSONDoc)
			return r.At
		})
		if chunks < 4 || owned != len(doc) {
			t.Errorf("%s: %d chunks owning %d of %d bytes", name, chunks, owned, len(doc))
		}
	}
}

func TestBinaryAndFormats(t *testing.T) {
	var tarBuf bytes.Buffer
	tarBuf.Write(tarHeader("member.txt", 5))
	tarBuf.WriteString("hello")
	tarBuf.Write(make([]byte, 1024+507))
	dir := t.TempDir()
	write(t, dir, "blob.bin", []byte("abc\x00\x01\x02def"))
	write(t, dir, "ctrl.dat", bytes.Repeat([]byte{1, 2, 3, 'a'}, 100))
	write(t, dir, "img.png", []byte("\x89PNG\r\n\x1a\nrest"))
	write(t, dir, "a.zip", []byte("PK\x03\x04rest"))
	write(t, dir, "doc.pdf", []byte("%PDF-1.7\n"))
	write(t, dir, "db.sqlite", []byte("SQLite format 3\x00rest"))
	write(t, dir, "x.tar", tarBuf.Bytes())
	write(t, dir, "x.tar.gz", gzipBytes(t, tarBuf.Bytes()))
	write(t, dir, "empty.txt", nil)
	sink := scan(t, dir, sources.Options{})
	want := map[string]string{
		"blob.bin":  "binary",
		"ctrl.dat":  "binary",
		"img.png":   "binary (png)",
		"a.zip":     "unsupported format: zip",
		"doc.pdf":   "unsupported format: pdf",
		"db.sqlite": "unsupported format: sqlite",
		"x.tar":     "unsupported format: tar",
		"x.tar.gz":  "unsupported format: tar",
	}
	for p, w := range want {
		if sink.skipped[p] != w {
			t.Errorf("%s: skipped %q, want %q", p, sink.skipped[p], w)
		}
		if _, ok := sink.scanned[p]; ok {
			t.Errorf("%s: skipped and scanned", p)
		}
	}
	if got := keys(sink.scanned); !slices.Equal(got, []string{"empty.txt"}) {
		t.Errorf("scanned %v", got)
	}

	// A registered reader gets the content instead, from its first byte,
	// and can read members through the Reader.
	var calls []string
	zipReader := func(ctx context.Context, f *Format, r *Reader, sink sources.Sink) error {
		data, err := io.ReadAll(f.R)
		if err != nil {
			return err
		}
		calls = append(calls, fmt.Sprintf("%s %s %s file=%v size=%d %q", f.Kind, f.Loc.Path, f.Name, f.File != nil, f.Size, data))
		loc := f.Loc
		loc.Path += "!inner.csv"
		return r.ReadStream(ctx, Stream{Loc: loc, Name: "inner.csv", R: strings.NewReader("fnr\n01010112345\n"), Size: -1, Depth: f.Depth + 1}, sink)
	}
	tarReader := func(ctx context.Context, f *Format, r *Reader, sink sources.Sink) error {
		calls = append(calls, fmt.Sprintf("%s %s %s file=%v", f.Kind, f.Loc.Path, f.Name, f.File != nil))
		return errors.New("bad tar")
	}
	sink = scan(t, dir, sources.Options{}, WithFormat(KindZip, zipReader), WithFormat(KindTar, tarReader))
	wantCalls := []string{
		`zip a.zip a.zip file=true size=8 "PK\x03\x04rest"`,
		`tar x.tar x.tar file=true`,
		`tar x.tar.gz x.tar file=false`,
	}
	if !slices.Equal(calls, wantCalls) {
		t.Errorf("format readers called:\n%v\nwant\n%v", strings.Join(calls, "\n"), strings.Join(wantCalls, "\n"))
	}
	if c := sink.chunksOf("a.zip!inner.csv"); len(c) != 1 || c[0].loc.Field != "fnr" {
		t.Errorf("member chunks %v", c)
	}
	if sink.scanned["a.zip"] != 8 {
		t.Errorf("a.zip scanned %d", sink.scanned["a.zip"])
	}
	if errs := sink.failed["x.tar"]; len(errs) != 1 || !strings.Contains(errs[0].Error(), "bad tar") || !strings.Contains(errs[0].Error(), "x.tar") {
		t.Errorf("format reader error: %v", errs)
	}
}

// tarHeader builds a ustar header for a regular file.
func tarHeader(name string, size int) []byte {
	h := make([]byte, 512)
	copy(h, name)
	copy(h[100:], "0000644\x00")
	copy(h[108:], "0000000\x00")
	copy(h[116:], "0000000\x00")
	copy(h[124:], fmt.Sprintf("%011o\x00", size))
	copy(h[136:], "00000000000\x00")
	h[156] = '0'
	copy(h[257:], "ustar\x0000")
	copy(h[148:], "        ")
	sum := 0
	for _, c := range h {
		sum += int(c)
	}
	copy(h[148:], fmt.Sprintf("%06o\x00 ", sum))
	return h
}

func TestInnerName(t *testing.T) {
	for in, want := range map[string]string{
		"app.log.2.gz":        "app.log",
		"app.log.1":           "app.log",
		"kunder.csv.gz":       "kunder.csv",
		"access.log-20240101": "access.log",
		"x.tgz":               "x.tar",
		"x.tar.zst":           "x.tar",
		"plain":               "plain",
		"v1.2-3":              "v1.2-3",
		"data.CSV.GZ":         "data.CSV",
	} {
		if got := innerName(in); got != want {
			t.Errorf("innerName(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestCSVQuoteOpensUnquotedField: a field that opens with a quote but has
// a bare quote before its first line break is not a quoted field (the
// shape of a PyPI listing exported as TSV, line 13512 of pypi.tsv): it is
// read to the delimiter or the end of the line, and the records after it
// keep their columns. Before, the field ran on over the following lines
// (encoding/csv's LazyQuotes), swallowing records and shifting the columns
// of the rest.
func TestCSVQuoteOpensUnquotedField(t *testing.T) {
	type field struct {
		field, data string
		row, line   int64
	}
	for _, tc := range []struct {
		name, comma, nl string
	}{
		{"pypi.tsv", "\t", "\n"},
		{"pypi-crlf.tsv", "\t", "\r\n"},
		{"pypi.csv", ",", "\n"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rec := func(f ...string) string { return strings.Join(f, tc.comma) + tc.nl }
			content := rec("name", "version", "month", "rank", "summary") +
				rec("agent-zero", "0.9.1", "2025-04", "", "An agent") +
				rec("agentk", "0.3.2", "2025-04", "", `"AGENT" K is a complete minimalistic kubectl "doner"-wrap`) +
				rec("agentkit", "4.1.4.10", "2025-04", "12", `A "kit"`) +
				rec("agentlib", "1.0", "2025-05", "", `"quoted summary"`) +
				rec("agentops", "0.4.21", "2025-05", "7", `"multi`+tc.nl+`line ""summary"" with a "bare" quote"`) +
				rec("agents", "192.168.0.1", "2025-05", "", `"trailing"`+tc.comma+`extra`) +
				rec("agentx", "2.0", "2025-06", "3", "plain")
			dir := t.TempDir()
			write(t, dir, tc.name, []byte(content))
			sink := scan(t, dir, sources.Options{})
			if len(sink.failed) != 0 {
				t.Fatalf("failed %v", sink.failed)
			}
			var got []field
			for _, c := range sink.chunksOf(tc.name) {
				got = append(got, field{c.loc.Field, string(c.data), c.row, c.line})
			}
			want := []field{
				{"name", "agent-zero", 1, 2}, {"version", "0.9.1", 1, 2}, {"month", "2025-04", 1, 2}, {"summary", "An agent", 1, 2},
				{"name", "agentk", 2, 3}, {"version", "0.3.2", 2, 3}, {"month", "2025-04", 2, 3},
				{"summary", `"AGENT" K is a complete minimalistic kubectl "doner"-wrap`, 2, 3},
				{"name", "agentkit", 3, 4}, {"version", "4.1.4.10", 3, 4}, {"month", "2025-04", 3, 4}, {"rank", "12", 3, 4}, {"summary", `A "kit"`, 3, 4},
				{"name", "agentlib", 4, 5}, {"version", "1.0", 4, 5}, {"month", "2025-05", 4, 5}, {"summary", "quoted summary", 4, 5},
				// A quoted field that spans lines stays one, with its
				// doubled quotes undoubled and a bare quote after its first
				// line break literal.
				{"name", "agentops", 5, 6}, {"version", "0.4.21", 5, 6}, {"month", "2025-05", 5, 6}, {"rank", "7", 5, 6},
				{"summary", "multi\nline \"summary\" with a \"bare\" quote", 5, 6},
				{"name", "agents", 6, 8}, {"version", "192.168.0.1", 6, 8}, {"month", "2025-05", 6, 8},
				{"summary", "trailing", 6, 8}, {"column 6", "extra", 6, 8},
				{"name", "agentx", 7, 9}, {"version", "2.0", 7, 9}, {"month", "2025-06", 7, 9}, {"rank", "3", 7, 9}, {"summary", "plain", 7, 9},
			}
			if d := cmp.Diff(want, got, cmp.AllowUnexported(field{})); d != "" {
				t.Errorf("fields (-want +got):\n%s", d)
			}
		})
	}
}

// TestTSVUnclosedQuote: a TSV summary that opens with a quote it never
// closes (pypi.tsv line 178260, `"Quickly set up a working environment to
// edit a file.`) is read unquoted to the end of its line, because the quoted
// field it would be runs into the next record's tabs; the records after it
// keep their columns. Before, the field swallowed the following records
// until some quote closed it (21 such fields hid 29,388 lines of
// pypi.tsv). A quoted TSV field that spans lines without a tab stays one.
func TestTSVUnclosedQuote(t *testing.T) {
	type field struct {
		field, data string
		row, line   int64
	}
	content := "name\tversion\tsummary\n" +
		"qset\t0.1\t\"Quickly set up a working environment to edit a file.\n" +
		"qsort\t4.1.4.10\tA sorter\n" +
		"qtext\t1.0\t\"two\nlines\"\n" +
		"qz\t2.0\tplain\n"
	dir := t.TempDir()
	write(t, dir, "pypi.tsv", []byte(content))
	sink := scan(t, dir, sources.Options{})
	if len(sink.failed) != 0 {
		t.Fatalf("failed %v", sink.failed)
	}
	var got []field
	for _, c := range sink.chunksOf("pypi.tsv") {
		got = append(got, field{c.loc.Field, string(c.data), c.row, c.line})
	}
	want := []field{
		{"name", "qset", 1, 2}, {"version", "0.1", 1, 2}, {"summary", `"Quickly set up a working environment to edit a file.`, 1, 2},
		{"name", "qsort", 2, 3}, {"version", "4.1.4.10", 2, 3}, {"summary", "A sorter", 2, 3},
		{"name", "qtext", 3, 4}, {"version", "1.0", 3, 4}, {"summary", "two\nlines", 3, 4},
		{"name", "qz", 4, 6}, {"version", "2.0", 4, 6}, {"summary", "plain", 4, 6},
	}
	if d := cmp.Diff(want, got, cmp.AllowUnexported(field{})); d != "" {
		t.Errorf("fields (-want +got):\n%s", d)
	}
}

// TestCSVWithoutHeader: a CSV whose first record has a field written like
// a value (an e-mail address, a phone number) has no header: its columns
// are named by position and its first record is row 1, so that no value
// becomes a column name (reported unmasked as a location) and none goes
// unscanned. A header of names, years and @-fields stays a header; a first
// record of dates is a header when a name in it stands above a value in
// the second record (a column per month), else data.
func TestCSVWithoutHeader(t *testing.T) {
	dir := t.TempDir()
	write(t, dir, "export.csv", []byte("kari.nordmann@example.no;+47 912 34 567;Kari Nordmann\nola@example.no;;Ola\n"))
	write(t, dir, "one.csv", []byte("01.02.2024,Kari,kari@example.no\n"))
	write(t, dir, "header.csv", []byte("@timestamp;navn;2024\n2024-01-31;Kari;12\n"))
	// Dates in a first row: a column per month (a header: a name above a
	// number), or data (names above names, dates above dates).
	write(t, dir, "pivot.csv", []byte("ID;Navn;2023-01-01;2023-02-01\n1;Kari;1234;99\n"))
	write(t, dir, "dates.csv", []byte("2024-01-31;Kari Nordmann\n2024-02-01;Ola\n"))
	write(t, dir, "onedate.csv", []byte("2024-01-31;Kari Nordmann\n"))
	sink := scan(t, dir, sources.Options{})
	type field struct {
		field, data string
		row, line   int64
	}
	fields := func(p string) []field {
		var got []field
		for _, c := range sink.chunksOf(p) {
			got = append(got, field{c.loc.Field, string(c.data), c.row, c.line})
		}
		return got
	}
	for p, want := range map[string][]field{
		"export.csv": {
			{"column 1", "kari.nordmann@example.no", 1, 1}, {"column 2", "+47 912 34 567", 1, 1}, {"column 3", "Kari Nordmann", 1, 1},
			{"column 1", "ola@example.no", 2, 2}, {"column 3", "Ola", 2, 2},
		},
		"one.csv":    {{"column 1", "01.02.2024", 1, 1}, {"column 2", "Kari", 1, 1}, {"column 3", "kari@example.no", 1, 1}},
		"header.csv": {{"@timestamp", "2024-01-31", 1, 2}, {"navn", "Kari", 1, 2}, {"2024", "12", 1, 2}},
		"pivot.csv":  {{"ID", "1", 1, 2}, {"Navn", "Kari", 1, 2}, {"2023-01-01", "1234", 1, 2}, {"2023-02-01", "99", 1, 2}},
		"dates.csv": {
			{"column 1", "2024-01-31", 1, 1}, {"column 2", "Kari Nordmann", 1, 1},
			{"column 1", "2024-02-01", 2, 2}, {"column 2", "Ola", 2, 2},
		},
		"onedate.csv": {{"column 1", "2024-01-31", 1, 1}, {"column 2", "Kari Nordmann", 1, 1}},
	} {
		if got := fields(p); !slices.Equal(got, want) {
			t.Errorf("%s fields:\n got %v\nwant %v", p, got, want)
		}
	}
	var cols []string
	for _, c := range sink.columns {
		if c.Loc.Path == "export.csv" {
			cols = append(cols, fmt.Sprintf("%s:%d/%d", c.Loc.Field, c.NonNull, c.Rows))
		}
	}
	if w := []string{"column 1:2/2", "column 2:1/2", "column 3:2/2"}; !slices.Equal(cols, w) {
		t.Errorf("export.csv columns %v, want %v", cols, w)
	}
}

// TestReadFileSkipsKernelFiles: a file that is not on disk but a kernel
// interface (/proc, /sys) is skipped unread, with its reason: reading
// /proc/kmsg would wait for ever, and take the kernel's messages from the
// system logger. A file on disk is read as ever.
func TestReadFileSkipsKernelFiles(t *testing.T) {
	const status = "/proc/cpuinfo"
	if _, err := os.Stat(status); err != nil {
		t.Skipf("no /proc here: %v", err)
	}
	rd := NewReader(sources.Options{}, nil)
	sink := newRecSink(t)
	for _, p := range []string{status, "/proc/kmsg"} {
		if _, err := os.Stat(p); err != nil {
			continue
		}
		done := make(chan error, 1)
		go func() { done <- rd.ReadFile(context.Background(), p, sources.Location{Path: p}, sink) }()
		select {
		case err := <-done:
			if err != nil {
				t.Fatal(err)
			}
		case <-time.After(10 * time.Second):
			t.Fatalf("ReadFile(%s) still reads after 10 s", p)
		}
		if sink.skipped[p] != KernelFileReason || len(sink.chunksOf(p)) != 0 {
			t.Errorf("%s: skipped %q, %d chunks; want skipped unread", p, sink.skipped[p], len(sink.chunksOf(p)))
		}
	}
	dir := t.TempDir()
	write(t, dir, "a.log", []byte("ola@firma.no\n"))
	if err := rd.ReadFile(context.Background(), filepath.Join(dir, "a.log"), sources.Location{Path: "a.log"}, sink); err != nil {
		t.Fatal(err)
	}
	if sink.text("a.log") != "ola@firma.no\n" {
		t.Errorf("a file on disk: read %q", sink.text("a.log"))
	}
}

// TestTabSeparatedText: a .txt file (or one without an extension) whose
// lines are cells separated by tabs is read as a table, as Excel saves
// "Unicode text" (UTF-16 with a byte-order mark, CRLF); text with tabs
// that is no table stays text.
func TestTabSeparatedText(t *testing.T) {
	export := "Navn\tE-post\tTelefon\r\nKari Nordmann\tkari@example.no\t91234567\r\nOla Hansen\tola@example.no\t\r\n"
	le, _ := unicode.UTF16(unicode.LittleEndian, unicode.UseBOM).NewEncoder().Bytes([]byte(export))
	dir := t.TempDir()
	write(t, dir, "ansatte.txt", le)
	write(t, dir, "export", []byte(export))
	write(t, dir, "kunder.tab", []byte(export))
	write(t, dir, "main.go.txt", []byte("func f() {\n\tif x {\n\t\treturn\n\t}\n}\n"))
	write(t, dir, "notes.txt", []byte("Navn\tE-post\nKari Nordmann and her address kari@example.no\n"))
	write(t, dir, "app.log", []byte(export)) // logs stay text
	sink := scan(t, dir, sources.Options{})
	for p, table := range map[string]bool{"ansatte.txt": true, "export": true, "kunder.tab": true, "main.go.txt": false, "notes.txt": false, "app.log": false} {
		fields := map[string]bool{}
		for _, c := range sink.chunksOf(p) {
			fields[c.loc.Field] = true
		}
		if got := fields["E-post"] && fields["Navn"]; got != table {
			t.Errorf("%s read as a table: %v, want %v (fields %v)", p, got, table, fields)
		}
	}
}

func TestLooksLikeTSV(t *testing.T) {
	for head, want := range map[string]bool{
		"a\tb\nc\td\n":             true,
		"a\tb\r\nc\td":             true,
		"a\tb\tc\n1\t2\t3\n4\t5":   true, // the head cuts the last line short
		"a\tb\tc\n1\t2\t3\n4\t5\n": false,
		"a\tb\n":                   false, // one line
		"a\t\tc\n1\t2\t3\n":        false, // an empty header cell
		"\tindented\n\tcode\n":     false,
		"all:\n\tgo build\n":       false,
		"a b c\nd e f\n":           false,
		"a\tb\n\n\nc\td\n":         true, // blank lines between rows
		"a\tb\nc\td\te\n":          false,
		"x\ty\n1\t2\n" + "3\t4\n":  true,
	} {
		if got := looksLikeTSV([]byte(head)); got != want {
			t.Errorf("looksLikeTSV(%q) = %v, want %v", head, got, want)
		}
	}
}

// docChunks reads the document at file through the files source in 64 KiB
// chunks and checks that each is a structured document's chunk whose
// state, read by the reader at returns (nil: the chunk carries none),
// gives at every owned position the path want holds for that offset of
// the file. It returns the chunks and the bytes they own.
func docChunks(t *testing.T, file string, want []string, at func(c *sources.Chunk) func(pos int) string) (chunks, owned int) {
	t.Helper()
	sink := newRecSink(t)
	sink.onText = func(c *sources.Chunk) error {
		read := at(c)
		if !c.JSON || read == nil {
			t.Fatalf("%s: chunk %d is not a document's", file, chunks)
		}
		base := owned - c.Skip // the offset of Data[0] in the file
		lim := c.Limit
		if lim == 0 {
			lim = len(c.Data)
		}
		for p := c.Skip; p < lim; p++ {
			if got := read(p); got != want[base+p] {
				t.Fatalf("%s: chunk %d at file offset %d: %q, want %q", file, chunks, base+p, got, want[base+p])
			}
		}
		owned += lim - c.Skip
		chunks++
		return nil
	}
	src, err := New(file, sources.Options{ChunkSize: 64 << 10}, nil)
	if err != nil {
		t.Fatal(err)
	}
	err = src.Units(context.Background(), func(u sources.Unit) bool {
		if err := u.Read(context.Background(), sink); err != nil {
			t.Fatal(err)
		}
		return true
	})
	if err != nil {
		t.Fatal(err)
	}
	return chunks, owned
}

// TestXMLDocuments reads an XML document larger than a chunk and checks
// that each chunk's state (Chunk.XMLDoc) gives at every owned position the
// element path a reader of the whole document gives there; .xml files and
// text that starts with an XML declaration are read so, other text not.
func TestXMLDocuments(t *testing.T) {
	var b strings.Builder
	b.WriteString("<?xml version=\"1.0\"?>\n<!-- eksport -->\n<ns:Kunder xmlns:ns=\"urn:x\">\n")
	for i := range 3000 {
		fmt.Fprintf(&b, "  <ns:Kunde nr=\"%d\">\n    <Navn>Kari &amp; Ola %d</Navn>\n    <Notat><![CDATA[<b>%d</b>]]></Notat>\n    <Tom/>\n  </ns:Kunde>\n", i, i, i)
	}
	b.WriteString("</ns:Kunder>\n")
	doc := []byte(b.String())
	dir := t.TempDir()
	write(t, dir, "kunder.xml", doc)
	write(t, dir, "feed", []byte("<?xml version=\"1.0\"?><rss><item>x</item></rss>"))
	write(t, dir, "notes.txt", []byte("<b>not xml</b>\n"))
	write(t, dir, "page", []byte("<?xml version=\"1.0\"?>\n<!DOCTYPE html>\n<html><p>x</p></html>\n")) // XHTML: read as HTML
	var whole sources.XMLKeyReader
	whole.ResetState(doc, nil)
	want := make([]string, len(doc))
	for p := range doc {
		want[p] = whole.At(p)
	}
	chunks, owned := docChunks(t, filepath.Join(dir, "kunder.xml"), want, func(c *sources.Chunk) func(int) string {
		if c.XMLDoc == nil {
			return nil
		}
		var r sources.XMLKeyReader
		r.ResetState(c.Data, c.XMLDoc)
		return r.At
	})
	if chunks < 4 || owned != len(doc) {
		t.Errorf("%d chunks owning %d of %d bytes", chunks, owned, len(doc))
	}
	if want[bytes.Index(doc, []byte("Ola 2999"))] != "Kunder.Kunde.Navn" {
		t.Errorf("the last Navn: %q", want[bytes.Index(doc, []byte("Ola 2999"))])
	}
	sink := scan(t, dir, sources.Options{})
	for name, isXML := range map[string]bool{"kunder.xml": true, "feed": true, "notes.txt": false, "page": false} {
		if len(sink.chunksOf(name)) == 0 {
			t.Errorf("%s: not read", name)
		}
		for _, c := range sink.chunksOf(name) {
			if c.xml != isXML {
				t.Errorf("%s: XML document %v, want %v", name, c.xml, isXML)
			}
		}
	}
}

// TestUTF16NoBOM compares utf16NoBOM, which stops at the first NUL on
// each side, with the counts over the whole head, on text, UTF-16 of
// either order with and without stray bytes, and binary heads.
func TestUTF16NoBOM(t *testing.T) {
	// ref counts the NULs of each side over the whole head.
	ref := func(head []byte) (Encoding, bool) {
		pairs := len(head) / 2
		var nuls [2]int // on the even side, on the odd side
		for i := range 2 * pairs {
			if head[i] == 0 {
				nuls[i%2]++
			}
		}
		le := pairs >= 8 && nuls[0] == 0 && 10*nuls[1] >= 9*pairs
		be := pairs >= 8 && nuls[1] == 0 && 10*nuls[0] >= 9*pairs
		switch {
		case le:
			return UTF16LE, true
		case be:
			return UTF16BE, true
		}
		return "", false
	}
	r := rand.New(rand.NewPCG(21, 22))
	found := map[Encoding]int{}
	for k := range 20000 {
		n := r.IntN(300)
		b := make([]byte, n)
		for i := range b {
			switch k % 4 {
			case 0: // UTF-16LE of ASCII, now and then a stray byte
				if i%2 == 1 && r.IntN(40) > 0 {
					b[i] = 0
				} else {
					b[i] = byte('a' + r.IntN(26))
				}
			case 1: // big-endian
				if i%2 == 0 && r.IntN(40) > 0 {
					b[i] = 0
				} else {
					b[i] = byte('a' + r.IntN(26))
				}
			default: // binary: NULs anywhere
				if r.IntN(4) == 0 {
					b[i] = 0
				} else {
					b[i] = byte(r.IntN(256))
				}
			}
		}
		ge, gok := utf16NoBOM(b)
		we, wok := ref(b)
		if ge != we || gok != wok {
			t.Fatalf("utf16NoBOM(%q) = %q, %v; want %q, %v", b, ge, gok, we, wok)
		}
		found[we]++
	}
	if found[UTF16LE] == 0 || found[UTF16BE] == 0 || found[""] == 0 {
		t.Fatalf("cases of each answer: %v", found)
	}
}

// TestControlBytes compares controlBytes, eight bytes at a time, with a
// byte at a time, on text with control characters here and there, from
// every start (every alignment) and of every length.
func TestControlBytes(t *testing.T) {
	r := rand.New(rand.NewPCG(23, 24))
	for range 3000 {
		b := corpus.Bytes(r, "abc \t\n\r\f\v\b\x1b\x01\x1f\x7f\x80\xff~ !", 100)
		for i := 0; i <= len(b); i += 1 + r.IntN(5) {
			if got, want := controlBytes(b[i:]), controlBytesEach(b[i:]); got != want {
				t.Fatalf("controlBytes(%q) = %d, want %d", b[i:], got, want)
			}
		}
	}
}

// callReader reads data, counting its Read calls.
type callReader struct {
	data  []byte
	calls int
}

func (c *callReader) Read(p []byte) (int, error) {
	c.calls++
	if len(c.data) == 0 {
		return 0, io.EOF
	}
	n := copy(p, c.data)
	c.data = c.data[n:]
	return n, nil
}

// TestCounterEnd checks that a regular file's short read at its fstat size
// ends it without another read, and that a file that grew, or a read that
// filled its buffer, reads on.
func TestCounterEnd(t *testing.T) {
	data := []byte("kari.nordmann@example.no hei\n")
	for _, c := range []struct {
		name      string
		content   []byte // what the file holds when read
		size      int64  // what fstat said
		known     bool
		buf       int
		wantCalls int
	}{
		{"short read at the size", data, int64(len(data)), true, 64, 1},
		{"grown since fstat", append(bytes.Clone(data), "ola@example.no\n"...), int64(len(data)), true, 64, 2},
		{"a full buffer at the size", data, int64(len(data)), true, len(data), 2},
		{"size unknown", data, int64(len(data)), false, 64, 2},
		{"two reads to the size", data, int64(len(data)), true, 20, 2},
	} {
		r := &callReader{data: bytes.Clone(c.content)}
		raw := &counter{r: r, size: c.size, known: c.known}
		var got []byte
		buf := make([]byte, c.buf)
		for {
			n, err := raw.Read(buf)
			got = append(got, buf[:n]...)
			if err == io.EOF {
				break
			}
			if err != nil {
				t.Fatal(err)
			}
		}
		if !bytes.Equal(got, c.content) || raw.n != int64(len(c.content)) {
			t.Errorf("%s: read %q (%d counted), want %q", c.name, got, raw.n, c.content)
		}
		if r.calls != c.wantCalls {
			t.Errorf("%s: %d reads, want %d", c.name, r.calls, c.wantCalls)
		}
	}
}

// TestColouredLog: a terminal's control sequences in a log are read as
// spaces, the text keeping its length and lines, so that a value right
// after one ("\x1b[33m15038712486") stands alone; an ESC that starts no
// sequence, and a sequence longer than maxCSI, stay. Chunks of every size
// cut some sequences at a fill's end.
func TestColouredLog(t *testing.T) {
	line := "2026-03-01T10:00:03 \x1b[32mINFO\x1b[0m user \x1b[1;4mkari@firma.no\x1b[0m\x1b[K fnr \x1b[33m15038712486\x1b[0m " +
		"\x1b(B \x1b \x1b[" + strings.Repeat("1;", 20) + "m end\n"
	want := line
	for _, seq := range []string{"\x1b[32m", "\x1b[0m", "\x1b[1;4m", "\x1b[K", "\x1b[33m"} {
		want = strings.ReplaceAll(want, seq, strings.Repeat(" ", len(seq)))
	}
	if strings.Count(want, "\x1b") != 3 {
		t.Fatalf("want %q", want)
	}
	content := strings.Repeat(line, 200)
	for _, chunk := range []int{minChunkSize, minChunkSize + 7, 1500, 4096} {
		rd := NewReader(sources.Options{ChunkSize: chunk}, nil)
		sink := newRecSink(t)
		if err := rd.ReadStream(context.Background(), Stream{Loc: sources.Location{Path: "app.log"}, Name: "app.log",
			R: bytes.NewReader([]byte(content)), Size: int64(len(content))}, sink); err != nil {
			t.Fatal(err)
		}
		if got := sink.text("app.log"); got != strings.Repeat(want, 200) {
			t.Fatalf("chunks of %d: read %q…, want %q…", chunk, got[:min(len(got), 200)], want)
		}
		sink.checkTiling(t, "app.log", strings.Repeat(want, 200))
	}
}
