package docs

import (
	"context"
	"fmt"
	"io"
)

// textRules say how the XML of one kind of part becomes text. Elements are
// matched by local name, whatever their namespace prefix.
type textRules struct {
	// text: character data counts only inside these elements (w:t, a:t,
	// text:p …); whitespace between other elements is layout.
	text map[string]bool
	// lines: the end of these elements ends a line (paragraphs).
	lines map[string]bool
	// breaks: these elements are a line break (w:br, text:line-break).
	breaks map[string]bool
	// tabs: these elements are a tab.
	tabs map[string]bool
	// spaces: these elements are spaces, as many as their "c" attribute
	// says (ODF text:s), at most maxSpaces.
	spaces map[string]bool
}

const maxSpaces = 64

func set(names ...string) map[string]bool {
	m := make(map[string]bool, len(names))
	for _, n := range names {
		m[n] = true
	}
	return m
}

var (
	// Word: runs of text in w:t (w:delText for deleted text, which is
	// still in the file), paragraphs w:p.
	wordRules = &textRules{
		text:   set("t", "delText"),
		lines:  set("p"),
		breaks: set("br", "cr"),
		tabs:   set("tab"),
	}
	// PowerPoint (DrawingML): a:t in a:p.
	slideRules = &textRules{
		text:   set("t"),
		lines:  set("p"),
		breaks: set("br"),
		tabs:   set("tab"),
	}
	// OpenDocument text: text:p and text:h, with text:span etc. inside.
	odfRules = &textRules{
		text:   set("p", "h"),
		lines:  set("p", "h"),
		breaks: set("line-break"),
		tabs:   set("tab"),
		spaces: set("s"),
	}
	// Document properties (docProps/core.xml, meta.xml): who wrote it.
	metaRules = &textRules{
		text:  set("creator", "lastModifiedBy", "initial-creator", "title", "subject", "description", "keywords"),
		lines: set("creator", "lastModifiedBy", "initial-creator", "title", "subject", "description", "keywords"),
	}
)

// xmlPart is one XML part of a document to extract text from.
type xmlPart struct {
	name  string
	rules *textRules
	open  func() (io.ReadCloser, error)
}

// textReader extracts the text of a sequence of XML parts as UTF-8 lines,
// scanning XML tokens only as the caller reads: memory is bounded by the
// scanner's limits whatever the size of a part.
type textReader struct {
	ctx     context.Context
	parts   []xmlPart
	cur     io.ReadCloser // the part being read, or nil
	sc      xmlScanner
	rules   *textRules
	name    string
	inText  int  // depth inside rules.text elements
	lineOut bool // text has been written on the current line
	out     []byte
	off     int
	err     error
}

func newTextReader(ctx context.Context, parts []xmlPart) *textReader {
	return &textReader{ctx: ctx, parts: parts}
}

// textBatch is how much text step produces before returning.
const textBatch = 16 << 10

// Read implements io.Reader.
func (t *textReader) Read(p []byte) (int, error) {
	for t.off == len(t.out) {
		if t.err != nil {
			return 0, t.err
		}
		t.out, t.off = t.out[:0], 0
		t.err = t.step()
	}
	n := copy(p, t.out[t.off:])
	t.off += n
	return n, nil
}

// step produces the text of more tokens (maybe none), up to the end of
// the part or about textBatch bytes. Its error ends the reader: io.EOF
// after the last part.
func (t *textReader) step() error {
	if t.cur == nil {
		if len(t.parts) == 0 {
			return io.EOF
		}
		if err := t.ctx.Err(); err != nil {
			return err
		}
		p := t.parts[0]
		t.parts = t.parts[1:]
		rc, err := p.open()
		if err != nil {
			return fmt.Errorf("%s: %w", p.name, err)
		}
		t.cur, t.name, t.rules = rc, p.name, p.rules
		t.sc.reset(rc)
		t.inText, t.lineOut = 0, false
		return nil
	}
	r := t.rules
	for len(t.out) < textBatch {
		kind, err := t.sc.next()
		if err != nil {
			_ = t.cur.Close()
			t.cur = nil
			if t.lineOut {
				t.out = append(t.out, '\n')
			}
			if err == io.EOF {
				return nil
			}
			return fmt.Errorf("%s: %w", t.name, err)
		}
		switch kind {
		case tokStart:
			name := t.sc.local()
			if r.text[string(name)] {
				t.inText++
			}
			switch {
			case r.breaks[string(name)]:
				t.newline()
			case r.tabs[string(name)]:
				t.out = append(t.out, '\t')
				t.lineOut = true
			case r.spaces[string(name)] && t.inText > 0:
				n := 1
				for i := range t.sc.attrs {
					if string(t.sc.attrLocal(i)) == "c" {
						if v, ok := parseInt(t.sc.attrValue(i)); ok {
							n = int(min(max(v, 1), maxSpaces))
						}
					}
				}
				for range n {
					t.out = append(t.out, ' ')
				}
				t.lineOut = true
			}
		case tokEnd:
			name := t.sc.local()
			if r.text[string(name)] && t.inText > 0 {
				t.inText--
			}
			if r.lines[string(name)] {
				t.newline()
			}
		case tokText:
			if t.inText > 0 {
				t.out = append(t.out, t.sc.text...)
				t.lineOut = true
			}
		}
	}
	return nil
}

func (t *textReader) newline() {
	t.out = append(t.out, '\n')
	t.lineOut = false
}

// parseInt parses a decimal integer as strconv.ParseInt(string(b), 10, 64)
// does: an optional sign and digits, within the range of int64.
func parseInt[T string | []byte](b T) (int64, bool) {
	neg := false
	i := 0
	if len(b) > 0 && (b[0] == '+' || b[0] == '-') {
		neg = b[0] == '-'
		i = 1
	}
	if i == len(b) {
		return 0, false
	}
	var n uint64
	for ; i < len(b); i++ {
		c := b[i]
		if c < '0' || c > '9' {
			return 0, false
		}
		if n > (1<<63)/10 {
			return 0, false
		}
		n = n*10 + uint64(c-'0')
		if n > 1<<63 {
			return 0, false
		}
	}
	if neg {
		return -int64(n), true // -(1<<63) wraps to itself
	}
	if n > 1<<63-1 {
		return 0, false
	}
	return int64(n), true
}
