package detectors

// Labels for the kinds of Norwegian and Swedish national identity numbers.
// A plain fødselsnummer or personnummer carries no kind label.
const (
	LabelDNumber           = "d_number"          // Norwegian D-number: day + 40
	LabelHNumber           = "h_number"          // Norwegian H-number: month + 40 (also NAV Dolly test identities)
	LabelFHNumber          = "fh_number"         // Norwegian felles hjelpenummer: first digit 8 or 9, no date
	LabelSamordningsnummer = "samordningsnummer" // Swedish coordination number: day + 60
)

// noFnr finds Norwegian fødselsnummer and the numbers built like them.
//
// Every kind is reported with Match.Detector "no_fnr"; the kind is a label:
// d_number, h_number, fh_number, plus test_data for the synthetic month
// ranges (+65 Norsk helsenett, +80 Skatteetaten Tenor) and k1_2032 for a
// number whose first control digit is valid only under the rule in force
// from 1 Jan 2032.
//
// Confidence policy (identifiers.md §1):
//
//   - classic control digits, real date (fnr, D, H): Medium; High with
//     national-id context; Low with context naming another identifier
//     (kontonr, ordrenr, KID, faktura, …), because every fødselsnummer is
//     also a valid bank account number.
//   - valid only under the 2032 K1 rule, or a synthetic month range (+65,
//     +80): Low; Medium with national-id context; dropped with other-id
//     context. The weak kinds never reach Medium on their own, so that e.g.
//     a Swedish MSISDN 4670xxxxxxx (day 46, month 70) stays at Low.
//   - FH-number (first digit 8 or 9, no date): reported only with
//     national-id context, at Medium (Low when valid only under the 2032 rule).
//
// Accepted written forms: 11 digits (01019012345), or 6+5 digits joined by
// one space or hyphen (010190 12345, 010190-12345). The number must stand
// alone (see standAlone); Match.Value is the 11 digits, Start/End cover the
// number as written.
//
// One value, one report: every fødselsnummer is also a valid kontonummer.
// A bare 11-digit number behind bank-account context (kontonr, konto,
// bankkonto, IBAN, account; before the value or in its key) is left to
// no_bank_account, which reports it there.
type noFnr struct {
	boost, against *WordSet
	bank, notBank  *WordSet // no_bank_account's context words
	// labels are the matches' labels for each combination of the fnr*
	// bits, made once and shared read-only, so that a match allocates
	// none.
	labels [fnrKinds][]string
}

// The bits of a number's kind, which index noFnr.labels.
const (
	fnrFH = 1 << iota
	fnrD
	fnrH
	fnrSynthetic
	fnrNew2032
	fnrKinds = 1 << iota
)

// fnrLabels returns the labels of each kind: nil for a plain number.
func fnrLabels() (t [fnrKinds][]string) {
	for k := range t {
		var l []string
		for _, x := range []struct {
			bit   int
			label string
		}{{fnrFH, LabelFHNumber}, {fnrD, LabelDNumber}, {fnrH, LabelHNumber}, {fnrSynthetic, LabelTestData}, {fnrNew2032, LabelNew2032}} {
			if k&x.bit != 0 {
				l = append(l, x.label)
			}
		}
		t[k] = l
	}
	return t
}

// NewNoFnr returns the Norwegian fødselsnummer detector (id "no_fnr").
func NewNoFnr() Detector {
	// The bank words are other-identifier words for a fødselsnummer too, so
	// that only an Against signal needs the look that decides for a bank
	// account.
	return &noFnr{boost: NationalIDWords(), against: NewWordSet(append(append([]string{}, againstWords...), bankWords...)...),
		bank: BankWords(), notBank: BankAgainst(), labels: fnrLabels()}
}

func (*noFnr) ID() string         { return "no_fnr" }
func (*noFnr) Category() Category { return NationalID }
func (*noFnr) Description() string {
	return "Norwegian fødselsnummer, D-, H- and FH-numbers (DDMMYY NNNNN): real date, both MOD11 control digits " +
		"(2032 rule at lower confidence), synthetic test ranges labelled test_data; in a column or key of " +
		"fødselsnummer, ten digits are read with the leading zero a number column dropped"
}

func (d *noFnr) ContextWords() []string { return sortedContextWords(d.boost) }

// fnrInfo is what the digits of a valid fødselsnummer-shaped number say.
type fnrInfo struct {
	dNumber   bool // day + 40
	hNumber   bool // month + 40
	fh        bool // first digit 8 or 9, no date
	synthetic bool // month + 65 or + 80
	new2032   bool // K1 valid only under the 2032 rule
}

// parseFnr validates 11 ASCII digits as a fødselsnummer, D-, H-, FH- or
// synthetic number under the classic or the 2032 control-digit rule.
// The caller guarantees len(d) == 11 and that all bytes are digits.
func parseFnr(d []byte) (info fnrInfo, ok bool) {
	if info, ok = fnrDate(d); !ok {
		return info, false
	}
	return fnrControls(d, info)
}

// fnrDate checks the date part of the 11 digits d (DDMMYY with the D-, H-
// and synthetic offsets, or an FH-number's leading 8 or 9): the shape the
// chance model conditions on, since real numbers with a date prefix
// (order numbers, time stamps) have valid dates far more often than
// random digits.
func fnrDate(d []byte) (info fnrInfo, ok bool) {
	if d[0] >= '8' {
		info.fh = true
		return info, true
	}
	day, month, yy := twoDigits(d, 0), twoDigits(d, 2), twoDigits(d, 4)
	if day > 40 {
		info.dNumber = true
		day -= 40
	}
	switch {
	case month >= 1 && month <= 12:
	case month >= 41 && month <= 52:
		info.hNumber = true
		month -= 40
	case month >= 66 && month <= 77:
		info.synthetic = true
		month -= 65
	case month >= 81 && month <= 92:
		info.synthetic = true
		month -= 80
	default:
		return info, false
	}
	// Permissive leap rule (identifiers.md §1.1): 29 Feb whenever YY % 4 == 0.
	if day < 1 || day > monthDays(month, yy%4 == 0) {
		return info, false
	}
	return info, true
}

// fnrControls checks the two control digits of d, whose date part fnrDate
// accepted as info.
func fnrControls(d []byte, info fnrInfo) (fnrInfo, bool) {
	s1, _ := WeightedSum(d[:9], fnrK1Weights[:])
	switch (s1 + int(d[9]-'0')) % 11 {
	case 0:
	case 1, 2, 3:
		info.new2032 = true
	default:
		return info, false
	}
	if !Mod11Valid(d, fnrK2Weights[:]) {
		return info, false
	}
	return info, true
}

// ValidNoFnr reports whether value (11 ASCII digits) is a valid
// fødselsnummer, D-, H-, FH- or synthetic number under the classic or the
// 2032 control-digit rule.
func ValidNoFnr(value []byte) bool {
	if len(value) != 11 || !AllDigits(value) {
		return false
	}
	_, ok := parseFnr(value)
	return ok
}

func (d *noFnr) Find(in *Input, emit func(Match)) {
	runs := in.Runs()
	if in.KeyAt != nil || in.KeyContext(d.boost, d.against) == Boost {
		// A column or key of fødselsnummer: its numbers may have lost
		// their leading zero (zeroDropped), so every run is looked at.
		for i := range runs {
			d.candidate(in, runs, i, in.KeyAt == nil, emit)
		}
		return
	}
	// The candidates are 11-digit runs and 6-digit runs with a 5-digit run
	// one byte after them (candidates.go).
	for _, ci := range in.candidates().fnr {
		d.candidate(in, runs, int(ci), false, emit)
	}
}

// candidate checks the run runs[i]: of 11 digits, or of 6 with 5 one
// space or hyphen after them; with zeroDropped, also of 10, read with the
// leading zero a number column drops (a spreadsheet's or a database's
// integer column of fødselsnummer: 01019043777 stored as 1019043777, a
// third of all, those born on days 1 to 9). In a JSON document the
// value's own key must name a fødselsnummer for that.
func (d *noFnr) candidate(in *Input, runs []Run, i int, zeroDropped bool, emit func(Match)) {
	b := in.Buf
	r := runs[i]
	var joined [11]byte
	switch r.End - r.Start {
	case 11:
		if standAlone(b, r.Start, r.End, false) {
			d.check(in, b[r.Start:r.End], r.Start, r.End, emit)
		}
	case 6:
		n, ok := dateAndNumber(b, runs, i, 5)
		if !ok {
			return
		}
		copy(joined[:6], b[r.Start:r.End])
		copy(joined[6:], b[n.Start:n.End])
		d.check(in, joined[:], r.Start, n.End, emit)
	case 10:
		if b[r.Start] == '0' || !standAlone(b, r.Start, r.End, false) {
			return
		}
		joined[0] = '0'
		copy(joined[1:], b[r.Start:r.End])
		if !zeroDropped {
			// (An epoch's ten digits fail the date before the key is read.)
			info, ok := fnrDate(joined[:])
			if !ok {
				return
			}
			if _, ok = fnrControls(joined[:], info); !ok || in.KeyAt == nil ||
				in.pathSignal(in.KeyAt(r.Start), d.boost, d.against) != Boost {
				return
			}
		}
		d.check(in, joined[:], r.Start, r.End, emit)
	}
}

// check validates the 11 digits of a candidate at Buf[start:end] and emits
// it with a confidence from its kind and context.
func (d *noFnr) check(in *Input, digits []byte, start, end int, emit func(Match)) {
	info, ok := fnrDate(digits)
	if !ok {
		return
	}
	in.CountCandidate(NationalID, start, fnrChance)
	if info, ok = fnrControls(digits, info); !ok {
		return
	}
	sig := in.Context(start, d.boost, d.against)
	if sig == Against && end-start == 11 && in.Context(start, d.bank, d.notBank) == Boost {
		return // a bank account: no_bank_account reports it
	}
	var conf Confidence
	switch {
	case info.fh:
		if sig != Boost {
			return
		}
		conf = Medium
		if info.new2032 {
			conf = Low
		}
	case info.new2032 || info.synthetic:
		if sig == Against {
			return
		}
		conf = Adjust(Low, sig)
	default:
		conf = Adjust(Medium, sig)
	}
	var kind int
	switch {
	case info.fh:
		kind = fnrFH
	case info.dNumber:
		kind = fnrD
	}
	if info.hNumber {
		kind |= fnrH
	}
	if info.synthetic {
		kind |= fnrSynthetic
	}
	if info.new2032 {
		kind |= fnrNew2032
	}
	labels := d.labels[kind]
	emit(Match{
		Detector:   "no_fnr",
		Category:   NationalID,
		Start:      start,
		End:        end,
		Value:      in.valueString(digits),
		Confidence: conf,
		Labels:     labels,
	})
}

// nidExample is a documented example with the exact outcome the tests
// assert. Positives: the match whose Value is Want must cover Written and
// have exactly Conf and Labels. Negatives: no match at all, or, when LowOK
// is set (and Note says why), only matches at Low.
type nidExample struct {
	Text    string
	Want    string
	Written string
	Conf    Confidence
	Labels  []string
	LowOK   bool
	Note    string
}

func toExamples(xs []nidExample) []Example {
	out := make([]Example, len(xs))
	for i, x := range xs {
		out[i] = Example{Text: x.Text, Want: x.Want, Note: x.Note}
	}
	return out
}

func (*noFnr) Positives() []Example { return toExamples(noFnrPositives()) }
func (*noFnr) Negatives() []Example { return toExamples(noFnrNegatives()) }

// noFnrPositives: check digits computed by a program, not by hand.
func noFnrPositives() []nidExample {
	l := func(s ...string) []string { return s }
	return []nidExample{
		{Text: "2024-03-05T10:15:00Z INFO login ok user=01019043777 ip=10.0.0.7", Want: "01019043777", Conf: Medium, Note: "classic fnr in a log line without context words"},
		{Text: "fnr: 15057536281", Want: "15057536281", Conf: High, Note: "fnr label before the value"},
		{Text: "fødselsnummer=31129948178", Want: "31129948178", Conf: High, Note: "Norwegian label with ø"},
		{Text: "Ola,Nordmann,29029645556,Oslo", Want: "29029645556", Conf: Medium, Note: "CSV field; 29 Feb 1996"},
		{Text: "born 2000: 29020051386;", Want: "29020051386", Conf: Medium, Note: "29 Feb with YY 00 (YY % 4 == 0)"},
		{Text: `{"fnr":"17051756096","name":"Kari"}`, Want: "17051756096", Conf: High, Note: "JSON key fnr"},
		{Text: "Fødselsnr. 241288 40202 registrert", Want: "24128840202", Written: "241288 40202", Conf: High, Note: "written DDMMYY NNNNN with a space"},
		{Text: "pasient 050505-21283 innlagt", Want: "05050521283", Written: "050505-21283", Conf: Medium, Note: "written DDMMYY-NNNNN"},
		{Text: "personnummer:280264 37700", Want: "28026437700", Written: "280264 37700", Conf: High, Note: "label joined by a colon, space form"},
		{Text: "dnr 41019055572", Want: "41019055572", Conf: High, Labels: l(LabelDNumber), Note: "D-number (day + 40) with context"},
		{Text: "Kunde registrert med 71017012430 (utenlandsk)", Want: "71017012430", Conf: Medium, Labels: l(LabelDNumber), Note: "D-number day 71 = 31 Jan"},
		{Text: `"d-nummer": "52038830155"`, Want: "52038830155", Conf: High, Labels: l(LabelDNumber), Note: "JSON key d-nummer"},
		{Text: "hjelpenummer 01419027150", Want: "01419027150", Conf: High, Labels: l(LabelHNumber), Note: "H-number (month + 40) with context"},
		{Text: "pid=15528863326;", Want: "15528863326", Conf: Medium, Labels: l(LabelHNumber), Note: "H-number month 52 = December"},
		{Text: "ident: 15507600333", Want: "15507600333", Conf: High, Labels: l(LabelHNumber), Note: "NAV Dolly example (month + 40, same range as H)"},
		{Text: "row 7: 55507608360", Want: "55507608360", Conf: Medium, Labels: l(LabelDNumber, LabelHNumber), Note: "NAV Dolly D-number example (day + 40, month + 40)"},
		{Text: "sample 17912099997", Want: "17912099997", Conf: Low, Labels: l(LabelTestData), Note: "Skatteetaten Tenor example (month + 80): Low without context"},
		{Text: "fnr=29822099635", Want: "29822099635", Conf: Medium, Labels: l(LabelTestData), Note: "Tenor example with context: Medium"},
		{Text: "a;12905299938;b", Want: "12905299938", Conf: Low, Labels: l(LabelTestData), Note: "Tenor example in a CSV row"},
		{Text: "01669081231", Want: "01669081231", Conf: Low, Labels: l(LabelTestData), Note: "Norsk helsenett test person (month + 65)"},
		{Text: "personident 10778590447", Want: "10778590447", Conf: Medium, Labels: l(LabelTestData), Note: "NHN test person with context"},
		{Text: "eksempel 02013299997", Want: "02013299997", Conf: Medium, Note: "Skatteetaten 2032 page: classic-valid example"},
		{Text: "eksempel 30108299920", Want: "30108299920", Conf: Medium, Note: "Skatteetaten 2032 page: classic-valid example"},
		{Text: "eksempel 30108299939", Want: "30108299939", Conf: Low, Labels: l(LabelNew2032), Note: "Skatteetaten 2032 page: valid only under the new K1 rule (rest 1)"},
		{Text: "fnr 01019043785", Want: "01019043785", Conf: Medium, Labels: l(LabelNew2032), Note: "2032-only K1 with context: Medium"},
		{Text: "fh-nummer: 81234567802", Want: "81234567802", Conf: Medium, Labels: l(LabelFHNumber), Note: "FH-number (first digit 8) with context"},
		{Text: "FH-nummer 91234532141", Want: "91234532141", Conf: Medium, Labels: l(LabelFHNumber), Note: "FH-number (first digit 9) with context"},
		{Text: "fhnummer=81234567810", Want: "81234567810", Conf: Low, Labels: l(LabelFHNumber, LabelNew2032), Note: "FH-number valid only under the 2032 rule: Low even with context"},
		{Text: "[23045561763]", Want: "23045561763", Conf: Medium, Note: "in brackets"},
		{Text: "navn: Per\nfnr:\n12034628864\n", Want: "12034628864", Conf: Medium, Note: "alone on its line: context does not cross the line break"},
		{Text: "fnr:\u00a008116315417", Want: "08116315417", Conf: High, Note: "no-break space before the value"},
		{Text: "«19078049785»", Want: "19078049785", Conf: Medium, Note: "in guillemets"},
		{Text: "1\t27099243614\tKari", Want: "27099243614", Conf: Medium, Note: "tab-separated"},
		{Text: "GET /api/v1/persons/03030112082/consents 200", Want: "03030112082", Conf: Medium, Note: "URL path segment"},
		{Text: "Pasientens nummer er 09110656022.", Want: "09110656022", Conf: Medium, Note: "end of sentence"},
		{Text: "Fnr 260877 35590, rom 2", Want: "26087735590", Written: "260877 35590", Conf: High, Note: "space form followed by a comma"},
		{Text: "SSN=13011480254", Want: "13011480254", Conf: High, Note: "English label ssn"},
	}
}

func noFnrNegatives() []nidExample {
	return []nidExample{
		{Text: "amount=24430656909", Note: "random 11 digits, fails the control digits"},
		{Text: "value 34670754554", Note: "random 11 digits starting 4670, fails the control digits"},
		{Text: "n=04030181318 m=11314831534", Note: "random 11-digit numbers"},
		{Text: "seq 37802706958", Note: "random 11 digits"},
		{Text: "12345678910", Note: "navikt README placeholder: control digits fail"},
		{Text: "00000000000", Note: "placeholder: passes both control digits, day 00 fails"},
		{Text: "ts=20240713033040", Note: "14-digit timestamp whose window 40713033040 is fnr-valid"},
		{Text: "20240901022820 job done", Note: "14-digit timestamp whose window 20240901022 is fnr-valid"},
		{Text: "t=1709899043777", Note: "13-digit epoch milliseconds"},
		{Text: "request 3f2b9c1e-7d4a-4b8e-9c2f-01019043777a", Note: "UUID group containing a valid fnr"},
		{Text: "trace 550e8400-e29b-41d4-a716-001019043777", Note: "UUID with an all-digit 12-digit group"},
		{Text: "Betal til 0101.90.43777", Note: "bank account written BBBB.KK.NNNNN (digits are a valid fnr)"},
		{Text: "Betal til 0101 90 43777", Note: "bank account written BBBB KK NNNNN"},
		{Text: "1234.56.78903", Note: "bank account in dotted form"},
		{Text: "ordrenr 15057536281", LowOK: true, Note: "valid fnr behind ordrenr: reported at Low only"},
		{Text: "kontonr: 31129948178", Note: "valid fnr behind kontonr (every fnr is a valid account number): left to no_bank_account"},
		{Text: "Betal til konto 01019043777", Note: "valid fnr behind konto: a bank account, reported once by no_bank_account"},
		{Text: `{"account_number":"15057536281"}`, Note: "valid fnr under a bank-account key: left to no_bank_account"},
		{Text: "KID 29029645556", LowOK: true, Note: "valid fnr as KID reference: reported at Low only"},
		{Text: "id=01019043777", LowOK: true, Note: "generic id key is other-identifier context: reported at Low only"},
		{Text: "faktura 30108299939", Note: "2032-only number behind faktura: dropped"},
		{Text: "sms to 46700000036 delivered", LowOK: true, Note: "Swedish MSISDN 4670… passes only as synthetic NHN D-number: reported at Low with test_data"},
		{Text: "tel:+46700000036", Note: "same MSISDN with +: a phone number, not a candidate"},
		{Text: "ABC01019043777", Note: "part of an alphanumeric token"},
		{Text: "01019043777abc", Note: "part of an alphanumeric token"},
		{Text: "user_01019043777", Note: "joined by an underscore"},
		{Text: "ORD-01019043777", Note: "hyphenated order id"},
		{Text: "x.01019043777.y", Note: "dotted version-like token"},
		{Text: "v=1.2.01019043777", Note: "dotted numeric run"},
		{Text: "3.01019043777", Note: "decimal fraction"},
		{Text: "12:01019043777", Note: "colon-joined numeric run"},
		{Text: "2024/01019043777", Note: "slash-joined numbers"},
		{Text: "2024-01019043777", Note: "hyphen-joined numbers"},
		{Text: "101019043777", Note: "12-digit number containing a valid fnr"},
		{Text: "01019043777@example.no", Note: "e-mail local part"},
		{Text: "0x01019043777", Note: "hex literal"},
		{Text: "31029044492", Note: "control digits valid, 31 February"},
		{Text: "29020133382", Note: "control digits valid, 29 Feb in 2001"},
		{Text: "31119040933", Note: "control digits valid, 31 November"},
		{Text: "81234567802", Note: "valid FH-number without context: not reported"},
		{Text: "tlf +47 010190 43777", Note: "space form next to another digit group"},
		{Text: "010190 43777 99", Note: "space form followed by another digit group"},
		{Text: "NO9386011117947", Note: "Norwegian IBAN: alphanumeric token"},
	}
}
