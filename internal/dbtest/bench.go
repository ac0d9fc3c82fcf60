package dbtest

import (
	"context"
	"testing"

	"github.com/piimap/piimap/sources"
)

// NopSink counts the chunks and drops everything else.
type NopSink struct{ Values int64 }

// Text counts the chunk.
func (s *NopSink) Text(context.Context, *sources.Chunk) error { s.Values++; return nil }

// Column drops the column.
func (s *NopSink) Column(sources.Column) {}

// Table drops the table.
func (s *NopSink) Table(sources.Table) {}

// Failed drops the failure.
func (s *NopSink) Failed(sources.Location, error) {}

// Skipped drops the reason.
func (s *NopSink) Skipped(sources.Location, string) {}

// Scanned drops the statistics.
func (s *NopSink) Scanned(sources.Location, int64, int64) {}

// firstUnit opens rawURL with opt and returns its first unit and a function
// that closes the source.
func firstUnit(tb testing.TB, open Opener, rawURL string, opt sources.Options) (sources.Unit, func()) {
	tb.Helper()
	ctx := context.Background()
	src, err := open(ctx, rawURL, opt, nil)
	if err != nil {
		tb.Fatal(err)
	}
	var unit sources.Unit
	if err := src.Units(ctx, func(u sources.Unit) bool { unit = u; return false }); err != nil || unit == nil {
		src.Close()
		tb.Fatalf("no unit: %v", err)
	}
	return unit, func() { src.Close() }
}

// BenchTable opens rawURL with opt (which selects one table) and reads
// the first unit into a NopSink once per iteration. With rows > 0 it
// reports rows/s (rows read per iteration), otherwise the values delivered
// per iteration.
func BenchTable(b *testing.B, open Opener, rawURL string, opt sources.Options, rows int64) {
	b.Helper()
	unit, done := firstUnit(b, open, rawURL, opt)
	defer done()
	ctx := context.Background()
	sink := &NopSink{}
	for b.Loop() {
		if err := unit.Read(ctx, sink); err != nil {
			b.Fatal(err)
		}
	}
	if rows > 0 {
		b.ReportMetric(float64(rows)*float64(b.N)/b.Elapsed().Seconds(), "rows/s")
	} else {
		b.ReportMetric(float64(sink.Values)/float64(b.N), "values/op")
	}
}
