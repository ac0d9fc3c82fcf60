package postgres_test

import (
	"strings"
	"testing"

	"github.com/piimap/piimap/internal/dbtest"
	"github.com/piimap/piimap/scanner"
	"github.com/piimap/piimap/sources"
	"github.com/piimap/piimap/sources/postgres"
)

// TestEndToEnd scans the shop through the scanner with every detector and
// checks findings per column. It lives in an external test package: the
// postgres package itself never imports the scanner or the detectors.
func TestEndToEnd(t *testing.T) {
	scanURL, target, pw := postgres.ShopForTest(t)
	opt := sources.Options{ExcludeTables: []string{"public.big", "public.fresh"}}
	res := dbtest.ScanAllDetectors(t, postgres.New, scanURL, opt)
	found := map[string]scanner.Finding{}
	for _, f := range res.Findings {
		t.Logf("%s %s %d %s", f.Location, f.Category, f.Count, f.Confidence)
	}
	for _, f := range res.Findings {
		found[f.Location.String()+" "+string(f.Category)] = f
		if strings.Contains(f.Location.String(), pw) || strings.Contains(strings.Join(f.Examples, " "), pw) {
			t.Errorf("finding %s leaks the password", f.Location)
		}
	}
	for _, want := range []string{
		"public.customers.fnr national_id",
		"public.customers.personnummer national_id",
		"public.legacy_people.fnr national_id", // bigint, padded
		"public.customers.fodt date_of_birth",  // not scanned by value: the column name
		"public.customers.passord credentials",
	} {
		f, ok := found[target+"/"+want]
		if !ok {
			t.Errorf("no finding %s", want)
			continue
		}
		if f.Count == 0 || f.Column == nil || f.Column.Rows == 0 {
			t.Errorf("%s: %+v", want, f)
		}
	}
	if f := found[target+"/public.customers.fnr national_id"]; f.Column != nil && f.Column.Share < 0.99 {
		t.Errorf("customers.fnr share %.2f, want all values", f.Column.Share)
	}
	for k := range found {
		if strings.HasPrefix(k, target+"/public.customers.fodt ") && !strings.HasSuffix(k, " date_of_birth") {
			t.Errorf("unexpected finding %s", k)
		}
	}
	if res.Tables < 10 || res.Rows == 0 {
		t.Errorf("tables %d rows %d", res.Tables, res.Rows)
	}
	failed := false
	for _, f := range res.Failures {
		if f.Location.String() == target+"/public.secret" {
			failed = true
		}
		if strings.Contains(f.Error, pw) {
			t.Errorf("failure leaks the password: %s", f.Error)
		}
	}
	if !failed {
		t.Errorf("public.secret not among the failures: %+v", res.Failures)
	}
}
