package dbcommon

import (
	"hash/fnv"
	"strconv"
	"strings"
)

// Seed derives a sampling seed from a table location, so that a table is
// sampled the same way on every run (stable reports and baselines) while
// different tables get different samples.
func Seed(loc string) uint64 {
	h := fnv.New64a()
	h.Write([]byte(loc))
	return h.Sum64()
}

// SamplePercent returns the percentage of est rows to sample so that about
// want × margin rows come back, within [0.0001, 100]. est <= 0 means
// unknown: 100.
func SamplePercent(want, est int64, margin float64) float64 {
	if est <= 0 || want <= 0 {
		return 100
	}
	p := 100 * float64(want) * margin / float64(est)
	return min(100, max(0.0001, p))
}

// FormatPercent renders p with at most four decimals, no exponent and no
// trailing zeros ("1.25", "0.0001", "100"), for SQL and method strings.
func FormatPercent(p float64) string {
	s := strconv.FormatFloat(p, 'f', 4, 64)
	s = strings.TrimRight(s, "0")
	return strings.TrimSuffix(s, ".")
}
