package detectors

import (
	"math"
	"math/rand/v2"
	"testing"
)

// TestChanceModel measures how often random candidates of each shape
// validate and checks the chance model against it: the model must not be
// below the measured rate (it would make coincidences look like evidence),
// nor far above it (it would hide real data).
func TestChanceModel(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	digits := func(l int) string { return randDigits(r, l) }
	cases := []struct {
		name  string
		d     Detector
		gen   func() string
		model float64
	}{
		{"fødselsnummer 11 digits", NewNoFnr(), func() string { return digits(11) }, fnrChance},
		{"personnummer YYMMDD-NNNC", NewSePersonnummer(nil), func() string { s := digits(10); return s[:6] + "-" + s[6:] }, seChance(seSep)},
		{"personnummer 12 digits", NewSePersonnummer(nil), func() string { return digits(12) }, seChance(seCentury)},
		{"card 16 digits", NewPaymentCard(), func() string { return digits(16) }, cardChance(16)},
		{"card 13 digits", NewPaymentCard(), func() string { return digits(13) }, cardChance(13)},
		{"card 15 digits", NewPaymentCard(), func() string { return digits(15) }, cardChance(15)},
		{"card 19 digits", NewPaymentCard(), func() string { return digits(19) }, cardChance(19)},
		{"card 14 digits", NewPaymentCard(), func() string { return digits(14) }, cardChance(14)},
		{"card 17 digits", NewPaymentCard(), func() string { return digits(17) }, cardChance(17)},
	}
	const n = 200000
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			k, cands := 0, 0
			expect := 0.0
			var in Input
			for i := 0; i < n; i++ {
				in.Reset([]byte("value "+c.gen()+" done"), "")
				c.d.Find(&in, func(Match) { k++ })
				in.EachCandidate(func(_ Category, m int, e float64) { cands += m; expect += e })
			}
			rate := float64(k) / n
			// Three standard errors of slack for the measurement.
			se := 3 * math.Sqrt(c.model*(1-c.model)/n)
			t.Logf("%s: measured %.5f, model %.5f (%d candidates, chance expects %.0f)", c.name, rate, c.model, cands, expect)
			if rate > c.model+se {
				t.Errorf("measured rate %.5f above the chance model %.5f", rate, c.model)
			}
			if rate < c.model/3 {
				t.Errorf("measured rate %.5f far below the chance model %.5f: the model hides data", rate, c.model)
			}
			if cands != n {
				t.Errorf("%d candidates counted for %d inputs", cands, n)
			}
			if d := expect - c.model*n; d > 1e-6*n || d < -1e-6*n {
				t.Errorf("expected matches %.1f, want %.1f", expect, c.model*n)
			}
		})
	}
}

// TestEveryDetectorHasAChanceModel: ChanceOf knows every built-in
// detector but the e-mail one (an address has no checksum to pass by
// chance); the figures themselves are measured by TestChanceModel,
// TestChanceModelNordic and TestChanceContextOnly.
func TestEveryDetectorHasAChanceModel(t *testing.T) {
	for _, d := range All() {
		m, ok := ChanceOf(d.ID())
		if !ok && d.Category() != Email {
			t.Errorf("%s has no chance model", d.ID())
		}
		if ok && (m.Chance <= 0 || m.Chance > 1 || m.Shape == "" || m.Use == "") {
			t.Errorf("%s: incomplete chance model %+v", d.ID(), m)
		}
	}
}

// randDigits returns l random ASCII digits.
func randDigits(r *rand.Rand, l int) string {
	b := make([]byte, l)
	for i := range b {
		b[i] = byte('0' + r.IntN(10))
	}
	return string(b)
}
