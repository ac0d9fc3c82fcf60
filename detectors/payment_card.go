package detectors

// Card number lengths (ISO/IEC 7812: 12–19 digits).
const (
	cardMinLen = 12
	cardMaxLen = 19
)

// cardDetector finds payment card numbers (PANs).
type cardDetector struct {
	boost, against *WordSet
	testLabels     []string
}

// NewPaymentCard returns the payment card number detector.
func NewPaymentCard() Detector {
	return &cardDetector{boost: CardWords(), against: CardAgainst(), testLabels: []string{LabelTestData}}
}

func (d *cardDetector) ID() string         { return "payment_card" }
func (d *cardDetector) Category() Category { return PaymentCard }

func (d *cardDetector) Description() string {
	return "Payment card numbers: Luhn check plus a known IIN with that brand's length (Visa, Mastercard incl. " +
		"2221-2720, Amex, Discover, Diners, JCB, Maestro, UnionPay, Dankort, Mir), written ungrouped or in " +
		"consistent groups (4-4-4-4, 4-4-4-4-3, 4-6-5, 4-6-4) with spaces or hyphens; never inside longer " +
		"digit runs or next to mask characters. Ungrouped: Medium, High with card context; standard " +
		"grouping: High; against-context (IMEI, ICCID, KID, OCR, order, invoice, id) drops an ungrouped " +
		"number and lowers a grouped one to Low; published test PANs labelled test_data at Low."
}

func (d *cardDetector) ContextWords() []string { return sortedContextWords(d.boost) }

// Find reports card numbers built from the digit runs: a single run of
// 12–19 digits, or groups joined by one space or hyphen.
func (d *cardDetector) Find(in *Input, emit func(Match)) {
	b := in.Buf
	runs := in.Runs()
	// The candidates are 12–19-digit runs and 4-digit runs followed by a
	// separator and a digit (candidates.go). A grouped number takes the
	// runs up to next.
	next := 0
	for _, ci := range in.candidates().card {
		i := int(ci)
		if i < next {
			continue
		}
		r := runs[i]
		if n := r.End - r.Start; n != 4 {
			if cardBounded(b, r.Start, r.End, 0) {
				d.check(in, r.Start, r.End, b[r.Start:r.End], false, emit)
			}
		} else if used := d.grouped(in, runs, i, emit); used > 0 {
			next = i + used
		}
	}
}

// cardPatterns are the accepted group lengths of a written card number.
// Longest first.
var cardPatterns = [...][]int8{
	{4, 4, 4, 4, 3}, // 19 digits
	{4, 4, 4, 4, 2}, // 18
	{4, 4, 4, 4, 1}, // 17
	{4, 4, 4, 4},    // 16
	{4, 6, 5},       // Amex 15
	{4, 4, 4, 3},    // 15 (Maestro, Amex written 4-4-4-3)
	{4, 6, 4},       // Diners 14
	{4, 4, 4, 2},    // 14
	{4, 4, 4, 1},    // Visa 13
	{4, 4, 4},       // 12 (Maestro)
}

// grouped tries the runs starting at i as a grouped card number and
// returns how many runs it consumed (0 when none matched).
func (d *cardDetector) grouped(in *Input, runs []Run, i int, emit func(Match)) int {
	b := in.Buf
	r0 := runs[i]
	sep := in.ByteAt(r0.End)
	if sep != ' ' && sep != '-' {
		return 0
	}
	// Collect up to 6 runs joined by the same single separator.
	var lens [6]int8
	k := 0
	for j := i; j < len(runs) && k < len(lens); j++ {
		r := runs[j]
		if k > 0 && (r.Start != runs[j-1].End+1 || b[r.Start-1] != sep) {
			break
		}
		if r.End-r.Start > 6 {
			break
		}
		lens[k] = int8(r.End - r.Start)
		k++
	}
	// The longest matching pattern wins.
	for _, p := range cardPatterns {
		if len(p) > k {
			continue
		}
		ok := true
		for g, l := range p {
			if lens[g] != l {
				ok = false
				break
			}
		}
		if !ok {
			continue
		}
		last := runs[i+len(p)-1]
		if len(p) < k && (sep == '-' || runs[i+len(p)].End-runs[i+len(p)].Start >= 4 ||
			len(p)+1 < k && runs[i+len(p)+1].End-runs[i+len(p)+1].Start >= 4) {
			// More groups follow: a hyphenated number must be the whole
			// token; after spaces only short groups (expiry 12 27, CVC)
			// may follow, not a further group of four, also not after a
			// short one (4537 4537 4537 4392 0 4270 in a catalog row).
			continue
		}
		if !cardBounded(b, r0.Start, last.End, sep) {
			continue
		}
		var digits [cardMaxLen]byte
		nd := 0
		for _, r := range runs[i : i+len(p)] {
			nd += copy(digits[nd:], b[r.Start:r.End])
		}
		if d.check(in, r0.Start, last.End, digits[:nd], true, emit) {
			return len(p)
		}
	}
	return 0
}

// cardBounded rejects a candidate b[s:e] that belongs to something longer:
// a word or hex string, a longer digit sequence joined by '.', '-', '/' or
// ':' (a comma before is a CSV field boundary), a masked PAN (411111******1111, 4111 11** …), or, for a
// grouped number (sep set), a further group joined by the same separator.
func cardBounded(b []byte, s, e int, sep byte) bool {
	if s > 0 {
		c := b[s-1]
		switch {
		case c >= 0x80:
			if !safeRuneBefore(b, s) {
				return false
			}
		case IsAlnum(c) && !jsonEscapeBefore(b, s) || c == '_' || c == '*' || c == '#':
			return false
		case (c == '.' || c == '-' || c == '/' || c == ':' || c == ' ' && sep == ' ') && s >= 2 && IsDigit(b[s-2]):
			return false
		case (c == '.' || c == '-') && s >= 2 && IsAlnum(b[s-2]):
			return false // an identifier: fuzzer-5390364397928448, build.4111…
		case c == '/' && sep == 0:
			return false // a URL path segment: /testcase-detail/5390364397928448
		case (c == ' ' || c == '-') && cardMaskBefore(b, s-1):
			return false // "**** **** **** 4242", "XXXX-XXXX-XXXX-4242"
		}
	}
	if e < len(b) {
		c, next := b[e], byteAt(b, e+1)
		switch {
		case c >= 0x80:
			if !safeRuneAfter(b, e) {
				return false
			}
		case IsAlnum(c) || c == '_' || c == '*' || c == '#':
			return false
		case (c == '.' || c == '-' || c == '/' || c == ':') && IsDigit(next):
			return false
		case (c == '-' || c == '.' || c == '/') && IsAlnum(next):
			return false // 4111…-fix, 4111….html, /4111…/items
		case c == ',' && IsDigit(next) && sep == 0:
			return false // 4111111111111111,50 — part of a number
		case (c == ' ' || c == '-') && cardMaskAfter(b, e+1):
			return false
		}
	}
	return true
}

func cardMaskByte(c byte) bool { return c == '*' || c == 'x' || c == 'X' || c == '#' }

// cardMaskBefore reports whether b[:i] ends in at least two mask characters.
func cardMaskBefore(b []byte, i int) bool {
	return i >= 2 && cardMaskByte(b[i-1]) && cardMaskByte(b[i-2]) && (b[i-1] == b[i-2] || b[i-1] == '*')
}

// cardMaskAfter reports whether b[i:] starts with at least two mask characters.
func cardMaskAfter(b []byte, i int) bool {
	return i+1 < len(b) && cardMaskByte(b[i]) && cardMaskByte(b[i+1]) && (b[i] == b[i+1] || b[i] == '*')
}

// cardBrand reports whether digits have a known IIN with a length valid
// for that brand (identifiers.md §5).
func cardBrand(p []byte) bool {
	n := len(p)
	if n < cardMinLen || n > cardMaxLen {
		return false
	}
	v2 := int(p[0]-'0')*10 + int(p[1]-'0')
	v3 := v2*10 + int(p[2]-'0')
	v4 := v3*10 + int(p[3]-'0')
	v6 := v4*100 + int(p[4]-'0')*10 + int(p[5]-'0')
	switch {
	case p[0] == '4': // Visa (incl. Visa/Dankort 4571)
		return n == 13 || n == 16 || n == 19
	case v2 >= 51 && v2 <= 55, v4 >= 2221 && v4 <= 2720: // Mastercard
		return n == 16
	case v4 >= 2200 && v4 <= 2204: // Mir
		return n >= 16
	case v2 == 34 || v2 == 37: // Amex
		return n == 15
	case v4 == 6011, v3 >= 644 && v3 <= 649, v2 == 65, v6 >= 622126 && v6 <= 622925: // Discover
		return n >= 16
	case v2 == 62: // UnionPay
		return n >= 16
	case v3 >= 300 && v3 <= 305, v4 == 3095, v2 == 36, v2 == 38, v2 == 39: // Diners
		return n >= 14
	case v4 >= 3528 && v4 <= 3589: // JCB
		return n >= 16
	case v4 == 5019: // Dankort
		return n == 16
	case v4 == 5018, v4 == 5020, v4 == 5038, v4 == 5893, v4 == 6304, v4 == 6759, v4 >= 6761 && v4 <= 6763: // Maestro
		return true
	}
	return false
}

// cardTestPAN reports the published test card numbers (Stripe, Braintree).
func cardTestPAN(p []byte) bool {
	switch string(p) {
	case "4111111111111111", "4242424242424242", "4012888888881881", "4000056655665556",
		"5555555555554444", "5105105105105100", "5200828282828210", "2223003122003222",
		"378282246310005", "371449635398431", "6011111111111117", "6011000990139424",
		"3056930009020004", "30569309025904", "36227206271667", "3566002020360505",
		"3530111333300000", "6200000000000005", "6205500000000000004":
		return true
	}
	return false
}

// check validates digits (the PAN at Buf[s:e]) and emits a match. It
// reports whether the number was a valid PAN.
func (d *cardDetector) check(in *Input, s, e int, digits []byte, grouped bool, emit func(Match)) bool {
	in.CountCandidate(PaymentCard, s, cardChance(len(digits)))
	if !cardBrand(digits) || !Luhn(digits) || cardRepetitive(digits) {
		return false
	}
	m := Match{Detector: d.ID(), Category: PaymentCard, Start: s, End: e}
	sig := in.Context(s, d.boost, d.against)
	switch {
	case cardTestPAN(digits), in.ExampleBefore(s):
		m.Confidence, m.Labels = Low, d.testLabels
	case grouped && sig == Against:
		m.Confidence = Low
	case grouped:
		m.Confidence = High
	case sig == Against:
		return true // IMEI, KID, order number …: valid, but not reported
	case sig != Boost && !in.InRecord(s, e):
		// An ungrouped number in prose, documentation or code without a
		// card word: ids, nonces and test vectors pass Luhn and an issuer
		// prefix by chance (2.8 % at 16 digits).
		m.Confidence = Low
	default:
		m.Confidence = Adjust(Medium, sig)
	}
	m.Value = in.valueString(digits)
	emit(m)
	return true
}

// cardRepetitive rejects filler such as 4444444444444448 where all but
// the check digit are one digit, and numbers whose first three groups of
// four are the same (4537 4537 4537 4392: a row of repeated ids): these
// pass Luhn by construction of test generators or by chance but are not
// issued, except the published test PANs.
func cardRepetitive(p []byte) bool {
	if cardTestPAN(p) {
		return false
	}
	if len(p) >= 13 && string(p[0:4]) == string(p[4:8]) && string(p[4:8]) == string(p[8:12]) {
		return true
	}
	for _, c := range p[1 : len(p)-1] {
		if c != p[0] {
			return false
		}
	}
	return true
}

// Positives are inputs that must produce a card match. The check digits
// are computed with LuhnCheckDigit.
func (d *cardDetector) Positives() []Example {
	pan := func(partial string) string { // digits plus their Luhn check digit
		c, _ := LuhnCheckDigit([]byte(partial))
		return partial + string(c)
	}
	group := func(p string, lens ...int) string {
		out, i := "", 0
		for _, l := range lens {
			if out != "" {
				out += " "
			}
			out += p[i : i+l]
			i += l
		}
		return out
	}
	dash := func(p string, lens ...int) string {
		s := group(p, lens...)
		b := []byte(s)
		for i := range b {
			if b[i] == ' ' {
				b[i] = '-'
			}
		}
		return string(b)
	}
	visa := pan("457100123456789")
	visa13 := pan("400012345678")
	visa19 := pan("491761234567890123")
	mc := pan("540012345678901")
	mc2 := pan("272012345678901")
	amex := pan("37598765432101")
	disc := pan("601198765432101")
	diners := pan("3012345678901")
	jcb := pan("353012345678901")
	maestro := pan("67591234567")
	union := pan("621234567890123456")
	dankort := pan("501912345678901")
	mir := pan("220012345678901")
	return []Example{
		{Text: "kortnummer: " + group(visa, 4, 4, 4, 4), Want: visa, Note: "Visa/Dankort 4571, 4-4-4-4 with context"},
		{Text: "card=" + visa, Want: visa, Note: "ungrouped, High with context"},
		{Text: "kort " + group(visa, 4, 4, 4, 4) + " 12 27 123", Want: visa, Note: "expiry and CVC after the groups"},
		{Text: "pan " + dash(mc, 4, 4, 4, 4), Want: mc, Note: "Mastercard 51-55 with hyphens"},
		{Text: group(mc2, 4, 4, 4, 4), Want: mc2, Note: "Mastercard 2-series, grouped: High without context"},
		{Text: "Amex " + group(amex, 4, 6, 5), Want: amex, Note: "Amex 4-6-5"},
		{Text: "Diners: " + group(diners, 4, 6, 4), Want: diners, Note: "Diners 14 digits 4-6-4"},
		{Text: "Discover " + disc + " exp 12/27", Want: disc, Note: "Discover 6011"},
		{Text: "jcb;" + jcb, Want: jcb, Note: "JCB 3528-3589 in CSV"},
		{Text: "maestro " + maestro, Want: maestro, Note: "Maestro 12 digits"},
		{Text: `{"card":"` + union + `"}`, Want: union, Note: "UnionPay 19 digits in JSON"},
		{Text: "Dankort " + group(dankort, 4, 4, 4, 4), Want: dankort, Note: "Dankort 5019"},
		{Text: "Mir " + mir, Want: mir, Note: "Mir 2200-2204"},
		{Text: "visa " + visa13, Want: visa13, Note: "Visa 13 digits"},
		{Text: "visa " + group(visa19, 4, 4, 4, 4, 3), Want: visa19, Note: "Visa 19 digits 4-4-4-4-3"},
		{Text: "4111 1111 1111 1111", Want: "4111111111111111", Note: "published test PAN: test_data at Low"},
		{Text: "stripe test 4242424242424242", Want: "4242424242424242", Note: "published test PAN: test_data at Low"},
		{Text: "amex 378282246310005", Want: "378282246310005", Note: "published Amex test PAN"},
		{Text: "betalt med " + group(visa, 4, 4, 4, 4) + " 12/27 cvc 123", Want: visa, Note: "expiry after the number"},
		{Text: "kort:" + visa + ".", Want: visa, Note: "sentence-final dot"},
		{Text: "kredittkort\t" + group(mc, 4, 4, 4, 4) + "\n", Want: mc, Note: "tab-separated"},
		{Text: "«" + group(visa, 4, 4, 4, 4) + "»", Want: visa, Note: "guillemets"},
		{Text: "cardnumber " + dash(amex, 4, 6, 5), Want: amex, Note: "Amex with hyphens"},
	}
}

// Negatives are inputs that must not produce a card match at Medium or above.
func (d *cardDetector) Negatives() []Example {
	pan := func(partial string) string {
		c, _ := LuhnCheckDigit([]byte(partial))
		return partial + string(c)
	}
	bad := func(partial string) string { // a wrong check digit
		c, _ := LuhnCheckDigit([]byte(partial))
		return partial + string('0'+(c-'0'+1)%10)
	}
	visa := pan("457100123456789")
	return []Example{
		{Text: "kort " + bad("457100123456789"), Note: "Luhn fails"},
		{Text: "411111******1111", Note: "masked PAN (PCI truncation)"},
		{Text: "insert ( 4392 '+' 11 10 b f f 4537 4537 4537 4392 0 4270 - - )", Note: "three equal groups in a catalog row (postgres.bki)"},
		{Text: "row f 4571 8579 5959 3587 0 4270 -", Note: "grouped digits inside a longer list of numbers (4571857959593587 passes Luhn)"},
		{Text: "Fixes fuzzer issue https://oss-fuzz.com/testcase-detail/" + visa + ".", Note: "id in a URL path"},
		{Text: "testcase-minimized-hb-repacker-fuzzer-" + visa + " | Bin 0 -> 423 bytes", Note: "id glued to a name by a hyphen"},
		{Text: "see " + visa + "-fix.patch", Note: "id glued to a name after"},
		{Text: "**** **** **** 4242", Note: "masked PAN, last four"},
		{Text: "4571 00** **** 1234", Note: "partly masked"},
		{Text: "id 1" + visa, Note: "16 digits inside a 17-digit run"},
		{Text: "ref " + visa + "0", Note: "longer digit run"},
		{Text: "9" + " " + visa[:4] + " " + visa[4:8] + " " + visa[8:12] + " " + visa[12:] + " 1234", Note: "window of a longer space-separated digit sequence"},
		{Text: visa[:4] + "-" + visa[4:8] + "-" + visa[8:12] + "-" + visa[12:] + "-1234", Note: "window of a longer hyphenated token"},
		{Text: visa[:4] + " " + visa[4:8] + "-" + visa[8:12] + " " + visa[12:], Note: "inconsistent separators"},
		{Text: visa[:6] + " " + visa[6:12] + " " + visa[12:], Note: "6-6-4 is not a card grouping"},
		{Text: "IMEI: " + pan("35209900176148"), Note: "IMEI (15 digits, TAC 35): no card IIN has 15 digits there"},
		{Text: "imei " + pan("49015420323751"), Note: "IMEI starting with 4: Visa has no 15-digit numbers"},
		{Text: "ICCID 8947" + pan("080012345678901"), Note: "ICCID 89…: not an IIN"},
		{Text: "ISBN 978" + pan("829876543"), Note: "GTIN/ISBN-13"},
		{Text: "KID: " + pan("401234567890123"), Note: "KID reference passing Luhn and IIN: against-context drops it"},
		{Text: "ordrenr " + visa, Note: "order number: against-context"},
		{Text: "trace_id=" + visa, Note: "id context"},
		{Text: "tx 0x" + visa, Note: "hex literal"},
		{Text: "a" + visa + "b", Note: "inside a word"},
		{Text: "timestamp 1706700000000123", Note: "IIN 1 is not a card"},
		{Text: "amount 5400123456789012,50", Note: "decimal number"},
		{Text: "44444444444444448", Note: "wrong length (17) for Visa"},
		{Text: pan("444444444444444"), Note: "repeated filler digits"},
		{Text: "amex " + pan("371234567890123"), Note: "Amex must have 15 digits, not 16"},
		{Text: "KID: " + group4(pan("401234567890123")), Note: "grouped KID with against-context: reported at Low"},
	}
}

// group4 writes digits in groups of four.
func group4(p string) string {
	out := ""
	for i := 0; i < len(p); i += 4 {
		if i > 0 {
			out += " "
		}
		out += p[i:min(i+4, len(p))]
	}
	return out
}
