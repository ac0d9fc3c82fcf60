package mysql

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"math/big"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"

	"github.com/piimap/piimap/sources"
	"github.com/piimap/piimap/sources/dbcommon"
)

// Reading parameters.
const (
	// probes is how many key-range probes a sampled table gets.
	probes = 20
	// batchRows is how many rows one keyset statement of a full read
	// returns.
	batchRows = 5000
)

// table is one table or view: the unit of work.
type table struct {
	src          *Source
	schema, name string
	view         bool
	est          int64 // TABLE_ROWS, -1 unknown
	loc          sources.Location
}

// Location returns database.table on the target.
func (t *table) Location() sources.Location { return t.loc }

// Size returns the rows expected to be read; -1 when unknown.
func (t *table) Size() int64 {
	if t.est < 0 || t.src.opt.Full {
		return t.est
	}
	return min(t.est, int64(t.src.opt.SampleRows))
}

func (t *table) ident() string { return quote(t.schema) + "." + quote(t.name) }

// Read reads the table into sink. Failures of the table go to sink.Failed;
// the error is non-nil only when ctx ended.
func (t *table) Read(ctx context.Context, sink sources.Sink) error {
	var rd *dbcommon.Reader
	method, est := "", t.est
	err := t.src.withTx(ctx, func(conn *sql.Conn, tx *sql.Tx) error {
		cols, key, err := t.columns(ctx, tx)
		if err != nil {
			return err
		}
		rd = dbcommon.StartRead(sink, t.loc, cols, t.src.opt.ChunkSize)
		method, est, err = t.read(ctx, conn, tx, rd, key)
		return err
	})
	if err != nil && ctx.Err() != nil {
		return ctx.Err()
	}
	dbcommon.EndRead(rd, method, est, err != nil)
	if err != nil {
		sink.Failed(t.loc, t.src.errorf("read %s: %w", t.loc.Path, err))
		return nil
	}
	t.src.log.Debug("table read", "table", t.loc.String(), "method", method, "rows", rd.Rows, "estimated", est)
	return nil
}

// columns reads the columns, classified, and the single-column integer
// primary key, if any ("" otherwise).
func (t *table) columns(ctx context.Context, tx *sql.Tx) ([]dbcommon.Col, string, error) {
	jsonCols := map[string]bool{}
	if t.src.mariadb {
		// MariaDB's JSON is LONGTEXT with a json_valid check.
		rows, err := tx.QueryContext(ctx, "SELECT CHECK_CLAUSE FROM information_schema.CHECK_CONSTRAINTS WHERE CONSTRAINT_SCHEMA = ? AND TABLE_NAME = ?", t.schema, t.name)
		if err == nil {
			for rows.Next() {
				var clause string
				if rows.Scan(&clause) == nil {
					if c, ok := strings.CutPrefix(clause, "json_valid(`"); ok && strings.HasSuffix(c, "`)") {
						jsonCols[strings.ReplaceAll(strings.TrimSuffix(c, "`)"), "``", "`")] = true
					}
				}
			}
			rows.Close()
		}
	}
	rows, err := tx.QueryContext(ctx, `SELECT COLUMN_NAME, DATA_TYPE, COLUMN_TYPE, NUMERIC_PRECISION, NUMERIC_SCALE, COLUMN_KEY
FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ? ORDER BY ORDINAL_POSITION`, t.schema, t.name)
	if err != nil {
		return nil, "", err
	}
	defer rows.Close()
	var (
		cols    []dbcommon.Col
		pri     []string
		intKeys = map[string]bool{}
	)
	for rows.Next() {
		var name, dataType, colType, key string
		var prec, scale sql.NullInt64
		if err := rows.Scan(&name, &dataType, &colType, &prec, &scale, &key); err != nil {
			return nil, "", err
		}
		dataType = strings.ToLower(dataType)
		cl := classify(dataType, prec, scale)
		switch dataType {
		case "int", "integer", "bigint", "decimal", "numeric":
			if !scale.Valid || scale.Int64 == 0 {
				cl = dbcommon.IntegerColumnClass(cl, name)
			}
		}
		if jsonCols[name] && cl == dbcommon.Text {
			cl = dbcommon.JSON
		}
		col := dbcommon.NewCol(t.loc, name, colType, cl, t.src.opt.Binary)
		col.Key = key == "PRI"
		cols = append(cols, col)
		if key == "PRI" {
			pri = append(pri, name)
			switch dataType {
			case "tinyint", "smallint", "mediumint", "int", "integer", "bigint":
				intKeys[name] = true
			}
		}
	}
	if err := rows.Err(); err != nil {
		return nil, "", err
	}
	if len(cols) == 0 {
		return nil, "", errors.New("table has no columns or no longer exists")
	}
	if len(pri) == 1 && intKeys[pri[0]] {
		return cols, pri[0], nil
	}
	return cols, "", nil
}

// classify says how a column of the given DATA_TYPE is scanned.
func classify(dataType string, prec, scale sql.NullInt64) dbcommon.Class {
	switch dataType {
	case "char", "varchar", "tinytext", "text", "mediumtext", "longtext", "inet4", "inet6":
		return dbcommon.Text
	case "json":
		return dbcommon.JSON
	case "bigint":
		return dbcommon.WideInt
	case "decimal", "numeric":
		p := -1
		if prec.Valid {
			p = int(prec.Int64)
		}
		if dbcommon.NumericWide(p, int(scale.Int64)) {
			return dbcommon.WideInt
		}
	case "binary", "varbinary", "tinyblob", "blob", "mediumblob", "longblob":
		return dbcommon.Binary
	}
	return dbcommon.Skip
}

// selectList renders the select expressions: scanned values as they are
// (the text protocol sends text), other columns as "NULL unless not NULL".
func selectList(cols []dbcommon.Col) string {
	var b strings.Builder
	for i, c := range cols {
		if i > 0 {
			b.WriteString(", ")
		}
		switch {
		case c.Scan:
			b.WriteString(quote(c.Name))
		case c.Key && c.Class == dbcommon.Binary:
			b.WriteString("HEX(" + quote(c.Name) + ")")
		case c.Key:
			// The primary key names example rows in the report.
			b.WriteString("CAST(" + quote(c.Name) + " AS CHAR)")
		default:
			b.WriteString("(" + quote(c.Name) + " IS NOT NULL) OR NULL")
		}
	}
	return b.String()
}

// read plans and performs the read; it returns the method and the estimate
// for the Table statistics.
func (t *table) read(ctx context.Context, conn *sql.Conn, tx *sql.Tx, rd *dbcommon.Reader, key string) (string, int64, error) {
	n := int64(t.src.opt.SampleRows)
	list, from := selectList(rd.Cols), t.ident()
	est := t.est
	if t.src.opt.Full {
		if key != "" && !t.view {
			err := t.readKeyset(ctx, tx, rd, key, list)
			rd.Complete = err == nil
			return "full", est, err
		}
		// One streaming statement: no statement timeout for it.
		if err := t.src.setTimeout(ctx, conn, false); err != nil {
			return "", est, err
		}
		_, err := t.readRows(ctx, tx, rd, "SELECT "+list+" FROM "+from, -1, 0)
		rd.Complete = err == nil
		return "full", est, err
	}
	if t.view {
		more, err := t.readRows(ctx, tx, rd, "SELECT "+list+" FROM "+from+" LIMIT "+strconv.FormatInt(n+1, 10), n, 0)
		if more {
			return "limit", -1, err
		}
		rd.Complete = err == nil
		return "whole view", -1, err
	}
	if est <= n {
		count, err := t.countUpTo(ctx, tx, from, n+1)
		if err != nil {
			return "", est, err
		}
		if count <= n {
			_, err := t.readRows(ctx, tx, rd, "SELECT "+list+" FROM "+from, n, 0)
			rd.Complete = err == nil
			return "whole table", count, err
		}
		// The catalog estimate is stale: count on, up to staleCount
		// samples' worth (an index scan of at most a few hundred thousand
		// rows), so that a table just over the sample still gets its
		// detection limit; beyond that its size is unknown.
		if count, err = t.countUpTo(ctx, tx, from, staleCount*n); err != nil {
			return "", est, err
		}
		est = -1
		if count < staleCount*n {
			est = count
		}
	}
	if key == "" {
		_, err := t.readRows(ctx, tx, rd, "SELECT "+list+" FROM "+from+" LIMIT "+strconv.FormatInt(n, 10), n, 0)
		return "limit", est, err
	}
	done, covered, err := t.probe(ctx, tx, rd, key, list, n)
	method := fmt.Sprintf("pk-range probes ×%d", done)
	if err != nil {
		return method, est, err
	}
	if !t.src.pacer.Budgeted() {
		return method, est, nil
	}
	return t.src.pacer.ReadBeyond(rd, method, "pk ranges", est, func(b *dbcommon.Budget) (bool, error) {
		return t.readGaps(ctx, tx, rd, key, list, covered, b)
	})
}

// keySpan is a range of keys [lo, hi) already read; hi nil = to the end.
type keySpan struct{ lo, hi *big.Int }

// readGaps goes on reading a probed table within the budget: the key
// ranges the probes did not read, in key order, a batch per statement. It
// reports whether every row has been read.
func (t *table) readGaps(ctx context.Context, tx *sql.Tx, rd *dbcommon.Reader, key, list string, covered []keySpan, b *dbcommon.Budget) (bool, error) {
	if len(covered) == 0 {
		return true, nil // the table is empty
	}
	// In key order: the probe's gap filling may have added spans after its
	// last sort, and an unsorted span would be read again.
	slices.SortFunc(covered, func(a, b keySpan) int { return a.lo.Cmp(b.lo) })
	k := quote(key)
	batch := b.BatchRows()
	// read reads the keys in [from, below) (below nil: to the end) and
	// reports whether it got to below. Every batch is accounted, the last
	// of a gap too (the throttle is the database's, shared with the tables
	// read at the same time); once the budget ends, nothing more is read.
	out := false
	read := func(from, below *big.Int) (bool, error) {
		for {
			if out {
				return false, nil
			}
			got, _, last, err := t.readRowsKey(ctx, tx, rd, t.keyRange(k, list, from, below, batch), -1, 1)
			if err != nil {
				return false, err
			}
			more, err := b.Next(ctx, got)
			if err != nil {
				return false, err
			}
			out = !more
			if got < batch {
				return true, nil
			}
			var lb big.Int
			if _, ok := lb.SetString(last, 10); !ok {
				return false, fmt.Errorf("unexpected key value")
			}
			from = new(big.Int).Add(&lb, big.NewInt(1))
		}
	}
	return walkGaps(covered, nil, func(lo, hi *big.Int) (bool, error) {
		if lo == nil {
			// Keys below the first span: from the smallest key.
			return t.readBelow(ctx, tx, rd, k, list, hi, b, read)
		}
		return read(lo, hi)
	})
}

// keyRange is the statement that reads up to limit rows with keys in
// [from, below) (below nil: to the end) in key order: the quoted key k
// first, then the columns of list.
func (t *table) keyRange(k, list string, from, below *big.Int, limit int64) string {
	where := " WHERE " + k + " >= " + from.String()
	if below != nil {
		where += " AND " + k + " < " + below.String()
	}
	return "SELECT " + k + commaIf(list) + list + " FROM " + t.ident() + where + " ORDER BY " + k + " LIMIT " + strconv.FormatInt(limit, 10)
}

// walkGaps calls gap, in key order, for every key range [lo, hi) that the
// sorted spans leave out from cur on (cur nil: from the smallest key; hi
// nil: to the end), until gap reports that it did not cover its range. It
// reports whether it got to the end of the key range.
func walkGaps(spans []keySpan, cur *big.Int, gap func(lo, hi *big.Int) (bool, error)) (bool, error) {
	for _, sp := range spans {
		if cur == nil || cur.Cmp(sp.lo) < 0 {
			if covered, err := gap(cur, sp.lo); !covered || err != nil {
				return false, err
			}
		}
		if sp.hi == nil {
			return true, nil // the last span reaches the end
		}
		if cur == nil || cur.Cmp(sp.hi) < 0 {
			cur = sp.hi
		}
	}
	return gap(cur, nil)
}

// readBelow reads the keys below the first probed span, from the smallest.
func (t *table) readBelow(ctx context.Context, tx *sql.Tx, rd *dbcommon.Reader, k, list string, below *big.Int, b *dbcommon.Budget, read func(from, below *big.Int) (bool, error)) (bool, error) {
	var lo sql.NullString
	if err := tx.QueryRowContext(ctx, "SELECT MIN("+k+") FROM "+t.ident()).Scan(&lo); err != nil {
		return false, err
	}
	if !lo.Valid {
		return true, nil
	}
	var from big.Int
	if _, ok := from.SetString(lo.String, 10); !ok {
		return false, fmt.Errorf("unexpected key value")
	}
	if from.Cmp(below) >= 0 {
		return true, nil
	}
	return read(&from, below)
}

// readRows runs q and delivers at most n rows (n < 0: all), skipping the
// first skip columns of each row; more reports whether there was another
// row.
func (t *table) readRows(ctx context.Context, tx *sql.Tx, rd *dbcommon.Reader, q string, n int64, skip int) (more bool, err error) {
	_, more, _, err = t.readRowsKey(ctx, tx, rd, q, n, skip)
	return more, err
}

// readRowsKey is readRows that also returns the rows delivered and, when
// skip > 0, the first column (the key) of the last row delivered.
func (t *table) readRowsKey(ctx context.Context, tx *sql.Tx, rd *dbcommon.Reader, q string, n int64, skip int) (got int64, more bool, last string, err error) {
	rows, err := tx.QueryContext(ctx, q)
	if err != nil {
		return 0, false, "", err
	}
	defer rows.Close()
	width := len(rd.Cols) + skip
	vals := make([]sql.RawBytes, width)
	ptrs := make([]any, width)
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	raw := make([][]byte, width)
	for rows.Next() {
		if n >= 0 && got >= n {
			more = true
			break
		}
		if err := rows.Scan(ptrs...); err != nil {
			return got, false, last, err
		}
		got++
		for i, v := range vals {
			raw[i] = v
		}
		if skip > 0 {
			last = string(raw[0])
		}
		if err := rd.Row(ctx, raw[skip:]); err != nil {
			return got, false, last, err
		}
	}
	if err := rows.Close(); err != nil {
		return got, more, last, err
	}
	return got, more, last, rows.Err()
}

// readKeyset reads every row in key order, batchRows per statement.
func (t *table) readKeyset(ctx context.Context, tx *sql.Tx, rd *dbcommon.Reader, key, list string) error {
	k := quote(key)
	where := ""
	for {
		q := "SELECT " + k + commaIf(list) + list + " FROM " + t.ident() + where + " ORDER BY " + k + " LIMIT " + strconv.Itoa(batchRows)
		got, _, last, err := t.readRowsKey(ctx, tx, rd, q, -1, 1)
		if err != nil {
			return err
		}
		if got < batchRows {
			return nil
		}
		if !isInt(last) {
			return fmt.Errorf("unexpected key value")
		}
		where = " WHERE " + k + " > " + last
	}
}

func commaIf(list string) string {
	if list == "" {
		return ""
	}
	return ", "
}

// isInt reports whether s is a decimal integer, so that it can be written
// into a statement.
func isInt(s string) bool {
	s = strings.TrimPrefix(s, "-")
	if s == "" || len(s) > 20 {
		return false
	}
	for i := range len(s) {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// probe reads about n rows by range probes at random points of the key
// range, one in each of as many equal parts of it, and returns how many
// probes ran.
// covered are the key ranges read, sorted.
func (t *table) probe(ctx context.Context, tx *sql.Tx, rd *dbcommon.Reader, key, list string, n int64) (int, []keySpan, error) {
	k := quote(key)
	var lo, hi sql.NullString
	if err := tx.QueryRowContext(ctx, "SELECT MIN("+k+"), MAX("+k+") FROM "+t.ident()).Scan(&lo, &hi); err != nil {
		return 0, nil, err
	}
	if !lo.Valid || !hi.Valid {
		return 0, nil, nil // empty
	}
	var bl, bh big.Int
	if _, ok := bl.SetString(lo.String, 10); !ok {
		return 0, nil, fmt.Errorf("unexpected key value")
	}
	if _, ok := bh.SetString(hi.String, 10); !ok {
		return 0, nil, fmt.Errorf("unexpected key value")
	}
	k64 := int64(probes)
	if n < k64 {
		k64 = max(n, 1)
	}
	per := (n + k64 - 1) / k64
	seed := dbcommon.Seed(t.loc.String())
	rng := rand.New(rand.NewPCG(seed, seed>>32|seed<<32))
	// One point at random in each k64-th of the key range (stratified),
	// so that the probes reach both ends of it, where points drawn from
	// the whole range could all miss a quarter of it.
	width := new(big.Int).Sub(&bh, &bl)
	width.Add(width, big.NewInt(1)) // the keys lo..hi
	points := make([]*big.Int, k64)
	var a, b, sw big.Int
	for i := range points {
		a.Div(a.Mul(width, big.NewInt(int64(i))), big.NewInt(k64))
		b.Div(b.Mul(width, big.NewInt(int64(i)+1)), big.NewInt(k64))
		sw.Sub(&b, &a) // the stratum's width: 0 when there are fewer keys than probes
		var off uint64
		switch {
		case sw.Sign() == 0:
		case sw.IsUint64():
			off = rng.Uint64N(sw.Uint64())
		default:
			off = rng.Uint64() // a stratum of 2^64 keys
		}
		points[i] = new(big.Int).Add(&bl, &a)
		points[i].Add(points[i], new(big.Int).SetUint64(off))
	}
	slices.SortFunc(points, func(a, b *big.Int) int { return a.Cmp(b) })
	var (
		next    *big.Int // smallest key not yet read
		covered []keySpan
		total   int64
		done    int
	)
	// read delivers up to want rows with keys >= start (and < below,
	// when set) and moves next past them.
	read := func(start, below *big.Int, want int64) (int64, error) {
		got, _, last, err := t.readRowsKey(ctx, tx, rd, t.keyRange(k, list, start, below, want), -1, 1)
		done++
		total += got
		if err != nil {
			return got, err
		}
		if got < want {
			// Everything from start up to below (or the end) is read.
			covered = append(covered, keySpan{start, below})
			if got == 0 {
				return 0, nil
			}
		}
		var lb big.Int
		if _, ok := lb.SetString(last, 10); !ok {
			return got, fmt.Errorf("unexpected key value")
		}
		next = new(big.Int).Add(&lb, big.NewInt(1))
		if got == want {
			covered = append(covered, keySpan{start, next})
		}
		return got, nil
	}
	for i, p := range points {
		if total >= n {
			break
		}
		start := p
		if next != nil && next.Cmp(start) > 0 {
			start = next
		}
		if start.Cmp(&bh) > 0 {
			break
		}
		// Spread what earlier probes could not read over the rest.
		left := int64(len(points) - i)
		if _, err := read(start, nil, min(per*2, (n-total+left-1)/left)); err != nil {
			return done, covered, err
		}
	}
	// The probes may fall short (they ran out of rows near the end of the
	// key range, or their per-probe caps left gaps): fill from the gaps
	// between what was read, in key order, so that a table with at least n
	// rows always yields n, and no row twice.
	slices.SortFunc(covered, func(a, b keySpan) int { return a.lo.Cmp(b.lo) })
	_, err := walkGaps(covered, new(big.Int).Set(&bl), func(lo, hi *big.Int) (bool, error) {
		if total >= n || hi == nil && lo.Cmp(&bh) > 0 {
			return false, nil
		}
		_, err := read(lo, hi, n-total)
		return true, err
	})
	slices.SortFunc(covered, func(a, b keySpan) int { return a.lo.Cmp(b.lo) })
	return done, covered, err
}

// staleCount bounds the rows counted for a table whose catalog estimate is
// at most the sample but which holds more: this many samples' worth.
const staleCount = 20

// countUpTo counts the rows of from, up to limit.
func (t *table) countUpTo(ctx context.Context, tx *sql.Tx, from string, limit int64) (int64, error) {
	var count int64
	err := tx.QueryRowContext(ctx, "SELECT COUNT(*) FROM (SELECT 1 FROM "+from+" LIMIT "+strconv.FormatInt(limit, 10)+") s").Scan(&count)
	return count, err
}
