package detectors

// Chance figures of the bank-account and Danish/Finnish detectors (see
// chance.go for the model). Each is an upper bound of the rate
// TestChanceModelNordic measures over random candidates of the shape.
//
// The bank-account detectors examine a bare candidate only with bank
// context, and validate before they look at the words before it (the
// costly part): every candidate is counted where the column or header
// names an account; in free text only the ones that validate and have
// bank words before them are (so the location test there errs towards
// reporting).
const (
	// noAccountChance: a random 11-digit kontonummer candidate passes MOD11
	// when its payload does not give the unissued remainder 10 (10/11) and
	// its last digit is the control digit (1/10): 1/11 = 9.1 %.
	noAccountChance = 0.0915
	// ibanChance: a candidate with a known country, the registry length and
	// BBAN shape passes ISO 7064 MOD 97-10 with probability 1/97 = 1.03 %
	// (a Norwegian one, with its kontonummer MOD11 too, 1/1067).
	ibanChance = 0.0104
	// seAccountChance: a random CCCC-NNNNNNN has an allocated type-1
	// clearing number with probability ≈ 0.556 (about 5,560 of 10,000
	// clearing numbers: 1100–2099, 2300–2499, 3000–3999, 4000–5999,
	// 7000–7999 and the 9xxx ranges) and then passes MOD11 with probability
	// 1/11: 5.1 %; Swedbank 8000–8999 (0.1) takes shorter accounts with a
	// Luhn check (1/10): 1.0 %. Together 6.1 %.
	seAccountChance = 0.063
	// fiHETUChance: a candidate whose DDMMYY is a date and whose
	// individual number is not 000/001 is counted (as the date-based
	// identifiers of chance.go are); its check character then matches 1 in
	// 31: 3.2 %.
	fiHETUChance = 1.0 / 31
)

// Where validation is the date alone, the detector relies on context and
// counts no candidates (as for phones, chance.go):
const (
	// dkCPRChance: a CPR has no checksum since 2007; only the date
	// validates, with the century from the seventh digit: 3.65 % of random
	// DDMMYY (about 1 in 27) and every SSSS. A bare DDMMYY-SSSS is
	// therefore reported at Low unless CPR context speaks for it.
	dkCPRChance = 0.0370
)
