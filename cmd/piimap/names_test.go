package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/piimap/piimap/internal/docfixtures"
)

// TestNamesFoundAndMasked: a share whose contracts are named by
// fødselsnummer and whose folders are named by customer addresses. The
// names are found (a national_id and an e-mail finding at the folders'
// "(file names)"), and in every format the names are masked wherever a path
// shows them: in the location of the e-mail found inside a contract, and of
// the file that could not be read. With --show-values they are shown;
// with --no-names they are not read (and still masked).
func TestNamesFoundAndMasked(t *testing.T) {
	dir := t.TempDir()
	files := map[string]string{
		"hr/15038510190_kontrakt.txt":             "Kontakt: ola.nordmann@firma.no\n",
		"hr/22079110098-kontrakt.txt":             "signert\n",
		"hr/rutiner.txt":                          "ingen\n",
		"kunder/kari.nordmann@firma.no/ordre.txt": "ordre 1\n",
		"kunder/per.hansen@firma.no/ordre.txt":    "ordre 2\n",
		"hr/15038510190_skann.txt.gz":             "\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\xff\x4a", // truncated gzip
	}
	for p, content := range files {
		if err := os.MkdirAll(filepath.Join(dir, filepath.Dir(p)), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, p), []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	// A zip cut short inside a member named by fødselsnummer: the
	// archive's failure names the member.
	z := docfixtures.Zip(docfixtures.Member{Name: "lonn/22079110098_lonnsslipp.txt", Data: []byte(strings.Repeat("lønn utbetalt ", 500))})
	if err := os.WriteFile(filepath.Join(dir, "hr", "arkiv.zip"), z[:len(z)/3], 0o644); err != nil {
		t.Fatal(err)
	}
	secrets := []string{"15038510190", "22079110098", "kari.nordmann@firma.no", "per.hansen@firma.no"}
	for _, format := range []string{"table", "json", "ndjson", "csv", "sarif", "markdown", "html"} {
		_, out, stderr := runCLI(t, "scan", dir, "--format", format, "--fail-on", "never", "--min-confidence", "low")
		for _, s := range secrets {
			if strings.Contains(out+stderr, s) {
				t.Errorf("%s output shows %q", format, s)
			}
		}
		if format == "json" {
			for _, want := range []string{`"location": "file:hr/#(file names)"`, `"category": "national_id"`, `"location": "file:kunder/#(file names)"`,
				`"location": "file:hr/15038*****0_kontrakt.txt"`, `"location": "file:hr/15038*****0_skann.txt.gz"`,
				`member \"lonn/22079*****8_lonnsslipp.txt\" is cut off`} {
				if !strings.Contains(out, want) {
					t.Errorf("json lacks %s:\n%s", want, out)
				}
			}
		}
	}
	_, out, _ := runCLI(t, "scan", dir, "--format", "json", "--fail-on", "never", "--show-values")
	if !strings.Contains(out, `"location": "file:hr/15038510190_kontrakt.txt"`) || !strings.Contains(out, `"15038510190"`) {
		t.Errorf("--show-values: the names are not shown:\n%s", out)
	}
	_, out, _ = runCLI(t, "scan", dir, "--format", "json", "--fail-on", "never", "--no-names", "--min-confidence", "low")
	if strings.Contains(out, "(file names)") || strings.Contains(out, "15038510190") {
		t.Errorf("--no-names: names read or shown:\n%s", out)
	}
}
