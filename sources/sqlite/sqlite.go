// Package sqlite reads SQLite database files, as a target
// ("sqlite:data/app.db") and, through the files reader, wherever one is
// found by its magic bytes ("SQLite format 3\0", any extension): in a
// directory tree, inside an archive, on a file share.
//
// A database is opened read-only and immutable from an io.ReaderAt through
// the readervfs VFS of github.com/ncruces/go-sqlite3 (pure Go): SQLite never
// writes, locks or creates anything next to the file (no -journal, -wal or
// -shm), so changes still in a write-ahead log that has not been
// checkpointed are not seen. A file on disk or on a share is read in place;
// a database inside a compressed archive or a deflated zip member is copied
// to memory (up to 16 MiB) or an unlinked temporary file first, at most
// MaxArchiveBytes.
//
// Tables (and views with Options.Views) are read like those of the other
// database sources, through package dbcommon: a location per column,
// Location{Path: "data/app.db!customers", Field: "epost", Table: true}
// ("file:data/app.db!customers.epost"), the same whether the file is a
// target or found in a tree; inside an archive the path has its members
// ("backup.zip!app.db!customers"). Options.Tables and ExcludeTables match
// "main.customers". Columns are classified by their declared type's
// affinity (INT → wide integer, TEXT/CHAR/CLOB or none → text, JSON →
// JSON, BLOB → binary, REAL/DATE/BOOL → not scanned by value); integer
// values of ten digits get their leading zero back. Up to SampleRows rows
// are read per table, as 100 rowid-range probes spread over the table
// when it is larger (method "rowid-range probes"), the first rows of a
// WITHOUT ROWID table ("limit"), or every row with Options.Full ("full").
package sqlite

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"io"
	"log/slog"
	"math"
	"net/url"
	"os"
	"path/filepath"
	"strings"

	"github.com/ncruces/go-sqlite3"
	"github.com/ncruces/go-sqlite3/util/ioutil"
	"github.com/ncruces/go-sqlite3/vfs/readervfs"

	"github.com/piimap/piimap/sources"
	"github.com/piimap/piimap/sources/dbcommon"
	"github.com/piimap/piimap/sources/files"
)

// Scheme prefixes a SQLite target: "sqlite:data/app.db".
const Scheme = "sqlite:"

// probes is how many rowid ranges a sampled table is read in.
const probes = 100

// db is a registered database image that connections open.
type db struct {
	name string // readervfs name
}

// register makes ra (size bytes) openable as an immutable database.
func register(ra io.ReaderAt, size int64) (*db, error) {
	var b [12]byte
	if _, err := rand.Read(b[:]); err != nil {
		return nil, err
	}
	d := &db{name: "piimap-" + hex.EncodeToString(b[:]) + ".db"}
	readervfs.Create(d.name, ioutil.NewSizeReaderAt(io.NewSectionReader(ra, 0, size)))
	return d, nil
}

func (d *db) close() { readervfs.Delete(d.name) }

// conn opens a read-only connection whose statements stop when ctx ends.
func (d *db) conn(ctx context.Context) (*sqlite3.Conn, error) {
	c, err := sqlite3.OpenFlags("file:"+url.PathEscape(d.name)+"?vfs=reader&immutable=1",
		sqlite3.OPEN_READONLY|sqlite3.OPEN_URI|sqlite3.OPEN_EXRESCODE)
	if err != nil {
		return nil, fmt.Errorf("open database: %w", err)
	}
	c.SetInterrupt(ctx)
	if err := c.Exec("PRAGMA query_only = 1; PRAGMA temp_store = memory;"); err != nil {
		_ = c.Close()
		return nil, fmt.Errorf("open database: %w", err)
	}
	return c, nil
}

// table is a table or view to read.
type table struct {
	name string
	view bool
}

// listTables lists the tables (and views) selected by opt; virtual tables
// are returned separately, to be reported as skipped.
func listTables(c *sqlite3.Conn, opt sources.Options, f dbcommon.Filter) (tables []table, virtual []string, err error) {
	st, _, err := c.Prepare(`SELECT name, type, coalesce(sql, '') FROM sqlite_schema
		WHERE type IN ('table', 'view') AND name NOT LIKE 'sqlite\_%' ESCAPE '\' ORDER BY name`)
	if err != nil {
		return nil, nil, fmt.Errorf("list tables: %w", err)
	}
	defer func() { _ = st.Close() }()
	for st.Step() {
		name, typ, sql := st.ColumnText(0), st.ColumnText(1), st.ColumnText(2)
		if !f.Match("main." + name) {
			continue
		}
		switch {
		case typ == "view" && !opt.Views:
		case strings.HasPrefix(strings.ToUpper(strings.TrimSpace(sql)), "CREATE VIRTUAL"):
			virtual = append(virtual, name)
		default:
			tables = append(tables, table{name: name, view: typ == "view"})
		}
	}
	if err := st.Err(); err != nil {
		return nil, nil, fmt.Errorf("list tables: %w", err)
	}
	return tables, virtual, nil
}

// quote quotes an identifier.
func quote(name string) string { return `"` + strings.ReplaceAll(name, `"`, `""`) + `"` }

// classify maps a declared type to a column class by SQLite's affinity
// rules (https://sqlite.org/datatype3.html#determination_of_column_affinity).
func classify(decl string) dbcommon.Class {
	d := strings.ToUpper(decl)
	has := func(s ...string) bool {
		for _, x := range s {
			if strings.Contains(d, x) {
				return true
			}
		}
		return false
	}
	switch {
	case has("INT"):
		return dbcommon.WideInt
	case has("JSON"):
		return dbcommon.JSON
	case has("CHAR", "CLOB", "TEXT"), d == "":
		return dbcommon.Text
	case has("BLOB"):
		return dbcommon.Binary
	case has("REAL", "FLOA", "DOUB", "BOOL", "DATE", "TIME"):
		return dbcommon.Skip
	}
	return dbcommon.Text
}

// notNull marks a value that is not NULL but not scanned.
var notNull = []byte{}

// readTable reads one table into sink as dbcommon does for the other
// databases: values as chunks, then columns, table statistics and Scanned.
func readTable(ctx context.Context, c *sqlite3.Conn, loc sources.Location, t table, opt sources.Options, sink sources.Sink) error {
	q := quote(t.name)
	hasRowid := false
	if !t.view {
		if st, _, err := c.Prepare("SELECT _rowid_ FROM " + q + " LIMIT 0"); err == nil {
			hasRowid = true
			_ = st.Close()
		}
	}
	est := int64(-1)
	var lo, hi int64
	if hasRowid {
		st, _, err := c.Prepare("SELECT min(_rowid_), max(_rowid_) FROM " + q)
		if err != nil {
			return fmt.Errorf("table size: %w", err)
		}
		if st.Step() && st.ColumnType(0) != sqlite3.NULL {
			lo, hi = st.ColumnInt64(0), st.ColumnInt64(1)
			est = -1 // a span beyond int64 (or a corrupt file): unknown
			if hi >= lo && uint64(hi-lo) < math.MaxInt64 {
				est = hi - lo + 1
			}
		} else {
			est = 0
		}
		err = st.Err()
		_ = st.Close()
		if err != nil {
			return fmt.Errorf("table size: %w", err)
		}
	}
	want := int64(opt.SampleRows)
	method := "full"
	var sql string
	switch {
	case opt.Full || (est >= 0 && est <= want):
		sql = "SELECT * FROM " + q
	case hasRowid:
		method = "rowid-range probes"
		sql = "SELECT _rowid_, * FROM " + q + " WHERE _rowid_ >= ?1 ORDER BY _rowid_ LIMIT ?2"
	default:
		method = "limit"
		sql = fmt.Sprintf("SELECT * FROM %s LIMIT %d", q, want)
	}
	st, _, err := c.Prepare(sql)
	if err != nil {
		return fmt.Errorf("read: %w", err)
	}
	defer func() { _ = st.Close() }()
	first := 0
	if method == "rowid-range probes" {
		first = 1
	}
	n := st.ColumnCount() - first
	cols := make([]dbcommon.Col, n)
	for i := range n {
		decl := st.ColumnDeclType(i + first)
		cl := classify(decl)
		if cl == dbcommon.WideInt {
			cl = dbcommon.IntegerColumnClass(cl, st.ColumnName(i+first))
		}
		cols[i] = dbcommon.NewCol(loc, st.ColumnName(i+first), decl, cl, opt.Binary)
		if cols[i].Type == "" {
			cols[i].Type = "(none)"
		}
	}
	// The primary key names example rows in the report.
	if !t.view {
		if pk, _, err := c.Prepare("SELECT name FROM pragma_table_info(?1) WHERE pk > 0"); err == nil {
			if pk.BindText(1, t.name) == nil {
				for pk.Step() {
					name := pk.ColumnText(0)
					for i := range cols {
						if cols[i].Name == name {
							cols[i].Key = true
						}
					}
				}
			}
			_ = pk.Close()
		}
	}
	r := dbcommon.NewReader(sink, loc, cols, opt.ChunkSize)
	vals := make([][]byte, n)
	pads := make([]byte, 11*n) // one padding buffer per column
	row := func() error {
		for i := range n {
			j := i + first
			switch st.ColumnType(j) { // before any conversion
			case sqlite3.NULL:
				vals[i] = nil
			case sqlite3.BLOB:
				vals[i] = notNull
				if opt.Binary && cols[i].Scan {
					if b := st.ColumnRawBlob(j); len(b) > 0 {
						vals[i] = b
					}
				}
			case sqlite3.INTEGER:
				if cols[i].Class == dbcommon.WideInt {
					vals[i] = dbcommon.PadWideInt(st.ColumnRawText(j), pads[i*11:i*11:i*11+11])
				} else {
					vals[i] = st.ColumnRawText(j)
				}
			default:
				vals[i] = notNull
				if v := st.ColumnRawText(j); len(v) > 0 {
					vals[i] = v
				}
			}
		}
		return r.Row(ctx, vals)
	}
	if method != "rowid-range probes" {
		for st.Step() {
			if err := row(); err != nil {
				r.Finish(method, est, true)
				return &sinkError{err}
			}
		}
	} else {
		per := max(want/probes, 1)
		step := (uint64(hi-lo)/probes + 1) // no overflow: unsigned span
		next := lo
		for p := uint64(0); p < probes && r.Rows < want; p++ {
			start := max(int64(uint64(lo)+p*step), next)
			if start > hi || (p > 0 && start < lo) {
				break
			}
			if err := st.BindInt64(1, start); err != nil {
				break
			}
			if err := st.BindInt64(2, per); err != nil {
				break
			}
			for st.Step() {
				next = st.ColumnInt64(0) + 1
				if err := row(); err != nil {
					r.Finish(method, est, true)
					return &sinkError{err}
				}
			}
			if st.Err() != nil {
				break
			}
			if err := st.Reset(); err != nil {
				break
			}
		}
	}
	if err := st.Err(); err != nil {
		r.Finish(method, est, true)
		if ctx.Err() != nil {
			return &sinkError{ctx.Err()}
		}
		return fmt.Errorf("read: %w", err)
	}
	if method == "limit" && r.Rows < want {
		// Fewer rows than the limit: that was the whole table.
		method, est = "full", r.Rows
	}
	r.Complete = method == "full"
	r.Finish(method, est, false)
	return nil
}

// sinkError is a context or sink error: it ends the unit.
type sinkError struct{ err error }

func (e *sinkError) Error() string { return e.err.Error() }
func (e *sinkError) Unwrap() error { return e.err }

// readAll reads every selected table of the database registered as d.
// Table failures go to sink.Failed; the error is a context or sink error,
// or one that prevents listing the tables.
func readAll(ctx context.Context, d *db, base sources.Location, opt sources.Options, sink sources.Sink) error {
	f, err := dbcommon.NewFilter(opt)
	if err != nil {
		return err
	}
	c, err := d.conn(ctx)
	if err != nil {
		return err
	}
	defer func() { _ = c.Close() }()
	tables, virtual, err := listTables(c, opt, f)
	if err != nil {
		return err
	}
	for _, v := range virtual {
		sink.Skipped(tableLoc(base, v), "virtual table")
	}
	for _, t := range tables {
		if err := readOne(ctx, c, base, t, opt, sink); err != nil {
			return err
		}
	}
	return nil
}

// readOne reads one table, reporting its failure; it returns only context
// and sink errors.
func readOne(ctx context.Context, c *sqlite3.Conn, base sources.Location, t table, opt sources.Options, sink sources.Sink) error {
	loc := tableLoc(base, t.name)
	if err := readTable(ctx, c, loc, t, opt, sink); err != nil {
		if se, ok := err.(*sinkError); ok {
			return se.err
		}
		if ctx.Err() != nil {
			return ctx.Err()
		}
		sink.Failed(loc, fmt.Errorf("read %s: %w", loc.Path, err))
	}
	return nil
}

// tableLoc is the location of a table of the database at base.
func tableLoc(base sources.Location, name string) sources.Location {
	base.Path += "!" + name
	base.Field = ""
	base.Table = true
	return base
}

// ReadFormat is the files.FormatReader for SQLite content.
func ReadFormat(ctx context.Context, f *files.Format, rd *files.Reader, sink sources.Sink) error {
	opt := dbcommon.Normalize(rd.Options())
	ra, size, release, err := f.RandomAccess(rd)
	if err != nil {
		return err
	}
	defer release()
	d, err := register(ra, size)
	if err != nil {
		return err
	}
	defer d.close()
	return readAll(ctx, d, f.Loc, opt, sink)
}

// Source reads a SQLite file given as a target: one unit per table.
type Source struct {
	path string // as given, slash-separated
	file *os.File
	db   *db
	opt  sources.Options
	log  *slog.Logger
}

// New opens the SQLite file named by target ("sqlite:data/app.db",
// "sqlite:///abs/app.db" or a plain path) read-only.
func New(ctx context.Context, target string, opt sources.Options, log *slog.Logger) (sources.Source, error) {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	p := strings.TrimPrefix(target, Scheme)
	p = strings.TrimPrefix(p, "//")
	if p == "" {
		return nil, fmt.Errorf("%s: no file named", target)
	}
	f, err := os.Open(p)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", target, err)
	}
	fi, err := f.Stat()
	if err != nil || !fi.Mode().IsRegular() {
		_ = f.Close()
		if err == nil {
			err = fmt.Errorf("not a regular file")
		}
		return nil, fmt.Errorf("%s: %w", target, err)
	}
	var head [16]byte
	if _, err := f.ReadAt(head[:], 0); err != nil || files.SniffKind(head[:]) != files.KindSQLite {
		_ = f.Close()
		return nil, fmt.Errorf("%s: not a SQLite database", target)
	}
	d, err := register(f, fi.Size())
	if err != nil {
		_ = f.Close()
		return nil, err
	}
	return &Source{path: filepath.ToSlash(filepath.Clean(p)), file: f, db: d, opt: dbcommon.Normalize(opt), log: log}, nil
}

// Close releases the file.
func (s *Source) Close() error {
	s.db.close()
	return s.file.Close()
}

// Units yields one unit per selected table; virtual tables are yielded as
// units that report themselves skipped.
func (s *Source) Units(ctx context.Context, yield func(sources.Unit) bool) error {
	f, err := dbcommon.NewFilter(s.opt)
	if err != nil {
		return err
	}
	c, err := s.db.conn(ctx)
	if err != nil {
		return fmt.Errorf("%s: %w", s.path, err)
	}
	tables, virtual, err := listTables(c, s.opt, f)
	_ = c.Close()
	if err != nil {
		return fmt.Errorf("%s: %w", s.path, err)
	}
	base := sources.Location{Path: s.path}
	for _, v := range virtual {
		if !yield(&skipUnit{loc: tableLoc(base, v), reason: "virtual table"}) {
			return nil
		}
	}
	for _, t := range tables {
		if !yield(&tableUnit{s: s, t: t, loc: tableLoc(base, t.name)}) {
			return nil
		}
	}
	return nil
}

type tableUnit struct {
	s   *Source
	t   table
	loc sources.Location
}

func (u *tableUnit) Location() sources.Location { return u.loc }
func (u *tableUnit) Size() int64                { return -1 }
func (u *tableUnit) Read(ctx context.Context, sink sources.Sink) error {
	c, err := u.s.db.conn(ctx)
	if err != nil {
		sink.Failed(u.loc, fmt.Errorf("read %s: %w", u.loc.Path, err))
		return nil
	}
	defer func() { _ = c.Close() }()
	return readOne(ctx, c, sources.Location{Path: u.s.path}, u.t, u.s.opt, sink)
}

type skipUnit struct {
	loc    sources.Location
	reason string
}

func (u *skipUnit) Location() sources.Location { return u.loc }
func (u *skipUnit) Size() int64                { return 0 }
func (u *skipUnit) Read(_ context.Context, sink sources.Sink) error {
	sink.Skipped(u.loc, u.reason)
	return nil
}
