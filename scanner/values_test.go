package scanner

import (
	"fmt"
	"strconv"
	"testing"
	"unsafe"

	"github.com/piimap/piimap/detectors"
)

func TestValueFingerprintKeyed(t *testing.T) {
	a := ValueFingerprint([]byte("key one........."), detectors.NationalID, "15038712486")
	b := ValueFingerprint([]byte("key two........."), detectors.NationalID, "15038712486")
	c := ValueFingerprint([]byte("key one........."), detectors.Phone, "15038712486")
	if a == b || a == c || len(a) != 24 {
		t.Errorf("fingerprints %s %s %s: want 24 hex digits, different per key and category", a, b, c)
	}
	if a != ValueFingerprint([]byte("key one........."), detectors.NationalID, "15038712486") {
		t.Error("not deterministic")
	}
	if KeyID(nil) != "" || KeyID([]byte("k1")) == KeyID([]byte("k2")) {
		t.Error("key ids")
	}
}

// TestValueFingerprintsCapped: a finding keeps at most MaxValueFingerprints
// distinct values, says so, and merging keeps the cap.
func TestValueFingerprintsCapped(t *testing.T) {
	h := newValueHasher([]byte("test key 0123456"))
	f := &acc{}
	g := &acc{}
	m := detectors.Match{Detector: "no_fnr", Category: detectors.NationalID, Confidence: detectors.High}
	for i := range MaxValueFingerprints + 50 {
		m.Value = strconv.Itoa(i)
		fp := h.fingerprint(m.Category, m.Value)
		f.add(m, "", 0, 0, &fp)
		f.add(m, "", 0, 0, &fp) // repeated values count once
		if i < 10 {
			g.add(m, "", 0, 0, &fp)
		}
	}
	vals, complete := f.values()
	if len(vals) != MaxValueFingerprints || complete || f.count != 2*(MaxValueFingerprints+50) {
		t.Errorf("%d values, complete %v, count %d", len(vals), complete, f.count)
	}
	gv, gc := g.values()
	if len(gv) != 10 || !gc {
		t.Errorf("small finding: %d values, complete %v", len(gv), gc)
	}
	a, b := newAggregate(), newAggregate()
	k := findingKey{cat: detectors.NationalID}
	a.findings[k], b.findings[k] = g, f
	a.merge(b)
	mv, mc := a.findings[k].values()
	if len(mv) != MaxValueFingerprints || mc {
		t.Errorf("merged: %d values, complete %v", len(mv), mc)
	}
}

// TestAddExampleKeepsACopy: an example is kept as a copy of the string it
// was given (a value shown with --show-values lives in a block of its
// chunk's values, which the example would otherwise keep alive), and
// examples stay distinct and at most MaxExamples.
func TestAddExampleKeepsACopy(t *testing.T) {
	var list []string
	for i := range MaxExamples + 3 {
		s := fmt.Sprintf("kari%d@example.no", i%(MaxExamples+1))
		list = addExample(list, s)
		if n := len(list); n > 0 && list[n-1] == s && unsafe.StringData(list[n-1]) == unsafe.StringData(s) {
			t.Fatalf("example %q kept as the string given, not a copy", s)
		}
	}
	if len(list) != MaxExamples {
		t.Errorf("%d examples kept, want %d", len(list), MaxExamples)
	}
}
