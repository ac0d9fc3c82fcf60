package detectors

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"
)

// TestChanceModelNordic measures the chance figures of chance_nordic.go
// as TestChanceModel does: over random candidates of each detector's
// shape (with the context the detector needs to examine them), the rate
// that validates must not exceed the figure, nor fall far below it.
// counts says whether the detector feeds the figure to CountCandidate.
func TestChanceModelNordic(t *testing.T) {
	r := rand.New(rand.NewPCG(11, 12))
	digits := func(l int) string { return randDigits(r, l) }
	cases := []struct {
		name   string
		key    string
		d      Detector
		gen    func() string
		model  float64
		counts bool
	}{
		{"kontonummer 4.2.5", "", NewNoBankAccount(), func() string { s := digits(11); return s[:4] + "." + s[4:6] + "." + s[6:] }, noAccountChance, true},
		{"kontonummer bare in a kontonr column", "kontonr", NewNoBankAccount(), func() string { return digits(11) }, noAccountChance, true},
		{"IBAN DE", "", NewIBAN(), func() string { return "DE" + digits(20) }, ibanChance, true},
		{"IBAN SE", "", NewIBAN(), func() string { return "SE" + digits(22) }, ibanChance, true},
		{"Swedish account CCCC-NNNNNNN in a kontonummer column", "kontonummer", NewSeBankAccount(), func() string { return digits(4) + "-" + digits(7) }, seAccountChance, true},
		{"HETU DDMMYY-ZZZQ", "", NewFiHETU(), func() string {
			return "hetu " + digits(6) + string("+-YXWVUABCDEF"[r.IntN(13)]) + digits(3) + string(hetuCheckChars[r.IntN(31)])
		}, fiHETUChance, true},
		{"CPR DDMMYY-SSSS", "", NewDkCPR(), func() string { s := digits(10); return "CPR-nr. " + s[:6] + "-" + s[6:] }, dkCPRChance, false},
	}
	const n = 200000
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			k, cands := 0, 0
			expect := 0.0
			var in Input
			for range n {
				in.Reset([]byte("value "+c.gen()+" done"), c.key)
				c.d.Find(&in, func(Match) { k++ })
				in.EachCandidate(func(_ Category, m int, e float64) { cands += m; expect += e })
			}
			rate := float64(k) / n
			se := 3 * math.Sqrt(c.model*(1-c.model)/n)
			t.Logf("%s: measured %.5f, model %.5f (%d candidates)", c.name, rate, c.model, cands)
			if rate > c.model+se {
				t.Errorf("measured rate %.5f above the chance model %.5f", rate, c.model)
			}
			if rate < c.model/3 {
				t.Errorf("measured rate %.5f far below the chance model %.5f", rate, c.model)
			}
			switch {
			case c.counts && cands != n:
				t.Errorf("%d candidates counted for %d inputs", cands, n)
			case c.counts && math.Abs(expect-c.model*n) > 1e-6*n:
				t.Errorf("expected matches %.1f, want %.1f", expect, c.model*n)
			case !c.counts && cands != 0:
				t.Errorf("%d candidates counted by a detector without a location test", cands)
			}
		})
	}
}

// TestChanceContextOnly measures the figures of the detectors that count
// no candidates (chance.go's second block and dkCPRChance's kin): the
// rate at which random candidates of their shape validate, with context,
// must not exceed the figure nor fall far below it.
func TestChanceContextOnly(t *testing.T) {
	r := rand.New(rand.NewPCG(13, 14))
	cases := []struct {
		name  string
		d     Detector
		gen   func() string
		model float64
	}{
		{"Norwegian 8-digit phone", NewPhone(), func() string { return fmt.Sprintf("tlf %08d", r.IntN(100000000)) }, phoneNOChance},
		{"dotted quad", NewIPAddress(), func() string {
			return fmt.Sprintf("ip %d.%d.%d.%d", r.IntN(256), r.IntN(256), r.IntN(256), r.IntN(256))
		}, ipv4Chance},
	}
	const n = 20000
	for _, c := range cases {
		k := 0
		for range n {
			if len(findAll(c.d, c.gen(), "")) > 0 {
				k++
			}
		}
		rate := float64(k) / n
		se := 3 * math.Sqrt(c.model*(1-c.model)/n)
		t.Logf("%s: measured %.4f, model %.4f", c.name, rate, c.model)
		if rate > c.model+se || rate < c.model/3 {
			t.Errorf("%s: measured %.4f against the model %.4f", c.name, rate, c.model)
		}
	}
}
