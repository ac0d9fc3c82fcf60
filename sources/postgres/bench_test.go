package postgres

import (
	"testing"

	"github.com/piimap/piimap/internal/dbtest"
	"github.com/piimap/piimap/sources"
)

// BenchmarkSampleBig is the default (sampled) read of the 1,000,000-row
// table: two TABLESAMPLE steps and a TID scan of 10000 rows.
func BenchmarkSampleBig(b *testing.B) {
	dbtest.BenchTable(b, New, shop(b).scan, sources.Options{Tables: []string{"public.big"}}, 0)
}

// BenchmarkFullBig reads the 1,000,000-row table in full (two columns,
// cursor FETCH) into a no-op sink.
func BenchmarkFullBig(b *testing.B) {
	dbtest.BenchTable(b, New, shop(b).scan, sources.Options{Full: true, Tables: []string{"public.big"}}, bigRows)
}
