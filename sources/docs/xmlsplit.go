package docs

import (
	"errors"
	"fmt"
	"io"
)

// Bounds on what encoding/xml holds in memory at once. The decoder keeps a
// whole text run or tag in memory, so the stream it reads is cut for it:
// text runs longer than maxTextRun get an empty element inserted (which
// splits the run into several CharData tokens and changes no text the
// extractors keep), and a tag longer than maxMarkup is an error.
const (
	maxTextRun = 64 << 10
	maxMarkup  = 1 << 20
)

// errMarkupTooLong: a tag (with its attributes) longer than maxMarkup.
var errMarkupTooLong = errors.New("XML tag longer than the limit")

// splitMark is what splits a long text run: an element no extractor knows.
const splitMark = "<_/>"

// splitter passes XML through, inserting splitMark into text runs longer
// than maxTextRun at a point that is neither inside an entity reference
// nor inside a UTF-8 sequence, and failing on tags longer than maxMarkup.
// It tracks quotes only after '=' inside a tag, so that '>' inside an
// attribute value does not end the tag. Comments, CDATA sections and
// processing instructions are treated like tags or text; at worst a split
// mark lands inside one of them, where it is harmless text.
type splitter struct {
	r      io.Reader
	buf    []byte
	start  int // buf[start:end] is unread input
	end    int
	err    error
	run    int  // length of the current text run or tag
	inTag  bool // between '<' and '>'
	quote  byte // the quote of an attribute value being read, or 0
	eq     bool // the last non-space byte in the tag was '='
	entity int  // bytes since '&' inside an entity reference, or 0
	mark   int  // bytes of splitMark still to emit (from its start)
}

func newSplitter(r io.Reader) *splitter {
	return &splitter{r: r, buf: make([]byte, 32<<10)}
}

func (s *splitter) Read(p []byte) (int, error) {
	n := 0
	for n < len(p) {
		if s.mark > 0 {
			c := copy(p[n:], splitMark[len(splitMark)-s.mark:])
			n += c
			s.mark -= c
			continue
		}
		if s.start == s.end {
			if n > 0 {
				return n, nil
			}
			if s.err != nil {
				return 0, s.err
			}
			m, err := s.r.Read(s.buf)
			s.start, s.end = 0, m
			if err != nil {
				s.err = err
			}
			if m == 0 && err == nil {
				return 0, io.ErrNoProgress
			}
			continue
		}
		// Copy bytes while tracking state; stop where a mark goes.
		i := s.start
		lim := min(s.end, s.start+len(p)-n)
		for ; i < lim; i++ {
			c := s.buf[i]
			if s.inTag {
				s.run++
				if s.run > maxMarkup {
					s.err = fmt.Errorf("%w (%d bytes)", errMarkupTooLong, maxMarkup)
					n += copy(p[n:], s.buf[s.start:i])
					s.start, s.end = 0, 0
					if n > 0 {
						return n, nil
					}
					return 0, s.err
				}
				switch {
				case s.quote != 0:
					if c == s.quote {
						s.quote = 0
					}
				case c == '"' || c == '\'':
					if s.eq {
						s.quote = c
					}
					s.eq = false
				case c == '=':
					s.eq = true
				case c == '>':
					s.inTag, s.run, s.eq = false, 0, false
				case c == ' ' || c == '\t' || c == '\n' || c == '\r':
				default:
					s.eq = false
				}
				continue
			}
			if c == '<' {
				s.inTag, s.run, s.quote, s.eq, s.entity = true, 1, 0, false, 0
				continue
			}
			if s.run >= maxTextRun && s.entity == 0 && (c < 0x80 || c >= 0xc0) {
				// Insert the mark before this byte.
				s.run = 0
				s.mark = len(splitMark)
				break
			}
			s.run++
			switch {
			case c == '&':
				s.entity = 1
			case s.entity > 0:
				if c == ';' || s.entity > 32 {
					s.entity = 0
				} else {
					s.entity++
				}
			}
		}
		n += copy(p[n:], s.buf[s.start:i])
		s.start = i
	}
	return n, nil
}
