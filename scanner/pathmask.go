package scanner

import (
	"slices"
	"strings"
	"sync"

	"github.com/piimap/piimap/detectors"
	"github.com/piimap/piimap/sources"
)

// PathMasker masks the personal data in the names that make up paths, for
// reports without --show-values: a contract named by fødselsnummer
// (hr/15038510190_kontrakt.pdf) or a folder per customer address would
// otherwise show the value in the location of every finding, failure and
// skip below it. Each name in a path (between '/' and '!') is read as
// sources.NameValue reads it and run through the detectors as one value of
// the "(file names)" column; what they find at medium confidence or above is
// masked as a finding's examples are (hr/15038*****0_kontrakt.pdf). Versions,
// dates, ids and bare numbers that are found only at low confidence stay.
//
// A PathMasker is safe for concurrent use; it remembers each name it has
// read.
type PathMasker struct {
	dets []detectors.Detector
	mu   sync.Mutex
	in   detectors.Input
	seen map[string]string // name → name as shown
}

// NewPathMasker returns a masker that runs dets.
func NewPathMasker(dets []detectors.Detector) *PathMasker {
	return &PathMasker{dets: dets, seen: map[string]string{}}
}

// Mask returns path with the personal data in its names masked.
func (p *PathMasker) Mask(path string) string {
	if path == "" {
		return path
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	var b strings.Builder
	changed := false
	for rest := path; ; {
		i := strings.IndexAny(rest, "/!")
		name := rest
		if i >= 0 {
			name = rest[:i]
		}
		shown := p.name(name)
		changed = changed || shown != name
		b.WriteString(shown)
		if i < 0 {
			break
		}
		b.WriteByte(rest[i])
		rest = rest[i+1:]
	}
	if !changed {
		return path
	}
	return b.String()
}

// name returns one name as shown, masking what the detectors find in it.
func (p *PathMasker) name(name string) string {
	if name == "" || name == "." || name == ".." {
		return name
	}
	if shown, ok := p.seen[name]; ok {
		return shown
	}
	// NameValue keeps every byte in place, only dropping an extension at
	// the end: offsets in the value are offsets in the name.
	v := sources.NameValue(name)
	p.in.Reset([]byte(v), sources.NamesField)
	type span struct {
		s, e int
		cat  detectors.Category
	}
	var spans []span
	for _, d := range p.dets {
		d.Find(&p.in, func(m detectors.Match) {
			if m.Confidence >= detectors.Medium && m.Start >= 0 && m.End <= len(v) && m.Start < m.End {
				spans = append(spans, span{m.Start, m.End, m.Category})
			}
		})
	}
	slices.SortFunc(spans, func(a, b span) int { return a.s - b.s })
	shown := name
	if len(spans) > 0 {
		var b strings.Builder
		at := 0
		for _, s := range spans {
			if s.s < at {
				continue // overlaps a span already masked
			}
			b.WriteString(name[at:s.s])
			b.WriteString(detectors.Mask(s.cat, name[s.s:s.e]))
			at = s.e
		}
		b.WriteString(name[at:])
		shown = b.String()
	}
	p.seen[name] = shown
	return shown
}
