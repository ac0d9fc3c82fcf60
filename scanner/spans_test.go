package scanner

import (
	"math/rand/v2"
	"testing"
)

// TestFindSpan keeps strings with addSpan, some out of order or too
// short, and looks them up with findSpan in every order (forwards, as a
// detector does; backwards, as the next detector starts again; at random),
// at their starts and between them, against a search of the spans kept.
func TestFindSpan(t *testing.T) {
	w := newWorker(&Config{})
	var kept []keySpan
	for lo := 1; lo < 3000; lo += 3 + lo%7 {
		hi := lo + 2 + lo%5
		switch {
		case lo%11 == 0 && len(kept) > 0:
			// Read again after a rewind: not kept again.
			prev := int(kept[len(kept)-1].lo)
			w.addSpan(prev, prev+4, "again")
			w.addSpan(prev-1, prev+4, "behind")
		case lo%13 == 0:
			w.addSpan(lo, lo+1, "short") // one byte: not a string's
			continue
		}
		w.addSpan(lo, hi, "p")
		kept = append(kept, keySpan{int32(lo), int32(hi), "p"})
	}
	if len(w.spans) != len(kept) {
		t.Fatalf("kept %d spans, want %d", len(w.spans), len(kept))
	}
	ref := func(lo int32) (keySpan, bool) {
		for _, sp := range kept {
			if sp.lo == lo {
				return sp, true
			}
		}
		return keySpan{}, false
	}
	check := func(lo int32) {
		t.Helper()
		got, ok := w.findSpan(lo)
		want, wok := ref(lo)
		if ok != wok || got != want {
			t.Fatalf("findSpan(%d) = %v, %v; want %v, %v (cursor %d)", lo, got, ok, want, wok, w.spanAt)
		}
	}
	for lo := int32(-1); lo < 3100; lo++ {
		check(lo)
	}
	for lo := int32(3100); lo >= -1; lo -= 3 {
		check(lo)
	}
	rng := rand.New(rand.NewPCG(1, 2))
	for range 20000 {
		check(int32(rng.IntN(3100)))
	}
	// The bound: no more than maxSpans are kept.
	w.spans = w.spans[:0]
	for i := range maxSpans + 10 {
		w.addSpan(2*i, 2*i+2, "p")
	}
	if len(w.spans) != maxSpans {
		t.Errorf("kept %d spans, want at most %d", len(w.spans), maxSpans)
	}
}
