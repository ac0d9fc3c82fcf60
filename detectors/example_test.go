package detectors

import (
	"strings"
	"testing"
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
	if exampleMaybe([]byte("2026-03-02T09:16:31.540+01:00 INFO  login from client_ip=")) {
		t.Error("a log line's prefix passes the example filter")
	}
}
