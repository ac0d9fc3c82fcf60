package mysql

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/go-sql-driver/mysql"
	"github.com/piimap/piimap/internal/dbtest"
	"github.com/piimap/piimap/internal/testdb"
	"github.com/piimap/piimap/sources"
)

var (
	maria  = testdb.MariaDB()
	shared dbtest.Shared[*fixture]
)

func TestMain(m *testing.M) {
	os.Exit(shared.Main(m, (*fixture).drop, maria))
}

const bigRows = 1_000_000

// fixture is the shop database shared by the tests of this package.
type fixture struct {
	admin   string // admin URL (no database)
	shopSU  string // admin URL of the shop database
	scan    string // URL of the read-only scan user, database shop
	scanPW  string
	user    string
	db, hr  string
	target  string
	mariadb bool
	fnrs    []string
	legacy  []string
	people  int // rows of people whose national_id is a valid fødselsnummer or personnummer
	emails  []string
}

func shop(t testing.TB) *fixture {
	t.Helper()
	admin := maria.URL(t)
	return shared.Get(t, func() (*fixture, error) { return newFixture(admin) })
}

// openURL opens a database/sql handle for a mysql:// URL.
func openURL(t testing.TB, raw string) *sql.DB {
	t.Helper()
	db, err := openRaw(raw)
	if err != nil {
		t.Fatal(err)
	}
	return db
}

func openRaw(raw string) (*sql.DB, error) {
	cfg, _, _, err := Config(raw)
	if err != nil {
		return nil, err
	}
	cfg.MultiStatements = true
	conn, err := mysql.NewConnector(cfg)
	if err != nil {
		return nil, err
	}
	return sql.OpenDB(conn), nil
}

// scanGrants are the grants of the read-only scan user (README).
const scanGrants = "GRANT SELECT, SHOW VIEW ON `%s`.* TO '%s'@'%%'"

func newFixture(admin string) (*fixture, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	suffix := strings.ToLower(testdb.Password()[:8])
	f := &fixture{
		admin:  admin,
		db:     "shop_" + suffix,
		hr:     "hr_" + suffix,
		user:   "piimap_" + suffix,
		scanPW: "Sc4n-" + testdb.Password(),
	}
	u, shopSU, scan, err := dbtest.DBURLs(admin, f.db, f.user, f.scanPW)
	if err != nil {
		return nil, err
	}
	f.shopSU, f.scan = shopSU, scan
	f.target = u.Scheme + "://" + u.Host + "/" + f.db

	db, err := openRaw(admin)
	if err != nil {
		return nil, err
	}
	defer db.Close()
	var version string
	if err := db.QueryRowContext(ctx, "SELECT VERSION()").Scan(&version); err != nil {
		return nil, err
	}
	f.mariadb = strings.Contains(strings.ToLower(version), "mariadb")
	f.fnrs = testdb.Fnrs(200, 0)
	stmts := []string{
		"CREATE DATABASE " + f.db + " CHARACTER SET utf8mb4",
		"CREATE DATABASE " + f.hr,
		fmt.Sprintf("CREATE USER '%s'@'%%' IDENTIFIED BY '%s'", f.user, f.scanPW),
		fmt.Sprintf(scanGrants, f.db, f.user),
		"USE " + f.db,
		`CREATE TABLE customers (id int AUTO_INCREMENT PRIMARY KEY, fornavn varchar(50), fnr char(11), personnummer varchar(20),
			epost varchar(100), telefon varchar(30), fodt date, passord varchar(100), kundenummer bigint, aktiv tinyint(1))`,
		"CREATE TABLE orders (id int AUTO_INCREMENT PRIMARY KEY, kortnummer varchar(25), belop decimal(8,2), kontonr decimal(11,0))",
		"CREATE TABLE tickets (id int AUTO_INCREMENT PRIMARY KEY, body text)",
		"CREATE TABLE events (id int AUTO_INCREMENT PRIMARY KEY, payload JSON)",
		"CREATE TABLE legacy_people (id int PRIMARY KEY, fnr bigint)",
		"CREATE TABLE `order` (id int PRIMARY KEY, `select` varchar(100))",
		"CREATE TABLE `bad\"name; drop` (id int PRIMARY KEY, `we``ird;--` varchar(100))",
		"CREATE TABLE kunder_latin1 (id int PRIMARY KEY, navn varchar(50)) CHARACTER SET latin1",
		"CREATE TABLE files (id int PRIMARY KEY, document blob, small int)",
		"CREATE TABLE big (id bigint NOT NULL, email varchar(100))",
		"CREATE TABLE nokey (email varchar(100))",
		"CREATE TABLE empty_table (id int PRIMARY KEY, note text)",
		"CREATE TABLE digits (d int PRIMARY KEY)",
		"INSERT INTO digits VALUES (0),(1),(2),(3),(4),(5),(6),(7),(8),(9)",
		`INSERT INTO big SELECT n, IF(n % 10000 = 0, CONCAT('bruker', n, '@firma.no'), NULL) FROM
			(SELECT a.d*100000 + b.d*10000 + c.d*1000 + d.d*100 + e.d*10 + f.d + 1 AS n
			 FROM digits a, digits b, digits c, digits d, digits e, digits f) s`,
		"ALTER TABLE big ADD PRIMARY KEY (id)",
		`INSERT INTO nokey SELECT CONCAT('n', a.d, b.d, c.d, d.d, '@firma.no') FROM digits a, digits b, digits c, digits d, digits e
			WHERE e.d < 3`,
		"CREATE VIEW customer_contacts AS SELECT fornavn, epost FROM customers",
		"CREATE TABLE " + f.hr + ".secret (id int PRIMARY KEY, fnr char(11))",
		"INSERT INTO " + f.hr + ".secret VALUES (1, '" + f.fnrs[1] + "')",
		"CREATE SQL SECURITY INVOKER VIEW secret_v AS SELECT fnr FROM " + f.hr + ".secret",
		"CREATE VIEW sleepy AS SELECT SLEEP(4) AS x",
		"INSERT INTO `order` VALUES (1, 'ordre@firma.no'), (2, NULL)",
		"INSERT INTO `bad\"name; drop` VALUES (1, 'ond@firma.no')",
		"INSERT INTO kunder_latin1 VALUES (1, 'Ødegård'), (2, 'Åse Bråten')",
		"INSERT INTO files VALUES (1, X'00ff6b617269406669726d612e6e6f00', 7), (2, NULL, NULL)",
		"INSERT INTO tickets (body) SELECT IF(a.d = 0 AND b.d % 2 = 0, 'Kunden ringte fra 912 34 567 og oppga fnr " + f.fnrs[0] +
			"', CONCAT('Printeren på lager ', a.d, b.d, c.d, ' virker ikke')) FROM digits a, digits b, digits c WHERE c.d < 4",
		`INSERT INTO events (payload) SELECT CONCAT('{\n  "type": "login",\n  "user": {"email": "e', d, '@firma.no"}\n}') FROM digits`,
	}
	if f.mariadb {
		stmts = append(stmts,
			"CREATE TABLE access_log (id int PRIMARY KEY, client inet6)",
			"INSERT INTO access_log VALUES (1, '::ffff:192.168.1.7'), (2, '2001:db8::1')")
	}
	conn, err := db.Conn(ctx) // one session: USE sticks
	if err != nil {
		return nil, err
	}
	defer conn.Close()
	for _, q := range stmts {
		if _, err := conn.ExecContext(ctx, q); err != nil {
			return nil, fmt.Errorf("%.70s: %w", q, err)
		}
	}
	// Customers, legacy fnrs in a bigint, orders: row by row.
	for i, fnr := range f.fnrs {
		pnr := fnr[:6] + " " + fnr[6:]
		if i%2 == 1 {
			pnr = fnr[:6] + "-" + fnr[6:]
		}
		email := fmt.Sprintf("kari.nordmann%d@firma.no", i)
		f.emails = append(f.emails, email)
		var birth any
		if i%10 != 0 {
			birth = fmt.Sprintf("%d-%02d-%02d", 1950+i%50, 1+i%12, 1+i%28)
		}
		var kundenr any
		if i%2 == 0 {
			kundenr = 1000000 + i
		}
		if _, err := conn.ExecContext(ctx, "INSERT INTO customers (fornavn, fnr, personnummer, epost, telefon, fodt, passord, kundenummer, aktiv) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
			"Kari", fnr, pnr, email, "+47 912 34 567", birth, "hunter2", kundenr, i%2); err != nil {
			return nil, err
		}
		if fnr[0] == '0' || i%5 == 0 {
			v, _ := strconv.ParseInt(fnr, 10, 64)
			f.legacy = append(f.legacy, fnr)
			if _, err := conn.ExecContext(ctx, "INSERT INTO legacy_people VALUES (?, ?)", i, v); err != nil {
				return nil, err
			}
		}
		if i < 50 {
			card := testdb.Luhn(fmt.Sprintf("4539%011d", 148803000+i*7919))
			if _, err := conn.ExecContext(ctx, "INSERT INTO orders (kortnummer, belop, kontonr) VALUES (?, '199.50', ?)", card, fnr); err != nil {
				return nil, err
			}
		}
	}
	if err := f.addPeople(ctx, conn); err != nil {
		return nil, err
	}
	if _, err := conn.ExecContext(ctx, "ANALYZE TABLE customers, orders, tickets, events, legacy_people, `order`, big, nokey, empty_table"); err != nil {
		return nil, err
	}
	return f, nil
}

// peopleRows is the size of the people table.
const peopleRows = 3000

// addPeople fills people: an English-named national_id column that mixes
// Norwegian fødselsnummer and Swedish personnummer (a Nordic customer
// base) with a fifth of other 11-digit numbers, an INT column of 8-digit
// Norwegian mobiles, and a BIGINT of MSISDNs without '+'.
func (f *fixture) addPeople(ctx context.Context, conn *sql.Conn) error {
	if _, err := conn.ExecContext(ctx, "CREATE TABLE people (id int PRIMARY KEY, national_id varchar(20), mobil int, phone_number bigint, score int)"); err != nil {
		return err
	}
	fnrs := testdb.Fnrs(peopleRows/2, 1000)
	var b strings.Builder
	for i := 0; i < peopleRows; i++ {
		var id string
		switch {
		case i%5 == 4:
			id = fmt.Sprintf("%011d", (int64(i)*7919*104729)%1e11) // other numbers
		case i%2 == 0:
			id = fnrs[i/2]
			f.people++
		default:
			// A personnummer YYMMDD-NNNC of someone born 1950–1999.
			p := testdb.Luhn(fmt.Sprintf("%02d%02d%02d%03d", 50+i%50, 1+i%12, 1+i%28, 1+i%998))
			id = p[:6] + "-" + p[6:]
			f.people++
		}
		mobile := []int{4, 9}[i%2]*10000000 + (i*7907)%10000000
		if mobile < 50000000 && mobile/1000000 != 40 && mobile/1000000 != 41 && mobile/1000000 < 45 {
			mobile += 5000000 // 42–44 are not allocated
		}
		if b.Len() == 0 {
			b.WriteString("INSERT INTO people VALUES ")
		} else {
			b.WriteByte(',')
		}
		fmt.Fprintf(&b, "(%d, '%s', %d, %d, %d)", i+1, id, mobile, int64(4700000000)+int64(mobile), i%100)
		if i%500 == 499 {
			if _, err := conn.ExecContext(ctx, b.String()); err != nil {
				return err
			}
			b.Reset()
		}
	}
	_, err := conn.ExecContext(ctx, "ANALYZE TABLE people")
	return err
}

// drop removes the databases and the user (matters on a shared server).
func (f *fixture) drop() {
	db, err := openRaw(f.admin)
	if err != nil {
		return
	}
	defer db.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	_, _ = db.ExecContext(ctx, "DROP DATABASE IF EXISTS "+f.db)
	_, _ = db.ExecContext(ctx, "DROP DATABASE IF EXISTS "+f.hr)
	_, _ = db.ExecContext(ctx, "DROP USER IF EXISTS '"+f.user+"'@'%'")
}

// scanAll opens rawURL with opt and reads every unit sequentially into a
// recorder; it returns the recorder and the unit locations in order.
func scanAll(t testing.TB, rawURL string, opt sources.Options) (*dbtest.Recorder, []string) {
	t.Helper()
	return dbtest.ScanAll(t, New, rawURL, opt)
}
