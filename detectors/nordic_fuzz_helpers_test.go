package detectors

import "testing"

// fuzzDetector runs d over data under key and checks the invariants of
// every match, then calls check on each match's value and written text.
func fuzzDetector(t *testing.T, d Detector, data []byte, key string, check func(m Match, written []byte)) {
	var in Input
	in.Reset(data, key)
	prev := 0
	d.Find(&in, func(m Match) {
		if m.Start < prev || m.Start >= m.End || m.End > len(data) {
			t.Fatalf("%s: bad span %d:%d (len %d, previous end %d)", d.ID(), m.Start, m.End, len(data), prev)
		}
		prev = m.End
		if m.Confidence < Low || m.Confidence > High || m.Detector != d.ID() || m.Category != d.Category() {
			t.Fatalf("%s: bad match %+v", d.ID(), m)
		}
		check(m, data[m.Start:m.End])
	})
}
