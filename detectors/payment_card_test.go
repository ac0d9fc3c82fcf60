package detectors

import (
	"strings"
	"testing"
)

func TestCardExamples(t *testing.T) {
	genericCheckExamples(t, NewPaymentCard(), 20, 20)
}

func TestCardConfidenceAndLabels(t *testing.T) {
	visa := genericLuhnComplete("457100123456789")
	grouped := group4(visa)
	test := []string{LabelTestData}
	genericCheckCases(t, NewPaymentCard(), []genericCase{
		{text: visa, want: visa, conf: Low}, // mentioned, not in a record
		{text: "2026-03-02 09:16:32 " + visa, want: visa, conf: Medium},
		{text: "reqNonce: 3843061514398340071", want: "3843061514398340071", conf: Low},
		{text: "visa " + visa, want: visa, conf: High},
		{text: visa, key: "kortnummer", want: visa, conf: High},
		{text: visa, key: "order_ref", want: ""},
		{text: grouped, want: visa, conf: High},
		{text: "faktura " + grouped, want: visa, conf: Low},
		{text: "4111111111111111", want: "4111111111111111", conf: Low, labels: test},
		{text: "card 6205500000000000004", want: "6205500000000000004", conf: Low, labels: test},
		{text: grouped + " 12/27", want: visa, conf: High},
		{text: grouped + " 123", want: visa, conf: High},
		{text: grouped + " 1234", want: ""},
		{text: grouped + "-1234", want: ""},
		{text: grouped + ":5", want: ""},
		{text: "x " + visa[:15], want: ""},
		{text: "2026-03-02 09:16:32 \u00a0" + visa + "\u00a0", want: visa, conf: Medium},
		{text: "2026-03-02 09:16:32 \u201c" + visa + "\u201d", want: visa, conf: Medium},
		{text: "é" + visa, want: ""},
		{text: "2026-03-02 09:16:32 7," + visa + ",x", want: visa, conf: Medium},
		{text: "7." + visa, want: ""},
		{text: "(" + grouped + ")", want: visa, conf: High},
	})
}

func TestCardBrands(t *testing.T) {
	ok := func(prefix string, n int) string {
		return genericLuhnComplete(prefix + strings.Repeat("1", n-1-len(prefix)))
	}
	for _, c := range []struct {
		p    string
		want bool
	}{
		{ok("4", 13), true}, {ok("4", 16), true}, {ok("4", 19), true}, {ok("4", 15), false}, {ok("4", 14), false},
		{ok("51", 16), true}, {ok("55", 16), true}, {ok("56", 16), false}, {ok("2221", 16), true}, {ok("2720", 16), true},
		{ok("2721", 16), false}, {ok("2220", 16), false}, {ok("2200", 16), true}, {ok("2204", 19), true}, {ok("2205", 16), false},
		{ok("34", 15), true}, {ok("37", 15), true}, {ok("37", 16), false}, {ok("35", 15), false},
		{ok("6011", 16), true}, {ok("644", 19), true}, {ok("65", 16), true}, {ok("622126", 16), true},
		{ok("300", 14), true}, {ok("3095", 14), true}, {ok("36", 14), true}, {ok("38", 16), true}, {ok("306", 14), false},
		{ok("3528", 16), true}, {ok("3589", 19), true}, {ok("3527", 16), false}, {ok("3590", 16), false},
		{ok("6759", 12), true}, {ok("6763", 13), true}, {ok("5018", 15), true}, {ok("5019", 16), true}, {ok("5019", 15), false},
		{ok("62", 16), true}, {ok("62", 15), false}, {ok("1", 16), false}, {ok("7", 16), false}, {ok("8947", 19), false},
		{ok("978", 13), false},
	} {
		if got := cardBrand([]byte(c.p)); got != c.want {
			t.Errorf("cardBrand(%s) = %v, want %v", c.p, got, c.want)
		}
	}
}

func TestCardSeveralInOrder(t *testing.T) {
	a := genericLuhnComplete("540012345678901")
	b := genericLuhnComplete("37598765432101")
	text := "kort " + group4(a) + ", amex " + b[:4] + "-" + b[4:10] + "-" + b[10:] + "; 4111111111111111\n" + a
	ms := genericFind(NewPaymentCard(), text, "")
	genericCheckMatches(t, NewPaymentCard(), []byte(text), ms)
	var got []string
	for _, m := range ms {
		got = append(got, m.Value)
	}
	if want := []string{a, b, "4111111111111111", a}; strings.Join(got, " ") != strings.Join(want, " ") {
		t.Fatalf("got %v, want %v", got, want)
	}
}

func TestCardZeroAllocsOnRejected(t *testing.T) {
	visa := genericLuhnComplete("457100123456789")
	genericZeroAllocs(t, NewPaymentCard(), "1706700000000123 "+visa[:15]+"9 411111******1111 **** **** **** 4242 "+
		"1234 5678 9012 3456 7890 "+"a"+visa+" 2024-01-31 12:30:45 978"+genericLuhnComplete("829876543"))
}

func FuzzPaymentCard(f *testing.F) {
	genericFuzz(f, NewPaymentCard(), func(v string) bool {
		return AllDigits([]byte(v)) && Luhn([]byte(v)) && cardBrand([]byte(v))
	}, "4111 1111 1111 1111 1111", "4111-1111-1111-1111", "5500 0000 0000 0004 12/27", "3782 822463 10005",
		"4111111111111111,5", "«4111111111111111»", "\xc24111111111111111")
}

func BenchmarkPaymentCard(b *testing.B) { genericBench(b, NewPaymentCard()) }

// TestCardNoAllocPerMatch checks that a match allocates nothing: its value
// goes to the Input's block of values.
func TestCardNoAllocPerMatch(t *testing.T) { checkNoAllocPerMatch(t, NewPaymentCard(), 5, 0) }
