package detectors

import "slices"

// iban finds International Bank Account Numbers.
//
// Rules (ISO 13616-1:2020; SWIFT "IBAN Registry", the per-country length
// and BBAN structure; European Committee for Banking Standards EBS204):
// two-letter ISO 3166 country code, two check digits, and the country's
// BBAN of fixed length and shape. Valid when, with the first four
// characters moved to the end and letters replaced by 10 (A) … 35 (Z), the
// number mod 97 is 1 (ISO 7064 MOD 97-10). Written in the electronic form
// (NO9386011117947) or the paper form in groups of four
// (NO93 8601 1117 947). The length must be exactly the registry's; for NO,
// SE, DK, FI, DE, GB, NL, FR, ES, IT, PL and the other countries in
// ibanShapes the BBAN must also have the registry's pattern of digits and
// letters, and a Norwegian BBAN must be a valid kontonummer (its own MOD11).
// One random well-shaped candidate in 97 passes (ibanChance).
//
// Confidence: Medium; High with bank context before the value (IBAN,
// konto, account, …) or a BIC/SWIFT code after it on the same line
// (IBAN: … BIC: DNBANOKKXXX). Published example IBANs (the registry's and
// ECBS's examples) are labelled test_data.
//
// Match.Value is the electronic form (upper case, no spaces).
type iban struct {
	boost, against *WordSet
}

// NewIBAN returns the IBAN detector (id "iban").
func NewIBAN() Detector { return &iban{boost: BankWords(), against: BankAgainst()} }

func (*iban) ID() string         { return "iban" }
func (*iban) Category() Category { return BankAccount }
func (*iban) Description() string {
	return "IBAN (ISO 13616): per-country length and BBAN shape (SWIFT IBAN registry), mod-97 check digits, " +
		"Norwegian BBAN also MOD11; grouped in fours or not; BIC/SWIFT after it is context"
}

func (d *iban) ContextWords() []string { return sortedContextWords(d.boost) }

// ibanLengths is the IBAN length per country (SWIFT IBAN Registry).
var ibanLengths = map[[2]byte]uint8{
	{'A', 'D'}: 24, {'A', 'E'}: 23, {'A', 'L'}: 28, {'A', 'T'}: 20, {'A', 'Z'}: 28, {'B', 'A'}: 20,
	{'B', 'E'}: 16, {'B', 'G'}: 22, {'B', 'H'}: 22, {'B', 'R'}: 29, {'C', 'H'}: 21, {'C', 'R'}: 22,
	{'C', 'Y'}: 28, {'C', 'Z'}: 24, {'D', 'E'}: 22, {'D', 'K'}: 18, {'D', 'O'}: 28, {'E', 'E'}: 20,
	{'E', 'G'}: 29, {'E', 'S'}: 24, {'F', 'I'}: 18, {'F', 'O'}: 18, {'F', 'R'}: 27, {'G', 'B'}: 22,
	{'G', 'E'}: 22, {'G', 'I'}: 23, {'G', 'L'}: 18, {'G', 'R'}: 27, {'G', 'T'}: 28, {'H', 'R'}: 21,
	{'H', 'U'}: 28, {'I', 'E'}: 22, {'I', 'L'}: 23, {'I', 'S'}: 26, {'I', 'T'}: 27, {'J', 'O'}: 30,
	{'K', 'W'}: 30, {'K', 'Z'}: 20, {'L', 'B'}: 28, {'L', 'C'}: 32, {'L', 'I'}: 21, {'L', 'T'}: 20,
	{'L', 'U'}: 20, {'L', 'V'}: 21, {'M', 'C'}: 27, {'M', 'D'}: 24, {'M', 'E'}: 22, {'M', 'K'}: 19,
	{'M', 'R'}: 27, {'M', 'T'}: 31, {'M', 'U'}: 30, {'N', 'L'}: 18, {'N', 'O'}: 15, {'P', 'K'}: 24,
	{'P', 'L'}: 28, {'P', 'S'}: 29, {'P', 'T'}: 25, {'Q', 'A'}: 29, {'R', 'O'}: 24, {'R', 'S'}: 22,
	{'S', 'A'}: 24, {'S', 'E'}: 24, {'S', 'I'}: 19, {'S', 'K'}: 24, {'S', 'M'}: 27, {'T', 'N'}: 24,
	{'T', 'R'}: 26, {'U', 'A'}: 29, {'V', 'G'}: 24, {'X', 'K'}: 20,
}

// ibanLen is ibanLengths indexed by (first letter)*26 + second letter,
// for the scan loop.
var ibanLen = func() (t [26 * 26]uint8) {
	for cc, n := range ibanLengths {
		t[int(cc[0]-'A')*26+int(cc[1]-'A')] = n
	}
	return t
}()

// ibanShapes is the BBAN structure per country from the registry: 'n'
// digit, 'a' upper-case letter, 'c' letter or digit, one per character.
var ibanShapes = map[[2]byte]string{
	{'N', 'O'}: "nnnnnnnnnnn",
	{'S', 'E'}: "nnnnnnnnnnnnnnnnnnnn",
	{'D', 'K'}: "nnnnnnnnnnnnnn",
	{'F', 'I'}: "nnnnnnnnnnnnnn",
	{'D', 'E'}: "nnnnnnnnnnnnnnnnnn",
	{'G', 'B'}: "aaaannnnnnnnnnnnnn",
	{'N', 'L'}: "aaaannnnnnnnnn",
	{'F', 'R'}: "nnnnnnnnnncccccccccccnn",
	{'E', 'S'}: "nnnnnnnnnnnnnnnnnnnn",
	{'I', 'T'}: "annnnnnnnnncccccccccccc",
	{'P', 'L'}: "nnnnnnnnnnnnnnnnnnnnnnnn",
	{'B', 'E'}: "nnnnnnnnnnnn",
	{'A', 'T'}: "nnnnnnnnnnnnnnnn",
	{'C', 'H'}: "nnnnncccccccccccc",
	{'I', 'E'}: "aaaannnnnnnnnnnnnn",
	{'I', 'S'}: "nnnnnnnnnnnnnnnnnnnnnn",
	{'P', 'T'}: "nnnnnnnnnnnnnnnnnnnnn",
	{'E', 'E'}: "nnnnnnnnnnnnnnnn",
	{'L', 'T'}: "nnnnnnnnnnnnnnnn",
	{'L', 'V'}: "aaaaccccccccccccc",
	{'C', 'Z'}: "nnnnnnnnnnnnnnnnnnnn",
	{'S', 'K'}: "nnnnnnnnnnnnnnnnnnnn",
	{'F', 'O'}: "nnnnnnnnnnnnnn",
	{'G', 'L'}: "nnnnnnnnnnnnnn",
	{'L', 'U'}: "nnnccccccccccccc",
	{'H', 'U'}: "nnnnnnnnnnnnnnnnnnnnnnnn",
	{'R', 'O'}: "aaaacccccccccccccccc",
}

// ibanExamples are published example IBANs (SWIFT registry, ECBS, banks'
// documentation), reported with the test_data label.
var ibanExamples = []string{
	"NO9386011117947", "SE4550000000058398257466", "DK5000400440116243", "FI2112345600000785",
	"DE89370400440532013000", "GB29NWBK60161331926819", "GB82WEST12345698765432", "NL91ABNA0417164300",
	"FR1420041010050500013M02606", "ES9121000418450200051332", "IT60X0542811101000000123456",
	"PL61109010140000071219812874", "BE68539007547034", "AT611904300234573201", "CH9300762011623852957",
}

// ibanMod97 computes the ISO 7064 MOD 97-10 remainder of an IBAN in
// electronic form: first four characters moved to the end.
func ibanMod97(s []byte) int {
	r, _ := mod97Of(0, s[4:])
	r, _ = mod97Of(r, s[:4])
	return r
}

// ValidIBAN reports whether s (electronic form, upper case) is a valid
// IBAN: known country, exact length, BBAN shape, mod 97.
func ValidIBAN(s []byte) bool {
	if len(s) < 5 || s[0] < 'A' || s[0] > 'Z' || s[1] < 'A' || s[1] > 'Z' || !IsDigit(s[2]) || !IsDigit(s[3]) {
		return false
	}
	cc := [2]byte{s[0], s[1]}
	if int(ibanLengths[cc]) != len(s) {
		return false
	}
	for _, c := range s[4:] {
		if !IsDigit(c) && (c < 'A' || c > 'Z') {
			return false
		}
	}
	if shape, ok := ibanShapes[cc]; ok {
		for i, c := range s[4:] {
			switch shape[i] {
			case 'n':
				if !IsDigit(c) {
					return false
				}
			case 'a':
				if c < 'A' || c > 'Z' {
					return false
				}
			}
		}
	}
	if cc == [2]byte{'N', 'O'} && !ValidNoBankAccount(s[4:]) {
		return false
	}
	return ibanMod97(s) == 1
}

func isUpper(c byte) bool { return c >= 'A' && c <= 'Z' }

func (d *iban) Find(in *Input, emit func(Match)) {
	b := in.Buf
	var buf [34]byte
	runs := in.Runs()
	// Input.candidates lists the runs of two or more digits right after
	// two upper-case letters: the check digits of a candidate.
	for _, ri := range in.candidates().iban {
		r := runs[ri]
		s := r.Start - 2
		if s > 0 && (IsAlnum(b[s-1]) && !jsonEscapeBefore(b, s) || b[s-1] == '_') {
			continue
		}
		n := int(ibanLen[int(b[s]-'A')*26+int(b[s+1]-'A')])
		if n == 0 {
			continue
		}
		// Collect n alphanumerics from s; a single space may stand
		// between groups of four.
		k, i := 0, s
		for k < n && i < len(b) {
			c := b[i]
			switch {
			case IsDigit(c) || isUpper(c):
				buf[k] = c
			case c >= 'a' && c <= 'z' && k >= 4:
				buf[k] = c - ('a' - 'A')
			case c == ' ' && k%4 == 0 && k > 0 && i+1 < len(b) && IsAlnum(b[i+1]) && b[i-1] != ' ':
				i++
				continue
			default:
				k = -1
			}
			if k < 0 {
				break
			}
			k++
			i++
		}
		if k != n || (i < len(b) && (IsAlnum(b[i]) || b[i] == '_')) {
			continue
		}
		in.CountCandidate(BankAccount, s, ibanChance)
		v := buf[:n]
		if !ValidIBAN(v) {
			continue
		}
		conf := Medium
		if sig := in.Context(s, d.boost, d.against); sig == Boost || bicAfter(b, i, v[:2]) {
			conf = High
		}
		var labels []string
		if slices.Contains(ibanExamples, string(v)) {
			labels = []string{LabelTestData}
		}
		emit(Match{Detector: "iban", Category: BankAccount, Start: s, End: i, Value: in.valueString(v), Confidence: conf, Labels: labels})
	}
}

// bicAfter reports whether the rest of the line after an IBAN (up to 40
// bytes) names a BIC: the word BIC or SWIFT, or a BIC-shaped token
// (4 letters bank, the IBAN's country, 2 letters or digits location,
// optionally 3 for the branch).
func bicAfter(b []byte, e int, country []byte) bool {
	lim := min(len(b), e+40)
	for i := e; i < lim; {
		if b[i] == '\n' {
			return false
		}
		if !IsAlnum(b[i]) {
			i++
			continue
		}
		j := i
		for j < lim && IsAlnum(b[j]) {
			j++
		}
		tok := b[i:j]
		if t := Fold(string(tok)); t == "bic" || t == "swift" {
			return true
		}
		if (len(tok) == 8 || len(tok) == 11) && tok[4] == country[0] && tok[5] == country[1] &&
			isUpper(tok[0]) && isUpper(tok[1]) && isUpper(tok[2]) && isUpper(tok[3]) {
			return true
		}
		i = j
	}
	return false
}

func (*iban) Positives() []Example { return toExamples(ibanPositives()) }
func (*iban) Negatives() []Example { return toExamples(ibanNegatives()) }

// ibanPositives: ten countries and more, both written forms; check digits
// computed by a program (the published examples are labelled test_data).
func ibanPositives() []nidExample {
	l := func(s ...string) []string { return s }
	return []nidExample{
		{Text: "IBAN: NO71 1234 5678 903", Want: "NO7112345678903", Written: "NO71 1234 5678 903", Conf: High, Note: "Norway, paper form with context"},
		{Text: "betal til NO7112345678903", Want: "NO7112345678903", Conf: High, Note: "Norway, electronic form after 'betal til'"},
		{Text: "SE3550000000054910000003", Want: "SE3550000000054910000003", Conf: Medium, Note: "Sweden, 24 characters"},
		{Text: "konto DK5000400440116243", Want: "DK5000400440116243", Conf: High, Labels: l(LabelTestData), Note: "Denmark, registry example"},
		{Text: "tilinumero FI21 1234 5600 0007 85", Want: "FI2112345600000785", Written: "FI21 1234 5600 0007 85", Conf: High, Labels: l(LabelTestData), Note: "Finland, Finnish label"},
		{Text: "DE44 5001 0517 5407 3249 31", Want: "DE44500105175407324931", Written: "DE44 5001 0517 5407 3249 31", Conf: Medium, Note: "Germany, paper form"},
		{Text: "GB60BARC20000055779911 BIC BARCGB22", Want: "GB60BARC20000055779911", Conf: High, Note: "United Kingdom, BIC after it"},
		{Text: "NL39RABO0300065264, RABONL2U", Want: "NL39RABO0300065264", Conf: High, Note: "Netherlands, BIC-shaped token after it"},
		{Text: "FR1420041010050500013M02606", Want: "FR1420041010050500013M02606", Conf: Medium, Labels: l(LabelTestData), Note: "France, letter in the account"},
		{Text: "cuenta ES6000491500051234567892", Want: "ES6000491500051234567892", Conf: Medium, Note: "Spain"},
		{Text: "IT93X0306909606100000063567", Want: "IT93X0306909606100000063567", Conf: Medium, Note: "Italy, CIN letter"},
		{Text: "PL34 1090 1014 0000 0712 1981 2875", Want: "PL34109010140000071219812875", Written: "PL34 1090 1014 0000 0712 1981 2875", Conf: Medium, Note: "Poland, paper form"},
		{Text: `{"iban":"DE89370400440532013000"}`, Want: "DE89370400440532013000", Conf: High, Labels: l(LabelTestData), Note: "JSON key iban, ECBS example"},
		{Text: "AT611904300234573201.", Want: "AT611904300234573201", Conf: Medium, Labels: l(LabelTestData), Note: "Austria at a sentence end"},
		{Text: "NL39rabo0300065264", Want: "NL39RABO0300065264", Written: "NL39rabo0300065264", Conf: Medium, Note: "lower-case bank code, normalised"},
	}
}

func ibanNegatives() []nidExample {
	return []nidExample{
		{Text: "NO7112345678904", Note: "Norway, last digit off by one"},
		{Text: "SE3550000000054910000004", Note: "Sweden, one digit off"},
		{Text: "DK5000400440116244", Note: "Denmark, one digit off"},
		{Text: "FI2112345600000786", Note: "Finland, one digit off"},
		{Text: "DE44500105175407324932", Note: "Germany, one digit off"},
		{Text: "GB60BARC20000055779912", Note: "United Kingdom, one digit off"},
		{Text: "NL39RABO0300065265", Note: "Netherlands, one digit off"},
		{Text: "FR1420041010050500013M02607", Note: "France, one digit off"},
		{Text: "ES6000491500051234567893", Note: "Spain, one digit off"},
		{Text: "IT93X0306909606100000063568", Note: "Italy, one digit off"},
		{Text: "PL34109010140000071219812876", Note: "Poland, one digit off"},
		{Text: "NO711234567890", Note: "Norway, one character short"},
		{Text: "DE4450010517540732493100", Note: "Germany, too long"},
		{Text: "XX89370400440532013000", Note: "unknown country code"},
		{Text: "GB60BA1C20000055779911", Note: "digit where the registry shape wants a bank-code letter"},
		{Text: "ADE89370400440532013000", Note: "part of a longer token"},
		{Text: "NO93 8601 1117 948", Note: "Norway, grouped, mod 97 fails"},
	}
}
