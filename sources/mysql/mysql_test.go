package mysql

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"net/url"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/piimap/piimap/internal/dbtest"
	"github.com/piimap/piimap/internal/testdb"
	"github.com/piimap/piimap/sources"
	"github.com/piimap/piimap/sources/dbcommon"
)

func TestScanShopSampled(t *testing.T) {
	f := shop(t)
	rec, units := scanAll(t, f.scan, sources.Options{Views: true, ExcludeTables: []string{"*.sleepy"}})
	loc := func(path string) string { return f.target + "/" + f.db + "." + path }

	want := []string{`bad"name; drop`, "big", "customer_contacts", "customers", "digits", "empty_table", "events",
		"files", "kunder_latin1", "legacy_people", "nokey", "order", "orders", "people", "secret_v", "tickets"}
	if f.mariadb {
		want = append(want, "access_log")
	}
	var got []string
	for _, u := range units {
		p, ok := strings.CutPrefix(u, f.target+"/"+f.db+".")
		if !ok {
			t.Errorf("unit %q outside %s", u, f.target)
		}
		if strings.Contains(u, f.user) || strings.Contains(u, f.scanPW) {
			t.Errorf("unit %q contains the user or password", u)
		}
		got = append(got, p)
	}
	if !slices.Equal(dbtest.Sorted(got), dbtest.Sorted(want)) {
		t.Errorf("units\n got %q\nwant %q", dbtest.Sorted(got), dbtest.Sorted(want))
	}

	if v := rec.Values[loc("customers.fnr")]; !slices.Equal(dbtest.Sorted(v), dbtest.Sorted(f.fnrs)) {
		t.Errorf("customers.fnr: %d values", len(v))
	}
	if v := rec.Values[loc("customers.epost")]; !slices.Equal(dbtest.Sorted(v), dbtest.Sorted(f.emails)) {
		t.Errorf("customers.epost: %d values", len(v))
	}
	if v := rec.Values[loc("customers.personnummer")]; len(v) != 200 || !slices.Contains(v, f.fnrs[0][:6]+" "+f.fnrs[0][6:]) {
		t.Errorf("customers.personnummer: %d values", len(v))
	}
	if v := rec.Values[loc("legacy_people.fnr")]; !slices.Equal(dbtest.Sorted(v), dbtest.Sorted(f.legacy)) {
		t.Errorf("legacy_people.fnr (bigint, padded): got %q…", dbtest.Sorted(v)[:min(3, len(v))])
	}
	if v := rec.Values[loc("orders.kontonr")]; !slices.Equal(dbtest.Sorted(v), dbtest.Sorted(f.fnrs[:50])) {
		t.Errorf("orders.kontonr (decimal(11,0)): %q…", v[:min(3, len(v))])
	}
	for _, col := range []string{"customers.fodt", "customers.aktiv", "orders.belop", "files.small", "files.document"} {
		if v := rec.Values[loc(col)]; len(v) != 0 {
			t.Errorf("%s: %d values delivered, want none", col, len(v))
		}
	}
	dbtest.CheckColumns(t, rec, loc, map[string]sources.Column{
		"customers.fodt":    {Type: "date", Rows: 200, NonNull: 180},
		"customers.passord": {Type: "varchar(100)", Rows: 200, NonNull: 200},
		"orders.belop":      {Type: "decimal(8,2)", Rows: 50, NonNull: 50},
		"order.select":      {Type: "varchar(100)", Rows: 2, NonNull: 1},
	})
	// Latin-1 text arrives as UTF-8.
	if v := rec.Values[loc("kunder_latin1.navn")]; !slices.Equal(dbtest.Sorted(v), []string{"Åse Bråten", "Ødegård"}) {
		t.Errorf("latin1: %q", v)
	}
	// MariaDB JSON (LONGTEXT + json_valid): JSON chunks on one line.
	if n := rec.JSON[loc("events.payload")]; n != 10 {
		t.Errorf("events.payload: %d JSON chunks, want 10", n)
	}
	for _, v := range rec.Values[loc("events.payload")] {
		if strings.ContainsAny(v, "\r\n") || !json.Valid([]byte(v)) {
			t.Errorf("events.payload %q: want valid one-line JSON", v)
			break
		}
	}
	if v := rec.Values[loc("order.select")]; !slices.Equal(v, []string{"ordre@firma.no"}) {
		t.Errorf("`order`.`select`: %q", v)
	}
	if v := rec.Values[loc("bad\"name; drop.we`ird;--")]; !slices.Equal(v, []string{"ond@firma.no"}) {
		t.Errorf("bad name: %q", v)
	}
	if r := rec.Skips[loc("files.document")]; r == "" {
		t.Error("blob not reported as skipped")
	}
	if f.mariadb {
		if v := rec.Values[loc("access_log.client")]; !slices.Equal(dbtest.Sorted(v), []string{"2001:db8::1", "::ffff:192.168.1.7"}) {
			t.Errorf("inet6: %q", v)
		}
	}
	if v := rec.Values[loc("customer_contacts.epost")]; len(v) != 200 {
		t.Errorf("view: %d values", len(v))
	}

	dbtest.CheckTables(t, rec, loc, map[string]sources.Table{
		"customers":         {Method: "whole table", Rows: 200, Estimated: 200},
		"empty_table":       {Method: "whole table", Rows: 0, Estimated: 0},
		"customer_contacts": {Method: "whole view", Rows: 200, Estimated: -1},
	})
	big := rec.Tables[loc("big")]
	if !strings.HasPrefix(big.Method, "pk-range probes ×") || big.Rows != 10000 ||
		big.Estimated < bigRows/2 || big.Estimated > bigRows*2 {
		t.Errorf("big: %+v", big)
	}
	ids := rec.Values[loc("big.id")]
	lo, hi := dbtest.Spread(ids, bigRows)
	if lo < 500 || hi < 500 || int64(len(ids)) != big.Rows {
		t.Errorf("big probes: %d ids, %d in the first quarter, %d in the last", len(ids), lo, hi)
	}
	if nk := rec.Tables[loc("nokey")]; nk.Method != "limit" || nk.Rows != 10000 {
		t.Errorf("nokey: %+v", nk)
	}
	// The invoker view over a table the user may not read.
	if err := rec.Failures[loc("secret_v")]; err == nil || !strings.Contains(err.Error(), "secret_v") {
		t.Errorf("secret_v: Failed = %v", err)
	}
	if len(rec.Failures) != 1 {
		t.Errorf("failures: %v", rec.Failures)
	}
}

func TestProbesDeterministicAndSmallSample(t *testing.T) {
	f := shop(t)
	opt := sources.Options{SampleRows: 100, Tables: []string{"*.big", "*.customers"}}
	a, _ := scanAll(t, f.scan, opt)
	b, _ := scanAll(t, f.scan, opt)
	k := f.target + "/" + f.db + ".big.id"
	if len(a.Values[k]) != 100 || !slices.Equal(a.Values[k], b.Values[k]) {
		t.Errorf("two runs: %d and %d ids, equal %v", len(a.Values[k]), len(b.Values[k]), slices.Equal(a.Values[k], b.Values[k]))
	}
	seen := map[string]bool{}
	for _, id := range a.Values[k] {
		if seen[id] {
			t.Errorf("row %s read twice", id)
		}
		seen[id] = true
	}
	cust := a.Tables[f.target+"/"+f.db+".customers"]
	if !strings.HasPrefix(cust.Method, "pk-range probes ×") || cust.Rows != 100 {
		t.Errorf("customers with 100 sample rows: %+v", cust)
	}
}

func TestAllDatabasesAndGlobs(t *testing.T) {
	f := shop(t)
	u, _ := url.Parse(f.admin)
	_, units := scanAll(t, f.admin, sources.Options{Tables: []string{f.db + ".o*", f.hr + ".*"}, ExcludeTables: []string{"*.orders"}})
	base := u.Scheme + "://" + u.Host
	want := []string{base + "/" + f.hr + ".secret", base + "/" + f.db + ".order"} // by database, table
	if !slices.Equal(units, want) {
		t.Errorf("units %q, want %q", units, want)
	}
	dbtest.OpenFails(t, New, f.scan, sources.Options{ExcludeTables: []string{"[x"}}, "", "--exclude-tables")
}

func TestBinaryOption(t *testing.T) {
	f := shop(t)
	rec, _ := scanAll(t, f.scan, sources.Options{Binary: true, Tables: []string{"*.files"}})
	if v := rec.Values[f.target+"/"+f.db+".files.document"]; len(v) != 1 || v[0] != "\x00\xffkari@firma.no\x00" {
		t.Errorf("blob bytes: %q", v)
	}
}

func TestFullRead(t *testing.T) {
	f := shop(t)
	var emails, nokey atomic.Int64
	rec := dbtest.NewRecorder()
	counted := &dbtest.StatsSink{Rec: rec, OnText: func(c *sources.Chunk) {
		if c.Loc.Field == "email" {
			if strings.HasSuffix(c.Loc.Path, ".big") {
				emails.Add(1)
			} else {
				nokey.Add(1)
			}
		}
	}}
	ctx := context.Background()
	src := dbtest.MustOpen(t, New, f.scan, sources.Options{Full: true, Tables: []string{"*.big", "*.nokey"}}, "New")
	if err := src.Units(ctx, func(u sources.Unit) bool { return u.Read(ctx, counted) == nil }); err != nil {
		t.Fatal(err)
	}
	big := rec.Tables[f.target+"/"+f.db+".big"]
	if big.Method != "full" || big.Rows != bigRows || emails.Load() != bigRows/10000 {
		t.Errorf("big full: %+v, %d emails", big, emails.Load())
	}
	nk := rec.Tables[f.target+"/"+f.db+".nokey"]
	if nk.Method != "full" || nk.Rows != 30000 || nokey.Load() != 30000 {
		t.Errorf("nokey full: %+v, %d values", nk, nokey.Load())
	}
}

func checksums(t *testing.T, f *fixture) map[string]string {
	db := openURL(t, f.shopSU)
	defer db.Close()
	// big is left out (it is not scanned here; CHECKSUM TABLE of a
	// million rows costs seconds).
	rows, err := db.Query("SELECT TABLE_NAME FROM information_schema.TABLES WHERE TABLE_SCHEMA = ? AND TABLE_TYPE = 'BASE TABLE' AND TABLE_NAME <> 'big'", f.db)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for rows.Next() {
		var n string
		rows.Scan(&n)
		names = append(names, n)
	}
	rows.Close()
	out := map[string]string{}
	for _, n := range names {
		var name string
		var sum sql.NullString
		if err := db.QueryRow("CHECKSUM TABLE "+quote(f.db)+"."+quote(n)).Scan(&name, &sum); err != nil {
			t.Fatal(err)
		}
		out[n] = sum.String
	}
	return out
}

func TestReadOnlyAndBounded(t *testing.T) {
	f := shop(t)
	before := checksums(t, f)
	if len(before) < 12 {
		t.Fatalf("checksums of %d tables", len(before))
	}
	admin := openURL(t, f.admin)
	defer admin.Close()
	var maxConns, calls atomic.Int64
	rec := dbtest.NewRecorder()
	rec.OnText = func(c *sources.Chunk) {
		if calls.Add(1)%50 != 1 {
			return // look now and then
		}
		var n int64
		if err := admin.QueryRow("SELECT COUNT(*) FROM information_schema.PROCESSLIST WHERE DB = ? AND USER = ?", f.db, testdb.MariaDBAdmin).Scan(&n); err == nil && n > maxConns.Load() {
			maxConns.Store(n)
		}
	}
	// As the admin (grants would hide a write), everything on.
	ctx := context.Background()
	src := dbtest.MustOpen(t, New, f.shopSU, sources.Options{Views: true, Binary: true, DBConnections: 2, ExcludeTables: []string{"*.sleepy", "*.big"}}, "New")
	if err := src.Units(ctx, func(u sources.Unit) bool { return u.Read(ctx, rec) == nil }); err != nil {
		t.Fatal(err)
	}
	if len(rec.Tables) < 12 {
		t.Errorf("%d tables read", len(rec.Tables))
	}
	if n := maxConns.Load(); n < 1 || n > 2 {
		t.Errorf("%d connections of the scan seen, want 1..2", n)
	}
	dbtest.Unchanged(t, before, checksums(t, f))
}

func TestWrongPassword(t *testing.T) {
	f := shop(t)
	u, _ := url.Parse(f.scan)
	const bad = "Wr0ng-Secret-Xyzzy"
	u.User = url.UserPassword(f.user, bad)
	dbtest.OpenFails(t, New, u.String(), sources.Options{}, f.target, "Access denied", bad, f.scanPW)
	u.User = url.User(f.user)
	t.Setenv("MYSQL_PWD", "")
	t.Setenv(dbcommon.PasswordEnv, f.scanPW)
	dbtest.MustOpen(t, New, u.String(), sources.Options{}, "password from "+dbcommon.PasswordEnv)
	t.Setenv(dbcommon.PasswordEnv, "")
	t.Setenv("MYSQL_PWD", f.scanPW)
	dbtest.MustOpen(t, New, u.String(), sources.Options{}, "password from MYSQL_PWD")
}

func TestConnectionRefused(t *testing.T) {
	port, err := testdb.FreePort()
	if err != nil {
		t.Fatal(err)
	}
	raw := fmt.Sprintf("mariadb://piimap:s3cr3t-pw@127.0.0.1:%d/shop?timeout=5s", port)
	dbtest.OpenFails(t, New, raw, sources.Options{}, fmt.Sprintf("mariadb://127.0.0.1:%d/shop", port), "", "s3cr3t-pw")
}

func TestConfig(t *testing.T) {
	t.Setenv(dbcommon.PasswordEnv, "")
	t.Setenv("MYSQL_PWD", "")
	cases := []struct {
		raw, target, db, net, addr, user, pw string
		check                                func(t *testing.T, params map[string]string, tls string)
	}{
		{"mysql://scan:p%40ss:w@db.example/shop?tls=skip-verify&charset=utf8mb4", "mysql://db.example:3306/shop", "shop", "tcp", "db.example:3306", "scan", "p@ss:w",
			func(t *testing.T, _ map[string]string, tls string) {
				if tls != "skip-verify" {
					t.Errorf("tls %q", tls)
				}
			}},
		{"mariadb://root@127.0.0.1:3307/", "mariadb://127.0.0.1:3307", "", "tcp", "127.0.0.1:3307", "root", "", nil},
		{"mysql://u:x@localhost/db?socket=/run/mysqld/mysqld.sock&sql_mode=%27ANSI%27", "mysql://localhost:3306/db", "db", "unix", "/run/mysqld/mysqld.sock", "u", "x",
			func(t *testing.T, params map[string]string, _ string) {
				if params["sql_mode"] != "'ANSI'" {
					t.Errorf("server variable not passed through: %v", params)
				}
			}},
		{"mysql://[::1]:3306/d", "mysql://[::1]:3306/d", "d", "tcp", "[::1]:3306", "", "", nil},
	}
	for _, c := range cases {
		cfg, target, db, err := Config(c.raw)
		if err != nil {
			t.Errorf("%s: %v", c.raw, err)
			continue
		}
		if target != c.target || db != c.db || cfg.Net != c.net || cfg.Addr != c.addr || cfg.User != c.user || cfg.Passwd != c.pw {
			t.Errorf("%s: target %q db %q net %q addr %q user %q pw %q", c.raw, target, db, cfg.Net, cfg.Addr, cfg.User, cfg.Passwd)
		}
		if c.check != nil {
			c.check(t, cfg.Params, cfg.TLSConfig)
		}
	}
	for _, bad := range []string{"mysql://u:s3cr3t@host:notaport/db", "postgres://u:s3cr3t@h/db", "mysql://u:s3cr3t@h/a/b"} {
		_, _, _, err := Config(bad)
		if err == nil || strings.Contains(err.Error(), "s3cr3t") {
			t.Errorf("%s: %v", bad, err)
		}
	}
}

func TestStatementTimeout(t *testing.T) {
	f := shop(t)
	if !f.mariadb {
		t.Skip("SLEEP in a view is not interrupted with an error on MySQL")
	}
	rec, _ := scanAll(t, f.scan, sources.Options{Views: true, Tables: []string{"*.sleepy", "*.order"}, Timeout: time.Second})
	if err := rec.Failures[f.target+"/"+f.db+".sleepy"]; err == nil || !strings.Contains(err.Error(), "max_statement_time") {
		t.Errorf("sleepy: Failed = %v", err)
	}
	if tb := rec.Tables[f.target+"/"+f.db+".order"]; tb.Rows != 2 {
		t.Errorf("order after the timeout: %+v", tb)
	}
}

func TestDroppedConnection(t *testing.T) {
	f := shop(t)
	src := dbtest.MustOpen(t, New, f.scan, sources.Options{Full: true, Tables: []string{"*.big", "*.order"}, DBConnections: 1}, "New")
	admin := openURL(t, f.admin)
	defer admin.Close()
	rec := dbtest.NewRecorder()
	var killed atomic.Bool
	rec.OnText = func(c *sources.Chunk) {
		if strings.HasSuffix(c.Loc.Path, ".big") && !killed.Swap(true) {
			var id int64
			if err := admin.QueryRow("SELECT ID FROM information_schema.PROCESSLIST WHERE USER = ? AND DB = ?", f.user, f.db).Scan(&id); err != nil {
				t.Errorf("find connection: %v", err)
				return
			}
			if _, err := admin.Exec(fmt.Sprintf("KILL %d", id)); err != nil {
				t.Errorf("kill: %v", err)
			}
		}
	}
	if order := dbtest.ReadAll(t, src, rec); len(order) != 2 {
		t.Fatalf("units %v", order)
	}
	if rec.Failures[f.target+"/"+f.db+".big"] == nil {
		t.Error("dropped connection not reported")
	}
	if tb := rec.Tables[f.target+"/"+f.db+".order"]; tb.Rows != 2 {
		t.Errorf("next table after the drop: %+v (failed %v)", tb, rec.Failures)
	}
}

func TestQuoteAndClassify(t *testing.T) {
	if got := quote("we`ird"); got != "`we``ird`" {
		t.Errorf("quote = %s", got)
	}
	p := func(v int64) sql.NullInt64 { return sql.NullInt64{Int64: v, Valid: true} }
	for _, c := range []struct {
		typ         string
		prec, scale sql.NullInt64
		want        dbcommon.Class
	}{
		{"varchar", sql.NullInt64{}, sql.NullInt64{}, dbcommon.Text},
		{"longtext", sql.NullInt64{}, sql.NullInt64{}, dbcommon.Text},
		{"json", sql.NullInt64{}, sql.NullInt64{}, dbcommon.JSON},
		{"bigint", p(19), p(0), dbcommon.WideInt},
		{"int", p(10), p(0), dbcommon.Skip},
		{"decimal", p(11), p(0), dbcommon.WideInt},
		{"decimal", p(12), p(2), dbcommon.WideInt},
		{"decimal", p(8), p(2), dbcommon.Skip},
		{"blob", sql.NullInt64{}, sql.NullInt64{}, dbcommon.Binary},
		{"varbinary", sql.NullInt64{}, sql.NullInt64{}, dbcommon.Binary},
		{"inet6", sql.NullInt64{}, sql.NullInt64{}, dbcommon.Text},
		{"date", sql.NullInt64{}, sql.NullInt64{}, dbcommon.Skip},
		{"enum", sql.NullInt64{}, sql.NullInt64{}, dbcommon.Skip},
		{"double", p(22), sql.NullInt64{}, dbcommon.Skip},
	} {
		if got := classify(c.typ, c.prec, c.scale); got != c.want {
			t.Errorf("classify(%s) = %v, want %v", c.typ, got, c.want)
		}
	}
}
