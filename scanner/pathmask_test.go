package scanner

import (
	"strings"
	"testing"

	"github.com/piimap/piimap/detectors"
)

func TestPathMasker(t *testing.T) {
	p := NewPathMasker(detectors.All())
	for path, want := range map[string]string{
		"hr/15038510190_kontrakt.pdf":               "hr/15038*****0_kontrakt.pdf",
		"hr/ansatte/22079110098/slipp.pdf":          "hr/ansatte/22079*****8/slipp.pdf",
		"kunder/kari.nordmann@firma.no/ordre.txt":   "kunder/k***@f***.no/ordre.txt",
		"eksport.zip!15038510190.csv":               "eksport.zip!15038*****0.csv",
		"doc/git/RelNotes/1.5.0.1.txt":              "doc/git/RelNotes/1.5.0.1.txt",
		"logs/app-2024-01-31.log":                   "logs/app-2024-01-31.log",
		"src/archive/tar/testdata/gnu-long-nul.tar": "src/archive/tar/testdata/gnu-long-nul.tar",
		"photos/IMG_20240131_123456.jpg":            "photos/IMG_20240131_123456.jpg",
		"orders/40012345.pdf":                       "orders/40012345.pdf",
		"":                                          "",
		"./":                                        "./",
	} {
		if got := p.Mask(path); got != want {
			t.Errorf("Mask(%q) = %q, want %q", path, got, want)
		}
	}
}

// FuzzPathMasker: masking never moves a path's separators, and leaves a
// path in which nothing is found as it is.
func FuzzPathMasker(f *testing.F) {
	for _, s := range []string{"hr/15038510190_kontrakt.pdf", "kunder/kari.nordmann@firma.no/ordre.txt", "a.zip!b/15038510190.csv",
		"doc/1.5.0.1.txt", "", "/", "!!", "./", "x/../y", "ø/å!æ"} {
		f.Add(s)
	}
	p := NewPathMasker(detectors.All())
	f.Fuzz(func(t *testing.T, path string) {
		got := p.Mask(path)
		if strings.Count(got, "/") != strings.Count(path, "/") || strings.Count(got, "!") != strings.Count(path, "!") {
			t.Fatalf("Mask(%q) = %q: separators moved", path, got)
		}
		if !strings.Contains(path, "*") && !strings.Contains(got, "*") && got != path {
			t.Fatalf("Mask(%q) = %q changed without masking", path, got)
		}
	})
}
