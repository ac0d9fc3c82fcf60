package report

import (
	"bytes"
	"math"
	"strings"
	"testing"

	"github.com/piimap/piimap/scanner"
	"github.com/piimap/piimap/sources"
)

// TestCoverage: the detection limit of a sample of n rows out of N is
// about 3/n, a value that often is found with 95 % probability by the
// model, and whole tables have none.
func TestCoverage(t *testing.T) {
	cov, lim := Coverage(10_000, 1_000_000, false)
	if cov != 0.01 || lim < 0.00029 || lim > 0.00031 {
		t.Errorf("10,000 of 1,000,000: covered %v, limit %v; want 0.01, ~0.0003", cov, lim)
	}
	// The model: a value in k = lim·N rows is missed with probability
	// (1 − n/N)^k ≤ 5 %, and in k − 1 rows with more.
	k := lim * 1_000_000
	if miss := math.Pow(0.99, k); miss > 0.05 {
		t.Errorf("at the limit a value is missed with probability %v", miss)
	}
	if miss := math.Pow(0.99, k-1); miss <= 0.05 {
		t.Errorf("the limit is not the smallest: %v", miss)
	}
	if cov, lim := Coverage(1_000_000, 1_000_000, true); cov != 1 || lim != 0 {
		t.Errorf("complete: %v %v", cov, lim)
	}
	if cov, lim := Coverage(500, -1, false); cov != -1 || lim != -1 {
		t.Errorf("unknown size: %v %v", cov, lim)
	}
	if _, lim := Coverage(999_000, 1_000_000, false); lim <= 0 || lim > 1e-5 {
		t.Errorf("nearly all read, not complete: limit %v", lim)
	}
	for _, c := range []struct {
		share float64
		want  string
	}{{0.000299, "0.03 %"}, {0.015, "1.5 %"}, {1, "100 %"}, {0.25, "25 %"}, {0.0000123, "0.0012 %"}} {
		if got := percent(c.share); got != c.want {
			t.Errorf("percent(%v) = %q, want %q", c.share, got, c.want)
		}
	}
}

// TestCoverageRendered: every format states each table's coverage.
func TestCoverageRendered(t *testing.T) {
	pg := "postgres://db:5432/shop"
	res := &scanner.Result{Targets: []string{pg}, TableInfo: []sources.Table{
		{Loc: sources.Location{Target: pg, Path: "public.big", Table: true}, Method: "tablesample system 1.5%", Rows: 10_000, Estimated: 1_000_000},
		{Loc: sources.Location{Target: pg, Path: "public.small", Table: true}, Method: "whole table", Rows: 40, Estimated: 40, Complete: true},
	}}
	r := Build(res, nil, Options{})
	if r.Tables[0].Coverage != "a value in fewer than 0.03 % of rows may be missed (1 % of rows read)" || r.Tables[1].Coverage != "all rows read" {
		t.Fatalf("coverage %q / %q", r.Tables[0].Coverage, r.Tables[1].Coverage)
	}
	for name, render := range Formats() {
		if name == "ndjson" || name == "csv" || name == "sarif" {
			continue // findings only
		}
		var buf bytes.Buffer
		if err := render(&buf, r); err != nil {
			t.Fatal(name, err)
		}
		out := buf.String()
		for _, want := range []string{"fewer than 0.03 % of rows may be missed", "all rows read"} {
			if !strings.Contains(out, want) {
				t.Errorf("%s: no %q", name, want)
			}
		}
	}
}
