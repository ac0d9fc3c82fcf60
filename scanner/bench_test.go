package scanner

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"runtime"
	"testing"

	"github.com/piimap/piimap/detectors"
	"github.com/piimap/piimap/internal/corpus"
	"github.com/piimap/piimap/internal/cpubench"
	"github.com/piimap/piimap/sources"
	"github.com/piimap/piimap/sources/files"
)

// BenchmarkScanCorpus measures the whole pipeline (files source, every
// detector, aggregation) on one worker over a generated 64 MB log with a
// personal-data line every ~200 lines: MB/s per core.
//
// Sub-benchmarks: plain, and value-key (a fingerprint key set: every
// match's value fingerprint is computed and kept, as for exact baselines).
func BenchmarkScanCorpus(b *testing.B) { benchScanCorpus(b, detectors.All(), true) }

// BenchmarkScanCorpusFirstSix is BenchmarkScanCorpus with only the six
// detectors piimap had before the bank-account, CPR and HETU detectors:
// the cost of the machinery that came with them (run-length index,
// failure checks, custom-detector support) without their work.
func BenchmarkScanCorpusFirstSix(b *testing.B) {
	dets, _ := detectors.Select(detectors.All(), []string{"no_fnr", "se_personnummer", "email", "phone", "ip_address", "payment_card"}, nil)
	benchScanCorpus(b, dets, false)
}

func benchScanCorpus(b *testing.B, dets []detectors.Detector, withKey bool) {
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
		Targets: []string{dir}, Detectors: dets, Workers: 1,
		Open: func(ctx context.Context, t string) (sources.Source, error) {
			return files.New(t, sources.Options{}, slog.New(slog.DiscardHandler))
		},
	}
	run := func(b *testing.B, cfg Config) {
		b.SetBytes(n)
		b.ReportAllocs()
		cpu0 := cpubench.Time()
		for b.Loop() {
			res, err := Scan(context.Background(), cfg)
			if err != nil || len(res.Findings) == 0 {
				b.Fatal(err, "no findings")
			}
		}
		cpubench.Report(b, cpu0, n)
	}
	if !withKey {
		run(b, cfg)
		return
	}
	b.Run("plain", func(b *testing.B) { run(b, cfg) })
	keyed := cfg
	keyed.ValueKey = []byte("benchmark value key, 32 bytes...")
	b.Run("value-key", func(b *testing.B) { run(b, keyed) })
}

// BenchmarkOneLargeFile scans one generated 128 MB log with one worker and
// with one per CPU, read in ranges by the workers (split) and, for
// comparison, whole by one worker (whole, as before issue 11): MB/s of wall
// time. With ranges the speed grows with the workers; read whole it cannot.
func BenchmarkOneLargeFile(b *testing.B) {
	dir := b.TempDir()
	f, err := os.Create(filepath.Join(dir, "big.log"))
	if err != nil {
		b.Fatal(err)
	}
	n, _, err := corpus.Write(f, 128<<20, corpus.Options{Seed: 2, PIIEvery: 200})
	if err != nil {
		b.Fatal(err)
	}
	f.Close()
	for _, mode := range []struct {
		name  string
		split int64
	}{{"split", 0}, {"whole", -1}} {
		for _, workers := range []int{1, runtime.NumCPU()} {
			b.Run(fmt.Sprintf("%s/workers=%d", mode.name, workers), func(b *testing.B) {
				cfg := Config{
					Targets: []string{dir}, Detectors: detectors.All(), Workers: workers,
					Open: func(ctx context.Context, t string) (sources.Source, error) {
						return files.New(t, sources.Options{SplitSize: mode.split}, slog.New(slog.DiscardHandler))
					},
				}
				b.SetBytes(n)
				for b.Loop() {
					res, err := Scan(context.Background(), cfg)
					if err != nil || len(res.Findings) == 0 {
						b.Fatal(err, "no findings")
					}
				}
			})
		}
	}
}
