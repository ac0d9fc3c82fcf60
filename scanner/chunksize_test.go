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

// TestOneLineJSONKeepsKeyPaths: a JSON document on one line, larger than
// the chunks plain text is cut into but within the default chunk size,
// keeps its full key path (orders[].contact.email) for every value:
// a key path is known from a chunk's start, so JSON keeps whole chunks.
func TestOneLineJSONKeepsKeyPaths(t *testing.T) {
	dir := t.TempDir()
	var b strings.Builder
	b.WriteString(`{"orders":[`)
	for i := 0; b.Len() < 600<<10; i++ {
		if i > 0 {
			b.WriteString(",")
		}
		fmt.Fprintf(&b, `{"id":%d,"note":"ordre levert til kunden uten merknader","contact":{"email":"kunde%d@example.no"}}`, i, i)
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
	if n < 4000 {
		t.Errorf("%d e-mail values found, want every one of the document's", n)
	}
}
