package formats_test

import (
	"context"
	"strings"
	"testing"

	"github.com/piimap/piimap/detectors"
	"github.com/piimap/piimap/internal/docfixtures"
	"github.com/piimap/piimap/scanner"
	"github.com/piimap/piimap/sources"
	"github.com/piimap/piimap/sources/files"
	"github.com/piimap/piimap/sources/formats"
)

// scanDir scans dir with every detector and the format readers.
func scanDir(t testing.TB, dir string, opt sources.Options) *scanner.Result {
	t.Helper()
	res, err := scanner.Scan(context.Background(), scanner.Config{
		Targets:   []string{dir},
		Detectors: detectors.All(),
		Workers:   2,
		Open: func(ctx context.Context, target string) (sources.Source, error) {
			return files.New(target, opt, nil, formats.Options()...)
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	return res
}

func findingKeys(res *scanner.Result) map[string]scanner.Finding {
	m := map[string]scanner.Finding{}
	for _, f := range res.Findings {
		m[docfixtures.Want{Path: f.Location.Path, Field: f.Location.Field, Category: string(f.Category)}.Key()] = f
	}
	return m
}

// TestTreeFindings scans one file of every supported kind: every expected
// finding is there, nothing fails, and the PNG is skipped as binary.
func TestTreeFindings(t *testing.T) {
	dir := t.TempDir()
	want, _, err := docfixtures.Tree(dir)
	if err != nil {
		t.Fatal(err)
	}
	res := scanDir(t, dir, sources.Options{})
	got := findingKeys(res)
	for _, w := range want {
		if _, ok := got[w.Key()]; !ok {
			t.Errorf("missing finding %s", w.Key())
		}
	}
	for _, f := range res.Failures {
		t.Errorf("failure %s: %s", f.Location, f.Error)
	}
	if res.SkipCount["binary (png)"] != 1 || len(res.Skipped) != 1 {
		t.Errorf("skipped %v", res.Skipped)
	}
	// Every format found something: no file was silently passed over.
	seen := map[string]bool{}
	for k := range got {
		seen[strings.SplitN(strings.SplitN(k, "!", 2)[0], "#", 2)[0]] = true
	}
	for _, f := range []string{"hr/ansatte.xlsx", "hr/kontrakt.docx", "salg/presentasjon.pptx", "docs/referat.odt", "docs/liste.ods",
		"docs/rapport.pdf", "exports/2024.zip", "exports/logs.tar.gz", "legacy/latin1.csv", "legacy/eksport-utf16.txt", "legacy/avtale.doc", "legacy/brev.rtf", "legacy/lonn.xls", "post/lonn.msg", "post/velkommen.eml",
		"data/app.db", "data/backup.zip", "data/backup.tgz"} {
		if !seen[f] {
			t.Errorf("no finding in %s", f)
		}
	}
}
