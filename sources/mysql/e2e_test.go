package mysql_test

import (
	"testing"

	"github.com/piimap/piimap/detectors"
	"github.com/piimap/piimap/internal/dbtest"
	"github.com/piimap/piimap/scanner"
	"github.com/piimap/piimap/sources"
	"github.com/piimap/piimap/sources/mysql"
)

// TestStructuredColumnsGradedByCategory scans a real MariaDB table through
// the scanner with every detector: an English-named national_id column
// mixing fødselsnummer and personnummer is one national_id finding at
// high (judged on the category, not per detector), and integer columns of
// phone numbers (an INT mobil, a BIGINT phone_number of MSISDNs) are phone
// findings at high; an integer score column is not read.
func TestStructuredColumnsGradedByCategory(t *testing.T) {
	scanURL, target, people := mysql.ShopForTest(t)
	opt := sources.Options{Tables: []string{"*.people"}, Full: true}
	res := dbtest.ScanAllDetectors(t, mysql.New, scanURL, opt)
	found := map[string]scanner.Finding{}
	for _, f := range res.Findings {
		t.Logf("%s %s count %d %s %v %s", f.Location, f.Category, f.Count, f.Confidence, f.Detectors, f.ConfidenceReason)
		found[f.Location.Field+" "+string(f.Category)] = f
		if f.Location.Field == "score" {
			t.Errorf("score column reported: %+v", f)
		}
	}
	nid := found["national_id national_id"]
	if nid.Confidence != detectors.High || nid.Count < int64(people) || len(nid.Detectors) != 2 {
		t.Errorf("national_id: %s, count %d of %d valid, detectors %v; want high, both detectors", nid.Confidence, nid.Count, people, nid.Detectors)
	}
	for _, col := range []string{"mobil", "phone_number"} {
		f := found[col+" phone"]
		if f.Confidence != detectors.High || f.Column == nil || f.Column.Share < 0.99 {
			t.Errorf("%s: %+v; want a phone finding at high over every value", col, f)
		}
		if f.Location.Target != target {
			t.Errorf("%s: target %q, want %q", col, f.Location.Target, target)
		}
	}
}
