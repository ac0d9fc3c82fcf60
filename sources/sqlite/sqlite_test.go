package sqlite

import (
	"bytes"
	"context"
	"crypto/sha256"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/klauspost/compress/gzip"

	"github.com/piimap/piimap/internal/docfixtures"
	"github.com/piimap/piimap/sources"
	"github.com/piimap/piimap/sources/dbcommon"
	"github.com/piimap/piimap/sources/files"
)

type recSink struct {
	mu       sync.Mutex
	values   map[string][]string // path#field -> values
	rows     map[string][]int64
	keys     map[string][]string // path#field -> row keys
	columns  map[string]sources.Column
	tables   map[string]sources.Table
	failed   map[string]string
	skipped  map[string]string
	scanned  map[string]int64
	notTable int // chunks whose location is not a table's
}

func newSink() *recSink {
	return &recSink{values: map[string][]string{}, rows: map[string][]int64{}, keys: map[string][]string{}, columns: map[string]sources.Column{},
		tables: map[string]sources.Table{}, failed: map[string]string{}, skipped: map[string]string{}, scanned: map[string]int64{}}
}

func key(l sources.Location) string { return l.Path + "#" + l.Field }

func (s *recSink) Text(_ context.Context, c *sources.Chunk) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if !c.Loc.Table {
		s.notTable++
	}
	s.values[key(c.Loc)] = append(s.values[key(c.Loc)], string(c.Data))
	s.rows[key(c.Loc)] = append(s.rows[key(c.Loc)], c.Row)
	s.keys[key(c.Loc)] = append(s.keys[key(c.Loc)], string(c.RowKey))
	return nil
}
func (s *recSink) Column(c sources.Column) { s.mu.Lock(); s.columns[key(c.Loc)] = c; s.mu.Unlock() }
func (s *recSink) Table(t sources.Table)   { s.mu.Lock(); s.tables[t.Loc.Path] = t; s.mu.Unlock() }
func (s *recSink) Failed(loc sources.Location, err error) {
	s.mu.Lock()
	s.failed[loc.Path] = err.Error()
	s.mu.Unlock()
}
func (s *recSink) Skipped(loc sources.Location, r string) {
	s.mu.Lock()
	s.skipped[loc.Path] = r
	s.mu.Unlock()
}
func (s *recSink) Scanned(loc sources.Location, _, rows int64) {
	s.mu.Lock()
	s.scanned[loc.Path] = rows
	s.mu.Unlock()
}

// makeDB writes a database with a customers table, a large table, a
// WITHOUT ROWID table and a view.
func makeDB(t testing.TB, dir string) string {
	t.Helper()
	p := filepath.Join(dir, "app.sqlite")
	stmts := []string{
		`CREATE TABLE customers (id INTEGER PRIMARY KEY, navn TEXT, epost VARCHAR(80), fnr_tall INTEGER, bilde BLOB, saldo REAL, data JSON, "merkelig ""navn""")`,
		`INSERT INTO customers VALUES (1, 'Kari', 'kari@firma.no', 1019012345, x'6b617269406669726d612e6e6f', 1.5, '{"e":"a@b.no"}', 'x')`,
		`INSERT INTO customers VALUES (2, NULL, '', 12345678901, NULL, NULL, NULL, NULL)`,
		`CREATE TABLE big (id INTEGER PRIMARY KEY, v TEXT)`,
		`WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i+1 FROM n WHERE i < 12000) INSERT INTO big SELECT i, 'v' || i FROM n`,
		`CREATE TABLE kv (k TEXT PRIMARY KEY, v TEXT) WITHOUT ROWID`,
		`WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i+1 FROM n WHERE i < 3000) INSERT INTO kv SELECT 'k' || i, 'v' || i FROM n`,
		`CREATE VIEW kunder AS SELECT navn, epost FROM customers`,
	}
	if err := docfixtures.SQLite(p, stmts...); err != nil {
		t.Fatal(err)
	}
	return p
}

func hashDir(t testing.TB, dir string) string {
	h := sha256.New()
	ents, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range ents {
		b, _ := os.ReadFile(filepath.Join(dir, e.Name()))
		fi, _ := e.Info()
		fmt.Fprintf(h, "%s %v %d\n", e.Name(), fi.ModTime(), len(b))
		h.Write(b)
	}
	return fmt.Sprintf("%x", h.Sum(nil))
}

// readTarget reads every unit of a sqlite: target.
func readTarget(t testing.TB, target string, opt sources.Options) (*recSink, []string) {
	t.Helper()
	ctx := context.Background()
	src, err := New(ctx, target, opt, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = src.Close() }()
	var units []sources.Unit
	if err := src.Units(ctx, func(u sources.Unit) bool { units = append(units, u); return true }); err != nil {
		t.Fatal(err)
	}
	sink := newSink()
	var names []string
	var wg sync.WaitGroup
	for _, u := range units {
		names = append(names, u.Location().String())
		wg.Add(1)
		go func() { // units are read concurrently by the scanner
			defer wg.Done()
			if err := u.Read(ctx, sink); err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	return sink, names
}

func TestTarget(t *testing.T) {
	dir := t.TempDir()
	p := makeDB(t, dir)
	before := hashDir(t, dir)
	rel := filepath.ToSlash(p)
	sink, units := readTarget(t, Scheme+p, sources.Options{})
	if hashDir(t, dir) != before {
		t.Error("reading changed the directory (file modified or journal created)")
	}
	wantUnits := []string{"file:" + rel + "!big", "file:" + rel + "!customers", "file:" + rel + "!kv"}
	if !slices.Equal(units, wantUnits) {
		t.Errorf("units %v", units)
	}
	cust := rel + "!customers#"
	for field, want := range map[string][]string{
		"navn":            {"Kari"},
		"epost":           {"kari@firma.no"},
		"fnr_tall":        {"01019012345", "12345678901"},
		"data":            {`{"e":"a@b.no"}`},
		`merkelig "navn"`: {"x"},
	} {
		if got := sink.values[cust+field]; !slices.Equal(got, want) {
			t.Errorf("%s: %q, want %q", field, got, want)
		}
	}
	if _, ok := sink.values[cust+"bilde"]; ok {
		t.Error("blob column scanned without --binary")
	}
	if _, ok := sink.values[cust+"saldo"]; ok {
		t.Error("real column scanned by value")
	}
	if c := sink.columns[cust+"saldo"]; c.NonNull != 1 || c.Rows != 2 || c.Type != "REAL" {
		t.Errorf("saldo column %+v", c)
	}
	if c := sink.columns[cust+"epost"]; c.NonNull != 1 || c.Type != "VARCHAR(80)" {
		t.Errorf("epost column %+v", c)
	}
	if tb := sink.tables[rel+"!customers"]; tb.Method != "full" || tb.Rows != 2 || tb.Estimated != 2 {
		t.Errorf("customers table %+v", tb)
	}
	// Sampling: the big table is read in rowid ranges spread over it.
	tb := sink.tables[rel+"!big"]
	if tb.Method != "rowid-range probes" || tb.Estimated != 12000 || tb.Rows != int64(dbcommon.Normalize(sources.Options{}).SampleRows) {
		t.Errorf("big table %+v", tb)
	}
	ids := map[string]bool{}
	var maxID int
	for _, v := range sink.values[rel+"!big#v"] {
		if ids[v] {
			t.Fatalf("row %s read twice", v)
		}
		ids[v] = true
		n, _ := strconv.Atoi(strings.TrimPrefix(v, "v"))
		maxID = max(maxID, n)
	}
	if maxID < 11500 {
		t.Errorf("sample does not reach the end of the table: max id %d", maxID)
	}
	if tb := sink.tables[rel+"!kv"]; tb.Method != "full" || tb.Rows != 3000 {
		t.Errorf("kv table %+v", tb)
	}
	if len(sink.failed) != 0 || sink.notTable != 0 {
		t.Errorf("failed %v; %d chunks not located in a table", sink.failed, sink.notTable)
	}
	if sink.scanned[rel+"!customers"] != 2 {
		t.Errorf("scanned %v", sink.scanned)
	}
}

func TestOptions(t *testing.T) {
	p := makeDB(t, t.TempDir())
	rel := filepath.ToSlash(p)
	// Views, table filters, full reads, small samples, binary.
	sink, units := readTarget(t, Scheme+p, sources.Options{Views: true, Tables: []string{"main.k*", "main.big"}, Full: true})
	if len(units) != 3 || !strings.HasSuffix(units[2], "!kv") || !strings.HasSuffix(units[1], "!kunder") {
		t.Errorf("units %v", units)
	}
	if tb := sink.tables[rel+"!big"]; tb.Method != "full" || tb.Rows != 12000 {
		t.Errorf("full: %+v", tb)
	}
	if got := sink.values[rel+"!kunder#epost"]; !slices.Equal(got, []string{"kari@firma.no"}) {
		t.Errorf("view values %v", got)
	}
	sink, _ = readTarget(t, Scheme+p, sources.Options{SampleRows: 50, ExcludeTables: []string{"main.big"}, Binary: true})
	if tb := sink.tables[rel+"!kv"]; tb.Method != "limit" || tb.Rows != 50 || tb.Estimated != -1 {
		t.Errorf("kv sample %+v", tb)
	}
	if _, ok := sink.tables[rel+"!big"]; ok {
		t.Error("excluded table read")
	}
	if got := sink.values[rel+"!customers#bilde"]; !slices.Equal(got, []string{"kari@firma.no"}) {
		t.Errorf("binary: %q", got)
	}
}

// TestFormatReader reads a database found in a tree, in a stored zip
// member (in place) and in a tar.gz (spooled).
func TestFormatReader(t *testing.T) {
	p := makeDB(t, t.TempDir())
	db, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	rd := files.NewReader(sources.Options{}, nil, files.WithFormat(files.KindSQLite, ReadFormat))
	for name, data := range map[string][]byte{
		"data.bin":     db,
		"data.bin.gz":  gz(t, db),
		"short.sqlite": db[:4096],
	} {
		sink := newSink()
		if err := rd.ReadReaderAt(context.Background(), bytes.NewReader(data), int64(len(data)), sources.Location{Path: name}, sink); err != nil {
			t.Fatal(err)
		}
		if name == "short.sqlite" {
			if len(sink.failed) == 0 {
				t.Errorf("truncated database: no failure (%v)", sink.tables)
			}
			continue
		}
		if got := sink.values[name+"!customers#epost"]; !slices.Equal(got, []string{"kari@firma.no"}) {
			t.Errorf("%s: %v failed %v", name, got, sink.failed)
		}
		if len(sink.tables) != 3 {
			t.Errorf("%s: tables %v", name, sink.tables)
		}
	}
}

func gz(t testing.TB, b []byte) []byte {
	var buf bytes.Buffer
	w := gzip.NewWriter(&buf)
	if _, err := w.Write(b); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestNotADatabase(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "x.db")
	if err := os.WriteFile(p, []byte("just text"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, target := range []string{Scheme + p, Scheme + filepath.Join(dir, "missing.db"), Scheme} {
		if _, err := New(context.Background(), target, sources.Options{}, nil); err == nil {
			t.Errorf("%s opened", target)
		}
	}
}

func TestClassify(t *testing.T) {
	for decl, want := range map[string]dbcommon.Class{
		"INTEGER": dbcommon.WideInt, "bigint": dbcommon.WideInt, "TEXT": dbcommon.Text, "VARCHAR(20)": dbcommon.Text,
		"": dbcommon.Text, "BLOB": dbcommon.Binary, "REAL": dbcommon.Skip, "DATETIME": dbcommon.Skip, "JSON": dbcommon.JSON,
		"NUMERIC": dbcommon.Text, "BOOLEAN": dbcommon.Skip,
	} {
		if got := classify(decl); got != want {
			t.Errorf("classify(%q) = %v, want %v", decl, got, want)
		}
	}
}

func FuzzDatabaseFile(f *testing.F) {
	dir := f.TempDir()
	p := filepath.Join(dir, "f.db")
	if err := docfixtures.SQLite(p, `CREATE TABLE t (a TEXT, b INTEGER)`, `INSERT INTO t VALUES ('kari@firma.no', 1019012345)`); err != nil {
		f.Fatal(err)
	}
	db, _ := os.ReadFile(p)
	f.Add(db, uint16(100), byte(0xff))
	f.Add(db, uint16(4000), byte(0x00))
	f.Fuzz(func(t *testing.T, db []byte, at uint16, b byte) {
		db = bytes.Clone(db)
		if int(at) < len(db) {
			db[at] = b
		}
		rd := files.NewReader(sources.Options{}, nil, files.WithFormat(files.KindSQLite, ReadFormat))
		_ = rd.ReadReaderAt(context.Background(), bytes.NewReader(db), int64(len(db)), sources.Location{Path: "f.db"}, newSink())
	})
}

// TestRowKeys: chunks carry the primary key of their row, also of a
// WITHOUT ROWID table.
func TestRowKeys(t *testing.T) {
	p := makeDB(t, t.TempDir())
	sink, _ := readTarget(t, Scheme+p, sources.Options{Full: true})
	keys := func(suffix string) []string {
		for k, v := range sink.keys {
			if strings.HasSuffix(k, suffix) {
				return v
			}
		}
		return nil
	}
	if got := keys("!customers#navn"); len(got) != 1 || got[0] != "id=1" {
		t.Errorf("customers navn keys %q", got)
	}
	if got := keys("!kv#v"); len(got) != 3000 || got[0] != "k=k1" {
		t.Errorf("kv keys: %d %q", len(got), got[:min(len(got), 2)])
	}
}
