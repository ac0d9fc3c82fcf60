package detectors

// LabelTemporary marks a Finnish HETU with individual number 900–999:
// a temporary code given by an organisation, not by DVV.
const LabelTemporary = "temporary"

// hetuCheckChars maps DDMMYYZZZ mod 31 to the check character.
const hetuCheckChars = "0123456789ABCDEFHJKLMNPRSTUVWXY"

// fiHETU finds Finnish personal identity codes (henkilötunnus, HETU;
// personbeteckning), DDMMYYCZZZQ.
//
// Rules (Digital and Population Data Services Agency DVV, "Henkilötunnus"
// and "Henkilötunnuksen välimerkkiuudistus"; Government Decree 128/2010
// as amended, in force 1 Jan 2023; identifiers.md §3): DDMMYY is the birth
// date; C the century sign: '+' 1800s; '-' and, since 2023, 'Y' 'X' 'W' 'V'
// 'U' 1900s; 'A' and, since 2023, 'B' 'C' 'D' 'E' 'F' 2000s. ZZZ is the
// individual number 002–899; 900–999 are temporary codes (labelled
// temporary). Q is "0123456789ABCDEFHJKLMNPRSTUVWXY"[DDMMYYZZZ mod 31].
// The date must exist in the century the sign gives. The check character
// leaves 1 in 31 random candidates (fiHETUChance).
//
// Confidence: Medium; High with HETU context (hetu, henkilötunnus,
// personbeteckning, personal identity code); Low with other-identifier
// context. A code written DDMMYY-ZZZ with a digit check character has the
// shape of a Swedish personnummer and a Danish CPR: without HETU context it
// is left to se_personnummer when it is also a valid personnummer.
//
// Match.Value is the 11 characters as written (upper case): the sign is
// part of the identity since 2023 (010190-999K ≠ 010190Y999K).
type fiHETU struct {
	boost, against *WordSet
}

// NewFiHETU returns the Finnish HETU detector (id "fi_hetu").
func NewFiHETU() Detector {
	return &fiHETU{boost: HETUWords(), against: NationalIDAgainst()}
}

func (*fiHETU) ID() string         { return "fi_hetu" }
func (*fiHETU) Category() Category { return NationalID }
func (*fiHETU) Description() string {
	return "Finnish personal identity code HETU (DDMMYYCZZZQ): real date, century sign incl. the 2023 signs " +
		"B–F and U–Y, mod-31 check character; 900–999 labelled temporary"
}

func (d *fiHETU) ContextWords() []string { return sortedContextWords(d.boost) }

// hetuCentury returns the century (1800, 1900, 2000) of a sign, or 0.
func hetuCentury(c byte) int {
	switch c {
	case '+':
		return 1800
	case '-', 'Y', 'X', 'W', 'V', 'U':
		return 1900
	case 'A', 'B', 'C', 'D', 'E', 'F':
		return 2000
	}
	return 0
}

// hetuValid checks the parts of a HETU: date (6 digits), sign, individual
// number (3 digits) and check character.
func hetuValid(date []byte, sign byte, ind []byte, check byte) bool {
	v, ok := hetuNumber(date, sign, ind)
	return ok && hetuCheckChars[v%31] == upper(check)
}

// hetuNumber checks everything of a HETU but its check character (the
// century sign, the date, an individual number of 002 or more) and
// returns the number DDMMYYZZZ whose remainder by 31 picks the check
// character.
func hetuNumber(date []byte, sign byte, ind []byte) (v int, ok bool) {
	century := hetuCentury(sign)
	if century == 0 || !AllDigits(date) || !AllDigits(ind) {
		return 0, false
	}
	day, month := twoDigits(date, 0), twoDigits(date, 2)
	year := century + twoDigits(date, 4)
	if month < 1 || month > 12 || day < 1 || day > monthDays(month, gregorianLeap(year)) {
		return 0, false
	}
	n := int(ind[0]-'0')*100 + int(ind[1]-'0')*10 + int(ind[2]-'0')
	if n < 2 {
		return 0, false
	}
	for _, c := range date {
		v = v*10 + int(c-'0')
	}
	return v*1000 + n, true
}

func upper(c byte) byte {
	if c >= 'a' && c <= 'z' {
		return c - ('a' - 'A')
	}
	return c
}

// ValidFiHETU reports whether value (11 characters DDMMYYCZZZQ) is a valid HETU.
func ValidFiHETU(value []byte) bool {
	return len(value) == 11 && hetuValid(value[:6], value[6], value[7:10], value[10])
}

func (d *fiHETU) Find(in *Input, emit func(Match)) {
	b := in.Buf
	runs := in.Runs()
	for _, i := range in.candidates().six {
		r := runs[i]
		s, e := r.Start, r.Start+11
		if e > len(b) || hetuCentury(b[r.End]) == 0 {
			continue
		}
		if !IsDigit(b[s+7]) || !IsDigit(b[s+8]) || !IsDigit(b[s+9]) {
			continue
		}
		q := b[s+10]
		if !IsDigit(q) && (q < 'A' || q > 'Y') {
			continue
		}
		if !standAlone(b, s, e, false) {
			continue
		}
		v, ok := hetuNumber(b[s:s+6], b[s+6], b[s+7:s+10])
		if !ok {
			continue
		}
		// Counted once its date holds (see se_personnummer.go): only the
		// check character is left to chance.
		in.CountCandidate(NationalID, s, fiHETUChance)
		if hetuCheckChars[v%31] != upper(q) {
			continue
		}
		sig := in.Context(s, d.boost, d.against)
		if sig != Boost && (b[s+6] == '-' || b[s+6] == '+') && IsDigit(q) {
			var ten [10]byte
			copy(ten[:6], b[s:s+6])
			copy(ten[6:], b[s+7:s+11])
			if _, _, _, ok := seParse(ten[:]); ok {
				continue // also a valid personnummer: se_personnummer reports it
			}
		}
		var labels []string
		if b[s+7] == '9' {
			labels = []string{LabelTemporary}
		}
		emit(Match{Detector: "fi_hetu", Category: NationalID, Start: s, End: e, Value: in.valueString(b[s:e]),
			Confidence: Adjust(Medium, sig), Labels: labels})
	}
}

func (*fiHETU) Positives() []Example { return toExamples(fiHETUPositives()) }
func (*fiHETU) Negatives() []Example { return toExamples(fiHETUNegatives()) }

// fiHETUPositives: check characters computed by a program.
func fiHETUPositives() []nidExample {
	l := func(s ...string) []string { return s }
	return []nidExample{
		{Text: "hetu: 131052-308T", Want: "131052-308T", Conf: High, Note: "DVV's example with context"},
		{Text: "Henkilötunnus 010594Y123W", Want: "010594Y123W", Conf: High, Note: "2023 sign Y (1900s)"},
		{Text: "150380-2006", Want: "150380-2006", Conf: Medium, Note: "digit check character: also CPR-shaped, the mod-31 check decides"},
		{Text: "asiakas 010101A123N", Want: "010101A123N", Conf: Medium, Note: "sign A (2000s) without context"},
		{Text: "020304B456E", Want: "020304B456E", Conf: Medium, Note: "2023 sign B"},
		{Text: "asiakas 030303C303W;", Want: "030303C303W", Conf: Medium, Note: "2023 sign C"},
		{Text: "(040404D404V)", Want: "040404D404V", Conf: Medium, Note: "2023 sign D"},
		{Text: "060606E606T", Want: "060606E606T", Conf: Medium, Note: "2023 sign E"},
		{Text: "010110F1019", Want: "010110F1019", Conf: Medium, Note: "2023 sign F, digit check character"},
		{Text: "150580U234W", Want: "150580U234W", Conf: Medium, Note: "2023 sign U"},
		{Text: "050505V505U", Want: "050505V505U", Conf: Medium, Note: "2023 sign V"},
		{Text: "121212W212B", Want: "121212W212B", Conf: Medium, Note: "2023 sign W"},
		{Text: "070707X707S", Want: "070707X707S", Conf: Medium, Note: "2023 sign X"},
		{Text: "född 241299+123N", Want: "241299+123N", Conf: Medium, Note: "sign + (1800s)"},
		{Text: "290200A902D", Want: "290200A902D", Conf: Medium, Labels: l(LabelTemporary), Note: "29 Feb 2000, temporary number 902"},
		{Text: "personbeteckning 311299-999E", Want: "311299-999E", Conf: High, Labels: l(LabelTemporary), Note: "Finland-Swedish label, temporary number 999"},
		{Text: `{"hetu":"010594Y9032"}`, Want: "010594Y9032", Conf: High, Labels: l(LabelTemporary), Note: "JSON key hetu, temporary number 903"},
	}
}

func fiHETUNegatives() []nidExample {
	return []nidExample{
		{Text: "131052-308U", Note: "wrong check character"},
		{Text: "131052G308T", Note: "G is not a century sign"},
		{Text: "321052-308T", Note: "day 32"},
		{Text: "290201A902D", Note: "29 Feb 2001 does not exist"},
		{Text: "010101A001N", Note: "individual number 001 is not issued"},
		{Text: "X131052-308T", Note: "part of a token"},
		{Text: "131052-308TX", Note: "part of a token"},
		{Text: "131052-308", Note: "no check character"},
		{Text: "ordrenr 131052-2210", LowOK: true, Note: "valid with a digit check character behind ordrenr: reported at Low"},
	}
}
