// Package mysql reads MySQL and MariaDB databases (mysql:// and mariadb://
// URLs, github.com/go-sql-driver/mysql): it lists databases, tables and
// columns from information_schema and delivers the values of text, JSON,
// wide integer and inet columns, sampled by primary-key range probes or read
// in full, to a sources.Sink.
//
// URL: mysql://user[:password]@host[:port][/database][?params]. Without a
// database every non-system database the account can see is scanned.
// Query parameters pass through to the driver (tls=true|skip-verify|…,
// charset, timeouts, or server variables); socket=/path connects over a
// unix socket. The password comes from the URL, else PIIMAP_DB_PASSWORD,
// else MYSQL_PWD; it never appears in locations, errors or logs.
//
// Locations: Target is mysql://host:port/database (mariadb:// when the URL
// said so; no user, password or query), Path is database.table, Field the
// column.
//
// Safety: every table is read in START TRANSACTION READ ONLY on a connection
// whose statements are bounded by Options.Timeout (default 30 s:
// max_statement_time on MariaDB, max_execution_time on MySQL, and
// lock_wait_timeout); at most Options.DBConnections (default 2) connections;
// identifiers quoted with backticks (doubled inside); the connection
// attribute program_name=piimap; no multi-statements.
//
// Sampling (Options.SampleRows per table, default 10000), never ORDER BY
// RAND():
//
//   - a table whose estimate (information_schema.TABLES.TABLE_ROWS) is at
//     most the sample size is counted cheaply (up to n+1 rows) and, when it
//     has at most n rows, read whole ("whole table");
//   - a larger table with a single-column integer primary key is read by
//     range probes: MIN/MAX of the key (index lookups), then up to 20 probes
//     at random points of the key range, one in each twentieth of it, each
//     "WHERE pk >= ? ORDER BY pk LIMIT n/20" (an index range scan), never
//     reading a row twice ("pk-range probes ×20"). The points are the same
//     on every run (seeded from the table location);
//   - a larger table without such a key is read with LIMIT n ("limit");
//   - views (only with Options.Views) are read with LIMIT n.
//
// Options.Full reads every row, streaming (the driver does not buffer result
// sets): tables with an integer key in key order, 5000 rows per statement,
// each under the statement timeout; tables without one (and views) in one
// statement for which the statement timeout is lifted.
//
// Values: bigint and decimal columns with at least 10 integer digits are
// delivered as text, ten-digit values padded to eleven with a leading '0'
// (a fødselsnummer stored as a number loses it). JSON columns (MySQL json,
// MariaDB's json alias recognised by its json_valid check) are delivered as
// JSON chunks. Text in any character set arrives as UTF-8 (the connection
// uses utf8mb4). Binary columns (binary, varbinary, blobs) are delivered only
// with Options.Binary and otherwise reported as skipped. Every column is
// announced with Sink.Column.
//
// Permissions: an account with SELECT (and SHOW VIEW, for views) is enough;
// the tests use exactly these grants:
//
//	CREATE USER 'piimap'@'%' IDENTIFIED BY '…';
//	GRANT SELECT, SHOW VIEW ON shop.* TO 'piimap'@'%';
//
// Tables the account has no privilege on are invisible to it and so not
// listed; a view over tables it may not read is reported as failed.
//
// Failures: New fails when the server cannot be reached or refuses the
// login; Units fails when information_schema cannot be read. A table that
// cannot be read is reported with Sink.Failed and Unit.Read returns nil;
// Read returns an error only when ctx ends.
package mysql

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/url"
	"os"
	"strconv"
	"strings"

	"github.com/go-sql-driver/mysql"
	"github.com/piimap/piimap/sources"
	"github.com/piimap/piimap/sources/dbcommon"
)

// systemSchemas are never scanned.
var systemSchemas = []string{"mysql", "sys", "performance_schema", "information_schema"}

// Source is a MySQL or MariaDB server (one database or all of them).
type Source struct {
	target  string // redacted: mysql://host:port[/db]
	db      string // the database of the URL, or "" for all
	opt     sources.Options
	filter  dbcommon.Filter
	sqlDB   *sql.DB
	log     *slog.Logger
	secrets []string
	pacer   *dbcommon.Pacer // the budgets and throttle its tables share
	mariadb bool
}

// Config converts a mysql:// or mariadb:// URL to the driver's
// configuration, with the password resolved (URL, PIIMAP_DB_PASSWORD,
// MYSQL_PWD). It also returns the redacted target and the database.
func Config(rawURL string) (cfg *mysql.Config, target, db string, err error) {
	u, err := url.Parse(rawURL)
	if err != nil {
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err // url.Error repeats the URL, password included
		}
		return nil, "", "", fmt.Errorf("mysql: invalid URL: %v", err)
	}
	if u.Scheme != "mysql" && u.Scheme != "mariadb" {
		return nil, "", "", fmt.Errorf("mysql: URL scheme %q is not mysql:// or mariadb://", u.Scheme)
	}
	db = strings.Trim(u.Path, "/")
	if strings.Contains(db, "/") {
		return nil, "", "", fmt.Errorf("mysql: the URL path must be a database name")
	}
	q := u.Query()
	netw, addr := "tcp", u.Host
	host, port := u.Hostname(), 3306
	if p := u.Port(); p != "" {
		port, err = strconv.Atoi(p)
		if err != nil {
			return nil, "", "", fmt.Errorf("mysql: invalid port %q", p)
		}
	} else if host != "" {
		addr = net.JoinHostPort(host, "3306")
	}
	if s := q.Get("socket"); s != "" {
		netw, addr = "unix", s
		q.Del("socket")
	} else if host == "" {
		addr = "127.0.0.1:3306"
		host = "127.0.0.1"
	}
	target = dbcommon.Target(u.Scheme, host, port, db)
	// The driver parses the parameters (tls, charset, timeouts, server
	// variables); user and password are set afterwards so that no escaping
	// can go wrong.
	dsn := netw + "(" + addr + ")/" + url.PathEscape(db)
	if len(q) > 0 {
		dsn += "?" + q.Encode()
	}
	cfg, err = mysql.ParseDSN(dsn)
	if err != nil {
		return nil, "", "", fmt.Errorf("mysql %s: %v", target, err)
	}
	if u.User != nil {
		cfg.User = u.User.Username()
		if pw, ok := u.User.Password(); ok {
			cfg.Passwd = pw
		}
	}
	if cfg.Passwd == "" {
		if pw := os.Getenv(dbcommon.PasswordEnv); pw != "" {
			cfg.Passwd = pw
		} else {
			cfg.Passwd = os.Getenv("MYSQL_PWD")
		}
	}
	return cfg, target, db, nil
}

// New connects to the server at rawURL and returns its Source. It fails
// when the URL is malformed or the server cannot be reached or refuses the
// login; the error names the redacted target.
func New(ctx context.Context, rawURL string, opt sources.Options, log *slog.Logger) (sources.Source, error) {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	opt = dbcommon.Normalize(opt)
	filter, err := dbcommon.NewFilter(opt)
	if err != nil {
		return nil, err
	}
	var secrets []string
	if u, err := url.Parse(rawURL); err == nil && u.User != nil {
		if pw, ok := u.User.Password(); ok {
			secrets = append(secrets, pw, url.QueryEscape(pw), url.PathEscape(pw))
		}
	}
	cfg, target, db, err := Config(rawURL)
	if err != nil {
		return nil, dbcommon.Scrub(err, secrets...)
	}
	if cfg.Passwd != "" {
		secrets = append(secrets, cfg.Passwd)
	}
	if cfg.ConnectionAttributes != "" {
		cfg.ConnectionAttributes += ","
	}
	cfg.ConnectionAttributes += "program_name:piimap"
	cfg.InterpolateParams = true // text protocol, no server-side statements
	cfg.MultiStatements = false
	if cfg.Timeout == 0 {
		cfg.Timeout = opt.Timeout
	}
	cfg.Logger = driverLogger{log: log, secrets: secrets}
	conn, err := mysql.NewConnector(cfg)
	if err != nil {
		return nil, fmt.Errorf("mysql %s: %w", target, dbcommon.Scrub(err, secrets...))
	}
	sqlDB := sql.OpenDB(conn)
	sqlDB.SetMaxOpenConns(opt.DBConnections)
	sqlDB.SetMaxIdleConns(opt.DBConnections)
	s := &Source{
		target:  target,
		db:      db,
		opt:     opt,
		filter:  filter,
		sqlDB:   sqlDB,
		log:     log,
		secrets: secrets,
		pacer:   dbcommon.NewPacer(opt.Budget, opt.DatabaseBudget, opt.MaxRowsPerSecond),
	}
	var version string
	if err := sqlDB.QueryRowContext(ctx, "SELECT VERSION()").Scan(&version); err != nil {
		sqlDB.Close()
		return nil, s.errorf("connect: %w", err)
	}
	s.mariadb = strings.Contains(strings.ToLower(version), "mariadb")
	return s, nil
}

// driverLogger sends the driver's complaints to slog at debug level,
// without the password.
type driverLogger struct {
	log     *slog.Logger
	secrets []string
}

func (l driverLogger) Print(v ...any) {
	msg := fmt.Sprint(v...)
	for _, s := range l.secrets {
		if s != "" {
			msg = strings.ReplaceAll(msg, s, "***")
		}
	}
	l.log.Debug("mysql driver", "msg", msg)
}

// Target returns the redacted target.
func (s *Source) Target() string { return s.target }

// errorf formats an error about the target, scrubbing the password.
func (s *Source) errorf(format string, args ...any) error {
	return dbcommon.Errorf("mysql", s.target, s.secrets, format, args...)
}

// Close closes the connections.
func (s *Source) Close() error { return s.sqlDB.Close() }

// quote quotes an identifier with backticks.
func quote(name string) string {
	return "`" + strings.ReplaceAll(name, "`", "``") + "`"
}

// setTimeout bounds the statements of the session: seconds, 0 = none.
func (s *Source) setTimeout(ctx context.Context, conn *sql.Conn, enabled bool) error {
	ms := s.opt.Timeout.Milliseconds()
	if !enabled {
		ms = 0
	}
	var q string
	if s.mariadb {
		q = "SET SESSION max_statement_time = " + strconv.FormatFloat(float64(ms)/1000, 'f', 3, 64)
	} else {
		q = "SET SESSION max_execution_time = " + strconv.FormatInt(ms, 10)
	}
	_, err := conn.ExecContext(ctx, q)
	return err
}

// withTx runs fn in a read-only transaction on a connection whose
// statements are bounded by the timeout. The transaction is rolled back.
func (s *Source) withTx(ctx context.Context, fn func(conn *sql.Conn, tx *sql.Tx) error) error {
	conn, err := s.sqlDB.Conn(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	if err := s.setTimeout(ctx, conn, true); err != nil {
		return err
	}
	lock := max(1, int64(s.opt.Timeout.Seconds()+0.5))
	if _, err := conn.ExecContext(ctx, "SET SESSION lock_wait_timeout = "+strconv.FormatInt(lock, 10)); err != nil {
		return err
	}
	tx, err := conn.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return err
	}
	defer tx.Rollback() //nolint:errcheck // read-only: nothing to keep
	return fn(conn, tx)
}

// Units lists the tables (and views, with Options.Views) of the database,
// or of every non-system database, selected by the table globs, and yields
// one unit per table. The list is read in full before the first yield.
func (s *Source) Units(ctx context.Context, yield func(sources.Unit) bool) error {
	var tables []*table
	err := s.withTx(ctx, func(_ *sql.Conn, tx *sql.Tx) error {
		q := "SELECT TABLE_SCHEMA, TABLE_NAME, TABLE_TYPE, TABLE_ROWS FROM information_schema.TABLES WHERE TABLE_SCHEMA NOT IN (?, ?, ?, ?)"
		args := []any{systemSchemas[0], systemSchemas[1], systemSchemas[2], systemSchemas[3]}
		if s.db != "" {
			q += " AND TABLE_SCHEMA = ?"
			args = append(args, s.db)
		}
		rows, err := tx.QueryContext(ctx, q+" ORDER BY TABLE_SCHEMA, TABLE_NAME", args...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var schema, name, typ string
			var est sql.NullInt64
			if err := rows.Scan(&schema, &name, &typ, &est); err != nil {
				return err
			}
			view := false
			switch typ {
			case "BASE TABLE", "SYSTEM VERSIONED":
			case "VIEW":
				if !s.opt.Views {
					continue
				}
				view = true
			default: // SEQUENCE, SYSTEM VIEW, TEMPORARY
				continue
			}
			path := schema + "." + name
			if !s.filter.Match(path) {
				continue
			}
			t := &table{src: s, schema: schema, name: name, view: view, est: -1,
				loc: sources.Location{Target: s.target, Path: path, Table: true}}
			if est.Valid && !view {
				t.est = est.Int64
			}
			tables = append(tables, t)
		}
		return rows.Err()
	})
	return dbcommon.YieldTables(ctx, s.log, s.target, s.errorf, tables, err, yield)
}
