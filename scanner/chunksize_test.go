package scanner

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/piimap/piimap/detectors"
	"github.com/piimap/piimap/internal/corpus"
	"github.com/piimap/piimap/sources"
	"github.com/piimap/piimap/sources/files"
)

// TestChunkSizeDoesNotChangeResults scans a generated log with every
// detector in chunks of several sizes: the findings, their lines and
// examples, and the candidate counts the chance model judges by must not
// depend on where chunks are cut (the overlap chunks share for context is
// counted once).
func TestChunkSizeDoesNotChangeResults(t *testing.T) {
	dir := t.TempDir()
	f, err := os.Create(filepath.Join(dir, "app.log"))
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := corpus.Write(f, 3<<20, corpus.Options{Seed: 3, PIIEvery: 20}); err != nil {
		t.Fatal(err)
	}
	f.Close()
	run := func(chunk int) []Finding {
		cfg := Config{
			Targets: []string{dir}, Detectors: detectors.All(), Workers: 1,
			Open: func(ctx context.Context, target string) (sources.Source, error) {
				return files.New(target, sources.Options{ChunkSize: chunk}, slog.New(slog.DiscardHandler))
			},
		}
		res, err := Scan(context.Background(), cfg)
		if err != nil {
			t.Fatal(err)
		}
		return res.Findings
	}
	want := run(4 << 20) // as large as chunks of text get
	var cands int64
	for _, f := range want {
		cands += f.Candidates
	}
	if len(want) < 4 || cands == 0 {
		t.Fatalf("the corpus gave %d findings and %d candidates: too few to compare", len(want), cands)
	}
	for _, chunk := range []int{8 << 10, 100 << 10, 1 << 20} {
		got := run(chunk)
		if d := cmp.Diff(want, got, cmpopts.EquateApprox(0, 1e-6)); d != "" {
			t.Errorf("chunks of %d bytes (-whole +chunked):\n%s", chunk, d)
		}
	}
}

// TestOneLineJSONKeepsKeyPaths: a JSON document, on one line or
// pretty-printed, and larger than a chunk, keeps its full key path
// (orders[].contact.email) for every value: each chunk comes with the
// document's state at its start.
func TestOneLineJSONKeepsKeyPaths(t *testing.T) {
	for _, c := range []struct {
		name   string
		size   int
		pretty bool
	}{{"one line, within a chunk", 600 << 10, false}, {"one line", 3 << 20, false}, {"pretty-printed", 3 << 20, true}} {
		t.Run(c.name, func(t *testing.T) {
			dir := t.TempDir()
			var b strings.Builder
			nl := ""
			if c.pretty {
				nl = "\n    "
			}
			b.WriteString(`{"orders":[`)
			i := 0
			for ; b.Len() < c.size; i++ {
				if i > 0 {
					b.WriteString(",")
				}
				fmt.Fprintf(&b, `%s{"id":%d,%s"note":"ordre levert til kunden uten merknader \"%d\"",%s"contact":{"email":"kunde%d@example.no"}}`, nl, i, nl, i, nl, i)
			}
			b.WriteString("]}\n")
			if err := os.WriteFile(filepath.Join(dir, "export.json"), []byte(b.String()), 0o644); err != nil {
				t.Fatal(err)
			}
			res, err := Scan(context.Background(), Config{
				Targets: []string{dir}, Detectors: []detectors.Detector{detectors.NewEmail()}, Workers: 1,
				Open: func(ctx context.Context, target string) (sources.Source, error) {
					return files.New(target, sources.Options{}, slog.New(slog.DiscardHandler))
				},
			})
			if err != nil {
				t.Fatal(err)
			}
			var n int64
			for _, f := range res.Findings {
				n += f.Count
				if f.Location.Field != "orders[].contact.email" {
					t.Errorf("finding at field %q (%d values): want the full key path", f.Location.Field, f.Count)
				}
			}
			if n != int64(i) {
				t.Errorf("%d e-mail values found, want the document's %d", n, i)
			}
		})
	}
}
