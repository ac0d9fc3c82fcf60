package files

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/piimap/piimap/sources"
)

// splitOpt splits files above 64 KiB in ranges of 8 KiB, read in chunks of
// 4 KiB.
var splitOpt = sources.Options{SplitSize: 64 << 10, ChunkSize: 4 << 10}

// rangesOf lists the units of the directory dir, which must all be
// ranges.
func rangesOf(t *testing.T, dir string, opt sources.Options) []*rangeUnit {
	t.Helper()
	src, err := New(dir, opt, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = src.Close() }()
	var out []*rangeUnit
	if err := src.Units(context.Background(), func(u sources.Unit) bool {
		r, ok := u.(*rangeUnit)
		if !ok {
			t.Fatalf("unit %T of %s is not a range", u, u.Location())
		}
		out = append(out, r)
		return true
	}); err != nil {
		t.Fatal(err)
	}
	return out
}

// TestRangesTileText reads a file (a BOM, CRLF and LF lines, lines longer
// than a range, no final newline) range by range and checks what the
// scanner relies on: each range's chunks are the text at their offsets,
// the owned parts of all ranges tile the text, each range's bytes
// (Sink.Scanned) add up to the file's size, and each chunk's Line, mapped
// with the ranges' Lines as the scanner maps it, is the line number in the
// file. Some ranges are empty (inside a long line).
func TestRangesTileText(t *testing.T) {
	var b strings.Builder
	b.WriteString("\xef\xbb\xbf")
	for i := 1; b.Len() < 300<<10; i++ {
		switch {
		case i%1000 == 500: // about 30 KiB: three ranges or more
			b.WriteString(strings.Repeat(fmt.Sprintf("long line %d ", i), 2500) + "\n")
		case i%7 == 0:
			fmt.Fprintf(&b, "%d INFO request handled\r\n", i)
		default:
			fmt.Fprintf(&b, "%d INFO request handled in %d ms\n", i, i%97)
		}
	}
	b.WriteString(strings.Repeat("tail without newline ", 1000))
	content := b.String()
	text := content[3:]
	dir := t.TempDir()
	write(t, dir, "app.log", []byte(content))
	units := rangesOf(t, dir, splitOpt)
	if len(units) < 30 {
		t.Fatalf("%d ranges", len(units))
	}
	ctx := context.Background()
	off := 0        // text offset of the next owned byte
	var lines int64 // newlines the earlier ranges own
	var bytesScanned int64
	empty := 0
	for i, u := range units {
		sink := newRecSink(t)
		if err := u.Read(ctx, sink); err != nil {
			t.Fatal(err)
		}
		if len(sink.failed) > 0 {
			t.Fatalf("range %d failed: %v", i, sink.failed)
		}
		lead, owned, ok := u.Lines()
		if !ok {
			t.Fatalf("range %d does not know its lines", i)
		}
		from := off
		chunks := sink.chunksOf("app.log")
		if len(chunks) == 0 {
			empty++
		}
		for j, c := range chunks {
			start := off - c.skip // text offset of Data[0]
			if start < 0 || start+len(c.data) > len(text) || string(c.data) != text[start:start+len(c.data)] {
				t.Fatalf("range %d chunk %d (at %d, %d bytes) is not the text at its offset", i, j, start, len(c.data))
			}
			if j == 0 && i > 0 && (c.skip != min(from, sources.Overlap) || text[from-1] != '\n') {
				t.Errorf("range %d starts at %d with %d bytes of context: want a line start with %d", i, from, c.skip, sources.Overlap)
			}
			if got, want := c.line-lead+lines, int64(1+strings.Count(text[:start], "\n")); got != want {
				t.Fatalf("range %d chunk %d: line %d (Line %d, lead %d, %d lines before), want %d", i, j, got, c.line, lead, lines, want)
			}
			off += len(c.owned())
		}
		if want := int64(strings.Count(text[from:off], "\n")); owned != want {
			t.Errorf("range %d owns %d newlines, says %d", i, want, owned)
		}
		lines += owned
		want := int64(off - from)
		if i == 0 {
			want += 3 // the BOM
		}
		if got := sink.scanned["app.log"]; got != want {
			t.Errorf("range %d: scanned %d bytes, owns %d", i, got, want)
		}
		bytesScanned += sink.scanned["app.log"]
	}
	if off != len(text) {
		t.Errorf("the ranges own %d bytes of the text, it has %d", off, len(text))
	}
	if bytesScanned != int64(len(content)) {
		t.Errorf("the ranges scanned %d bytes, the file has %d", bytesScanned, len(content))
	}
	if empty == 0 {
		t.Error("no empty range")
	}
}

// TestSplitOneLineReadsItTwice: a file of one line is split (nothing
// tells it from a log without reading it), and read about twice, not once
// per range: the first range reads the line, every other one its own span
// only, finding no line start there.
func TestSplitOneLineReadsItTwice(t *testing.T) {
	content := []byte(strings.Repeat("one long line ", 1<<20/14) + "\n") // 1 MiB
	dir := t.TempDir()
	write(t, dir, "one.log", content)
	units := rangesOf(t, dir, splitOpt)
	if len(units) < 100 {
		t.Fatalf("%d ranges", len(units))
	}
	var read int64
	for i, u := range units {
		sink := newRecSink(t)
		if err := u.Read(context.Background(), sink); err != nil {
			t.Fatal(err)
		}
		n := len(sink.chunksOf("one.log"))
		if i == 0 && (sink.text("one.log") != string(content) || sink.scanned["one.log"] != int64(len(content))) {
			t.Errorf("the first range owns %d bytes, want the whole line", len(sink.text("one.log")))
		}
		if i > 0 && (n != 0 || sink.scanned["one.log"] != 0) {
			t.Errorf("range %d: %d chunks, %d bytes: want it empty", i, n, sink.scanned["one.log"])
		}
		read += u.read
	}
	if max := 2*int64(len(content)) + int64(len(units))*2*sources.Overlap; read > max {
		t.Errorf("the ranges read %d bytes of a %d-byte line, want at most %d", read, len(content), max)
	}
}

// TestSplitFileGrows: the last range reads to the end of the file as it is
// when read, however much was appended since it was listed.
func TestSplitFileGrows(t *testing.T) {
	var b bytes.Buffer
	for i := 1; b.Len() < 100<<10; i++ {
		fmt.Fprintf(&b, "%d INFO request handled in %d ms\n", i, i%97)
	}
	dir := t.TempDir()
	p := write(t, dir, "app.log", b.Bytes())
	units := rangesOf(t, dir, splitOpt)
	var more bytes.Buffer
	for i := 0; i < 2000; i++ {
		fmt.Fprintf(&more, "%d INFO appended\n", i)
	}
	f, err := os.OpenFile(p, os.O_WRONLY|os.O_APPEND, 0)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.Write(more.Bytes()); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	b.Write(more.Bytes())
	var got strings.Builder
	var scanned int64
	for _, u := range units {
		sink := newRecSink(t)
		if err := u.Read(context.Background(), sink); err != nil {
			t.Fatal(err)
		}
		got.WriteString(sink.text("app.log"))
		scanned += sink.scanned["app.log"]
	}
	if got.String() != b.String() || scanned != int64(b.Len()) {
		t.Errorf("the ranges own %d bytes and scanned %d; the file has grown to %d", got.Len(), scanned, b.Len())
	}
}
