package detectors

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
	"time"
)

func TestFiHETUExamples(t *testing.T) {
	checkExactExamples(t, NewFiHETU(), fiHETUPositives(), fiHETUNegatives(), 15, 8)
}

func TestFiHETUKeyContext(t *testing.T) {
	checkKeyConfidence(t, NewFiHETU(), []keyConfidenceCase{
		{"", "131052-308T", Medium},
		{"henkilotunnus", "131052-308T", High},
		{"ordrenr", "131052-308T", Low},
	})
}

// refHETU is an independent reading of DVV's rules using package time.
func refHETU(s string) bool {
	century := map[byte]int{'+': 1800, '-': 1900, 'Y': 1900, 'X': 1900, 'W': 1900, 'V': 1900, 'U': 1900,
		'A': 2000, 'B': 2000, 'C': 2000, 'D': 2000, 'E': 2000, 'F': 2000}
	c, ok := century[s[6]]
	if !ok {
		return false
	}
	var dd, mm, yy, zzz int
	if _, err := fmt.Sscanf(s[:6]+" "+s[7:10], "%2d%2d%2d %3d", &dd, &mm, &yy, &zzz); err != nil {
		return false
	}
	d := time.Date(c+yy, time.Month(mm), dd, 0, 0, 0, 0, time.UTC)
	if mm < 1 || mm > 12 || d.Day() != dd || zzz < 2 {
		return false
	}
	n := (dd*10000+mm*100+yy)*1000 + zzz
	return "0123456789ABCDEFHJKLMNPRSTUVWXY"[n%31] == s[10]
}

func TestFiHETUDifferential(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 8))
	d := NewFiHETU()
	signs := "+-YXWVUABCDEFG"
	valid := 0
	for range 200000 {
		s := fmt.Sprintf("%02d%02d%02d%c%03d%c", r.IntN(33), r.IntN(14), r.IntN(100), signs[r.IntN(len(signs))],
			r.IntN(1000), hetuCheckChars[r.IntN(31)])
		want := refHETU(s)
		ms := findAll(d, "hetu "+s, "")
		if (len(ms) == 1) != want || ValidFiHETU([]byte(s)) != want {
			t.Fatalf("%s: got %+v, reference %v", s, ms, want)
		}
		if want {
			valid++
			if strings.HasPrefix(s[7:], "9") != (len(ms[0].Labels) == 1) {
				t.Fatalf("%s: labels %v", s, ms[0].Labels)
			}
		}
	}
	if valid < 100 {
		t.Errorf("only %d valid codes: the differential test is too weak", valid)
	}
}

func FuzzFiHETU(f *testing.F) {
	fuzzSeeds(f, fiHETUPositives(), fiHETUNegatives())
	d := NewFiHETU()
	f.Fuzz(func(t *testing.T, data []byte) {
		fuzzDetector(t, d, data, "hetu", func(m Match, written []byte) {
			if !ValidFiHETU([]byte(m.Value)) || string(written) != m.Value {
				t.Fatalf("value %q (written %q) does not re-validate", m.Value, written)
			}
		})
	})
}
