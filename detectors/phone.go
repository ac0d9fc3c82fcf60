package detectors

import (
	"github.com/nyaruka/phonenumbers/v2"
)

// Phone candidate limits.
const (
	phoneMaxRuns   = 8  // digit groups in one written number
	phoneMaxDigits = 20 // digits in one chain of groups
	phoneMinE164   = 7  // shortest E.164 number accepted (CC + NSN)
	phoneMaxE164   = 15 // ITU-T E.164
)

// Gap kinds between two digit groups of a written number.
const (
	phoneGapNone  byte = iota // not part of one number
	phoneGapSpace             // " " or a no-break space
	phoneGapDash              // "-" or " - "
	phoneGapDot               // "."
	phoneGapOpen              // "(" or " (": the next group is in parentheses
	phoneGapClose             // ")", ") " or ")-": the previous group was
)

// Kinds of phone candidates; they decide the base confidence.
type phoneKind int8

const (
	phoneIntl      phoneKind = iota // +CC…, 00CC…, (+CC) …: Medium
	phoneNOGrouped                  // 912 34 567, 91 23 45 67, 9123 4567, 912.34.567: Medium
	phoneNOBare                     // 91234567: Low, Medium with context
	phoneNOBare47                   // 4791234567: only with context, Medium
	phoneSEGrouped                  // 070-123 45 67, 08-123 45 67: Medium
	phoneSEBare                     // 0701234567: Low, Medium with context
)

// phoneDetector finds Norwegian, Swedish and international phone numbers.
type phoneDetector struct {
	boost, against *WordSet
}

// NewPhone returns the phone number detector.
func NewPhone() Detector {
	return &phoneDetector{boost: PhoneWords(), against: PhoneAgainst()}
}

func (d *phoneDetector) ID() string         { return "phone" }
func (d *phoneDetector) Category() Category { return Phone }

func (d *phoneDetector) Description() string {
	return "Phone numbers as E.164: Norwegian mobile/fixed (8 digits, Nkom/libphonenumber series), Swedish " +
		"(trunk 0, area code, mobile 07[023689]) and international +CC/00CC numbers validated with " +
		"libphonenumber; digit groups joined by single spaces, hyphens or dots, (+47)/(0) forms. " +
		"+CC/00CC and grouped forms: Medium, High with phone context; bare 8-digit Norwegian or 10-digit " +
		"Swedish numbers: Low, Medium with context, never inside a URL path; 47xxxxxxxx only with " +
		"context. Against-context " +
		"(ordrenr, KID, faktura, id, …) drops bare numbers and lowers the rest to Low. Not inside longer " +
		"digit runs, dates, times, IP addresses, fødselsnummer or account numbers."
}

func (d *phoneDetector) ContextWords() []string { return sortedContextWords(d.boost) }

// phoneChain is a run of digit groups joined by gaps.
type phoneChain struct {
	first   int                    // index in runs of the first group
	n       int                    // number of groups
	gaps    [phoneMaxRuns - 1]byte // gaps[k] lies between group k and k+1
	plus    bool                   // '+' right before the first group
	paren   bool                   // '(' before the first group (or its '+'), closed after it
	start   int                    // byte offset of the chain: '(' or '+' or the first digit
	startOK bool                   // what precedes the chain is a boundary
	endOK   bool                   // what follows the chain is a boundary
	budget  int                    // libphonenumber calls left for this chain
}

// Find reports phone numbers built from the digit runs.
func (d *phoneDetector) Find(in *Input, emit func(Match)) {
	runs := in.Runs()
	var ch phoneChain
	for i := 0; i < len(runs); {
		r := runs[i]
		if n := r.End - r.Start; n < 8 || n > 10 {
			// Fast path: a lone group that is neither NO (8, 47+8) nor SE
			// (9–10) needs a '+', a "00" prefix or a following group.
			nb := in.ByteAt(r.End)
			if (nb != ' ' && nb != '-' && nb != '.' && nb != '(' && nb != ')' && nb != 0xC2) &&
				in.ByteAt(r.Start-1) != '+' && (n < 9 || in.Buf[r.Start] != '0' || in.Buf[r.Start+1] != '0') {
				i++
				continue
			}
		}
		phoneBuildChain(in.Buf, runs, i, &ch)
		d.windows(in, runs, &ch, emit)
		i += ch.n
	}
}

// phoneGapKind classifies the bytes between two digit groups.
func phoneGapKind(g []byte) byte {
	switch len(g) {
	case 1:
		switch g[0] {
		case ' ':
			return phoneGapSpace
		case '-':
			return phoneGapDash
		case '.':
			return phoneGapDot
		case '(':
			return phoneGapOpen
		case ')':
			return phoneGapClose
		}
	case 2:
		switch {
		case g[0] == 0xC2 && g[1] == 0xA0:
			return phoneGapSpace
		case g[0] == ' ' && g[1] == '(':
			return phoneGapOpen
		case g[0] == ')' && (g[1] == ' ' || g[1] == '-'):
			return phoneGapClose
		}
	case 3:
		if g[0] == ' ' && g[1] == '-' && g[2] == ' ' {
			return phoneGapDash
		}
	}
	return phoneGapNone
}

// phoneBuildChain collects the groups starting at runs[i] into ch.
func phoneBuildChain(b []byte, runs []Run, i int, ch *phoneChain) {
	r := runs[i]
	// Field by field: gaps beyond n-1 are never read, so they need no zeroing.
	ch.first, ch.n, ch.start, ch.budget = i, 1, r.Start, phoneLibCalls
	ch.plus, ch.paren, ch.startOK, ch.endOK = false, false, false, false
	if r.Start > 0 && b[r.Start-1] == '+' {
		ch.plus = true
		ch.start--
	}
	if ch.start > 0 && b[ch.start-1] == '(' {
		ch.paren = true
		ch.start--
	}
	open := -1
	if ch.paren {
		open = 0
	}
	digits := r.End - r.Start
	cut := digits > phoneMaxDigits
	for k := i; !cut && k+1 < len(runs); k++ {
		next := runs[k+1]
		g := phoneGapKind(b[runs[k].End:next.Start])
		if g == phoneGapNone {
			break
		}
		if ch.n == phoneMaxRuns || digits+next.End-next.Start > phoneMaxDigits {
			cut = true
			break
		}
		switch g {
		case phoneGapOpen:
			if open >= 0 {
				cut = true
			}
			open = ch.n
		case phoneGapClose:
			if open != ch.n-1 {
				cut = true
			}
			open = -1
		}
		if cut {
			break
		}
		ch.gaps[ch.n-1] = g
		ch.n++
		digits += next.End - next.Start
	}
	if open > 0 {
		// "( …" never closed: the chain ends before the parenthesis.
		ch.n = open
		cut = true
	}
	if open == 0 {
		// "(91234567)", "(+47 912 34 567)": the parenthesis encloses the
		// whole number and is only a boundary.
		ch.paren = false
		ch.start++
	}
	ch.startOK = phoneBefore(b, ch.start)
	ch.endOK = !cut && phoneAfter(b, runs[i+ch.n-1].End)
}

// phoneBefore reports whether the byte before a candidate at s is a
// boundary: not a letter or '_' (ID91234567, hex), not '+', '#' or '@', and
// not a '.', '-', '/' or ':' joined to a digit (dates, times, IPs, decimal
// numbers). A comma is a boundary (CSV fields).
func phoneBefore(b []byte, s int) bool {
	if s == 0 {
		return true
	}
	c := b[s-1]
	switch {
	case c >= 0x80:
		return safeRuneBefore(b, s)
	case IsAlnum(c) || c == '_' || c == '+' || c == '#' || c == '@' || c == '*':
		return false
	case c == '.' || c == '-' || c == '/' || c == ':':
		return s < 2 || !IsDigit(b[s-2])
	}
	return true
}

// phoneAfter is phoneBefore for the byte at e, after a candidate.
func phoneAfter(b []byte, e int) bool {
	if e >= len(b) {
		return true
	}
	c := b[e]
	switch {
	case c >= 0x80:
		return safeRuneAfter(b, e)
	case IsAlnum(c) || c == '_' || c == '@' || c == '*':
		return false
	case c == '.' || c == '-' || c == '/' || c == ':':
		return e+1 >= len(b) || !IsDigit(b[e+1])
	}
	return true
}

// windows tries the chain and its sub-chains split at spaces, leftmost
// and longest first, and emits each valid number once.
func (d *phoneDetector) windows(in *Input, runs []Run, ch *phoneChain, emit func(Match)) {
	for a := 0; a < ch.n; {
		if (a > 0 && ch.gaps[a-1] != phoneGapSpace) || (a == 0 && !ch.startOK) {
			a++
			continue
		}
		next := a + 1
		// Digits in groups a..z, shrinking z: a window needs at least
		// phoneMinE164 digits (two more with a "00" prefix).
		nd := 0
		for k := a; k < ch.n; k++ {
			r := runs[ch.first+k]
			nd += r.End - r.Start
		}
		for z := ch.n - 1; z >= a; z-- {
			if z < ch.n-1 {
				r := runs[ch.first+z+1]
				nd -= r.End - r.Start
			}
			if nd < phoneMinE164 {
				break
			}
			if nd > phoneMaxE164+2 || (z < ch.n-1 && ch.gaps[z] != phoneGapSpace) || (z == ch.n-1 && !ch.endOK) {
				continue
			}
			if d.window(in, runs, ch, a, z, emit) {
				next = z + 1
				break
			}
		}
		a = next
	}
}

// window validates groups a..z of the chain as one number and emits it.
func (d *phoneDetector) window(in *Input, runs []Run, ch *phoneChain, a, z int, emit func(Match)) bool {
	b := in.Buf
	whole := a == 0 && z == ch.n-1
	var dg [phoneMaxDigits + 2]byte
	var lens [phoneMaxRuns]int8
	nd, ng := 0, 0
	sameGap := byte(0)
	mixed := false
	inner := false // a group in parentheses other than the leading one
	for k := a; k <= z; k++ {
		r := runs[ch.first+k]
		if k > a {
			g := ch.gaps[k-1]
			if g == phoneGapOpen || g == phoneGapClose {
				if g == phoneGapOpen {
					inner = true
				}
			} else if sameGap == 0 {
				sameGap = g
			} else if g != sameGap {
				mixed = true
			}
		}
		nd += copy(dg[nd:], b[r.Start:r.End])
		lens[ng] = int8(r.End - r.Start)
		ng++
	}
	if nd < phoneMinE164 {
		return false // windows checks this; kept for safety
	}
	digits := dg[:nd]
	start := runs[ch.first+a].Start
	if a == 0 {
		start = ch.start
	}
	end := runs[ch.first+z].End

	plus := a == 0 && ch.plus
	if plus || (nd > 2 && digits[0] == '0' && digits[1] == '0') {
		// International: +CC… or 00CC…; "(0)" after the country code is the
		// national trunk prefix and is dropped.
		e164 := digits
		if !plus {
			e164 = digits[2:]
		}
		if a+1 <= z && a+1 < ch.n-1 && ch.gaps[a] == phoneGapOpen && ch.gaps[a+1] == phoneGapClose && lens[1] == 1 && dg[lens[0]] == '0' {
			skip := int(lens[0])
			if !plus {
				skip -= 2
			}
			if skip >= 0 {
				copy(e164[skip:], e164[skip+1:])
				e164 = e164[:len(e164)-1]
			}
		}
		if !phoneValidE164(e164, &ch.budget) {
			return false
		}
		return d.report(in, start, end, e164, phoneIntl, emit)
	}
	if inner || (ch.paren && a == 0 && digits[0] != '0') {
		return false // parentheses inside a national number
	}
	if digits[0] == '0' {
		return d.swedish(in, ch, start, end, digits, lens[:ng], sameGap, whole, ch.paren && a == 0, emit)
	}
	// Norwegian national: 8 digits in a usual grouping, one kind of gap.
	if mixed {
		return false
	}
	if ng == 1 && (in.ByteAt(start-1) == '/' || in.ByteAt(end) == '/') {
		return false // a bare number in a URL path (/orders/45730432) is an id
	}
	var nsn [10]byte
	switch {
	case nd == 8 && ng == 1:
		if !phoneNOValid(digits) {
			return false
		}
		copy(nsn[2:], digits)
		nsn[0], nsn[1] = '4', '7'
		return d.report(in, start, end, nsn[:], phoneNOBare, emit)
	case nd == 10 && ng == 1 && digits[0] == '4' && digits[1] == '7':
		if !phoneNOValid(digits[2:]) {
			return false
		}
		return d.report(in, start, end, digits, phoneNOBare47, emit)
	case nd == 8:
		g323 := ng == 3 && lens[0] == 3 && lens[1] == 2 && lens[2] == 3
		g2222 := ng == 4 && lens[0] == 2 && lens[1] == 2 && lens[2] == 2 && lens[3] == 2
		g44 := ng == 2 && lens[0] == 4 && lens[1] == 4
		switch {
		case g323 && sameGap != phoneGapDot, g323 && sameGap == phoneGapDot && whole:
		case (g2222 || g44) && sameGap != phoneGapDot && whole:
		default:
			return false // 2-2-2-2 with dots is an IPv4 address; 4-4 only as a whole
		}
		if !phoneNOValid(digits) {
			return false
		}
		copy(nsn[2:], digits)
		nsn[0], nsn[1] = '4', '7'
		return d.report(in, start, end, nsn[:], phoneNOGrouped, emit)
	}
	return false
}

// swedish validates a national Swedish number (trunk 0).
func (d *phoneDetector) swedish(in *Input, ch *phoneChain, start, end int, digits []byte, lens []int8, gap byte, whole, paren bool, emit func(Match)) bool {
	nd := len(digits)
	if gap == phoneGapDot || digits[1] == '0' {
		return false
	}
	var e164 [phoneMaxDigits + 2]byte
	e164[0], e164[1] = '4', '6'
	n := 2 + copy(e164[2:], digits[1:])
	if len(lens) == 1 {
		if paren || nd < 9 || nd > 10 || in.ByteAt(start-1) == '/' || in.ByteAt(end) == '/' ||
			!phoneSEValid(e164[:n], &ch.budget) {
			return false
		}
		return d.report(in, start, end, e164[:n], phoneSEBare, emit)
	}
	// Trunk and area code, then the subscriber number as one group of 5–8
	// digits or as groups of 2–3 digits.
	if lens[0] < 2 || lens[0] > 4 {
		return false
	}
	sub := nd - int(lens[0])
	if sub < 5 || sub > 8 {
		return false
	}
	if len(lens) > 2 {
		for _, l := range lens[1:] {
			if l < 2 || l > 3 {
				return false
			}
		}
	}
	if !whole && len(lens) < 3 {
		return false
	}
	if !phoneSEValid(e164[:n], &ch.budget) {
		return false
	}
	return d.report(in, start, end, e164[:n], phoneSEGrouped, emit)
}

// phoneNOValid checks an 8-digit Norwegian number against the mobile and
// fixed-line series (identifiers.md §4.1): mobile 4[015-9]/9, fixed 2[1-4],
// 3[1-3578], 5[1-35-7], 6[1-46-9], 7x. identifiers.md quotes 7[0-8], but the
// libphonenumber v2.0.7 metadata in go.mod also accepts 79 as fixed line;
// TestPhoneNOSeriesAgreeWithLibphonenumber holds the two together.
func phoneNOValid(p []byte) bool {
	if len(p) != 8 {
		return false
	}
	a, b := p[0], p[1]
	switch a {
	case '9':
		return true
	case '4':
		return b == '0' || b == '1' || b >= '5'
	case '2':
		return b >= '1' && b <= '4'
	case '3':
		return b >= '1' && b <= '3' || b == '5' || b == '7' || b == '8'
	case '5':
		return b >= '1' && b <= '3' || b >= '5' && b <= '7'
	case '6':
		return b >= '1' && b <= '4' || b >= '6'
	case '7':
		return true
	}
	return false
}

// phoneSEValid validates "46"+NSN: mobiles natively, other numbers with
// libphonenumber (see phoneLibValid), spending *budget.
func phoneSEValid(e164 []byte, budget *int) bool {
	nsn := e164[2:]
	if len(nsn) < 7 || len(nsn) > 9 || nsn[0] == '0' {
		return false
	}
	if len(nsn) == 9 && nsn[0] == '7' {
		switch nsn[1] {
		case '0', '2', '3', '6', '8', '9':
			return true
		}
	}
	return phoneLibValid(46, nsn, budget)
}

// phoneValidE164 validates international digits (country code first).
func phoneValidE164(e []byte, budget *int) bool {
	if len(e) < phoneMinE164 || len(e) > phoneMaxE164 || e[0] == '0' {
		return false
	}
	switch {
	case e[0] == '4' && e[1] == '7':
		return phoneNOValid(e[2:])
	case e[0] == '4' && e[1] == '6':
		return phoneSEValid(e, budget)
	}
	// The country code is 1–3 digits and prefix-free.
	cc := 0
	for i := 0; i < 3; i++ {
		cc = cc*10 + int(e[i]-'0')
		if len(phonenumbers.GetRegionCodesForCountryCode(cc)) > 0 {
			return phoneLibValid(cc, e[i+1:], budget)
		}
	}
	return false
}

// phoneLibCalls bounds the libphonenumber validations per chain of digit
// groups: each costs microseconds (regular expressions), so crafted input
// must not multiply them.
const phoneLibCalls = 2

// phoneLibValid asks libphonenumber whether country code cc with national
// number nsn is valid and of a kind that belongs to a person or a line (not
// freephone, premium rate or shared cost). The number is built directly
// rather than parsed: parsing would cost twice as much and could strip a
// national prefix, so that the E.164 value would differ from the digits.
func phoneLibValid(cc int, nsn []byte, budget *int) bool {
	if len(nsn) == 0 || len(nsn) > 14 || *budget <= 0 {
		return false
	}
	*budget--
	var v uint64
	zeros := int32(0)
	for i, c := range nsn {
		if c == '0' && int(zeros) == i {
			zeros++
		}
		v = v*10 + uint64(c-'0')
	}
	if int(zeros) == len(nsn) {
		return false
	}
	c32 := int32(cc)
	num := &phonenumbers.PhoneNumber{CountryCode: &c32, NationalNumber: &v}
	if zeros > 0 {
		lead := true
		num.ItalianLeadingZero = &lead
		if zeros > 1 {
			num.NumberOfLeadingZeros = &zeros
		}
	}
	switch phonenumbers.GetNumberType(num) {
	case phonenumbers.TOLL_FREE, phonenumbers.PREMIUM_RATE, phonenumbers.SHARED_COST, phonenumbers.UNKNOWN:
		return false
	}
	return true
}

// report applies context to a validated number and emits it as "+"+e164.
func (d *phoneDetector) report(in *Input, start, end int, e164 []byte, kind phoneKind, emit func(Match)) bool {
	sig := in.Context(start, d.boost, d.against)
	var conf Confidence
	switch kind {
	case phoneNOBare, phoneSEBare:
		conf = Low
		if sig == Against {
			return true // valid, but an order number, KID, id …
		}
	case phoneNOBare47:
		if sig != Boost {
			return true
		}
		conf = Low // raised to Medium below
	default:
		conf = Medium
	}
	conf = Adjust(conf, sig)
	v := make([]byte, 1+len(e164))
	v[0] = '+'
	copy(v[1:], e164)
	emit(Match{Detector: d.ID(), Category: Phone, Start: start, End: end, Value: string(v), Confidence: conf})
	return true
}

// Positives are inputs that must produce a phone match.
func (d *phoneDetector) Positives() []Example {
	return []Example{
		{Text: "Ring meg på 912 34 567", Want: "+4791234567", Note: "NO mobile 3-2-3"},
		{Text: "tlf 91 23 45 67", Want: "+4791234567", Note: "NO 2-2-2-2"},
		{Text: "mobil: 9123 4567", Want: "+4791234567", Note: "NO 4-4"},
		{Text: "Kontakt +47 912 34 567", Want: "+4791234567", Note: "+47 grouped"},
		{Text: "phone=+4791234567", Want: "+4791234567", Note: "+47 ungrouped"},
		{Text: "0047 91234567", Want: "+4791234567", Note: "00 international prefix"},
		{Text: "(+47) 912 34 567", Want: "+4791234567", Note: "(+47) prefix"},
		{Text: "+47-912-34-567", Want: "+4791234567", Note: "hyphens"},
		{Text: "912.34.567", Want: "+4791234567", Note: "dots 3-2-3"},
		{Text: `<a href="tel:+4791234567">`, Want: "+4791234567", Note: "tel: URI"},
		{Text: "Sentralbord 22 12 34 56", Want: "+4722123456", Note: "NO fixed line Oslo"},
		{Text: "tlf: 45612345", Want: "+4745612345", Note: "bare NO mobile with context: Medium"},
		{Text: "91234567", Want: "+4791234567", Note: "bare 8 digits without context: reported at Low"},
		{Text: "ring 070-123 45 67", Want: "+46701234567", Note: "SE mobile standard form"},
		{Text: "070 123 45 67", Want: "+46701234567", Note: "SE mobile with spaces"},
		{Text: "mobil 0701234567", Want: "+46701234567", Note: "SE mobile bare with context"},
		{Text: "+46 70 123 45 67", Want: "+46701234567", Note: "+46 grouped"},
		{Text: "+46 (0)70-123 45 67", Want: "+46701234567", Note: "+46 (0) trunk in parentheses"},
		{Text: "växel 08-123 45 67", Want: "+4681234567", Note: "SE Stockholm landline"},
		{Text: "tel 031-12 34 56", Want: "+4631123456", Note: "SE Göteborg landline"},
		{Text: "(070) 123 45 67", Want: "+46701234567", Note: "SE area code in parentheses"},
		{Text: "call +44 20 7946 0018", Want: "+442079460018", Note: "UK via libphonenumber"},
		{Text: "US office +1 (650) 253-0000", Want: "+16502530000", Note: "NANP with area code in parentheses"},
		{Text: "Fax: 0049 30 23125 000", Want: "+493023125000", Note: "German number with 00"},
		{Text: "2024-01-31 10:00 ring 912 34 567", Want: "+4791234567", Note: "after a date and time"},
		{Text: "sms til 912 34 567 2 ganger", Want: "+4791234567", Note: "trailing unrelated digit group"},
	}
}

// Negatives are inputs that must not produce a phone match at Medium or above.
func (d *phoneDetector) Negatives() []Example {
	return []Example{
		{Text: "Ordrenr: 45730432", Note: "order number: against-context"},
		{Text: "KID 91234567", Note: "KID: against-context"},
		{Text: "fnr 010190 12345", Note: "fødselsnummer with a space"},
		{Text: "01019012345", Note: "fødselsnummer"},
		{Text: "dato 2024-01-31", Note: "ISO date"},
		{Text: "31.01.2024 kl 12:30:45", Note: "date and time"},
		{Text: "kontonr 1234.56.78903", Note: "dotted account number"},
		{Text: "1234 56 78903", Note: "spaced account number"},
		{Text: "client 91.23.45.67", Note: "IPv4 address"},
		{Text: "version 9.12.34.567", Note: "version string"},
		{Text: "id 9123456789012", Note: "longer digit run"},
		{Text: "x91234567", Note: "glued to a letter"},
		{Text: "uuid 550e8400-e29b-41d4-a716-446655440000", Note: "UUID"},
		{Text: "+47 123 45 678", Note: "not a Norwegian series"},
		{Text: "+46 71 123 45 67", Note: "Swedish 071 M2M is not valid"},
		{Text: "tz +0100", Note: "time zone offset"},
		{Text: "beløp 12 345 678 kr", Note: "amount 2-3-3"},
		{Text: "sum 91234567.50", Note: "decimal number"},
		{Text: "+999 1234 5678", Note: "unassigned country code"},
		{Text: "faktura 912 34 567", Note: "grouped number with against-context: reported at Low"},
		{Text: "tlf 020-123 45 67", Note: "SE freephone 020 is not personal"},
		{Text: "call +1 800 555 0199", Note: "US toll-free"},
		{Text: "1+91234567", Note: "arithmetic"},
		{Text: "ref#91234567", Note: "hash-prefixed reference"},
		{Text: "9123-4567-8901", Note: "4-4-4 groups"},
		{Text: "GET /api/orders/45730432/items", Note: "bare number in a URL path"},
	}
}
