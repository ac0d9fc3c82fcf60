package detectors

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"
)

// TestChanceModelNordic measures the chance figures of chance_nordic.go
// as TestChanceModel does.
func TestChanceModelNordic(t *testing.T) {
	r := rand.New(rand.NewPCG(11, 12))
	digits := func(l int) string { return randDigits(r, l) }
	checkChanceModels(t, []chanceCase{
		{name: "kontonummer 4.2.5", d: NewNoBankAccount(), gen: func() string { s := digits(11); return s[:4] + "." + s[4:6] + "." + s[6:] }, model: noAccountChance},
		{name: "kontonummer bare in a kontonr column", key: "kontonr", d: NewNoBankAccount(), gen: func() string { return digits(11) }, model: noAccountChance},
		{name: "IBAN DE", d: NewIBAN(), gen: func() string { return "DE" + digits(20) }, model: ibanChance},
		{name: "IBAN SE", d: NewIBAN(), gen: func() string { return "SE" + digits(22) }, model: ibanChance},
		{name: "Swedish account CCCC-NNNNNNN in a kontonummer column", key: "kontonummer", d: NewSeBankAccount(), gen: func() string { return digits(4) + "-" + digits(7) }, model: seAccountChance},
		{name: "HETU DDMMYY-ZZZQ", d: NewFiHETU(), gen: func() string {
			return "hetu " + digits(6) + string("+-YXWVUABCDEF"[r.IntN(13)]) + digits(3) + string(hetuCheckChars[r.IntN(31)])
		}, model: fiHETUChance, dated: true},
		{name: "CPR DDMMYY-SSSS", d: NewDkCPR(), gen: func() string { s := digits(10); return "CPR-nr. " + s[:6] + "-" + s[6:] }, model: dkCPRChance, uncounted: true},
	}, 200000)
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
