package scanner

import (
	"bytes"
	"strings"

	"github.com/piimap/piimap/detectors"
)

// rowKeyText renders a row's primary key ("id=42", "kunde=7, linje=3") for
// a finding's examples. Unless values are shown, only key values that are
// identifiers and nothing else are written as they are: digits, hex digits
// and '-', '_', '.', ':' (ids, UUIDs), which no detector takes for personal
// data (a fødselsnummer key, also one stored as a number that lost its
// leading zero). Every other value, a value of a key column whose name says
// it holds names, addresses, birth dates or credentials, and a piece that
// cannot be told apart from a value holding ", " are written "***". Only
// called while a finding still keeps examples, so its detector run is
// bounded per finding.
func (w *worker) rowKeyText(key []byte) string {
	if w.cfg.ShowValues {
		return string(key)
	}
	var b strings.Builder
	for i, part := range bytes.Split(key, []byte(", ")) {
		if i > 0 {
			b.WriteString(", ")
		}
		col, val, ok := bytes.Cut(part, []byte{'='})
		if !ok {
			b.WriteString("***") // the rest of a value that held ", "
			continue
		}
		b.Write(col)
		b.WriteByte('=')
		if _, personal := detectors.ClassifyColumn(string(col)); personal || !idLike(val) || w.personalKey(string(col), val) {
			b.WriteString("***")
			continue
		}
		b.Write(val)
	}
	return b.String()
}

// idLike reports values made of digits, hex digits and - _ . : only.
func idLike(v []byte) bool {
	if len(v) == 0 {
		return false
	}
	for _, c := range v {
		switch {
		case c >= '0' && c <= '9', c >= 'a' && c <= 'f', c >= 'A' && c <= 'F', c == '-', c == '_', c == '.', c == ':':
		default:
			return false
		}
	}
	return true
}

// personalKey reports whether any built-in detector finds personal data in
// the key value, also in a 10-digit number padded back to eleven digits (a
// fødselsnummer in an integer key). The detectors are all of them, not
// only those of the scan.
func (w *worker) personalKey(col string, val []byte) bool {
	if w.keyDets == nil {
		w.keyDets = detectors.All()
	}
	vals := [][]byte{val}
	if len(val) == 10 && detectors.IsDigit(val[0]) {
		vals = append(vals, append([]byte{'0'}, val...))
	}
	for _, v := range vals {
		hit := false
		w.keyIn.Reset(v, col)
		for _, d := range w.keyDets {
			d.Find(&w.keyIn, func(detectors.Match) { hit = true })
			if hit {
				return true
			}
		}
	}
	return false
}
