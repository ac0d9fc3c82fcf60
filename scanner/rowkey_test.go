package scanner

import (
	"strings"
	"testing"

	"github.com/piimap/piimap/detectors"
)

func TestRowKeyText(t *testing.T) {
	w := newWorker(&Config{})
	for key, want := range map[string]string{
		"id=42":            "id=42",
		"ordre=7, linje=3": "ordre=7, linje=3",
		"uuid=550e8400-e29b-41d4-a716-446655440000": "uuid=550e8400-e29b-41d4-a716-446655440000",
		"kunde=Nordmann, Ola":                       "kunde=***, ***", // a value holding ", "
		"navn=Ola":                                  "navn=***",       // a name column
		"epost=kari.nordmann@fjordpost.no":          "epost=***",
		"nr=15038712486":                            "nr=***",  // a fødselsnummer
		"nr=5038510039":                             "nr=***",  // one that lost its leading zero in a BIGINT
		"sku=ESP-500":                               "sku=***", // text: not shown
	} {
		got := w.rowKeyText([]byte(key))
		if got != want {
			t.Errorf("rowKeyText(%q) = %q, want %q", key, got, want)
		}
		if strings.Contains(want, "***") && strings.Contains(got, "Ola") {
			t.Errorf("rowKeyText(%q) leaks: %q", key, got)
		}
	}
	// With --detectors narrowed to phones, a fødselsnummer key is still masked.
	w = newWorker(&Config{Detectors: []detectors.Detector{detectors.NewPhone()}})
	if got := w.rowKeyText([]byte("nr=15038712486")); got != "nr=***" {
		t.Errorf("narrowed detectors: %q", got)
	}
	w = newWorker(&Config{ShowValues: true})
	if got := w.rowKeyText([]byte("kunde=Nordmann, Ola")); got != "kunde=Nordmann, Ola" {
		t.Errorf("--show-values: %q", got)
	}
}
