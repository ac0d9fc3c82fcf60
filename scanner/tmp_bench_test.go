package scanner

import (
	"context"
	"log/slog"
	"os"
	"strings"
	"testing"

	"github.com/piimap/piimap/detectors"
	"github.com/piimap/piimap/internal/cpubench"
	"github.com/piimap/piimap/sources"
	"github.com/piimap/piimap/sources/files"
)

func BenchmarkTmpDir(b *testing.B) {
	dirs := strings.Fields(os.Getenv("PII_DIR"))
	var n int64
	for _, d := range dirs {
		st, _ := os.ReadDir(d)
		for _, e := range st {
			if i, err := e.Info(); err == nil && i.Mode().IsRegular() {
				n += i.Size()
			}
		}
	}
	cfg := Config{
		Targets: dirs, Detectors: detectors.All(), Workers: 1,
		Open: func(ctx context.Context, t string) (sources.Source, error) {
			return files.New(t, sources.Options{ChunkSize: chunkSize()}, slog.New(slog.DiscardHandler))
		},
	}
	b.SetBytes(n)
	cpu0 := cpubench.Time()
	for b.Loop() {
		if _, err := Scan(context.Background(), cfg); err != nil {
			b.Fatal(err)
		}
	}
	cpubench.Report(b, cpu0, n)
}

func chunkSize() int {
	n := 0
	for _, c := range os.Getenv("PII_CHUNK") {
		n = n*10 + int(c-'0')
	}
	return n << 10
}
