package detectors

import (
	"slices"
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

// TestCandidates: the shared candidate lists agree with a plain reading
// of the shapes over the runs, and the detectors that use them find the
// same as over the text with every other run removed around them.
func TestCandidates(t *testing.T) {
	text := []byte("1234 123456 1234567890 12345678901 12 1234.56.78903 NO93 8601 1117 947 DE89370400440532013000 " +
		"5491-0000003 8327-9 1234567897 131052-308T 311299-1234 aB12 XY1 CPR-nr. 260683-1176 2026-03-02 x\n99")
	var in Input
	in.Reset(text, "")
	runs := in.Runs()
	var want candLists
	for i, r := range runs {
		n := r.End - r.Start
		at := func(k int) (Run, bool) {
			if i+k < len(runs) {
				return runs[i+k], true
			}
			return Run{}, false
		}
		if n >= 2 && r.Start >= 2 && isUpper(text[r.Start-1]) && isUpper(text[r.Start-2]) && !IsDigit(text[r.Start-1]) {
			want.iban = append(want.iban, int32(i))
		}
		switch n {
		case 11:
			want.bare11 = append(want.bare11, int32(i))
		case 10:
			want.bare10 = append(want.bare10, int32(i))
		case 6:
			if nx, ok := at(1); ok && nx.Start == r.End+1 && (nx.End-nx.Start == 3 || nx.End-nx.Start == 4) {
				want.six = append(want.six, int32(i))
			}
		case 4:
			nx, ok := at(1)
			nn, ok2 := at(2)
			if ok && ok2 && nx.Start == r.End+1 && nx.End-nx.Start == 2 && nn.Start == nx.End+1 && nn.End-nn.Start == 5 {
				want.acct = append(want.acct, int32(i))
			}
			if ok && nx.Start-r.End <= 2 && nx.End-nx.Start >= 7 && nx.End-nx.Start <= 12 {
				want.clear = append(want.clear, int32(i))
			} else if ok && ok2 && nx.Start == r.End+1 && nx.End-nx.Start == 1 && nn.Start-nx.End <= 2 && nn.End-nn.Start >= 7 && nn.End-nn.Start <= 12 {
				want.clear = append(want.clear, int32(i))
			}
		}
	}
	got := in.candidates()
	for _, c := range []struct {
		name      string
		got, want []int32
	}{{"bare11", got.bare11, want.bare11}, {"acct", got.acct, want.acct}, {"clear", got.clear, want.clear},
		{"bare10", got.bare10, want.bare10}, {"six", got.six, want.six}, {"iban", got.iban, want.iban}} {
		if !slices.Equal(c.got, c.want) || len(c.want) == 0 {
			t.Errorf("%s: %v, want %v", c.name, c.got, c.want)
		}
	}
	var order []int32
	mergeRuns(got.bare10, got.six, func(i int32) { order = append(order, i) })
	if !slices.IsSorted(order) || len(order) != len(got.bare10)+len(got.six) {
		t.Errorf("mergeRuns order %v", order)
	}
	in.Reset([]byte("1234.56.78903"), "")
	if c := in.candidates(); len(c.acct) != 1 || len(c.iban) != 0 {
		t.Errorf("after Reset: %+v", c)
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

// FuzzDetectorsLeaveTextAlone runs every detector over a text of every
// kind, alone and under a key: none may change the text it reads (the
// other detectors read the same bytes after it). The seeds are every
// detector's examples.
func FuzzDetectorsLeaveTextAlone(f *testing.F) {
	dets := All()
	for _, d := range dets {
		for _, x := range append(d.Positives(), d.Negatives()...) {
			f.Add([]byte(x.Text), "")
		}
	}
	f.Add([]byte("[remote \"origin\"]\npassword = s3cr3t-Kaffe\n"), "git.password")
	f.Fuzz(func(t *testing.T, data []byte, key string) {
		orig := string(data)
		for _, kind := range []TextKind{AnyText, History, DatabaseLog, CredentialStore} {
			for _, d := range dets {
				var in Input
				in.Reset(data, key)
				in.Kind = kind
				d.Find(&in, func(Match) {})
				if string(data) != orig {
					t.Fatalf("%s (kind %d) changed %q to %q", d.ID(), kind, orig, data)
				}
			}
		}
	})
}
