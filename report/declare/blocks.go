package declare

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// markerKind is how a line starts: a bullet, an enumeration, or nothing.
type markerKind uint8

const (
	markerNone   markerKind = iota
	markerBullet            // •, -, *, –, ...
	markerNumber            // 1. 2) 3- § 4
	markerLetter            // a) (b) iv)
)

// block is a paragraph, a heading or a list item: one or more source lines
// joined, with white space collapsed.
type block struct {
	text        string
	marks       []mark // source line of each part of text
	nLines      int    // source lines joined into it
	indent      int    // leading white space of its first line (tab = 4)
	marker      markerKind
	blankBefore bool // a blank line (or the start) came before it
	forced      bool // a Markdown heading (#)
}

// span is a sentence: text[start:end] of its block.
type span struct{ start, end int }

// maxSentence bounds a sentence without punctuation (a wall of text):
// longer runs are cut at a space so that work per sentence stays small.
const maxSentence = 2000

// isInvisible reports characters that carry no text: soft hyphens,
// zero-width spaces and joiners, byte-order marks, and control characters.
func isInvisible(r rune) bool {
	switch r {
	case '\u00AD', '\u200B', '\u200C', '\u200D', '\u2060', '\uFEFF':
		return true
	}
	return r != '\t' && r != '\n' && r != '\r' && unicode.IsControl(r)
}

// normalise collapses white space to single spaces, trims both ends, drops
// invisible characters and moves the marks along. It returns the leading
// indent (tab = 4).
func normalise(text string, marks []mark) (string, []mark, int) {
	indent := 0
	var b strings.Builder
	b.Grow(len(text))
	out := make([]mark, 0, len(marks))
	mi, placed := 0, 0 // out[placed:] wait for the next character written
	space, leading := false, true
	for i, r := range text {
		for mi < len(marks) && marks[mi].off <= i {
			out = append(out, mark{-1, marks[mi].num})
			mi++
		}
		if r == utf8.RuneError || isInvisible(r) {
			continue
		}
		if unicode.IsSpace(r) {
			if leading {
				if r == '\t' {
					indent += 4
				} else {
					indent++
				}
				continue
			}
			space = true
			continue
		}
		if space {
			b.WriteByte(' ')
			space = false
		}
		leading = false
		for ; placed < len(out); placed++ {
			out[placed].off = b.Len()
		}
		b.WriteRune(r)
	}
	for ; placed < len(out); placed++ {
		out[placed].off = b.Len()
	}
	if len(out) == 0 && len(marks) > 0 {
		out = append(out, mark{0, marks[0].num})
	}
	if len(out) > 0 {
		out[0].off = 0
	}
	return b.String(), out, indent
}

// isBullet reports runes that start a bulleted line.
func isBullet(r rune) bool {
	switch r {
	case '•', '·', '▪', '▫', '◦', '‣', '●', '○', '■', '□', '➢', '►', '▶', '✓', '✔', '⁃', '\uF0B7', '\uF0A7', '-', '–', '—', '*', '+':
		return true
	}
	return false
}

// parseMarker splits a list marker or Markdown heading mark off a line.
func parseMarker(t string) (markerKind, string, bool) {
	if t == "" {
		return markerNone, t, false
	}
	if strings.HasPrefix(t, "#") {
		n := 0
		for n < len(t) && n < 6 && t[n] == '#' {
			n++
		}
		if n < len(t) && t[n] == ' ' {
			return markerNone, t[n+1:], true
		}
	}
	r, size := utf8.DecodeRuneInString(t)
	if isBullet(r) {
		rest := t[size:]
		if rest == "" {
			return markerBullet, "", false
		}
		if rest[0] == ' ' {
			return markerBullet, rest[1:], false
		}
		if r > 0x7F && r != '–' && r != '—' { // "•Navn" without a space
			return markerBullet, rest, false
		}
		return markerNone, t, false
	}
	// § 3, §3.
	if r == '§' {
		rest := strings.TrimLeft(t[size:], " ")
		n := 0
		for n < len(rest) && n < 4 && (rest[n] >= '0' && rest[n] <= '9') {
			n++
		}
		if n > 0 {
			rest = strings.TrimLeft(rest[n:], ".")
			if rest == "" || rest[0] == ' ' {
				return markerNumber, strings.TrimLeft(rest, " "), false
			}
		}
		return markerNone, t, false
	}
	// (a) a) 1. 1) 1- iv)
	s := t
	paren := false
	if s[0] == '(' {
		paren = true
		s = s[1:]
	}
	n := 0
	digits, letters := 0, 0
	for n < len(s) && n < 4 {
		c := s[n]
		switch {
		case c >= '0' && c <= '9':
			digits++
		case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z':
			letters++
		default:
			goto done
		}
		n++
	}
done:
	if n == 0 || n >= len(s) || (digits > 0 && letters > 0) || digits > 3 {
		return markerNone, t, false
	}
	end := s[n]
	rest := s[n+1:]
	if rest != "" && rest[0] != ' ' {
		return markerNone, t, false
	}
	rest = strings.TrimLeft(rest, " ")
	switch {
	case digits > 0 && (end == ')' || (!paren && (end == '.' || end == '-'))):
		return markerNumber, rest, false
	case letters > 0 && end == ')' && (letters == 1 || isRoman(s[:n])):
		return markerLetter, rest, false
	}
	return markerNone, t, false
}

func isRoman(s string) bool {
	for _, c := range strings.ToLower(s) {
		if c != 'i' && c != 'v' && c != 'x' {
			return false
		}
	}
	return true
}

// firstRune and lastRune of a non-empty string.
func firstRune(s string) rune { r, _ := utf8.DecodeRuneInString(s); return r }
func lastRune(s string) rune  { r, _ := utf8.DecodeLastRuneInString(s); return r }

// maxBlock bounds how much text a hard-wrapped paragraph collects before
// the next line starts a new block.
const maxBlock = 64 * 1024

// buildBlocks groups lines into blocks. A line continues the block before
// it when nothing separates them: no blank line, no list marker, the block
// does not end a sentence or a list intro, and the line starts in lower
// case (a hard-wrapped paragraph). An indented line after one ending in a
// comma starts a new block: that is an unmarked list.
func buildBlocks(lines []line) []block {
	var out []block
	var cur strings.Builder // text of out[len(out)-1] while it grows
	finish := func() {
		if n := len(out); n > 0 && cur.Len() > 0 {
			out[n-1].text = cur.String()
		}
		cur.Reset()
	}
	blank := true
	pending := markerNone
	for _, ln := range lines {
		text, marks, indent := normalise(ln.text, ln.marks)
		if text == "" {
			blank = true
			continue
		}
		marker, rest, forced := parseMarker(text)
		if marker != markerNone || forced {
			shift := len(text) - len(rest)
			text = rest
			for k := range marks {
				marks[k].off = max(0, marks[k].off-shift)
			}
		}
		if text == "" {
			if marker != markerNone {
				pending = marker // "a)" alone on a line: the next line is the item
			}
			continue
		}
		if pending != markerNone && marker == markerNone && !forced {
			marker = pending
		}
		pending = markerNone
		if n := len(out); n > 0 && !blank && marker == markerNone && !forced {
			prev := &out[n-1]
			pt := cur.String()
			pl := lastRune(pt)
			if !prev.forced && !strings.ContainsRune(".!?:;", pl) && unicode.IsLower(firstRune(text)) &&
				!(indent >= 2 && (pl == ',' || pl == ';')) && cur.Len()+len(text) < maxBlock {
				base := cur.Len() + 1
				cur.WriteByte(' ')
				cur.WriteString(text)
				for _, m := range marks {
					prev.marks = append(prev.marks, mark{base + m.off, m.num})
				}
				prev.nLines++
				continue
			}
		}
		finish()
		out = append(out, block{marks: marks, nLines: 1, indent: indent, marker: marker, blankBefore: blank, forced: forced})
		cur.WriteString(text)
		blank = false
	}
	finish()
	return out
}

// headingShaped says whether a block looks like a heading: one short line
// that does not end like a sentence, or a short question.
func headingShaped(b *block) bool {
	if b.nLines != 1 || b.text == "" {
		return false
	}
	words := strings.Count(b.text, " ") + 1
	runes := utf8.RuneCountInString(b.text)
	last := lastRune(b.text)
	if last == '?' {
		return words <= 20 && runes <= 200
	}
	if words > 12 || runes > 120 || strings.ContainsRune(".,;:!", last) {
		return false
	}
	f := firstRune(b.text)
	return unicode.IsUpper(f) || unicode.IsDigit(f) || strings.ContainsRune("\"'«“”„(", f)
}

// sentences splits a block's text into sentences. A full stop, "!", "?" or
// "…" followed by white space ends a sentence unless the next word starts
// in lower case ("f.eks. navn", "1. juli") or the word before it is a known
// abbreviation ("bl.a.", "t.ex.", "e.g.") or a single letter ("f. eks").
func (lx *lexicon) sentences(text string) []span {
	var out []span
	start := 0
	for i := 0; i < len(text); {
		r, size := utf8.DecodeRuneInString(text[i:])
		if r == ' ' {
			if i-start > maxSentence {
				out = append(out, span{start, i})
				start = i + 1
			}
			i += size
			continue
		}
		if i-start > 2*maxSentence {
			// no space for a long stretch: cut anywhere
			out = append(out, span{start, i})
			start = i
		}
		if r != '.' && r != '!' && r != '?' && r != '…' {
			i += size
			continue
		}
		j := i + size
		for j < len(text) {
			r2, s2 := utf8.DecodeRuneInString(text[j:])
			if !strings.ContainsRune(".!?…\"'”’»)]", r2) {
				break
			}
			j += s2
		}
		if j >= len(text) {
			break
		}
		if text[j] != ' ' {
			i = j
			continue
		}
		next, _ := utf8.DecodeRuneInString(text[j+1:])
		if lx.endsSentence(text[start:i], r, next) {
			out = append(out, span{start, j})
			start = j + 1
		}
		i = j
	}
	if start < len(text) {
		out = append(out, span{start, len(text)})
	}
	return out
}

// endsSentence decides whether punct (after before, followed by a space
// and next) ends a sentence.
func (lx *lexicon) endsSentence(before string, punct, next rune) bool {
	if unicode.IsLower(next) {
		return false
	}
	if punct != '.' {
		return true
	}
	w := before
	if k := strings.LastIndexAny(w, " (\"'«“„/"); k >= 0 {
		w = w[k+1:]
	}
	w = strings.ToLower(w)
	if lx.abbr[w] {
		return false
	}
	if utf8.RuneCountInString(w) == 1 && unicode.IsLetter(firstRune(w)) {
		return false
	}
	return true
}
