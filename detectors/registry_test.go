package detectors

import (
	"slices"
	"strings"
	"testing"
)

// TestRegistryExamples runs every detector's own examples, for every
// detector All returns: none can ship with examples it gets wrong, and
// each documents both kinds. (Custom detectors are checked the same way
// when their rules load; see custom_test.go.)
func TestRegistryExamples(t *testing.T) {
	seen := map[string]bool{}
	for _, d := range All() {
		if seen[d.ID()] {
			t.Errorf("%s registered twice", d.ID())
		}
		seen[d.ID()] = true
		if len(d.Positives()) < 5 || len(d.Negatives()) < 5 {
			t.Errorf("%s: %d positives, %d negatives; want at least 5 of each", d.ID(), len(d.Positives()), len(d.Negatives()))
		}
		if d.Description() == "" || len(d.ContextWords()) == 0 || !slices.Contains(Categories, d.Category()) {
			t.Errorf("%s: missing description, context words or a known category", d.ID())
		}
		for _, f := range CheckExamples(d) {
			t.Errorf("%s: %v (%q)", d.ID(), f, f.Text)
		}
	}
	for _, id := range []string{"no_fnr", "se_personnummer", "dk_cpr", "fi_hetu", "no_bank_account", "se_bank_account", "iban"} {
		if !seen[id] {
			t.Errorf("%s not registered", id)
		}
	}
}

// TestCheckExamplesFails: the example check does fail on a wrong example.
func TestCheckExamplesFails(t *testing.T) {
	bad := &exampleOverride{Detector: NewIBAN(),
		pos: []Example{{Text: "NO9386011117948", Want: "NO9386011117948", Note: "one digit off"}},
		neg: []Example{{Text: "iban NO9386011117947", Note: "valid"}}}
	fs := CheckExamples(bad)
	if len(fs) != 2 || !fs[0].Positive || fs[1].Positive {
		t.Fatalf("failures %+v", fs)
	}
}

type exampleOverride struct {
	Detector
	pos, neg []Example
}

func (e *exampleOverride) Positives() []Example { return e.pos }
func (e *exampleOverride) Negatives() []Example { return e.neg }

// TestNumCategories: the counters are sized from the category list, and a
// category outside it (a custom one) is counted without a panic.
func TestNumCategories(t *testing.T) {
	if numCategories != len(Categories) {
		t.Fatalf("numCategories %d, %d categories", numCategories, len(Categories))
	}
	var in Input
	in.Reset([]byte("x"), "")
	for _, c := range Categories {
		in.CountCandidate(c, 0, 0.5)
	}
	in.CountCandidate("customer_number", 0, 0.25)
	in.CountCandidate("customer_number", 0, 0.25)
	got := map[Category]int{}
	in.EachCandidate(func(c Category, n int, e float64) { got[c] = n })
	if len(got) != len(Categories)+1 || got["customer_number"] != 2 || in.Candidates("customer_number") != 2 {
		t.Errorf("counts %v", got)
	}
	in.Reset([]byte("y"), "")
	if in.Candidates("customer_number") != 0 {
		t.Error("Reset keeps custom counts")
	}
}

// TestRunsOfLen: the length index agrees with the runs, for indexed and
// other lengths, and in order.
func TestRunsOfLen(t *testing.T) {
	text := []byte("1234 123456 1234567890 12345678901 12 1234-56-7890 abc 1234\n" + strings.Repeat("9", 70) + " 99 0000")
	var in Input
	in.Reset(text, "")
	for n := 1; n <= maxRunLen; n++ {
		var want []int32
		for i, r := range in.Runs() {
			if r.End-r.Start == n {
				want = append(want, int32(i))
			}
		}
		if got := in.RunsOfLen(n); !slices.Equal(got, want) {
			t.Errorf("RunsOfLen(%d) = %v, want %v", n, got, want)
		}
	}
	var order []int32
	in.eachRunOfLen(4, 6, func(i int32) { order = append(order, i) })
	if !slices.IsSorted(order) || len(order) != len(in.RunsOfLen(4))+len(in.RunsOfLen(6)) {
		t.Errorf("eachRunOfLen order %v", order)
	}
	in.Reset([]byte("12 1234"), "")
	if got := in.RunsOfLen(4); len(got) != 1 || got[0] != 1 {
		t.Errorf("after Reset: %v", got)
	}
}

// TestNewDetectorsZeroAllocs: the bank-account, CPR and HETU detectors
// allocate nothing on candidates they reject.
func TestNewDetectorsZeroAllocs(t *testing.T) {
	text := "ts=2026-03-02T09:16:31 order 20260302-00451 1234.56.78904 kontonr 12345678904 konto 5491-0000004 " +
		"NO7112345678904 DE44500105175407324932 320183-1234 131052-308U 0101901234 12345678903 tel 0701-234567\n"
	for _, d := range []Detector{NewNoBankAccount(), NewSeBankAccount(), NewIBAN(), NewDkCPR(), NewFiHETU()} {
		genericZeroAllocs(t, d, text)
	}
}
