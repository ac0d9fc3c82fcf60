package detectors

import "time"

// dateOfBirth finds dates of birth written in free text after a word that
// says so: "født 15.03.1987", "dob=1987-03-15", "Date of birth: 03/15/1987",
// "födelsedatum 1987-03-15", "syntymäaika 15.3.1987". A date alone is
// anything (a log's, an invoice's, a release's); the word right before it
// (past a colon, '=' or spaces: Input.nearestWord; or before "den", "on",
// "the") makes it a person's.
//
// Forms: ISO 2006-01-02 (the run scan's dates, isoDate), and day, month
// and year joined by '.', '/' or '-' (15.03.1987, 15/03/1987, 15-03-1987),
// day first, or month first when the day-first reading is no date
// (03/15/1987); a two-digit year only after dots (5.3.87), the latest
// past one. The date must exist, lie in the past and after 1900. Columns
// and keys of dates of birth are column_name's (birth_date, fødselsdato):
// only text before the value counts here, so that none is reported twice.
//
// Match.Value is the date as 2006-01-02; High in a record (a log line
// with its time, a field), Medium in other text, Low quoted there (a
// literal of code or documentation) or after example words.
type dateOfBirth struct {
	words   *WordSet
	fillers *WordSet // the words that may stand between: født den …, born on …
	now     func() time.Time
}

// NewDateOfBirth returns the date-of-birth detector (id "date_of_birth");
// now gives the reference date (nil: time.Now).
func NewDateOfBirth(now func() time.Time) Detector {
	if now == nil {
		now = time.Now
	}
	return &dateOfBirth{now: now, fillers: NewWordSet("den", "on", "the"), words: NewWordSet(
		"født", "fødd", "foedt", "fødselsdato", "fødselsdag", "foedselsdato", // Norwegian, Danish
		"född", "födelsedatum", "födelsedag", // Swedish
		"syntynyt", "syntymäaika", "syntymäpäivä", // Finnish
		"dob", "d.o.b", "birth", "birthdate", "birthday", "born", "date of birth", "dateofbirth", "date_of_birth", "birth_date",
	)}
}

func (*dateOfBirth) ID() string         { return "date_of_birth" }
func (*dateOfBirth) Category() Category { return DateOfBirth }
func (*dateOfBirth) Description() string {
	return "Dates of birth in free text right after a word that says so (født, fødselsdato, född, födelsedatum, " +
		"syntymäaika, dob, date of birth, born): 1987-03-15, 15.03.1987, 5.3.87, 15/03/1987, 03/15/1987; a real " +
		"past date after 1900; High in a record, Medium in other text, Low quoted there (code's literals). Columns and " +
		"keys of dates of birth are column_name's"
}

func (d *dateOfBirth) ContextWords() []string { return sortedContextWords(d.words) }

// Find reports the dates of birth of in.Buf in order: the ISO dates the
// run scan set aside, merged with the dotted, slashed and hyphenated
// dates: from the candidate pass (a four-digit year: candLists.date; a
// two-digit one after dots: the IPv4 candidates, candLists.dot), or, in a
// short text (a field, a value), from every run.
func (d *dateOfBirth) Find(in *Input, emit func(Match)) {
	if in.KeyAt == nil && in.KeyContext(d.words, nil) == Boost {
		return // a column of dates of birth: column_name's
	}
	d.find(in, len(in.Runs()) <= dobAllRuns, emit)
}

// find is Find, looking at every run with all, else at the candidates.
func (d *dateOfBirth) find(in *Input, all bool, emit func(Match)) {
	runs := in.Runs()
	dates := in.rs.dates
	var today [3]int
	next := 0 // the first run not looked at
	look := func(i int, twoDigits bool) {
		r := runs[i]
		for len(dates) > 0 && dates[0].Start < r.Start {
			d.iso(in, dates[0], &today, emit)
			dates = dates[1:]
		}
		next = max(next, i+1)
		if i+1 == next && i+2 < len(runs) && (!twoDigits || runs[i+2].End-runs[i+2].Start == 2) {
			if e := d.dotted(in, runs, i, &today, emit); e > i {
				next = e + 1 // (the month and year runs start no date)
			}
		}
	}
	if all {
		for i := range runs {
			look(i, false)
		}
	} else {
		c := in.candidates()
		a, b := c.date, c.dot
		for len(a) > 0 || len(b) > 0 {
			if len(b) == 0 || len(a) > 0 && a[0] <= b[0] {
				if len(b) > 0 && b[0] == a[0] {
					b = b[1:] // the same run: a four-digit year
				}
				look(int(a[0]), false)
				a = a[1:]
			} else {
				// An IPv4 candidate: a date only when its third run is a
				// two-digit year that no dotted run continues (most are
				// addresses: 10.218.154.176).
				if i := int(b[0]); i+2 < len(runs) && runs[i+2].End-runs[i+2].Start == 2 &&
					(i+3 == len(runs) || runs[i+3].Start != runs[i+2].End+1 || in.Buf[runs[i+2].End] != '.') {
					look(i, true)
				}
				b = b[1:]
			}
		}
		// The IPv4 candidates need three runs after the first: a
		// two-digit year's date among the last is looked at here.
		for i := max(next, len(runs)-3); i < len(runs); i++ {
			look(i, true)
		}
	}
	for _, r := range dates {
		d.iso(in, r, &today, emit)
	}
}

// dobAllRuns is the most runs of a text every one of which Find looks at:
// a field's or a value's few, where the candidate lists would cost more.
const dobAllRuns = 16

// iso checks the ISO date r (2006-01-02).
func (d *dateOfBirth) iso(in *Input, r Run, today *[3]int, emit func(Match)) {
	b := in.Buf
	y := num(b[r.Start : r.Start+4])
	m := num(b[r.Start+5 : r.Start+7])
	dd := num(b[r.Start+8 : r.Start+10])
	d.report(in, r.Start, r.End, y, m, dd, today, emit)
}

// dotted checks the runs from runs[i] as day, month and year joined by one
// separator ('.', '/' or '-'), and returns the index of the year's run
// when they are a date of birth, else i.
func (d *dateOfBirth) dotted(in *Input, runs []Run, i int, today *[3]int, emit func(Match)) int {
	b := in.Buf
	r0, r1, r2 := runs[i], runs[i+1], runs[i+2]
	sep := b[r0.End]
	if sep != '.' && sep != '/' && sep != '-' || r1.Start != r0.End+1 || r2.Start != r1.End+1 || b[r1.End] != sep {
		return i
	}
	if r0.End-r0.Start > 2 || r1.End-r1.Start > 2 {
		return i
	}
	ny := r2.End - r2.Start
	if ny != 4 && (ny != 2 || sep != '.') {
		return i // a two-digit year only after dots (15.03.87), as the Nordic countries write it
	}
	// Nothing joined before or after: not 1.15.03.1987, 15.03.1987.2, v15.03.1987.
	if s := r0.Start; s > 0 && (IsAlnum(b[s-1]) && !jsonEscapeBefore(b, s) && spaceBefore(b, s) == 0 || dateGlue[b[s-1]] && s > 1 && IsDigit(b[s-2])) {
		return i
	}
	if e := r2.End; e < len(b) && (IsAlnum(b[e]) || dateGlue[b[e]] && e+1 < len(b) && IsDigit(b[e+1])) {
		return i
	}
	a, m, y := num(b[r0.Start:r0.End]), num(b[r1.Start:r1.End]), num(b[r2.Start:r2.End])
	if m > 12 && sep == '/' {
		a, m = m, a // 03/15/1987: month first
	}
	if ny == 2 {
		// The latest past year: 15.03.05 is 2005, 15.03.87 1987.
		d.fill(today)
		if y += 2000; after(y, m, a, today) {
			y -= 100
		}
	}
	if d.report(in, r0.Start, r2.End, y, m, a, today, emit) {
		return i + 2
	}
	return i
}

// report emits the date y-m-dd at b[s:e] when it is a real past date after
// 1900 with a date-of-birth word right before it.
func (d *dateOfBirth) report(in *Input, s, e, y, m, dd int, today *[3]int, emit func(Match)) bool {
	if y < 1900 || dd < 1 || dd > monthDays(m, gregorianLeap(y)) { // (0 days for no month)
		return false
	}
	if d.fill(today); after(y, m, dd, today) {
		return false
	}
	if !d.named(in, s) || in.KeyAt != nil && in.pathSignal(in.KeyAt(s), d.words, nil) == Boost {
		return false // (a key of dates of birth: column_name's)
	}
	// A record (a log line with its time, a field) vouches for the date.
	// Elsewhere prose writes it as it is (født 15.03.1987: a letter, a
	// contract); code, documentation and configuration quote it as a
	// literal, an example (Birthday: "2015-01-01", all the real-text
	// sweep's).
	conf := High
	if q := in.ByteAt(s - 1); in.ExampleBefore(s) {
		conf = Low
	} else if !in.InRecord(s, e) {
		conf = Medium
		if (q == '"' || q == '\'') && in.ByteAt(e) == q {
			conf = Low
		}
	}
	v := [10]byte{byte('0' + y/1000), byte('0' + y/100%10), byte('0' + y/10%10), byte('0' + y%10), '-',
		byte('0' + m/10), byte('0' + m%10), '-', byte('0' + dd/10), byte('0' + dd%10)}
	emit(Match{Detector: "date_of_birth", Category: DateOfBirth, Start: s, End: e, Value: in.valueString(v[:]), Confidence: conf})
	return true
}

// named reports whether a date-of-birth word stands right before b[s], or
// before a filler word that does (født den 15.03.1987, born on 03/15/1987).
func (d *dateOfBirth) named(in *Input, s int) bool {
	if in.nearestWord(s, d.words) {
		return true
	}
	if !in.nearestWord(s, d.fillers) {
		return false
	}
	b := in.Buf
	t := s
	for t > 0 && b[t-1] == ' ' {
		t--
	}
	for t > 0 && tokenByte(b[t-1]) {
		t--
	}
	return t < s && in.nearestWord(t, d.words)
}

// fill sets today (year, month, day) from the clock on first use.
func (d *dateOfBirth) fill(today *[3]int) {
	if today[0] == 0 {
		t := d.now()
		today[0], today[1], today[2] = t.Year(), int(t.Month()), t.Day()
	}
}

// after reports whether y-m-dd is after today (year, month, day).
func after(y, m, dd int, today *[3]int) bool {
	return y > today[0] || y == today[0] && (m > today[1] || m == today[1] && dd > today[2])
}

// num is the value of the ASCII digits b.
func num(b []byte) int {
	n := 0
	for _, c := range b {
		n = n*10 + int(c-'0')
	}
	return n
}

// Positives are inputs that must produce a date of birth.
func (d *dateOfBirth) Positives() []Example {
	return []Example{
		{Text: "pasient født 15.03.1987, innlagt", Want: "1987-03-15", Note: "Norwegian, day first with dots"},
		{Text: "Fødselsdato: 5.3.87", Want: "1987-03-05", Note: "one-digit day and month, two-digit year"},
		{Text: "level=INFO msg=\"signup\" dob=1987-03-15 plan=pro", Want: "1987-03-15", Note: "logfmt key, ISO date"},
		{Text: "Date of birth: 03/15/1987", Want: "1987-03-15", Note: "month first where day first is no date"},
		{Text: "födelsedatum 1987-03-15", Want: "1987-03-15", Note: "Swedish"},
		{Text: "syntymäaika 15.3.1987", Want: "1987-03-15", Note: "Finnish"},
		{Text: "born 29/02/1988 in Oslo", Want: "1988-02-29", Note: "29 February of a leap year"},
		{Text: `{"msg":"kunde født 15-03-1987"}`, Want: "1987-03-15", Note: "hyphens, inside a JSON string"},
	}
}

// Negatives are inputs that must not produce a date of birth.
func (d *dateOfBirth) Negatives() []Example {
	return []Example{
		{Text: "faktura 15.03.1987", Note: "a date with another word: anything"},
		{Text: "2026-03-01T10:00:00 INFO dob updated", Note: "a time stamp is no date of birth"},
		{Text: "født 29.02.1987", Note: "no 29 February in 1987"},
		{Text: "født 15.03.2999", Note: "in the future"},
		{Text: "født 15.03.1850", Note: "before 1900"},
		{Text: "født 1.15.03.1987", Note: "part of a longer dotted number"},
		{Text: "født 15.03.1987.2", Note: "a version, not a date"},
		{Text: "dob: v15.03.1987", Note: "joined to a word"},
		{Text: "født i Bergen, ansatt 01.08.2015", Note: "the word is not right before the date"},
	}
}
