package report

import (
	"testing"
	"time"

	"github.com/piimap/piimap/detectors"
	"github.com/piimap/piimap/scanner"
	"github.com/piimap/piimap/sources"
)

// sampleDeclaration declares some categories, with places, and ignores the
// fixtures, so that the sample report has every verdict.
const sampleDeclaration = `
organisation: Fjordkaffe AS
declared:
  email:
    where: ["file:exports/**", "postgres://*/shop/public.customers.*"]
  ip_address:
    where: ["file:logs/access.log*"]
  phone: {}
  name: {}
  date_of_birth:
    note: "§2: fødselsdato"
ignore:
  - where: "file:fixtures/**"
    note: "test cards"
`

// sampleResult is a scan result with findings in plain files, archive
// members, CSV columns, JSON keys, a database column and a share, plus a
// failure, a skip and a table, and text that needs escaping in every format.
func sampleResult() *scanner.Result {
	pg := "postgres://db.example:5432/shop"
	f := func(loc sources.Location, cat detectors.Category, count int64, conf detectors.Confidence, dets []string, ex []string, lines []int64, fp string) scanner.Finding {
		return scanner.Finding{Location: loc, Category: cat, Count: count, Confidence: conf, Detectors: dets,
			Examples: ex, Lines: lines, Fingerprint: fp}
	}
	col := &scanner.ColumnStats{Type: "text", Rows: 1000, NonNull: 980, Share: 0.97}
	res := &scanner.Result{
		Targets: []string{"testdata/demo", pg + "?sslmode=disable"},
		Started: time.Date(2026, 5, 4, 10, 0, 0, 0, time.UTC), Duration: 1500 * time.Millisecond,
		Files: 7, Tables: 1, Bytes: 123456, Rows: 1000,
		Findings: []scanner.Finding{
			f(sources.Location{Path: "logs/app.log"}, detectors.NationalID, 3, detectors.High, []string{"no_fnr"}, []string{"01019*****3"}, []int64{812, 900}, "pm1:aaa1"),
			f(sources.Location{Path: "logs/app.log"}, detectors.PaymentCard, 1, detectors.High, []string{"payment_card"}, []string{"**** **** **** 1111"}, []int64{4}, "pm1:aaa2"),
			f(sources.Location{Path: "logs/events.jsonl", Field: "user.email"}, detectors.Email, 2, detectors.High, []string{"email"}, []string{"o***@e***.no"}, []int64{2}, "pm1:aaa3"),
			f(sources.Location{Path: "exports/2024.zip!kunder.csv", Field: "e-post"}, detectors.Email, 40, detectors.High, []string{"email"}, []string{"k***@g***.com"}, []int64{2, 3}, "pm1:aaa4"),
			f(sources.Location{Path: "exports/kunder.csv", Field: "telefon"}, detectors.Phone, 4, detectors.Medium, []string{"phone"}, []string{"+********67"}, []int64{2}, "pm1:aaa5"),
			f(sources.Location{Path: "fixtures/cards.txt"}, detectors.PaymentCard, 2, detectors.Low, []string{"payment_card"}, []string{"**** **** **** 4242"}, []int64{1}, "pm1:aaa6"),
			f(sources.Location{Path: "logs/access.log"}, detectors.IPAddress, 7, detectors.Medium, []string{"ip_address"}, []string{"84.*.*.*"}, []int64{1, 2}, "pm1:aaa7"),
			// Escaping: markup and a formula in the path, a pipe in the field.
			f(sources.Location{Path: "notes/<script>alert(1)</script>|=HYPERLINK(x).txt", Field: "a|b"}, detectors.Email, 1, detectors.Low, []string{"email"}, []string{"@x***.no"}, []int64{3}, "pm1:aaa8"),
			f(sources.Location{Path: "exports/kunder.csv", Field: "fornavn"}, detectors.Name, 4, detectors.High, []string{"column_name"}, nil, nil, "pm1:aaa9"),
			{Location: sources.Location{Target: pg, Path: "public.customers", Field: "fnr", Table: true}, Category: detectors.NationalID,
				Count: 950, Confidence: detectors.High, Detectors: []string{"no_fnr", "se_personnummer"}, Examples: []string{"01019*****3"},
				Rows: []int64{1, 2}, Column: col, Fingerprint: "pm1:bbb1"},
			{Location: sources.Location{Target: pg, Path: "public.customers", Field: "epost", Table: true}, Category: detectors.Email,
				Count: 980, Confidence: detectors.High, Detectors: []string{"email"}, Examples: []string{"a***@b***.no"},
				Rows: []int64{1}, Column: col, Fingerprint: "pm1:bbb2"},
			{Location: sources.Location{Target: "smb://files.example/hr", Path: "ansatte.xlsx", Field: "Ark1!C"}, Category: detectors.NationalID,
				Count: 12, Confidence: detectors.High, Detectors: []string{"no_fnr"}, Examples: []string{"31129*****5"}, Fingerprint: "pm1:ccc1"},
		},
		TableInfo: []sources.Table{{Loc: sources.Location{Target: pg, Path: "public.customers", Table: true}, Method: "tablesample system", Rows: 1000, Estimated: 250000}},
		Failures:  []scanner.Failure{{Location: sources.Location{Path: "logs/old.log.gz"}, Error: "gzip: unexpected EOF"}},
		Skipped:   []scanner.Skip{{Location: sources.Location{Path: "img/logo.png"}, Reason: "binary"}},
		SkipCount: map[string]int{"binary": 1},
	}
	return res
}

// sampleReport judges sampleResult against sampleDeclaration.
func sampleReport(t *testing.T, opt Options) *Report {
	t.Helper()
	decl, err := ParseDeclaration("piimap.yaml", []byte(sampleDeclaration))
	if err != nil {
		t.Fatal(err)
	}
	if opt.Version == "" {
		opt.Version = "v1.2.3"
	}
	return Build(sampleResult(), decl, opt)
}

// verdictsOf maps fingerprints to verdicts.
func verdictsOf(r *Report) map[string]string {
	m := map[string]string{}
	for _, f := range r.Findings {
		m[f.Fingerprint] = f.Verdict
	}
	return m
}
