package postgres

import (
	"context"
	"encoding/json"
	"fmt"
	"net/url"
	"os"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/piimap/piimap/internal/dbtest"
	"github.com/piimap/piimap/internal/testdb"
	"github.com/piimap/piimap/sources"
	"github.com/piimap/piimap/sources/dbcommon"
)

func TestScanShopSampled(t *testing.T) {
	f := shop(t)
	rec, units := scanAll(t, f.scan, sources.Options{Views: true, ExcludeTables: []string{"slow.*"}})
	tgt := f.target
	loc := func(path string) string { return tgt + "/" + path }

	// Units: every table once, partitions through their parent, views
	// with Views, system schemas never.
	want := []string{"crm.contacts", `public.bad"name; drop`, "public.big", "public.customer_contacts",
		"public.customer_mv", "public.customers", "public.empty_table", "public.events", "public.files",
		"public.fresh", "public.legacy_people", "public.measurements", "public.order", "public.orders",
		"public.access_log", "public.secret", "public.tickets"}
	var got []string
	for _, u := range units {
		if !strings.HasPrefix(u, tgt+"/") {
			t.Errorf("unit %q outside target %q", u, tgt)
		}
		got = append(got, strings.TrimPrefix(u, tgt+"/"))
	}
	if !slices.Equal(dbtest.Sorted(got), dbtest.Sorted(want)) {
		t.Errorf("units\n got %q\nwant %q", dbtest.Sorted(got), dbtest.Sorted(want))
	}
	for _, u := range units {
		if strings.Contains(u, f.scanPW) || strings.Contains(u, f.role) {
			t.Errorf("location %q contains the user or password", u)
		}
	}

	// Values per column.
	if v := rec.Values[loc("public.customers.fnr")]; !slices.Equal(dbtest.Sorted(v), dbtest.Sorted(f.fnrs)) {
		t.Errorf("customers.fnr: got %d values, want the %d fixture fnrs", len(v), len(f.fnrs))
	}
	if v := rec.Values[loc("public.customers.epost")]; !slices.Equal(dbtest.Sorted(v), dbtest.Sorted(f.emails)) {
		t.Errorf("customers.epost: got %d values", len(v))
	}
	pnr := rec.Values[loc("public.customers.personnummer")]
	if len(pnr) != 200 || !slices.Contains(pnr, f.fnrs[0][:6]+" "+f.fnrs[0][6:]) || !slices.Contains(pnr, f.fnrs[1][:6]+"-"+f.fnrs[1][6:]) {
		t.Errorf("customers.personnummer: written forms missing: %d values, first %q", len(pnr), pnr[:min(3, len(pnr))])
	}
	// bigint fnr: padded back to 11 digits.
	legacy := rec.Values[loc("public.legacy_people.fnr")]
	if !slices.Equal(dbtest.Sorted(legacy), dbtest.Sorted(f.legacy)) {
		t.Errorf("legacy_people.fnr: got %q, want %q", dbtest.Sorted(legacy)[:min(5, len(legacy))], dbtest.Sorted(f.legacy)[:5])
	}
	zeros := 0
	for _, v := range f.legacy {
		if v[0] == '0' {
			zeros++
		}
	}
	if zeros == 0 {
		t.Error("fixture has no fnr with a leading zero in the bigint column")
	}
	if v := rec.Values[loc("public.customers.kundenummer")]; len(v) != 100 || !slices.Contains(v, "1000000") {
		t.Errorf("customers.kundenummer: %d values", len(v))
	}
	// Not scanned by value: dates, booleans, uuids, small numerics.
	for _, col := range []string{"public.customers.fodt", "public.customers.aktiv", "public.customers.ref",
		"public.orders.belop", "public.files.small", "public.files.document", "public.access_log.seen"} {
		if v := rec.Values[loc(col)]; len(v) != 0 {
			t.Errorf("%s: %d values delivered, want none", col, len(v))
		}
	}
	// …but announced, with counts.
	dbtest.CheckColumns(t, rec, loc, map[string]sources.Column{
		"public.customers.fodt":    {Type: "date", Rows: 200, NonNull: 180},
		"public.customers.passord": {Type: "text", Rows: 200, NonNull: 200},
		"public.customers.fnr":     {Type: "character(11)", Rows: 200, NonNull: 200},
		"public.customers.ref":     {Type: "uuid", Rows: 200, NonNull: 0},
		"public.orders.belop":      {Type: "numeric(8,2)", Rows: 50, NonNull: 50},
		"public.order.select":      {Type: "text", Rows: 2, NonNull: 1},
	})
	if v := rec.Values[loc("public.orders.kortnummer")]; !slices.Equal(dbtest.Sorted(v), dbtest.Sorted(f.cards)) {
		t.Errorf("orders.kortnummer: %d values", len(v))
	}
	if v := rec.Values[loc("public.orders.kontonr")]; len(v) != 50 || !slices.Equal(dbtest.Sorted(v), dbtest.Sorted(f.fnrs[:50])) {
		t.Errorf("orders.kontonr (numeric(11,0)): %q…", v[:min(3, len(v))])
	}
	if v := rec.Values[loc("public.tickets.body")]; len(v) != 400 {
		t.Errorf("tickets.body: %d values", len(v))
	}
	// JSON: jsonb and json as JSON chunks, the multi-line json on one line.
	if n := rec.JSON[loc("public.events.payload")]; n != 30 {
		t.Errorf("events.payload: %d JSON chunks, want 30", n)
	}
	for _, v := range rec.Values[loc("public.events.raw")] {
		if strings.ContainsAny(v, "\r\n") || !json.Valid([]byte(v)) || !strings.Contains(v, `"telefon": "+47 912 34 567"`) {
			t.Errorf("events.raw chunk %q: want valid one-line JSON", v)
			break
		}
	}
	if n := rec.JSON[loc("public.events.raw")]; n != 30 {
		t.Errorf("events.raw: %d JSON chunks", n)
	}
	if v := rec.Values[loc("public.access_log.client")]; len(v) != 20 || !slices.Contains(v, "192.168.1.7") {
		t.Errorf("access_log.client: %q…", v[:min(3, len(v))])
	}
	if v := rec.Values[loc("public.access_log.net")]; len(v) != 20 || !slices.Contains(v, "10.7.0.0/16") {
		t.Errorf("access_log.net: %q…", v[:min(3, len(v))])
	}
	if v := rec.Values[loc("public.files.tags")]; !slices.Equal(v, []string{"{a@firma.no,b@firma.no}"}) {
		t.Errorf("files.tags: %q", v)
	}
	if r := rec.Skips[loc("public.files.document")]; r == "" {
		t.Error("binary column files.document not reported as skipped")
	}
	// Reserved and hostile names are scanned, not executed.
	if v := rec.Values[loc("public.order.select")]; !slices.Equal(v, []string{"ordre@firma.no"}) {
		t.Errorf(`"order"."select": %q`, v)
	}
	if v := rec.Values[loc(`public.bad"name; drop.weird col";--`)]; !slices.Equal(v, []string{"ond@firma.no"}) {
		t.Errorf(`bad"name; drop: %q (keys %v)`, v, dbtest.KeysWith(rec.Values, "bad"))
	}
	// Partitioned table through its parent, rows from both partitions.
	if v := rec.Values[loc("public.measurements.epost")]; len(v) != 200 {
		t.Errorf("measurements.epost: %d values, want 200", len(v))
	}
	if v := rec.Values[loc("public.crm.contacts.telefon")]; v != nil {
		t.Errorf("wrong location form for crm.contacts: %q", v)
	}
	if v := rec.Values[loc("crm.contacts.telefon")]; !slices.Equal(v, []string{"+47 987 65 432"}) {
		t.Errorf("crm.contacts.telefon: %q", v)
	}
	if v := rec.Values[loc("public.customer_contacts.epost")]; len(v) != 200 {
		t.Errorf("view customer_contacts.epost: %d values", len(v))
	}
	if v := rec.Values[loc("public.customer_mv.epost")]; len(v) != 10 {
		t.Errorf("materialized view customer_mv.epost: %d values", len(v))
	}

	// Table statistics.
	dbtest.CheckTables(t, rec, loc, map[string]sources.Table{
		"public.customers":         {Method: "whole table", Rows: 200, Estimated: 200},
		"public.empty_table":       {Method: "whole table", Rows: 0, Estimated: 0},
		"public.customer_contacts": {Method: "whole view", Rows: 200, Estimated: -1},
		"public.measurements":      {Method: "whole table", Rows: 200, Estimated: 200},
	})
	big := rec.Tables[loc("public.big")]
	if !strings.HasPrefix(big.Method, "tablesample system ") || big.Rows != 10000 ||
		big.Estimated < f.bigRows*9/10 || big.Estimated > f.bigRows*11/10 {
		t.Errorf("big: %+v, want tablesample system, 10000 rows of ≈%d", big, f.bigRows)
	}
	fresh := rec.Tables[loc("public.fresh")]
	if !strings.HasPrefix(fresh.Method, "tablesample bernoulli ") || fresh.Rows != 10000 ||
		fresh.Estimated < 30000*8/10 || fresh.Estimated > 30000*12/10 {
		t.Errorf("fresh (never analyzed, 30000 rows): %+v", fresh)
	}
	// The sample is spread over the table, not its first rows.
	ids := rec.Values[loc("public.big.id")]
	lo, hi := dbtest.Spread(ids, bigRows)
	if len(ids) != 10000 || lo < 1000 || hi < 1000 {
		t.Errorf("big sample: %d ids, %d in the first quarter, %d in the last", len(ids), lo, hi)
	}

	// Permission denied: reported, named, and the other tables were read.
	err := rec.Failures[loc("public.secret")]
	if err == nil || !strings.Contains(err.Error(), "permission denied") || !strings.Contains(err.Error(), "secret") {
		t.Errorf("secret: Failed = %v", err)
	}
	if len(rec.Failures) != 1 {
		t.Errorf("failures: %v", rec.Failures)
	}
	if _, ok := rec.ScannedRows[loc("public.secret")]; ok {
		t.Error("secret reported as scanned")
	}
	if c, ok := rec.Columns[loc("public.secret.fnr")]; !ok || c.Rows != 0 {
		t.Errorf("secret.fnr column: %+v, %v (want announced with 0 rows)", c, ok)
	}
	// Row numbers are 1-based positions in the read.
	if r := rec.Rows[loc("public.customers.fnr")]; len(r) == 0 || r[0] != 1 || r[len(r)-1] != 200 {
		t.Errorf("customers rows: %v…", r[:min(3, len(r))])
	}
}

func TestSampleSmallBernoulliDeterministic(t *testing.T) {
	f := shop(t)
	opt := sources.Options{SampleRows: 50, Tables: []string{"public.customers", "public.measurements"}}
	a, units := scanAll(t, f.scan, opt)
	if len(units) != 2 {
		t.Fatalf("units %v", units)
	}
	b, _ := scanAll(t, f.scan, opt)
	k := f.target + "/public.customers.fnr"
	tb := a.Tables[f.target+"/public.customers"]
	if !strings.HasPrefix(tb.Method, "tablesample bernoulli ") || tb.Rows != 50 || tb.Estimated != 200 {
		t.Errorf("customers with 50 sample rows: %+v", tb)
	}
	if len(a.Values[k]) != 50 {
		t.Fatalf("%d fnr values, want 50", len(a.Values[k]))
	}
	for _, v := range a.Values[k] {
		if !slices.Contains(f.fnrs, v) {
			t.Errorf("sampled value %q not in the table", v)
		}
	}
	if !slices.Equal(dbtest.Sorted(a.Values[k]), dbtest.Sorted(b.Values[k])) {
		t.Error("two runs sampled different rows")
	}
	if c := a.Columns[k]; c.Rows != 50 || c.NonNull != 50 {
		t.Errorf("column stats %+v", c)
	}
	// A partitioned table: sampled through the parent, 50 distinct rows
	// from both partitions (a ctid exists in each partition).
	m := a.Tables[f.target+"/public.measurements"]
	if !strings.HasPrefix(m.Method, "tablesample bernoulli ") || m.Rows != 50 || m.Estimated != 200 {
		t.Errorf("measurements: %+v", m)
	}
	ids := a.Values[f.target+"/public.measurements.epost"]
	seen := map[string]bool{}
	var early, late int
	for _, v := range ids {
		if seen[v] {
			t.Errorf("row %s sampled twice", v)
		}
		seen[v] = true
		var i int
		fmt.Sscanf(v, "m%d@", &i)
		if i <= 106 { // 2023-06-01 + 2i days: up to i = 106 in 2023
			early++
		} else {
			late++
		}
	}
	if len(ids) != 50 || early == 0 || late == 0 {
		t.Errorf("measurements sample: %d values, %d from 2023, %d from 2024", len(ids), early, late)
	}
}

func TestTableGlobs(t *testing.T) {
	f := shop(t)
	_, units := scanAll(t, f.scan, sources.Options{Views: true,
		Tables: []string{"public.c*", "crm.*"}, ExcludeTables: []string{"*_contacts", "public.customer_mv"}})
	want := []string{f.target + "/crm.contacts", f.target + "/public.customers"}
	if !slices.Equal(units, want) {
		t.Errorf("units %q, want %q", units, want)
	}
	dbtest.OpenFails(t, New, f.scan, sources.Options{Tables: []string{"public.[x"}}, "", "--tables")
}

func TestBinaryOption(t *testing.T) {
	f := shop(t)
	rec, _ := scanAll(t, f.scan, sources.Options{Binary: true, Tables: []string{"public.files"}})
	v := rec.Values[f.target+"/public.files.document"]
	if len(v) != 1 || v[0] != "\x00\xffkari@firma.no\x00" {
		t.Errorf("document bytes: %q", v)
	}
	if len(rec.Skips) != 0 {
		t.Errorf("skipped with Binary: %v", rec.Skips)
	}
}

func TestFullRead(t *testing.T) {
	f := shop(t)
	var emails, texts atomic.Int64
	rec := dbtest.NewRecorder()
	ctx := context.Background()
	src := dbtest.MustOpen(t, New, f.scan, sources.Options{Full: true, Tables: []string{"public.big", "public.tickets"}}, "New")
	count := &dbtest.StatsSink{OnText: func(c *sources.Chunk) {
		texts.Add(1)
		if c.Loc.Field == "email" {
			emails.Add(1)
		}
	}, Rec: rec}
	err := src.Units(ctx, func(u sources.Unit) bool {
		if u.Size() <= 0 {
			t.Errorf("%s: size %d", u.Location(), u.Size())
		}
		return u.Read(ctx, count) == nil
	})
	if err != nil {
		t.Fatal(err)
	}
	big := rec.Tables[f.target+"/public.big"]
	if big.Method != "full" || big.Rows != bigRows {
		t.Errorf("big full: %+v", big)
	}
	if emails.Load() != bigRows/10000 {
		t.Errorf("%d emails in big, want %d", emails.Load(), bigRows/10000)
	}
	if c := rec.Columns[f.target+"/public.big.email"]; c.Rows != bigRows || c.NonNull != bigRows/10000 {
		t.Errorf("big.email column %+v", c)
	}
	if tk := rec.Tables[f.target+"/public.tickets"]; tk.Method != "full" || tk.Rows != 400 {
		t.Errorf("tickets full: %+v", tk)
	}
}

// checksums returns an md5 of every row of every table in the shop.
func checksums(t *testing.T, f *fixture) map[string]string {
	ctx := context.Background()
	c, err := pgx.Connect(ctx, f.shopSU)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close(ctx)
	rows, err := c.Query(ctx, `SELECT n.nspname, c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
		WHERE c.relkind IN ('r','m') AND n.nspname IN ('public','crm')`)
	if err != nil {
		t.Fatal(err)
	}
	var names []pgx.Identifier
	for rows.Next() {
		var s, n string
		if err := rows.Scan(&s, &n); err != nil {
			t.Fatal(err)
		}
		names = append(names, pgx.Identifier{s, n})
	}
	if rows.Err() != nil {
		t.Fatal(rows.Err())
	}
	out := map[string]string{}
	for _, id := range names {
		var sum *string
		q := "SELECT md5(string_agg(t::text, '|' ORDER BY t::text)) FROM " + id.Sanitize() + " t"
		if err := c.QueryRow(ctx, q).Scan(&sum); err != nil {
			t.Fatal(err)
		}
		out[id.Sanitize()] = fmt.Sprint(sum)
		if sum != nil {
			out[id.Sanitize()] = *sum
		}
	}
	var sizeSum int64
	if err := c.QueryRow(ctx, "SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname IN ('public','crm')").Scan(&sizeSum); err != nil {
		t.Fatal(err)
	}
	out["relations"] = fmt.Sprint(sizeSum)
	return out
}

func TestReadOnlyAndBounded(t *testing.T) {
	f := shop(t)
	before := checksums(t, f)
	if len(before) < 15 {
		t.Fatalf("checksums of %d tables", len(before))
	}
	// Scan as the superuser (the role's grants would hide a write), with
	// everything on, four readers over two connections.
	ctx := context.Background()
	opt := sources.Options{Views: true, Binary: true, DBConnections: 2, ExcludeTables: []string{"slow.*"}}
	admin, err := pgx.Connect(ctx, f.admin)
	if err != nil {
		t.Fatal(err)
	}
	defer admin.Close(ctx)
	// Count only this source's connections: those of earlier tests may
	// linger in pg_stat_activity for a moment after they closed.
	var opened time.Time
	if err := admin.QueryRow(ctx, "SELECT clock_timestamp()").Scan(&opened); err != nil {
		t.Fatal(err)
	}
	src := dbtest.MustOpen(t, New, f.shopSU, opt, "New")
	var units []sources.Unit
	if err := src.Units(ctx, func(u sources.Unit) bool { units = append(units, u); return true }); err != nil {
		t.Fatal(err)
	}
	var (
		maxConns  atomic.Int64
		readOnly  atomic.Int64
		observed  atomic.Bool
		adminMu   sync.Mutex
		wg        sync.WaitGroup
		next      atomic.Int64
		recorders = make([]*dbtest.Recorder, 4)
	)
	observe := func(c *sources.Chunk) {
		if observed.Load() {
			return
		}
		adminMu.Lock()
		defer adminMu.Unlock()
		if observed.Swap(true) {
			return
		}
		// A connection closed a moment ago (the one that listed the
		// tables, under a loaded machine) can still be listed: the
		// reader waits here, so its connections stay open while the
		// count is taken again until it settles.
		var n int64
		for try := 0; try < 10; try++ {
			if err := admin.QueryRow(ctx, "SELECT count(*) FROM pg_stat_activity WHERE application_name = 'piimap' AND datname = $1 AND backend_start >= $2", f.db, opened).Scan(&n); err != nil {
				t.Error(err)
			}
			if n <= 2 {
				break
			}
			time.Sleep(100 * time.Millisecond)
		}
		maxConns.Store(n)
		// Every piimap transaction is read-only: no xid assigned.
		var writers int64
		if err := admin.QueryRow(ctx, "SELECT count(*) FROM pg_stat_activity WHERE application_name = 'piimap' AND backend_xid IS NOT NULL").Scan(&writers); err != nil {
			t.Error(err)
		}
		readOnly.Store(writers)
	}
	for i := range recorders {
		recorders[i] = dbtest.NewRecorder()
		recorders[i].OnText = observe
		wg.Add(1)
		go func(rec *dbtest.Recorder) {
			defer wg.Done()
			for {
				j := int(next.Add(1)) - 1
				if j >= len(units) {
					return
				}
				if err := units[j].Read(ctx, rec); err != nil {
					t.Errorf("read %s: %v", units[j].Location(), err)
				}
			}
		}(recorders[i])
	}
	wg.Wait()
	failed := 0
	for _, r := range recorders {
		failed += len(r.Failures)
	}
	if failed != 0 {
		t.Errorf("%d tables failed for the superuser", failed)
	}
	if n := maxConns.Load(); n < 1 || n > 2 {
		t.Errorf("%d piimap connections seen, want 1..2", n)
	}
	if readOnly.Load() != 0 {
		t.Errorf("%d piimap transactions hold a transaction id (wrote?)", readOnly.Load())
	}
	dbtest.Unchanged(t, before, checksums(t, f))
}

func TestWrongPassword(t *testing.T) {
	f := shop(t)
	u, _ := url.Parse(f.scan)
	const bad = "Wr0ng-Secret-Xyzzy"
	u.User = url.UserPassword(f.role, bad)
	dbtest.OpenFails(t, New, u.String(), sources.Options{}, f.target, "password authentication failed", bad, f.scanPW)
	// Password from PIIMAP_DB_PASSWORD when the URL has none.
	u.User = url.User(f.role)
	t.Setenv(dbcommon.PasswordEnv, f.scanPW)
	dbtest.MustOpen(t, New, u.String(), sources.Options{}, "password from "+dbcommon.PasswordEnv)
	// …or from .pgpass (pgx), with the postgresql:// scheme: the target is
	// the same.
	t.Setenv(dbcommon.PasswordEnv, "")
	t.Setenv("PGPASSWORD", "")
	passfile := t.TempDir() + "/pgpass"
	if err := os.WriteFile(passfile, []byte(f.host+":"+f.db+":"+f.role+":"+f.scanPW+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	t.Setenv("PGPASSFILE", passfile)
	u.Scheme = "postgresql"
	src := dbtest.MustOpen(t, New, u.String(), sources.Options{}, "password from .pgpass")
	if got := src.(*Source).Target(); got != f.target {
		t.Errorf("target %q, want %q", got, f.target)
	}
	// Unparseable URL with a password: no leak either.
	_, err := New(context.Background(), "postgres://u:"+bad+"@127.0.0.1:notaport/db", sources.Options{}, nil)
	if err == nil || strings.Contains(err.Error(), bad) {
		t.Errorf("bad URL error: %v", err)
	}
}

func TestConnectionRefused(t *testing.T) {
	port, err := testdb.FreePort()
	if err != nil {
		t.Fatal(err)
	}
	raw := fmt.Sprintf("postgres://piimap:s3cr3t-pw@127.0.0.1:%d/shop?sslmode=disable&connect_timeout=5", port)
	dbtest.OpenFails(t, New, raw, sources.Options{}, fmt.Sprintf("postgres://127.0.0.1:%d/shop", port), "", "s3cr3t-pw")
}

func TestStatementTimeout(t *testing.T) {
	f := shop(t)
	rec, _ := scanAll(t, f.scan, sources.Options{Views: true, Tables: []string{"slow.*", "public.order"}, Timeout: time.Second})
	err := rec.Failures[f.target+"/slow.sleepy"]
	if err == nil || !strings.Contains(err.Error(), "statement timeout") {
		t.Errorf("slow view: Failed = %v", err)
	}
	if tb := rec.Tables[f.target+"/public.order"]; tb.Rows != 2 {
		t.Errorf("order after the timeout: %+v", tb)
	}
}

func TestDroppedConnection(t *testing.T) {
	f := shop(t)
	ctx := context.Background()
	src := dbtest.MustOpen(t, New, f.scan, sources.Options{Full: true, Tables: []string{"public.big", "public.order"}, DBConnections: 1}, "New")
	admin, err := pgx.Connect(ctx, f.admin)
	if err != nil {
		t.Fatal(err)
	}
	defer admin.Close(ctx)
	rec := dbtest.NewRecorder()
	var killed atomic.Bool
	rec.OnText = func(c *sources.Chunk) {
		if c.Loc.Path == "public.big" && !killed.Swap(true) {
			var n int
			if err := admin.QueryRow(ctx, "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE application_name = 'piimap' AND datname = $1", f.db).Scan(&n); err != nil || n == 0 {
				t.Errorf("terminate: %d, %v", n, err)
			}
		}
	}
	var order []string
	for _, loc := range dbtest.ReadAll(t, src, rec) {
		order = append(order, loc.Path)
	}
	if !slices.Equal(order, []string{"public.big", "public.order"}) {
		t.Fatalf("order %v", order)
	}
	if err := rec.Failures[f.target+"/public.big"]; err == nil {
		t.Error("dropped connection not reported")
	}
	if tb := rec.Tables[f.target+"/public.big"]; tb.Rows >= bigRows {
		t.Errorf("big read in full despite the dropped connection: %+v", tb)
	}
	if tb := rec.Tables[f.target+"/public.order"]; tb.Rows != 2 {
		t.Errorf("next table after the drop: %+v, failed %v", tb, rec.Failures)
	}
}

func TestClassify(t *testing.T) {
	numeric := func(p, s int) int32 { return int32(p<<16|s) + 4 }
	cases := []struct {
		typ, cat   string
		mod        int32
		elem, ecat string
		want       dbcommon.Class
	}{
		{"text", "S", -1, "", "", dbcommon.Text},
		{"varchar", "S", 54, "", "", dbcommon.Text},
		{"bpchar", "S", 15, "", "", dbcommon.Text},
		{"jsonb", "U", -1, "", "", dbcommon.JSON},
		{"json", "U", -1, "", "", dbcommon.JSON},
		{"bytea", "U", -1, "", "", dbcommon.Binary},
		{"inet", "I", -1, "", "", dbcommon.Text},
		{"cidr", "I", -1, "", "", dbcommon.Text},
		{"int8", "N", -1, "", "", dbcommon.WideInt},
		{"int4", "N", -1, "", "", dbcommon.Skip},
		{"numeric", "N", -1, "", "", dbcommon.WideInt},
		{"numeric", "N", numeric(11, 0), "", "", dbcommon.WideInt},
		{"numeric", "N", numeric(12, 2), "", "", dbcommon.WideInt},
		{"numeric", "N", numeric(12, 4), "", "", dbcommon.Skip},
		{"numeric", "N", numeric(8, 2), "", "", dbcommon.Skip},
		{"float8", "N", -1, "", "", dbcommon.Skip},
		{"date", "D", -1, "", "", dbcommon.Skip},
		{"bool", "B", -1, "", "", dbcommon.Skip},
		{"uuid", "U", -1, "", "", dbcommon.Skip},
		{"_text", "A", -1, "text", "S", dbcommon.Text},
		{"_int8", "A", -1, "int8", "N", dbcommon.Text},
		{"_int4", "A", -1, "int4", "N", dbcommon.Skip},
		{"_bytea", "A", -1, "bytea", "U", dbcommon.Skip},
		{"mood", "E", -1, "", "", dbcommon.Skip},
	}
	for _, c := range cases {
		if got := classify(c.typ, c.cat, c.mod, c.elem, c.ecat); got != c.want {
			t.Errorf("classify(%s, %s, %d) = %v, want %v", c.typ, c.cat, c.mod, got, c.want)
		}
	}
}
