package docs

import (
	"bytes"
	"context"
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

func FuzzPDF(f *testing.F) {
	f.Add(docfixtures.PDF("fnr 01019012345"))
	f.Add(docfixtures.CorruptPDF())
	f.Add([]byte("%PDF-1.7\n1 0 obj << /Type /Catalog /Pages 1 0 R >> endobj\nxref\n0 1\n0000000000 65535 f \ntrailer << /Root 1 0 R >>\nstartxref\n9\n%%EOF\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		_, _ = readPDF(t, data, true) // must not panic or hang
	})
}
