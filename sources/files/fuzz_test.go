package files

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"unicode/utf8"

	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/unicode"

	"github.com/piimap/piimap/sources"
)

var sniffSeeds = [][]byte{
	nil,
	[]byte("plain text\nline 2\n"),
	[]byte("\xef\xbb\xbfbom text"),
	[]byte("\xff\xfea\x00b\x00"),
	[]byte("\xfe\xff\x00a\x00b"),
	[]byte("f\xf8dselsnummer;telefon\n"),
	[]byte("abc\x00def"),
	[]byte("\x1f\x8b\x08\x00"),
	[]byte("\x28\xb5\x2f\xfd"),
	[]byte("BZh91AY&SY"),
	[]byte("\xfd7zXZ\x00\x00\x04\xe6\xd6\xb4\x46\x02\x00\x21\x01\x16\x00\x00\x00"),
	[]byte("PK\x03\x04"),
	[]byte("%PDF-1.4"),
	[]byte("SQLite format 3\x00"),
	[]byte("{\"a\":1}\n{\"b\":2}\n"),
	[]byte("a;b;c\n1;2;3\n"),
	tarHeader("x.txt", 1),
}

func FuzzSniff(f *testing.F) {
	for _, s := range sniffSeeds {
		f.Add(s, true)
	}
	f.Fuzz(func(t *testing.T, head []byte, atEOF bool) {
		k := Sniff(head, atEOF)
		if k == "" {
			t.Fatal("Sniff returned no kind")
		}
		enc, bin := SniffText(head, atEOF)
		if bin != (enc == "") {
			t.Fatalf("SniffText = %q, %v", enc, bin)
		}
		if SniffKind(head) == "" && (k == KindBinary) != bin {
			t.Fatalf("Sniff %s disagrees with SniffText binary=%v", k, bin)
		}
		if enc == Windows1252 && utf8.Valid(head) {
			t.Fatal("valid UTF-8 taken for Windows-1252")
		}
		if enc == UTF8 && !bytes.HasPrefix(head, []byte("\xef\xbb\xbf")) && atEOF && !utf8.Valid(head) {
			t.Fatal("invalid UTF-8 taken for UTF-8")
		}
		_ = jsonLines(head)
		_ = looksLikeTSV(head)
		_ = sniffDelimiter(head, atEOF)
		_, _ = xzDictSize(head)
		_ = innerName(string(head))
	})
}

// decodeAll decodes content as the reader should, for comparison.
func decodeAll(t *testing.T, content []byte) ([]byte, bool) {
	head := content[:min(len(content), SniffLen)]
	if SniffKind(head) != "" {
		return nil, false
	}
	enc, bin := SniffText(head, len(content) < SniffLen)
	if bin {
		return nil, false
	}
	converted := func(text []byte) bool {
		// HTML and roff are read through their converters, not as they are.
		f, _ := sniffFormat("f.log", text[:min(len(text), SniffLen)])
		return f == formatHTML || f == formatRoff
	}
	var dec *encoding.Decoder
	switch enc {
	case UTF8:
		out := bytes.TrimPrefix(content, []byte("\xef\xbb\xbf"))
		return out, !converted(out)
	case UTF16LE:
		dec = unicode.UTF16(unicode.LittleEndian, unicode.UseBOM).NewDecoder()
	case UTF16BE:
		dec = unicode.UTF16(unicode.BigEndian, unicode.UseBOM).NewDecoder()
	case Windows1252:
		dec = charmap.Windows1252.NewDecoder()
	}
	out, err := dec.Bytes(content)
	if err != nil {
		t.Fatalf("reference decode: %v", err)
	}
	return out, !converted(out)
}

// FuzzReadText reads arbitrary content as a log file in small chunks: it
// must not fail, and for text the owned ranges must reassemble the decoded
// content with right line numbers.
func FuzzReadText(f *testing.F) {
	for _, s := range sniffSeeds {
		f.Add(s, uint16(0))
	}
	f.Add([]byte("x\ny\n"), uint16(3000))
	f.Add([]byte("\x1b[1;32mINFO\x1b[0m fnr \x1b[33m15038712486\x1b[0m \x1b[K\x1b[\x1b(B\n"), uint16(7))
	f.Fuzz(func(t *testing.T, data []byte, extra uint16) {
		content := data
		for len(content) > 0 && len(content) < 6000 {
			content = append(content, data...)
		}
		rd := NewReader(sources.Options{ChunkSize: minChunkSize + int(extra%4096)}, nil)
		sink := newRecSink(t)
		err := rd.ReadStream(context.Background(), Stream{Loc: sources.Location{Path: "f.log"}, Name: "f.log", R: bytes.NewReader(content), Size: int64(len(content))}, sink)
		if err != nil {
			t.Fatalf("ReadStream: %v", err)
		}
		want, ok := decodeAll(t, content)
		if !ok {
			return
		}
		want = bytes.Clone(want)
		blankCSI(want) // (as the chunks are, fill by fill)
		if len(sink.failed) != 0 || len(sink.skipped) != 0 {
			t.Fatalf("text content failed %v, skipped %v", sink.failed, sink.skipped)
		}
		if got := sink.text("f.log"); got != string(want) {
			t.Fatalf("reassembled %d bytes, want %d", len(got), len(want))
		}
		sink.checkTiling(t, "f.log", string(want))
	})
}

// FuzzReadCSV reads arbitrary content as a CSV file: it must not fail, and
// what it reports must be consistent.
func FuzzReadCSV(f *testing.F) {
	f.Add([]byte("a;b\n1;2\n"), uint16(0))
	f.Add([]byte("\"a\nb\",c\n\"1\"\"\",2\n3,\"4\n"), uint16(1))
	f.Add([]byte("x\ty\n\"unclosed\t2\n"), uint16(70))
	f.Add([]byte("h1,h2,h3\n,,\n1\n1,2,3,4\n"), uint16(7))
	f.Fuzz(func(t *testing.T, data []byte, reps uint16) {
		content := bytes.Repeat(data, 1+int(reps%200))
		rd := NewReader(sources.Options{ChunkSize: minChunkSize}, nil)
		sink := newRecSink(t)
		err := rd.ReadStream(context.Background(), Stream{Loc: sources.Location{Path: "f.csv"}, Name: "f.csv", R: bytes.NewReader(content), Size: -1}, sink)
		if err != nil {
			t.Fatalf("ReadStream: %v", err)
		}
		var rows int64 = -1
		for _, c := range sink.columns {
			if c.NonNull > c.Rows || c.Loc.Field == "" {
				t.Fatalf("column %+v", c)
			}
			if rows >= 0 && c.Rows != rows {
				t.Fatalf("columns disagree on rows: %d vs %d", c.Rows, rows)
			}
			rows = c.Rows
		}
		var lastRow, lastLine int64
		textMode := false
		for _, c := range sink.chunks {
			if c.loc.Field == "" {
				textMode = true
				continue
			}
			if textMode {
				t.Fatal("field chunk after plain text")
			}
			if c.row < lastRow || c.row > rows || c.line < lastLine || c.line < 1 || len(bytes.TrimSpace(c.data)) == 0 {
				t.Fatalf("field chunk row %d line %d after row %d line %d (rows %d), data %q", c.row, c.line, lastRow, lastLine, rows, c.data)
			}
			if c.line == 1 && c.row != 1 {
				// Line 1 holds data only in a file without a header row,
				// where it is row 1.
				t.Fatalf("field chunk on line 1 is row %d", c.row)
			}
			lastRow, lastLine = c.row, c.line
		}
		if textMode && len(sink.failed["f.csv"]) == 0 && len(sink.skipped) == 0 {
			t.Fatal("fell back to plain text without reporting why")
		}
	})
}

// writeLog generates a realistic log of about size bytes.
func writeLog(b *testing.B, size int) string {
	p := filepath.Join(b.TempDir(), "app.log")
	f, err := os.Create(p)
	if err != nil {
		b.Fatal(err)
	}
	var buf bytes.Buffer
	for i := 0; buf.Len() < size; i++ {
		fmt.Fprintf(&buf, "2024-05-%02d 12:%02d:%02d INFO user=ola%d@example.no ip=10.%d.%d.%d msg=\"GET /api/orders/%d 200\" took=%dms\n",
			1+i%28, i%60, (i*7)%60, i, i%256, (i/256)%256, i%200, i, i%900)
	}
	if _, err := f.Write(buf.Bytes()); err != nil {
		b.Fatal(err)
	}
	if err := f.Close(); err != nil {
		b.Fatal(err)
	}
	return p
}

func BenchmarkReadPlain(b *testing.B) {
	p := writeLog(b, 64<<20)
	fi, _ := os.Stat(p)
	rd := NewReader(sources.Options{}, nil)
	sink := &countSink{}
	b.SetBytes(fi.Size())
	b.ReportAllocs()
	for b.Loop() {
		if err := rd.ReadFile(context.Background(), p, sources.Location{Path: "app.log"}, sink); err != nil {
			b.Fatal(err)
		}
	}
	if len(sink.failed)+len(sink.skipped) != 0 {
		b.Fatal(sink.failed, sink.skipped)
	}
}

func BenchmarkReadCSV(b *testing.B) {
	p := filepath.Join(b.TempDir(), "kunder.csv")
	var buf bytes.Buffer
	buf.WriteString("id;navn;fødselsnummer;telefon;epost\n")
	for i := 0; buf.Len() < 16<<20; i++ {
		fmt.Fprintf(&buf, "%d;Ola Nordmann %d;%011d;+47 9%07d;ola%d@example.no\n", i, i, i, i, i)
	}
	if err := os.WriteFile(p, buf.Bytes(), 0o644); err != nil {
		b.Fatal(err)
	}
	rd := NewReader(sources.Options{}, nil)
	sink := &countSink{}
	b.SetBytes(int64(buf.Len()))
	b.ReportAllocs()
	for b.Loop() {
		if err := rd.ReadFile(context.Background(), p, sources.Location{Path: "kunder.csv"}, sink); err != nil {
			b.Fatal(err)
		}
	}
}
