package dbcommon

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/piimap/piimap/sources"
)

func TestNormalize(t *testing.T) {
	o := Normalize(sources.Options{})
	if o.SampleRows != sources.DefaultSampleRows || o.Timeout != DefaultTimeout || o.DBConnections != 2 || o.ChunkSize != sources.DefaultChunkSize {
		t.Errorf("defaults: %+v", o)
	}
	o = Normalize(sources.Options{SampleRows: 5, Timeout: time.Second, DBConnections: 7, ChunkSize: 10})
	if o.SampleRows != 5 || o.Timeout != time.Second || o.DBConnections != 7 || o.ChunkSize != 10 {
		t.Errorf("kept: %+v", o)
	}
}

func TestTarget(t *testing.T) {
	for _, c := range []struct {
		scheme, host string
		port         int
		db, want     string
	}{
		{"postgres", "db.example", 5432, "shop", "postgres://db.example:5432/shop"},
		{"postgres", "/var/run/postgresql", 5432, "shop", "postgres://localhost:5432/shop"},
		{"mysql", "::1", 3306, "", "mysql://[::1]:3306"},
		{"mariadb", "", 3307, "x", "mariadb://localhost:3307/x"},
	} {
		if got := Target(c.scheme, c.host, c.port, c.db); got != c.want {
			t.Errorf("Target(%q, %q, %d, %q) = %q, want %q", c.scheme, c.host, c.port, c.db, got, c.want)
		}
	}
}

func TestScrub(t *testing.T) {
	base := errors.New("dial failed")
	if got := Scrub(base, "s3cret"); got != base {
		t.Error("an error without the secret must be kept as is (errors.Is)")
	}
	wrapped := fmt.Errorf("connect user=a password=s3cret: %w", base)
	got := Scrub(wrapped, "", "s3cret")
	if strings.Contains(got.Error(), "s3cret") || !strings.Contains(got.Error(), "password=***") {
		t.Errorf("Scrub = %q", got)
	}
	if errors.Unwrap(got) != nil {
		t.Error("a scrubbed error must not unwrap to the original")
	}
	if Scrub(nil, "x") != nil {
		t.Error("Scrub(nil) != nil")
	}
}

func TestPadWideInt(t *testing.T) {
	var buf [11]byte
	for in, want := range map[string]string{
		"1019012345":   "01019012345",
		"12345678901":  "12345678901",
		"123456789":    "123456789",
		"-101901234":   "-101901234",
		"10190123.5":   "10190123.5",
		"":             "",
		"123456789012": "123456789012",
	} {
		if got := string(PadWideInt([]byte(in), buf[:0])); got != want {
			t.Errorf("PadWideInt(%q) = %q, want %q", in, got, want)
		}
	}
	if n := testing.AllocsPerRun(100, func() { PadWideInt([]byte("1019012345"), buf[:0]) }); n > 0 {
		t.Errorf("PadWideInt allocates %v times", n)
	}
}

func TestNumericWide(t *testing.T) {
	for _, c := range []struct {
		p, s int
		want bool
	}{{-1, 0, true}, {10, 0, true}, {11, 0, true}, {12, 2, true}, {12, 3, false}, {9, 0, false}, {8, 2, false}} {
		if got := NumericWide(c.p, c.s); got != c.want {
			t.Errorf("NumericWide(%d, %d) = %v", c.p, c.s, got)
		}
	}
}

func TestSamplePercent(t *testing.T) {
	for _, c := range []struct {
		want, est int64
		margin    float64
		p         string
	}{
		{10000, 1000000, 1.5, "1.5"},
		{10000, 20000, 1.2, "60"},
		{10000, 5000, 1.2, "100"},
		{10000, -1, 1.5, "100"},
		{10, 1e12, 1, "0.0001"},
	} {
		if got := FormatPercent(SamplePercent(c.want, c.est, c.margin)); got != c.p {
			t.Errorf("SamplePercent(%d, %d, %v) = %s, want %s", c.want, c.est, c.margin, got, c.p)
		}
	}
	if a, b, a2 := Seed("a"), Seed("b"), Seed(string([]byte{'a'})); a == b || a != a2 {
		t.Error("Seed is not a deterministic function of the location")
	}
}

func TestFilter(t *testing.T) {
	f, err := NewFilter(sources.Options{Tables: []string{"public.*", "crm.kunder"}, ExcludeTables: []string{"*.audit_*"}})
	if err != nil {
		t.Fatal(err)
	}
	for name, want := range map[string]bool{
		"public.customers": true, "crm.kunder": true, "crm.other": false,
		"public.audit_log": false, "public.x/y": false,
	} {
		if got := f.Match(name); got != want {
			t.Errorf("Match(%q) = %v", name, got)
		}
	}
	all, _ := NewFilter(sources.Options{})
	if !all.Match("any.thing") {
		t.Error("no globs must select everything")
	}
	if _, err := NewFilter(sources.Options{ExcludeTables: []string{"[a"}}); err == nil || !strings.Contains(err.Error(), "--exclude-tables") {
		t.Errorf("bad glob: %v", err)
	}
}

// sink records chunks and statistics.
type sink struct {
	chunks  []sources.Chunk
	data    []string
	columns []sources.Column
	tables  []sources.Table
	scanned int64
	failErr error
}

func (s *sink) Text(_ context.Context, c *sources.Chunk) error {
	s.chunks = append(s.chunks, *c)
	s.data = append(s.data, string(c.Data))
	return s.failErr
}
func (s *sink) Column(c sources.Column)                   { s.columns = append(s.columns, c) }
func (s *sink) Table(t sources.Table)                     { s.tables = append(s.tables, t) }
func (s *sink) Failed(sources.Location, error)            {}
func (s *sink) Skipped(sources.Location, string)          {}
func (s *sink) Scanned(_ sources.Location, _, rows int64) { s.scanned = rows }

func TestReader(t *testing.T) {
	tbl := sources.Location{Target: "postgres://h:5432/d", Path: "public.t", Table: true}
	cols := []Col{
		NewCol(tbl, "fnr", "bigint", WideInt, false),
		NewCol(tbl, "doc", "jsonb", JSON, false),
		NewCol(tbl, "fodt", "date", Skip, false),
		NewCol(tbl, "blob", "bytea", Binary, false),
		NewCol(tbl, "note", "text", Text, false),
	}
	s := &sink{}
	r := NewReader(s, tbl, cols, 0)
	ctx := context.Background()
	rows := [][][]byte{
		{[]byte("1019012345"), []byte("{\n \"a\": \"x\"\n}"), []byte("1"), []byte("1"), []byte("hei")},
		{nil, nil, nil, nil, []byte("")},
		{[]byte("12345678901"), []byte(`{"b":1}`), nil, []byte("1"), nil},
	}
	for _, row := range rows {
		if err := r.Row(ctx, row); err != nil {
			t.Fatal(err)
		}
	}
	r.Finish("whole table", 3, false)
	want := []string{"01019012345", `{  "a": "x" }`, "hei", "12345678901", `{"b":1}`}
	if fmt.Sprint(s.data) != fmt.Sprint(want) {
		t.Errorf("values %q, want %q", s.data, want)
	}
	if !s.chunks[1].JSON || s.chunks[0].JSON || s.chunks[1].Loc.Field != "doc" || s.chunks[3].Row != 3 || s.chunks[0].Row != 1 {
		t.Errorf("chunks %+v", s.chunks)
	}
	nonNull := map[string]int64{"fnr": 2, "doc": 2, "fodt": 1, "blob": 2, "note": 1}
	if len(s.columns) != 5 {
		t.Fatalf("columns %+v", s.columns)
	}
	for _, c := range s.columns {
		if c.Rows != 3 || c.NonNull != nonNull[c.Loc.Field] || !c.Loc.Table || c.Loc.Path != "public.t" {
			t.Errorf("column %+v, want nonnull %d", c, nonNull[c.Loc.Field])
		}
	}
	if len(s.tables) != 1 || s.tables[0].Rows != 3 || s.tables[0].Method != "whole table" || s.scanned != 3 {
		t.Errorf("tables %+v scanned %d", s.tables, s.scanned)
	}
	// A failed table is not reported as scanned; the sink's error stops
	// the read.
	s2 := &sink{failErr: errors.New("stop")}
	r2 := NewReader(s2, tbl, cols[4:], 0)
	if err := r2.Row(ctx, [][]byte{[]byte("x")}); err == nil {
		t.Error("sink error not returned")
	}
	r2.Finish("failed", -1, true)
	if s2.scanned != 0 || len(s2.tables) != 1 {
		t.Errorf("failed table: %+v scanned %d", s2.tables, s2.scanned)
	}
}

// TestReaderSplitsLongValues checks that a value longer than a chunk is
// split so that every offset is owned by exactly one chunk and every chunk
// carries the overlap around its own part.
func TestReaderSplitsLongValues(t *testing.T) {
	tbl := sources.Location{Target: "x", Path: "s.t", Table: true}
	for _, size := range []int{1, 100, 2048, 2049, 5000, 10240} {
		val := make([]byte, size)
		for i := range val {
			val[i] = byte('a' + i%26)
		}
		checkSplit(t, tbl, val, 2048)
	}
}

func checkSplit(t *testing.T, tbl sources.Location, val []byte, chunk int) {
	t.Helper()
	s := &sink{}
	// JSON without newlines: delivered unchanged, and split pieces lose
	// the JSON mark.
	r := NewReader(s, tbl, []Col{NewCol(tbl, "c", "json", JSON, false)}, chunk)
	val = bytes.ReplaceAll(bytes.ReplaceAll(val, []byte("\n"), []byte("_")), []byte("\r"), []byte("_"))
	if err := r.Row(context.Background(), [][]byte{val}); err != nil {
		t.Fatal(err)
	}
	owned := make([]int, len(val))
	pos := 0 // offset of the current chunk's Data in val
	for i, c := range s.chunks {
		limit := c.Limit
		if limit == 0 {
			limit = len(c.Data)
		}
		start := pos
		if !bytes.Equal(val[start:start+len(c.Data)], c.Data) {
			t.Fatalf("chunk %d is not a slice of the value", i)
		}
		for o := start + c.Skip; o < start+limit; o++ {
			owned[o]++
		}
		if len(s.chunks) > 1 && c.JSON {
			t.Error("a split JSON value is still marked JSON")
		}
		if i+1 < len(s.chunks) {
			next := s.chunks[i+1]
			pos = start + limit - next.Skip
			if limit-c.Skip != chunk || len(c.Data)-limit < min(sources.Overlap, len(val)-start-limit) {
				t.Errorf("chunk %d: skip %d limit %d len %d", i, c.Skip, limit, len(c.Data))
			}
		}
	}
	for o, n := range owned {
		if n != 1 {
			t.Fatalf("size %d: offset %d owned by %d chunks", len(val), o, n)
		}
	}
}

func FuzzReaderSplit(f *testing.F) {
	f.Add([]byte("kari@firma.no"), uint16(4))
	f.Add(bytes.Repeat([]byte("0101901234 "), 500), uint16(1000))
	f.Fuzz(func(t *testing.T, val []byte, chunk uint16) {
		if len(val) == 0 || chunk == 0 {
			return
		}
		checkSplit(t, sources.Location{Path: "s.t", Table: true}, val, int(chunk))
	})
}

func TestPhoneColumn(t *testing.T) {
	for name, want := range map[string]bool{
		"mobil": true, "telefon_nr": true, "phoneNumber": true, "customer_msisdn": true, "Mobiltelefon": true,
		"cell": true, "tlf": true, "phone_number": true,
		"id": false, "kundenummer": false, "score": false, "telemetry": false, "mobility_score": false, "": false,
	} {
		if got := PhoneColumn(name); got != want {
			t.Errorf("PhoneColumn(%q) = %v, want %v", name, got, want)
		}
	}
	if IntegerColumnClass(WideInt, "msisdn") != Text || IntegerColumnClass(WideInt, "fnr") != WideInt || IntegerColumnClass(Skip, "mobil") != Text {
		t.Error("IntegerColumnClass: phone columns are text, others keep their class")
	}
}
