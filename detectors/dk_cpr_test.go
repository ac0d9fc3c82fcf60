package detectors

import (
	"fmt"
	"math/rand/v2"
	"testing"
	"time"
)

func TestDkCPRExamples(t *testing.T) {
	checkExactExamples(t, NewDkCPR(), dkCPRPositives(), dkCPRNegatives(), 10, 10)
}

func TestDkCPRKeyContext(t *testing.T) {
	checkKeyConfidence(t, NewDkCPR(), []keyConfidenceCase{
		{"", "311299-1234", Low},
		{"cpr", "311299-1234", High},
		{"cpr_nr", "3112991234", High},
		{"", "3112991234", None},
		{"ordrenr", "311299-1234", None},
		{"cpr", "ordrenr 311299-1234", None}, // text before the value wins over the key
	})
}

// TestDkCPRCentury checks the century table against package time over
// every seventh digit and year.
func TestDkCPRCentury(t *testing.T) {
	for yy := 0; yy < 100; yy++ {
		for s := byte('0'); s <= '9'; s++ {
			var want int
			switch {
			case s <= '3':
				want = 1900 + yy
			case s == '4' || s == '9':
				want = 1900 + yy
				if yy <= 36 {
					want = 2000 + yy
				}
			default:
				want = 1800 + yy
				if yy <= 57 {
					want = 2000 + yy
				}
			}
			if got := cprYear(yy, s); got != want {
				t.Fatalf("cprYear(%d, %c) = %d, want %d", yy, s, got, want)
			}
			v := fmt.Sprintf("2902%02d%c123", yy, s)
			leap := time.Date(want, 2, 29, 0, 0, 0, 0, time.UTC).Month() == time.February
			if ValidDkCPR([]byte(v)) != leap {
				t.Errorf("ValidDkCPR(%s) = %v, want %v (year %d)", v, !leap, leap, want)
			}
		}
	}
}

// TestDkCPROneReport: over random DDMMYY-SSSS with no context, a value is
// reported by at most one of dk_cpr, se_personnummer and fi_hetu.
func TestDkCPROneReport(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	dets := []Detector{NewDkCPR(), NewSePersonnummer(fixedClock), NewFiHETU()}
	reported := 0
	for range 50000 {
		s := fmt.Sprintf("%02d%02d%02d-%04d", 1+r.IntN(31), 1+r.IntN(12), r.IntN(100), r.IntN(10000))
		n := 0
		for _, d := range dets {
			n += len(findAll(d, s, ""))
		}
		if n > 1 {
			t.Fatalf("%s reported %d times", s, n)
		}
		reported += n
	}
	if reported < 10000 {
		t.Errorf("only %d of 50000 date-shaped numbers reported: the test is too weak", reported)
	}
}

func FuzzDkCPR(f *testing.F) {
	fuzzSeeds(f, dkCPRPositives(), dkCPRNegatives())
	d := NewDkCPR()
	f.Fuzz(func(t *testing.T, data []byte) {
		for _, key := range []string{"", "cpr"} {
			fuzzDetector(t, d, data, key, func(m Match, written []byte) {
				// A number column's nine digits are read with the zero
				// they lost (key cpr).
				if !ValidDkCPR([]byte(m.Value)) || digitsOf(written) != m.Value && (key == "" || "0"+digitsOf(written) != m.Value) {
					t.Fatalf("value %q (written %q) does not re-validate", m.Value, written)
				}
			})
		}
	})
}

// TestDkCPRLeadingZeroDropped: a column of CPR numbers stored as numbers
// loses the leading zero of those born on days 1 to 9: its nine digits
// are read with the zero. Elsewhere nine digits are no CPR number.
func TestDkCPRLeadingZeroDropped(t *testing.T) {
	genericCheckCases(t, NewDkCPR(), []genericCase{
		{text: "707614285", key: "cpr", want: "0707614285", conf: High},
		{text: "Jens;707614285", key: "cpr_nummer", want: "0707614285", conf: High},
		{text: "707614285", key: "ordrenr", want: ""},
		{text: "707614285", key: "", want: ""},
		{text: "cpr 707614285", key: "", want: ""},
		{text: "7076142850", key: "cpr", want: ""}, // no date
		{text: "707614285-1", key: "cpr", want: ""},
	})
}
