package detectors

// seBankAccount finds Swedish bank account numbers: a clearing number and
// an account number.
//
// What can be validated, and the choice made (Bankgirot, "Bankernas
// kontonummeruppbyggnad", the banks' account-number rules used by the
// Bankgiro system, edition of 2024): the four-digit clearing number
// (Swedbank 8xxx-x: five) names the bank and fixes the account's type and
// check. Type 1 accounts are 7 digits with a MOD11 check (weights 1…10
// from the right) over the last three clearing digits and the account
// (comment 1) or over all four clearing digits and the account (comment
// 2). Type 2 accounts (Handelsbanken, Nordea personkonto, Swedbank 8xxx,
// Danske Bank 9180, Plusgirot, …) are 9 digits with MOD11 (Handelsbanken)
// or 10 digits with a Luhn check. Clearing numbers outside the allocated
// ranges (seClearing) are rejected. So every account can be validated
// (clearing range + length + check), but the check leaves about 1 in 10
// to 1 in 11 random numbers valid, and the written form (CCCC-NNNNNNN)
// is shared with phone numbers and order ids: the detector therefore
// reports only with bank context (konto, kontonummer, clearingnummer,
// bankkonto, account, … before the value or in its key), at Medium, and
// never a bare digit run. Columns named kontonummer, bankkonto or
// clearingnummer are reported by the column-name rule whatever their
// values.
//
// Written forms: CCCC-NNNNNNN, CCCC NNNNNNN, CCCC, NNNNNNN and Swedbank
// 8CCC-C NNNNNNNNNN; the account may be zero-padded. Match.Value is
// clearing and account digits joined by '-' (8327-9-1234567890 for a
// five-digit clearing).
type seBankAccount struct {
	boost, against *WordSet
}

// NewSeBankAccount returns the Swedish bank account detector (id "se_bank_account").
func NewSeBankAccount() Detector {
	return &seBankAccount{boost: BankWords(), against: BankAgainst()}
}

func (*seBankAccount) ID() string         { return "se_bank_account" }
func (*seBankAccount) Category() Category { return BankAccount }
func (*seBankAccount) Description() string {
	return "Swedish bank account (clearing number + account, CCCC-NNNNNNN): allocated clearing range, account length " +
		"and MOD11/Luhn check per Bankgirot's rules; only with bank context (konto, kontonummer, clearingnummer)"
}

func (d *seBankAccount) ContextWords() []string { return sortedContextWords(d.boost) }

// seAccountKind is the account type and check of a clearing range.
type seAccountKind uint8

const (
	seType1C1 seAccountKind = iota + 1 // 7 digits, MOD11 over clearing[1:] + account
	seType1C2                          // 7 digits, MOD11 over clearing + account
	seType2C1                          // 10 digits, Luhn over the account
	seType2C2                          // 9 digits, MOD11 over the account (Handelsbanken)
	seType2C3                          // 10 digits, Luhn over the account (Swedbank 8xxx, Plusgirot)
)

// seClearing lists the allocated clearing ranges (Bankgirot, "Bankernas
// kontonummeruppbyggnad").
var seClearing = []struct {
	from, to int
	kind     seAccountKind
}{
	{1100, 1199, seType1C1}, {1200, 1399, seType1C1}, {1400, 2099, seType1C1}, {2300, 2399, seType1C2},
	{2400, 2499, seType1C1}, {3000, 3299, seType1C1}, {3300, 3300, seType2C1}, {3301, 3399, seType1C1},
	{3400, 3409, seType1C1}, {3410, 3781, seType1C1}, {3782, 3782, seType2C1}, {3783, 3999, seType1C1},
	{4000, 4999, seType1C2}, {5000, 5999, seType1C1}, {6000, 6999, seType2C2}, {7000, 7999, seType1C1},
	{8000, 8999, seType2C3}, {9020, 9029, seType1C2}, {9040, 9049, seType1C2}, {9060, 9069, seType1C1},
	{9070, 9079, seType1C1}, {9100, 9109, seType1C2}, {9120, 9124, seType1C1}, {9130, 9149, seType1C1},
	{9150, 9169, seType1C2}, {9170, 9179, seType1C1}, {9180, 9189, seType2C1}, {9190, 9199, seType1C2},
	{9230, 9239, seType1C1}, {9250, 9259, seType1C1}, {9260, 9269, seType1C2}, {9270, 9279, seType1C1},
	{9280, 9289, seType1C1}, {9300, 9349, seType2C1}, {9390, 9399, seType1C2}, {9400, 9449, seType1C1},
	{9460, 9469, seType1C1}, {9470, 9479, seType1C2}, {9500, 9549, seType2C3}, {9550, 9569, seType1C2},
	{9570, 9579, seType2C1}, {9580, 9589, seType1C1}, {9590, 9599, seType1C2}, {9630, 9639, seType1C1},
	{9640, 9649, seType1C2}, {9660, 9669, seType1C2}, {9670, 9679, seType1C2}, {9680, 9689, seType1C1},
	{9700, 9709, seType1C2}, {9710, 9719, seType1C2}, {9750, 9759, seType1C2}, {9780, 9789, seType1C2},
	{9880, 9889, seType1C2}, {9890, 9899, seType2C1}, {9960, 9969, seType2C3},
}

func seClearingKind(clearing int) seAccountKind {
	for _, r := range seClearing {
		if clearing >= r.from && clearing <= r.to {
			return r.kind
		}
	}
	return 0
}

// mod11Ascending reports whether Σ d·w ≡ 0 (mod 11) with weights 1, 2, …,
// 10, 1, … from the rightmost digit (Bankgirot's "modulus 11").
func mod11Ascending(digits []byte) bool {
	sum := 0
	for i := len(digits) - 1; i >= 0; i-- {
		sum += int(digits[i]-'0') * ((len(digits)-1-i)%10 + 1)
	}
	return sum%11 == 0
}

// ValidSeBankAccount reports whether a clearing number (4 digits, or 5
// for Swedbank 8xxx-x) and an account number (digits, zero padding
// allowed) form a valid Swedish account.
func ValidSeBankAccount(clearing, account []byte) bool {
	if (len(clearing) != 4 && len(clearing) != 5) || !AllDigits(clearing) || !AllDigits(account) {
		return false
	}
	kind := seClearingKind(int(clearing[0]-'0')*1000 + int(clearing[1]-'0')*100 + int(clearing[2]-'0')*10 + int(clearing[3]-'0'))
	if len(clearing) == 5 && kind != seType2C3 {
		return false
	}
	want := 7
	switch kind {
	case 0:
		return false
	case seType2C1, seType2C3:
		want = 10
	case seType2C2:
		want = 9
	}
	// Strip zero padding down to the kind's length.
	for len(account) > want && account[0] == '0' {
		account = account[1:]
	}
	if len(account) != want && !(want == 10 && len(account) >= 6 && kind == seType2C3) {
		return false
	}
	var buf [16]byte
	switch kind {
	case seType1C1:
		n := copy(buf[:], clearing[1:4])
		n += copy(buf[n:], account)
		return mod11Ascending(buf[:n])
	case seType1C2:
		n := copy(buf[:], clearing[:4])
		n += copy(buf[n:], account)
		return mod11Ascending(buf[:n])
	case seType2C2:
		return mod11Ascending(account)
	default:
		return Luhn(account)
	}
}

func (d *seBankAccount) Find(in *Input, emit func(Match)) {
	b := in.Buf
	runs := in.Runs()
	next := 0 // runs before it belong to an emitted candidate
	for _, ri := range in.candidates().clear {
		i := int(ri)
		if i < next || i+1 >= len(runs) {
			continue
		}
		r := runs[i]
		clearEnd := r.End
		j := i + 1
		// Swedbank 8xxx-x: a fifth clearing digit after a hyphen.
		if runs[j].End-runs[j].Start == 1 && runs[j].Start == r.End+1 && j+1 < len(runs) && b[r.Start] == '8' && b[r.End] == '-' {
			clearEnd = runs[j].End
			j++
		}
		a := runs[j]
		// Run lengths and gaps first: they are in runs, at hand.
		if n := a.End - a.Start; n < 7 || n > 12 || a.Start-clearEnd > 2 {
			continue
		}
		gap := b[clearEnd:a.Start]
		if string(gap) != "-" && string(gap) != " " && string(gap) != ", " {
			continue
		}
		if !standAlone(b, r.Start, a.End, false) || (r.Start >= 2 && b[r.Start-1] == ' ' && IsDigit(b[r.Start-2])) {
			continue
		}
		next = j + 1
		var clearing [5]byte
		nc := copy(clearing[:], b[r.Start:r.End])
		if clearEnd != r.End {
			clearing[4] = b[clearEnd-1]
			nc = 5
		}
		// Validation first, context only for valid numbers: an invalid
		// candidate counts where its column names an account.
		if !ValidSeBankAccount(clearing[:nc], b[a.Start:a.End]) {
			if in.KeyContext(d.boost, d.against) == Boost {
				in.CountCandidate(BankAccount, r.Start, seAccountChance)
			}
			continue
		}
		if in.Context(r.Start, d.boost, d.against) != Boost {
			continue
		}
		in.CountCandidate(BankAccount, r.Start, seAccountChance)
		v := make([]byte, 0, 20)
		v = append(v, clearing[:4]...)
		if nc == 5 {
			v = append(v, '-', clearing[4])
		}
		v = append(v, '-')
		v = append(v, b[a.Start:a.End]...)
		emit(Match{Detector: "se_bank_account", Category: BankAccount, Start: r.Start, End: a.End, Value: in.valueString(v), Confidence: Medium})
	}
}

func (*seBankAccount) Positives() []Example { return toExamples(seBankAccountPositives()) }
func (*seBankAccount) Negatives() []Example { return toExamples(seBankAccountNegatives()) }

// seBankAccountPositives: check digits computed by a program.
func seBankAccountPositives() []nidExample {
	return []nidExample{
		{Text: "Kontonummer: 5491-0000003", Want: "5491-0000003", Written: "5491-0000003", Conf: Medium, Note: "SEB, type 1 comment 1"},
		{Text: "konto 1200 1234562", Want: "1200-1234562", Written: "1200 1234562", Conf: Medium, Note: "Danske Bank, space"},
		{Text: "clearingnummer 4000, 1234567", Want: "4000-1234567", Written: "4000, 1234567", Conf: Medium, Note: "Nordea 4000, type 1 comment 2"},
		{Text: "bankkonto 6789-123456789", Want: "6789-123456789", Written: "6789-123456789", Conf: Medium, Note: "Handelsbanken, 9 digits MOD11"},
		{Text: "lönekonto 3300-8507092388", Want: "3300-8507092388", Written: "3300-8507092388", Conf: Medium, Note: "Nordea personkonto (the personnummer, Luhn)"},
		{Text: "konto: 8327-9 1234567897", Want: "8327-9-1234567897", Written: "8327-9 1234567897", Conf: Medium, Note: "Swedbank five-digit clearing"},
		{Text: "account 7000-1234560", Want: "7000-1234560", Written: "7000-1234560", Conf: Medium, Note: "Swedbank 7000, English context"},
		{Text: `{"bankkonto":"9300-1234567897"}`, Want: "9300-1234567897", Written: "9300-1234567897", Conf: Medium, Note: "JSON key, type 2 comment 1"},
	}
}

func seBankAccountNegatives() []nidExample {
	return []nidExample{
		{Text: "5491-0000003", Note: "no bank context"},
		{Text: "konto 5491-0000004", Note: "MOD11 fails"},
		{Text: "konto 9999-1234567", Note: "clearing number not allocated"},
		{Text: "konto 2200-1234567", Note: "clearing number not allocated (2100–2299)"},
		{Text: "konto 6789-1234567", Note: "Handelsbanken needs 9 digits"},
		{Text: "ordernummer 5491-0000003", Note: "other-identifier context"},
		{Text: "tel 0701-234567", Note: "phone number"},
		{Text: "konto x5491-0000003", Note: "part of a token"},
	}
}
