package detectors

import (
	"math/big"
	"strings"
	"testing"
)

func TestIBANExamples(t *testing.T) {
	checkExactExamples(t, NewIBAN(), ibanPositives(), ibanNegatives(), 12, 12)
}

// refIBANMod97 is ISO 7064 MOD 97-10 with math/big, independent of ibanMod97.
func refIBANMod97(s string) int64 {
	r := s[4:] + s[:4]
	var b strings.Builder
	for _, c := range r {
		if c >= 'A' && c <= 'Z' {
			b.WriteString(big.NewInt(int64(c-'A') + 10).String())
		} else {
			b.WriteRune(c)
		}
	}
	n, _ := new(big.Int).SetString(b.String(), 10)
	return new(big.Int).Mod(n, big.NewInt(97)).Int64()
}

// TestIBANOneOff: for IBANs of more than ten countries, every change of a
// single digit is rejected (mod 97 catches all of them) and the valid one
// is found.
func TestIBANOneOff(t *testing.T) {
	d := NewIBAN()
	countries := map[string]bool{}
	for _, ex := range append(ibanPositives(), nidExample{Want: "SE4550000000058398257466"}, nidExample{Want: "NO9386011117947"}) {
		v := ex.Want
		countries[v[:2]] = true
		if refIBANMod97(v) != 1 || !ValidIBAN([]byte(v)) {
			t.Fatalf("%s: not valid", v)
		}
		if ms := findAll(d, "iban "+v, ""); len(ms) != 1 || ms[0].Value != v {
			t.Fatalf("%s: found %+v", v, ms)
		}
		for i := 2; i < len(v); i++ {
			if v[i] < '0' || v[i] > '9' {
				continue
			}
			for c := byte('0'); c <= '9'; c++ {
				if c == v[i] {
					continue
				}
				w := v[:i] + string(c) + v[i+1:]
				if ms := findAll(d, "iban "+w, ""); len(ms) != 0 {
					t.Fatalf("%s (one digit off %s) reported: %+v", w, v, ms)
				}
			}
		}
	}
	if len(countries) < 10 {
		t.Errorf("IBANs of %d countries, want at least 10", len(countries))
	}
}

func TestIBANLengths(t *testing.T) {
	for cc, shape := range ibanShapes {
		if int(ibanLengths[cc]) != 4+len(shape) {
			t.Errorf("%s: length %d, shape of %d", cc[:], ibanLengths[cc], len(shape))
		}
	}
	for _, cc := range []string{"NO", "SE", "DK", "FI", "DE", "GB", "NL", "FR", "ES", "IT", "PL"} {
		if _, ok := ibanShapes[[2]byte{cc[0], cc[1]}]; !ok {
			t.Errorf("%s: no BBAN shape", cc)
		}
	}
}

func FuzzIBAN(f *testing.F) {
	fuzzSeeds(f, ibanPositives(), ibanNegatives())
	for _, s := range []string{"NO", "NO9", "NO93 ", "NO93 8601 ", "GB82 WEST 1234 5698 7654 32", "DE89  3704"} {
		f.Add([]byte(s))
	}
	d := NewIBAN()
	f.Fuzz(func(t *testing.T, data []byte) {
		fuzzDetector(t, d, data, "", func(m Match, written []byte) {
			if !ValidIBAN([]byte(m.Value)) || strings.ToUpper(strings.ReplaceAll(string(written), " ", "")) != m.Value {
				t.Fatalf("value %q (written %q) does not re-validate", m.Value, written)
			}
		})
	})
}
