package scanner

import (
	"context"
	"fmt"
	"log/slog"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/piimap/piimap/detectors"
	"github.com/piimap/piimap/sources"
	"github.com/piimap/piimap/sources/files"
)

func TestTestPath(t *testing.T) {
	for _, c := range []struct {
		loc  sources.Location
		want string
	}{
		{sources.Location{Path: "github.com/klauspost/compress@v1.20.3/gzip/testdata/test.json"}, "testdata/"},
		{sources.Location{Path: "x.zip!pkg/phonenumberutil_test.go"}, "phonenumberutil_test.go"},
		{sources.Location{Path: "cmd/csv2table/_data/test.csv", Field: "first_name"}, "test.csv"},
		{sources.Location{Path: "tests/testdata/cksm.db!users", Field: "name", Table: true}, "tests/"},
		{sources.Location{Path: "src/FooTest.java"}, "FooTest.java"},
		{sources.Location{Path: "web/app.spec.ts"}, "app.spec.ts"},
		{sources.Location{Path: "test_users.py"}, "test_users.py"},
		{sources.Location{Target: "smb://fs/hr", Path: "fixtures/ansatte.xlsx"}, "fixtures/"},
		{sources.Location{Path: "botocore/data/ec2/examples-1.json", Field: "examples.CreateCustomerGateway[].input.PublicIp"}, "#examples"},
		{sources.Location{Path: "openapi.json", Field: "components.schemas.User.properties.email.example"}, "#example"},
		{sources.Location{Path: "spec.json", Field: "paths./users.get.responses.200.content.application/json.examples.kari.value.phone"}, "#examples"},
		{sources.Location{Path: "go-toml@v1.9.5/example-crlf.toml", Field: "owner.dob"}, "example-crlf.toml"},
		{sources.Location{Path: "svc/.env.example", Field: "DB_PASSWORD"}, ".env.example"},
		{sources.Location{Path: "conf/config.ini.dist"}, "config.ini.dist"},
		// Not test paths:
		{sources.Location{Path: "exports/testimonials.json"}, ""},
		{sources.Location{Path: "exports/kunder.sample.csv"}, ""}, // a sample of an export is real data
		{sources.Location{Path: "logs/app.log"}, ""},
		{sources.Location{Path: "src/Contest.java"}, ""},
		{sources.Location{Path: "exports/latest.csv"}, ""},
		{sources.Location{Path: "exports/kunder.json", Field: "kunder[].kontakt.epost"}, ""},
		{sources.Location{Path: "exports/kunder.json", Field: "kunder[].counterexample"}, ""},
		{sources.Location{Path: "test"}, ""}, // a file named test: its folder is not known to hold fixtures
		{sources.Location{Path: "attestation/report.txt"}, ""},
		{sources.Location{Target: "postgres://db:5432/test", Path: "public.customers", Field: "fnr", Table: true}, ""},
	} {
		if got := testPath(c.loc); got != c.want {
			t.Errorf("%s: got %q, want %q", c.loc, got, c.want)
		}
	}
}

// TestTestPathGradesLow: a finding in a fixture folder is labelled
// test_data and graded Low with the reason; KeepTestPaths keeps its grade.
func TestTestPathGradesLow(t *testing.T) {
	units := []sources.Unit{
		textUnit{path: "svc/testdata/app.log", text: "fnr PII-1\n", size: 1 << 10},
		textUnit{path: "svc/app.log", text: "fnr PII-2\n", size: 1 << 10},
	}
	got := map[string]Finding{}
	for _, f := range scan(t, Config{}, units...).Findings {
		got[f.Location.Path] = f
	}
	fix, real := got["svc/testdata/app.log"], got["svc/app.log"]
	if fix.Confidence != detectors.Low || !slices.Contains(fix.Labels, detectors.LabelTestData) ||
		!strings.Contains(fix.ConfidenceReason, "test fixture path (testdata/)") {
		t.Errorf("fixture: %+v; want low, test_data, the reason", fix)
	}
	if real.Confidence != detectors.High || slices.Contains(real.Labels, detectors.LabelTestData) {
		t.Errorf("real: %+v; want high without test_data", real)
	}
	for _, f := range scan(t, Config{KeepTestPaths: true}, units...).Findings {
		if f.Confidence != detectors.High || slices.Contains(f.Labels, detectors.LabelTestData) {
			t.Errorf("KeepTestPaths: %+v; want high without test_data", f)
		}
	}
}

func TestCodePathGradesWeakKindsLow(t *testing.T) {
	if codePath(sources.Location{Path: "surface/iam.yaml"}) != ".yaml" || codePath(sources.Location{Path: "etc/app.conf"}) != ".conf" {
		t.Error("codePath: YAML and .conf files are configuration")
	}
	if codePath(sources.Location{Path: "x.zip!pkg/enums.go"}) != ".go" || codePath(sources.Location{Path: "logs/app.log"}) != "" ||
		codePath(sources.Location{Path: "exports/kunder.csv"}) != "" || codePath(sources.Location{Target: "postgres://h/db", Path: "a.go", Table: true}) != "" {
		t.Error("codePath: .go members are code; logs, CSV and tables are not")
	}
	res := scan(t, Config{Detectors: []detectors.Detector{detectors.NewPhone(), detectors.NewEmail()}},
		textUnit{path: "pkg/enums.go", text: "// call tel:+41-44-668-1800 or mail kari.nordmann@gmail.com\n", size: 1 << 10})
	for _, f := range res.Findings {
		switch f.Category {
		case detectors.Phone:
			if f.Confidence != detectors.Low || !strings.Contains(f.ConfidenceReason, "in source code or configuration (.go)") {
				t.Errorf("phone in code: %+v; want low with the reason", f)
			}
		case detectors.Email:
			if f.Confidence < detectors.Medium {
				t.Errorf("an author's e-mail in code stays as graded: %+v", f)
			}
		}
	}
	if len(res.Findings) != 2 {
		t.Errorf("findings %+v, want a phone and an email", res.Findings)
	}
}

func TestDocPathGradesAddressesLow(t *testing.T) {
	for p, want := range map[string]bool{
		"libgfapi0/changelog.gz": true, "pkg/NEWS": true, "pkg/README.md": true, "pkg/changelog.Debian.gz": true,
		"docs/guide.rst": true, "man/piimap.1.gz": true, "x.zip!CHANGES.txt": true,
		"logs/app.log": false, "exports/kunder.csv": false, "logs/access.log.1.gz": false, "news.json": false, "NEWS.old": true, "notes.txt": false,
		"share/man/man8/smbd.8.gz": true, "backup/db.1": false, "info/coreutils.info.gz": true, "info/coreutils.info-2.gz": true,
		"data/info-2": false, "app.info.log": false, "vim/vim90/doc/uganda.txt": true, "docs/install.html": true,
		"docs/kunder.csv": false, "doc/app.log": false, "exports/doc.txt": false,
	} {
		if got := docPath(sources.Location{Path: p}) != ""; got != want {
			t.Errorf("docPath(%q) = %v, want %v", p, got, want)
		}
	}
	if docPath(sources.Location{Target: "postgres://h/db", Path: "public.readme", Table: true}) != "" {
		t.Error("a table is not documentation")
	}
	// A log line quoted in a change log: the address is graded low, the
	// author's phone number and e-mail address keep their grade.
	text := "  [2013-04-09 22:55:35.117679] I [client-handshake.c:1456] Connected to 81.166.23.4:49156\n" +
		" -- Kari Nordmann <kari.nordmann@gmail.com> tlf. +47 912 34 567\n"
	dets := []detectors.Detector{detectors.NewIPAddress(), detectors.NewPhone(), detectors.NewEmail()}
	for _, c := range []struct {
		path  string
		ipLow bool
	}{{"pkg/changelog", true}, {"logs/app.log", false}} {
		res := scan(t, Config{Detectors: dets}, textUnit{path: c.path, text: text, size: 1 << 10})
		got := map[detectors.Category]Finding{}
		for _, f := range res.Findings {
			got[f.Category] = f
		}
		ip, ok := got[detectors.IPAddress]
		if !ok || (ip.Confidence == detectors.Low) != c.ipLow || c.ipLow && !strings.Contains(ip.ConfidenceReason, "in documentation (changelog)") {
			t.Errorf("%s: ip %+v; want low with the reason: %v", c.path, ip, c.ipLow)
		}
		if got[detectors.Phone].Confidence < detectors.Medium || got[detectors.Email].Confidence < detectors.Medium {
			t.Errorf("%s: the author's phone %v and e-mail %v keep their grade", c.path, got[detectors.Phone].Confidence, got[detectors.Email].Confidence)
		}
	}
}

// A YAML file whose key path holds many distinct phone numbers is a data
// set (a customer export), graded as a JSON export's would be; a few at a
// key path are a configuration's examples, and many IP addresses are a
// server inventory: both stay low.
func TestCodePathDataSets(t *testing.T) {
	dir := t.TempDir()
	var export, config, inventory strings.Builder
	export.WriteString("customers:\n")
	inventory.WriteString("hosts:\n")
	for i := range 25 {
		fmt.Fprintf(&export, "  - navn: Kari Nordmann\n    telefon: \"+47 9%07d\"\n", 1234567+i*7919)
		fmt.Fprintf(&inventory, "  - ip: 81.166.%d.%d\n", 10+i, 200-i)
	}
	config.WriteString("support:\n  telefon: \"+47 91234567\"\n  backup: \"+47 41234567\"\n")
	for name, text := range map[string]string{"export.yaml": export.String(), "config.yaml": config.String(), "hosts.yaml": inventory.String()} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	res, err := Scan(context.Background(), Config{
		Targets: []string{dir}, Detectors: detectors.All(), Workers: 1,
		Open: func(ctx context.Context, target string) (sources.Source, error) {
			return files.New(target, sources.Options{}, slog.New(slog.DiscardHandler))
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]detectors.Confidence{}
	for _, f := range res.Findings {
		if f.Category == detectors.Phone || f.Category == detectors.IPAddress {
			got[filepath.Base(f.Location.Path)+"#"+f.Location.Field] = f.Confidence
		}
	}
	want := map[string]detectors.Confidence{
		"export.yaml#customers[].telefon": detectors.High,
		"config.yaml#support.telefon":     detectors.Low,
		"config.yaml#support.backup":      detectors.Low,
		"hosts.yaml#hosts[].ip":           detectors.Low,
	}
	if !maps.Equal(got, want) {
		t.Errorf("phone and IP findings %v, want %v", got, want)
	}
}
