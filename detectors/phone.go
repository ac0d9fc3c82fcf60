package detectors

import (
	"sync"

	"github.com/nyaruka/phonenumbers/v2"
	"github.com/nyaruka/phonenumbers/v2/metadata"
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
	testLabels     []string
	// lens gives the national number lengths of each country code, made
	// on first use (libphonenumber's metadata is loaded then); types
	// their number types.
	lens  func() *phoneLens
	types *phoneTypes
}

// NewPhone returns the phone number detector.
func NewPhone() Detector {
	return &phoneDetector{boost: PhoneWords(), against: PhoneAgainst(), testLabels: []string{LabelTestData},
		lens: sync.OnceValue(newPhoneLens), types: new(phoneTypes)}
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
	first  int                // index in runs of the first group
	n      int                // number of groups
	gaps   [phoneMaxRuns]byte // gaps[k] lies between group k and k+1 (the last is scratch for Find)
	plus   bool               // '+' right before the first group
	paren  bool               // '(' before the first group (or its '+'), closed after it
	cut    bool               // the chain ends inside a longer chain (limits, parentheses)
	start  int                // byte offset of the chain: '(' or '+' or the first digit
	budget int                // libphonenumber calls left for this chain
}

// Find reports phone numbers built from the digit runs.
//
// Chains of groups never cross a gap that cannot join two groups, so the
// runs fall into segments between such gaps, and a segment is checked on
// its own. Most segments in logs (12:30:45.123, 10.0, "200 512", +01:00)
// hold fewer than phoneMinE164 digits and no parenthesis: no window of
// theirs can be a number. The pass over the runs that finds every
// detector's candidates (candidates.go) counts the segments with a few
// table look-ups per run and lists only those worth a closer look.
func (d *phoneDetector) Find(in *Input, emit func(Match)) {
	b := in.Buf
	runs := in.Runs()
	var ch phoneChain
	// A column of phone numbers, or a JSON document, whose values under a
	// phone key (msisdn, telefon) are read whole (columnNumber).
	column := in.KeyAt != nil || in.KeyContext(d.boost, d.against) == Boost
	next := 0 // with column: the first run no segment has covered
	for _, s := range in.candidates().phone {
		seg, end := int(s.start), int(s.end)
		if column {
			for ; next < seg; next++ {
				d.columnNumber(in, runs[next], emit)
			}
			next = end
		}
		if n := end - seg; n <= phoneMaxRuns {
			// The gaps of a segment that may be one chain (segment's fast
			// path); the last ends the segment.
			for k := 0; k < n-1; k++ {
				ch.gaps[k] = phoneGap(b, runs[seg+k].End, runs[seg+k+1].Start)
			}
			ch.gaps[n-1] = phoneGapNone
			if s.acc <= phoneMaxDigits && !phoneMayHold(b, runs[seg:end], &ch.gaps) {
				continue
			}
		}
		d.segment(in, runs[:end], seg, int(s.acc), &ch, emit)
	}
	if column {
		for ; next < len(runs); next++ {
			d.columnNumber(in, runs[next], emit)
		}
	}
}

// columnNumber reads a lone run r of a column of phone numbers, or of a
// JSON value under a phone key, that the candidate pass left
// (phoneLoneRun): a number stored without its '+' (46701234567, as
// MSISDNs are kept and as a spreadsheet's numeric cell keeps +46…), or a
// Swedish mobile without the trunk 0 a numeric cell dropped (701234567).
// Only a whole value: nothing joined to it.
func (d *phoneDetector) columnNumber(in *Input, r Run, emit func(Match)) {
	b := in.Buf
	n := r.End - r.Start
	if n < 9 || n > phoneMaxE164 || b[r.Start] == '0' {
		return
	}
	// The value's bounds: a field's or the text's, spaces around it; in
	// a JSON document a string's quotes or a number's ends, under a
	// phone key.
	s, e := r.Start, r.End
	for s > 0 && b[s-1] == ' ' {
		s--
	}
	for e < len(b) && (b[e] == ' ' || b[e] == '\r') {
		e++
	}
	if in.KeyAt != nil {
		if s == 0 || e == len(b) || !(b[s-1] == '"' && b[e] == '"' || b[s-1] == ':' && (b[e] == ',' || b[e] == '}' || b[e] == ']' || b[e] == '\n')) ||
			in.pathSignal(in.KeyAt(r.Start), d.boost, d.against) != Boost {
			return
		}
	} else if s > 0 && b[s-1] != '\n' && b[s-1] != 0 || e < len(b) && b[e] != '\n' && b[e] != 0 {
		return
	}
	digits := b[r.Start:r.End]
	budget := phoneLibCalls
	if n == 9 && digits[0] == '7' {
		var e164 [11]byte
		e164[0], e164[1] = '4', '6'
		copy(e164[2:], digits)
		if phoneSEValid(e164[:], &budget, d.types) {
			d.report(in, r.Start, r.End, e164[:], phoneSEBare, false, emit)
			return
		}
	}
	if phoneValidE164(digits, &budget, d.lens(), d.types) {
		d.report(in, r.Start, r.End, digits, phoneIntl, false, emit)
	}
}

// phoneMayHold reports whether a segment that segment takes as one chain
// (no more than phoneMaxRuns groups and phoneMaxDigits digits, so no
// parenthesis; gaps as phoneGap classifies them) may hold a number. Its
// windows start at its first group or after a space (windows), and
// phoneShape accepts a window only when it comes after a '+'
// (international), starts with 0 (Swedish, or a 00 prefix) or is grouped
// as a Norwegian number. A log's IP addresses, account numbers and HTTP
// status and size pairs are most of the segments the candidate pass
// leaves (it drops lone references, epochs and KIDs: phoneLoneRun), and
// none of them passes.
func phoneMayHold(b []byte, groups []Run, gaps *[phoneMaxRuns]byte) bool {
	if phonePlus(b, groups[0].Start) > 0 {
		return true
	}
	// The groups' lengths, and zeros after them: a window's grouping is
	// read from l[k:k+4].
	var l [phoneMaxRuns + 3]int
	for k, r := range groups {
		l[k] = r.End - r.Start
	}
	for k, r := range groups {
		if k > 0 && gaps[k-1] != phoneGapSpace {
			continue // no window starts here
		}
		// Swedish or 00, or the grouping of a Norwegian national number:
		// 8 digits, 10 starting with 47, 4-4, 3-2-3 or 2-2-2-2.
		switch {
		case b[r.Start] == '0', l[k] == 8, l[k] == 4 && l[k+1] == 4, l[k] == 3 && l[k+1] == 2 && l[k+2] == 3,
			l[k] == 2 && l[k+1] == 2 && l[k+2] == 2 && l[k+3] == 2,
			l[k] == 10 && b[r.Start] == '4' && b[r.Start+1] == '7':
			return true
		}
	}
	return false
}

// phoneGapMark is added to a segment's digit count for each gap: a
// parenthesis, which can cut a chain, makes any segment worth a closer
// look and no simple chain. phoneGapEnd is -1 for the gap that ends a
// segment. Constant lookup tables (indexed by a byte: no bounds checks).
var (
	phoneGapMark = [256]int{phoneGapOpen: phoneMarkParen, phoneGapClose: phoneMarkParen}
	phoneGapEnd  = [256]int{phoneGapNone: -1}
)

// phoneMarkParen is more than the digits of any segment that fits a chain.
const phoneMarkParen = 1 << 20

// segment finds the numbers in runs[i:], a segment whose last run is not
// joined to the next, with acc as counted by phoneScan. A segment that
// fits the limits of one chain and has no parentheses is one chain, whose
// gaps phoneScan has stored in ch; any other is walked chain by chain as
// phoneBuildChain builds them.
func (d *phoneDetector) segment(in *Input, runs []Run, i, acc int, ch *phoneChain, emit func(Match)) {
	b := in.Buf
	if n := len(runs) - i; n <= phoneMaxRuns && acc <= phoneMaxDigits {
		r := runs[i]
		ch.first, ch.n, ch.start, ch.budget = i, n, r.Start, phoneLibCalls
		ch.plus, ch.paren, ch.cut = false, false, false
		if n := phonePlus(b, r.Start); n > 0 {
			ch.plus = true
			ch.start -= n
		}
		// A '(' before the chain encloses it and is only a boundary
		// (see phoneBuildChain).
		d.windows(in, runs, ch, acc, emit)
		return
	}
	for i < len(runs) {
		r := runs[i]
		n := r.End - r.Start
		if n < 8 || n > 10 {
			// Fast path: a lone group that is neither NO (8, 47+8) nor SE
			// (9–10) needs a '+', a "00" prefix or a following group.
			if (r.End >= len(b) || !phoneJoins[b[r.End]]) && phonePlus(b, r.Start) == 0 &&
				(n < 9 || b[r.Start] != '0' || b[r.Start+1] != '0') {
				i++
				continue
			}
		}
		// Every window of a chain needs phoneMinE164 digits.
		if nd := phoneBuildChain(b, runs, i, ch); nd >= phoneMinE164 {
			d.windows(in, runs, ch, nd, emit)
		}
		i += ch.n
	}
}

// phoneJoins marks the bytes a gap between two digit groups can start
// with (see phoneGap). A constant lookup table.
var phoneJoins = [256]bool{' ': true, '-': true, '.': true, '(': true, ')': true, 0xC2: true}

// phoneGap1 classifies one-byte gaps. A constant lookup table.
var phoneGap1 = [256]byte{' ': phoneGapSpace, '-': phoneGapDash, '.': phoneGapDot, '(': phoneGapOpen, ')': phoneGapClose}

// phoneGap classifies the bytes b[s:e] between two digit groups.
func phoneGap(b []byte, s, e int) byte {
	if e-s == 1 {
		return phoneGap1[b[s]]
	}
	return phoneGap23(b, s, e-s)
}

// phoneGap23 classifies the n bytes at b[s:] between two digit groups when
// n is not 1: a no-break space, " (", ") ", ")-" and " - ".
func phoneGap23(b []byte, s, n int) byte {
	switch {
	case n == 2 && b[s] == 0xC2 && b[s+1] == 0xA0:
		return phoneGapSpace
	case n == 2 && b[s] == ' ' && b[s+1] == '(':
		return phoneGapOpen
	case n == 2 && b[s] == ')' && (b[s+1] == ' ' || b[s+1] == '-'):
		return phoneGapClose
	case n == 3 && b[s] == ' ' && b[s+1] == '-' && b[s+2] == ' ':
		return phoneGapDash
	}
	return phoneGapNone
}

// phoneBuildChain collects the groups starting at runs[i] into ch and
// returns the number of digits in them. The boundaries are left to
// windows.
func phoneBuildChain(b []byte, runs []Run, i int, ch *phoneChain) int {
	r := runs[i]
	// Field by field: gaps beyond n-1 are never read, so they need no zeroing.
	ch.first, ch.n, ch.start, ch.budget = i, 1, r.Start, phoneLibCalls
	ch.plus, ch.paren, ch.cut = false, false, false
	if n := phonePlus(b, r.Start); n > 0 {
		ch.plus = true
		ch.start -= n
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
		g := phoneGap(b, runs[k].End, next.Start)
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
		digits = 0
		for _, r := range runs[i : i+open] {
			digits += r.End - r.Start
		}
	}
	if open == 0 {
		// "(91234567)", "(+47 912 34 567)": the parenthesis encloses the
		// whole number and is only a boundary.
		ch.paren = false
		ch.start++
	}
	ch.cut = cut
	return digits
}

// phonePlus returns the length of the plus sign right before b[s]: 1 for
// '+', 3 for "%2B" (a URL's query, ?phone=%2B4791234567), 0 for none.
func phonePlus(b []byte, s int) int {
	switch {
	case s > 0 && b[s-1] == '+':
		return 1
	case s >= 3 && b[s-3] == '%' && b[s-2] == '2' && b[s-1]|0x20 == 'b':
		return 3
	}
	return 0
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
	case IsAlnum(c):
		return jsonEscapeBefore(b, s) // ring\n+4791234567 in a JSON string
	case c == '_' || c == '+' || c == '#' || c == '@' || c == '*':
		return false
	case c == '.' || c == '-':
		// Joined to a digit (dates, IPs, decimals) or to a word: part of an
		// identifier (CVE-2104-7817, commitcomment-69643079, file.1234).
		return s < 2 || !IsAlnum(b[s-2])
	case c == '/' || c == ':':
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
	case c == '.' || c == '-':
		// 02-687531-fix-missing-ldflags.patch, strace-Y-0123456789.c
		return e+1 >= len(b) || !IsAlnum(b[e+1])
	case c == '/' || c == ':':
		return e+1 >= len(b) || !IsDigit(b[e+1])
	}
	return true
}

// windows tries the chain (nd digits) and its sub-chains split at spaces,
// leftmost and longest first, and emits each valid number once. A window
// is checked by its shape first (phoneShape), then by the boundaries of
// the chain, which are found only when needed.
func (d *phoneDetector) windows(in *Input, runs []Run, ch *phoneChain, nd int, emit func(Match)) {
	b := in.Buf
	groups := runs[ch.first : ch.first+ch.n]
	spaced := false
	for _, g := range ch.gaps[:ch.n-1] {
		if g == phoneGapSpace {
			spaced = true
			break
		}
	}
	if !spaced {
		// Windows are split at spaces only: the whole chain is the one window.
		if nd <= phoneMaxE164+2 && phoneShape(b, groups, ch, 0, ch.n-1, nd) && phoneBefore(b, ch.start) &&
			!ch.cut && phoneAfter(b, groups[ch.n-1].End) {
			d.window(in, groups, ch, 0, ch.n-1, nd, emit)
		}
		return
	}
	var startOK, endOK int8 // 0: not known yet, 1: a boundary, -1: not
	for a := 0; a < ch.n; {
		if a > 0 {
			r := groups[a-1]
			nd -= r.End - r.Start // now the digits in groups a..n-1
			if ch.gaps[a-1] != phoneGapSpace {
				a++
				continue
			}
		}
		next := a + 1
		// Digits in groups a..z, shrinking z: a window needs at least
		// phoneMinE164 digits (two more with a "00" prefix).
		ndz := nd
		for z := ch.n - 1; z >= a; z-- {
			if z < ch.n-1 {
				r := groups[z+1]
				ndz -= r.End - r.Start
			}
			if ndz < phoneMinE164 {
				break
			}
			if ndz > phoneMaxE164+2 || (z < ch.n-1 && ch.gaps[z] != phoneGapSpace) || !phoneShape(b, groups, ch, a, z, ndz) {
				continue
			}
			if a == 0 && startOK == 0 {
				startOK = -1
				if phoneBefore(b, ch.start) {
					startOK = 1
				}
			}
			if a == 0 && startOK < 0 {
				break // no window starts at the chain's first group
			}
			if z == ch.n-1 && endOK == 0 {
				endOK = -1
				if !ch.cut && phoneAfter(b, groups[z].End) {
					endOK = 1
				}
			}
			if z == ch.n-1 && endOK < 0 {
				continue
			}
			if d.window(in, groups, ch, a, z, ndz, emit) {
				next = z + 1
				break
			}
		}
		// Skip to next, keeping nd the digits in groups a..n-1.
		for a++; a < next; a++ {
			r := groups[a-1]
			nd -= r.End - r.Start
		}
	}
}

// phoneShape reports whether groups a..z of the chain (nd digits) have the
// shape of a number window accepts: it is window's checks that need
// neither the boundaries nor more than the first digits.
func phoneShape(b []byte, groups []Run, ch *phoneChain, a, z, nd int) bool {
	win := groups[a : z+1]
	d0, d1 := phoneFirstDigits(b, win)
	if (a == 0 && ch.plus) || phone00(b, win) {
		return true // international
	}
	if d0 != '0' {
		// Norwegian national numbers have 8 digits in a known series, or
		// 10 as one group 47….
		switch {
		case nd == 8:
			if !phoneNOSeries(d0, d1) || (len(win) > 1 && !phoneNOGrouping(win, 0, true)) {
				return false
			}
		case nd == 10 && len(win) == 1:
			if d0 != '4' || d1 != '7' || !phoneNOSeries(b[win[0].Start+2], b[win[0].Start+3]) {
				return false
			}
		default:
			return false
		}
	}
	sameGap, mixed, inner := phoneGaps(ch.gaps[a:z])
	if inner || (ch.paren && a == 0 && d0 != '0') {
		return false
	}
	if d0 == '0' {
		return true // Swedish
	}
	return !mixed && (len(win) == 1 || phoneNOGrouping(win, sameGap, a == 0 && z == ch.n-1))
}

// phone00 reports whether a window starts with the international prefix
// 00 inside its first group (0047…, not "0 0 468").
func phone00(b []byte, win []Run) bool {
	r := win[0]
	return r.End-r.Start >= 2 && b[r.Start] == '0' && b[r.Start+1] == '0'
}

// phoneFirstDigits returns the first two digits of a window of groups
// (the first group may have one digit).
func phoneFirstDigits(b []byte, win []Run) (byte, byte) {
	d0, d1 := b[win[0].Start], byte(0)
	if win[0].End-win[0].Start > 1 {
		d1 = b[win[0].Start+1]
	} else if len(win) > 1 {
		d1 = b[win[1].Start]
	}
	return d0, d1
}

// phoneGaps summarises the gaps inside a window: the kind of its first
// gap outside parentheses, whether other kinds follow, and whether a group
// is opened in parentheses.
func phoneGaps(gaps []byte) (same byte, mixed, inner bool) {
	for _, g := range gaps {
		if g == phoneGapOpen || g == phoneGapClose {
			if g == phoneGapOpen {
				inner = true
			}
		} else if same == 0 {
			same = g
		} else if g != same {
			mixed = true
		}
	}
	return same, mixed, inner
}

// window validates groups a..z of the chain (nd digits) as one number and
// emits it. The shape (digit count, group lengths, gaps) is checked before
// any digit is copied.
func (d *phoneDetector) window(in *Input, groups []Run, ch *phoneChain, a, z, nd int, emit func(Match)) bool {
	b := in.Buf
	if nd < phoneMinE164 {
		return false // windows checks this; kept for safety
	}
	win := groups[a : z+1]
	ng := len(win)
	d0, _ := phoneFirstDigits(b, win)
	plus := a == 0 && ch.plus
	intl := plus || phone00(b, win)
	// A window inside a longer chain of digit groups (a table of numbers,
	// PostScript coordinates, "76 642 72 642") is weak evidence.
	sub := a > 0 || z < ch.n-1
	if !intl && d0 != '0' && nd != 8 && (nd != 10 || ng != 1) {
		// A national number without trunk 0 is Norwegian: 8 digits, or
		// 10 as one group (47…).
		return false
	}
	sameGap, mixed, inner := phoneGaps(ch.gaps[a:z])
	start := win[0].Start
	if a == 0 {
		start = ch.start
	}
	end := win[ng-1].End
	if !intl {
		if inner || (ch.paren && a == 0 && d0 != '0') {
			return false // parentheses inside a national number
		}
		if d0 != '0' {
			// Norwegian national: 8 digits in a usual grouping, one kind of gap.
			if mixed {
				return false
			}
			if ng == 1 && ((start > 0 && b[start-1] == '/') || (end < len(b) && b[end] == '/')) {
				return false // a bare number in a URL path (/orders/45730432) is an id
			}
			if nd == 8 && ng > 1 && !phoneNOGrouping(win, sameGap, a == 0 && z == ch.n-1) {
				return false // 2-2-2-2 with dots is an IPv4 address; 4-4 only as a whole
			}
		}
	}
	var dg [phoneMaxDigits + 2]byte
	var lens [phoneMaxRuns]int8
	n := 0
	for k, r := range win {
		n += copy(dg[n:], b[r.Start:r.End])
		lens[k] = int8(r.End - r.Start)
	}
	digits := dg[:n]
	if intl {
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
		if !phoneValidE164(e164, &ch.budget, d.lens(), d.types) {
			return false
		}
		// "00" without a '+' is also how hex and number tables begin.
		return d.report(in, start, end, e164, phoneIntl, sub || !plus, emit)
	}
	if d0 == '0' {
		return d.swedish(in, ch, start, end, digits, lens[:ng], sameGap, a == 0 && z == ch.n-1, ch.paren && a == 0, sub, emit)
	}
	var nsn [10]byte
	switch {
	case nd == 8:
		if !phoneNOValid(digits) {
			return false
		}
		copy(nsn[2:], digits)
		nsn[0], nsn[1] = '4', '7'
		kind := phoneNOGrouped
		if ng == 1 {
			kind = phoneNOBare
		}
		// 3-2-3 is how Norwegian numbers are written; 2-2-2-2 and 4-4
		// are also how hex bytes and number tables are.
		weak := sub || !(ng == 3 && lens[0] == 3 && lens[1] == 2 && lens[2] == 3)
		return d.report(in, start, end, nsn[:], kind, weak, emit)
	case digits[0] == '4' && digits[1] == '7': // nd == 10, one group
		if !phoneNOValid(digits[2:]) {
			return false
		}
		return d.report(in, start, end, digits, phoneNOBare47, false, emit)
	}
	return false
}

// phoneNOGrouping reports whether the groups of an 8-digit Norwegian
// window are written in a usual grouping: 3-2-3 (with dots only as the
// whole chain), or 2-2-2-2 and 4-4 as the whole chain and without dots.
func phoneNOGrouping(win []Run, gap byte, whole bool) bool {
	var l [4]int
	if len(win) > len(l) {
		return false
	}
	for k, r := range win {
		l[k] = r.End - r.Start
	}
	switch {
	case len(win) == 3 && l[0] == 3 && l[1] == 2 && l[2] == 3:
		return gap != phoneGapDot || whole
	case len(win) == 4 && l[0] == 2 && l[1] == 2 && l[2] == 2 && l[3] == 2, len(win) == 2 && l[0] == 4 && l[1] == 4:
		return gap != phoneGapDot && whole
	}
	return false
}

// swedish validates a national Swedish number (trunk 0).
func (d *phoneDetector) swedish(in *Input, ch *phoneChain, start, end int, digits []byte, lens []int8, gap byte, whole, paren, inner bool, emit func(Match)) bool {
	nd := len(digits)
	if gap == phoneGapDot || digits[1] == '0' {
		return false
	}
	var e164 [phoneMaxDigits + 2]byte
	e164[0], e164[1] = '4', '6'
	n := 2 + copy(e164[2:], digits[1:])
	if len(lens) == 1 {
		if paren || nd < 9 || nd > 10 || in.ByteAt(start-1) == '/' || in.ByteAt(end) == '/' ||
			!phoneSEValid(e164[:n], &ch.budget, d.types) {
			return false
		}
		return d.report(in, start, end, e164[:n], phoneSEBare, false, emit)
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
	if !phoneSEValid(e164[:n], &ch.budget, d.types) {
		return false
	}
	// The Swedish standard form sets the area code off with a hyphen or
	// parentheses (08-123 45 67, (070) 123 45 67); groups joined by spaces
	// only (041 117 132) are as often other numbers.
	weak := inner || !(gap == phoneGapDash || paren)
	return d.report(in, start, end, e164[:n], phoneSEGrouped, weak, emit)
}

// phoneNOValid checks an 8-digit Norwegian number against the mobile and
// fixed-line series (identifiers.md §4.1): mobile 4[015-9]/9, fixed 2[1-4],
// 3[1-3578], 5[1-35-7], 6[1-46-9], 7x. identifiers.md quotes 7[0-8], but the
// libphonenumber v2.0.7 metadata in go.mod also accepts 79 as fixed line;
// TestPhoneNOSeriesAgreeWithLibphonenumber holds the two together.
func phoneNOValid(p []byte) bool {
	return len(p) == 8 && phoneNOSeries(p[0], p[1])
}

// phoneNOSeries checks the first two digits of an 8-digit Norwegian number.
func phoneNOSeries(a, b byte) bool {
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
func phoneSEValid(e164 []byte, budget *int, types *phoneTypes) bool {
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
	return phoneLibValid(46, nsn, budget, nil, types)
}

// phoneValidE164 validates international digits (country code first).
// lens, when not nil, rejects a national number of a length its country
// code never has before libphonenumber is asked; types, when not nil,
// answers for it (see phoneLibValid).
func phoneValidE164(e []byte, budget *int, lens *phoneLens, types *phoneTypes) bool {
	if len(e) < phoneMinE164 || len(e) > phoneMaxE164 || e[0] == '0' {
		return false
	}
	switch {
	case e[0] == '4' && e[1] == '7':
		return phoneNOValid(e[2:])
	case e[0] == '4' && e[1] == '6':
		return phoneSEValid(e, budget, types)
	}
	// The country code is 1–3 digits and prefix-free.
	cc := 0
	for i := 0; i < 3; i++ {
		cc = cc*10 + int(e[i]-'0')
		if len(phonenumbers.GetRegionCodesForCountryCode(cc)) > 0 {
			return phoneLibValid(cc, e[i+1:], budget, lens, types)
		}
	}
	return false
}

// phoneLens holds, for each country calling code, the lengths its
// national significant numbers can have: bit n for n digits.
type phoneLens [1000]uint32

// newPhoneLens reads the lengths from libphonenumber's metadata: for a
// code, the union over its regions of the possible lengths of their
// general description, which is the first thing GetNumberType checks (a
// number of another length is UNKNOWN). A code for which some region has
// no such list allows every length.
func newPhoneLens() *phoneLens {
	var t phoneLens
	for cc, regions := range metadata.CountryCodeToRegion() {
		if cc <= 0 || cc >= len(t) {
			continue
		}
		for _, r := range regions {
			var md *metadata.PhoneMetadata
			if r == phonenumbers.REGION_CODE_FOR_NON_GEO_ENTITY {
				md, _ = metadata.NonGeoMetadata(cc)
			} else {
				md, _ = metadata.RegionMetadata(r)
			}
			ls := md.GetGeneralDesc().GetPossibleLength()
			if len(ls) == 0 {
				t[cc] = ^uint32(0)
				break
			}
			for _, l := range ls {
				if l > 0 && l < 32 {
					t[cc] |= 1 << l
				}
			}
		}
	}
	return &t
}

// may reports whether a national number of n digits can belong to
// country code cc (always, when l is nil).
func (l *phoneLens) may(cc, n int) bool {
	return l == nil || uint(cc) >= uint(len(l)) || uint(n) >= 32 || l[cc]>>n&1 != 0
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
// A length that lens rules out for cc is refused without asking (lens may
// be nil): zero-padded references ("00123456789") are mostly that. It
// spends the budget all the same, so that which windows of a chain are
// validated does not depend on the table. types, when not nil, answers
// for libphonenumber's GetNumberType (phoneTypes: the same answers,
// without its per-call costs).
func phoneLibValid(cc int, nsn []byte, budget *int, lens *phoneLens, types *phoneTypes) bool {
	if len(nsn) == 0 || len(nsn) > 14 || *budget <= 0 {
		return false
	}
	*budget--
	if !lens.may(cc, len(nsn)) {
		return false
	}
	v, zeros := phoneNSNValue(nsn)
	if int(zeros) == len(nsn) {
		return false
	}
	var typ phonenumbers.PhoneNumberType
	if types != nil {
		// The national significant number GetNumberType reads is the
		// digits as written: the leading zeros and then v.
		typ = types.numberType(cc, nsn)
	} else {
		typ = phoneLibType(cc, v, zeros)
	}
	switch typ {
	case phonenumbers.TOLL_FREE, phonenumbers.PREMIUM_RATE, phonenumbers.SHARED_COST, phonenumbers.UNKNOWN:
		return false
	}
	return true
}

// phoneNSNValue returns the national number of the digits nsn as
// libphonenumber holds it: their value and the zeros they start with.
func phoneNSNValue(nsn []byte) (v uint64, zeros int32) {
	for i, c := range nsn {
		if c == '0' && int(zeros) == i {
			zeros++
		}
		v = v*10 + uint64(c-'0')
	}
	return v, zeros
}

// phoneLibType is libphonenumber's GetNumberType of the number of country
// code cc and national number v after zeros leading zeros.
func phoneLibType(cc int, v uint64, zeros int32) phonenumbers.PhoneNumberType {
	c32 := int32(cc)
	num := &phonenumbers.PhoneNumber{CountryCode: &c32, NationalNumber: &v}
	if zeros > 0 {
		lead := true
		num.ItalianLeadingZero = &lead
		if zeros > 1 {
			num.NumberOfLeadingZeros = &zeros
		}
	}
	return phonenumbers.GetNumberType(num)
}

// report applies context to a validated number and emits it as "+"+e164.
// A weak form (digit groups that are as often something else) is Low
// unless the context speaks for a phone.
func (d *phoneDetector) report(in *Input, start, end int, e164 []byte, kind phoneKind, weak bool, emit func(Match)) bool {
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
		if weak {
			conf = Low
		}
	}
	conf = Adjust(conf, sig)
	if sig != Boost && conf > Low && !in.InRecord(start, end) {
		// Mentioned in prose, documentation or code without a phone word:
		// example numbers, digit groups. A log record, a column or a key
		// vouches for the value's kind; so does a phone word.
		conf = Low
	}
	var labels []string
	if placeholderDigits(e164) || fictionalNANP(e164) || conf > Low && in.ExampleBefore(start) {
		// +441234567890, "(e.g. +1 650 253 0000)", +1 500 555 0199:
		// placeholders, examples and numbers reserved for fiction.
		conf, labels = Low, d.testLabels
	}
	var v [1 + phoneMaxDigits + 2]byte
	v[0] = '+'
	n := 1 + copy(v[1:], e164)
	emit(Match{Detector: d.ID(), Category: Phone, Start: start, End: end, Value: in.valueString(v[:n]), Confidence: conf, Labels: labels})
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
		{Text: "GET /api/users?phone=%2B4791234567&x=1 HTTP/1.1", Want: "+4791234567", Note: "a URL's query writes '+' as %2B"},
		{Text: "tlf=%2b46701234567", Want: "+46701234567", Note: "%2b in lower case"},
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
		{Text: "puhelin +358 40 123 4567", Want: "+358401234567", Note: "a Finnish number after the Finnish phone word"},
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
		{Text: "id=X%2B4791234567", Note: "%2B glued to a word: part of an identifier"},
		{Text: `"SimpleAddress": "+15005550199"`, Note: "NANP 555-0100 to 555-0199, reserved for fiction: test_data, reported at Low"},
		{Text: "mobile: +1 212 555 0142", Note: "555-01XX in any area code: reported at Low"},
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
