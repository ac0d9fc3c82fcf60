package mysql

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/piimap/piimap/detectors"
	"github.com/piimap/piimap/internal/dbtest"
	"github.com/piimap/piimap/internal/testdb"
	"github.com/piimap/piimap/report"
	"github.com/piimap/piimap/sources"
)

// skewedDense is how many consecutive keys (1..skewedDense) the skewed
// table holds; skewedFar are its few keys far beyond them, so that almost
// the whole key range MIN..MAX is empty.
const skewedDense = 10_000

var skewedFar = []int64{1_000_000_000_000, 1 << 61, 1 << 62}

// skewedDB creates a database with the table skewed (id BIGINT PRIMARY
// KEY, ref unique per row, epost set in the rows whose id is in mails)
// and returns the admin URL of the database; it is dropped when the test
// ends.
func skewedDB(t *testing.T) (dbURL string, total int, mails map[string]bool) {
	t.Helper()
	admin := maria.URL(t)
	name := "skew_" + strings.ToLower(testdb.Password()[:8])
	_, dbURL, _, err := dbtest.DBURLs(admin, name, "", "")
	if err != nil {
		t.Fatal(err)
	}
	db := openURL(t, admin)
	t.Cleanup(func() {
		_, _ = db.Exec("DROP DATABASE IF EXISTS " + name)
		db.Close()
	})
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	conn, err := db.Conn(ctx) // one session: USE sticks
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	var far []string
	for i, k := range skewedFar {
		// A long local part full of digits reads as a Message-ID.
		far = append(far, fmt.Sprintf("(%d, 'r%d', 'langt%d@example.no')", k, k, i))
	}
	for _, q := range []string{
		"CREATE DATABASE " + name,
		"USE " + name,
		"CREATE TABLE digits (d int PRIMARY KEY)",
		"INSERT INTO digits VALUES (0),(1),(2),(3),(4),(5),(6),(7),(8),(9)",
		"CREATE TABLE skewed (id BIGINT PRIMARY KEY, ref VARCHAR(30), epost VARCHAR(100))",
		// Keys 1..10,000; an address in every 500th row.
		`INSERT INTO skewed SELECT n, CONCAT('r', n), IF(n % 500 = 0, CONCAT('kunde', n, '@example.no'), NULL) FROM
			(SELECT a.d*1000 + b.d*100 + c.d*10 + d.d + 1 AS n FROM digits a, digits b, digits c, digits d) s`,
		"INSERT INTO skewed VALUES " + strings.Join(far, ", "),
		"ANALYZE TABLE skewed",
	} {
		if _, err := conn.ExecContext(ctx, q); err != nil {
			t.Fatalf("%.60s: %v", q, err)
		}
	}
	mails = map[string]bool{}
	for n := 500; n <= skewedDense; n += 500 {
		mails[fmt.Sprintf("kunde%d@example.no", n)] = true
	}
	for i := range skewedFar {
		mails[fmt.Sprintf("langt%d@example.no", i)] = true
	}
	return dbURL, skewedDense + len(skewedFar), mails
}

// distinct fails the test when vals holds a value twice and returns how
// many values it holds.
func distinct(t *testing.T, what string, vals []string) int {
	t.Helper()
	seen := map[string]bool{}
	twice := 0
	for _, v := range vals {
		if seen[v] {
			twice++
		}
		seen[v] = true
	}
	if twice > 0 {
		t.Errorf("%s: %d of %d rows read twice", what, twice, len(vals))
	}
	return len(vals)
}

// TestProbeGapsSkewedKeys: in a table of keys 1..10,000 and a few keys up
// to 2^62, the 20 probes land in the empty part of the key range and
// return a row or two; the gap filling in probe reads the rest of the
// sample below the probes (and returns its spans unsorted, having read to
// the end of the key range). The sample is still 10,000 rows, none twice;
// with --budget, readGaps reads the rest in key order (it sorts the spans
// first) and the table is read whole, every row once, "all rows read",
// every seeded address found once.
func TestProbeGapsSkewedKeys(t *testing.T) {
	dbURL, total, mails := skewedDB(t)
	opt := sources.Options{Tables: []string{"*.skewed"}}
	tableLoc, refLoc, mailLoc := "", "", ""
	locs := func(rec *dbtest.Recorder) {
		for k := range rec.Tables {
			tableLoc, refLoc, mailLoc = k, k+".ref", k+".epost"
		}
	}

	// The sample.
	rec, units := scanAll(t, dbURL, opt)
	if len(units) != 1 || len(rec.Failures) > 0 {
		t.Fatalf("units %v, failures %v", units, rec.Failures)
	}
	locs(rec)
	tb := rec.Tables[tableLoc]
	t.Logf("sample: %+v", tb)
	if !strings.HasPrefix(tb.Method, "pk-range probes") || tb.Rows != sources.DefaultSampleRows || tb.Complete {
		t.Errorf("sample: %+v; want pk-range probes, %d rows, not complete", tb, sources.DefaultSampleRows)
	}
	if n := distinct(t, "sample", rec.Values[refLoc]); n != sources.DefaultSampleRows {
		t.Errorf("sample: %d rows delivered, want %d", n, sources.DefaultSampleRows)
	}
	// The catalog may say 10,000 rows or fewer for a table just over the
	// sample: its size is then counted, so the report still gives a
	// detection limit rather than "table size unknown".
	if cov := report.TableFrom(tb).Coverage; tb.Estimated != int64(total) || !strings.Contains(cov, "may be missed") {
		t.Errorf("sample: estimated %d rows, coverage %q; want %d and a detection limit", tb.Estimated, cov, total)
	}
	// The probes found keys far out, the gap filling the dense ones.
	var far, dense int
	for _, v := range rec.Values[refLoc] {
		var id int64
		fmt.Sscanf(v, "r%d", &id)
		if id > skewedDense {
			far++
		} else {
			dense++
		}
	}
	if far == 0 || dense == 0 {
		t.Errorf("sample: %d far keys, %d dense: want both (probes and gap filling)", far, dense)
	}

	// With --budget: the whole table, each row once.
	opt.Budget = 30 * time.Second
	rec, _ = scanAll(t, dbURL, opt)
	if len(rec.Failures) > 0 {
		t.Fatalf("failures %v", rec.Failures)
	}
	tb = rec.Tables[tableLoc]
	t.Logf("--budget: %+v", tb)
	if cov := report.TableFrom(tb).Coverage; !tb.Complete || tb.Rows != int64(total) || cov != "all rows read" || !strings.Contains(tb.Method, "pk ranges") {
		t.Errorf("--budget: %+v, coverage %q; want all %d rows read", tb, cov, total)
	}
	if n := distinct(t, "--budget", rec.Values[refLoc]); n != total {
		t.Errorf("--budget: %d rows delivered, want %d", n, total)
	}
	got := rec.Values[mailLoc]
	distinct(t, "--budget e-mail", got)
	for _, m := range got {
		if !mails[m] {
			t.Errorf("--budget: unexpected value %q", m)
		}
	}
	if len(got) != len(mails) {
		t.Errorf("--budget: %d e-mail addresses, want the %d seeded (each once)", len(got), len(mails))
	}

	// Through the scanner: the e-mail finding counts each seeded row once.
	res := dbtest.ScanAllDetectors(t, New, dbURL, opt)
	count := dbtest.Count(res, detectors.Email, "epost")
	if count != int64(len(mails)) || len(res.TableInfo) != 1 || !res.TableInfo[0].Complete {
		t.Errorf("scanner with --budget: e-mail count %d, want %d; tables %+v", count, len(mails), res.TableInfo)
	}
}
