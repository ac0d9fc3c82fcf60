package files

import (
	"bufio"
	"bytes"
	"html"
	"io"
	"strings"

	"github.com/piimap/piimap/internal/pump"
)

// HTMLText reads HTML as text for the detectors: character references
// decoded ("912&nbsp;34&nbsp;567", "kari&#64;example.no"), markup dropped
// so that a value split by inline tags is whole again
// ("1503<b>8712486</b>"), a block element or a table cell ending a word.
// Nothing that holds data is left out: comments, scripts and processing
// instructions (<?php … ?>) are read as they are, and the values of attributes that are not markup (content,
// title, alt, href with its "mailto:", value, data-*) as words of their
// own. The source's line breaks are kept, so that a finding's line is the
// file's. It is a small state machine over the bytes, in bounded memory
// whatever the size of a tag, a comment or a script.
func HTMLText(r io.Reader) io.Reader {
	return &htmlText{r: bufio.NewReaderSize(r, textBufSize)}
}

// textBufSize is the buffer HTMLText and RoffText read through;
// files.Reader pools them (textConvBufs), one per file being read.
const textBufSize = 64 << 10

// Limits of what htmlText holds of one construct.
const (
	maxTagName  = 16
	maxAttrName = 32
	maxAttrVal  = 4 << 10 // longer values (data: URIs) are cut
	maxEntity   = 32
)

type htmlState int

const (
	inText      htmlState = iota // text
	inTagName                    // after '<': the tag's name
	inTagBody                    // between attributes
	inAttrName                   // an attribute's name
	inAttrEq                     // after an attribute's name: '=' or another attribute
	inAttrValue                  // after '=': the value, quoted (quote != 0) or not
	inComment                    // after "<!--", to "-->"
	inDecl                       // <!DOCTYPE …>, <?xml …?>: to '>'
	inRaw                        // inside script or style, to "</script" or "</style"
)

type htmlText struct {
	r *bufio.Reader
	pump.Buffer
	state   htmlState
	name    []byte // the tag's name, lower case
	closing bool
	attr    []byte // the attribute's name, lower case
	val     []byte // the attribute's value
	quote   byte
	raw     string // the element whose raw text is being read: "script" or "style"
	match   int    // bytes of the end being looked for ("-->", "</script") matched so far
	ent     []byte // a character reference being read, in text or in a value
	// declText: the declaration being read is not a comment, and its
	// content is being written as text.
	declText bool
}

func (h *htmlText) Read(p []byte) (int, error) { return h.Buffer.Read(p, h.step) }

// step reads up to 8 KiB of HTML.
func (h *htmlText) step() {
	for len(h.Out) < 8<<10 {
		// Text, comments and scripts are copied a span at a time up to
		// the next byte that may change the state.
		if h.state == inText && len(h.ent) == 0 || h.state == inComment || h.state == inRaw ||
			h.state == inAttrValue && h.quote != 0 && len(h.ent) == 0 {
			if h.bulk() {
				continue
			}
		}
		if h.state == inText && len(h.ent) == 0 {
			if buf, _ := h.r.Peek(h.r.Buffered()); len(buf) > 1 && buf[0] == '<' && (isLetter(buf[1]) || buf[1] == '/') {
				if n := h.fastTag(buf); n > 0 {
					_, _ = h.r.Discard(n)
					continue
				}
			}
		}
		c, err := h.r.ReadByte()
		if err != nil {
			h.flushEntity(&h.Out)
			h.Done, h.Err = true, err
			return
		}
		h.byte(c)
	}
}

// fastTag reads a whole tag at the start of buf ("<a href=x>") as byte
// would, a byte at a time, in one tight loop, and returns its length; 0
// when the tag is not all in buf or holds what fastTag leaves to byte (a
// line break, a character reference, a value longer than maxAttrVal), and
// then nothing has changed.
func (h *htmlText) fastTag(buf []byte) int {
	out := len(h.Out)
	fail := func() int {
		h.Out, h.state = h.Out[:out], inText
		return 0
	}
	i := 1
	h.name, h.closing = h.name[:0], false
	if buf[i] == '/' {
		h.closing = true
		i++
	}
	for i < len(buf) && (isLetter(buf[i]) || buf[i] >= '0' && buf[i] <= '9' || buf[i] == '-' || buf[i] == ':') {
		if len(h.name) < maxTagName {
			h.name = append(h.name, lower(buf[i]))
		}
		i++
	}
	for i < len(buf) {
		c := buf[i]
		switch {
		case c == '>':
			h.endTag()
			return i + 1
		case c == '\n' || c == '&':
			return fail()
		case isSpace(c) || c == '/':
			i++
			continue
		}
		// An attribute: its name, then '=' and a value, or not.
		if c == '=' {
			return fail() // a name that starts with '='
		}
		h.attr = h.attr[:0]
		for i < len(buf) && buf[i] != '=' && buf[i] != '>' && buf[i] != '/' && !isSpace(buf[i]) {
			if buf[i] == '&' {
				return fail()
			}
			if len(h.attr) < maxAttrName {
				h.attr = append(h.attr, lower(buf[i]))
			}
			i++
		}
		for i < len(buf) && (buf[i] == ' ' || buf[i] == '\t' || buf[i] == '\r' || buf[i] == '\f' || buf[i] == '/') {
			i++
		}
		if i >= len(buf) || buf[i] != '=' {
			continue // no value: the next attribute, or the end
		}
		i++
		for i < len(buf) && (buf[i] == ' ' || buf[i] == '\t' || buf[i] == '\r' || buf[i] == '\f') {
			i++
		}
		if i >= len(buf) {
			return fail()
		}
		var v []byte
		if q := buf[i]; q == '"' || q == '\'' {
			j := bytes.IndexByte(buf[i+1:], q)
			if j < 0 {
				return fail()
			}
			v, i = buf[i+1:i+1+j], i+2+j
		} else {
			j := i
			for j < len(buf) && !isSpace(buf[j]) && buf[j] != '>' {
				j++
			}
			if j >= len(buf) {
				return fail()
			}
			v, i = buf[i:j], j
		}
		if len(v) > maxAttrVal || bytes.IndexByte(v, '&') >= 0 || bytes.IndexByte(v, '\n') >= 0 {
			return fail()
		}
		h.val = append(h.val[:0], v...)
		h.attrValue()
	}
	return fail()
}

// bulk copies the buffered bytes up to the next one that may change the
// state, and reports whether it copied any.
func (h *htmlText) bulk() bool {
	if h.match > 0 {
		return false // an end marker is being matched
	}
	buf, _ := h.r.Peek(h.r.Buffered())
	var stop int
	switch h.state {
	case inText:
		stop = bytes.IndexByte(buf, '<')
		if stop < 0 {
			stop = len(buf)
		}
		if amp := bytes.IndexByte(buf[:stop], '&'); amp >= 0 {
			stop = amp
		}
	case inComment:
		stop = bytes.IndexByte(buf, '-')
	case inAttrValue:
		stop = indexAny3(buf, h.quote, '&', '\n')
	default:
		stop = bytes.IndexByte(buf, '<')
	}
	if stop < 0 {
		stop = len(buf)
	}
	if stop == 0 {
		return false
	}
	if h.state == inAttrValue {
		h.val = append(h.val, buf[:min(stop, max(maxAttrVal-len(h.val), 0))]...)
	} else {
		h.Out = append(h.Out, buf[:stop]...)
	}
	_, _ = h.r.Discard(stop)
	return true
}

// marker takes byte c while looking for end (held back as long as it
// may be part of it), and reports whether end is complete. On a mismatch
// the bytes held back are text, but for the longest part of them (with c)
// that may still start end: "--->" ends a comment.
func (h *htmlText) marker(orig byte, end string) bool {
	c, m := lower(orig), h.match
	if c == end[m] {
		h.match++
		return h.match == len(end)
	}
	// held is end[:m] followed by c: keep back its longest suffix that
	// starts end (k bytes), write the rest.
	for k := min(m, len(end)-1); k >= 1; k-- {
		if end[k-1] == c && end[m+1-k:m] == end[:k-1] {
			h.Out = append(h.Out, end[:m+1-k]...)
			h.match = k
			return false
		}
	}
	h.Out = append(h.Out, end[:m]...)
	h.Out = append(h.Out, orig)
	h.match = 0
	return false
}

// byte takes one byte.
func (h *htmlText) byte(c byte) {
	if c == '\n' && h.state != inText && h.state != inComment && h.state != inRaw && !(h.state == inAttrValue) {
		h.Out = append(h.Out, '\n') // the source's lines are kept
	}
	switch h.state {
	case inText:
		switch {
		case len(h.ent) > 0:
			if h.entityByte(c, &h.Out) {
				return
			}
			h.byte(c) // the byte after a reference without ';'
		case c == '&':
			h.ent = append(h.ent[:0], '&')
		case c == '<':
			// A tag starts with a letter, '/', '!' or '?'; "a < b" is
			// text.
			nx, err := h.r.Peek(1)
			switch {
			case err != nil:
				h.Out = append(h.Out, c)
			case isLetter(nx[0]) || nx[0] == '/':
				h.state, h.name, h.closing = inTagName, h.name[:0], false
			case nx[0] == '!' || nx[0] == '?':
				h.state, h.name, h.declText = inDecl, h.name[:0], false
			default:
				h.Out = append(h.Out, c)
			}
		default:
			h.Out = append(h.Out, c)
		}
	case inDecl:
		// <!DOCTYPE …>, <?xml …?>, and <?php … ?>, whose code may hold
		// data: the content is text. The first bytes are held back until
		// they cannot start a comment.
		if !h.declText {
			h.name = append(h.name, c)
			if string(h.name) == "!--" {
				h.state, h.match = inComment, 0
				return
			}
			if c != '>' && strings.HasPrefix("!--", string(h.name)) {
				return
			}
			h.declText = true
			for _, b := range h.name {
				if b != '\n' && b != '>' {
					h.Out = append(h.Out, b)
				}
			}
			if c == '>' {
				h.state = inText
				h.Out = append(h.Out, ' ')
			}
			return
		}
		switch c {
		case '>':
			h.state = inText
			h.Out = append(h.Out, ' ')
		case '\n': // written above
		default:
			h.Out = append(h.Out, c)
		}
	case inComment:
		if h.marker(c, "-->") {
			h.Out = append(h.Out, ' ')
			h.state, h.match = inText, 0
		}
	case inRaw:
		if h.marker(c, "</"+h.raw) {
			h.state, h.name, h.closing, h.match = inTagBody, append(h.name[:0], h.raw...), true, 0
		}
	case inTagName:
		switch {
		case c == '/' && len(h.name) == 0:
			h.closing = true
		case isLetter(c) || c >= '0' && c <= '9' || c == '-' || c == ':':
			if len(h.name) < maxTagName {
				h.name = append(h.name, lower(c))
			}
		case c == '>':
			h.endTag()
		case isSpace(c) || c == '/':
			h.state = inTagBody
		default:
			h.state, h.attr = inAttrName, append(h.attr[:0], lower(c))
		}
	case inTagBody:
		switch {
		case c == '>':
			h.endTag()
		case isSpace(c) || c == '/':
		default:
			h.state, h.attr = inAttrName, append(h.attr[:0], lower(c))
		}
	case inAttrName:
		switch {
		case c == '=':
			h.state, h.val, h.quote = inAttrValue, h.val[:0], 0
		case c == '>':
			h.endTag()
		case isSpace(c) || c == '/':
			h.state = inAttrEq
		default:
			if len(h.attr) < maxAttrName {
				h.attr = append(h.attr, lower(c))
			}
		}
	case inAttrEq:
		switch {
		case c == '=':
			h.state, h.val, h.quote = inAttrValue, h.val[:0], 0
		case c == '>':
			h.endTag()
		case isSpace(c) || c == '/':
		default:
			h.state, h.attr = inAttrName, append(h.attr[:0], lower(c))
		}
	case inAttrValue:
		switch {
		case h.quote == 0 && len(h.val) == 0 && len(h.ent) == 0 && (c == '"' || c == '\''):
			h.quote = c
		case h.quote == 0 && len(h.val) == 0 && len(h.ent) == 0 && isSpace(c):
			if c == '\n' {
				h.Out = append(h.Out, '\n')
			}
		case h.quote != 0 && c == h.quote, h.quote == 0 && (isSpace(c) || c == '>'):
			h.flushEntity(&h.val)
			h.attrValue()
			h.state = inTagBody
			if c == '>' {
				h.endTag()
			} else if c == '\n' {
				h.Out = append(h.Out, '\n')
			}
		case len(h.ent) > 0:
			if !h.entityByte(c, &h.val) {
				h.byte(c)
			}
		case c == '&':
			h.ent = append(h.ent[:0], '&')
		default:
			if c == '\n' {
				h.Out = append(h.Out, '\n') // kept in the value's place
				c = ' '
			}
			if len(h.val) < maxAttrVal {
				h.val = append(h.val, c)
			}
		}
	}
}

// entityByte takes byte c of a character reference into h.ent, writing
// the reference to dst when it ends; it reports false when c is not part
// of the reference (which is then written as it stands).
func (h *htmlText) entityByte(c byte, dst *[]byte) bool {
	switch {
	case c == ';':
		h.ent = append(h.ent, c)
		h.flushEntity(dst)
		return true
	case isLetter(c) || c >= '0' && c <= '9' || c == '#' && len(h.ent) == 1:
		h.ent = append(h.ent, c)
		if len(h.ent) > maxEntity {
			h.flushEntity(dst)
		}
		return true
	}
	h.flushEntity(dst) // "&nbsp" without ';', or a lone '&'
	return false
}

// flushEntity writes the character reference read so far to dst, decoded
// when it is one (a no-break space, and a line break, as a space).
func (h *htmlText) flushEntity(dst *[]byte) {
	if len(h.ent) == 0 {
		return
	}
	var s string
	switch string(h.ent) {
	case "&nbsp;", "&#160;":
		s = " "
	case "&amp;":
		s = "&"
	case "&lt;":
		s = "<"
	case "&gt;":
		s = ">"
	case "&quot;":
		s = `"`
	default:
		if s = html.UnescapeString(string(h.ent)); s == "\u00a0" {
			s = " "
		}
	}
	if strings.ContainsAny(s, "\r\n") {
		s = strings.NewReplacer("\r", " ", "\n", " ").Replace(s) // "&#10;" is no line of the source
	}
	*dst = append(*dst, s...)
	h.ent = h.ent[:0]
}

// markupAttr reports whether an attribute's value is markup, not data.
func markupAttr(name []byte) bool {
	switch string(name) {
	case "class", "style", "id", "type", "rel", "lang", "dir", "width", "height", "align", "valign", "border",
		"cellpadding", "cellspacing", "colspan", "rowspan", "target", "charset", "media", "role", "tabindex",
		"for", "method", "enctype", "xmlns", "http-equiv", "bgcolor", "color", "face", "size", "span", "shape",
		"coords", "async", "defer", "crossorigin", "integrity", "d", "viewbox", "fill", "stroke", "transform",
		"points":
		return true
	}
	return bytes.HasPrefix(name, []byte("aria-")) || bytes.HasPrefix(name, []byte("on"))
}

// attrValue writes an attribute's value, unless the attribute is markup,
// as a word of its own.
func (h *htmlText) attrValue() {
	if len(h.val) == 0 || markupAttr(h.attr) {
		return
	}
	h.Out = append(h.Out, ' ')
	h.Out = append(h.Out, h.val...)
	h.Out = append(h.Out, ' ')
}

// endTag acts on the '>' of a tag.
func (h *htmlText) endTag() {
	h.state = inText
	switch name := h.name; {
	case !h.closing && (string(name) == "script" || string(name) == "style"):
		h.state, h.raw, h.match = inRaw, string(name), 0
	case string(name) == "td" || string(name) == "th":
		h.Out = append(h.Out, '\t')
	case blockElement(name):
		h.Out = append(h.Out, ' ')
	}
}

// blockElement reports whether an element ends a word.
func blockElement(name []byte) bool {
	switch string(name) {
	case "p", "div", "br", "tr", "li", "h1", "h2", "h3", "h4", "h5", "h6", "table", "ul", "ol", "blockquote",
		"pre", "hr", "address", "dt", "dd", "section", "article", "header", "footer", "tbody", "thead", "title",
		"body", "head", "html", "option", "nav", "main", "aside", "figure", "figcaption", "caption", "img":
		return true
	}
	return false
}

// indexAny3 is the index of the first of a, b or c in buf, or -1.
func indexAny3(buf []byte, a, b, c byte) int {
	for i, x := range buf {
		if x == a || x == b || x == c {
			return i
		}
	}
	return -1
}

func isLetter(c byte) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }

func isSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' }

func lower(c byte) byte {
	if c >= 'A' && c <= 'Z' {
		return c + 'a' - 'A'
	}
	return c
}
