// Package textfmt formats numbers for the words piimap prints: the
// scanner's confidence reasons and the report's summaries.
package textfmt

import "strconv"

// Thousands formats v with thousands separators: 12,030.
func Thousands(v int64) string {
	s := strconv.FormatInt(v, 10)
	start := 0
	if v < 0 {
		start = 1
	}
	for i := len(s) - 3; i > start; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}
