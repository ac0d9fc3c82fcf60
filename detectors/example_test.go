package detectors

import (
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/piimap/piimap/internal/corpus"
)

func TestExampleBefore(t *testing.T) {
	for text, want := range map[string]bool{
		"Fax number with international code (i.e. +441234567890)":                      true,
		"(e.g., tel:+12345678900":                                                      true,
		"For example, you could specify **reverseSshConnectivity.vmIp = \"1.2.3.4\"**": true,
		"f.eks. 912 34 567":                     true,
		"t.ex. 070-123 45 67":                   true,
		"2026-03-02 09:16:32 sms to 912 34 567": false,
		"example\n912 34 567":                   false, // another line
		"Kunden ringte fra 912 34 567":          false,
	} {
		var i int // the value's first byte
		if strings.Contains(text, "912") {
			i = strings.Index(text, "912")
		} else if strings.Contains(text, "070") {
			i = strings.Index(text, "070")
		} else if strings.Contains(text, "1.2.3.4") {
			i = strings.Index(text, "1.2.3.4")
		} else {
			i = strings.Index(text, "+")
		}
		var in Input
		in.Reset([]byte(text), "")
		if got := in.ExampleBefore(i); got != want {
			t.Errorf("%q: ExampleBefore = %v, want %v", text, got, want)
		}
	}
}

func TestPlaceholderDigits(t *testing.T) {
	for d, want := range map[string]bool{
		"441234567890": true, "12345678900": true, "4799999999": true, "46812345678": true,
		"4791234567": false, "46701234567": false, "4722123456": false, "4745612345": false, "": false,
	} {
		if got := placeholderDigits([]byte(d)); got != want {
			t.Errorf("placeholderDigits(%s) = %v, want %v", d, got, want)
		}
	}
}

// TestExampleMaybeKeepsEveryWord: the cheap filter passes every example
// word, so that it never hides one from the lookup.
func TestExampleMaybeKeepsEveryWord(t *testing.T) {
	for _, w := range exampleWords.Words() {
		for _, form := range []string{w, strings.ToUpper(w), "x " + w + " "} {
			if !exampleMaybe([]byte(form)) {
				t.Errorf("exampleMaybe(%q) = false", form)
			}
		}
	}
	for _, prefix := range []string{
		"2026-03-02T09:16:31.540+01:00 INFO  login from client_ip=",
		"GET https://www.firma.no/api/user.email?ts=timestamp&compute=1 from ",
	} {
		if exampleMaybe([]byte(prefix)) {
			t.Errorf("a log line's prefix passes the example filter: %q", prefix)
		}
	}
}

// TestExampleMaybeIsASuperset: on random windows of example words, their
// parts and log words, joined by spaces, punctuation and camelCase,
// whatever the word lookup calls an example passes the cheap filter.
func TestExampleMaybeIsASuperset(t *testing.T) {
	r := rand.New(rand.NewPCG(9, 10))
	vocab := append(slices.Sorted(slices.Values(exampleWords.Words())), "for", "instance", "such", "as", "zum", "till", "e", "g", "i", "x.y",
		"www.firma.no", "user.email", "timestamp", "compute", "temp", "INFO", "login", "client_ip", "2026-03-02T09:16:31")
	seps := []string{" ", "  ", ", ", "(", ": ", "=", "", "\t", ". "}
	passed, examples := 0, 0
	for range 200000 {
		var b strings.Builder
		for k := 1 + r.IntN(5); k > 0; k-- {
			w := vocab[r.IntN(len(vocab))]
			if r.IntN(4) == 0 {
				w = strings.ToUpper(w[:1]) + w[1:]
			}
			b.WriteString(w)
			b.WriteString(seps[r.IntN(len(seps))])
		}
		w := []byte(b.String())
		if classifyWindow(w, exampleWords, nil) == Boost {
			examples++
			if !exampleMaybe(w) {
				t.Fatalf("exampleMaybe(%q) = false for an example", w)
			}
		}
		if exampleMaybe(w) {
			passed++
		}
	}
	if examples < 1000 {
		t.Fatalf("only %d of the random windows are examples", examples)
	}
	t.Logf("%d examples, %d windows passed the filter", examples, passed)
}

// TestExampleMaybeAgreesWithByteLoop compares exampleMaybe, which finds
// its trigger bytes eight at a time, with the byte-by-byte loop it
// replaced (exampleMaybeLoop), on windows of example words, log words and
// random bytes (0x0E, whose lower-case form is a dot, among them), of
// every length up to 100.
func TestExampleMaybeAgreesWithByteLoop(t *testing.T) {
	r := rand.New(rand.NewPCG(13, 14))
	vocab := append(slices.Sorted(slices.Values(exampleWords.Words())), "e.g", "I.e", "SAMPLE", "such", "instance",
		"beispiel", "xmpl", "ample", "smpe", "www.firma.no", "INFO", "2026-03-02T09:16:31.123", "\x0e", "\xc3\xa5")
	agree := 0
	for range 200000 {
		var b []byte
		for len(b) < r.IntN(101) {
			if r.IntN(3) == 0 {
				b = append(b, corpus.Bytes(r, ".pcsPCSmuhnta \x0e\x2e\xa0Zz", 6)...)
			} else {
				b = append(b, vocab[r.IntN(len(vocab))]...)
			}
			b = append(b, " .,("[r.IntN(4)])
		}
		b = b[:min(len(b), 100)]
		want := exampleMaybeLoop(b)
		if got := exampleMaybe(b); got != want {
			t.Fatalf("exampleMaybe(%q) = %v, the byte loop says %v", b, got, want)
		}
		if want {
			agree++
		}
	}
	if agree < 20000 {
		t.Fatalf("only %d windows pass: the comparison proves little", agree)
	}
}

// exampleMaybeLoop is exampleMaybe as a loop over every byte.
func exampleMaybeLoop(w []byte) bool {
	for i := 1; i+1 < len(w); i++ {
		if exampleTrigger[w[i]] && exampleAt(w, i) {
			return true
		}
	}
	return false
}
