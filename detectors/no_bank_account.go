package detectors

// noBankAccount finds Norwegian bank account numbers (kontonummer).
//
// Rules (Bits AS / Finans Norge, "Standard for kontonummer", the
// registration-number scheme Finanstilsynet and the banks use;
// python-stdnum no/kontonr; identifiers.md §1.5 and §3): 11 digits
// BBBB KK NNNNC, a four-digit bank registration number, a two-digit
// account group and a serial number whose last digit C is a MOD11 control
// digit with weights 5 4 3 2 7 6 5 4 3 2: C = 11 − (S mod 11), 11 → 0, a
// remainder giving 10 is never issued. About 1 in 11 random 11-digit
// numbers passes (noAccountChance). Registration number 0000 is not a bank.
//
// Written forms: 1234.56.78903 and 1234 56 78903 (the account forms) and
// the bare 11 digits 12345678903. The bare form collides with fødselsnummer
// (every fødselsnummer passes the kontonummer check, identifiers.md §0.3)
// and with order ids, so:
//
//   - grouped 4.2.5 or 4 2 5: Medium; High with bank context (konto,
//     kontonr, bankkonto, betal til, account, IBAN, …); Low with
//     other-identifier context (KID, faktura, fnr, …).
//   - bare 11 digits: only with bank context before the value or in its
//     key (column kontonummer, JSON key account_number), then High.
//
// One value, one report: a bare number that is also a valid fødselsnummer
// is a bank account when bank context speaks for it (no_fnr then drops it)
// and a person otherwise (this detector stays silent without context).
//
// Match.Value is the 11 digits; Start/End cover the number as written.
type noBankAccount struct {
	boost, against *WordSet
}

// NewNoBankAccount returns the Norwegian kontonummer detector (id "no_bank_account").
func NewNoBankAccount() Detector {
	return &noBankAccount{boost: BankWords(), against: BankAgainst()}
}

func (*noBankAccount) ID() string         { return "no_bank_account" }
func (*noBankAccount) Category() Category { return BankAccount }
func (*noBankAccount) Description() string {
	return "Norwegian bank account number (kontonummer, BBBB.KK.NNNNC): MOD11 control digit (weights 5 4 3 2 7 6 5 4 3 2); " +
		"bare 11 digits only with bank context (konto, kontonr, account) or a column/key naming it"
}

func (d *noBankAccount) ContextWords() []string { return sortedContextWords(d.boost) }

// kontoWeights are the kontonummer MOD11 weights (the fødselsnummer K2 weights).
var kontoWeights = fnrK2Weights

// ValidNoBankAccount reports whether value (11 ASCII digits) is a valid
// kontonummer: MOD11 control digit and a registration number other than 0000.
func ValidNoBankAccount(value []byte) bool {
	if len(value) != 11 || !AllDigits(value) || string(value[:4]) == "0000" {
		return false
	}
	return Mod11Valid(value, kontoWeights[:])
}

func (d *noBankAccount) Find(in *Input, emit func(Match)) {
	b := in.Buf
	runs := in.Runs()
	var joined [11]byte
	// Only 11-digit runs (bare) and 4-digit runs that start 4.2.5 groups
	// (BBBB.KK.NNNNN) can start a candidate: Input.candidates lists them.
	c := in.candidates()
	mergeRuns(c.bare11, c.acct, func(i int32) {
		r := runs[i]
		if r.End-r.Start == 11 {
			if !standAlone(b, r.Start, r.End, false) {
				return
			}
			digits := b[r.Start:r.End]
			if !ValidNoBankAccount(digits) {
				// Validation first, context only for valid numbers: an
				// invalid bare candidate counts where its column names an
				// account (see noAccountChance).
				if in.KeyContext(d.boost, d.against) == Boost {
					in.CountCandidate(BankAccount, r.Start, noAccountChance)
				}
				return
			}
			if in.Context(r.Start, d.boost, d.against) == Boost {
				in.CountCandidate(BankAccount, r.Start, noAccountChance)
				emit(accountMatch(in, digits, r.Start, r.End, High))
			}
			return
		}
		m, n := runs[i+1], runs[i+2] // the shape is checked by candidates
		if sep := b[r.End]; (sep != '.' && sep != ' ') || b[m.End] != sep || !d.groupAlone(b, r.Start, n.End) {
			return
		}
		copy(joined[:4], b[r.Start:r.End])
		copy(joined[4:6], b[m.Start:m.End])
		copy(joined[6:], b[n.Start:n.End])
		d.check(in, joined[:], r.Start, n.End, emit)
	})
}

// groupAlone is standAlone for a grouped account: a dot or a digit group
// beyond either end makes it part of something longer.
func (d *noBankAccount) groupAlone(b []byte, s, e int) bool {
	if !standAlone(b, s, e, true) {
		return false
	}
	if s >= 2 && b[s-1] == '.' && IsDigit(b[s-2]) {
		return false
	}
	return !(e+1 < len(b) && b[e] == '.' && IsDigit(b[e+1]))
}

// check validates the 11 digits of a grouped candidate and emits it.
func (d *noBankAccount) check(in *Input, digits []byte, start, end int, emit func(Match)) {
	in.CountCandidate(BankAccount, start, noAccountChance)
	if ValidNoBankAccount(digits) {
		emit(accountMatch(in, digits, start, end, Adjust(Medium, in.Context(start, d.boost, d.against))))
	}
}

// accountMatch is the match of a validated kontonummer.
func accountMatch(in *Input, digits []byte, start, end int, conf Confidence) Match {
	return Match{Detector: "no_bank_account", Category: BankAccount, Start: start, End: end, Value: in.valueString(digits), Confidence: conf}
}

func (*noBankAccount) Positives() []Example { return toExamples(noBankAccountPositives()) }
func (*noBankAccount) Negatives() []Example { return toExamples(noBankAccountNegatives()) }

// noBankAccountPositives: control digits computed by a program.
func noBankAccountPositives() []nidExample {
	return []nidExample{
		{Text: "Betal til 1234.56.78903", Want: "12345678903", Written: "1234.56.78903", Conf: High, Note: "dotted form after 'betal til'"},
		{Text: "1234.56.78903", Want: "12345678903", Written: "1234.56.78903", Conf: Medium, Note: "dotted form alone"},
		{Text: "utbetaling 1503 12 34562 ok", Want: "15031234562", Written: "1503 12 34562", Conf: Medium, Note: "spaced form"},
		{Text: "kontonr: 12345678903", Want: "12345678903", Conf: High, Note: "bare 11 digits after kontonr"},
		{Text: "Kontonummer 3000.12.34567", Want: "30001234567", Written: "3000.12.34567", Conf: High, Note: "dotted form with context"},
		{Text: `{"kontonummer":"05301234564"}`, Want: "05301234564", Conf: High, Note: "JSON key kontonummer, bare value"},
		{Text: "bankkonto 86011117947", Want: "86011117947", Conf: High, Note: "bare with context; also an FH-shaped number, decided by the context"},
		{Text: "kontonr: 31129948178", Want: "31129948178", Conf: High, Note: "a valid fødselsnummer behind kontonr: a bank account, reported once"},
		{Text: "account 8601.11.17947", Want: "86011117947", Conf: High, Written: "8601.11.17947", Note: "English context"},
		{Text: "«1234 56 78903»", Want: "12345678903", Written: "1234 56 78903", Conf: Medium, Note: "in guillemets"},
	}
}

func noBankAccountNegatives() []nidExample {
	return []nidExample{
		{Text: "12345678903", Note: "bare 11 digits without context"},
		{Text: "ordre 12345678903", Note: "bare with other-identifier context"},
		{Text: "fnr 31129948178", Note: "a fødselsnummer with national-id context: no_fnr reports it"},
		{Text: "31129948178", Note: "a fødselsnummer without context: no_fnr reports it"},
		{Text: "1234.56.78904", Note: "MOD11 fails"},
		{Text: "kontonr 12345678904", Note: "MOD11 fails"},
		{Text: "9710.05.01230", Note: "remainder 10: never issued"},
		{Text: "0000.00.00000", Note: "registration number 0000"},
		{Text: "1.1234.56.78903", Note: "part of a longer dotted run"},
		{Text: "1234.56.78903.1", Note: "part of a longer dotted run"},
		{Text: "v1234.56.78903", Note: "part of a token"},
		{Text: "1234-56-78903", Note: "hyphens are not an account form"},
		{Text: "12 1234 56 78903", Note: "longer spaced digit group"},
		{Text: "KID 1234.56.78903", LowOK: true, Note: "dotted account behind KID: reported at Low"},
	}
}
