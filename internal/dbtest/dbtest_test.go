package dbtest

import (
	"context"
	"errors"
	"slices"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/piimap/piimap/sources"
)

func TestSpread(t *testing.T) {
	lo, hi := Spread([]string{"1", "24", "25", "50", "76", "100", "x"}, 100)
	if lo != 2 || hi != 2 {
		t.Errorf("Spread = %d, %d; want 2, 2 (x counts in neither)", lo, hi)
	}
}

func TestSorted(t *testing.T) {
	in := []string{"b", "a", "c"}
	if got := Sorted(in); !slices.Equal(got, []string{"a", "b", "c"}) || in[0] != "b" {
		t.Errorf("Sorted = %q, input now %q", got, in)
	}
}

func TestRecorderAndStatsSink(t *testing.T) {
	ctx := context.Background()
	tbl := sources.Location{Target: "x", Path: "s.t", Table: true}
	col := tbl
	col.Field = "c"
	rec := NewRecorder()
	var seen atomic.Int64 // OnText runs outside the recorder's lock
	rec.OnText = func(*sources.Chunk) { seen.Add(1) }
	var wg sync.WaitGroup
	for i := range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_ = rec.Text(ctx, &sources.Chunk{Loc: col, Data: []byte("v"), Row: int64(i + 1), JSON: i%2 == 0})
		}()
	}
	wg.Wait()
	rec.Column(sources.Column{Loc: col, Rows: 4})
	rec.Table(sources.Table{Loc: tbl, Method: "m", Rows: 4})
	rec.Failed(tbl, errors.New("boom"))
	rec.Skipped(col, "why")
	rec.Scanned(tbl, 4, 4)
	k, kt := col.String(), tbl.String()
	if len(rec.Values[k]) != 4 || len(rec.Rows[k]) != 4 || rec.JSON[k] != 2 || seen.Load() != 4 {
		t.Errorf("values %q rows %v json %d seen %d", rec.Values[k], rec.Rows[k], rec.JSON[k], seen.Load())
	}
	if rec.Columns[k].Rows != 4 || rec.Tables[kt].Method != "m" || rec.Failures[kt] == nil ||
		rec.Skips[k] != "why" || rec.ScannedRows[kt] != 4 {
		t.Errorf("recorder %+v", rec)
	}

	stats := NewRecorder()
	var texts int
	s := &StatsSink{OnText: func(*sources.Chunk) { texts++ }, Rec: stats}
	_ = s.Text(ctx, &sources.Chunk{Loc: col, Data: []byte("v")})
	s.Table(sources.Table{Loc: tbl, Rows: 1})
	s.Column(sources.Column{Loc: col, Rows: 1})
	s.Scanned(tbl, 1, 1)
	if texts != 1 || len(stats.Values) != 0 || stats.Tables[kt].Rows != 1 || stats.Columns[k].Rows != 1 || stats.ScannedRows[kt] != 1 {
		t.Errorf("StatsSink: %d texts, values %v, tables %v", texts, stats.Values, stats.Tables)
	}
}
