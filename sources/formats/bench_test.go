package formats_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/piimap/piimap/internal/docfixtures"
	"github.com/piimap/piimap/sources"
)

// BenchmarkMixedFolder scans a folder of documents, archives and a SQLite
// database (about 6 MB on disk) with every detector, through the scanner
// with two workers: MB/s are bytes on disk (compressed, for zip-based
// documents and archives) per second. The sub-benchmarks scan one file
// each, to show what each format costs.
func BenchmarkMixedFolder(b *testing.B) {
	dir := b.TempDir()
	size, err := docfixtures.Mixed(dir, 2)
	if err != nil {
		b.Fatal(err)
	}
	b.Run("all", func(b *testing.B) {
		b.SetBytes(size)
		for b.Loop() {
			res := scanDir(b, dir, sources.Options{})
			if len(res.Failures) > 0 || len(res.Findings) < 10 {
				b.Fatalf("failures %v, %d findings", res.Failures, len(res.Findings))
			}
		}
	})
	for _, f := range []string{"hr/kunder.xlsx", "hr/kunder.ods", "saker/rapport.docx", "saker/referat.odt", "salg/deck.pptx",
		"saker/rapport.pdf", "eksport/alle.zip", "logs/app-logs.tar.gz", "data/app.db"} {
		p := filepath.Join(dir, filepath.FromSlash(f))
		fi, err := os.Stat(p)
		if err != nil {
			b.Fatal(err)
		}
		b.Run(filepath.Ext(f)[1:], func(b *testing.B) {
			b.SetBytes(fi.Size())
			for b.Loop() {
				if res := scanDir(b, p, sources.Options{}); len(res.Failures) > 0 || len(res.Findings) == 0 {
					b.Fatalf("%s: failures %v, %d findings", f, res.Failures, len(res.Findings))
				}
			}
		})
	}
}
