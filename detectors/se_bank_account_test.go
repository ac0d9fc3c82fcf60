package detectors

import (
	"strings"
	"testing"
)

func TestSeBankAccountExamples(t *testing.T) {
	checkExactExamples(t, NewSeBankAccount(), seBankAccountPositives(), seBankAccountNegatives(), 8, 8)
}

func TestSeBankAccountKeyContext(t *testing.T) {
	checkKeyConfidence(t, NewSeBankAccount(), []keyConfidenceCase{
		{"kontonummer", "5491-0000003", Medium},
		{"clearingnummer", "5491 0000003", Medium},
		{"", "5491-0000003", None},
		{"telefon", "5491-0000003", None},
	})
}

// TestSeClearingTable: the ranges are ordered and do not overlap.
func TestSeClearingTable(t *testing.T) {
	prev := 0
	for _, r := range seClearing {
		if r.from > r.to || r.from <= prev || r.kind == 0 {
			t.Fatalf("range %d–%d after %d", r.from, r.to, prev)
		}
		prev = r.to
	}
}

func FuzzSeBankAccount(f *testing.F) {
	fuzzSeeds(f, seBankAccountPositives(), seBankAccountNegatives())
	d := NewSeBankAccount()
	f.Fuzz(func(t *testing.T, data []byte) {
		fuzzDetector(t, d, data, "kontonummer", func(m Match, written []byte) {
			parts := strings.Split(m.Value, "-")
			clearing := strings.Join(parts[:len(parts)-1], "")
			if !ValidSeBankAccount([]byte(clearing), []byte(parts[len(parts)-1])) || digitsOf(written) != strings.ReplaceAll(m.Value, "-", "") {
				t.Fatalf("value %q (written %q) does not re-validate", m.Value, written)
			}
		})
	})
}
