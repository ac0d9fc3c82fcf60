package detectors

import (
	"bytes"
	"slices"
	"testing"
)

// fuzzSeeds are the example texts plus edge cases around boundaries.
func fuzzSeeds(f *testing.F, xs ...[]nidExample) {
	for _, list := range xs {
		for _, x := range list {
			f.Add([]byte(x.Text))
		}
	}
	for _, s := range []string{"", "0", "-", "+", "010190-", "010190 ", "-43777", "850709+", "\xc2", "\xe2\x80",
		"01019043777\xc2", "\xc2\xa001019043777", "010190-43777-", "19850709-2388\xe2\x80\x9d"} {
		f.Add([]byte(s))
	}
}

// digitsOf returns the digits of b in order.
func digitsOf(b []byte) string {
	var out []byte
	for _, c := range b {
		if IsDigit(c) {
			out = append(out, c)
		}
	}
	return string(out)
}

func FuzzNoFnr(f *testing.F) {
	fuzzSeeds(f, noFnrPositives(), noFnrNegatives())
	d := NewNoFnr()
	f.Fuzz(func(t *testing.T, data []byte) {
		var in Input
		in.Reset(data, "fnr")
		prev := 0
		d.Find(&in, func(m Match) {
			if m.Start < prev || m.Start >= m.End || m.End > len(data) {
				t.Fatalf("bad span %d:%d (len %d, previous end %d)", m.Start, m.End, len(data), prev)
			}
			prev = m.End
			v := []byte(m.Value)
			if len(v) != 11 || !AllDigits(v) || !ValidNoFnr(v) {
				t.Fatalf("value %q does not re-validate", m.Value)
			}
			// A number column's ten digits are read with the zero they
			// lost (the key is "fnr").
			if got := digitsOf(data[m.Start:m.End]); got != m.Value && "0"+got != m.Value {
				t.Fatalf("written %q does not hold value %q", data[m.Start:m.End], m.Value)
			}
			if m.Confidence < Low || m.Confidence > High || m.Detector != "no_fnr" || m.Category != NationalID {
				t.Fatalf("bad match %+v", m)
			}
		})
	})
}

func FuzzSePersonnummer(f *testing.F) {
	fuzzSeeds(f, sePersonnummerPositives(), sePersonnummerNegatives())
	d := NewSePersonnummer(fixedClock)
	f.Fuzz(func(t *testing.T, data []byte) {
		var in Input
		in.Reset(data, "personnummer")
		prev := 0
		d.Find(&in, func(m Match) {
			if m.Start < prev || m.Start >= m.End || m.End > len(data) {
				t.Fatalf("bad span %d:%d (len %d, previous end %d)", m.Start, m.End, len(data), prev)
			}
			prev = m.End
			v := []byte(m.Value)
			if len(v) != 12 || !ValidSePersonnummer(v, fixedClock()) {
				t.Fatalf("value %q does not re-validate", m.Value)
			}
			digits := m.Value
			if seInterimLetter(v[8]) {
				// The letter is written too; compare the digits around it.
				digits = m.Value[:8] + m.Value[9:]
				if !slices.Contains(m.Labels, LabelInterim) || !bytes.ContainsRune(data[m.Start:m.End], rune(v[8])) {
					t.Fatalf("interim value %q without its label or letter in %q", m.Value, data[m.Start:m.End])
				}
			}
			written := digitsOf(data[m.Start:m.End])
			// (A number column's nine digits lost the zero of 200X: the key
			// is personnummer.)
			if written != digits && written != digits[2:] && "0"+written != digits[2:] {
				t.Fatalf("written %q does not hold value %q", data[m.Start:m.End], m.Value)
			}
			if m.Confidence < Low || m.Confidence > High || m.Detector != "se_personnummer" || m.Category != NationalID {
				t.Fatalf("bad match %+v", m)
			}
		})
	})
}
