package detectors

import (
	"encoding/binary"
	"math/bits"

	"github.com/piimap/piimap/internal/bitmask"
)

// exampleWindow is how many bytes before a value ExampleBefore searches.
const exampleWindow = 80

// exampleWords mark what follows as an example: "(e.g. +441234567890)",
// "for example, vmIp = 1.2.3.4", "f.eks. 912 34 567".
var exampleWords = NewWordSet("e.g", "i.e", "for example", "for instance", "such as", "example", "examples",
	"eksempel", "eksempelvis", "f.eks", "t.ex", "till exempel", "exempel", "zum beispiel", "z.b", "beispiel", "sample")

// ExampleBefore reports whether the text before Buf[s] on its line (up to
// exampleWindow bytes) says that what follows is an example. Examples in
// documentation and API descriptions are not anybody's data.
func (in *Input) ExampleBefore(s int) bool {
	lo := max(0, s-exampleWindow)
	var w []byte
	if at := in.lastLineBreak(lo, s); at >= 0 {
		w = in.Buf[at+1 : s]
	} else {
		w = in.Buf[wordStart(in.Buf, lo, s):s]
	}
	if !exampleMaybe(w) {
		return false
	}
	return classifyWindow(w, exampleWords, nil) == Boost
}

// exampleMaybe is the cheap filter in front of the word lookup: every
// example word has a one-letter word before a dot (e.g, i.e, t.ex, z.b,
// f.eks), "mpl" or "mpe" (example, sample, eksempel, exempel), "such",
// "nsta" (for instance) or "spie" (beispiel). Log lines before an address
// rarely do; host names (www.firma.no), key paths (user.email) and words
// such as "timestamp" or "compute" no longer send every window to the
// lookup.
func exampleMaybe(w []byte) bool {
	// Eight bytes at a time, the trigger bytes found by their lower-case
	// forms ('.', 'p', 'c', 's'; 0x0E passes too, and is dropped by the
	// table): most bytes cost a few instructions for eight.
	i := 1
	for ; i+9 <= len(w); i += 8 {
		x := binary.LittleEndian.Uint64(w[i:]) | 0x2020202020202020
		m := bitmask.ZeroBytes(x^0x2E2E2E2E2E2E2E2E) | bitmask.ZeroBytes(x^0x7070707070707070) |
			bitmask.ZeroBytes(x^0x6363636363636363) | bitmask.ZeroBytes(x^0x7373737373737373)
		for ; m != 0; m &= m - 1 {
			if j := i + bits.TrailingZeros64(m)/8; exampleTrigger[w[j]] && exampleAt(w, j) {
				return true
			}
		}
	}
	for ; i+1 < len(w); i++ {
		if exampleTrigger[w[i]] && exampleAt(w, i) {
			return true
		}
	}
	return false
}

// exampleAt reports whether the trigger byte w[i] (0 < i < len(w)-1) is
// the middle of one of exampleMaybe's patterns.
func exampleAt(w []byte, i int) bool {
	c, prev, next := w[i]|0x20, w[i-1]|0x20, w[i+1]|0x20
	switch {
	case w[i] == '.':
		// A one-letter word: after a non-letter, or a camelCase
		// boundary (forE.g).
		return isLetter(w[i-1]) && isLetter(w[i+1]) && (i < 2 || !isLetter(w[i-2]) ||
			w[i-1] >= 'A' && w[i-1] <= 'Z' && w[i-2] >= 'a' && w[i-2] <= 'z')
	case c == 'p' && prev == 'm' && (next == 'l' || next == 'e'),
		c == 'c' && prev == 'u' && next == 'h' && i >= 2 && w[i-2]|0x20 == 's',
		c == 's' && prev == 'n' && next == 't' && i+2 < len(w) && w[i+2]|0x20 == 'a',
		c == 'p' && prev == 's' && next == 'i':
		return true
	}
	return false
}

func isLetter(c byte) bool { c |= 0x20; return c >= 'a' && c <= 'z' }

// exampleTrigger marks the bytes exampleMaybe looks closer at: the middle
// byte of each of its patterns. A constant lookup table.
var exampleTrigger = [256]bool{'.': true, 'p': true, 'P': true, 'c': true, 'C': true, 's': true, 'S': true}

// placeholderDigits reports digit strings that are placeholders rather
// than numbers anybody has: a run of eight ascending digits (12345678,
// 23456789; a 0 before them does not count: 070-123 45 67) or seven equal
// digits. Seven ascending, as in the Norwegian textbook number
// 912 34 567, are left alone.
func placeholderDigits(d []byte) bool {
	up, same := 0, 1
	if len(d) > 0 && d[0] != '0' {
		up = 1
	}
	for i := 1; i < len(d); i++ {
		switch {
		case d[i] == d[i-1]+1 && (up > 0 || d[i-1] == '0'):
			up++
			if d[i-1] == '0' && up == 1 {
				up = 1 // a run counted from its 1: 0123… is the 0 of a trunk or area code
			}
		case d[i] != '0':
			up = 1
		default:
			up = 0
		}
		if d[i] == d[i-1] {
			same++
		} else {
			same = 1
		}
		if up >= 8 || same >= 7 {
			return true
		}
	}
	return false
}

// fictionalNANP reports whether the E.164 digits d are a North American
// number of the range 555-0100 to 555-0199, which the NANP administration
// reserves for fiction and examples in every area code.
func fictionalNANP(d []byte) bool {
	return len(d) == 11 && d[0] == '1' && string(d[4:7]) == "555" && d[7] == '0' && d[8] == '1'
}
