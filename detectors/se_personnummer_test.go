package detectors

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
	"time"
)

// fixedClock is the reference time of the Swedish tests: 15 June 2026.
func fixedClock() time.Time { return time.Date(2026, 6, 15, 12, 0, 0, 0, time.UTC) }

func TestSePersonnummerExamples(t *testing.T) {
	// The tables hold clock-independent numbers: they must pass with the
	// test clock and with the real one.
	checkNidExamples(t, NewSePersonnummer(fixedClock), sePersonnummerPositives(), sePersonnummerNegatives())
	checkNidExamples(t, NewSePersonnummer(nil), sePersonnummerPositives(), sePersonnummerNegatives())
}

func TestSePersonnummerMetadata(t *testing.T) {
	d := NewSePersonnummer(nil)
	if d.ID() != "se_personnummer" || d.Category() != NationalID || d.Description() == "" {
		t.Errorf("metadata: %q %q %q", d.ID(), d.Category(), d.Description())
	}
	w := d.ContextWords()
	if !slices.Contains(w, "personnummer") || !slices.Contains(w, "samordningsnummer") || !slices.IsSorted(w) {
		t.Errorf("ContextWords = %v", w)
	}
}

// pnr returns YYMMDD + sep + NNN + Luhn digit.
func pnr(t *testing.T, yymmdd, sep, nnn string) string {
	t.Helper()
	c, ok := LuhnCheckDigit([]byte(yymmdd + nnn))
	if !ok {
		t.Fatalf("bad payload %s%s", yymmdd, nnn)
	}
	return yymmdd + sep + nnn + string(c)
}

// TestSePersonnummerClock checks the century rules and the future check
// against an injected clock.
func TestSePersonnummerClock(t *testing.T) {
	at := func(y int, m time.Month, d int) func() time.Time {
		return func() time.Time { return time.Date(y, m, d, 23, 59, 0, 0, time.UTC) }
	}
	tests := []struct {
		clock func() time.Time
		text  string
		want  string // 12-digit value, "" for no match
	}{
		{at(2026, 6, 15), pnr(t, "260614", "-", "123"), "20260614"}, // yesterday
		{at(2026, 6, 15), pnr(t, "260615", "-", "123"), "20260615"}, // today
		{at(2026, 6, 15), pnr(t, "260616", "-", "123"), ""},         // tomorrow: '-' cannot mean 1926
		{at(2026, 6, 15), pnr(t, "260616", "+", "123"), "19260616"}, // turns 100 this year
		{at(2026, 6, 15), pnr(t, "270101", "-", "123"), "19270101"},
		{at(2026, 6, 15), pnr(t, "270101", "+", "123"), "18270101"},
		{at(2030, 1, 1), pnr(t, "270101", "-", "123"), "20270101"},
		{at(2030, 1, 1), pnr(t, "270101", "+", "123"), "19270101"},
		{at(2026, 6, 15), pnr(t, "000229", "-", "234"), "20000229"},                 // 2000 is a leap year
		{at(2026, 6, 15), pnr(t, "000229", "+", "234"), ""},                         // 1900 is not
		{at(2101, 6, 15), pnr(t, "000229", "-", "234"), ""},                         // 2100 is not a leap year either
		{at(2026, 6, 15), "20260616" + pnr(t, "260616", "", "123")[6:], ""},         // 12-digit, tomorrow
		{at(2026, 6, 15), "20260614" + pnr(t, "260614", "", "123")[6:], "20260614"}, // 12-digit, yesterday
		{at(2026, 6, 15), pnr(t, "260675", "-", "123"), "20260675"},                 // samordningsnummer (value keeps day + 60), today
		{at(2026, 6, 15), pnr(t, "260676", "-", "123"), ""},                         // samordningsnummer, tomorrow
	}
	for _, tt := range tests {
		ms := findAll(NewSePersonnummer(tt.clock), tt.text, "")
		got := ""
		if len(ms) == 1 {
			got = ms[0].Value[:8]
		} else if len(ms) > 1 {
			t.Errorf("%s at %v: %d matches", tt.text, tt.clock(), len(ms))
		}
		if got != tt.want {
			t.Errorf("%s at %v: value prefix %q, want %q", tt.text, tt.clock().Format(time.DateOnly), got, tt.want)
		}
	}
}

func TestSePersonnummerKeyContext(t *testing.T) {
	d := NewSePersonnummer(fixedClock)
	tests := []keyConfidenceCase{
		{"", "8507092388", None},
		{"personnummer", "8507092388", High},
		{"kund_pnr", "8507092388", High},
		{"mobilnummer", "0702250648", None},
		{"ordernummer", "8507092388", None},
		{"ordernummer", "850709-2388", Low},
		{"personnummer", "850709-2388", High},
		{"", "850709-2388", Medium},
		{"personnummer", "ocr 850709-2388", Low}, // text before the value wins over the key
	}
	checkKeyConfidence(t, d, tests)
}

// refSe is an independent reading of identifiers.md §2.2 for 10-digit
// numbers with '-': it uses package time for the calendar.
func refSe(s string, now time.Time) (value string, ok bool) {
	n := func(i int) int { return int(s[i]-'0')*10 + int(s[i+1]-'0') }
	yy, mm, dd := n(0), n(2), n(4)
	if dd > 60 {
		dd -= 60
	}
	year := now.Year() - (now.Year()-yy)%100
	date := time.Date(year, time.Month(mm), dd, 0, 0, 0, 0, time.UTC)
	if mm < 1 || mm > 12 || dd < 1 || date.Day() != dd || date.Month() != time.Month(mm) {
		return "", false
	}
	today := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, time.UTC)
	if date.After(today) || s[6:9] == "000" {
		return "", false
	}
	sum := 0
	for i := range 10 {
		v := int(s[i] - '0')
		if i%2 == 0 {
			v *= 2
			if v > 9 {
				v -= 9
			}
		}
		sum += v
	}
	if sum%10 != 0 {
		return "", false
	}
	return fmt.Sprintf("%04d", year)[:2] + s, true
}

func TestSePersonnummerDifferential(t *testing.T) {
	d := NewSePersonnummer(fixedClock)
	r := rand.New(rand.NewPCG(3, 4))
	valid := 0
	for i := range 100000 {
		s := fmt.Sprintf("%02d%02d%02d%03d", r.IntN(100), r.IntN(14), r.IntN(95), r.IntN(1000))
		c := byte('0' + r.IntN(10))
		if i%2 == 1 {
			c, _ = LuhnCheckDigit([]byte(s))
		}
		s += string(c)
		want, ok := refSe(s, fixedClock())
		ms := findAll(d, s[:6]+"-"+s[6:], "")
		if (len(ms) == 1) != ok || ok && ms[0].Value != want {
			t.Fatalf("%s: got %+v, reference %q %v", s, ms, want, ok)
		}
		if ok {
			valid++
			if !ValidSePersonnummer([]byte(want), fixedClock()) {
				t.Fatalf("ValidSePersonnummer(%s) = false", want)
			}
		}
	}
	if valid < 1000 {
		t.Errorf("only %d valid numbers: the differential test is too weak", valid)
	}
}

func TestValidSePersonnummer(t *testing.T) {
	now := fixedClock()
	for s, want := range map[string]bool{
		"198507092388": true, "197010632391": true, "189912313179": true,
		"198507092389": false, "209912313179": false, "211212121212": false,
		"19850709238": false, "19850709238x": false, "": false,
	} {
		if got := ValidSePersonnummer([]byte(s), now); got != want {
			t.Errorf("ValidSePersonnummer(%q) = %v", s, got)
		}
	}
}

// TestSePersonnummerZeroAllocs: failing candidates cost no allocation, and
// the clock is not read for them.
func TestSePersonnummerZeroAllocs(t *testing.T) {
	text := []byte("ts=20240131123456 990231-4567 556036-0793 121212-1213 211212121212 " +
		"uuid 550e8400-e29b-41d4-a716-198507092388 850709 2388 2024-01-31 12:00:00\n")
	reads := 0
	d := NewSePersonnummer(func() time.Time { reads++; return fixedClock() })
	var in Input
	found := 0
	emit := func(Match) { found++ }
	n := testing.AllocsPerRun(200, func() {
		in.Reset(text, "")
		d.Find(&in, emit)
	})
	if found != 0 {
		t.Fatalf("test input has %d matches; it must hold failing candidates only", found)
	}
	if n != 0 {
		t.Errorf("Find allocates %v times on failing candidates", n)
	}
	// 990231-4567 passes Luhn and reaches the date check.
	if reads == 0 || reads > 201 {
		t.Errorf("clock read %d times in 201 runs, want once per run at most", reads)
	}
}

func BenchmarkSePersonnummer(b *testing.B) { benchDetector(b, NewSePersonnummer(nil)) }

// TestSeJoinableLosesNothing: the 6- and 8-digit candidates seJoinable
// keeps give the same matches as every such run with any run after it,
// on text made of the pieces of every written form.
func TestSeJoinableLosesNothing(t *testing.T) {
	pieces := []string{"940611", "19940611", "850709", "811218", "19811218", "-", "+", "T", "X", " ", "311", "315", "9876", "\n\x00", "x", "--", "-T", "+X"}
	r := rand.New(rand.NewPCG(12, 13))
	d := NewSePersonnummer(fixedClock)
	found, interim := 0, 0
	for range 20000 {
		var b []byte
		for range 1 + r.IntN(6) {
			b = append(b, pieces[r.IntN(len(pieces))]...)
		}
		find := func(all bool) []Match {
			var in Input
			in.Reset(b, "personnummer")
			if all {
				c := in.candidates()
				c.se = c.se[:0]
				runs := in.Runs()
				for i, run := range runs {
					n := run.End - run.Start
					if n == 10 || n == 12 || (n == 6 || n == 8) && i+1 < len(runs) {
						c.se = append(c.se, int32(i))
					}
				}
			}
			var out []Match
			d.Find(&in, func(m Match) { out = append(out, m) })
			return out
		}
		if m := find(false); len(m) > 0 {
			found++
			if slices.ContainsFunc(m, func(m Match) bool { return slices.Contains(m.Labels, LabelInterim) }) {
				interim++
			}
		}
		if got, want := find(false), find(true); !slices.EqualFunc(got, want, func(a, b Match) bool {
			return a.Start == b.Start && a.End == b.End && a.Value == b.Value && a.Confidence == b.Confidence
		}) {
			t.Fatalf("%q: %v, want %v", b, got, want)
		}
	}
	if found < 100 || interim < 20 {
		t.Errorf("only %d texts with a match, %d with an interim number: the comparison proves little", found, interim)
	}
}

// TestSePersonnummerLeadingZeroDropped: a column of personnummer stored
// as numbers loses the leading zero of those born 2000 to 2009: its nine
// digits are read with the zero. Elsewhere nine digits are none.
func TestSePersonnummerLeadingZeroDropped(t *testing.T) {
	genericCheckCases(t, NewSePersonnummer(fixedClock), []genericCase{
		{text: "501010011", key: "personnummer", want: "200501010011", conf: High},
		{text: "Anna;501010011", key: "personnr", want: "200501010011", conf: High},
		{text: "501010011", key: "ordernr", want: ""},
		{text: "501010011", key: "", want: ""},
		{text: "personnummer 501010011", key: "", want: ""},
		{text: "501010012", key: "personnummer", want: ""}, // the Luhn digit off
		{text: "501010011-3", key: "personnummer", want: ""},
	})
}
