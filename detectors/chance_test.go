package detectors

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"
)

// chanceCase is a detector's chance figure and how to make random
// candidates of its shape (with the key the detector needs to examine
// them). uncounted: the detector feeds no figure to CountCandidate.
// dated: the detector counts only the inputs whose date part holds (the
// date-based identifiers), and the figure is the rate among those.
type chanceCase struct {
	name      string
	key       string
	d         Detector
	gen       func() string
	model     float64
	uncounted bool
	dated     bool
}

// checkChanceModels measures how often n random candidates of each case
// validate and checks the chance model against it: the model must not be
// below the measured rate (it would make coincidences look like evidence),
// nor far below it (it would hide real data); and the candidates counted
// and the matches chance expects among them must be the model's.
func checkChanceModels(t *testing.T, cases []chanceCase, n int) {
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
			m := n // the inputs the rate is measured over
			if c.dated {
				m = cands
				if cands < n/1000 || cands > n {
					t.Fatalf("%d of %d inputs counted as candidates", cands, n)
				}
			}
			rate := float64(k) / float64(m)
			// Three standard errors of slack for the measurement.
			se := 3 * math.Sqrt(c.model*(1-c.model)/float64(m))
			t.Logf("%s: measured %.5f, model %.5f (%d candidates, chance expects %.0f)", c.name, rate, c.model, cands, expect)
			if rate > c.model+se {
				t.Errorf("measured rate %.5f above the chance model %.5f", rate, c.model)
			}
			if rate < c.model/3 {
				t.Errorf("measured rate %.5f far below the chance model %.5f: the model hides data", rate, c.model)
			}
			switch {
			case !c.uncounted && cands != m:
				t.Errorf("%d candidates counted for %d inputs", cands, m)
			case !c.uncounted && math.Abs(expect-c.model*float64(m)) > 1e-6*float64(m):
				t.Errorf("expected matches %.1f, want %.1f", expect, c.model*float64(m))
			case c.uncounted && cands != 0:
				t.Errorf("%d candidates counted by a detector without a location test", cands)
			}
		})
	}
}

// TestChanceModel measures the chance figures of the first detectors.
func TestChanceModel(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	digits := func(l int) string { return randDigits(r, l) }
	checkChanceModels(t, []chanceCase{
		{name: "fødselsnummer 11 digits", d: NewNoFnr(), gen: func() string { return digits(11) }, model: fnrChance, dated: true},
		{name: "personnummer YYMMDD-NNNC", d: NewSePersonnummer(nil), gen: func() string { s := digits(10); return s[:6] + "-" + s[6:] }, model: seChance, dated: true},
		{name: "personnummer 12 digits", d: NewSePersonnummer(nil), gen: func() string { return digits(12) }, model: seChance, dated: true},
		{name: "card 16 digits", d: NewPaymentCard(), gen: func() string { return digits(16) }, model: cardChance(16)},
		{name: "card 13 digits", d: NewPaymentCard(), gen: func() string { return digits(13) }, model: cardChance(13)},
		{name: "card 15 digits", d: NewPaymentCard(), gen: func() string { return digits(15) }, model: cardChance(15)},
		{name: "card 19 digits", d: NewPaymentCard(), gen: func() string { return digits(19) }, model: cardChance(19)},
		{name: "card 14 digits", d: NewPaymentCard(), gen: func() string { return digits(14) }, model: cardChance(14)},
		{name: "card 17 digits", d: NewPaymentCard(), gen: func() string { return digits(17) }, model: cardChance(17)},
	}, 200000)
}

// TestChanceModelOnDates measures the date-based identifiers on numbers
// whose date part always holds, as in time stamps (YYYYMMDDhhmm) and
// order numbers that start with the day's date: the figures must hold for
// them too, or a log of such numbers would look like evidence of
// personal data (a tenth of YYYYMMDDhhmm time stamps pass as a
// personnummer).
func TestChanceModelOnDates(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	digits := func(l int) string { return randDigits(r, l) }
	dm := func() string { return fmt.Sprintf("%02d%02d", 1+r.IntN(28), 1+r.IntN(12)) } // DDMM
	md := func() string { return fmt.Sprintf("%02d%02d", 1+r.IntN(12), 1+r.IntN(28)) } // MMDD
	hhmm := func() string { return fmt.Sprintf("%02d%02d", r.IntN(24), r.IntN(60)) }
	checkChanceModels(t, []chanceCase{
		{name: "DDMMYY and a 5-digit sequence", d: NewNoFnr(), gen: func() string { return dm() + digits(2) + digits(5) }, model: fnrChance, dated: true},
		{name: "YYMMDD-hhmm", d: NewSePersonnummer(nil), gen: func() string { return fmt.Sprintf("%02d", r.IntN(100)) + md() + "-" + hhmm() }, model: seChance, dated: true},
		{name: "YYYYMMDDhhmm", d: NewSePersonnummer(nil), gen: func() string { return fmt.Sprint(1990+r.IntN(35)) + md() + hhmm() }, model: seChance, dated: true},
		{name: "HETU-shaped DDMMYY-ZZZQ", d: NewFiHETU(), gen: func() string {
			return "hetu " + dm() + digits(2) + string("+-YXWVUABCDEF"[r.IntN(13)]) + digits(3) + string(hetuCheckChars[r.IntN(31)])
		}, model: fiHETUChance, dated: true},
	}, 100000)
}

// TestEveryDetectorHasAChanceModel: ChanceOf knows every built-in
// detector but the e-mail, credentials and name ones (an address, a
// password and a name have no checksum to pass by chance); the figures
// themselves are measured by TestChanceModel, TestChanceModelNordic and
// TestChanceContextOnly.
func TestEveryDetectorHasAChanceModel(t *testing.T) {
	for _, d := range All() {
		m, ok := ChanceOf(d.ID())
		if !ok && d.Category() != Email && d.Category() != Credentials && d.Category() != Name {
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
