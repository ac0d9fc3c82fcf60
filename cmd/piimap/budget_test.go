package main

import (
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"github.com/piimap/piimap/report"
)

// bigTableRows and seededEmails: issue 11's coverage case, a value in
// 0.01 % of the rows of a million-row table.
const (
	bigTableRows = 1_000_000
	seededEmails = 100
)

// seededIDs picks the rows that get an e-mail address, at random (fixed seed).
func seededIDs() []int64 {
	rng := rand.New(rand.NewPCG(11, 100))
	seen := map[int64]bool{}
	var ids []int64
	for len(ids) < seededEmails {
		id := 1 + rng.Int64N(bigTableRows)
		if !seen[id] {
			seen[id] = true
			ids = append(ids, id)
		}
	}
	return ids
}

func idList(ids []int64) string {
	s := make([]string, len(ids))
	for i, id := range ids {
		s[i] = fmt.Sprint(id)
	}
	return strings.Join(s, ",")
}

// scanTable scans one table with extra flags and returns its table entry
// and the e-mail findings' total count.
func scanTable(t *testing.T, dbURL, table string, extra ...string) (report.Table, int64) {
	t.Helper()
	args := append([]string{"scan", dbURL, "--tables", table, "--format", "json", "--fail-on", "never"}, extra...)
	code, out, stderr := runCLI(t, args...)
	if code != report.ExitOK {
		t.Fatalf("exit %d; stderr %s", code, stderr)
	}
	var r report.Report
	if err := json.Unmarshal([]byte(out), &r); err != nil {
		t.Fatal(err)
	}
	if len(r.Tables) != 1 || len(r.Failures) > 0 {
		t.Fatalf("tables %+v, failures %+v", r.Tables, r.Failures)
	}
	var mails int64
	for _, f := range r.Findings {
		if f.Category == "email" && strings.HasSuffix(f.Location, ".epost") {
			mails += f.Count
		}
	}
	return r.Tables[0], mails
}

// checkCoverage is the acceptance: the default scan states its detection
// limit (about 3/10,000 of the rows); with --budget the whole table is
// read, every seeded address found once, and the report says so.
func checkCoverage(t *testing.T, dbURL, table string) {
	tb, _ := scanTable(t, dbURL, table)
	t.Logf("default: %s: %d rows, %s", tb.Method, tb.Rows, tb.Coverage)
	if tb.DetectionLimit < 0.00025 || tb.DetectionLimit > 0.0004 || !strings.Contains(tb.Coverage, "may be missed") || tb.Covered >= 0.05 {
		t.Errorf("default scan: limit %v, covered %v, %q; want ~0.0003 of the rows stated", tb.DetectionLimit, tb.Covered, tb.Coverage)
	}
	// A budget too short for the table: part of it, stated.
	tb, _ = scanTable(t, dbURL, table, "--budget", "1s", "--max-rows-per-second", "100000")
	t.Logf("--budget 1s: %s: %d rows, %s", tb.Method, tb.Rows, tb.Coverage)
	if tb.Covered <= 0.05 || tb.Covered >= 0.5 || tb.DetectionLimit <= 0 || tb.DetectionLimit >= 0.0001 || !strings.Contains(tb.Coverage, "may be missed") {
		t.Errorf("--budget 1s at 100,000 rows/s: covered %v, limit %v, %q; want about 11 %% read and a lower limit", tb.Covered, tb.DetectionLimit, tb.Coverage)
	}
	tb, mails := scanTable(t, dbURL, table, "--budget", "30s", "--max-rows-per-second", "250000")
	t.Logf("--budget 30s: %s: %d rows, %s", tb.Method, tb.Rows, tb.Coverage)
	if tb.Covered != 1 || tb.DetectionLimit != 0 || tb.Coverage != "all rows read" || tb.Rows != bigTableRows {
		t.Errorf("with --budget: %+v; want all %d rows read", tb, bigTableRows)
	}
	if mails != seededEmails {
		t.Errorf("with --budget: %d e-mail addresses found, want the %d seeded (each once)", mails, seededEmails)
	}
}

func TestBudgetCoversPostgresTable(t *testing.T) {
	if testing.Short() {
		t.Skip("a million rows: skipped with -short")
	}
	ctx := context.Background()
	admin := pgServer.URL(t)
	dbURL, conn := freshPostgresDB(ctx, t, admin, "cov_big")
	for _, q := range []string{
		"CREATE TABLE big (id int8 PRIMARY KEY, ordre text, epost text)",
		fmt.Sprintf("INSERT INTO big SELECT i, 'ordre ' || (i * 7919 %% 1000003), NULL FROM generate_series(1::int8, %d) i", bigTableRows),
		"UPDATE big SET epost = 'kunde' || id || '@example.no' WHERE id IN (" + idList(seededIDs()) + ")",
		"VACUUM ANALYZE big",
	} {
		if _, err := conn.Exec(ctx, q); err != nil {
			t.Fatal(q, err)
		}
	}
	checkCoverage(t, dbURL, "public.big")
}

func TestBudgetCoversMariaDBTable(t *testing.T) {
	if testing.Short() {
		t.Skip("a million rows: skipped with -short")
	}
	admin := mysqlServer.URL(t)
	db := openMariaDB(t, admin)
	for _, q := range []string{
		"DROP DATABASE IF EXISTS cov_big", "CREATE DATABASE cov_big",
		"CREATE TABLE cov_big.big (id BIGINT PRIMARY KEY, ordre VARCHAR(40), epost VARCHAR(100))",
		fmt.Sprintf("INSERT INTO cov_big.big SELECT seq, CONCAT('ordre ', seq * 7919 %% 1000003), NULL FROM cov_big.seq_1_to_%d", bigTableRows),
		"UPDATE cov_big.big SET epost = CONCAT('kunde', id, '@example.no') WHERE id IN (" + idList(seededIDs()) + ")",
		"ANALYZE TABLE cov_big.big",
	} {
		if _, err := db.Exec(q); err != nil {
			t.Fatal(q, err)
		}
	}
	checkCoverage(t, withDatabase(t, admin, "cov_big"), "cov_big.big")
}

// sharedRateRows: the rows of each of the two tables of the shared
// throttle test; sharedRate its --max-rows-per-second.
const (
	sharedRateRows = 100_000
	sharedRate     = 50_000
)

// checkSharedBudget is --max-rows-per-second and --database-budget per
// database target: two tables read at once by two workers share the
// throttle, so that reading both beyond their samples takes at least as
// long as their rows at the rate (read at the rate each, they would take
// half); and a spent database budget leaves later tables their sample,
// saying so.
func checkSharedBudget(t *testing.T, dbURL string, tables ...string) {
	scan := func(extra ...string) (report.Report, time.Duration) {
		args := []string{"scan", dbURL, "--format", "json", "--fail-on", "never", "--workers", "2"}
		for _, tb := range tables {
			args = append(args, "--tables", tb)
		}
		start := time.Now()
		code, out, stderr := runCLI(t, append(args, extra...)...)
		elapsed := time.Since(start)
		if code != report.ExitOK {
			t.Fatalf("exit %d; stderr %s", code, stderr)
		}
		var r report.Report
		if err := json.Unmarshal([]byte(out), &r); err != nil {
			t.Fatal(err)
		}
		if len(r.Tables) != len(tables) || len(r.Failures) > 0 {
			t.Fatalf("tables %+v, failures %+v", r.Tables, r.Failures)
		}
		return r, elapsed
	}
	r, elapsed := scan("--budget", "60s", "--max-rows-per-second", fmt.Sprint(sharedRate))
	var beyond int64
	for _, tb := range r.Tables {
		t.Logf("%s: %s: %d rows, %s", tb.Location, tb.Method, tb.Rows, tb.Coverage)
		if tb.Coverage != "all rows read" || tb.Rows != sharedRateRows {
			t.Errorf("%s: %+v; want all %d rows read", tb.Location, tb, sharedRateRows)
		}
		beyond += tb.Rows - 10_000 // the sample
	}
	// The throttle's lower bound, less a tenth for the first batches.
	if floor := time.Duration(float64(beyond) / sharedRate * 0.9 * float64(time.Second)); elapsed < floor {
		t.Errorf("two tables, %d rows beyond their samples, read in %v at %d rows/s for the database: faster than %v", beyond, elapsed, sharedRate, floor)
	}
	r, _ = scan("--database-budget", "1ns")
	for _, tb := range r.Tables {
		if !strings.Contains(tb.Method, "--database-budget spent") || tb.Covered >= 0.5 {
			t.Errorf("%s after a spent database budget: method %q, covered %v; want the sample only, stated", tb.Location, tb.Method, tb.Covered)
		}
	}
}

func TestDatabaseThrottlePostgres(t *testing.T) {
	if testing.Short() {
		t.Skip("seconds of throttled reading: skipped with -short")
	}
	ctx := context.Background()
	dbURL, conn := freshPostgresDB(ctx, t, pgServer.URL(t), "shared_budget")
	for _, name := range []string{"a", "b"} {
		for _, q := range []string{
			"CREATE TABLE " + name + " (id int8 PRIMARY KEY, ordre text)",
			fmt.Sprintf("INSERT INTO %s SELECT i, 'ordre ' || i FROM generate_series(1::int8, %d) i", name, sharedRateRows),
			"VACUUM ANALYZE " + name,
		} {
			if _, err := conn.Exec(ctx, q); err != nil {
				t.Fatal(q, err)
			}
		}
	}
	checkSharedBudget(t, dbURL, "public.a", "public.b")
}

func TestDatabaseThrottleMariaDB(t *testing.T) {
	if testing.Short() {
		t.Skip("seconds of throttled reading: skipped with -short")
	}
	admin := mysqlServer.URL(t)
	db := openMariaDB(t, admin)
	qs := []string{"DROP DATABASE IF EXISTS shared_budget", "CREATE DATABASE shared_budget"}
	for _, name := range []string{"a", "b"} {
		qs = append(qs,
			"CREATE TABLE shared_budget."+name+" (id BIGINT PRIMARY KEY, ordre VARCHAR(40))",
			fmt.Sprintf("INSERT INTO shared_budget.%s SELECT seq, CONCAT('ordre ', seq) FROM shared_budget.seq_1_to_%d", name, sharedRateRows),
			"ANALYZE TABLE shared_budget."+name)
	}
	for _, q := range qs {
		if _, err := db.Exec(q); err != nil {
			t.Fatal(q, err)
		}
	}
	checkSharedBudget(t, withDatabase(t, admin, "shared_budget"), "shared_budget.a", "shared_budget.b")
}
