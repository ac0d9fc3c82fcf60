package detectors

import (
	"fmt"
	"math/rand/v2"
	"testing"
)

func TestNoBankAccountExamples(t *testing.T) {
	checkExactExamples(t, NewNoBankAccount(), noBankAccountPositives(), noBankAccountNegatives(), 10, 10)
}

// TestNoBankAccountStructured: kontonummer in CSV columns and JSON keys
// (the key is the context), and in free text with and without context.
func TestNoBankAccountStructured(t *testing.T) {
	d := NewNoBankAccount()
	checkKeyConfidence(t, d, []keyConfidenceCase{
		{"kontonummer", "12345678903", High},
		{"kontonr", "12345678903", High},
		{"account_number", "12345678903", High},
		{"bankkonto", "1234.56.78903", High},
		{"iban", "12345678903", High},
		{"", "12345678903", None},
		{"ordrenr", "12345678903", None},
		{"", "Vennligst betal til konto 1234 56 78903 innen fredag", High},
		{"", "Referanse 1234 56 78903", Medium},
	})
	// JSON lines: KeyAt gives the value's own key.
	var in Input
	in.Reset([]byte(`{"navn":"Kari","kontonr":"12345678903","ordre":"15031234562"}`), "")
	in.KeyAt = func(pos int) string {
		if pos < 30 {
			return "kontonr"
		}
		return "ordre"
	}
	var got []Match
	d.Find(&in, func(m Match) { got = append(got, m) })
	if len(got) != 1 || got[0].Value != "12345678903" || got[0].Confidence != High {
		t.Errorf("JSON: got %+v", got)
	}
}

// TestFnrKontonummerOnce: a number valid both as fødselsnummer and as
// kontonummer is reported by exactly one detector, chosen by context.
func TestFnrKontonummerOnce(t *testing.T) {
	fnr, konto := NewNoFnr(), NewNoBankAccount()
	r := rand.New(rand.NewPCG(9, 10))
	both := 0
	for range 300000 {
		s := fmt.Sprintf("%02d%02d%02d%05d", 1+r.IntN(28), 1+r.IntN(12), r.IntN(100), r.IntN(100000))
		if !ValidNoFnr([]byte(s)) {
			continue
		}
		both++
		for _, c := range []struct{ text, want string }{
			{"kontonr " + s, "no_bank_account"}, {"fnr " + s, "no_fnr"}, {s, "no_fnr"},
			{"betal til " + s, "no_bank_account"}, {"IBAN-konto: " + s, "no_bank_account"},
		} {
			var ids []string
			for _, d := range []Detector{fnr, konto} {
				for _, m := range findAll(d, c.text, "") {
					ids = append(ids, m.Detector)
				}
			}
			if len(ids) != 1 || ids[0] != c.want {
				t.Fatalf("%q: reported by %v, want only %s", c.text, ids, c.want)
			}
		}
	}
	if both < 20 {
		t.Errorf("only %d numbers valid as both: the test is too weak", both)
	}
}

func FuzzNoBankAccount(f *testing.F) {
	fuzzSeeds(f, noBankAccountPositives(), noBankAccountNegatives())
	d := NewNoBankAccount()
	f.Fuzz(func(t *testing.T, data []byte) {
		fuzzDetector(t, d, data, "kontonr", func(m Match, written []byte) {
			if !ValidNoBankAccount([]byte(m.Value)) || digitsOf(written) != m.Value {
				t.Fatalf("value %q (written %q) does not re-validate", m.Value, written)
			}
		})
	})
}

func TestMaskBankAccount(t *testing.T) {
	for v, want := range map[string]string{
		"12345678903":            "*********03",
		"NO7112345678903":        "NO***********03",
		"5491-0000003":           "**********03",
		"DE89370400440532013000": "DE******************00",
	} {
		if got := Mask(BankAccount, v); got != want {
			t.Errorf("Mask(%s) = %s, want %s", v, got, want)
		}
	}
}
