package postgres

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/piimap/piimap/detectors"
	"github.com/piimap/piimap/internal/dbtest"
	"github.com/piimap/piimap/internal/testdb"
	"github.com/piimap/piimap/report"
	"github.com/piimap/piimap/scanner"
	"github.com/piimap/piimap/sources"
)

// freshDB creates a database of its own on the test server, runs stmts in
// it and returns its superuser URL; it is dropped when the test ends.
func freshDB(t *testing.T, prefix string, stmts ...string) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	admin := pg.URL(t)
	name := prefix + "_" + strings.ToLower(testdb.Password()[:8])
	_, dbURL, _, err := dbtest.DBURLs(admin, name, "", "")
	if err != nil {
		t.Fatal(err)
	}
	c, err := pgx.Connect(ctx, admin)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close(ctx)
	if _, err := c.Exec(ctx, "CREATE DATABASE "+name); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		if c, err := pgx.Connect(ctx, admin); err == nil {
			_, _ = c.Exec(ctx, "DROP DATABASE IF EXISTS "+name+" WITH (FORCE)")
			c.Close(ctx)
		}
	})
	db, err := pgx.Connect(ctx, dbURL)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close(ctx)
	for _, q := range stmts {
		if _, err := db.Exec(ctx, q); err != nil {
			t.Fatalf("%.70s: %v", q, err)
		}
	}
	return dbURL
}

// TestPhoneNamedIntegerColumns is the PostgreSQL twin of the MariaDB test
// of structured columns: integer columns named like phone columns (an
// int4 mobil of 8-digit Norwegian mobiles, an int8 phone_number of
// MSISDNs without '+', 4791234567) are read as they are and reported as
// phone at high over every value; an int8 order_id of the same numbers is
// not a phone column (read as a wide integer, padded as a fødselsnummer
// would be) and is not reported as phone.
func TestPhoneNamedIntegerColumns(t *testing.T) {
	const rows = 3000
	dbURL := freshDB(t, "phones",
		"CREATE TABLE people (id int PRIMARY KEY, mobil int4, phone_number int8, order_id int8)",
		// Mobiles 40xxxxxx, 41xxxxxx and 9xxxxxxx.
		fmt.Sprintf(`INSERT INTO people SELECT i, m, 4700000000 + m, 4700000000 + m FROM (
			SELECT i, CASE WHEN i %% 2 = 0 THEN 40000000 + (i * 7907) %% 2000000 ELSE 90000000 + (i * 7907) %% 10000000 END AS m
			FROM generate_series(1, %d) i) s`, rows),
		"ANALYZE people")
	res := dbtest.ScanAllDetectors(t, New, dbURL, sources.Options{Tables: []string{"public.people"}, Full: true})
	if len(res.Failures) > 0 || res.Rows != rows {
		t.Fatalf("failures %+v, rows %d; want %d rows", res.Failures, res.Rows, rows)
	}
	found := map[string]scanner.Finding{}
	for _, f := range res.Findings {
		t.Logf("%s %s count %d %s %v %s", f.Location, f.Category, f.Count, f.Confidence, f.Detectors, f.ConfidenceReason)
		found[f.Location.Field+" "+string(f.Category)] = f
	}
	for _, col := range []string{"mobil", "phone_number"} {
		f := found[col+" phone"]
		if f.Confidence != detectors.High || f.Column == nil || f.Column.Share < 0.99 || f.Count != rows {
			t.Errorf("%s: %+v; want a phone finding at high over every value", col, f)
		}
	}
	if f, ok := found["order_id phone"]; ok {
		t.Errorf("order_id reported as phone: %+v", f)
	}
	// How the values reach the detectors: the phone columns as they are,
	// order_id padded to eleven digits like any wide integer.
	rec, units := scanAll(t, dbURL, sources.Options{Tables: []string{"public.people"}, Full: true})
	if len(units) != 1 {
		t.Fatalf("units %v", units)
	}
	for col, want := range map[string]func(v string) bool{
		"mobil":        func(v string) bool { return len(v) == 8 && (v[0] == '4' || v[0] == '9') },
		"phone_number": func(v string) bool { return len(v) == 10 && strings.HasPrefix(v, "47") },
		"order_id":     func(v string) bool { return len(v) == 11 && strings.HasPrefix(v, "047") },
	} {
		vals := rec.Values[units[0]+"."+col]
		bad := 0
		for _, v := range vals {
			if !want(v) {
				bad++
			}
		}
		if len(vals) != rows || bad > 0 {
			t.Errorf("%s: %d values, %d not as expected (first %q)", col, len(vals), bad, vals[:min(3, len(vals))])
		}
	}
}

// Rows of the partitions of the partitioned table: uneven, so that the
// page numbers of the largest go beyond those of the others.
var partRows = []int64{10_000, 30_000, 110_000}

// TestBudgetPartitionedTable: with --budget, a partitioned table of three
// partitions of uneven sizes is read beyond its sample by page ranges up
// to the pages of its largest partition (pg_partition_tree): every row
// once (the sampled rows of each partition skipped), all rows read, each
// of the 20 addresses seeded over the partitions found once.
func TestBudgetPartitionedTable(t *testing.T) {
	var total int64
	stmts := []string{"CREATE TABLE orders (id int8 NOT NULL, ref text, epost text) PARTITION BY RANGE (id)"}
	for i, n := range partRows {
		stmts = append(stmts, fmt.Sprintf("CREATE TABLE orders_%d PARTITION OF orders FOR VALUES FROM (%d) TO (%d)", i, total+1, total+n+1))
		total += n
	}
	// 20 addresses: 3 in the first partition, 5 in the second, 12 in the third.
	var seeded []string
	for _, id := range []int64{17, 4_711, 9_999, 10_001, 17_000, 25_123, 33_333, 40_000,
		40_001, 50_000, 61_111, 70_707, 82_000, 93_939, 100_000, 111_111, 120_000, 131_313, 144_444, 150_000} {
		seeded = append(seeded, fmt.Sprint(id))
	}
	stmts = append(stmts,
		fmt.Sprintf("INSERT INTO orders SELECT i, 'r' || i, NULL FROM generate_series(1::int8, %d) i", total),
		"UPDATE orders SET epost = 'kunde' || id || '@example.no' WHERE id IN ("+strings.Join(seeded, ",")+")",
		"VACUUM ANALYZE orders")
	dbURL := freshDB(t, "parts", stmts...)
	opt := sources.Options{Tables: []string{"public.orders"}, Budget: 30 * time.Second}

	rec, units := scanAll(t, dbURL, opt)
	if len(units) != 1 || len(rec.Failures) > 0 {
		t.Fatalf("units %v (want the parent only), failures %v", units, rec.Failures)
	}
	loc := units[0]
	tb := rec.Tables[loc]
	t.Logf("--budget: %+v", tb)
	if cov := report.TableFrom(tb).Coverage; !tb.Complete || tb.Rows != total || cov != "all rows read" || !strings.Contains(tb.Method, "page ranges") {
		t.Errorf("--budget: %+v, coverage %q; want all %d rows read by page ranges", tb, cov, total)
	}
	refs := rec.Values[loc+".ref"]
	seen := make(map[string]bool, len(refs))
	twice := 0
	for _, v := range refs {
		if seen[v] {
			twice++
		}
		seen[v] = true
	}
	if twice > 0 || int64(len(seen)) != total {
		t.Errorf("--budget: %d rows delivered, %d distinct, %d twice; want each of the %d once", len(refs), len(seen), twice, total)
	}
	if mails := rec.Values[loc+".epost"]; len(mails) != len(seeded) {
		t.Errorf("--budget: %d addresses delivered, want the %d seeded", len(mails), len(seeded))
	}

	// Through the scanner: one e-mail finding counting each seeded row once.
	res := dbtest.ScanAllDetectors(t, New, dbURL, opt)
	count := dbtest.Count(res, detectors.Email, "epost")
	if count != int64(len(seeded)) || res.Rows != total {
		t.Errorf("scanner with --budget: %d addresses in %d rows; want %d in %d", count, res.Rows, len(seeded), total)
	}
}

// TestGenericNameColumnsOnPostgres: on a real server, a registry's "name"
// column of package and product names is a name finding at low with the
// share of values written as names in the reason, a
// customers' "name" column of people's names stays medium, and a
// categories' "name" of capitalised words is low by the table's name.
func TestGenericNameColumnsOnPostgres(t *testing.T) {
	dbURL := freshDB(t, "names",
		"CREATE TABLE registry (id int PRIMARY KEY, name text)",
		"CREATE TABLE customers (id int PRIMARY KEY, name text)",
		"CREATE TABLE categories (id int PRIMARY KEY, name text)",
		`INSERT INTO categories SELECT i, (ARRAY['Electronics','Garden Tools','Kitchen','Outdoor Living'])[1 + i % 4] FROM generate_series(1, 40) i`,
		`INSERT INTO registry SELECT i, (ARRAY['usb-c cable 2m','ariga.io/atlas','SKU-4471 blue','left-pad','0.9.1 firmware'])[1 + i % 5] FROM generate_series(1, 300) i`,
		`INSERT INTO customers SELECT i, (ARRAY['Kari Nordmann','Ola Hansen','Anne-Lise Ødegård','Nordmann, Per','Jan van der Berg'])[1 + i % 5] FROM generate_series(1, 300) i`,
		"ANALYZE registry", "ANALYZE customers", "ANALYZE categories")
	res := dbtest.ScanAllDetectors(t, New, dbURL, sources.Options{Tables: []string{"public.*"}, Full: true})
	if len(res.Failures) > 0 {
		t.Fatalf("failures %+v", res.Failures)
	}
	found := map[string]scanner.Finding{}
	for _, f := range res.Findings {
		t.Logf("%s %s count %d %s %s", f.Location, f.Category, f.Count, f.Confidence, f.ConfidenceReason)
		if f.Category == detectors.Name {
			found[f.Location.Path] = f
		}
	}
	if f := found["public.registry"]; f.Confidence != detectors.Low || f.ConfidenceReason != "0 % of the 300 values read are written as a person's name" {
		t.Errorf("registry.name: %+v; want low, 0 %% of 300", f)
	}
	if f := found["public.customers"]; f.Confidence != detectors.Medium || f.ConfidenceReason != "100 % of the 300 values read are written as a person's name" {
		t.Errorf("customers.name: %+v; want medium, 100 %% of 300", f)
	}
	// Capitalised words, as names are written, but the table's rows are
	// things.
	if f := found["public.categories"]; f.Confidence != detectors.Low || f.ConfidenceReason != "the table's rows are things, not people (public.categories)" {
		t.Errorf("categories.name: %+v; want low, the table's rows are things", f)
	}
}
