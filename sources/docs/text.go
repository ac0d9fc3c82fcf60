package docs

import (
	"context"
	"encoding/xml"
	"fmt"
	"io"
	"strconv"
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
// pulling XML tokens only as the caller reads: memory is bounded by the
// splitter's limits whatever the size of a part.
type textReader struct {
	ctx     context.Context
	parts   []xmlPart
	cur     io.ReadCloser
	dec     *xml.Decoder
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

// step produces the text of one more token (maybe none). Its error ends
// the reader: io.EOF after the last part.
func (t *textReader) step() error {
	if t.dec == nil {
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
		t.dec = newDecoder(rc)
		t.inText, t.lineOut = 0, false
		return nil
	}
	tok, err := t.dec.RawToken()
	if err != nil {
		_ = t.cur.Close()
		t.dec, t.cur = nil, nil
		if t.lineOut {
			t.out = append(t.out, '\n')
		}
		if err == io.EOF {
			return nil
		}
		return fmt.Errorf("%s: %w", t.name, err)
	}
	r := t.rules
	switch tok := tok.(type) {
	case xml.StartElement:
		name := tok.Name.Local
		if r.text[name] {
			t.inText++
		}
		switch {
		case r.breaks[name]:
			t.newline()
		case r.tabs[name]:
			t.out = append(t.out, '\t')
			t.lineOut = true
		case r.spaces[name] && t.inText > 0:
			n := 1
			for _, a := range tok.Attr {
				if a.Name.Local == "c" {
					if v, err := strconv.Atoi(a.Value); err == nil {
						n = min(max(v, 1), maxSpaces)
					}
				}
			}
			for range n {
				t.out = append(t.out, ' ')
			}
			t.lineOut = true
		}
	case xml.EndElement:
		name := tok.Name.Local
		if r.text[name] && t.inText > 0 {
			t.inText--
		}
		if r.lines[name] {
			t.newline()
		}
	case xml.CharData:
		if t.inText > 0 {
			t.out = append(t.out, tok...)
			t.lineOut = true
		}
	}
	return nil
}

func (t *textReader) newline() {
	t.out = append(t.out, '\n')
	t.lineOut = false
}

// newDecoder returns an encoding/xml decoder over r with bounded tokens.
// It resolves no namespaces (RawToken) and no external entities; unknown
// entities are errors.
func newDecoder(r io.Reader) *xml.Decoder {
	d := xml.NewDecoder(newSplitter(r))
	d.CharsetReader = func(charset string, input io.Reader) (io.Reader, error) {
		// OOXML and ODF are UTF-8 or UTF-16; UTF-16 parts are rare and
		// not decoded here.
		return nil, fmt.Errorf("unsupported XML encoding %q", charset)
	}
	return d
}
