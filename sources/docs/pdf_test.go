package docs

import (
	"bytes"
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/piimap/piimap/internal/docfixtures"
	"github.com/piimap/piimap/sources"
	"github.com/piimap/piimap/sources/files"
)

// readPDF reads data as a PDF, with random access or as a stream.
func readPDF(t testing.TB, data []byte, random bool) (*recSink, error) {
	sink := &recSink{}
	rd := files.NewReader(sources.Options{}, nil)
	f := &files.Format{Kind: files.KindPDF, Stream: files.Stream{Loc: sources.Location{Path: "r.pdf"}, Name: "r.pdf", R: bytes.NewReader(data), Size: -1}}
	if random {
		f.ReaderAt, f.Size = bytes.NewReader(data), int64(len(data))
	}
	return sink, ReadPDF(context.Background(), f, rd, sink)
}

func TestPDFText(t *testing.T) {
	data := docfixtures.PDF("Side en\nfnr 01019012345", "Side to (med parentes)\nkari@firma.no")
	for _, random := range []bool{true, false} {
		sink, err := readPDF(t, data, random)
		if err != nil {
			t.Fatal(err)
		}
		got := strings.Split(strings.TrimSpace(sink.text("r.pdf")), "\n")
		var lines []string
		for _, l := range got {
			if l = strings.TrimSpace(l); l != "" {
				lines = append(lines, l)
			}
		}
		want := []string{"Side en", "fnr 01019012345", "Side to (med parentes)", "kari@firma.no"}
		if strings.Join(lines, "|") != strings.Join(want, "|") {
			t.Errorf("random=%v: lines %q", random, lines)
		}
		if len(sink.failed) != 0 {
			t.Error(sink.failed)
		}
	}
}

func TestBrokenPDFs(t *testing.T) {
	// Not a PDF at all, a cut-off one, and one whose cross-reference
	// table is gone: errors, not panics.
	good := docfixtures.PDF("x")
	for name, data := range map[string][]byte{
		"corrupt":   docfixtures.CorruptPDF(),
		"truncated": good[:len(good)/2],
		"empty":     []byte("%PDF-1.4\n%%EOF\n"),
		"tiny":      []byte("%PDF-"),
	} {
		_, err := readPDF(t, data, true)
		if err == nil {
			t.Errorf("%s: no error", name)
		}
	}
	// A page whose content cannot be interpreted is reported; the other
	// pages are read.
	// Same length, so that the offsets stay right.
	bad := docfixtures.PDF("god side 1", "PLACEHOLDER", "god side 3")
	bad = bytes.Replace(bad, []byte("/F1 11 Tf 72 720 Td (PLACEHOLDER)"), []byte("/F1 Tf 72 720 Td (PLACEHOLDER)   "), 1)
	sink, err := readPDF(t, bad, true)
	if err != nil {
		t.Fatal(err)
	}
	text := sink.text("r.pdf")
	if !strings.Contains(text, "god side 1") || !strings.Contains(text, "god side 3") {
		t.Errorf("text %q", text)
	}
	if len(sink.failed) != 1 || !strings.Contains(sink.failed[0], "page 2") {
		t.Errorf("failed %v", sink.failed)
	}
}

// pdfLines is the text read from a PDF, its lines trimmed, without blank
// ones.
func pdfLines(t *testing.T, data []byte) ([]string, *recSink) {
	t.Helper()
	sink, err := readPDF(t, data, true)
	if err != nil {
		t.Fatal(err)
	}
	var lines []string
	for _, l := range strings.Split(sink.text("r.pdf"), "\n") {
		if l = strings.TrimSpace(l); l != "" {
			lines = append(lines, l)
		}
	}
	return lines, sink
}

// TestPDFPageTree: the pages of a page tree of inner nodes (as long
// documents are written) are read once each, in order, whatever the
// tree's shape.
func TestPDFPageTree(t *testing.T) {
	for _, fanout := range []int{0, 2, 3, 5} {
		for _, n := range []int{1, 2, 7, 10, 26} {
			var pages, want []string
			for i := range n {
				pages = append(pages, fmt.Sprintf("side %d", i+1))
				want = append(want, fmt.Sprintf("side %d", i+1))
			}
			lines, sink := pdfLines(t, docfixtures.PDFTree(fanout, pages...))
			if !slices.Equal(lines, want) {
				t.Errorf("fanout %d, %d pages: read %q", fanout, n, lines)
			}
			if len(sink.failed) != 0 {
				t.Errorf("fanout %d, %d pages: %v", fanout, n, sink.failed)
			}
		}
	}
}

// TestPDFPageTreeLoop: a page tree whose node lists the root among its
// kids ends: at most the page count's pages are read.
func TestPDFPageTreeLoop(t *testing.T) {
	data := docfixtures.PDFTree(2, "side 1", "side 2", "side 3", "side 4", "side 5", "side 6")
	// The first inner node (object 16) lists pages 1 and 2; the second
	// kid becomes the root (same length: the offsets stay right).
	looped := bytes.Replace(data, []byte("/Kids [4 0 R 6 0 R]"), []byte("/Kids [4 0 R 2 0 R]"), 1)
	if bytes.Equal(looped, data) {
		t.Fatal("the fixture has no inner node listing pages 1 and 2")
	}
	lines, _ := pdfLines(t, looped)
	if len(lines) == 0 || len(lines) > 6 || lines[0] != "side 1" {
		t.Errorf("read %q, want side 1 first and at most 6 pages", lines)
	}
}

// TestPDFPageFonts: the text is decoded with each page's own fonts, which
// the reader looks up itself and keeps from page to page (pdfFonts), or,
// written into a page's resources, reads for the page: a font whose
// encoding maps 'k' to 'K' makes "kari" read "Kari" on the pages whose F1
// it is, and not on the others, whose F1 is another font.
func TestPDFPageFonts(t *testing.T) {
	upper := "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding << /Type /Encoding /Differences [107 /K] >> >>"
	plain := "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>"
	for _, c := range []struct {
		fonts []string
		want  []string
	}{
		{[]string{upper}, []string{"Kari@firma.no", "Kari 2", "Kari 3"}},
		{[]string{upper, plain}, []string{"Kari@firma.no", "kari 2", "Kari 3"}},
		{[]string{plain, upper}, []string{"kari@firma.no", "Kari 2", "kari 3"}},
	} {
		for _, inline := range []bool{false, true} {
			build := docfixtures.PDFFonts
			if inline { // fonts in the pages' resources, read for each page
				build = docfixtures.PDFInlineFonts
			}
			lines, sink := pdfLines(t, build(c.fonts, "kari@firma.no", "kari 2", "kari 3"))
			if !slices.Equal(lines, c.want) {
				t.Errorf("%d fonts, inline %v: read %q, want %q", len(c.fonts), inline, lines, c.want)
			}
			if len(sink.failed) != 0 {
				t.Error(sink.failed)
			}
		}
	}
}

// BenchmarkPDFPages reads a 400-page PDF whose pages are the kids of one
// node, as many generators write them: the library's Page(i) resolved
// every kid before the i-th for each page.
func BenchmarkPDFPages(b *testing.B) {
	var pages []string
	for i := range 400 {
		pages = append(pages, fmt.Sprintf("side %d\nkari%d@firma.no", i+1, i))
	}
	data := docfixtures.PDF(pages...)
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		if _, err := readPDF(b, data, true); err != nil {
			b.Fatal(err)
		}
	}
}

func FuzzPDF(f *testing.F) {
	f.Add(docfixtures.PDF("fnr 01019012345"))
	f.Add(docfixtures.CorruptPDF())
	f.Add(docfixtures.PDFTree(2, "a", "b", "c"))
	f.Add([]byte("%PDF-1.7\n1 0 obj << /Type /Catalog /Pages 1 0 R >> endobj\nxref\n0 1\n0000000000 65535 f \ntrailer << /Root 1 0 R >>\nstartxref\n9\n%%EOF\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		_, _ = readPDF(t, data, true) // must not panic or hang
	})
}

// TestFontRefs reads font dictionaries in the library's canonical form.
func TestFontRefs(t *testing.T) {
	for in, want := range map[string][]fontRef{
		"<</F1 3 0 R>>":                     {{"F1", "3 0"}},
		"<</F1 12 0 R /F2 14 1 R>>":         {{"F1", "12 0"}, {"F2", "14 1"}},
		"<<>>":                              {},
		"<</F1 <</Type /Font>>>>":           nil, // a font written in place
		"<</F1 3 0 R /F2 <</Type /Font>>>>": nil,
		"<</F1 3 0 X>>":                     nil,
		"<</F1 a 0 R>>":                     nil,
		"[/F1 3 0 R]":                       nil,
		"":                                  nil,
	} {
		got, ok := fontRefs(in)
		if ok != (want != nil) || !slices.Equal(got, want) && len(got)+len(want) > 0 {
			t.Errorf("fontRefs(%q) = %v, %v; want %v", in, got, ok, want)
		}
	}
}
