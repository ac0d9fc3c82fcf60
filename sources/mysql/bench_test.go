package mysql

import (
	"context"
	"testing"

	"github.com/piimap/piimap/sources"
)

// nopSink counts values and drops everything else.
type nopSink struct{ values int64 }

func (s *nopSink) Text(context.Context, *sources.Chunk) error { s.values++; return nil }
func (s *nopSink) Column(sources.Column)                      {}
func (s *nopSink) Table(sources.Table)                        {}
func (s *nopSink) Failed(sources.Location, error)             {}
func (s *nopSink) Skipped(sources.Location, string)           {}
func (s *nopSink) Scanned(sources.Location, int64, int64)     {}

func bigUnit(b *testing.B, opt sources.Options) (sources.Unit, func()) {
	f := shop(b)
	opt.Tables = []string{"*.big"}
	ctx := context.Background()
	src, err := New(ctx, f.scan, opt, nil)
	if err != nil {
		b.Fatal(err)
	}
	var unit sources.Unit
	if err := src.Units(ctx, func(u sources.Unit) bool { unit = u; return false }); err != nil || unit == nil {
		b.Fatalf("no unit: %v", err)
	}
	return unit, func() { src.Close() }
}

// BenchmarkSampleBig is the default (sampled) read of the 1,000,000-row
// table: MIN/MAX and 20 primary-key range probes of 500 rows.
func BenchmarkSampleBig(b *testing.B) {
	unit, done := bigUnit(b, sources.Options{})
	defer done()
	ctx := context.Background()
	sink := &nopSink{}
	for b.Loop() {
		if err := unit.Read(ctx, sink); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(sink.values)/float64(b.N), "values/op")
}

// BenchmarkFullBig reads the 1,000,000-row table in full (keyset batches of
// 5000 rows) into a no-op sink.
func BenchmarkFullBig(b *testing.B) {
	unit, done := bigUnit(b, sources.Options{Full: true})
	defer done()
	ctx := context.Background()
	sink := &nopSink{}
	for b.Loop() {
		if err := unit.Read(ctx, sink); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(bigRows)*float64(b.N)/b.Elapsed().Seconds(), "rows/s")
}
