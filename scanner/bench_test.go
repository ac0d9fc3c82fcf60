package scanner

import (
	"compress/gzip"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
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
// with one per CPU: read in ranges by the workers (split), read whole as
// one stream (whole) and gzipped (gzip, a stream too): MB/s of wall time
// (of the log's bytes). With ranges the speed grows with the workers. A
// stream is read by one worker, which hands chunks to the others while
// they have nothing else to do (share.go): its speed grows up to the
// speed of reading (inflating) it alone.
func BenchmarkOneLargeFile(b *testing.B) {
	dir, zdir := b.TempDir(), b.TempDir()
	f, err := os.Create(filepath.Join(dir, "big.log"))
	if err != nil {
		b.Fatal(err)
	}
	zf, err := os.Create(filepath.Join(zdir, "big.log.gz"))
	if err != nil {
		b.Fatal(err)
	}
	zw := gzip.NewWriter(zf)
	n, _, err := corpus.Write(io.MultiWriter(f, zw), 128<<20, corpus.Options{Seed: 2, PIIEvery: 200})
	if err != nil {
		b.Fatal(err)
	}
	if err := errors.Join(zw.Close(), zf.Close(), f.Close()); err != nil {
		b.Fatal(err)
	}
	for _, mode := range []struct {
		name, dir string
		split     int64
	}{{"split", dir, 0}, {"whole", dir, -1}, {"gzip", zdir, 0}} {
		for _, workers := range []int{1, runtime.NumCPU()} {
			b.Run(fmt.Sprintf("%s/workers=%d", mode.name, workers), func(b *testing.B) {
				cfg := Config{
					Targets: []string{mode.dir}, Detectors: detectors.All(), Workers: workers,
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

// BenchmarkScanJSON scans a generated customer export (16,000 customers, a
// name, an e-mail address, a phone number, an IP address and order
// references each) written four ways: a pretty-printed JSON document, the
// same minified on one line, JSON lines, and XML. Every value is reported
// at its key path; MB per CPU-second, one worker.
func BenchmarkScanJSON(b *testing.B) {
	type order struct {
		Ref string `json:"ref"`
		Sum int    `json:"sum"`
	}
	type customer struct {
		ID      int    `json:"id"`
		Navn    string `json:"navn"`
		Kontakt struct {
			Epost   string `json:"epost"`
			Telefon string `json:"telefon"`
		} `json:"kontakt"`
		IP    string  `json:"ip"`
		Ordre []order `json:"ordre"`
	}
	var cs []customer
	seed := uint64(1)
	rnd := func(n int) int {
		seed = seed*6364136223846793005 + 1442695040888963407
		return int(seed>>33) % n
	}
	for i := range 16000 {
		c := customer{ID: i, Navn: fmt.Sprintf("Kari Nordmann %d", i), IP: fmt.Sprintf("81.166.%d.%d", 1+rnd(250), 1+rnd(250))}
		c.Kontakt.Epost = fmt.Sprintf("kari.n%d@firma.no", i)
		c.Kontakt.Telefon = fmt.Sprintf("+47 9%07d", rnd(10000000))
		for range rnd(4) {
			c.Ordre = append(c.Ordre, order{Ref: fmt.Sprintf("%011d", rnd(1<<31)), Sum: rnd(1000)})
		}
		cs = append(cs, c)
	}
	pretty, _ := json.MarshalIndent(map[string]any{"exported": "2026-01-01", "customers": cs}, "", "  ")
	mini, _ := json.Marshal(cs)
	var lines []byte
	for _, c := range cs {
		l, _ := json.Marshal(c)
		lines = append(append(lines, l...), '\n')
	}
	x := []byte("<?xml version=\"1.0\"?>\n<export>\n")
	for _, c := range cs {
		x = fmt.Appendf(x, "  <customer id=\"%d\">\n    <navn>%s</navn>\n    <kontakt><epost>%s</epost><telefon>%s</telefon></kontakt>\n    <ip>%s</ip>\n", c.ID, c.Navn, c.Kontakt.Epost, c.Kontakt.Telefon, c.IP)
		for _, o := range c.Ordre {
			x = fmt.Appendf(x, "    <ordre><ref>%s</ref><sum>%d</sum></ordre>\n", o.Ref, o.Sum)
		}
		x = append(x, "  </customer>\n"...)
	}
	x = append(x, "</export>\n"...)
	for _, f := range []struct {
		name string
		data []byte
	}{{"export.json", pretty}, {"min.json", mini}, {"export.jsonl", lines}, {"export.xml", x}} {
		b.Run(f.name, func(b *testing.B) {
			dir := b.TempDir()
			if err := os.WriteFile(filepath.Join(dir, f.name), f.data, 0o644); err != nil {
				b.Fatal(err)
			}
			cfg := Config{
				Targets: []string{dir}, Detectors: detectors.All(), Workers: 1,
				Open: func(ctx context.Context, t string) (sources.Source, error) {
					return files.New(t, sources.Options{}, slog.New(slog.DiscardHandler))
				},
			}
			n := int64(len(f.data))
			b.SetBytes(n)
			cpu0 := cpubench.Time()
			for b.Loop() {
				res, err := Scan(context.Background(), cfg)
				if err != nil || len(res.Findings) < 3 {
					b.Fatal(err, "findings:", len(res.Findings))
				}
			}
			cpubench.Report(b, cpu0, n)
		})
	}
}
