package scanner

import (
	"bytes"
	"strings"

	"github.com/piimap/piimap/detectors"
)

// rowKeyText renders a row's primary key ("id=42", "kunde=7, linje=3") for
// a finding's examples. A key value that is personal data itself (a
// fødselsnummer or e-mail address as the key, or a key column whose name
// says it holds names, addresses, birth dates or credentials) is masked
// unless values are shown. Only called while a finding still keeps
// examples, so its detector run is bounded per finding.
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
			b.Write(part)
			continue
		}
		b.Write(col)
		b.WriteByte('=')
		if _, personal := detectors.ClassifyColumn(string(col)); personal {
			b.WriteString("***")
			continue
		}
		b.WriteString(w.maskValue(string(col), val))
	}
	return b.String()
}

// maskValue returns val, or its masked form when a detector finds personal
// data in it.
func (w *worker) maskValue(col string, val []byte) string {
	var hit *detectors.Match
	w.keyIn.Reset(val, col)
	for _, d := range w.cfg.Detectors {
		d.Find(&w.keyIn, func(m detectors.Match) {
			if hit == nil {
				mm := m
				hit = &mm
			}
		})
		if hit != nil {
			return detectors.Mask(hit.Category, hit.Value)
		}
	}
	return string(val)
}
