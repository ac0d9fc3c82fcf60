package detectors

// Organisation numbers identify companies, not people, and share shapes
// with personal identifiers: the Norwegian organisasjonsnummer (9 digits,
// Brønnøysundregistrene; MOD11 with weights 3 2 7 6 5 4 3 2, first digit 8
// or 9) and the Swedish organisationsnummer (Bolagsverket/Skatteverket
// SKV 709: NNNNNN-NNNN with Luhn, the third digit ≥ 2 so that it is never a
// date; 12-digit form 16NNNNNNNNNN). None of the national-id, card, phone
// or bank-account detectors reports them: the Swedish ones fail the
// personnummer date (month ≥ 20), the Norwegian ones have no
// national-id length, and their words (org.nr, orgnr,
// organisasjonsnummer, organisationsnummer, MVA, momsreg.nr) are
// other-identifier context everywhere (TestOrgNumbersNotPersonal).
//
// The one organisation number that is personal data is a Swedish sole
// trader's (enskild firma): it is the owner's personnummer. Behind an
// organisation-number word se_personnummer reports it at Low with the
// label sole_trader.

// LabelSoleTrader marks a personnummer written as an organisation number
// (a Swedish sole trader's, enskild näringsidkare).
const LabelSoleTrader = "sole_trader"

// orgWords name organisation numbers.
var orgWords = []string{
	"org.nr", "orgnr", "org-nr", "org nr", "organisasjonsnummer", "organisationsnummer", "org.no", "orgno",
	"foretaksnummer", "företagsnummer", "mva", "momsreg.nr", "vat", "vat number", "f-skatt", "enskild firma",
}
