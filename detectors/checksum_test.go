package detectors

import (
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"
)

func TestLuhnKnownVectors(t *testing.T) {
	tests := []struct {
		in   string
		want bool
	}{
		{"79927398713", true},       // the textbook Luhn example
		{"79927398710", false},      // same payload, wrong check digit
		{"4111111111111111", true},  // Visa test card
		{"4111111111111112", false}, // one digit off
		{"5555555555554444", true},  // Mastercard test card
		{"8112189876", true},        // Skatteverket personnummer example 811218-9876
		{"8112189873", false},
		{"00", true},
		{"0", false},                // too short
		{"", false},                 // empty
		{"41111111111a1111", false}, // not all digits
		{"4111-1111", false},
	}
	for _, tt := range tests {
		if got := Luhn([]byte(tt.in)); got != tt.want {
			t.Errorf("Luhn(%q) = %v, want %v", tt.in, got, tt.want)
		}
	}
}

func TestLuhnCheckDigit(t *testing.T) {
	if c, ok := LuhnCheckDigit([]byte("811218987")); !ok || c != '6' {
		t.Errorf("LuhnCheckDigit(811218987) = %q, %v; want '6', true", c, ok)
	}
	if c, ok := LuhnCheckDigit([]byte("7992739871")); !ok || c != '3' {
		t.Errorf("LuhnCheckDigit(7992739871) = %q, %v; want '3', true", c, ok)
	}
	if _, ok := LuhnCheckDigit(nil); ok {
		t.Error("LuhnCheckDigit(nil) ok")
	}
	if _, ok := LuhnCheckDigit([]byte("12x")); ok {
		t.Error("LuhnCheckDigit(12x) ok")
	}
	// Appending the computed digit passes; every other digit fails (Luhn
	// catches all single-digit errors).
	r := rand.New(rand.NewPCG(1, 2))
	for range 2000 {
		n := 1 + r.IntN(20)
		b := make([]byte, n+1)
		for i := range n {
			b[i] = byte('0' + r.IntN(10))
		}
		c, ok := LuhnCheckDigit(b[:n])
		if !ok {
			t.Fatalf("LuhnCheckDigit(%s) not ok", b[:n])
		}
		for d := byte('0'); d <= '9'; d++ {
			b[n] = d
			if got := Luhn(b); got != (d == c) {
				t.Fatalf("Luhn(%s) = %v with check digit %c computed", b, got, c)
			}
		}
	}
}

func TestMod11(t *testing.T) {
	w2 := fnrK2Weights[:]
	// Norwegian kontonummer (python-stdnum example) and fødselsnummer K2.
	for _, s := range []string{"86011117947", "02013299997", "30108299920"} {
		if !Mod11Valid([]byte(s), w2) {
			t.Errorf("Mod11Valid(%s) = false", s)
		}
	}
	for _, s := range []string{"86011117948", "02013299996", "1", ""} {
		if Mod11Valid([]byte(s), w2) {
			t.Errorf("Mod11Valid(%q) = true", s)
		}
	}
	if c, ok := Mod11CheckDigit([]byte("8601111794"), w2); !ok || c != '7' {
		t.Errorf("Mod11CheckDigit(8601111794) = %q, %v", c, ok)
	}
	// Weighted sum 12 (3 × weight 4): remainder 1 needs check digit 10, never issued.
	if _, ok := Mod11CheckDigit([]byte("0000000300"), w2); ok {
		t.Error("Mod11CheckDigit with remainder 1 must not be ok")
	}
	// Weighted sum 11 (1×5 + 3×2): remainder 0 gives 11, written 0.
	if c, ok := Mod11CheckDigit([]byte("1000000003"), w2); !ok || c != '0' {
		t.Errorf("remainder 0 must give check digit 0, got %q %v", c, ok)
	}
	if _, ok := WeightedSum([]byte("123"), []byte{1, 2}); ok {
		t.Error("WeightedSum with too few weights must not be ok")
	}
	if _, ok := WeightedSum([]byte("1a3"), []byte{1, 2, 3}); ok {
		t.Error("WeightedSum over a letter must not be ok")
	}
	if s, ok := WeightedSum([]byte("123"), []byte{3, 2, 1}); !ok || s != 10 {
		t.Errorf("WeightedSum(123, 3 2 1) = %d, %v; want 10", s, ok)
	}
}

func TestAllDigits(t *testing.T) {
	for s, want := range map[string]bool{"0123456789": true, "": false, "12 3": false, "١٢": false, "9/": false} {
		if got := AllDigits([]byte(s)); got != want {
			t.Errorf("AllDigits(%q) = %v", s, got)
		}
	}
}

// TestMonthDays compares the calendar helpers with package time.
func TestMonthDays(t *testing.T) {
	for y := 1800; y <= 2100; y++ {
		if got, want := gregorianLeap(y), time.Date(y, 2, 29, 0, 0, 0, 0, time.UTC).Month() == 2; got != want {
			t.Fatalf("gregorianLeap(%d) = %v", y, got)
		}
		for m := 1; m <= 12; m++ {
			want := time.Date(y, time.Month(m)+1, 0, 0, 0, 0, 0, time.UTC).Day()
			if got := monthDays(m, gregorianLeap(y)); got != want {
				t.Fatalf("monthDays(%d, %d) = %d, want %d", m, y, got, want)
			}
		}
	}
	if monthDays(0, false) != 0 || monthDays(13, true) != 0 {
		t.Error("monthDays outside 1–12 must be 0")
	}
}

func TestStandAlone(t *testing.T) {
	tests := []struct {
		text    string // the candidate is the part between the markers ⟨ ⟩
		grouped bool
		want    bool
	}{
		{"⟨01019043777⟩", false, true},
		{"x ⟨01019043777⟩ y", false, true},
		{"fnr:⟨01019043777⟩", false, true},
		{"fnr=⟨01019043777⟩;", false, true},
		{`"⟨01019043777⟩"`, false, true},
		{"(⟨01019043777⟩)", false, true},
		{"/p/⟨01019043777⟩/x", false, true},
		{"⟨01019043777⟩.", false, true},
		{"⟨01019043777⟩.pdf", false, true},
		{"a,⟨01019043777⟩,b", false, true},
		{"1,⟨01019043777⟩,2", false, true},
		{"\u00a0⟨01019043777⟩\u00a0", false, true},
		{"“⟨01019043777⟩”", false, true},
		{"#⟨01019043777⟩", false, true},
		{"a⟨01019043777⟩", false, false},
		{"⟨01019043777⟩a", false, false},
		{"_⟨01019043777⟩", false, false},
		{"⟨01019043777⟩_", false, false},
		{"+⟨01019043777⟩", false, false},
		{"é⟨01019043777⟩", false, false},
		{"⟨01019043777⟩é", false, false},
		{"1.⟨01019043777⟩", false, false},
		{"x.⟨01019043777⟩", false, false},
		{"⟨01019043777⟩.5", false, false},
		{"12:⟨01019043777⟩", false, false},
		{"⟨01019043777⟩:80", false, false},
		{"1/⟨01019043777⟩", false, false},
		{"⟨01019043777⟩/2", false, false},
		{"A-⟨01019043777⟩", false, false},
		{"⟨01019043777⟩-A", false, false},
		{"⟨01019043777⟩@x.no", false, false},
		{"⟨01019043777⟩+1", false, false},
		{"12 ⟨010190 43777⟩", true, false},
		{"⟨010190 43777⟩ 12", true, false},
		{"12 ⟨01019043777⟩", false, true},
		{"ab ⟨010190 43777⟩ cd", true, true},
	}
	for _, tt := range tests {
		s := []byte(tt.text)
		open, close := []byte("⟨"), []byte("⟩")
		i := indexOf(s, open)
		s = append(s[:i:i], s[i+len(open):]...)
		j := indexOf(s, close)
		s = append(s[:j:j], s[j+len(close):]...)
		if got := standAlone(s, i, j, tt.grouped); got != tt.want {
			t.Errorf("standAlone(%q) = %v, want %v", tt.text, got, tt.want)
		}
	}
}

func indexOf(s, sub []byte) int {
	for i := 0; i+len(sub) <= len(s); i++ {
		if string(s[i:i+len(sub)]) == string(sub) {
			return i
		}
	}
	panic("marker not found")
}

func TestChecksumZeroAllocs(t *testing.T) {
	card := []byte("4111111111111111")
	fnr := []byte("02013299997")
	n := testing.AllocsPerRun(100, func() {
		_ = Luhn(card)
		_, _ = LuhnCheckDigit(card[:15])
		_ = Mod11Valid(fnr, fnrK2Weights[:])
		_, _ = Mod11CheckDigit(fnr[:9], fnrK1Weights[:])
	})
	if n != 0 {
		t.Errorf("checksum helpers allocate %v times per run", n)
	}
}

func BenchmarkLuhn(b *testing.B) {
	card := []byte("4111111111111111")
	b.SetBytes(int64(len(card)))
	for b.Loop() {
		if !Luhn(card) {
			b.Fatal("invalid")
		}
	}
}

// TestJSONEscapeSeparates: a value right after a JSON string's escaped
// line break or tab ("fnr\n15038712486" in a JSON log's message, as
// encoders write a multi-line message) is found by every detector, as
// after a space; a letter glued to it is still no boundary.
func TestJSONEscapeSeparates(t *testing.T) {
	for _, tc := range []struct {
		d          Detector
		text, want string
	}{
		{NewNoFnr(), "fnr:%s15038712486", "15038712486"},
		{NewSePersonnummer(fixedClock), "personnummer:%s850709-2388", "198507092388"},
		{NewDkCPR(), "CPR:%s260683-1176", "2606831176"},
		{NewFiHETU(), "hetu:%s131052-308T", "131052-308T"},
		{NewNoBankAccount(), "betal til:%s1234.56.78903", "12345678903"},
		{NewIBAN(), "IBAN:%sNO7112345678903", "NO7112345678903"},
		{NewPhone(), "ring:%s+4791234567", "+4791234567"},
		{NewPhone(), "mobil:%s912 34 567", "+4791234567"},
		{NewPaymentCard(), "kort:%s4571857959593587", "4571857959593587"},
		{NewIPAddress(), "2026-03-01T10:00:00 from:%s81.166.23.4", "81.166.23.4"},
		{NewEmail(), "e-post:%skari.nordmann@firma.no", "kari.nordmann@firma.no"},
		{NewEmail(), "Kari %skari.nordmann@firma.no\\u003e", "kari.nordmann@firma.no"},
	} {
		for _, sep := range []string{" ", `\n`, `\t`, `\r\n`, `\u003c`} {
			if sep == `\u003c` && tc.d.ID() != "email" {
				continue
			}
			text := strings.Replace(tc.text, "%s", sep, 1)
			var got []string
			for _, m := range genericFind(tc.d, `{"message":"`+text+`"}`, "") {
				got = append(got, m.Value)
			}
			if !slices.Contains(got, tc.want) {
				t.Errorf("%s: %q: got %q, want %q", tc.d.ID(), text, got, tc.want)
			}
		}
		glued := strings.Replace(tc.text, "%s", "x", 1)
		for _, m := range genericFind(tc.d, `{"message":"`+glued+`"}`, "") {
			if m.Value == tc.want && tc.d.ID() != "email" {
				t.Errorf("%s: %q: %q found glued to a letter", tc.d.ID(), glued, m.Value)
			}
		}
	}
}
