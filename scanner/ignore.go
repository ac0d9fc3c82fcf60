package scanner

import (
	"bytes"

	"github.com/piimap/piimap/detectors"
)

// InlineIgnore is the marker of an inline ignore comment: on the line of a
// value, "piimap:ignore" ignores every match on the line, and
// "piimap:ignore national_id" (categories separated by commas or spaces)
// only those categories. It works in any comment syntax (# // /* -- <!--)
// because only the marker is looked for.
const InlineIgnore = "piimap:ignore"

// inlineLineLimit bounds how far from a match its line is searched, so a
// huge single-line file costs no more than this per match.
const inlineLineLimit = 4096

var inlineMarker = []byte(InlineIgnore)

// inlineIgnored reports whether the line of buf holding pos carries an
// inline ignore comment that covers cat. custom are the categories of the
// scan's custom detectors, which a comment may name beside the built-in ones.
func inlineIgnored(buf []byte, pos int, cat detectors.Category, custom []detectors.Category) bool {
	lo := max(pos-inlineLineLimit, 0)
	start := lo
	if i := bytes.LastIndexByte(buf[lo:pos], '\n'); i >= 0 {
		start = lo + i + 1
	}
	hi := min(pos+inlineLineLimit, len(buf))
	end := hi
	if i := bytes.IndexByte(buf[pos:hi], '\n'); i >= 0 {
		end = pos + i
	}
	line := buf[start:end]
	i := bytes.Index(line, inlineMarker)
	if i < 0 {
		return false
	}
	return ignoreCovers(line[i+len(inlineMarker):], cat, custom)
}

// ignoreCovers reads the categories after the marker: none (or words that
// are no category, such as "*/" or "-->") cover every category.
func ignoreCovers(rest []byte, cat detectors.Category, custom []detectors.Category) bool {
	named := false
	for _, tok := range bytes.FieldsFunc(rest, func(r rune) bool { return r == ' ' || r == ',' || r == '\t' || r == '\r' }) {
		if !isCategory(tok, detectors.Categories) && !isCategory(tok, custom) {
			break
		}
		named = true
		if string(tok) == string(cat) {
			return true
		}
	}
	return !named
}

func isCategory(tok []byte, cats []detectors.Category) bool {
	for _, c := range cats {
		if string(tok) == string(c) {
			return true
		}
	}
	return false
}
