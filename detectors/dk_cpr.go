package detectors

// dkCPR finds Danish CPR numbers (personnummer), DDMMYY-SSSS.
//
// Rules (CPR-kontoret, "Personnummeret i CPR-systemet", cpr.dk, and
// identifiers.md §3): the first six digits are the birth date DDMMYY, the
// four-digit serial number SSSS follows. The century comes from the
// seventh digit (the first of SSSS): 0–3 → 1900s; 4 and 9 → 2000s when
// YY ≤ 36, else 1900s; 5–8 → 2000s when YY ≤ 57, else 1800s. The date
// must exist in that year. The modulus-11 control (weights 4 3 2 7 6 5 4 3
// 2 1) is no longer guaranteed: CPR-kontoret has issued numbers that fail
// it since 1 October 2007, so it is not checked and only the date
// validates: about 1 in 27 random DDMMYYSSSS passes (dkCPRChance).
//
// Confidence:
//
//   - DDMMYY-SSSS (or DDMMYY SSSS) without context: Low.
//   - with CPR context (CPR, CPR-nr., cpr-nummer, personnummer, … before
//     the value or in its key): High; with other-identifier context
//     (ordrenr, kontonr, …): dropped.
//   - the bare 10 digits DDMMYYSSSS: only with a CPR word right before
//     it (cpr: 0707614285) or in its column or key, then High.
//
// One value, one report: a number that is also a valid Swedish
// personnummer (Luhn and date) or a valid Finnish HETU with '-' is left to
// se_personnummer or fi_hetu unless a CPR-only word (CPR, CPR-nr.,
// sundhedskort; not the shared "personnummer") speaks for it; in turn
// se_personnummer leaves numbers behind a CPR-only word to this detector,
// so `CPR-nr.: 260683-1176` is a CPR, never a personnummer.
//
// Match.Value is the 10 digits DDMMYYSSSS; Start/End cover the number as
// written.
type dkCPR struct {
	boost, only, against *WordSet
}

// NewDkCPR returns the Danish CPR detector (id "dk_cpr").
func NewDkCPR() Detector {
	return &dkCPR{boost: CPRWords(), only: NewWordSet(cprOnlyWords...), against: NationalIDAgainst()}
}

func (*dkCPR) ID() string         { return "dk_cpr" }
func (*dkCPR) Category() Category { return NationalID }
func (*dkCPR) Description() string {
	return "Danish CPR number (DDMMYY-SSSS): real date with the century from the 7th digit, no checksum " +
		"(modulus 11 dropped in 2007): Low alone, High after CPR, CPR-nr., personnummer; in a column of CPR " +
		"numbers, nine digits with the leading zero a number column dropped"
}

func (d *dkCPR) ContextWords() []string { return sortedContextWords(d.boost) }

// cprYear returns the four-digit birth year of a CPR from YY and the
// seventh digit, per CPR-kontoret's century table.
func cprYear(yy int, seventh byte) int {
	switch seventh {
	case '0', '1', '2', '3':
		return 1900 + yy
	case '4', '9':
		if yy <= 36 {
			return 2000 + yy
		}
		return 1900 + yy
	default: // 5–8
		if yy <= 57 {
			return 2000 + yy
		}
		return 1800 + yy
	}
}

// ValidDkCPR reports whether value (10 ASCII digits DDMMYYSSSS) has a real
// birth date under the CPR century rule.
func ValidDkCPR(value []byte) bool {
	if len(value) != 10 || !AllDigits(value) {
		return false
	}
	day, month := twoDigits(value, 0), twoDigits(value, 2)
	year := cprYear(twoDigits(value, 4), value[6])
	return month >= 1 && month <= 12 && day >= 1 && day <= monthDays(month, gregorianLeap(year))
}

func (d *dkCPR) Find(in *Input, emit func(Match)) {
	runs := in.Runs()
	if in.KeyAt == nil && in.KeyContext(d.boost, d.against) == Boost {
		// A column of CPR numbers: its numbers may have lost their
		// leading zero, so every run is looked at.
		for i := range runs {
			d.candidate(in, runs, i, emit)
		}
		return
	}
	c := in.candidates()
	mergeRuns(c.bare10, c.six, func(i int32) { d.candidate(in, runs, int(i), emit) })
}

// candidate checks the run runs[i]: of 10 digits, or of 6 with 4 one
// space or hyphen after them; in a column of CPR numbers also of 9, read
// with the leading zero a number column drops (0101901234 stored as
// 101901234: everyone born on days 1 to 9).
func (d *dkCPR) candidate(in *Input, runs []Run, i int, emit func(Match)) {
	b := in.Buf
	r := runs[i]
	var joined [10]byte
	switch r.End - r.Start {
	case 10:
		if standAlone(b, r.Start, r.End, false) {
			d.check(in, b[r.Start:r.End], r.Start, r.End, emit)
		}
	case 9:
		if in.KeyAt == nil && b[r.Start] != '0' && standAlone(b, r.Start, r.End, false) &&
			in.KeyContext(d.boost, d.against) == Boost {
			joined[0] = '0'
			copy(joined[1:], b[r.Start:r.End])
			d.check(in, joined[:], r.Start, r.End, emit)
		}
	case 6:
		n, ok := dateAndNumber(b, runs, i, 4)
		if !ok {
			return
		}
		copy(joined[:6], b[r.Start:r.End])
		copy(joined[6:], b[n.Start:n.End])
		d.check(in, joined[:], r.Start, n.End, emit)
	}
}

// check validates a candidate's 10 digits and emits it.
func (d *dkCPR) check(in *Input, digits []byte, start, end int, emit func(Match)) {
	if !ValidDkCPR(digits) {
		return
	}
	bare := end-start < 11 // (a number column's nine digits too)
	if bare && in.KeyAt == nil && in.KeyContext(d.boost, d.against) != Boost && !in.nearestWord(start, d.boost) {
		return // a bare number needs a CPR word right before it or in its key
	}
	sig := in.Context(start, d.boost, d.against)
	only := sig == Boost && in.Context(start, d.only, nil) == Boost
	if !only {
		// Shared shapes: a valid Swedish personnummer or Finnish HETU is
		// theirs unless a CPR-only word speaks for Denmark.
		if _, _, _, ok := seParse(digits); ok {
			return
		}
		if !bare && in.ByteAt(start+6) == '-' && hetuValid(digits[:6], '-', digits[6:9], digits[9]) {
			return
		}
	}
	var conf Confidence
	switch {
	case sig == Boost:
		conf = High
	case sig == Against || bare:
		return
	default:
		conf = Low
	}
	emit(Match{Detector: "dk_cpr", Category: NationalID, Start: start, End: end, Value: in.valueString(digits), Confidence: conf})
}

func (*dkCPR) Positives() []Example { return toExamples(dkCPRPositives()) }
func (*dkCPR) Negatives() []Example { return toExamples(dkCPRNegatives()) }

// dkCPRPositives: dates checked by hand against the century table.
func dkCPRPositives() []nidExample {
	return []nidExample{
		{Text: "CPR-nr.: 260683-1176", Want: "2606831176", Written: "260683-1176", Conf: High, Note: "CPR-nr. label: a CPR even though the digits are also a valid Swedish samordningsnummer"},
		{Text: "Navn: Jens Hansen, CPR 311299-1234", Want: "3112991234", Written: "311299-1234", Conf: High, Note: "CPR label, 7th digit 1: 1999"},
		{Text: "personnummer: 311299-1234", Want: "3112991234", Written: "311299-1234", Conf: High, Note: "Danish personnummer label, not a valid Swedish number"},
		{Text: "cpr-nummer 290200-4123", Want: "2902004123", Written: "290200-4123", Conf: High, Note: "7th digit 4, YY 00: 29 Feb 2000"},
		{Text: "cpr: 0707614285", Want: "0707614285", Conf: High, Note: "bare 10 digits with context; 7th digit 4, YY 61: 1961"},
		{Text: `{"cpr":"1505801234"}`, Want: "1505801234", Conf: High, Note: "JSON key cpr, bare value"},
		{Text: "CPR-nr. 010150-5123", Want: "0101505123", Written: "010150-5123", Conf: High, Note: "7th digit 5, YY 50: 2050 per the table (no future check)"},
		{Text: "kunde 311299-1234 oprettet", Want: "3112991234", Written: "311299-1234", Conf: Low, Note: "DDMMYY-SSSS without context: Low (no checksum since 2007)"},
		{Text: "Sygesikringsbevis 120345 9876", Want: "1203459876", Written: "120345 9876", Conf: High, Note: "space form with context; 7th digit 9, YY 45: 1945"},
		{Text: "CPR 121212-1212", Want: "1212121212", Written: "121212-1212", Conf: High, Note: "Tolvan's digits behind a CPR-only word are a CPR"},
	}
}

func dkCPRNegatives() []nidExample {
	return []nidExample{
		{Text: "cpr-nr 290200-0123", Note: "7th digit 0: 1900, not a leap year"},
		{Text: "cpr 290258-5123", Note: "7th digit 5, YY 58: 1858, not a leap year"},
		{Text: "CPR: 320183-1234", Note: "day 32"},
		{Text: "CPR: 011383-1234", Note: "month 13"},
		{Text: "0101901234", Note: "bare 10 digits without context"},
		{Text: "ordrenr 311299-1234", Note: "other-identifier context drops a Low CPR"},
		{Text: "260683-1176", Note: "also a valid Swedish samordningsnummer: se_personnummer reports it"},
		{Text: "personnummer: 850709-2388", Note: "a valid Swedish personnummer behind the shared word: se_personnummer reports it"},
		{Text: "131052-2210", Note: "no CPR context and a valid Finnish HETU with a digit check character: fi_hetu reports it"},
		{Text: "311299-12345", Note: "five-digit serial"},
		{Text: "x311299-1234", Note: "part of a token"},
		{Text: "2024-311299-1234", Note: "hyphen-joined numbers"},
		{Text: "tel +45 3112991234", Note: "phone number with +"},
	}
}
