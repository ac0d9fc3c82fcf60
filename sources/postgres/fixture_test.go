package postgres

import (
	"context"
	"fmt"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/piimap/piimap/internal/dbtest"
	"github.com/piimap/piimap/internal/testdb"
	"github.com/piimap/piimap/sources"
)

var (
	pg     = testdb.Postgres()
	shared dbtest.Shared[*fixture]
)

func TestMain(m *testing.M) {
	os.Exit(shared.Main(m, (*fixture).drop, pg))
}

// fixture is the shop database shared by the tests of this package.
type fixture struct {
	admin   string // superuser URL of the server
	shopSU  string // superuser URL of the shop database
	scan    string // URL of the read-only scan role
	scanPW  string
	role    string
	db      string
	target  string // expected Location.Target
	host    string // 127.0.0.1:port
	fnrs    []string
	legacy  []string // fnrs stored in a bigint column
	emails  []string
	cards   []string
	bigRows int64
}

// shop returns the fixture, creating it on first use.
func shop(t testing.TB) *fixture {
	t.Helper()
	admin := pg.URL(t)
	return shared.Get(t, func() (*fixture, error) { return newFixture(admin) })
}

const bigRows = 1_000_000

// scanGrants are the grants of the read-only scan role (README).
const scanGrants = `
GRANT CONNECT ON DATABASE %[1]s TO %[2]s;
GRANT USAGE ON SCHEMA public, crm, slow TO %[2]s;
GRANT SELECT ON ALL TABLES IN SCHEMA public, crm, slow TO %[2]s;
REVOKE SELECT ON public.secret FROM %[2]s;`

func newFixture(admin string) (*fixture, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	suffix := strings.ToLower(testdb.Password()[:8])
	f := &fixture{
		admin:  admin,
		db:     "piimap_shop_" + suffix,
		role:   "piimap_scan_" + suffix,
		scanPW: "Sc4n-" + testdb.Password(),
	}
	u, shopSU, scan, err := dbtest.DBURLs(admin, f.db, f.role, f.scanPW)
	if err != nil {
		return nil, err
	}
	f.shopSU, f.scan, f.host = shopSU, scan, u.Host
	f.target = "postgres://" + u.Host + "/" + f.db

	c, err := pgx.Connect(ctx, admin)
	if err != nil {
		return nil, err
	}
	defer c.Close(ctx)
	for _, q := range []string{
		"CREATE DATABASE " + f.db,
		fmt.Sprintf("CREATE ROLE %s LOGIN PASSWORD '%s'", f.role, f.scanPW),
	} {
		if _, err := c.Exec(ctx, q); err != nil {
			return nil, fmt.Errorf("%s: %w", q, err)
		}
	}
	db, err := pgx.Connect(ctx, f.shopSU)
	if err != nil {
		return nil, err
	}
	defer db.Close(ctx)
	if err := f.load(ctx, db); err != nil {
		return nil, err
	}
	if _, err := db.Exec(ctx, fmt.Sprintf(scanGrants, f.db, f.role)); err != nil {
		return nil, fmt.Errorf("grants: %w", err)
	}
	return f, nil
}

// drop removes the database and role (matters on a shared server).
func (f *fixture) drop() {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	c, err := pgx.Connect(ctx, f.admin)
	if err != nil {
		return
	}
	defer c.Close(ctx)
	_, _ = c.Exec(ctx, "DROP DATABASE IF EXISTS "+f.db+" WITH (FORCE)")
	_, _ = c.Exec(ctx, "DROP ROLE IF EXISTS "+f.role)
}

const schemaSQL = `
CREATE SCHEMA crm;
CREATE SCHEMA slow;
CREATE TABLE customers (
  id serial PRIMARY KEY,
  fornavn text, etternavn text,
  fnr char(11),
  personnummer varchar(20),
  epost text,
  telefon text,
  fodt date,
  passord text,
  kundenummer bigint,
  aktiv boolean,
  ref uuid
);
CREATE TABLE orders (id bigserial PRIMARY KEY, customer_id int, kortnummer text, belop numeric(8,2), kontonr numeric(11,0));
CREATE TABLE tickets (id serial PRIMARY KEY, body text);
CREATE TABLE events (id serial PRIMARY KEY, payload jsonb, raw json);
CREATE TABLE access_log (id serial PRIMARY KEY, client inet, net cidr, seen timestamptz DEFAULT now());
CREATE TABLE legacy_people (id int PRIMARY KEY, fnr bigint);
CREATE TABLE "order" (id int PRIMARY KEY, "select" text);
CREATE TABLE "bad""name; drop" (id int PRIMARY KEY, "weird col"";--" text);
CREATE TABLE files (id int PRIMARY KEY, document bytea, tags text[], small int4, ok uuid);
CREATE TABLE secret (id int PRIMARY KEY, fnr text);
CREATE TABLE empty_table (id int, note text);
CREATE TABLE measurements (id int, at date NOT NULL, epost text) PARTITION BY RANGE (at);
CREATE TABLE measurements_2023 PARTITION OF measurements FOR VALUES FROM ('2023-01-01') TO ('2024-01-01');
CREATE TABLE measurements_2024 PARTITION OF measurements FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');
CREATE TABLE crm.contacts (id int PRIMARY KEY, telefon text);
CREATE VIEW customer_contacts AS SELECT fornavn, epost FROM customers;
CREATE MATERIALIZED VIEW customer_mv AS SELECT id, epost FROM customers WHERE id <= 10;
CREATE VIEW slow.sleepy AS SELECT pg_sleep(4)::text AS x;
CREATE TABLE big (id bigint, email text);
INSERT INTO big SELECT i, CASE WHEN i % 10000 = 0 THEN 'bruker' || i || '@firma.no' END FROM generate_series(1, 1000000) i;
ALTER TABLE big ADD PRIMARY KEY (id);
CREATE TABLE fresh (id int, email text) WITH (autovacuum_enabled = false);
INSERT INTO fresh SELECT i, 'f' || i || '@firma.no' FROM generate_series(1, 30000) i;
`

func (f *fixture) load(ctx context.Context, db *pgx.Conn) error {
	if _, err := db.Exec(ctx, schemaSQL); err != nil {
		return fmt.Errorf("schema: %w", err)
	}
	f.bigRows = bigRows
	f.fnrs = testdb.Fnrs(200, 0)
	phones := []string{"+47 912 34 567", "91234567", "0047 41 23 45 67", "(+47) 412 34 567", "+46 70 123 45 67"}
	var rows [][]any
	for i, fnr := range f.fnrs {
		var pnr string
		switch i % 3 {
		case 0:
			pnr = fnr[:6] + " " + fnr[6:]
		case 1:
			pnr = fnr[:6] + "-" + fnr[6:]
		default:
			pnr = fnr
		}
		email := fmt.Sprintf("kari.nordmann%d@firma.no", i)
		if i%4 == 1 {
			email = fmt.Sprintf("Ola.Normann+%d@Eksempel-Bedrift.COM", i)
		}
		f.emails = append(f.emails, email)
		var birth any
		if i%10 != 0 {
			birth = time.Date(1950+i%50, time.Month(1+i%12), 1+i%28, 0, 0, 0, 0, time.UTC)
		}
		var kundenr any
		if i%2 == 0 {
			kundenr = int64(1000000 + i)
		}
		rows = append(rows, []any{"Kari", "Nordmann", fnr, pnr, email, phones[i%len(phones)], birth, "hunter2", kundenr, i%2 == 0})
	}
	if _, err := db.CopyFrom(ctx, pgx.Identifier{"customers"},
		[]string{"fornavn", "etternavn", "fnr", "personnummer", "epost", "telefon", "fodt", "passord", "kundenummer", "aktiv"},
		pgx.CopyFromRows(rows)); err != nil {
		return fmt.Errorf("customers: %w", err)
	}
	// Legacy: fnrs in a bigint; those starting with '0' lose it.
	rows = rows[:0]
	for i, fnr := range f.fnrs {
		if fnr[0] != '0' && i%5 != 0 {
			continue
		}
		v, err := strconv.ParseInt(fnr, 10, 64)
		if err != nil {
			return err
		}
		f.legacy = append(f.legacy, fnr)
		rows = append(rows, []any{i, v})
	}
	if _, err := db.CopyFrom(ctx, pgx.Identifier{"legacy_people"}, []string{"id", "fnr"}, pgx.CopyFromRows(rows)); err != nil {
		return fmt.Errorf("legacy_people: %w", err)
	}
	rows = rows[:0]
	for i := range 50 {
		card := testdb.Luhn(fmt.Sprintf("4539%011d", 148803000+i*7919))
		if i%2 == 1 {
			card = card[:4] + " " + card[4:8] + " " + card[8:12] + " " + card[12:]
		}
		f.cards = append(f.cards, card)
		rows = append(rows, []any{i + 1, card, "199.50", f.fnrs[i]})
	}
	if _, err := db.CopyFrom(ctx, pgx.Identifier{"orders"}, []string{"customer_id", "kortnummer", "belop", "kontonr"}, pgx.CopyFromRows(rows)); err != nil {
		return fmt.Errorf("orders: %w", err)
	}
	stmts := []string{
		`INSERT INTO tickets (body) SELECT CASE WHEN i % 20 = 0
		   THEN 'Kunden ringte fra 912 34 567 og oppga fnr ` + f.fnrs[0] + `'
		   ELSE 'Printeren på lager ' || i || ' virker ikke' END FROM generate_series(1, 400) i`,
		`INSERT INTO events (payload, raw) SELECT jsonb_build_object('type', 'login', 'user', jsonb_build_object('email', 'e' || i || '@firma.no', 'id', i), 'ip', '10.1.2.' || i),
		   ('{` + "\n" + `  "kontakt": {` + "\n" + `    "telefon": "+47 912 34 567"` + "\n" + `  }` + "\n" + `}')::json FROM generate_series(1, 30) i`,
		`INSERT INTO access_log (client, net) SELECT ('192.168.1.' || i)::inet, ('10.' || i || '.0.0/16')::cidr FROM generate_series(1, 20) i`,
		`INSERT INTO "order" VALUES (1, 'ordre@firma.no'), (2, NULL)`,
		`INSERT INTO "bad""name; drop" VALUES (1, 'ond@firma.no')`,
		`INSERT INTO files VALUES (1, '\x00ff6b617269406669726d612e6e6f00'::bytea, ARRAY['a@firma.no', 'b@firma.no'], 7, NULL), (2, NULL, NULL, NULL, NULL)`,
		`INSERT INTO secret VALUES (1, '` + f.fnrs[1] + `')`,
		`INSERT INTO measurements SELECT i, DATE '2023-06-01' + (i * 2), 'm' || i || '@firma.no' FROM generate_series(1, 200) i`,
		`INSERT INTO crm.contacts VALUES (1, '+47 987 65 432')`,
		`REFRESH MATERIALIZED VIEW customer_mv`,
		`ANALYZE customers, orders, tickets, events, access_log, legacy_people, "order", "bad""name; drop", files, secret, measurements, crm.contacts, big, customer_mv`,
	}
	for _, q := range stmts {
		if _, err := db.Exec(ctx, q); err != nil {
			return fmt.Errorf("%.60s: %w", q, err)
		}
	}
	return nil
}

// scanAll opens rawURL with opt and reads every unit sequentially into a
// recorder; it returns the recorder and the unit locations in order.
func scanAll(t testing.TB, rawURL string, opt sources.Options) (*dbtest.Recorder, []string) {
	t.Helper()
	return dbtest.ScanAll(t, New, rawURL, opt)
}
