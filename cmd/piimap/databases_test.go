package main

import (
	"context"
	"database/sql"
	"encoding/json"
	"log/slog"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	_ "github.com/go-sql-driver/mysql"
	"github.com/jackc/pgx/v5"

	"github.com/piimap/piimap/internal/testdb"
	"github.com/piimap/piimap/report"
	"github.com/piimap/piimap/sources"
	"github.com/piimap/piimap/sources/mysql"
	"github.com/piimap/piimap/sources/postgres"
)

var (
	pgServer    = testdb.Postgres()
	mysqlServer = testdb.MariaDB()
)

func TestMain(m *testing.M) { os.Exit(testdb.Main(m, pgServer, mysqlServer)) }

// withDatabase returns admin with its path replaced by /db.
func withDatabase(t *testing.T, admin, db string) string {
	u, err := url.Parse(admin)
	if err != nil {
		t.Fatal(err)
	}
	u.Path = "/" + db
	return u.String()
}

// TestOneReportAcrossDatabasesAndFiles is issue 3's acceptance run: one
// `piimap scan postgres://… mysql://… DIR --declared …` gives one report with
// per-column findings, sampling statistics and verdicts for both databases
// and the files, and no password anywhere in it.
func TestOneReportAcrossDatabasesAndFiles(t *testing.T) {
	ctx := context.Background()
	pgAdmin := pgServer.URL(t)
	myAdmin := mysqlServer.URL(t)

	pgURL, conn := freshPostgresDB(ctx, t, pgAdmin, "cli_shop")
	fnr, _ := testdb.Fnr(15, 3, 87, 124)
	for _, q := range []string{
		"CREATE TABLE customers (id serial PRIMARY KEY, fornavn text, epost text, fnr text, telefon text)",
		"INSERT INTO customers (fornavn, epost, fnr, telefon) VALUES ('Ola', 'ola@fjordpost.no', '" + fnr + "', '912 34 567')",
	} {
		if _, err := conn.Exec(ctx, q); err != nil {
			t.Fatal(q, err)
		}
	}
	conn.Close(ctx)

	db := openMariaDB(t, myAdmin)
	for _, q := range []string{
		"DROP DATABASE IF EXISTS cli_crm", "CREATE DATABASE cli_crm",
		"CREATE TABLE cli_crm.kunder (id INT PRIMARY KEY AUTO_INCREMENT, efternamn VARCHAR(50), epost VARCHAR(100), personnummer VARCHAR(20)) CHARSET latin1",
		"INSERT INTO cli_crm.kunder (efternamn, epost, personnummer) VALUES ('Ödegård', 'asa@telia.se', '" + testdb.Personnummer(70, 10, 63, 239) + "')",
	} {
		if _, err := db.Exec(q); err != nil {
			t.Fatal(q, err)
		}
	}
	myURL := withDatabase(t, myAdmin, "cli_crm")

	decl := filepath.Join(t.TempDir(), "piimap.yaml")
	os.WriteFile(decl, []byte(`declared:
  name: {}
  email:
    where: ["postgres://*/cli_shop/public.customers.*", "file:exports/**"]
  phone: {}
  ip_address: {}
`), 0o644)
	code, out, stderr := runCLI(t, "scan", pgURL, myURL, demo, "--declared", decl, "--format", "json")
	if code != report.ExitFindings {
		t.Fatalf("exit %d, want 1; stderr %s", code, stderr)
	}
	for _, u := range []string{pgURL, myURL} {
		pu, _ := url.Parse(u)
		if pw, ok := pu.User.Password(); ok && strings.Contains(out+stderr, pw) {
			t.Fatalf("the report or stderr contains a database password")
		}
	}
	var r report.Report
	if err := json.Unmarshal([]byte(out), &r); err != nil {
		t.Fatal(err)
	}
	verdicts := map[string]string{}
	for _, f := range r.Findings {
		verdicts[f.Location+" "+f.Category] = f.Verdict
	}
	pgLoc := strings.TrimSuffix(strings.Split(pgURL, "@")[1], "?sslmode=disable")
	myLoc := strings.Split(myURL, "@")[1]
	want := map[string]string{
		"postgres://" + pgLoc + "/public.customers.fnr national_id":     report.Undeclared,
		"postgres://" + pgLoc + "/public.customers.epost email":         report.Declared,
		"postgres://" + pgLoc + "/public.customers.fornavn name":        report.Declared,
		"postgres://" + pgLoc + "/public.customers.telefon phone":       report.Declared,
		"mysql://" + myLoc + "/cli_crm.kunder.epost email":              report.Misplaced,
		"mysql://" + myLoc + "/cli_crm.kunder.personnummer national_id": report.Undeclared,
		"mysql://" + myLoc + "/cli_crm.kunder.efternamn name":           report.Declared,
		"file:logs/app.log national_id":                                 report.Undeclared,
		"file:exports/kunder.csv#e-post email":                          report.Declared,
	}
	for k, v := range want {
		if verdicts[k] != v {
			t.Errorf("%s: verdict %q, want %q", k, verdicts[k], v)
		}
	}
	if len(r.Tables) != 2 || r.Summary.Tables != 2 || r.Summary.Files == 0 {
		t.Errorf("tables %+v, summary %+v: want both tables and the files", r.Tables, r.Summary)
	}
	for _, tb := range r.Tables {
		if tb.Method == "" || tb.Rows != 1 {
			t.Errorf("table %+v: want a sampling method and 1 row read", tb)
		}
	}
}

// TestDatabasePasswordPrompt: a PostgreSQL URL without its password is
// refused by the server (scram-sha-256); on a terminal piimap asks for the
// password and connects; without a terminal the server's refusal is the
// error, and the password never appears in it.
func TestDatabasePasswordPrompt(t *testing.T) {
	full := pgServer.URL(t)
	u, err := url.Parse(full)
	if err != nil {
		t.Fatal(err)
	}
	pw, _ := u.User.Password()
	u.User = url.User(u.User.Username())
	u.Host = strings.Replace(u.Host, "localhost", "127.0.0.1", 1)
	noPw := u.String()
	t.Setenv("PGPASSWORD", "")
	ctx := context.Background()
	open := func(target string) (sources.Source, error) {
		return postgres.New(ctx, target, sources.Options{}, slog.New(slog.DiscardHandler))
	}
	var asked string
	src, err := withPasswordPrompt(noPw, []string{"PGPASSWORD"}, open, func(prompt string) (string, error) { asked = prompt; return pw, nil })
	if err != nil {
		t.Fatalf("with the prompted password: %v", err)
	}
	src.Close()
	if !strings.HasPrefix(asked, "Password for postgres at postgres://") || strings.Contains(asked, pw) {
		t.Errorf("prompt %q", asked)
	}
	_, err = withPasswordPrompt(noPw, []string{"PGPASSWORD"}, open, func(string) (string, error) { return "", errNoTerminal })
	if err == nil || !needsPassword(err) {
		t.Errorf("without a terminal: %v", err)
	}
	// A wrong password typed: the refusal, not a hang or a second prompt.
	n := 0
	_, err = withPasswordPrompt(noPw, []string{"PGPASSWORD"}, open, func(string) (string, error) { n++; return "wrong", nil })
	if err == nil || n != 1 || strings.Contains(err.Error(), "wrong") {
		t.Errorf("wrong password: %d prompts, %v", n, err)
	}
}

// TestDatabaseRowKeys: database findings name their example rows by primary
// key, and a key that is personal data itself is masked.
func TestDatabaseRowKeys(t *testing.T) {
	ctx := context.Background()
	pgAdmin := pgServer.URL(t)
	pgURL, conn := freshPostgresDB(ctx, t, pgAdmin, "cli_keys")
	fnr, _ := testdb.Fnr(15, 3, 87, 124)
	for _, q := range []string{
		"CREATE TABLE orders (id int PRIMARY KEY, note text)",
		"INSERT INTO orders VALUES (41, 'ok'), (42, 'kunde fnr " + fnr + " ringte')",
		"CREATE TABLE members (epost text PRIMARY KEY, kommentar text)",
		"INSERT INTO members VALUES ('kari.nordmann@fjordpost.no', 'fnr " + fnr + "')",
	} {
		if _, err := conn.Exec(ctx, q); err != nil {
			t.Fatal(q, err)
		}
	}
	conn.Close(ctx)

	myAdmin := mysqlServer.URL(t)
	db := openMariaDB(t, myAdmin)
	for _, q := range []string{
		"DROP DATABASE IF EXISTS cli_keys", "CREATE DATABASE cli_keys",
		"CREATE TABLE cli_keys.lines (ordre INT, linje INT, tekst VARCHAR(100), PRIMARY KEY (ordre, linje))",
		"INSERT INTO cli_keys.lines VALUES (7, 1, 'ok'), (7, 3, 'fnr " + fnr + "')",
	} {
		if _, err := db.Exec(q); err != nil {
			t.Fatal(q, err)
		}
	}
	myURL := withDatabase(t, myAdmin, "cli_keys")

	code, out, stderr := runCLI(t, "scan", pgURL, myURL, "-f", "json", "-q")
	if code != report.ExitFindings {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	var r report.Report
	if err := json.Unmarshal([]byte(out), &r); err != nil {
		t.Fatal(err)
	}
	keys := map[string][]string{}
	for _, f := range r.Findings {
		if f.Category == "national_id" {
			keys[f.Where.Path+"."+f.Where.Field] = f.RowKeys
		}
	}
	want := map[string]string{"public.orders.note": "id=42", "cli_keys.lines.tekst": "ordre=7, linje=3"}
	for loc, k := range want {
		if len(keys[loc]) != 1 || keys[loc][0] != k {
			t.Errorf("%s: row keys %v, want [%s] (all: %v)", loc, keys[loc], k, keys)
		}
	}
	mk := keys["public.members.kommentar"]
	if len(mk) != 1 || !strings.HasPrefix(mk[0], "epost=") || strings.Contains(mk[0], "kari.nordmann") {
		t.Errorf("personal key not masked: %v", mk)
	}
	if strings.Contains(out, "kari.nordmann@") {
		t.Error("the report holds the e-mail key unmasked")
	}
	// The table shows the keys where it showed row numbers.
	t.Setenv("COLUMNS", "200")
	_, table, _ := runCLI(t, "scan", pgURL, "--tables", "public.orders")
	if !strings.Contains(table, "id=42") {
		t.Errorf("table lacks the row key:\n%s", table)
	}
}

// freshPostgresDB creates database name anew on the test server at admin
// and returns its URL and a connection to it, closed when the test ends.
func freshPostgresDB(ctx context.Context, t *testing.T, admin, name string) (string, *pgx.Conn) {
	t.Helper()
	conn, err := pgx.Connect(ctx, admin)
	if err != nil {
		t.Fatal(err)
	}
	conn.Exec(ctx, "DROP DATABASE IF EXISTS "+name)
	if _, err := conn.Exec(ctx, "CREATE DATABASE "+name); err != nil {
		t.Fatal(err)
	}
	conn.Close(ctx)
	dbURL := withDatabase(t, admin, name)
	conn, err = pgx.Connect(ctx, dbURL)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close(context.Background()) })
	return dbURL, conn
}

// openMariaDB opens the test server at admin (a mysql:// URL) with
// database/sql; it is closed when the test ends.
func openMariaDB(t *testing.T, admin string) *sql.DB {
	t.Helper()
	dsn, _, _, err := mysql.Config(admin)
	if err != nil {
		t.Fatal(err)
	}
	db, err := sql.Open("mysql", dsn.FormatDSN())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}
