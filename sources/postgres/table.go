package postgres

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"strconv"
	"strings"

	"github.com/jackc/pgx/v5"
	"github.com/piimap/piimap/sources"
	"github.com/piimap/piimap/sources/dbcommon"
)

// Sampling parameters.
const (
	// fetchRows is how many rows one FETCH of a full read returns.
	fetchRows = 5000
	// bernoulliFactor: tables up to bernoulliFactor × n rows are sampled
	// row by row (BERNOULLI reads every page); larger ones by page (SYSTEM).
	bernoulliFactor = 20
	// margins over n for the first sampling percentage.
	bernoulliMargin = 1.2
	systemMargin    = 1.5
	// sampleRetries bounds the retries at a larger percentage.
	sampleRetries = 2
	// ctidCap bounds the ctids one sampling query may return, as a multiple
	// of n, whatever the estimate said.
	ctidCap = 50
)

// table is one relation: the unit of work.
type table struct {
	src          *Source
	oid          uint32
	schema, name string
	kind         byte  // pg_class.relkind: r p v m f
	est          int64 // estimated rows, -1 unknown
	loc          sources.Location
}

// Location returns schema.table on the target.
func (t *table) Location() sources.Location { return t.loc }

// Size returns the rows expected to be read: the estimate, capped at the
// sample size unless reading in full; -1 when unknown.
func (t *table) Size() int64 {
	if t.est < 0 || t.src.opt.Full {
		return t.est
	}
	return min(t.est, int64(t.src.opt.SampleRows))
}

// ident returns the quoted schema.table.
func (t *table) ident() string { return pgx.Identifier{t.schema, t.name}.Sanitize() }

// Read reads the table into sink. Failures of the table go to sink.Failed;
// the error is non-nil only when ctx ended.
func (t *table) Read(ctx context.Context, sink sources.Sink) error {
	if t.kind == 'f' {
		sink.Skipped(t.loc, "foreign table")
		return nil
	}
	var rd *dbcommon.Reader
	method, est := "", t.est
	err := t.src.withTx(ctx, func(tx pgx.Tx) error {
		cols, err := t.columns(ctx, tx)
		if err != nil {
			return err
		}
		rd = dbcommon.StartRead(sink, t.loc, cols, t.src.opt.ChunkSize)
		method, est, err = t.read(ctx, tx, rd)
		return err
	})
	if err != nil && ctx.Err() != nil {
		return ctx.Err()
	}
	dbcommon.EndRead(rd, method, est, err != nil)
	if err != nil {
		sink.Failed(t.loc, t.src.errorf("read %s: %w", t.loc.Path, err))
		t.src.log.Debug("table failed", "table", t.loc.String(), "err", dbcommon.Scrub(err, t.src.secrets...))
		return nil
	}
	t.src.log.Debug("table read", "table", t.loc.String(), "method", method, "rows", rd.Rows, "estimated", est)
	return nil
}

// columnQuery describes the columns of one relation: name, displayed type,
// base type (domains resolved), its category, typmod, and for arrays the
// element type and category.
const columnQuery = `
SELECT a.attname, format_type(a.atttypid, a.atttypmod),
  bt.typname, bt.typcategory::text,
  (CASE WHEN t.typtype = 'd' THEN t.typtypmod ELSE a.atttypmod END)::int4,
  coalesce(et.typname, ''), coalesce(et.typcategory::text, ''),
  EXISTS (SELECT 1 FROM pg_index i WHERE i.indrelid = a.attrelid AND i.indisprimary AND a.attnum = ANY(i.indkey))
FROM pg_attribute a
JOIN pg_type t ON t.oid = a.atttypid
JOIN pg_type bt ON bt.oid = CASE WHEN t.typtype = 'd' THEN t.typbasetype ELSE t.oid END
LEFT JOIN pg_type et ON et.oid = bt.typelem AND bt.typcategory = 'A'
WHERE a.attrelid = $1 AND a.attnum > 0 AND NOT a.attisdropped
ORDER BY a.attnum`

func (t *table) columns(ctx context.Context, tx pgx.Tx) ([]dbcommon.Col, error) {
	rows, err := tx.Query(ctx, columnQuery, t.oid)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var cols []dbcommon.Col
	for rows.Next() {
		var (
			name, typ, base, cat, elem, elemCat string
			typmod                              int32
			primary                             bool
		)
		if err := rows.Scan(&name, &typ, &base, &cat, &typmod, &elem, &elemCat, &primary); err != nil {
			return nil, err
		}
		cl := classify(base, cat, typmod, elem, elemCat)
		if base == "int4" || base == "int8" || base == "numeric" && (typmod < 4 || (typmod-4)&0xffff == 0) {
			cl = dbcommon.IntegerColumnClass(cl, name)
		}
		col := dbcommon.NewCol(t.loc, name, typ, cl, t.src.opt.Binary)
		col.Key = primary
		cols = append(cols, col)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	if cols == nil {
		// Either the relation has no columns or it was dropped since
		// it was listed; the latter is worth a failure.
		var exists bool
		if err := tx.QueryRow(ctx, "SELECT EXISTS (SELECT 1 FROM pg_class WHERE oid = $1)", t.oid).Scan(&exists); err != nil {
			return nil, err
		}
		if !exists {
			return nil, errors.New("table no longer exists")
		}
	}
	return cols, nil
}

// classify says how a column of base type typname in category cat is
// scanned.
func classify(typname, cat string, typmod int32, elem, elemCat string) dbcommon.Class {
	switch typname {
	case "json", "jsonb":
		return dbcommon.JSON
	case "bytea":
		return dbcommon.Binary
	case "xml", "hstore", "citext":
		return dbcommon.Text
	case "int8":
		return dbcommon.WideInt
	case "numeric":
		prec, scale := -1, 0
		if typmod >= 4 {
			prec, scale = int((typmod-4)>>16)&0xffff, int(typmod-4)&0xffff
		}
		if dbcommon.NumericWide(prec, scale) {
			return dbcommon.WideInt
		}
		return dbcommon.Skip
	}
	switch cat {
	case "S", "I": // strings; inet and cidr
		return dbcommon.Text
	case "A":
		switch classify(elem, elemCat, -1, "", "") {
		case dbcommon.Text, dbcommon.JSON, dbcommon.WideInt:
			return dbcommon.Text
		}
	}
	return dbcommon.Skip
}

// selectList renders the select expressions of cols: scanned values as
// text (bytea raw), other columns as "NULL unless not NULL".
func selectList(cols []dbcommon.Col, alias string) string {
	var b strings.Builder
	for i, c := range cols {
		if i > 0 {
			b.WriteString(", ")
		}
		id := pgx.Identifier{c.Name}.Sanitize()
		if alias != "" {
			id = alias + "." + id
		}
		switch {
		case c.Scan && c.Class == dbcommon.Binary:
			b.WriteString(id)
		case c.Scan && c.Type == "inet":
			// host() drops the "/32" that inet::text appends.
			b.WriteString("host(" + id + ")")
		case c.Scan:
			b.WriteString(id + "::text")
		case c.Key && c.Class == dbcommon.Binary:
			b.WriteString("encode(" + id + ", 'hex')")
		case c.Key:
			// The primary key names example rows in the report.
			b.WriteString(id + "::text")
		default:
			b.WriteString("(" + id + " IS NOT NULL) OR NULL")
		}
	}
	return b.String()
}

// read plans and performs the read; it returns the method and estimate
// for the Table statistics.
func (t *table) read(ctx context.Context, tx pgx.Tx, rd *dbcommon.Reader) (method string, est int64, err error) {
	n := int64(t.src.opt.SampleRows)
	from := t.ident()
	list := selectList(rd.Cols, "")
	if t.src.opt.Full {
		err := t.readFull(ctx, tx, rd, "SELECT "+list+" FROM "+from)
		rd.Complete = err == nil
		return "full", t.est, err
	}
	if t.kind == 'v' {
		more, err := t.readLimited(ctx, tx, rd, "SELECT "+list+" FROM "+from+" LIMIT "+strconv.FormatInt(n+1, 10), n)
		if more {
			return "limit", -1, err
		}
		rd.Complete = err == nil
		return "whole view", -1, err
	}
	est = t.est
	if est <= n {
		// Small or unknown: count the first n+1 rows cheaply.
		count, pages, err := t.probe(ctx, tx, n+1)
		if err != nil {
			return "", est, err
		}
		if count <= n {
			_, err := t.readLimited(ctx, tx, rd, "SELECT "+list+" FROM "+from, n)
			rd.Complete = err == nil
			return "whole table", count, err
		}
		// Larger than the catalog thought: estimate from the pages.
		est, err = t.estimateFromPages(ctx, tx, count, pages)
		if err != nil {
			return "", -1, err
		}
		est = max(est, n+1)
	}
	method, est, sampled, err := t.sample(ctx, tx, rd, est, list)
	if err != nil || t.kind == 'f' || !t.src.pacer.Budgeted() {
		return method, est, err
	}
	if serverMajor(tx) < 14 {
		// Before TID range scans every batch would read the whole table.
		return method + " (--budget needs PostgreSQL 14)", est, nil
	}
	return t.src.pacer.ReadBeyond(rd, method, "page ranges", est, func(b *dbcommon.Budget) (bool, error) {
		return t.readPages(ctx, tx, rd, sampled, b, est)
	})
}

// readPages goes on reading a sampled table of about est rows within the
// budget: its pages in order, a batch of pages per statement (a TID range
// scan), skipping the rows the sample delivered. It reports whether it
// read every page.
func (t *table) readPages(ctx context.Context, tx pgx.Tx, rd *dbcommon.Reader, sampled map[string]struct{}, b *dbcommon.Budget, est int64) (bool, error) {
	size := "pg_relation_size($1::oid)"
	if t.kind == 'p' {
		// The same page numbers exist in every partition: go up to the largest.
		size = "coalesce((SELECT max(pg_relation_size(relid)) FROM pg_partition_tree($1::oid)), 0)"
	}
	var pages int64
	if err := tx.QueryRow(ctx, "SELECT ("+size+" / current_setting('block_size')::int8)::int8", t.oid).Scan(&pages); err != nil {
		return false, err
	}
	per := max(1, pages*b.BatchRows()/max(est, 1))
	q := "SELECT t.tableoid::text, t.ctid::text" + commaIf(selectList(rd.Cols, "")) + selectList(rd.Cols, "t") +
		" FROM " + t.ident() + " t WHERE t.ctid >= $1::tid AND t.ctid < $2::tid"
	var key []byte // the row address key, reused
	for lo := int64(0); lo < pages; lo += per {
		hi := min(lo+per, pages)
		if hi == pages {
			hi = 1<<32 - 1 // to the end, should the table have grown
		}
		rows, err := tx.Query(ctx, q, fmt.Sprintf("(%d,0)", lo), fmt.Sprintf("(%d,0)", hi))
		if err != nil {
			return false, err
		}
		var got int64
		for rows.Next() {
			vals := rows.RawValues()
			key = tidKey(key, vals[0], vals[1])
			if _, ok := sampled[string(key)]; ok { // a map index by converted bytes: no allocation
				continue
			}
			got++
			if err := rd.Row(ctx, vals[2:]); err != nil {
				rows.Close()
				return false, err
			}
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return false, err
		}
		// Every batch is accounted, the last one too: the throttle is
		// the database's, shared with the tables read at the same time.
		more, err := b.Next(ctx, got)
		if err != nil {
			return false, err
		}
		if lo+per >= pages {
			return true, nil
		}
		if !more {
			return false, nil
		}
	}
	return true, nil
}

// probe returns how many of the first limit rows exist and how many
// distinct pages they occupy.
func (t *table) probe(ctx context.Context, tx pgx.Tx, limit int64) (count, pages int64, err error) {
	err = tx.QueryRow(ctx, "SELECT count(*), count(DISTINCT (ctid::text::point)[0]) FROM (SELECT ctid FROM "+
		t.ident()+" LIMIT "+strconv.FormatInt(limit, 10)+") s").Scan(&count, &pages)
	return count, pages, err
}

// estimateFromPages estimates the rows of a table whose catalog estimate is
// missing or stale: its pages times the rows per page seen in the probe.
func (t *table) estimateFromPages(ctx context.Context, tx pgx.Tx, count, pages int64) (int64, error) {
	size := "pg_relation_size($1::oid)"
	if t.kind == 'p' {
		size = "coalesce((SELECT sum(pg_relation_size(relid)) FROM pg_partition_tree($1::oid)), 0)"
	}
	var relPages int64
	err := tx.QueryRow(ctx, "SELECT ("+size+" / current_setting('block_size')::int8)::int8", t.oid).Scan(&relPages)
	if err != nil {
		return -1, err
	}
	if pages <= 0 {
		return count, nil
	}
	return relPages * count / pages, nil
}

// readLimited runs q and delivers at most n rows; more reports whether
// there was another row.
func (t *table) readLimited(ctx context.Context, tx pgx.Tx, rd *dbcommon.Reader, q string, n int64) (more bool, err error) {
	rows, err := tx.Query(ctx, q)
	if err != nil {
		return false, err
	}
	defer rows.Close()
	var seen int64
	for rows.Next() {
		if seen++; seen > n {
			more = true
			break
		}
		if err := rd.Row(ctx, rows.RawValues()); err != nil {
			return false, err
		}
	}
	rows.Close()
	return more, rows.Err()
}

// readFull streams every row through a cursor.
func (t *table) readFull(ctx context.Context, tx pgx.Tx, rd *dbcommon.Reader, q string) error {
	if _, err := tx.Exec(ctx, "DECLARE piimap_full NO SCROLL CURSOR FOR "+q); err != nil {
		return err
	}
	fetch := "FETCH FORWARD " + strconv.Itoa(fetchRows) + " FROM piimap_full"
	for {
		rows, err := tx.Query(ctx, fetch)
		if err != nil {
			return err
		}
		got := 0
		for rows.Next() {
			got++
			if err := rd.Row(ctx, rows.RawValues()); err != nil {
				rows.Close()
				return err
			}
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		if got < fetchRows {
			return nil
		}
	}
}

// tid is a row address: the relation (partitions differ) and the ctid.
type tid struct {
	rel  string // tableoid as text
	ctid string
}

// tidKey writes the key of a row address in the sample's set to dst:
// "tableoid/ctid", from their text forms.
func tidKey(dst, rel, ctid []byte) []byte {
	dst = append(dst[:0], rel...)
	dst = append(dst, '/')
	return append(dst, ctid...)
}

// sample reads n rows chosen uniformly from a TABLESAMPLE of a table of
// about est rows.
// sampled holds the addresses of the rows delivered.
func (t *table) sample(ctx context.Context, tx pgx.Tx, rd *dbcommon.Reader, est int64, list string) (method string, _ int64, sampled map[string]struct{}, _ error) {
	n := int64(t.src.opt.SampleRows)
	seed := dbcommon.Seed(t.loc.String())
	rng := rand.New(rand.NewPCG(seed, seed>>32|seed<<32))
	kind, margin := "system", systemMargin
	if est <= bernoulliFactor*n {
		kind, margin = "bernoulli", bernoulliMargin
	}
	p := dbcommon.SamplePercent(n, est, margin)
	var chosen []tid
	for try := 0; ; try++ {
		var seen int64
		var err error
		chosen, seen, err = t.sampleTIDs(ctx, tx, kind, p, int32(seed), n, rng)
		if err != nil {
			return "", est, nil, err
		}
		if seen >= n || p >= 100 || try == sampleRetries {
			break
		}
		// Too few: the estimate was high or the pages uneven.
		p = min(100, p*1.3*float64(n)/float64(max(seen, 1)))
	}
	method = "tablesample " + kind + " " + dbcommon.FormatPercent(p) + "%"
	if len(chosen) == 0 {
		return method, est, nil, nil
	}
	ctids := make([]string, len(chosen))
	want := make(map[string]struct{}, len(chosen))
	var key []byte
	for i, c := range chosen {
		ctids[i] = c.ctid
		key = tidKey(key, []byte(c.rel), []byte(c.ctid))
		want[string(key)] = struct{}{}
	}
	rows, err := tx.Query(ctx, "SELECT t.tableoid::text, t.ctid::text"+commaIf(list)+selectList(rd.Cols, "t")+
		" FROM "+t.ident()+" t WHERE t.ctid = ANY ($1::text[]::tid[])", ctids)
	if err != nil {
		return method, est, nil, err
	}
	defer rows.Close()
	for rows.Next() {
		vals := rows.RawValues()
		if t.kind == 'p' {
			// The same ctid exists in every partition: keep the chosen.
			key = tidKey(key, vals[0], vals[1])
			if _, ok := want[string(key)]; !ok {
				continue
			}
		}
		if err := rd.Row(ctx, vals[2:]); err != nil {
			return method, est, nil, err
		}
	}
	rows.Close()
	return method, est, want, rows.Err()
}

func commaIf(list string) string {
	if list == "" {
		return ""
	}
	return ", "
}

// sampleTIDs runs TABLESAMPLE kind (p) and keeps a uniform reservoir of n
// of the row addresses it returns; seen is how many it returned.
func (t *table) sampleTIDs(ctx context.Context, tx pgx.Tx, kind string, p float64, seed int32, n int64, rng *rand.Rand) ([]tid, int64, error) {
	q := fmt.Sprintf("SELECT tableoid::text, ctid::text FROM %s TABLESAMPLE %s (%s) REPEATABLE (%d) LIMIT %d",
		t.ident(), strings.ToUpper(kind), dbcommon.FormatPercent(p), seed, ctidCap*n)
	rows, err := tx.Query(ctx, q)
	if err != nil {
		return nil, 0, err
	}
	defer rows.Close()
	res := make([]tid, 0, n)
	var seen int64
	for rows.Next() {
		var x tid
		if err := rows.Scan(&x.rel, &x.ctid); err != nil {
			return nil, 0, err
		}
		seen++
		if int64(len(res)) < n {
			res = append(res, x)
		} else if j := rng.Int64N(seen); j < n {
			res[j] = x
		}
	}
	return res, seen, rows.Err()
}

// serverMajor returns the major version of the server tx talks to, from
// the server_version it reported when the connection was made ("15.4
// (Debian 15.4-1)" gives 15), or 0 when it is unknown.
func serverMajor(tx pgx.Tx) int {
	n := 0
	for _, c := range tx.Conn().PgConn().ParameterStatus("server_version") {
		if c < '0' || c > '9' {
			break
		}
		n = n*10 + int(c-'0')
	}
	return n
}
