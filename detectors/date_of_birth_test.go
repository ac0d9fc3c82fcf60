package detectors

import (
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"
)

// TestDateOfBirth: the forms, the century of a two-digit year, the
// reference date, and what is left to column_name (a column or key of
// dates of birth) or is no date of birth (another word, a time stamp).
func TestDateOfBirth(t *testing.T) {
	d := NewDateOfBirth(func() time.Time { return time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC) })
	genericCheckCases(t, d, []genericCase{
		{text: "2026-03-01T10:00:00 INFO pasient født 15.03.87", want: "1987-03-15", conf: High},
		{text: "født 15.03.87", want: "1987-03-15", conf: Medium}, // prose, documentation, code
		{text: "for example, født 15.03.87", want: "1987-03-15", conf: Low},
		{text: "født 15.03.05", want: "2005-03-15", conf: Medium},
		{text: "født 15.03.26", want: "1926-03-15", conf: Medium},   // 2026-03-15 is after the reference date
		{text: "født 28.02.2026", want: "2026-02-28", conf: Medium}, // a newborn
		{text: "født 02.03.2026", want: ""},                         // tomorrow
		{text: "10:00:00 signup DOB=1987-03-15", want: "1987-03-15", conf: High},
		{text: "date_of_birth: 1987-03-15", want: "1987-03-15", conf: Medium},
		{text: `Birthday: "2015-01-01", // Under 13`, want: "2015-01-01", conf: Low}, // a literal in code
		{text: `10:00:00 {"msg":"dob '1987-03-15'"}`, want: "1987-03-15", conf: High},
		{text: "Date of Birth : 15/03/1987", want: "1987-03-15", conf: Medium},
		{text: "født den 15.03.1987", want: "1987-03-15", conf: Medium},
		{text: "Born on 03/15/1987", want: "1987-03-15", conf: Medium},
		{text: "registrert den 15.03.1987", want: ""},
		{text: "født i Oslo den 15.03.1987", want: ""}, // the word is not next to the filler
		{text: "født: 31.04.1987", want: ""},           // no 31 April
		{text: "født 15.13.1987", want: ""},
		{text: "født 15/13/1987", want: ""}, // month first: day 13 of month 15
		{text: "født 15/03/87", want: ""},   // a two-digit year only after dots
		{text: "dob 15-03-1987-1", want: ""},
		{text: "dob 1987-03-15T10:00:00Z", want: ""}, // a time stamp
		{text: "2026-03-01T10:00:00 INFO created 1987-03-15", want: ""},
		{text: "1987-03-15", key: "fodselsdato", want: ""}, // column_name's
		{text: "født 15.03.1987", key: "kommentar", want: "1987-03-15", conf: High},
	})
	// In a JSON document: a key of dates of birth is column_name's; a
	// message that says so is this detector's.
	for _, tc := range []struct{ key, text, want string }{
		{"user.dob", `{"dob":"1987-03-15"}`, ""},
		{"msg", `{"msg":"kunde født 15.03.1987"}`, "1987-03-15"},
	} {
		if got := keyAtValues(d, tc.text, tc.key); got != tc.want {
			t.Errorf("%s: got %q, want %q", tc.text, got, tc.want)
		}
	}
}

// TestDateOfBirthInOrder: the ISO dates set aside by the run scan and the
// dates read from runs are reported in the order they are written.
func TestDateOfBirthInOrder(t *testing.T) {
	text := "født 01.02.1980 og dob=1981-03-04, født 5.6.82\ndob 1983-07-08 born 09/10/1984 og 2026-01-01"
	var got []string
	var prev int
	for _, m := range genericFind(NewDateOfBirth(fixedClock), text, "") {
		if m.Start < prev {
			t.Errorf("%s at %d after %d", m.Value, m.Start, prev)
		}
		prev = m.Start
		got = append(got, m.Value)
	}
	if want := "1980-02-01 1981-03-04 1982-06-05 1983-07-08 1984-10-09"; strings.Join(got, " ") != want {
		t.Errorf("got %q, want %q", got, want)
	}
}

// TestMaskDateOfBirth: a masked date of birth keeps its century only.
func TestMaskDateOfBirth(t *testing.T) {
	if got := Mask(DateOfBirth, "1987-03-15"); got != "19**-**-**" {
		t.Errorf("Mask = %q", got)
	}
}

// TestDateOfBirthCandidates: in a long text the dates come from the
// candidate pass; they are those every run gives.
func TestDateOfBirthCandidates(t *testing.T) {
	d := NewDateOfBirth(fixedClock).(*dateOfBirth)
	r := rand.New(rand.NewPCG(4, 9))
	found := 0
	for range 3000 {
		text := dobRandText(r)
		found += checkDateOfBirthPaths(t, d, text)
	}
	if found < 300 {
		t.Fatalf("only %d dates found: the comparison proves little", found)
	}
}

// dobRandText builds a text of date-like pieces and words.
func dobRandText(r *rand.Rand) []byte {
	pieces := []string{"født ", "dob=", "born ", "faktura ", " ", ".", "/", "-", "\n", "\n", "1.2.3.4 ", "v", "2026-03-01T10:00:00 ",
		"1987-03-15", "15", "3", "03", "1987", "87", "05", "29", "02", "1988", "12", "31", "2999", "x",
		"15.03.1987", "5.3.87", "15/03/1987", "03/15/1987", "29.02.1988", "31-12-1999", "1.1.05",
		" født 15.03.1987", " dob=5.3.87", " born 15/03/1987", " født 29.02.1988.1", " dob 31-12-1999"}
	var b []byte
	for range 5 + r.IntN(60) {
		b = append(b, pieces[r.IntN(len(pieces))]...)
	}
	return b
}

// checkDateOfBirthPaths compares the matches of text from every run with
// those from the candidates, and returns how many there are.
func checkDateOfBirthPaths(t *testing.T, d *dateOfBirth, text []byte) int {
	t.Helper()
	var all, cand []Match
	var in Input
	in.Reset(text, "")
	d.find(&in, true, func(m Match) { all = append(all, m) })
	in.Reset(text, "")
	d.find(&in, false, func(m Match) { cand = append(cand, m) })
	if !slices.EqualFunc(all, cand, func(a, b Match) bool {
		return a.Start == b.Start && a.End == b.End && a.Value == b.Value && a.Confidence == b.Confidence
	}) {
		t.Fatalf("%q:\nevery run %+v\ncandidates %+v", text, all, cand)
	}
	return len(all)
}

func FuzzDateOfBirth(f *testing.F) {
	d := NewDateOfBirth(fixedClock)
	for _, x := range append(d.Positives(), d.Negatives()...) {
		f.Add([]byte(x.Text))
	}
	f.Add([]byte("dob 1.2.3.4 født 29.02.00 født 31/12/99 dob=2000-02-29 born 12/31/1999 " + strings.Repeat("1 ", 20)))
	f.Fuzz(func(t *testing.T, data []byte) {
		checkDateOfBirthPaths(t, d.(*dateOfBirth), data)
		ms := genericFind(d, string(data), "")
		genericCheckMatches(t, d, data, ms)
		for _, m := range ms {
			y, mo, dd := num([]byte(m.Value[:4])), num([]byte(m.Value[5:7])), num([]byte(m.Value[8:]))
			if len(m.Value) != 10 || y < 1900 || mo < 1 || mo > 12 || dd < 1 || dd > monthDays(mo, gregorianLeap(y)) {
				t.Fatalf("%q: no date", m.Value)
			}
			// The written date holds the value's day and month digits.
			w := digitsOf(data[m.Start:m.End])
			if !strings.Contains(w, m.Value[8:]) && !strings.Contains(w, strings.TrimPrefix(m.Value[8:], "0")) {
				t.Fatalf("written %q does not hold the day of %q", data[m.Start:m.End], m.Value)
			}
		}
	})
}
