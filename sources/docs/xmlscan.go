package docs

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"
)

// Bounds on what the XML scanner holds in memory at once. A text run
// longer than maxTextRun is delivered in pieces (cut before a byte that is
// neither inside an entity reference nor inside a UTF-8 sequence, the
// pieces are separate runs); markup longer than maxMarkup (a tag with its
// attributes, a comment, a processing instruction, a CDATA section, a
// directive) is an error.
const (
	maxTextRun = 64 << 10
	maxMarkup  = 1 << 20
)

// errMarkupTooLong: a tag (with its attributes) or other markup longer
// than maxMarkup.
var errMarkupTooLong = errors.New("XML tag longer than the limit")

// xmlKind is the kind of token the scanner found.
type xmlKind uint8

const (
	tokNone  xmlKind = iota
	tokStart         // a start tag: name, attrs
	tokEnd           // an end tag (or the end of an empty-element tag): name
	tokText          // character data (text or a CDATA section): text
)

// xmlName locates a name in the buffer, as written: buf[start:end]. The
// part before a single colon is the prefix (buf[start:local-1]), the rest
// the local name (buf[local:end]); a name without a colon, or with the
// colon first or last, has no prefix (local == start). Elements are
// matched by local name.
type xmlName struct{ start, local, end int }

// xmlAttr locates an attribute: its name, and its value, decoded in vbuf
// or as written in buf.
type xmlAttr struct {
	name        xmlName
	val, valEnd int
	decoded     bool // the value is vbuf[val:valEnd], else buf[val:valEnd]
}

// xmlScanner is a streaming XML tokenizer for the parts of office
// documents: it reads from r into a buffer of bounded size and returns the
// start tags, end tags and character data the extractors need, skipping
// comments, processing instructions and directives. Its tokens and errors
// are those of encoding/xml's Decoder.RawToken in strict mode, which the
// extractors used before (the five predefined entities and numeric
// character references are decoded, \r\n and \r become \n, names and
// characters are checked, the same syntax errors with the same line
// numbers; names are kept as written, prefix and local name, with no
// namespace translation; an XML declaration naming an encoding other than
// UTF-8 is an error), with the bounds above: text runs are cut where the
// splitter that bounded encoding/xml cut them, and markup is limited to
// maxMarkup bytes. Unlike that splitter, which could only guess where
// markup ends, the scanner applies the limit to comments, processing
// instructions, directives and CDATA sections as wholes and never cuts
// them.
//
// The common tags (all in the buffer, ASCII names, attribute values
// without references) are read by fastTag in one pass over the buffer;
// everything else byte by byte, following encoding/xml's steps.
//
// A token is read through name, attrs (with local, prefix, attrLocal,
// attrValue) and text, valid until the next call of next.
type xmlScanner struct {
	r        io.Reader
	buf      []byte
	tok      int   // start of the current token in buf
	pos      int   // end of the current token: where the next starts
	end      int   // buf[:end] holds input
	rerr     error // the read error (io.EOF at the end), once seen
	err      error // the error that ended the scan
	lineBase int   // newlines in the input before buf[0]
	empty    int   // reads in a row that returned nothing

	name      xmlName   // of the current tag
	attrs     []xmlAttr // of the current start tag
	text      []byte    // of the current character data
	closeNext bool      // the last start tag was an empty-element tag

	tbuf []byte // decoded text
	vbuf []byte // decoded attribute values
}

const initialXMLBuffer = 64 << 10

// newXMLScanner returns a scanner reading r.
func newXMLScanner(r io.Reader) *xmlScanner {
	s := &xmlScanner{}
	s.reset(r)
	return s
}

// reset makes s read r from its start, keeping its buffers.
func (s *xmlScanner) reset(r io.Reader) {
	buf, tbuf, vbuf, attrs := s.buf, s.tbuf, s.vbuf, s.attrs
	if buf == nil {
		buf = make([]byte, initialXMLBuffer)
	}
	*s = xmlScanner{r: r, buf: buf, tbuf: tbuf[:0], vbuf: vbuf[:0], attrs: attrs[:0]}
}

// local is the local name of the current tag.
func (s *xmlScanner) local() []byte { return s.buf[s.name.local:s.name.end] }

// prefix is the prefix of a name of the current tag, or nil.
func (s *xmlScanner) prefix(n xmlName) []byte {
	if n.local == n.start {
		return nil
	}
	return s.buf[n.start : n.local-1]
}

// attrLocal is the local name of the current start tag's attribute i.
func (s *xmlScanner) attrLocal(i int) []byte {
	n := s.attrs[i].name
	return s.buf[n.local:n.end]
}

// attrValue is the value of the current start tag's attribute i.
func (s *xmlScanner) attrValue(i int) []byte {
	a := &s.attrs[i]
	if a.decoded {
		return s.vbuf[a.val:a.valEnd]
	}
	return s.buf[a.val:a.valEnd]
}

// next returns the next token, io.EOF at the end of the input, or the
// error that ends the scan (again on every later call).
func (s *xmlScanner) next() (xmlKind, error) {
	if s.err != nil {
		return tokNone, s.err
	}
	if s.closeNext {
		s.closeNext = false
		return tokEnd, nil
	}
	for {
		s.tok = s.pos
		if s.tok >= s.end && !s.more() {
			s.err = s.rerr
			return tokNone, s.err
		}
		var (
			k   xmlKind
			err error
		)
		if s.buf[s.tok] != '<' {
			k, err = s.scanText()
		} else {
			k, err = s.scanMarkup()
		}
		if err != nil {
			s.err = err
			return tokNone, err
		}
		if k != tokNone {
			return k, nil
		}
	}
}

// more reads more input after buf[:end], keeping the current token
// (buf[tok:]) in the buffer: it may move it to the start of the buffer
// (indices relative to tok stay valid) or grow the buffer, up to maxMarkup.
// It returns false when no more input comes, with rerr set.
func (s *xmlScanner) more() bool {
	for s.rerr == nil {
		if s.end == len(s.buf) {
			if s.tok > 0 {
				s.lineBase += bytes.Count(s.buf[:s.tok], newline)
				s.end = copy(s.buf, s.buf[s.tok:s.end])
				s.pos -= min(s.pos, s.tok)
				s.tok = 0
			}
			if s.end == len(s.buf) {
				if len(s.buf) >= maxMarkup {
					s.rerr = fmt.Errorf("%w (%d bytes)", errMarkupTooLong, maxMarkup)
					return false
				}
				nb := make([]byte, min(2*len(s.buf), maxMarkup))
				copy(nb, s.buf[:s.end])
				s.buf = nb
			}
		}
		n, err := s.r.Read(s.buf[s.end:])
		s.end += n
		if err != nil {
			s.rerr = err
		}
		if n > 0 {
			s.empty = 0
			return true
		}
		if err == nil {
			if s.empty++; s.empty >= 100 {
				s.rerr = io.ErrNoProgress
			}
		}
	}
	return false
}

var newline = []byte{'\n'}

// at returns the byte at tok+k, reading more input as needed.
func (s *xmlScanner) at(k int) (byte, bool) {
	for s.tok+k >= s.end {
		if !s.more() {
			return 0, false
		}
	}
	return s.buf[s.tok+k], true
}

// syntaxError is an encoding/xml syntax error at buffer position p (the
// bytes before p have been read).
func (s *xmlScanner) syntaxError(p int, msg string) error {
	return &xml.SyntaxError{Msg: msg, Line: 1 + s.lineBase + bytes.Count(s.buf[:p], newline)}
}

// eof is the error for input ending inside a token: "unexpected EOF", or
// the read error.
func (s *xmlScanner) eof() error {
	if s.rerr == io.EOF {
		return s.syntaxError(s.end, "unexpected EOF")
	}
	return s.rerr
}

// Byte classes for character data.
const (
	textPlain = iota // ASCII that needs nothing
	textCheck        // a byte whose character must be checked: control, non-ASCII
	textLT
	textAmp
	textCR
	textGT
)

var textClass = func() (t [256]uint8) {
	for c := range 256 {
		switch {
		case c == '<':
			t[c] = textLT
		case c == '&':
			t[c] = textAmp
		case c == '\r':
			t[c] = textCR
		case c == '>':
			t[c] = textGT
		case c >= 0x80 || c < 0x20 && c != '\t' && c != '\n':
			t[c] = textCheck
		}
	}
	return t
}()

// nameByte: the ASCII bytes of names; all non-ASCII bytes are read into
// names and checked afterwards.
var nameByte = func() (t [256]bool) {
	for c := range 256 {
		t[c] = c >= 0x80 || 'A' <= c && c <= 'Z' || 'a' <= c && c <= 'z' || '0' <= c && c <= '9' ||
			c == '_' || c == ':' || c == '.' || c == '-'
	}
	return t
}()

// scanText reads character data at tok up to the next '<', the end of the
// input or the point where a long run is cut.
func (s *xmlScanner) scanText() (xmlKind, error) {
	s.tbuf = s.tbuf[:0]
	j, seg := 0, 0 // bytes read; bytes before seg are in tbuf
	copied, check := false, false
scan:
	for {
		b := s.buf[s.tok:s.end]
		lim := min(len(b), maxTextRun)
		for j < lim {
			c := b[j]
			switch textClass[c] {
			case textPlain:
				j++
			case textCheck:
				check = true
				j++
			case textLT:
				break scan
			case textGT:
				if j >= 2 && b[j-1] == ']' && b[j-2] == ']' {
					return tokNone, s.syntaxError(s.tok+j+1, "unescaped ]]> not in CDATA section")
				}
				j++
			case textCR:
				s.tbuf = append(append(s.tbuf, b[seg:j]...), '\n')
				copied = true
				j++
				if j < maxTextRun {
					if c, ok := s.at(j); ok && c == '\n' {
						j++
					}
				}
				seg = j
				continue scan
			case textAmp:
				s.tbuf = append(s.tbuf, b[seg:j]...)
				copied = true
				k, num, err := s.entity(j, &s.tbuf)
				if err != nil {
					return tokNone, err
				}
				check = check || num
				j, seg = k, k
				continue scan
			}
		}
		if j >= maxTextRun {
			// Cut before a byte that does not continue a UTF-8 sequence.
			c, ok := s.at(j)
			if !ok || c == '<' || c < 0x80 || c >= 0xc0 {
				break
			}
			// Inside a UTF-8 sequence: take it whole.
			check = true
			j++
			for ; j < maxTextRun+utf8.UTFMax; j++ {
				if c, ok := s.at(j); !ok || c < 0x80 || c >= 0xc0 {
					break
				}
			}
			break
		}
		if !s.more() {
			break
		}
	}
	data := s.buf[s.tok : s.tok+j]
	if copied {
		s.tbuf = append(s.tbuf, s.buf[s.tok+seg:s.tok+j]...)
		data = s.tbuf
	}
	s.pos = s.tok + j
	if check {
		if msg := badChar(data); msg != "" {
			return tokNone, s.syntaxError(s.pos, msg)
		}
	}
	s.text = data
	return tokText, nil
}

// entity decodes the entity or character reference at tok+j ('&') onto
// out; it returns the index after it and whether it was a character
// reference, whose character must be checked.
func (s *xmlScanner) entity(j int, out *[]byte) (int, bool, error) {
	k := j + 1
	c, ok := s.at(k)
	if !ok {
		return 0, false, s.eof()
	}
	if c == '#' {
		k++
		if c, ok = s.at(k); !ok {
			return 0, false, s.eof()
		}
		hex := c == 'x'
		if hex {
			k++
			if c, ok = s.at(k); !ok {
				return 0, false, s.eof()
			}
		}
		start := k
		var n uint64
		for '0' <= c && c <= '9' || hex && ('a' <= c && c <= 'f' || 'A' <= c && c <= 'F') {
			var d byte
			switch {
			case c <= '9':
				d = c - '0'
			case c >= 'a':
				d = c - 'a' + 10
			default:
				d = c - 'A' + 10
			}
			if n <= utf8.MaxRune {
				if hex {
					n = n*16 + uint64(d)
				} else {
					n = n*10 + uint64(d)
				}
			}
			k++
			if c, ok = s.at(k); !ok {
				return 0, false, s.eof()
			}
		}
		if c != ';' {
			return 0, false, s.syntaxError(s.tok+k, "invalid character entity "+string(s.buf[s.tok+j:s.tok+k])+" (no semicolon)")
		}
		if k == start || n > utf8.MaxRune {
			return 0, false, s.syntaxError(s.tok+k+1, "invalid character entity "+string(s.buf[s.tok+j:s.tok+k+1]))
		}
		*out = utf8.AppendRune(*out, rune(n))
		return k + 1, true, nil
	}
	for nameByte[c] {
		k++
		if c, ok = s.at(k); !ok {
			return 0, false, s.eof()
		}
	}
	if c != ';' {
		return 0, false, s.syntaxError(s.tok+k, "invalid character entity "+string(s.buf[s.tok+j:s.tok+k])+" (no semicolon)")
	}
	var r byte
	switch string(s.buf[s.tok+j+1 : s.tok+k]) {
	case "lt":
		r = '<'
	case "gt":
		r = '>'
	case "amp":
		r = '&'
	case "apos":
		r = '\''
	case "quot":
		r = '"'
	default:
		return 0, false, s.syntaxError(s.tok+k+1, "invalid character entity "+string(s.buf[s.tok+j:s.tok+k+1]))
	}
	*out = append(*out, r)
	return k + 1, false, nil
}

// badChar describes the first character of data that XML does not allow
// (invalid UTF-8, a control character), or returns "".
func badChar(data []byte) string {
	for i := 0; i < len(data); {
		c := data[i]
		if c < utf8.RuneSelf {
			if c < 0x20 && c != '\t' && c != '\n' && c != '\r' {
				return fmt.Sprintf("illegal character code %U", rune(c))
			}
			i++
			continue
		}
		r, size := utf8.DecodeRune(data[i:])
		if r == utf8.RuneError && size == 1 {
			return "invalid UTF-8"
		}
		if !(r >= 0x20 && r <= 0xD7FF || r >= 0xE000 && r <= 0xFFFD || r >= 0x10000 && r <= 0x10FFFF) {
			return fmt.Sprintf("illegal character code %U", r)
		}
		i += size
	}
	return ""
}

// scanMarkup reads the markup at tok ('<'): a tag is returned, comments,
// processing instructions and directives are skipped (tokNone), a CDATA
// section is text.
func (s *xmlScanner) scanMarkup() (xmlKind, error) {
	c, ok := s.at(1)
	if !ok {
		return tokNone, s.eof()
	}
	if s.fastTag() {
		if c == '/' {
			return tokEnd, nil
		}
		return tokStart, nil
	}
	switch c {
	case '/':
		name, k, err := s.nsname(2, "expected element name after </")
		if err != nil {
			return tokNone, err
		}
		k = s.skipSpace(k)
		if c, ok = s.at(k); !ok {
			return tokNone, s.eof()
		}
		if c != '>' {
			return tokNone, s.syntaxError(s.tok+k+1, "invalid characters between </"+string(s.buf[s.tok+name.local:s.tok+name.end])+" and >")
		}
		s.pos = s.tok + k + 1
		s.name = s.abs(name)
		return tokEnd, nil
	case '?':
		return tokNone, s.procInst()
	case '!':
		return s.bang()
	}
	return tokStart, s.startTag()
}

// abs turns a name located relative to tok into one located in buf.
func (s *xmlScanner) abs(n xmlName) xmlName {
	return xmlName{start: s.tok + n.start, local: s.tok + n.local, end: s.tok + n.end}
}

// readName reads the bytes of a name at tok+k: name bytes and all
// non-ASCII bytes. It returns the end (k when there is none).
func (s *xmlScanner) readName(k int) (int, error) {
	for {
		b := s.buf[s.tok:s.end]
		for k < len(b) && nameByte[b[k]] {
			k++
		}
		if k < len(b) {
			return k, nil
		}
		if !s.more() {
			return 0, s.eof()
		}
	}
}

// xmlNameAt reads a name at tok+k (an element's, an attribute's, a
// processing instruction's target); it returns its end, k when there is
// none.
func (s *xmlScanner) xmlNameAt(k int) (int, error) {
	if _, ok := s.at(k); !ok {
		return 0, s.eof()
	}
	e, err := s.readName(k)
	if err != nil || e == k {
		return e, err
	}
	if !isName(s.buf[s.tok+k : s.tok+e]) {
		return 0, s.syntaxError(s.tok+e, "invalid XML name: "+string(s.buf[s.tok+k:s.tok+e]))
	}
	return e, nil
}

// nsname reads an element or attribute name at tok+k; a missing name or
// one with more than one colon is the error msg.
func (s *xmlScanner) nsname(k int, msg string) (xmlName, int, error) {
	e, err := s.xmlNameAt(k)
	if err != nil {
		return xmlName{}, 0, err
	}
	if e == k {
		return xmlName{}, 0, s.syntaxError(s.tok+k, msg)
	}
	b := s.buf[s.tok+k : s.tok+e]
	n := xmlName{start: k, local: k, end: e}
	if i := bytes.IndexByte(b, ':'); i >= 0 {
		if bytes.IndexByte(b[i+1:], ':') >= 0 {
			return xmlName{}, 0, s.syntaxError(s.tok+e, msg)
		}
		if i > 0 && i < len(b)-1 {
			n.local = k + i + 1
		}
	}
	return n, e, nil
}

// isName tells whether b is an XML name. Non-ASCII names are checked by
// encoding/xml, whose tables of name characters this follows.
func isName(b []byte) bool {
	if len(b) == 0 {
		return false
	}
	ascii := true
	for _, c := range b {
		if c >= utf8.RuneSelf {
			ascii = false
			break
		}
	}
	if ascii {
		c := b[0]
		return 'A' <= c && c <= 'Z' || 'a' <= c && c <= 'z' || c == '_' || c == ':'
	}
	// A processing instruction's target is a name checked on its own.
	d := xml.NewDecoder(bytes.NewReader(append(append([]byte("<?"), b...), "?>"...)))
	tok, err := d.RawToken()
	pi, ok := tok.(xml.ProcInst)
	return err == nil && ok && pi.Target == string(b)
}

// skipSpace skips white space at tok+k; it returns the index after it.
func (s *xmlScanner) skipSpace(k int) int {
	for {
		c, ok := s.at(k)
		if !ok || c != ' ' && c != '\r' && c != '\n' && c != '\t' {
			return k
		}
		k++
	}
}

// startTag reads a start tag at tok.
func (s *xmlScanner) startTag() error {
	name, k, err := s.nsname(1, "expected element name after <")
	if err != nil {
		return err
	}
	s.attrs = s.attrs[:0]
	s.vbuf = s.vbuf[:0]
	empty := false
	for {
		k = s.skipSpace(k)
		c, ok := s.at(k)
		if !ok {
			return s.eof()
		}
		k++
		if c == '/' {
			if c, ok = s.at(k); !ok {
				return s.eof()
			}
			k++
			if c != '>' {
				return s.syntaxError(s.tok+k, "expected /> in element")
			}
			empty = true
			break
		}
		if c == '>' {
			break
		}
		k--
		an, e, err := s.nsname(k, "expected attribute name in element")
		if err != nil {
			return err
		}
		k = s.skipSpace(e)
		if c, ok = s.at(k); !ok {
			return s.eof()
		}
		k++
		if c != '=' {
			return s.syntaxError(s.tok+k, "attribute name without = in element")
		}
		k = s.skipSpace(k)
		if c, ok = s.at(k); !ok {
			return s.eof()
		}
		k++
		if c != '"' && c != '\'' {
			return s.syntaxError(s.tok+k, "unquoted or missing attribute value in element")
		}
		v := len(s.vbuf)
		if k, err = s.readAttrValue(k, c); err != nil {
			return err
		}
		// Names relative to tok until the tag is read: tok may change.
		s.attrs = append(s.attrs, xmlAttr{name: an, val: v, valEnd: len(s.vbuf), decoded: true})
	}
	s.pos = s.tok + k
	s.name = s.abs(name)
	for i := range s.attrs {
		s.attrs[i].name = s.abs(s.attrs[i].name)
	}
	s.closeNext = empty
	return nil
}

// readAttrValue decodes an attribute value at tok+k, after its opening quote,
// onto vbuf; it returns the index after the closing quote.
func (s *xmlScanner) readAttrValue(k int, quote byte) (int, error) {
	check := false
	seg := k
	start := len(s.vbuf)
	for {
		c, ok := s.at(k)
		if !ok {
			s.vbuf = append(s.vbuf, s.buf[s.tok+seg:s.tok+k]...)
			if msg := badChar(s.vbuf[start:]); msg != "" {
				return 0, s.syntaxError(s.end, msg)
			}
			return 0, s.eof()
		}
		switch {
		case c == quote:
			s.vbuf = append(s.vbuf, s.buf[s.tok+seg:s.tok+k]...)
			k++
			if check {
				if msg := badChar(s.vbuf[start:]); msg != "" {
					return 0, s.syntaxError(s.tok+k, msg)
				}
			}
			return k, nil
		case c == '<':
			return 0, s.syntaxError(s.tok+k+1, "unescaped < inside quoted string")
		case c == '&':
			s.vbuf = append(s.vbuf, s.buf[s.tok+seg:s.tok+k]...)
			e, num, err := s.entity(k, &s.vbuf)
			if err != nil {
				return 0, err
			}
			check = check || num
			k, seg = e, e
		case c == '\r':
			s.vbuf = append(append(s.vbuf, s.buf[s.tok+seg:s.tok+k]...), '\n')
			k++
			if c, ok := s.at(k); ok && c == '\n' {
				k++
			}
			seg = k
		default:
			if textClass[c] == textCheck {
				check = true
			}
			k++
		}
	}
}

// procInst skips a processing instruction at tok ("<?"); an XML
// declaration must declare version 1.0 (or none) and UTF-8 (or no
// encoding).
func (s *xmlScanner) procInst() error {
	e, err := s.xmlNameAt(2)
	if err != nil {
		return err
	}
	if e == 2 {
		return s.syntaxError(s.tok+2, "expected target name after <?")
	}
	k := s.skipSpace(e)
	start := k
	var b0 byte
	for {
		c, ok := s.at(k)
		if !ok {
			return s.eof()
		}
		k++
		if b0 == '?' && c == '>' {
			break
		}
		b0 = c
	}
	s.pos = s.tok + k
	if string(s.buf[s.tok+2:s.tok+e]) != "xml" {
		return nil
	}
	content := string(s.buf[s.tok+start : s.tok+k-2])
	if ver := procInstParam("version", content); ver != "" && ver != "1.0" {
		return fmt.Errorf("xml: unsupported version %q; only version 1.0 is supported", ver)
	}
	if enc := procInstParam("encoding", content); enc != "" && !strings.EqualFold(enc, "utf-8") {
		// OOXML and ODF are UTF-8 or UTF-16; UTF-16 parts are rare and
		// not decoded here.
		return fmt.Errorf("xml: opening charset %q: %w", enc, fmt.Errorf("unsupported XML encoding %q", enc))
	}
	return nil
}

// procInstParam returns the value of param in an XML declaration's
// content, as encoding/xml reads it: the first `param=` followed by a
// quote, up to the next such quote.
func procInstParam(param, s string) string {
	param += "="
	i := 0
	var quote byte
	for i < len(s) {
		sub := s[i:]
		k := strings.Index(sub, param)
		if k < 0 || k+len(param) >= len(sub) {
			return ""
		}
		i += k + len(param) + 1
		if c := sub[k+len(param)]; c == '\'' || c == '"' {
			quote = c
			break
		}
	}
	if quote == 0 {
		return ""
	}
	j := strings.IndexByte(s[i:], quote)
	if j < 0 {
		return ""
	}
	return s[i : i+j]
}

// bang reads markup at tok that starts "<!": a comment or a directive
// (skipped) or a CDATA section (text).
func (s *xmlScanner) bang() (xmlKind, error) {
	c, ok := s.at(2)
	if !ok {
		return tokNone, s.eof()
	}
	switch c {
	case '-':
		if c, ok = s.at(3); !ok {
			return tokNone, s.eof()
		}
		if c != '-' {
			return tokNone, s.syntaxError(s.tok+4, "invalid sequence <!- not part of <!--")
		}
		var b0, b1 byte
		for k := 4; ; k++ {
			if c, ok = s.at(k); !ok {
				return tokNone, s.eof()
			}
			if b0 == '-' && b1 == '-' {
				if c != '>' {
					return tokNone, s.syntaxError(s.tok+k+1, `invalid sequence "--" not allowed in comments`)
				}
				s.pos = s.tok + k + 1
				return tokNone, nil
			}
			b0, b1 = b1, c
		}
	case '[':
		for i := range 6 {
			if c, ok = s.at(3 + i); !ok {
				return tokNone, s.eof()
			}
			if c != "CDATA["[i] {
				return tokNone, s.syntaxError(s.tok+4+i, "invalid <![ sequence")
			}
		}
		return tokText, s.cdata(9)
	}
	return tokNone, s.directive()
}

// cdata reads the content of a CDATA section at tok+k.
func (s *xmlScanner) cdata(k int) error {
	s.tbuf = s.tbuf[:0]
	var b0, b1 byte
	check := false
	for {
		c, ok := s.at(k)
		if !ok {
			if s.rerr == io.EOF {
				return s.syntaxError(s.end, "unexpected EOF in CDATA section")
			}
			return s.rerr
		}
		k++
		if b0 == ']' && b1 == ']' && c == '>' {
			break
		}
		switch {
		case c == '\r':
			s.tbuf = append(s.tbuf, '\n')
		case b1 == '\r' && c == '\n':
		default:
			if textClass[c] == textCheck {
				check = true
			}
			s.tbuf = append(s.tbuf, c)
		}
		b0, b1 = b1, c
	}
	s.pos = s.tok + k
	s.text = s.tbuf[:len(s.tbuf)-2]
	if check {
		if msg := badChar(s.text); msg != "" {
			return s.syntaxError(s.pos, msg)
		}
	}
	return nil
}

// directive skips a directive at tok (<!DOCTYPE …>, <!ENTITY …>) the way
// encoding/xml reads it: quoted angle brackets do not count for nesting,
// comments inside are skipped.
func (s *xmlScanner) directive() error {
	var inquote byte
	depth := 0
	k := 3
	for {
		c, ok := s.at(k)
		if !ok {
			return s.eof()
		}
		k++
		if inquote == 0 && c == '>' && depth == 0 {
			break
		}
	handle:
		switch {
		case c == inquote:
			inquote = 0
		case inquote != 0:
		case c == '\'' || c == '"':
			inquote = c
		case c == '>':
			depth--
		case c == '<':
			for i := range 3 {
				if c, ok = s.at(k); !ok {
					return s.eof()
				}
				k++
				if c != "!--"[i] {
					depth++
					goto handle
				}
			}
			var b0, b1 byte
			for {
				if c, ok = s.at(k); !ok {
					return s.eof()
				}
				k++
				if b0 == '-' && b1 == '-' && c == '>' {
					break
				}
				b0, b1 = b1, c
			}
		}
	}
	s.pos = s.tok + k
	return nil
}

// asciiName: the bytes of ASCII names.
var asciiName = func() (t [256]bool) {
	for c := range 128 {
		t[c] = nameByte[c]
	}
	return t
}()

// fastName reads an ASCII name at b[k]; it returns the name (located in
// b), its end, and false when the name is not all ASCII, not followed by
// a byte in b, or not one the slow path would accept.
func fastName(b []byte, k int) (xmlName, bool) {
	start := k
	if k >= len(b) {
		return xmlName{}, false
	}
	if c := b[k]; !('A' <= c && c <= 'Z' || 'a' <= c && c <= 'z' || c == '_' || c == ':') {
		return xmlName{}, false
	}
	colon := -1
	for ; k < len(b) && asciiName[b[k]]; k++ {
		if b[k] == ':' {
			if colon >= 0 {
				return xmlName{}, false
			}
			colon = k
		}
	}
	if k >= len(b) || b[k] >= utf8.RuneSelf {
		return xmlName{}, false
	}
	if colon > start && colon < k-1 {
		return xmlName{start: start, local: colon + 1, end: k}, true
	}
	return xmlName{start: start, local: start, end: k}, true
}

func isSpace(c byte) bool { return c == ' ' || c == '\r' || c == '\n' || c == '\t' }

// fastTag reads the start or end tag at tok when it is all in the buffer,
// with ASCII names and attribute values without references, \r or
// control characters, the common case. Otherwise it returns false and
// the tag is read byte by byte.
func (s *xmlScanner) fastTag() bool {
	b := s.buf[:s.end]
	k := s.tok + 1
	if k < len(b) && b[k] == '/' {
		name, ok := fastName(b, k+1)
		if !ok {
			return false
		}
		for k = name.end; k < len(b) && isSpace(b[k]); k++ {
		}
		if k >= len(b) || b[k] != '>' {
			return false
		}
		s.name = name
		s.pos = k + 1
		return true
	}
	name, ok := fastName(b, k)
	if !ok {
		return false
	}
	k = name.end
	s.attrs = s.attrs[:0]
	empty := false
	for {
		for k < len(b) && isSpace(b[k]) {
			k++
		}
		if k >= len(b) {
			return false
		}
		if c := b[k]; c == '>' {
			k++
			break
		} else if c == '/' {
			if k+1 < len(b) && b[k+1] == '>' {
				k += 2
				empty = true
				break
			}
			return false
		}
		an, ok := fastName(b, k)
		if !ok {
			return false
		}
		for k = an.end; k < len(b) && isSpace(b[k]); k++ {
		}
		if k >= len(b) || b[k] != '=' {
			return false
		}
		for k++; k < len(b) && isSpace(b[k]); k++ {
		}
		if k >= len(b) || b[k] != '"' && b[k] != '\'' {
			return false
		}
		q := b[k]
		k++
		v := k
		check := false
		for ; k < len(b) && b[k] != q; k++ {
			switch textClass[b[k]] {
			case textPlain, textGT:
			case textCheck:
				if b[k] < utf8.RuneSelf {
					return false
				}
				check = true
			default:
				return false
			}
		}
		if k >= len(b) || check && badChar(b[v:k]) != "" {
			return false
		}
		s.attrs = append(s.attrs, xmlAttr{name: an, val: v, valEnd: k})
		k++
	}
	s.name = name
	s.pos = k
	s.closeNext = empty
	return true
}
