package detectors

import (
	"math/rand/v2"
	"reflect"
	"testing"
)

// checkAgainstRef fails when a detector's Find and its plain reference walk
// (the shortcut-free version it must agree with) report different matches.
func checkAgainstRef(t *testing.T, find, ref func(*Input, func(Match)), text []byte, key string) {
	t.Helper()
	var in Input
	in.Reset(text, key)
	var got, want []Match
	find(&in, func(m Match) { got = append(got, m) })
	in.Reset(text, key)
	ref(&in, func(m Match) { want = append(want, m) })
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("%q key %q:\nFind      %+v\nreference %+v", text, key, got, want)
	}
}

// The reference walks below visit every digit run, as the detectors did
// before they shared the candidate lists of candidates.go; Find must
// report exactly what they report.

func noFnrRefFind(d *noFnr, in *Input, emit func(Match)) {
	b := in.Buf
	runs := in.Runs()
	var joined [11]byte
	for i := 0; i < len(runs); i++ {
		r := runs[i]
		switch r.End - r.Start {
		case 11:
			if standAlone(b, r.Start, r.End, false) {
				d.check(in, b[r.Start:r.End], r.Start, r.End, emit)
			}
		case 6:
			if i+1 == len(runs) {
				continue
			}
			n := runs[i+1]
			sep := b[r.End]
			if n.Start != r.End+1 || n.End-n.Start != 5 || sep != ' ' && sep != '-' {
				continue
			}
			i++
			if !standAlone(b, r.Start, n.End, sep == ' ') {
				continue
			}
			copy(joined[:6], b[r.Start:r.End])
			copy(joined[6:], b[n.Start:n.End])
			d.check(in, joined[:], r.Start, n.End, emit)
		}
	}
}

func seRefFind(d *sePersonnummer, in *Input, emit func(Match)) {
	b := in.Buf
	runs := in.Runs()
	clock := seClock{now: d.now}
	var joined [12]byte
	for i := 0; i < len(runs); i++ {
		r := runs[i]
		switch n := r.End - r.Start; n {
		case 10, 12:
			if !standAlone(b, r.Start, r.End, false) {
				continue
			}
			form := seBare
			if n == 12 {
				form = seCentury
			}
			d.check(in, &clock, b[r.Start:r.End], r.Start, r.End, form, 0, emit)
		case 6, 8:
			if i+1 == len(runs) {
				continue
			}
			nx := runs[i+1]
			if p, form, ok := seInterimAt(b, r.End, n); ok && nx.Start == p+1 && nx.End-nx.Start == 3 {
				i++
				if !standAlone(b, r.Start, nx.End, false) {
					continue
				}
				copy(joined[:n], b[r.Start:r.End])
				joined[n] = '1'
				copy(joined[n+1:], b[nx.Start:nx.End])
				d.check(in, &clock, joined[:n+4], r.Start, nx.End, form, b[p], emit)
				continue
			}
			if nx.Start != r.End+1 || nx.End-nx.Start != 4 {
				continue
			}
			var form seForm
			switch sep := b[r.End]; {
			case sep == '-' && n == 6:
				form = seSep
			case sep == '+' && n == 6:
				form = sePlus
			case sep == ' ' && n == 6:
				form = seBare
			case sep == '-' && n == 8:
				form = seCentury
			default:
				continue
			}
			i++
			if !standAlone(b, r.Start, nx.End, form == seBare) {
				continue
			}
			copy(joined[:n], b[r.Start:r.End])
			copy(joined[n:], b[nx.Start:nx.End])
			d.check(in, &clock, joined[:n+4], r.Start, nx.End, form, 0, emit)
		}
	}
}

func cardRefFind(d *cardDetector, in *Input, emit func(Match)) {
	b := in.Buf
	runs := in.Runs()
	for i := 0; i < len(runs); i++ {
		r := runs[i]
		n := r.End - r.Start
		switch {
		case n >= cardMinLen && n <= cardMaxLen:
			if cardBounded(b, r.Start, r.End, 0) {
				d.check(in, r.Start, r.End, b[r.Start:r.End], false, emit)
			}
		case n == 4:
			if used := d.grouped(in, runs, i, emit); used > 0 {
				i += used - 1
			}
		}
	}
}

// refRandText builds text from the pieces national ids, card numbers and
// their look-alikes are made of.
func refRandText(r *rand.Rand) []byte {
	pieces := []string{"15038712486", "150387", "12486", "19870315", "870315", "811228-9874", "198112289874", "811228", "9874", "1234", "4571", "8579", "5959", "3587",
		"4111111111111111", "T23", "-", "+", " ", " ", ".", "/", ":", "\n", "fnr ", "kort ", "personnummer ", "a", "0", "12"}
	var b []byte
	for range 1 + r.IntN(20) {
		b = append(b, pieces[r.IntN(len(pieces))]...)
	}
	return b
}

func TestNumberDetectorsMatchRef(t *testing.T) {
	fnr, se, card := NewNoFnr().(*noFnr), NewSePersonnummer(nil).(*sePersonnummer), NewPaymentCard().(*cardDetector)
	check := func(t *testing.T, text []byte) {
		checkAgainstRef(t, fnr.Find, func(in *Input, emit func(Match)) { noFnrRefFind(fnr, in, emit) }, text, "")
		checkAgainstRef(t, se.Find, func(in *Input, emit func(Match)) { seRefFind(se, in, emit) }, text, "")
		checkAgainstRef(t, card.Find, func(in *Input, emit func(Match)) { cardRefFind(card, in, emit) }, text, "")
	}
	for _, d := range []Detector{fnr, se, card} {
		for _, e := range append(d.Positives(), d.Negatives()...) {
			check(t, []byte(e.Text))
		}
	}
	r := rand.New(rand.NewPCG(5, 6))
	found := map[string]int{}
	for range 20000 {
		text := refRandText(r)
		check(t, text)
		var in Input
		for _, d := range []Detector{fnr, se, card} {
			in.Reset(text, "")
			d.Find(&in, func(m Match) { found[m.Detector]++ })
		}
	}
	// The random texts must reach every detector's matches, or the
	// comparison above says little.
	for _, d := range []Detector{fnr, se, card} {
		if found[d.ID()] < 100 {
			t.Errorf("%s: only %d matches in the random texts", d.ID(), found[d.ID()])
		}
	}
}
