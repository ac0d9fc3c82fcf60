package formats_test

import (
	"archive/zip"
	"bytes"
	"context"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"testing"

	"github.com/piimap/piimap/detectors"
	"github.com/piimap/piimap/internal/cpubench"
	"github.com/piimap/piimap/internal/docfixtures"
	"github.com/piimap/piimap/internal/testdb"
	"github.com/piimap/piimap/scanner"
	"github.com/piimap/piimap/sources"
	"github.com/piimap/piimap/sources/files"
	"github.com/piimap/piimap/sources/formats"
)

// exportCSV is a customer export of about size bytes: an order table
// with a customer column block (name, e-mail, phone, fødselsnummer) filled
// on one row in every tenth, the rest order ids, dates, amounts, SKUs and
// free text.
func exportCSV(size int) []byte {
	rng := rand.New(rand.NewPCG(7, 11))
	fnr := testdb.Fnrs(200, 1)
	var b bytes.Buffer
	b.WriteString("ordre_id;dato;kunde;epost;telefon;fnr;sku;antall;belop;kommentar\n")
	for i := 0; b.Len() < size; i++ {
		fmt.Fprintf(&b, "%d;2024-%02d-%02d;", 100000+i, 1+i%12, 1+i%28)
		if i%10 == 0 {
			fmt.Fprintf(&b, "Kari Nordmann %d;kari.nordmann%d@example.no;+47 9%07d;%s;", i, i, rng.IntN(1e7), fnr[i%len(fnr)])
		} else {
			b.WriteString(";;;;")
		}
		fmt.Fprintf(&b, "SKU-%05d;%d;%d.%02d;\"levert, pakke %d\"\n", rng.IntN(99999), 1+rng.IntN(9), rng.IntN(5000), rng.IntN(100), rng.IntN(1e6))
	}
	return b.Bytes()
}

// BenchmarkCSV scans a 32 MB customer export with every detector on one
// worker, as a plain file and inside a deflated zip: MB/s and MB/cpu-s
// are uncompressed CSV bytes per second of wall time and of CPU time (the
// scan and the garbage collector).
func BenchmarkCSV(b *testing.B) {
	data := exportCSV(32 << 20)
	for _, kind := range []string{"plain", "zip"} {
		dir := b.TempDir()
		if kind == "plain" {
			if err := os.WriteFile(filepath.Join(dir, "ordre.csv"), data, 0o644); err != nil {
				b.Fatal(err)
			}
		} else {
			if err := os.WriteFile(filepath.Join(dir, "ordre.zip"), docfixtures.Zip(docfixtures.Member{Name: "ordre.csv", Data: data}), 0o644); err != nil {
				b.Fatal(err)
			}
		}
		b.Run(kind, func(b *testing.B) {
			b.SetBytes(int64(len(data)))
			cpu0 := cpubench.Time()
			for b.Loop() {
				res, err := scanner.Scan(context.Background(), scanner.Config{
					Targets: []string{dir}, Detectors: detectors.All(), Workers: 1,
					Open: func(ctx context.Context, target string) (sources.Source, error) {
						return files.New(target, sources.Options{}, nil, formats.Options()...)
					},
				})
				if err != nil || len(res.Failures) > 0 || len(res.Findings) < 3 {
					b.Fatalf("%v, failures %v, %d findings", err, res.Failures, len(res.Findings))
				}
			}
			cpubench.Report(b, cpu0, int64(len(data)))
		})
	}
}

// BenchmarkInflateCSV only inflates the deflated member of BenchmarkCSV's
// zip, into a 1 MiB buffer that is dropped (as the CSV reader's buffer is
// filled): the floor under BenchmarkCSV/zip's cost above BenchmarkCSV/plain.
// "pooled" is the inflater the zip reader uses (files.Reader's, through
// archive/zip with its CRC check), "stdlib" archive/zip's own.
func BenchmarkInflateCSV(b *testing.B) {
	data := exportCSV(32 << 20)
	z := docfixtures.Zip(docfixtures.Member{Name: "ordre.csv", Data: data})
	rd := files.NewReader(sources.Options{}, nil)
	for _, kind := range []string{"pooled", "stdlib"} {
		b.Run(kind, func(b *testing.B) {
			b.SetBytes(int64(len(data)))
			buf := make([]byte, 1<<20)
			cpu0 := cpubench.Time()
			for b.Loop() {
				zr, err := zip.NewReader(bytes.NewReader(z), int64(len(z)))
				if err != nil {
					b.Fatal(err)
				}
				if kind == "pooled" {
					zr.RegisterDecompressor(zip.Deflate, rd.DeflateDecompressor())
				}
				rc, err := zr.File[0].Open()
				if err != nil {
					b.Fatal(err)
				}
				n := 0
				for {
					m, err := io.ReadFull(rc, buf)
					n += m
					if err != nil {
						break
					}
				}
				_ = rc.Close()
				if n != len(data) {
					b.Fatalf("inflated %d bytes, want %d", n, len(data))
				}
			}
			cpubench.Report(b, cpu0, int64(len(data)))
		})
	}
}
