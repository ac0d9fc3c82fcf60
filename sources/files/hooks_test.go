package files

import (
	"bytes"
	"context"
	"errors"
	"io"
	"strings"
	"testing"

	"github.com/piimap/piimap/sources"
)

func TestFilter(t *testing.T) {
	f, err := NewFilter(sources.Options{Include: []string{"*.log", "exports/**"}, Exclude: []string{"node_modules", "*.tmp"}})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		rel, name          string
		included, excluded bool
	}{
		{"logs/app.log", "app.log", true, false},
		{"exports/a/b.csv", "b.csv", true, false},
		{"notes.txt", "notes.txt", false, false},
		{"a/node_modules", "node_modules", false, true},
		{"exports/x.tmp", "x.tmp", true, true},
	} {
		if got := f.Included(c.rel, c.name); got != c.included {
			t.Errorf("Included(%s) = %v", c.rel, got)
		}
		if got := f.Excluded(c.rel, c.name); got != c.excluded {
			t.Errorf("Excluded(%s) = %v", c.rel, got)
		}
	}
	all, _ := NewFilter(sources.Options{})
	if !all.Included("x/y", "y") || all.Excluded("x/y", "y") {
		t.Error("no globs must include everything and exclude nothing")
	}
	if _, err := NewFilter(sources.Options{Exclude: []string{"[a"}}); err == nil || !strings.Contains(err.Error(), "--exclude") {
		t.Errorf("bad glob: %v", err)
	}
}

// TestReadReaderAt reads content with random access, as from a share: it
// is read like a file (decompressed, CSV columns), counted as scanned, and
// format readers get the ReaderAt.
func TestReadReaderAt(t *testing.T) {
	csv := []byte("fnr;navn\n01010112345;Kari\n")
	ctx := context.Background()
	rd := NewReader(sources.Options{}, nil)
	sink := newRecSink(t)
	loc := sources.Location{Target: "smb://fs/share", Path: "x/kunder.csv.gz"}
	gz := gzipBytes(t, csv)
	if err := rd.ReadReaderAt(ctx, bytes.NewReader(gz), int64(len(gz)), loc, sink); err != nil {
		t.Fatal(err)
	}
	if c := sink.chunksOf(loc.Path); len(c) != 2 || c[0].loc.Field != "fnr" || string(c[0].data) != "01010112345" || c[0].loc.Target != loc.Target {
		t.Errorf("chunks %+v", c)
	}
	if sink.scanned[loc.Path] != int64(len(gz)) {
		t.Errorf("scanned %d, want %d", sink.scanned[loc.Path], len(gz))
	}

	// A format reader sees the ReaderAt and the size; what it reads by
	// random access counts as the whole file.
	var gotRA bool
	rd = NewReader(sources.Options{}, nil, WithFormat(KindPDF, func(ctx context.Context, f *Format, r *Reader, sink sources.Sink) error {
		gotRA = f.ReaderAt != nil && f.Size == 12 && f.File == nil
		return nil
	}))
	sink = newRecSink(t)
	pdf := []byte("%PDF-1.4\nxyz")
	if err := rd.ReadReaderAt(ctx, bytes.NewReader(pdf), int64(len(pdf)), sources.Location{Path: "a.pdf"}, sink); err != nil {
		t.Fatal(err)
	}
	if !gotRA || sink.scanned["a.pdf"] != 12 {
		t.Errorf("format reader got ReaderAt %v, scanned %d", gotRA, sink.scanned["a.pdf"])
	}

	// After decompression there is no random access.
	rd = NewReader(sources.Options{}, nil, WithFormat(KindPDF, func(ctx context.Context, f *Format, r *Reader, sink sources.Sink) error {
		gotRA = f.ReaderAt != nil
		return nil
	}))
	gz = gzipBytes(t, pdf)
	if err := rd.ReadReaderAt(ctx, bytes.NewReader(gz), int64(len(gz)), sources.Location{Path: "a.pdf.gz"}, newRecSink(t)); err != nil {
		t.Fatal(err)
	}
	if gotRA {
		t.Error("decompressed content has a ReaderAt")
	}

	// MaxFileSize applies.
	rd = NewReader(sources.Options{MaxFileSize: 10}, nil)
	sink = newRecSink(t)
	if err := rd.ReadReaderAt(ctx, bytes.NewReader(csv), int64(len(csv)), sources.Location{Path: "big.csv"}, sink); err != nil {
		t.Fatal(err)
	}
	if sink.skipped["big.csv"] != TooLargeReason(10) {
		t.Errorf("skipped %q", sink.skipped["big.csv"])
	}
}

type failAfter struct {
	r   io.Reader
	err error
}

func (f *failAfter) Read(p []byte) (int, error) {
	n, err := f.r.Read(p)
	if err == io.EOF {
		return n, f.err
	}
	return n, err
}

func TestReadText(t *testing.T) {
	ctx := context.Background()
	rd := NewReader(sources.Options{ChunkSize: 2048}, nil)
	var b strings.Builder
	for i := 0; i < 500; i++ {
		b.WriteString("linje med tekst {\"a\":1}\n")
	}
	text := "PK\x03\x04 not a zip, just text\n" + b.String()
	sink := newRecSink(t)
	loc := sources.Location{Path: "doc.docx"}
	if err := rd.ReadText(ctx, strings.NewReader(text), loc, sink); err != nil {
		t.Fatal(err)
	}
	sink.checkTiling(t, loc.Path, text)
	for _, c := range sink.chunksOf(loc.Path) {
		if c.json || c.loc.Field != "" {
			t.Fatalf("plain text chunk marked %+v", c.loc)
		}
	}
	if len(sink.skipped) != 0 || len(sink.scanned) != 0 {
		t.Errorf("ReadText must not sniff or report: skipped %v scanned %v", sink.skipped, sink.scanned)
	}
	// A read error is reported after the text before it.
	sink = newRecSink(t)
	if err := rd.ReadText(ctx, &failAfter{r: strings.NewReader("abc\n"), err: errors.New("xml: bad")}, loc, sink); err != nil {
		t.Fatal(err)
	}
	if sink.text(loc.Path) != "abc\n" || len(sink.failed[loc.Path]) != 1 || !strings.Contains(sink.failed[loc.Path][0].Error(), "xml: bad") {
		t.Errorf("text %q failed %v", sink.text(loc.Path), sink.failed)
	}
	// A cancelled context is returned, not reported.
	cctx, cancel := context.WithCancel(ctx)
	cancel()
	if err := rd.ReadText(cctx, strings.NewReader(text), loc, newRecSink(t)); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled: %v", err)
	}
}
