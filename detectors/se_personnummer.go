package detectors

import (
	"slices"
	"time"
)

// sePersonnummer finds Swedish personnummer and samordningsnummer.
//
// Written forms and base confidence (identifiers.md §2):
//
//   - YYMMDD-NNNC and YYMMDD+NNNC (the official forms): Medium; High with
//     national-id context; Low with context naming another identifier.
//   - YYYYMMDDNNNC and YYYYMMDD-NNNC with century 18, 19 or 20: the same.
//   - bare YYMMDDNNNC and the rare YYMMDD NNNC: only with national-id
//     context, then High. Without it they are not reported, because they
//     collide with Swedish mobile numbers (07x…) and epoch seconds.
//
// The date must exist (Gregorian leap years) and not lie after the
// reference date. For the 10-digit forms the century is the most recent one
// that puts the year at or before the reference year; '+' (100 years or
// older) moves it back one century, so 000229+NNNC (1900) is invalid while
// 000229-NNNC (2000) is valid. The reference date comes from the clock the
// detector was built with. Day + 60 is a samordningsnummer (labelled
// samordningsnummer). Birth number 000 is invalid; the check digit is Luhn
// over the 10 digits YYMMDDNNNC. Well-known published test numbers (Tolvan
// Tolvansson 121212-1212, Skatteverket test personnummer) are labelled
// test_data.
//
// Interim numbers (T-nummer, reservnummer used by universities' Ladok and
// by healthcare regions; not issued by Skatteverket, see Skatteverket
// "Personnummer" SKV 704 for the number they stand in for, and the
// personnummer libraries' interim option) replace the first birth-number
// digit by a letter T R S U W X J K L M N, counted as 1 in the Luhn sum:
// 19940611-X311, 940611-T123. They are reported only with national-id or
// interim context (T-nummer, interimsnummer, reservnummer), at High,
// labelled interim_number; Match.Value keeps the letter (YYYYMMDDLNNC).
//
// A number behind a word that names a Danish CPR or a Finnish HETU only
// (CPR-nr., sundhedskort, hetu, henkilötunnus) is left to dk_cpr or fi_hetu.
//
// Match.Value is the normalised 12-digit form YYYYMMDDNNNC (century
// resolved as above), so the same person written in different forms gives
// the same value; Start/End cover the number as written, separator included.
type sePersonnummer struct {
	now            func() time.Time
	boost, against *WordSet
	interim        *WordSet // boost words plus the interim-number words
	foreign        *WordSet // words for Danish and Finnish ids
	org            *WordSet // organisation-number words (sole traders)
}

// LabelInterim marks a Swedish interim number (T-nummer) with a letter in
// place of the first birth-number digit.
const LabelInterim = "interim_number"

// seInterimLetter reports whether c is a letter Swedish interim numbers use.
func seInterimLetter(c byte) bool {
	switch c {
	case 'T', 'R', 'S', 'U', 'W', 'X', 'J', 'K', 'L', 'M', 'N':
		return true
	}
	return false
}

// NewSePersonnummer returns the Swedish personnummer detector (id
// "se_personnummer"). now is the clock that gives the reference date (the
// century of 10-digit numbers, the "not in the future" check); nil means
// time.Now.
func NewSePersonnummer(now func() time.Time) Detector {
	if now == nil {
		now = time.Now
	}
	return &sePersonnummer{now: now, boost: NationalIDWords(), against: NewWordSet(append(append([]string{}, againstWords...), append(cprOnlyWords, hetuWords...)...)...),
		interim: NewWordSet(append(NationalIDWords().Words(), interimWords...)...), foreign: foreignIDWords(), org: NewWordSet(orgWords...)}
}

func (*sePersonnummer) ID() string         { return "se_personnummer" }
func (*sePersonnummer) Category() Category { return NationalID }
func (*sePersonnummer) Description() string {
	return "Swedish personnummer and samordningsnummer (YYMMDD-NNNC, YYMMDD+NNNC, YYYYMMDDNNNC): " +
		"existing past date with century from the separator, Luhn check digit; bare 10 digits only with context; " +
		"in a column of personnummer, nine digits with the leading zero a number column dropped"
}

func (d *sePersonnummer) ContextWords() []string { return sortedContextWords(d.boost) }

// seForm is how a candidate was written.
type seForm uint8

const (
	seSep     seForm = iota // YYMMDD-NNNC
	sePlus                  // YYMMDD+NNNC
	seBare                  // YYMMDDNNNC or YYMMDD NNNC: needs context
	seCentury               // YYYYMMDDNNNC or YYYYMMDD-NNNC
)

// seDate is a calendar date compared as year*10000 + month*100 + day.
type seDate int

func mkSeDate(y, m, d int) seDate { return seDate(y*10000 + m*100 + d) }

// seClock reads the reference date at most once per Find call.
type seClock struct {
	now   func() time.Time
	today seDate
	year  int
	set   bool
}

func (c *seClock) ref() (year int, today seDate) {
	if !c.set {
		y, m, d := c.now().Date()
		c.year, c.today, c.set = y, mkSeDate(y, int(m), d), true
	}
	return c.year, c.today
}

// seTestNumbers are well-known published test personnummer (12-digit form):
// Tolvan Tolvansson (121212-1212 resolves to 2012 with '-', 1912 with '+'),
// Skatteverket's check-digit example 811218-9876 and
// Skatteverket test personnummer quoted in ullenius/pnummer.
var seTestNumbers = [...]uint64{
	191212121212, 201212121212, 198112189876,
	189002099811, 189103179801, 189506299818, 190006129803, 190108219817, 190704019801,
	200306062381, 200607092384, 200802122390, 202503082386, 202503312387, 202504182391,
	202508242381, 202509012387, 202510022383, 202512232386,
}

// seParse checks the 10 digits YYMMDDNNNC for everything that does not
// depend on the century: month, day range, birth number, Luhn. It returns
// the month, the day (samordningsnummer offset removed) and whether it is a
// samordningsnummer.
func seParse(d []byte) (month, day int, samord, ok bool) {
	if month, day, samord, ok = seParseDate(d); !ok || !Luhn(d) {
		return 0, 0, false, false
	}
	return month, day, samord, true
}

// seParseDate is seParse without the Luhn check: the shape the chance
// model conditions on.
func seParseDate(d []byte) (month, day int, samord, ok bool) {
	month, day = twoDigits(d, 2), twoDigits(d, 4)
	if month < 1 || month > 12 {
		return 0, 0, false, false
	}
	if day > 60 {
		samord = true
		day -= 60
	}
	if day < 1 || day > 31 {
		return 0, 0, false, false
	}
	if d[6] == '0' && d[7] == '0' && d[8] == '0' {
		return 0, 0, false, false
	}
	return month, day, samord, true
}

// seTimeStamp reports whether the birth number and check digit of the 10
// digits YYMMDDNNNC read as a time of day hhmm (00:00–23:59), as in the
// time stamps YYYYMMDDhhmm; about one personnummer in seven reads so too.
func seTimeStamp(ten []byte) bool {
	return twoDigits(ten, 6) <= 23 && twoDigits(ten, 8) <= 59
}

// seDateOK reports whether the date exists and is not after today.
func seDateOK(year, month, day int, today seDate) bool {
	return day <= monthDays(month, gregorianLeap(year)) && mkSeDate(year, month, day) <= today
}

// ValidSePersonnummer reports whether value, in the normalised 12-digit
// form YYYYMMDDNNNC, is a valid personnummer or samordningsnummer with
// century 18, 19 or 20 and a date not after now. An interim number with
// its letter in place of the first birth-number digit is valid too.
func ValidSePersonnummer(value []byte, now time.Time) bool {
	if len(value) == 12 && seInterimLetter(value[8]) {
		v := [12]byte(value)
		v[8] = '1'
		value = v[:]
	}
	if len(value) != 12 || !AllDigits(value) {
		return false
	}
	cc := twoDigits(value, 0)
	if cc < 18 || cc > 20 {
		return false
	}
	month, day, _, ok := seParse(value[2:])
	if !ok {
		return false
	}
	y, m, dd := now.Date()
	return seDateOK(cc*100+twoDigits(value, 2), month, day, mkSeDate(y, int(m), dd))
}

func (d *sePersonnummer) Find(in *Input, emit func(Match)) {
	b := in.Buf
	runs := in.Runs()
	clock := seClock{now: d.now}
	var joined [12]byte
	// In a column of personnummer, nine digits are read with the leading
	// zero a number column dropped (0501011234 stored as 501011234: those
	// born 2000 to 2009), in order with the candidates.
	column := in.KeyAt == nil && in.KeyContext(d.boost, d.against) == Boost
	next := 0
	// The candidates are 10- and 12-digit runs and 6- and 8-digit runs
	// with a run after them (candidates.go). The runs a joined candidate
	// takes (3 or 4 digits) are never candidates themselves.
	for _, ci := range in.candidates().se {
		i := int(ci)
		if column {
			for ; next < i; next++ {
				d.zeroDropped(in, &clock, runs[next], emit)
			}
			next = i + 1
		}
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
			nx := runs[i+1]
			if p, form, ok := seInterimAt(b, r.End, n); ok && nx.Start == p+1 && nx.End-nx.Start == 3 {
				if !standAlone(b, r.Start, nx.End, false) {
					continue
				}
				copy(joined[:n], b[r.Start:r.End])
				joined[n] = '1' // the letter counts as 1 in the Luhn sum
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
			if !standAlone(b, r.Start, nx.End, form == seBare) {
				continue
			}
			copy(joined[:n], b[r.Start:r.End])
			copy(joined[n:], b[nx.Start:nx.End])
			d.check(in, &clock, joined[:n+4], r.Start, nx.End, form, 0, emit)
		}
	}
	if column {
		for ; next < len(runs); next++ {
			d.zeroDropped(in, &clock, runs[next], emit)
		}
	}
}

// zeroDropped checks a run of nine digits of a column of personnummer
// with the leading zero its number column dropped.
func (d *sePersonnummer) zeroDropped(in *Input, clock *seClock, r Run, emit func(Match)) {
	b := in.Buf
	if r.End-r.Start != 9 || !standAlone(b, r.Start, r.End, false) {
		return
	}
	var digits [10]byte
	digits[0] = '0'
	copy(digits[1:], b[r.Start:r.End])
	d.check(in, clock, digits[:], r.Start, r.End, seBare, 0, emit)
}

// seInterimAt reports whether an interim letter follows the n-digit date
// run ending at e, directly or after '-' or '+': p is the letter's offset
// and form the written form.
func seInterimAt(b []byte, e, n int) (p int, form seForm, ok bool) {
	p = e
	sep := byte(0)
	if p < len(b) && (b[p] == '-' || b[p] == '+') {
		sep = b[p]
		p++
	}
	if p >= len(b) || !seInterimLetter(b[p]) {
		return 0, 0, false
	}
	switch {
	case n == 8 && sep != '+':
		form = seCentury
	case n == 6 && sep == '-':
		form = seSep
	case n == 6 && sep == '+':
		form = sePlus
	case n == 6:
		form = seBare
	default:
		return 0, 0, false
	}
	return p, form, true
}

// check validates the digits of a candidate at Buf[start:end] (10 digits,
// or 12 for seCentury) and emits it. letter is the interim letter written
// in place of the first birth-number digit (digits hold '1' there), or 0.
func (d *sePersonnummer) check(in *Input, clock *seClock, digits []byte, start, end int, form seForm, letter byte, emit func(Match)) {
	ten := digits
	if form == seCentury {
		cc := twoDigits(digits, 0)
		if cc < 18 || cc > 20 {
			return
		}
		ten = digits[2:]
	}
	month, day, samord, ok := seParseDate(ten)
	if !ok {
		return
	}
	refYear, today := clock.ref()
	var year int
	if form == seCentury {
		year = twoDigits(digits, 0)*100 + twoDigits(digits, 2)
	} else {
		yy := twoDigits(ten, 0)
		year = refYear - (refYear-yy)%100
		if form == sePlus {
			year -= 100
		}
	}
	if year < 1000 || !seDateOK(year, month, day, today) {
		return // year < 1000: a clock before year 1000, no sensible century
	}
	// A candidate is counted once its date holds: numbers with a date
	// written in them (time stamps YYYYMMDDhhmm, dated order numbers) are
	// common, and for them only the Luhn digit is left to chance.
	in.CountCandidate(NationalID, start, seChance)
	if !Luhn(ten) {
		return
	}
	if letter != 0 {
		if in.Context(start, d.interim, d.against) != Boost {
			return // also drops interim numbers behind a CPR or HETU word
		}
		var value [12]byte
		value[0] = byte('0' + year/1000)
		value[1] = byte('0' + year/100%10)
		copy(value[2:], ten)
		value[8] = letter
		labels := []string{LabelInterim}
		if samord {
			labels = append([]string{LabelSamordningsnummer}, labels...)
		}
		emit(Match{Detector: "se_personnummer", Category: NationalID, Start: start, End: end,
			Value: in.valueString(value[:]), Confidence: High, Labels: labels})
		return
	}
	sig := in.Context(start, d.boost, d.against)
	// The Danish and Finnish words are in d.against too: only an Against
	// signal needs the second look that tells them from other identifiers.
	if sig == Against && in.Context(start, d.foreign, nil) == Boost {
		return // CPR-nr., hetu: dk_cpr or fi_hetu reports it
	}
	var conf Confidence
	if form == seBare {
		if sig != Boost {
			return
		}
		conf = High
	} else {
		conf = Adjust(Medium, sig)
	}
	if form == seCentury && sig != Boost && conf > Low && seTimeStamp(ten) && !in.InRecord(start, end) {
		// YYYYMMDDhhmm (or YYYYMMDD-hhmm) in prose, documentation or
		// code: a time stamp far more often than a personnummer.
		conf = Low
	}
	var value [12]byte
	value[0] = byte('0' + year/1000)
	value[1] = byte('0' + year/100%10)
	copy(value[2:], ten)
	var labels []string
	if samord {
		labels = append(labels, LabelSamordningsnummer)
	}
	if isSeTestNumber(value[:]) {
		labels = append(labels, LabelTestData)
	}
	if sig == Against && in.Context(start, d.org, nil) == Boost {
		labels = append(labels, LabelSoleTrader)
	}
	emit(Match{
		Detector:   "se_personnummer",
		Category:   NationalID,
		Start:      start,
		End:        end,
		Value:      in.valueString(value[:]),
		Confidence: conf,
		Labels:     labels,
	})
}

// isSeTestNumber reports whether the 12 digits are a known test number.
func isSeTestNumber(v []byte) bool {
	var n uint64
	for _, c := range v {
		n = n*10 + uint64(c-'0')
	}
	return slices.Contains(seTestNumbers[:], n)
}

func (*sePersonnummer) Positives() []Example { return toExamples(sePersonnummerPositives()) }
func (*sePersonnummer) Negatives() []Example { return toExamples(sePersonnummerNegatives()) }

// sePersonnummerPositives hold only numbers whose validity does not depend
// on the clock (any reference date from 2026 to 2099). Luhn digits computed
// by a program, not by hand.
func sePersonnummerPositives() []nidExample {
	l := func(s ...string) []string { return s }
	return []nidExample{
		{Text: "personnummer: 850709-2388", Want: "198507092388", Written: "850709-2388", Conf: High, Note: "official form with context"},
		{Text: "2024-03-05 12:00:01 INFO kund 640823-3234 loggade in", Want: "196408233234", Written: "640823-3234", Conf: Medium, Note: "official form in a log line"},
		{Text: "Anna,Svensson,900101-4415,Malmö", Want: "199001014415", Written: "900101-4415", Conf: Medium, Note: "CSV field"},
		{Text: "pnr=7704151237", Want: "197704151237", Written: "7704151237", Conf: High, Note: "bare 10 digits with context"},
		{Text: "010101-5675", Want: "200101015675", Written: "010101-5675", Conf: Medium, Note: "born 2001: '-' picks the most recent century"},
		{Text: "000229-3488", Want: "200002293488", Written: "000229-3488", Conf: Medium, Note: "29 Feb 2000 (leap year)"},
		{Text: "född 230615+2873", Want: "192306152873", Written: "230615+2873", Conf: Medium, Note: "'+' = 100 or older: 1923"},
		{Text: "251231+9464", Want: "192512319464", Written: "251231+9464", Conf: Medium, Note: "'+' form, 31 Dec 1925"},
		{Text: "260101+4174", Want: "192601014174", Written: "260101+4174", Conf: Medium, Note: "'+' form, 1 Jan 1926"},
		{Text: "701063-2391", Want: "197010632391", Written: "701063-2391", Conf: Medium, Labels: l(LabelSamordningsnummer), Note: "Skatteverket samordningsnummer example (day + 60)"},
		{Text: "samordningsnummer 850772-1184", Want: "198507721184", Written: "850772-1184", Conf: High, Labels: l(LabelSamordningsnummer), Note: "samordningsnummer with context"},
		{Text: "198507092388", Want: "198507092388", Conf: Medium, Note: "12-digit storage form"},
		{Text: "no T separator: 200309251049", Want: "200309251049", Conf: Low, Note: "YYYYMMDDhhmm in prose reads as a time stamp (a man page)"},
		{Text: "released 20030925-1049 to all", Want: "200309251049", Written: "20030925-1049", Conf: Low, Note: "YYYYMMDD-hhmm in prose reads as a time stamp"},
		{Text: "2024-03-05 12:00:01 INFO kund 198507091042 loggade in", Want: "198507091042", Conf: Medium, Note: "hhmm-shaped 12-digit form in a log record"},
		{Text: "personnummer 198507091042", Want: "198507091042", Conf: High, Note: "hhmm-shaped 12-digit form with context"},
		{Text: "born=200101015675;", Want: "200101015675", Conf: Medium, Note: "12-digit form, century 20"},
		{Text: "189912313179", Want: "189912313179", Conf: Medium, Note: "12-digit form, century 18"},
		{Text: "19640823-3234", Want: "196408233234", Written: "19640823-3234", Conf: Medium, Note: "12-digit form with hyphen"},
		{Text: "personnr: 19900101-4415", Want: "199001014415", Written: "19900101-4415", Conf: High, Note: "12-digit form with context"},
		{Text: "121212-1212", Want: "201212121212", Written: "121212-1212", Conf: Medium, Labels: l(LabelTestData), Note: "Tolvan Tolvansson test number"},
		{Text: "191212121212", Want: "191212121212", Conf: Low, Labels: l(LabelTestData), Note: "Tolvan in 12-digit form; its 1212 reads as 12:12, and prose makes it a time stamp"},
		{Text: "811218-9876", Want: "198112189876", Written: "811218-9876", Conf: Medium, Labels: l(LabelTestData), Note: "Skatteverket check-digit example"},
		{Text: "20250824-2381", Want: "202508242381", Written: "20250824-2381", Conf: Medium, Labels: l(LabelTestData), Note: "Skatteverket test personnummer"},
		{Text: "personnummer 8802295546", Want: "198802295546", Written: "8802295546", Conf: High, Note: "bare with context, 29 Feb 1988"},
		{Text: "pers.nr 620415 8718", Want: "196204158718", Written: "620415 8718", Conf: High, Note: "rare space form with context"},
		{Text: `{"personnummer":"4803031238"}`, Want: "194803031238", Written: "4803031238", Conf: High, Note: "JSON key personnummer, bare value"},
		{Text: `"ssn": "197108043212"`, Want: "197108043212", Conf: High, Note: "12-digit form with context"},
		{Text: "Patient\n450912-6589\n", Want: "194509126589", Written: "450912-6589", Conf: Medium, Note: "alone on a line"},
		{Text: "[970228-7849]", Want: "199702287849", Written: "970228-7849", Conf: Medium, Note: "in brackets"},
		{Text: "(060606-7072)", Want: "200606067072", Written: "060606-7072", Conf: Medium, Note: "born 2006"},
		{Text: "id-nummer 880808-5511", Want: "198808085511", Written: "880808-5511", Conf: High, Note: "id-nummer is national-id context (unlike id)"},
		{Text: "kund 920530-2137 ringde", Want: "199205302137", Written: "920530-2137", Conf: Medium, Note: "in a sentence"},
		{Text: "540101-2249;", Want: "195401012249", Written: "540101-2249", Conf: Medium, Note: "followed by a semicolon"},
		{Text: "födelsenummer\t19920530-2137", Want: "199205302137", Written: "19920530-2137", Conf: High, Note: "Swedish label with ö, tab-separated"},
		{Text: "samordningsnr: 197707721184", Want: "197707721184", Conf: High, Labels: l(LabelSamordningsnummer), Note: "12-digit samordningsnummer"},
		{Text: "Personnummer: 19940611-X311", Want: "19940611X311", Written: "19940611-X311", Conf: High, Labels: l(LabelInterim), Note: "interim number, letter X counted as 1 in Luhn"},
		{Text: "T-nummer 940611-T311", Want: "19940611T311", Written: "940611-T311", Conf: High, Labels: l(LabelInterim), Note: "Ladok T-nummer with its own word"},
		{Text: "reservnummer 850709-T315", Want: "19850709T315", Written: "850709-T315", Conf: High, Labels: l(LabelInterim), Note: "healthcare reservnummer"},
		{Text: "interimsnummer 900101R312", Want: "19900101R312", Written: "900101R312", Conf: High, Labels: l(LabelInterim), Note: "interim number without a hyphen"},
	}
}

func sePersonnummerNegatives() []nidExample {
	return []nidExample{
		{Text: "Mobil: 0707872412", Note: "Swedish mobile that is also a valid samordningsnummer: bare, phone context"},
		{Text: "0702250648", Note: "Swedish mobile that is also a valid personnummer: bare without context"},
		{Text: "ts=1710243674", Note: "epoch seconds that pass as personnummer: bare"},
		{Text: "created 1710732551", Note: "epoch seconds that pass as personnummer: bare"},
		{Text: "556036-0793", Note: "organisationsnummer: Luhn-valid, month 60"},
		{Text: "000229+3488", Note: "'+' means 1900: not a leap year"},
		{Text: "209912313179", Note: "12-digit form dated 2099: in the future"},
		{Text: "211212121212", Note: "12-digit form with century 21"},
		{Text: "171212121212", Note: "12-digit form with century 17"},
		{Text: "121212-0008", Note: "birth number 000"},
		{Text: "121212-1213", Note: "Luhn fails"},
		{Text: "850709-2389", Note: "Luhn fails"},
		{Text: "990231-4567", Note: "Luhn-valid, 31 February"},
		{Text: "trace 550e8400-e29b-41d4-a716-198507092388", Note: "UUID group that is a valid 12-digit personnummer"},
		{Text: "1985070923881", Note: "13-digit number"},
		{Text: "SE198507092388", Note: "part of an alphanumeric token"},
		{Text: "850709-2388-01", Note: "followed by another hyphenated group"},
		{Text: "x850709-2388", Note: "part of a token"},
		{Text: "2024-850709-2388", Note: "hyphen-joined numbers"},
		{Text: "v1.850709-2388", Note: "dotted version-like run"},
		{Text: "12:850709-2388", Note: "colon-joined numbers"},
		{Text: "+850709-2388", Note: "phone-like + prefix"},
		{Text: "01019043777", Note: "Norwegian fødselsnummer: 11 digits"},
		{Text: "20240131123456", Note: "14-digit timestamp"},
		{Text: "850709 2388", Note: "space form without context"},
		{Text: "ordernummer: 640823-3234", LowOK: true, Note: "valid personnummer behind ordernummer: reported at Low only"},
		{Text: "Enskild firma, org.nr 640823-3234", LowOK: true, Note: "sole trader: the organisation number is the owner's personnummer, reported at Low labelled sole_trader"},
		{Text: "ocr 8507092388", Note: "bare with other-identifier context"},
		{Text: "personnummer: 7991377354", Note: "context but invalid date and Luhn"},
		{Text: "pnr 2444298126", Note: "context but invalid"},
		{Text: "personnummer 0000000000", Note: "Luhn-valid zeros, month 00"},
		{Text: "19850709-19850710", Note: "date range"},
		{Text: "1985-07-09-2388", Note: "ISO date with a suffix"},
		{Text: "+46 70 123 45 67", Note: "Swedish phone number"},
		{Text: "CPR-nr.: 260683-1176", Note: "valid samordningsnummer digits behind CPR-nr.: a Danish CPR, left to dk_cpr"},
		{Text: "hetu 150380-2006", Note: "behind a Finnish word: left to fi_hetu"},
		{Text: "19940611-X311", Note: "interim number without context"},
		{Text: "Personnummer: 19940611-X312", Note: "interim number, Luhn fails"},
		{Text: "personnummer 940611-A311", Note: "A is not an interim letter"},
		{Text: "ordernummer 940611-T311", Note: "interim number behind another identifier's word"},
	}
}
