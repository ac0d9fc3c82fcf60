// Package postgres reads PostgreSQL databases (postgres:// and postgresql://
// URLs, pgx v5): it lists schemas, tables and columns from the catalogs and
// delivers the values of text, JSON, array, inet/cidr and wide integer
// columns, sampled with TABLESAMPLE or read in full, to a sources.Sink.
//
// Safety: every query runs in a READ ONLY, REPEATABLE READ transaction with
// SET LOCAL statement_timeout and lock_timeout (Options.Timeout, default
// 30 s); at most Options.DBConnections (default 2) connections are open;
// every identifier is quoted with pgx.Identifier.Sanitize; the connection
// announces application_name=piimap. Passwords (from the URL, PGPASSWORD,
// .pgpass or PIIMAP_DB_PASSWORD, in that order) never appear in locations,
// errors or logs.
//
// Locations: Target is postgres://host:port/db (no user, no password, no
// query), Path is schema.table, Field the column.
//
// Sampling (the default, Options.SampleRows rows per table, default 10000):
//
//   - a table whose estimate (pg_class.reltuples) is at most the sample size,
//     or unknown, is probed cheaply (the ctids of the first n+1 rows); when it
//     has at most n rows it is read whole ("whole table"), otherwise its size
//     is estimated from its pages and it is sampled as below;
//   - a larger table is sampled in two steps inside one snapshot: the ctids
//     of TABLESAMPLE BERNOULLI (tables up to 20 n rows) or SYSTEM (larger; no
//     sequential scan) at a percentage sized from the estimate, with up to
//     two retries at a larger percentage when too few come back; then n of
//     them chosen uniformly (reservoir) are fetched by TID scan. Method
//     "tablesample system 1.5%". The sample is the same on every run
//     (REPEATABLE with a seed derived from the table location);
//   - views (only with Options.Views) are read with LIMIT ("whole view" or
//     "limit").
//
// Options.Full reads every row through a cursor (FETCH 5000 rows at a time,
// each FETCH under the statement timeout) with bounded memory.
//
// Partitioned tables are read through their parent (partitions are not
// listed separately). Foreign tables are reported as skipped. Materialized
// views are read like tables.
//
// Values: integer and numeric columns wide enough for an 11-digit number
// (bigint, numeric without precision or with at least 10 integer digits)
// are delivered as text, ten-digit values padded to eleven with a leading
// '0' (a fødselsnummer stored as a number loses it: 1019012345 is delivered
// as "01019012345"). JSON/JSONB values are delivered as JSON chunks. Binary
// (bytea) columns are delivered only with Options.Binary, and otherwise
// reported as skipped. Every column, scanned or not, is announced with
// Sink.Column once the table is read: its name is evidence.
//
// Permissions: a login role with SELECT is enough (the tests use exactly
// these grants):
//
//	CREATE ROLE piimap LOGIN PASSWORD '…';
//	GRANT CONNECT ON DATABASE shop TO piimap;
//	GRANT USAGE ON SCHEMA public TO piimap;              -- each schema to scan
//	GRANT SELECT ON ALL TABLES IN SCHEMA public TO piimap;
//	ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT ON TABLES TO piimap;
//
// or, on PostgreSQL 14 and later, GRANT pg_read_all_data TO piimap. Tables
// the role may not read are reported as failed, the rest are scanned.
// Requires PostgreSQL 12 or later.
//
// Failures: New fails when the server cannot be reached or refuses the login;
// Units fails when the catalogs cannot be listed. A table that cannot be read
// (permission denied, a dropped connection, a timeout) is reported with
// Sink.Failed, with the columns and rows read so far, and Unit.Read returns
// nil so that the scan goes on; Read returns an error only when ctx ends.
package postgres

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"os"

	"github.com/jackc/pgx/v5"
	"github.com/piimap/piimap/sources"
	"github.com/piimap/piimap/sources/dbcommon"
)

// Source is a PostgreSQL database. It is safe for concurrent use by the
// units it yields.
type Source struct {
	target  string // redacted: postgres://host:port/db
	opt     sources.Options
	filter  dbcommon.Filter
	pool    *pool
	log     *slog.Logger
	secrets []string
	pacer   *dbcommon.Pacer // the budgets and throttle its tables share // the password in the forms it could appear in
}

// New connects to the database at rawURL (postgres:// or postgresql://;
// query parameters such as sslmode pass through to pgx) and returns its
// Source. It fails when the URL is malformed or the server cannot be
// reached or refuses the login; the error names the redacted target.
func New(ctx context.Context, rawURL string, opt sources.Options, log *slog.Logger) (sources.Source, error) {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	opt = dbcommon.Normalize(opt)
	filter, err := dbcommon.NewFilter(opt)
	if err != nil {
		return nil, err
	}
	u, err := url.Parse(rawURL)
	if err != nil {
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err // url.Error repeats the URL, password included
		}
		return nil, fmt.Errorf("postgres: invalid URL: %v", err)
	}
	if u.Scheme != "postgres" && u.Scheme != "postgresql" {
		return nil, fmt.Errorf("postgres: URL scheme %q is not postgres:// or postgresql://", u.Scheme)
	}
	var secrets []string
	if u.User != nil {
		if pw, ok := u.User.Password(); ok {
			secrets = append(secrets, pw, url.QueryEscape(pw), url.PathEscape(pw))
		}
	}
	for k, vs := range u.Query() {
		if k == "password" || k == "sslpassword" {
			for _, v := range vs {
				secrets = append(secrets, v, url.QueryEscape(v))
			}
		}
	}
	cfg, err := pgx.ParseConfig(rawURL)
	if err != nil {
		return nil, fmt.Errorf("postgres %s: %w", sources.Redact(rawURL), dbcommon.Scrub(err, secrets...))
	}
	// Password order: URL, PIIMAP_DB_PASSWORD, then pgx's PGPASSWORD and
	// .pgpass (already applied by ParseConfig when the URL has none).
	if _, inURL := urlPassword(u); !inURL {
		if pw := os.Getenv(dbcommon.PasswordEnv); pw != "" {
			cfg.Password = pw
		}
	}
	if cfg.Password != "" {
		secrets = append(secrets, cfg.Password)
	}
	if _, ok := cfg.RuntimeParams["application_name"]; !ok {
		cfg.RuntimeParams["application_name"] = "piimap"
	}
	if cfg.ConnectTimeout == 0 {
		cfg.ConnectTimeout = opt.Timeout
	}
	// Describe then execute: no prepared statements left on the server.
	cfg.DefaultQueryExecMode = pgx.QueryExecModeDescribeExec
	s := &Source{
		target:  dbcommon.Target("postgres", cfg.Host, int(cfg.Port), cfg.Database),
		opt:     opt,
		filter:  filter,
		pool:    newPool(cfg, opt.DBConnections),
		log:     log,
		secrets: secrets,
		pacer:   dbcommon.NewPacer(opt.Budget, opt.DatabaseBudget, opt.MaxRowsPerSecond),
	}
	c, err := s.pool.acquire(ctx)
	if err != nil {
		s.pool.close()
		return nil, s.errorf("connect: %w", err)
	}
	s.pool.release(c)
	return s, nil
}

// urlPassword returns the password in the URL's user info or query.
func urlPassword(u *url.URL) (string, bool) {
	if u.User != nil {
		if pw, ok := u.User.Password(); ok {
			return pw, true
		}
	}
	if q := u.Query(); q.Has("password") {
		return q.Get("password"), true
	}
	return "", false
}

// Target returns the redacted target: postgres://host:port/db.
func (s *Source) Target() string { return s.target }

// errorf formats an error about the target, scrubbing the password from
// whatever the driver said.
func (s *Source) errorf(format string, args ...any) error {
	return dbcommon.Errorf("postgres", s.target, s.secrets, format, args...)
}

// Close closes the connections.
func (s *Source) Close() error {
	s.pool.close()
	return nil
}

// withTx runs fn in a read-only, repeatable-read transaction with the
// statement and lock timeouts set, on a pooled connection. The transaction
// is always rolled back (nothing was written).
func (s *Source) withTx(ctx context.Context, fn func(tx pgx.Tx) error) error {
	c, err := s.pool.acquire(ctx)
	if err != nil {
		return err
	}
	defer s.pool.release(c)
	tx, err := c.BeginTx(ctx, pgx.TxOptions{AccessMode: pgx.ReadOnly, IsoLevel: pgx.RepeatableRead})
	if err != nil {
		return err
	}
	defer func() {
		// A cancelled ctx would abort the rollback and with it the
		// connection; roll back on a context of its own.
		rctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), s.opt.Timeout)
		defer cancel()
		_ = tx.Rollback(rctx)
	}()
	ms := s.opt.Timeout.Milliseconds()
	if _, err := tx.Exec(ctx, fmt.Sprintf("SET LOCAL statement_timeout = %d; SET LOCAL lock_timeout = %d", ms, ms)); err != nil {
		return err
	}
	return fn(tx)
}

// listQuery lists the relations outside the system schemas with their row
// estimate (-1 unknown): partitioned tables sum their leaf partitions, which
// are not listed on their own.
const listQuery = `
SELECT c.oid::int8, n.nspname, c.relname, c.relkind::text,
  (CASE WHEN c.relkind = 'p' THEN
     (SELECT CASE WHEN bool_and(x.reltuples >= 0) THEN coalesce(sum(x.reltuples), 0) ELSE -1 END
        FROM pg_partition_tree(c.oid) pt JOIN pg_class x ON x.oid = pt.relid
       WHERE pt.isleaf)
   ELSE c.reltuples END)::float8
FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE c.relkind IN ('r', 'p', 'v', 'm', 'f')
  AND NOT c.relispartition
  AND n.nspname NOT IN ('pg_catalog', 'information_schema', 'pg_toast')
  AND n.nspname !~ '^pg_(toast_)?temp_'
ORDER BY n.nspname, c.relname`

// Units lists the tables (and, with Options.Views, the views) selected by
// the table globs and yields one unit per table. The list is read in full
// before the first yield, so no connection is held while units are read.
func (s *Source) Units(ctx context.Context, yield func(sources.Unit) bool) error {
	var tables []*table
	err := s.withTx(ctx, func(tx pgx.Tx) error {
		rows, err := tx.Query(ctx, listQuery)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var (
				oid                int64
				schema, name, kind string
				reltuples          float64
			)
			if err := rows.Scan(&oid, &schema, &name, &kind, &reltuples); err != nil {
				return err
			}
			if kind == "v" && !s.opt.Views {
				continue
			}
			path := schema + "." + name
			if !s.filter.Match(path) {
				continue
			}
			est := int64(-1)
			if reltuples >= 0 {
				est = int64(reltuples + 0.5)
			}
			tables = append(tables, &table{
				src:    s,
				oid:    uint32(oid),
				schema: schema,
				name:   name,
				kind:   kind[0],
				est:    est,
				loc:    sources.Location{Target: s.target, Path: path, Table: true},
			})
		}
		return rows.Err()
	})
	return dbcommon.YieldTables(ctx, s.log, s.target, s.errorf, tables, err, yield)
}
