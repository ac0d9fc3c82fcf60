package mysql

import (
	"testing"

	"github.com/piimap/piimap/internal/dbtest"
	"github.com/piimap/piimap/sources"
)

// BenchmarkSampleBig is the default (sampled) read of the 1,000,000-row
// table: MIN/MAX and 20 primary-key range probes of 500 rows.
func BenchmarkSampleBig(b *testing.B) {
	dbtest.BenchTable(b, New, shop(b).scan, sources.Options{Tables: []string{"*.big"}}, 0)
}

// BenchmarkFullBig reads the 1,000,000-row table in full (keyset batches of
// 5000 rows) into a no-op sink.
func BenchmarkFullBig(b *testing.B) {
	dbtest.BenchTable(b, New, shop(b).scan, sources.Options{Full: true, Tables: []string{"*.big"}}, bigRows)
}
