package report

import (
	"bytes"
	"encoding/csv"
	"slices"
	"strconv"
	"strings"
	"testing"
)

func TestCSVParsesBackWithColumns(t *testing.T) {
	r := sampleReport(t, Options{})
	var buf bytes.Buffer
	if err := RenderCSV(&buf, r); err != nil {
		t.Fatal(err)
	}
	recs, err := csv.NewReader(&buf).ReadAll()
	if err != nil {
		t.Fatalf("CSV does not parse back: %v", err)
	}
	if !slices.Equal(recs[0], CSVHeader) {
		t.Fatalf("header %v, want %v", recs[0], CSVHeader)
	}
	for _, want := range []string{"location", "target", "path", "field", "category", "verdict", "count", "confidence",
		"detectors", "labels", "examples", "lines", "fingerprint", "column_share"} {
		if !slices.Contains(recs[0], want) {
			t.Errorf("header lacks %q", want)
		}
	}
	col := map[string]int{}
	for i, h := range recs[0] {
		col[h] = i
	}
	rows := recs[1:]
	if len(rows) != len(r.Findings) {
		t.Fatalf("%d rows for %d findings", len(rows), len(r.Findings))
	}
	sorted := SortedFindings(r)
	for i, row := range rows {
		f := sorted[i]
		if len(row) != len(CSVHeader) {
			t.Fatalf("row %d has %d cells", i, len(row))
		}
		if unguard(row[col["location"]]) != f.Location || row[col["verdict"]] != f.Verdict ||
			row[col["category"]] != f.Category || row[col["fingerprint"]] != f.Fingerprint ||
			row[col["count"]] != strconv.FormatInt(f.Count, 10) || unguard(row[col["field"]]) != f.Where.Field {
			t.Errorf("row %d = %v, want finding %+v", i, row, f)
		}
		if f.Column != nil {
			share, err := strconv.ParseFloat(row[col["column_share"]], 64)
			if err != nil || share != f.Column.Share {
				t.Errorf("row %d: column_share %q, want %v", i, row[col["column_share"]], f.Column.Share)
			}
		}
		if got := row[col["detectors"]]; got != strings.Join(f.Detectors, "; ") {
			t.Errorf("row %d: detectors %q", i, got)
		}
	}
	// Failing verdicts come first.
	if rows[0][col["verdict"]] != Undeclared || rows[len(rows)-1][col["verdict"]] == Undeclared {
		t.Errorf("rows not ordered failing first: first %q last %q", rows[0][col["verdict"]], rows[len(rows)-1][col["verdict"]])
	}
}

func unguard(s string) string { return strings.TrimPrefix(s, "'") }

func TestCSVFormulaInjection(t *testing.T) {
	for in, want := range map[string]string{
		"=HYPERLINK(\"x\")": "'=HYPERLINK(\"x\")",
		"+47 99":            "'+47 99",
		"-1+2":              "'-1+2",
		"@SUM(A1)":          "'@SUM(A1)",
		"\t=1":              "'\t=1",
		"\r=1":              "'\r=1",
		"file:a.log":        "file:a.log",
		"":                  "",
		"4":                 "4",
	} {
		if got := CSVCell(in); got != want {
			t.Errorf("CSVCell(%q) = %q, want %q", in, got, want)
		}
	}
	// In a rendered report: a path starting with = and an example starting with +.
	r := sampleReport(t, Options{})
	r.Findings[0].Location = "=cmd|' /C calc'!A0"
	r.Findings[0].Examples = []string{"+4799999999"}
	var buf bytes.Buffer
	if err := RenderCSV(&buf, r); err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	recs, err := csv.NewReader(strings.NewReader(out)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	for _, row := range recs[1:] {
		for _, cell := range row {
			if cell != "" && strings.ContainsRune("=+-@\t\r", rune(cell[0])) {
				t.Errorf("cell %q starts with a formula character", cell)
			}
		}
	}
	if !strings.Contains(out, "'=cmd") || !strings.Contains(out, "'+4799999999") {
		t.Errorf("guarded cells missing:\n%s", out)
	}
}
