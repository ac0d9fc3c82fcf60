package detectors

// Context words of the Danish, Finnish and bank-account detectors (and the
// organisation-number words they share). Kept apart from words.go so that
// each new kind's vocabulary is one place; `piimap detectors` prints them.

// cprWords raise confidence for a Danish CPR number. "personnummer" is the
// Danish word too; where a number is valid both as a CPR and as a Swedish
// personnummer, the word alone does not decide (see dk_cpr.go).
var cprWords = []string{
	"cpr", "cpr-nr", "cpr-nummer", "cprnr", "cpr.nr", "cprnummer", "cpr number", "cpr no",
	"personnummer", "personnr", "det centrale personregister", "sygesikringsbevis", "sundhedskort",
}

// cprOnlyWords are the CPR words no other country uses: they decide a
// number that is also a valid Swedish personnummer.
var cprOnlyWords = []string{
	"cpr", "cpr-nr", "cpr-nummer", "cprnr", "cpr.nr", "cprnummer", "cpr number", "cpr no",
	"det centrale personregister", "sygesikringsbevis", "sundhedskort",
}

// hetuWords raise confidence for a Finnish personal identity code
// (henkilötunnus, personbeteckning in Finland-Swedish).
var hetuWords = []string{
	"hetu", "henkilötunnus", "henkilotunnus", "henkilötunnuksen", "henkilotunnuksen", "sotu",
	"sosiaaliturvatunnus", "personbeteckning", "personbeteckningen", "personal identity code",
	"finnish personal identity code", "identity code", "hetu-numero",
}

// interimWords raise confidence for Swedish interim numbers (T-nummer,
// reservnummer) on top of the national-id words.
var interimWords = []string{"t-nummer", "tnummer", "t-nr", "interimsnummer", "interimnummer", "reservnummer", "ladok"}

// bankWords raise confidence for bank account numbers and IBANs
// (Norwegian, Swedish, Danish, Finland-Swedish, Finnish, English).
var bankWords = []string{
	// Norwegian / Danish
	"konto", "kontonr", "kontonummer", "konto-nr", "bankkonto", "bankkontonummer", "kontonr.",
	"betal til", "betales til", "innbetaling til", "utbetaling til", "lønnskonto", "brukskonto", "sparekonto",
	"reg.nr", "regnr", "registreringsnummer", "bankoplysninger", "bankkonti", "nemkonto",
	// Swedish
	"clearingnummer", "clearingnr", "clearing", "kontonr", "bankkontonummer", "lönekonto", "personkonto",
	// Finnish
	"tilinumero", "pankkitili", "tili",
	// English and SWIFT
	"iban", "bic", "swift", "swift-bic", "account", "account number", "account no", "bank account",
	"accountnumber", "acct", "acct no", "bank details", "sort code", "routing",
}

// bankAgainst are words for other numbers an account number may look like.
var bankAgainst = []string{
	"kid", "ocr", "ordre", "ordrenr", "ordrenummer", "ordernummer", "faktura", "fakturanr", "fakturanummer",
	"kundenr", "kundenummer", "kundnummer", "order", "invoice", "isbn", "ean", "gtin", "imei", "iccid",
	"ts", "timestamp", "uuid", "trace", "org.nr", "orgnr", "organisasjonsnummer", "organisationsnummer",
	"mva", "saksnr", "saksnummer", "fnr", "fødselsnummer", "personnummer", "telefon", "tlf", "mobil", "phone",
}

// CPRWords returns the context words of dk_cpr.
func CPRWords() *WordSet { return NewWordSet(cprWords...) }

// HETUWords returns the context words of fi_hetu.
func HETUWords() *WordSet { return NewWordSet(hetuWords...) }

// BankWords returns the context words of the bank-account detectors.
func BankWords() *WordSet { return NewWordSet(bankWords...) }

// BankAgainst returns the words for numbers that are not bank accounts.
func BankAgainst() *WordSet { return NewWordSet(bankAgainst...) }

// foreignIDWords are the words that name a Danish or Finnish identity
// number: a Swedish or Norwegian detector leaves such a value to them.
func foreignIDWords() *WordSet {
	return NewWordSet(append(append([]string{}, cprOnlyWords...), hetuWords...)...)
}
