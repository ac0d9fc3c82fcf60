package scanner

import (
	"context"
	"log/slog"
	"os"
	"path/filepath"
	"testing"

	"github.com/piimap/piimap/detectors"
	"github.com/piimap/piimap/sources"
	"github.com/piimap/piimap/sources/files"
)

// TestNamesAsValues: with sources.Options.Names the names of a directory's
// entries are a column of values: fødselsnumre in contract names are a
// national_id finding at the directory's "(file names)", graded by their
// share of the names, and the names units are not files in the progress.
func TestNamesAsValues(t *testing.T) {
	dir := t.TempDir()
	if err := os.MkdirAll(filepath.Join(dir, "hr"), 0o755); err != nil {
		t.Fatal(err)
	}
	for _, n := range []string{"15038510190_kontrakt.pdf", "22079110098-kontrakt.pdf", "rutiner.txt"} {
		writeFile(t, filepath.Join(dir, "hr"), n, []byte("x\n"))
	}
	var last Progress
	res, err := Scan(context.Background(), Config{
		Targets: []string{dir}, Detectors: detectors.All(), Workers: 2,
		Open: func(ctx context.Context, t string) (sources.Source, error) {
			return files.New(t, sources.Options{Names: true}, slog.New(slog.DiscardHandler))
		},
		Progress: func(p Progress) { last = p },
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Findings) != 1 {
		t.Fatalf("%d findings, want 1: %+v", len(res.Findings), res.Findings)
	}
	f := res.Findings[0]
	if got := f.Location.String(); got != "file:hr/#(file names)" || f.Category != detectors.NationalID || f.Count != 2 {
		t.Errorf("finding %s %s %d, want file:hr/#(file names) national_id 2", got, f.Category, f.Count)
	}
	if f.Column == nil || f.Column.NonNull != 3 || f.Confidence != detectors.High {
		t.Errorf("column %+v, confidence %s: want 3 names, high", f.Column, f.Confidence)
	}
	if last.Units != 3 || last.Listed != 3 || res.Files != 3 {
		t.Errorf("progress %d of %d units, %d files: want the 3 files only", last.Units, last.Listed, res.Files)
	}
}
