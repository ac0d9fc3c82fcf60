package detectors

// The chance model: for every checksum- or plan-validated detector, the
// probability that a random candidate of the shape it examines validates.
// Detectors pass it to Input.CountCandidate with every candidate, so that
// the scanner can compare the matches at a location with what chance
// predicts there (scanner grading). The figures are upper bounds, derived
// below and measured by TestChanceModel over a million random candidates.
//
// The date-based identifiers (fødselsnummer, personnummer, HETU) count a
// candidate only once its date part holds, and their figure is the chance
// that the check digits then pass. Real numbers with a date written in
// them are common (time stamps YYYYMMDDhhmm, order numbers that start
// with the day's date) and always pass the date: a model over uniformly
// random digits would call a tenth of such time stamps evidence of
// personnummer (TestChanceModelOnDates).
const (
	// fnrChance: an 11-digit run whose DDMMYY is a date (with D +40, H +40,
	// synthetic +65 or +80; identifiers.md §1.4–1.5), or an FH-number's
	// leading 8 or 9, passes the first control digit with probability 1/11
	// under the classic rule and 4/11 under the 2032 rule, and the second
	// with 1/11: at most 4/121, 3.3 %.
	fnrChance = 4.0 / 121
	// seChance: a YYMMDDNNNC (or YYYYMMDDNNNC with century 18–20) whose
	// date exists, is not in the future and whose birth number is not 000
	// passes the Luhn digit with probability 1/10 (identifiers.md §2).
	seChance = 0.1
)

// cardChances is the chance model of a card candidate by its number of
// digits: Luhn passes 1/10, and the issuer prefixes accepted at that length
// (cardBrand: Visa 4 at 13, 16 and 19; Mastercard 51–55 and 2221–2720,
// Discover 6011/644–649/65, JCB 3528–3589 and UnionPay 62 at 16; Amex
// 34/37 at 15; Diners 36/38 at 14; Maestro 12–19) cover this share of the
// prefixes. At 16 digits about a quarter of all prefixes are issued: 2.7 %
// of random 16-digit numbers are "valid" cards. Upper bounds of the rates
// TestChanceModel measures.
var cardChances = [...]float64{12: 0.0003, 13: 0.011, 14: 0.004, 15: 0.006, 16: 0.028, 17: 0.008, 18: 0.008, 19: 0.018}

// cardChance is the chance model of a card candidate of n digits.
func cardChance(n int) float64 {
	if n < 0 || n >= len(cardChances) {
		return 0
	}
	return cardChances[n]
}

// Where validation says little, detectors rely on shape and context rules
// instead of a location test, and count no candidates:
const (
	// phoneNOChance: 8-digit Norwegian numbers are valid in the series
	// 2[1-4], 3[1-3578], 4[015-9], 5[1-35-7], 6[1-46-9], 7, 9: 51 of the 90
	// first-two-digit pairs that do not start with 0 or 1, so 51 % of random
	// 8-digit runs (measured 50.9 %). A bare 8-digit number is therefore
	// reported at Low unless the context speaks for a phone.
	phoneNOChance = 0.51
	// ipv4Chance: any four dot-separated octets 0–255 parse as an IPv4
	// address, so a dotted quad "validates" by construction; versions
	// (1.8.1.2) and section numbers (5.2.3.21) are told apart by shape and
	// context (see ip_address.go), not by the location test.
	ipv4Chance = 1.0
	// dobChance: a date has no checksum; of random DDMM, 365.25 in
	// 10,000 are a day of the year (any year holds one). A date of birth
	// is reported only after a word that says so.
	dobChance = 0.0365
)

// ChanceModel is what a detector's validation is worth against chance: the
// share of random well-shaped candidates that validate, and how the
// scanner uses it.
type ChanceModel struct {
	Shape  string  // the candidate shape: "a standalone 11-digit run"
	Chance float64 // the share of random candidates of that shape that validate
	Use    string  // how findings are graded with it
}

// ChanceOf returns the chance model of the built-in detector id.
func ChanceOf(id string) (ChanceModel, bool) {
	const located = "a location whose matches are not above chance (binomial test, P ≥ 0.001) is graded low"
	switch id {
	case "no_fnr":
		return ChanceModel{"a standalone 11-digit run whose date part holds", fnrChance, located}, true
	case "se_personnummer":
		return ChanceModel{"a YYMMDDNNNC or YYYYMMDDNNNC whose date holds", seChance, located}, true
	case "payment_card":
		return ChanceModel{"a 16-digit run (12–19 digits: 0.03–1.8 %)", cardChance(16), located}, true
	case "phone":
		return ChanceModel{"an 8-digit Norwegian number", phoneNOChance,
			"too common for a location test: bare numbers are low without a phone word, a column or a key"}, true
	case "no_bank_account":
		return ChanceModel{"an 11-digit kontonummer in a bank column or behind bank words", noAccountChance, located}, true
	case "se_bank_account":
		return ChanceModel{"a clearing and account number CCCC-NNNNNNN behind bank words", seAccountChance, located}, true
	case "iban":
		return ChanceModel{"a candidate with a known country, its length and BBAN shape", ibanChance, located}, true
	case "fi_hetu":
		return ChanceModel{"DDMMYY (a date), a century sign, ZZZ and a check character", fiHETUChance, located}, true
	case "dk_cpr":
		return ChanceModel{"DDMMYY-SSSS", dkCPRChance,
			"no checksum since 2007: a bare CPR is low unless CPR words, a column or a key speak for it"}, true
	case "date_of_birth":
		return ChanceModel{"a day, month and year", dobChance,
			"no checksum: a date is a date of birth only after a word that says so, right before it"}, true
	case "ip_address":
		return ChanceModel{"four dot-separated numbers 0–255", ipv4Chance,
			"every dotted quad parses: versions and section numbers are told apart by shape, context and records"}, true
	}
	return ChanceModel{}, false
}
