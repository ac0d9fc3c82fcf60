package detectors

import (
	"slices"
	"testing"
)

// orgTexts hold Norwegian organisasjonsnummer (MOD11, weights 3 2 7 6 5 4
// 3 2) and Swedish organisationsnummer (Luhn, third digit ≥ 2) in the forms
// they are written in, with and without their words.
var orgTexts = []string{
	"Org.nr. 987 654 325", "org.nr: 987654325", "organisasjonsnummer 923630112", "NO 987 654 325 MVA",
	"Foretaksregisteret NO987654325MVA", "987654325", "Leverandør: Eksempel AS (912 345 674)", "orgnr=812345672",
	"organisationsnummer 556036-0793", "Org.nr 556036-0793", "5560360793", "org nr 212000-0142",
	"Momsreg.nr SE556036079301", "16556036-0793", "165560360793", "organisationsnummer: 802006-1126",
	"Bolaget AB, 556677-8899", "orgnr 556677-8899", "kommunens org.nr 212000-0142",
}

// The validators below check the fixtures: a test that organisation
// numbers are never reported means something only if they are valid ones.
// The detectors need no validator of their own: a Norwegian number has 9
// digits (never a fødselsnummer's 11) and a Swedish one a month of 20 or
// more (never a personnummer's date).

// noOrgWeights are the organisasjonsnummer MOD11 weights.
var noOrgWeights = [8]byte{3, 2, 7, 6, 5, 4, 3, 2}

// validNoOrgnr reports whether value (9 ASCII digits) is a valid
// Norwegian organisasjonsnummer: MOD11 and a first digit 8 or 9.
func validNoOrgnr(value []byte) bool {
	return len(value) == 9 && AllDigits(value) && (value[0] == '8' || value[0] == '9') && Mod11Valid(value, noOrgWeights[:])
}

// validSeOrgnr reports whether value (10 ASCII digits) is a valid Swedish
// organisationsnummer: Luhn and a third digit of at least 2.
func validSeOrgnr(value []byte) bool {
	return len(value) == 10 && AllDigits(value) && value[2] >= '2' && Luhn(value)
}

// TestOrgNumbersNotPersonal: organisation numbers are never reported as a
// national id, payment card, phone number or bank account.
func TestOrgNumbersNotPersonal(t *testing.T) {
	for _, text := range orgTexts {
		for _, d := range All() {
			if c := d.Category(); c == Email || c == IPAddress {
				continue
			}
			for _, m := range findAll(d, text, "") {
				if m.Detector != "se_personnummer" || !slices.Contains(m.Labels, LabelSoleTrader) {
					t.Errorf("%q: %s reports %q at %v", text, d.ID(), m.Value, m.Confidence)
				}
			}
		}
	}
}

func TestOrgnrValidators(t *testing.T) {
	for s, want := range map[string]bool{"987654325": true, "923630112": true, "812345672": true, "987654326": false, "123456785": false} {
		if validNoOrgnr([]byte(s)) != want {
			t.Errorf("validNoOrgnr(%s) != %v", s, want)
		}
	}
	for s, want := range map[string]bool{"5560360793": true, "2120000142": true, "8020061126": true, "5560360794": false, "6408233234": false} {
		if validSeOrgnr([]byte(s)) != want {
			t.Errorf("validSeOrgnr(%s) != %v", s, want)
		}
	}
	// Every valid organisation number in the texts above is one.
	if !validNoOrgnr([]byte("987654325")) || !validSeOrgnr([]byte("5566778899")) {
		t.Error("fixtures are not valid organisation numbers")
	}
}

func TestSoleTraderLabel(t *testing.T) {
	ms := findAll(NewSePersonnummer(fixedClock), "Enskild firma, org.nr 640823-3234", "")
	if len(ms) != 1 || ms[0].Confidence != Low || !slices.Contains(ms[0].Labels, LabelSoleTrader) {
		t.Errorf("got %+v", ms)
	}
}
