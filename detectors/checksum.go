package detectors

// Check-digit and date helpers shared by the detectors. They work on ASCII
// digit bytes as found in Input.Buf, never allocate, and reject (rather than
// panic on) anything that is not a digit.

// Weight tables for the Norwegian MOD11 control digits (Skatteetaten).
// K1 uses w1 over the first nine digits; K2 uses w2 over the first ten,
// which are also the weights of the Norwegian kontonummer check digit.
var (
	fnrK1Weights = [9]byte{3, 7, 6, 1, 8, 9, 4, 5, 2}
	fnrK2Weights = [10]byte{5, 4, 3, 2, 7, 6, 5, 4, 3, 2}
)

// luhnDouble maps a digit to the digit sum of twice its value.
var luhnDouble = [10]byte{0, 2, 4, 6, 8, 1, 3, 5, 7, 9}

// AllDigits reports whether b is non-empty and consists of ASCII digits only.
func AllDigits(b []byte) bool {
	if len(b) == 0 {
		return false
	}
	for _, c := range b {
		if c-'0' > 9 {
			return false
		}
	}
	return true
}

// WeightedSum returns Σ digit·weight over digits, pairing digits[i] with
// weights[i]. ok is false when a byte is not an ASCII digit or when there are
// fewer weights than digits.
func WeightedSum(digits []byte, weights []byte) (sum int, ok bool) {
	if len(weights) < len(digits) {
		return 0, false
	}
	for i, c := range digits {
		v := c - '0'
		if v > 9 {
			return 0, false
		}
		sum += int(v) * int(weights[i])
	}
	return sum, true
}

// Mod11CheckDigit computes the MOD11 control digit of payload with weights:
// K = 11 − (Σ w·d mod 11), where 11 becomes 0. It returns the ASCII digit;
// ok is false when K would be 10 (such payloads are never issued) or when
// the input is not digits.
func Mod11CheckDigit(payload []byte, weights []byte) (check byte, ok bool) {
	s, ok := WeightedSum(payload, weights)
	if !ok {
		return 0, false
	}
	k := 11 - s%11
	switch k {
	case 11:
		k = 0
	case 10:
		return 0, false
	}
	return byte('0' + k), true
}

// Mod11Valid reports whether the last digit of number is the MOD11 control
// digit of the digits before it under weights (one weight per payload
// digit). Norwegian kontonummer and the fødselsnummer K2 use the weights
// 5 4 3 2 7 6 5 4 3 2.
func Mod11Valid(number []byte, weights []byte) bool {
	if len(number) < 2 {
		return false
	}
	k, ok := Mod11CheckDigit(number[:len(number)-1], weights)
	return ok && number[len(number)-1] == k
}

// Luhn reports whether digits (at least two ASCII digits, the last being the
// check digit) pass the Luhn (modulus-10, weights 2 and 1) check used by
// payment cards and Swedish personnummer.
func Luhn(digits []byte) bool {
	if len(digits) < 2 {
		return false
	}
	sum := 0
	double := false
	for i := len(digits) - 1; i >= 0; i-- {
		v := digits[i] - '0'
		if v > 9 {
			return false
		}
		if double {
			v = luhnDouble[v]
		}
		sum += int(v)
		double = !double
	}
	return sum%10 == 0
}

// LuhnCheckDigit returns the ASCII Luhn check digit to append to payload;
// ok is false when payload is empty or not all digits.
func LuhnCheckDigit(payload []byte) (check byte, ok bool) {
	if len(payload) == 0 {
		return 0, false
	}
	sum := 0
	double := true // the digit next to the check digit is doubled
	for i := len(payload) - 1; i >= 0; i-- {
		v := payload[i] - '0'
		if v > 9 {
			return 0, false
		}
		if double {
			v = luhnDouble[v]
		}
		sum += int(v)
		double = !double
	}
	return byte('0' + (10-sum%10)%10), true
}

// twoDigits returns the value of the two ASCII digits at b[i:i+2]. Callers
// have checked that they are digits.
func twoDigits(b []byte, i int) int {
	return int(b[i]-'0')*10 + int(b[i+1]-'0')
}

// monthDays returns the number of days in month (1–12) of a year for which
// leap says whether February has 29 days; 0 for a month outside 1–12.
func monthDays(month int, leap bool) int {
	switch month {
	case 1, 3, 5, 7, 8, 10, 12:
		return 31
	case 4, 6, 9, 11:
		return 30
	case 2:
		if leap {
			return 29
		}
		return 28
	}
	return 0
}

// gregorianLeap reports whether year is a leap year in the Gregorian calendar.
func gregorianLeap(year int) bool {
	return year%4 == 0 && (year%100 != 0 || year%400 == 0)
}

// Neighbour classes used by standAlone.
const (
	nbSafe      = iota // space, quote, bracket, '=', ';', ',', '|', line end: a clear boundary
	nbReject           // letter, digit, '_', '+' before: the number belongs to a longer token
	nbJoinDigit        // a boundary unless a digit lies beyond it (12:34, 2024/…, 1.5)
	nbJoinAlnum        // a boundary unless a letter or digit lies beyond it (ORD-…, x.…, …@host)
)

// leftNeighbour and rightNeighbour classify the byte just before and just
// after a numeric candidate.
var leftNeighbour, rightNeighbour = func() (l, r [256]uint8) {
	for c := 0; c < 256; c++ {
		if IsAlnum(byte(c)) || c == '_' {
			l[c], r[c] = nbReject, nbReject
		}
	}
	l['+'] = nbReject // +4670…: an international phone number
	for _, c := range []byte(".-@#$%~^") {
		l[c] = nbJoinAlnum
	}
	for _, c := range []byte(":/\\") {
		l[c] = nbJoinDigit
	}
	for _, c := range []byte(".:/\\+") {
		r[c] = nbJoinDigit
	}
	for _, c := range []byte("-@#$%~^") {
		r[c] = nbJoinAlnum
	}
	return l, r
}()

// dateAndNumber reports whether the six-digit run runs[i] (a date) is
// followed, one space or hyphen on, by a run of n digits, the two standing
// alone as one number (010190 12345, 260683-1176), and returns that run.
func dateAndNumber(b []byte, runs []Run, i, n int) (Run, bool) {
	if i+1 == len(runs) {
		return Run{}, false
	}
	r, nx := runs[i], runs[i+1]
	if nx.Start != r.End+1 || nx.End-nx.Start != n {
		return Run{}, false
	}
	sep := b[r.End]
	return nx, (sep == ' ' || sep == '-') && standAlone(b, r.Start, nx.End, sep == ' ')
}

// jsonEscapeBefore reports a JSON string's line break or tab escape
// right before b[s] ("fnr\n15038712486", "Kari\t15038712486" in a JSON
// log's message): a separator, not a letter joined to the number.
func jsonEscapeBefore(b []byte, s int) bool {
	if s < 2 || b[s-2] != '\\' {
		return false
	}
	c := b[s-1]
	return (c == 'n' || c == 't' || c == 'r') && (s < 3 || b[s-3] != '\\')
}

// standAlone reports whether the candidate b[s:e] is a number of its own:
// not part of an alphanumeric token, a longer number, a dotted or colon
// separated numeric run (1234.56.78903, 12:34), a hyphenated token
// (ORD-…) or a version-like x.N.y. With grouped set, the candidate was
// written with an inner space, and a neighbouring space-separated digit
// group (1234 56 78903 style) also disqualifies it. A few non-ASCII
// neighbours (no-break space, guillemets, curly quotes) count as safe.
func standAlone(b []byte, s, e int, grouped bool) bool {
	if s > 0 {
		c := b[s-1]
		switch leftNeighbour[c] {
		case nbReject:
			if c < 0x80 && !jsonEscapeBefore(b, s) || c >= 0x80 && !safeRuneBefore(b, s) {
				return false
			}
		case nbJoinDigit:
			if s >= 2 && IsDigit(b[s-2]) {
				return false
			}
		case nbJoinAlnum:
			if s >= 2 && (IsAlnum(b[s-2]) || b[s-2] == '_') {
				return false
			}
		default:
			if grouped && c == ' ' && s >= 2 && IsDigit(b[s-2]) {
				return false
			}
		}
	}
	if e < len(b) {
		c := b[e]
		switch rightNeighbour[c] {
		case nbReject:
			if c < 0x80 || !safeRuneAfter(b, e) {
				return false
			}
		case nbJoinDigit:
			if e+1 < len(b) && IsDigit(b[e+1]) {
				return false
			}
		case nbJoinAlnum:
			if e+1 < len(b) && (IsAlnum(b[e+1]) || b[e+1] == '_') {
				return false
			}
		default:
			if grouped && c == ' ' && e+1 < len(b) && IsDigit(b[e+1]) {
				return false
			}
		}
	}
	return true
}

// safeRuneBefore reports whether the multi-byte rune ending at b[s-1] is
// punctuation that separates words: U+00A0 no-break space, U+2009 thin
// space, U+202F narrow no-break space, « », “ ” ‘ ’.
func safeRuneBefore(b []byte, s int) bool {
	switch {
	case s >= 2 && b[s-2] == 0xC2:
		return isSafeC2(b[s-1])
	case s >= 3 && b[s-3] == 0xE2 && b[s-2] == 0x80:
		return isSafeE280(b[s-1])
	}
	return false
}

// safeRuneAfter is safeRuneBefore for the rune starting at b[e].
func safeRuneAfter(b []byte, e int) bool {
	switch {
	case b[e] == 0xC2 && e+1 < len(b):
		return isSafeC2(b[e+1])
	case b[e] == 0xE2 && e+2 < len(b) && b[e+1] == 0x80:
		return isSafeE280(b[e+2])
	}
	return false
}

func isSafeC2(c byte) bool   { return c == 0xA0 || c == 0xAB || c == 0xBB }              // NBSP « »
func isSafeE280(c byte) bool { return c >= 0x98 && c <= 0x9D || c == 0x89 || c == 0xAF } // ‘ ’ ‚ ‛ “ ”, thin and narrow no-break spaces
