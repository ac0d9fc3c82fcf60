package scanner

import (
	"context"
	"log/slog"
	"os"
	"path/filepath"
	"testing"

	"github.com/piimap/piimap/detectors"
	"github.com/piimap/piimap/internal/corpus"
	"github.com/piimap/piimap/sources"
	"github.com/piimap/piimap/sources/files"
)

// BenchmarkScanCorpus measures the whole pipeline (files source, every
// detector, aggregation) on one worker over a generated 64 MB log with a
// personal-data line every ~200 lines: MB/s per core.
func BenchmarkScanCorpus(b *testing.B) {
	dir := b.TempDir()
	f, err := os.Create(filepath.Join(dir, "app.log"))
	if err != nil {
		b.Fatal(err)
	}
	n, _, err := corpus.Write(f, 64<<20, corpus.Options{Seed: 1, PIIEvery: 200})
	if err != nil {
		b.Fatal(err)
	}
	f.Close()
	cfg := Config{
		Targets: []string{dir}, Detectors: detectors.All(), Workers: 1,
		Open: func(ctx context.Context, t string) (sources.Source, error) {
			return files.New(t, sources.Options{}, slog.New(slog.DiscardHandler))
		},
	}
	run := func(b *testing.B, cfg Config) {
		b.SetBytes(n)
		b.ReportAllocs()
		for b.Loop() {
			res, err := Scan(context.Background(), cfg)
			if err != nil || len(res.Findings) == 0 {
				b.Fatal(err, "no findings")
			}
		}
	}
	b.Run("plain", func(b *testing.B) { run(b, cfg) })
	// With a value key: every match's value fingerprint (HMAC-SHA256) is
	// computed and kept, as for exact baselines.
	keyed := cfg
	keyed.ValueKey = []byte("benchmark value key, 32 bytes...")
	b.Run("value-key", func(b *testing.B) { run(b, keyed) })
}
