// Package dbtest holds the test helpers the database sources (postgres,
// mysql) share: a shared fixture built once per test binary, a Sink that
// records everything, a Sink that only counts, the loops that open a
// source and read its units, the benchmark harness and assertions on what
// a scan reported. It is imported only by tests; the servers come from
// internal/testdb.
package dbtest

import (
	"context"
	"log/slog"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/piimap/piimap/detectors"
	"github.com/piimap/piimap/internal/testdb"
	"github.com/piimap/piimap/scanner"
	"github.com/piimap/piimap/sources"
)

// Opener opens a database source: the New of sources/postgres and
// sources/mysql.
type Opener func(ctx context.Context, rawURL string, opt sources.Options, log *slog.Logger) (sources.Source, error)

// Shared is a fixture built once per test binary, on first use, and torn
// down by Main after the tests.
type Shared[F any] struct {
	once  sync.Once
	val   F
	built bool
	err   error
}

// Get returns the fixture, building it with build on the first call. A
// failed build fails every test that asks for the fixture.
func (s *Shared[F]) Get(t testing.TB, build func() (F, error)) F {
	t.Helper()
	s.once.Do(func() {
		s.val, s.err = build()
		s.built = s.err == nil
	})
	if s.err != nil {
		t.Fatalf("fixture: %v", s.err)
	}
	return s.val
}

// Main runs the tests, then drops the fixture if it was built and stops
// the servers. Use it from TestMain: os.Exit(shared.Main(m, drop, server)).
func (s *Shared[F]) Main(m *testing.M, drop func(F), servers ...*testdb.Server) int {
	code := m.Run()
	if s.built {
		drop(s.val)
	}
	for _, srv := range servers {
		srv.Stop()
	}
	return code
}

// Recorder is a Sink that records everything, keyed by location string.
// It is safe for concurrent use.
type Recorder struct {
	mu          sync.Mutex
	Values      map[string][]string // column location → values
	JSON        map[string]int      // column location → JSON chunks
	Rows        map[string][]int64  // column location → chunk rows
	Columns     map[string]sources.Column
	Tables      map[string]sources.Table
	Failures    map[string]error
	Skips       map[string]string // location → reason
	ScannedRows map[string]int64  // table location → rows
	// OnText, when set, sees every chunk before it is recorded.
	OnText func(c *sources.Chunk)
}

// NewRecorder returns an empty Recorder.
func NewRecorder() *Recorder {
	return &Recorder{
		Values: map[string][]string{}, JSON: map[string]int{}, Rows: map[string][]int64{},
		Columns: map[string]sources.Column{}, Tables: map[string]sources.Table{},
		Failures: map[string]error{}, Skips: map[string]string{}, ScannedRows: map[string]int64{},
	}
}

// Text records the chunk's data, row and JSON flag.
func (r *Recorder) Text(ctx context.Context, c *sources.Chunk) error {
	if r.OnText != nil {
		r.OnText(c)
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	k := c.Loc.String()
	r.Values[k] = append(r.Values[k], string(c.Data))
	r.Rows[k] = append(r.Rows[k], c.Row)
	if c.JSON {
		r.JSON[k]++
	}
	return nil
}

// Column records the column statistics.
func (r *Recorder) Column(c sources.Column) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.Columns[c.Loc.String()] = c
}

// Table records the table statistics.
func (r *Recorder) Table(t sources.Table) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.Tables[t.Loc.String()] = t
}

// Failed records the failure.
func (r *Recorder) Failed(loc sources.Location, err error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.Failures[loc.String()] = err
}

// Skipped records the reason.
func (r *Recorder) Skipped(loc sources.Location, reason string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.Skips[loc.String()] = reason
}

// Scanned records the rows.
func (r *Recorder) Scanned(loc sources.Location, bytes, rows int64) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.ScannedRows[loc.String()] = rows
}

// StatsSink hands every chunk to OnText (when set) without keeping it and
// forwards everything else to Rec: for reads too large to record.
type StatsSink struct {
	OnText func(c *sources.Chunk)
	Rec    *Recorder
}

// Text hands c to OnText.
func (s *StatsSink) Text(ctx context.Context, c *sources.Chunk) error {
	if s.OnText != nil {
		s.OnText(c)
	}
	return nil
}

// Column forwards to Rec.
func (s *StatsSink) Column(c sources.Column) { s.Rec.Column(c) }

// Table forwards to Rec.
func (s *StatsSink) Table(t sources.Table) { s.Rec.Table(t) }

// Failed forwards to Rec.
func (s *StatsSink) Failed(loc sources.Location, err error) { s.Rec.Failed(loc, err) }

// Skipped forwards to Rec.
func (s *StatsSink) Skipped(loc sources.Location, r string) { s.Rec.Skipped(loc, r) }

// Scanned forwards to Rec.
func (s *StatsSink) Scanned(loc sources.Location, b, r int64) { s.Rec.Scanned(loc, b, r) }

// ReadAll reads every unit of src sequentially into sink, failing the test
// when a Read returns an error (table failures belong in sink.Failed) and
// fatally when listing fails. It returns the unit locations in order.
func ReadAll(t testing.TB, src sources.Source, sink sources.Sink) []sources.Location {
	t.Helper()
	ctx := context.Background()
	var units []sources.Location
	err := src.Units(ctx, func(u sources.Unit) bool {
		units = append(units, u.Location())
		if err := u.Read(ctx, sink); err != nil {
			t.Errorf("Read %s: %v", u.Location(), err)
		}
		return true
	})
	if err != nil {
		t.Fatalf("Units: %v", err)
	}
	return units
}

// ScanAll opens rawURL with opt and reads every unit sequentially into a
// Recorder; it returns the recorder and the unit locations in order.
func ScanAll(t testing.TB, open Opener, rawURL string, opt sources.Options) (*Recorder, []string) {
	t.Helper()
	src, err := open(context.Background(), rawURL, opt, nil)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	defer src.Close()
	rec := NewRecorder()
	var units []string
	for _, loc := range ReadAll(t, src, rec) {
		units = append(units, loc.String())
	}
	return rec, units
}

// Sorted returns a sorted copy of s.
func Sorted(s []string) []string {
	s = slices.Clone(s)
	slices.Sort(s)
	return s
}

// KeysWith returns the keys of m that contain sub, for error messages.
func KeysWith(m map[string][]string, sub string) []string {
	var out []string
	for k := range m {
		if strings.Contains(k, sub) {
			out = append(out, k)
		}
	}
	return out
}

// ScanAllDetectors scans rawURL, opened with open and opt, through the
// scanner with every built-in detector: the end-to-end tests of the
// database sources.
func ScanAllDetectors(t testing.TB, open Opener, rawURL string, opt sources.Options) *scanner.Result {
	t.Helper()
	res, err := scanner.Scan(context.Background(), scanner.Config{
		Targets: []string{rawURL}, Detectors: detectors.All(), Workers: 2,
		Open: func(ctx context.Context, target string) (sources.Source, error) {
			return open(ctx, target, opt, nil)
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	return res
}

// Count returns the matches of category cat in the findings of res at
// columns named field (in any table).
func Count(res *scanner.Result, cat detectors.Category, field string) int64 {
	var n int64
	for _, f := range res.Findings {
		if f.Category == cat && f.Location.Field == field {
			n += f.Count
		}
	}
	return n
}
