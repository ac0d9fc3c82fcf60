package sources

import (
	"bytes"
	"encoding/binary"
	"html"
	"strings"
)

// XMLMaxDepth is how many levels of elements an XMLKeyReader follows;
// deeper elements are counted but do not appear in the path.
const XMLMaxDepth = 32

// xmlMaxName is the longest element name a path spells out; a longer one
// is written "*", and a state keeps at most xmlMaxName+1 bytes of one.
const xmlMaxName = 128

// xmlMode is what an XMLKeyReader is inside of.
type xmlMode uint8

const (
	xmlText    xmlMode = iota // an element's content
	xmlOpen                   // after '<'
	xmlBang                   // after "<!": "--" or "[CDATA[" or a declaration
	xmlName                   // a start tag's name
	xmlEndName                // an end tag's name
	xmlTag                    // a tag, after its name: attributes
	xmlComment                // <!-- … -->
	xmlCDATA                  // <![CDATA[ … ]]>
	xmlDecl                   // <? … ?>, <!DOCTYPE … >: to '>' (match 1: in [ … ], 2: after its ']')
)

// XMLState is where an XML document stands at a position: the elements
// open there, and what the position is inside of (content, a tag, a
// comment, a CDATA section). An XMLKeyReader started there (ResetState)
// gives the paths a reader of the whole document gives. The zero value is
// the document's start.
type XMLState struct {
	names [][]byte // the open elements' local names, at most XMLMaxDepth, each capped
	depth int
	mode  xmlMode
	quote byte   // xmlTag: the quote of an attribute value being read, or 0; xmlBang: '-' or '['
	slash bool   // xmlTag: the byte before was a '/' outside a value (<x/>)
	name  []byte // xmlName, xmlEndName: the local name read so far, capped
	match int    // bytes matched of what ends or names the construct ("-->", "]]>", "[CDATA[")
}

// XMLKeyReader gives the element path of positions in XML text: the local
// names of the open elements joined with "." ("Kunder.Kunde.Epost"), for
// content, and for a start tag its own element's path. It reads on from
// the last position asked for, from a checkpoint for a position behind
// it (SetCheckpoints), like JSONKeyReader. It never fails on broken XML;
// it reads it as well as it can, in memory bounded by XMLMaxDepth and
// xmlMaxName.
type XMLKeyReader struct {
	line []byte
	seed *XMLState
	st   XMLState // the state at line[next]
	next int
	cps  checkpoints[XMLState]
	// The element's content being reported by EachValue or OnValue's fn,
	// after valHi: the end of the last value reported.
	each             func(key []byte, s, e int)
	eachFrom, eachTo int
	valHi            int
	textStart        int // where the current content began, or -1 (EachValue)
	valStart         int // where the attribute value being read began, or -1 (EachValue)
	cdataStart       int // where the CDATA section being read began, or -1 (EachValue)
	attrKey          []byte
	attr             []byte // the attribute whose value is being reported
	textAt           int    // where the content at next began (0: before the line)
	pc               pathCache
	// onText, when set (OnText), receives each content advance reads
	// past, from recHi on.
	onText func(lo, hi int, path string)
	recHi  int
}

// OnText makes the reader tell fn, as it reads past an element's content
// that is not only white space (up to the next '<'), what Span gives for
// the positions inside it: lo is where the content began (as Span's lo),
// hi the '<' after it, path the element path. A content is told once
// however often the reader goes back over it, so that several detectors'
// readings of one document can be shared (the scanner keeps the spans).
func (r *XMLKeyReader) OnText(fn func(lo, hi int, path string)) { r.onText = fn }

// ResetState starts reading line, whose first byte follows a document's
// part that left st (nil: the document's start). The reader keeps st,
// which must not change while it reads line.
func (r *XMLKeyReader) ResetState(line []byte, st *XMLState) {
	r.line, r.seed = line, st
	r.recHi, r.valHi = 0, 0
	r.cps.reset()
	r.restart()
}

// SetCheckpoints makes the reader keep its state every bytes (0: never).
func (r *XMLKeyReader) SetCheckpoints(every int) { r.cps.every = every }

func (r *XMLKeyReader) restart() {
	r.next, r.textAt = 0, 0
	r.textStart, r.valStart, r.cdataStart = -1, -1, -1
	if r.seed != nil {
		r.st.copyFrom(r.seed)
	} else {
		r.st.copyFrom(&XMLState{})
	}
}

// copyFrom makes s a copy of o that shares none of its storage.
func (s *XMLState) copyFrom(o *XMLState) {
	s.names, s.depth = s.names[:0], 0
	for _, n := range o.names {
		s.push(n)
	}
	s.depth, s.mode, s.quote, s.slash, s.match = o.depth, o.mode, o.quote, o.slash, o.match
	s.name = append(s.name[:0], o.name...)
}

// At returns the element path at line[pos].
func (r *XMLKeyReader) At(pos int) string {
	p, _, _ := r.Span(pos)
	return p
}

// Span returns the element path at line[pos] and the positions [lo, hi)
// around it known to have the same path: the content it is in, up to the
// next '<' or the end of the line, from its start (in the line).
func (r *XMLKeyReader) Span(pos int) (path string, lo, hi int) {
	if pos < 0 || pos >= len(r.line) {
		return "", pos, pos + 1
	}
	r.advance(pos)
	lo, hi = pos, pos+1
	if r.st.mode == xmlText {
		lo = r.textAt
		if i := bytes.IndexByte(r.line[pos:], '<'); i >= 0 {
			hi = pos + i
		} else {
			hi = len(r.line)
		}
	}
	return r.path(), lo, hi
}

// path joins the open elements' names (with the name of a start tag being
// read: its attributes are its own).
func (r *XMLKeyReader) path() string {
	n := min(r.st.depth, XMLMaxDepth)
	if !r.pc.on() {
		return r.buildPath(n)
	}
	// The signature: each name with its length, all buildPath reads.
	sig := r.pc.sig[:0]
	for _, name := range r.st.names[:n] {
		sig = binary.AppendUvarint(sig, uint64(len(name)))
		sig = append(sig, name...)
	}
	return r.pc.get(sig, func() string { return r.buildPath(n) })
}

// buildPath joins the names of the first n open elements.
func (r *XMLKeyReader) buildPath(n int) string {
	var b strings.Builder
	for i := 0; i < n; i++ {
		if i > 0 {
			b.WriteByte('.')
		}
		writeKey(&b, r.st.names[i], xmlMaxName)
	}
	return b.String()
}

// writeKey writes a key of a key path: "*" for one written like a value
// (DataLike: an id, a date, an address used as a key) or longer than
// maxLen, which is data, not a name.
func writeKey(b *strings.Builder, key []byte, maxLen int) {
	if len(key) > maxLen || DataLike(key) {
		b.WriteByte('*')
		return
	}
	writeUTF8(b, key)
}

// CurrentPath returns the path of the content being reported (EachValue);
// for an attribute's value, the element's path and "@" and the attribute
// ("Ansatte.Ansatt.@navn").
func (r *XMLKeyReader) CurrentPath() string {
	p := r.path()
	if r.attr != nil {
		var b strings.Builder
		b.WriteString(p)
		b.WriteString(".@")
		writeKey(&b, r.attr, xmlMaxName)
		return b.String()
	}
	return p
}

// endCDATA reports the CDATA section that ended at line[end] as its
// element's content (<Navn><![CDATA[Kari Nordmann]]></Navn>), for
// EachValue.
func (r *XMLKeyReader) endCDATA(end int) {
	s := r.cdataStart
	r.cdataStart = -1
	r.report(nil, s, end)
}

// endAttr reports the attribute value that ended at line[end] (EachValue).
func (r *XMLKeyReader) endAttr(end int) {
	s := r.valStart
	r.valStart = -1
	if len(r.attrKey) > 0 {
		r.report(r.attrKey, s, end)
	}
}

// attrNameBefore returns the local name of the attribute whose value's
// quote is at line[q] (name="…", name = '…'), or nil.
func attrNameBefore(line []byte, q int) []byte {
	i := q - 1
	for i >= 0 && isXMLSpace(line[i]) {
		i--
	}
	if i < 0 || line[i] != '=' {
		return nil
	}
	i--
	for i >= 0 && isXMLSpace(line[i]) {
		i--
	}
	end := i + 1
	for i >= 0 && !isXMLSpace(line[i]) && line[i] != '"' && line[i] != '\'' && line[i] != '<' && line[i] != ':' {
		i--
	}
	return line[i+1 : end]
}

// EachValue reads the whole line and calls fn for every element content
// that is text (not only spaces) and starts in line[from:to], with the
// element's local name as key and the text, spaces trimmed, as
// line[s:e]; and for every attribute value there, with the attribute's
// local name as key. Content cut by the line's end is not reported.
func (r *XMLKeyReader) EachValue(from, to int, fn func(key []byte, s, e int)) {
	r.each, r.eachFrom, r.eachTo = fn, from, to
	r.advance(len(r.line))
	r.each = nil
}

// OnValue makes the reader call fn, as it reads past them, for the values
// EachValue would call it for (those that start in line[from:to]), each
// once however often the reader goes back over them; a nil fn stops it.
// Readers asked for paths (At, Span) then report the values they read
// past, and ReadRest the rest: one reading of a document for both. (A
// reader goes back only to checkpoints at a content's start, so that a
// content is never reported from its middle.)
func (r *XMLKeyReader) OnValue(fn func(key []byte, s, e int), from, to int) {
	r.each, r.eachFrom, r.eachTo = fn, from, to
}

// ReadRest reads on to the line's end from the furthest value reported
// since OnValue (from its nearest checkpoint, when the reader went back),
// so that OnValue's fn has been called for every value.
func (r *XMLKeyReader) ReadRest() {
	if cp := r.cps.before(r.valHi); cp != nil && cp.off > r.next {
		r.next = cp.off
		r.st.copyFrom(&cp.st)
		r.textAt, r.textStart, r.valStart, r.cdataStart = r.next, -1, -1, -1
	}
	r.advance(len(r.line))
}

// StateAt sets st to the state at line[pos] (0 ≤ pos ≤ len(line)).
func (r *XMLKeyReader) StateAt(pos int, st *XMLState) {
	pos = max(0, min(pos, len(r.line)))
	r.advance(pos)
	st.copyFrom(&r.st)
}

func (r *XMLKeyReader) checkpoint() {
	r.cps.slot(r.next).copyFrom(&r.st)
}

// advance reads line up to pos (exclusive): afterwards r.st is the state
// at line[pos] and r.next == pos. It reads a byte at a time, but content
// and declarations up to the next byte that matters.
func (r *XMLKeyReader) advance(pos int) {
	if pos < r.next {
		if cp := r.cps.before(pos + 1); cp == nil {
			r.restart()
		} else {
			r.next = cp.off
			r.st.copyFrom(&cp.st)
			r.textAt, r.textStart, r.valStart, r.cdataStart = r.next, -1, -1, -1
		}
	}
	line := r.line
	st := &r.st
	for r.next < pos {
		i := r.next
		switch st.mode {
		case xmlText:
			// Checkpoints only at a content's start (textAt), so that a
			// reader that goes back reads each content whole.
			if i == r.textAt && r.cps.due(i) {
				r.checkpoint()
			}
			if r.each != nil && r.textStart < 0 {
				r.textStart = i
			}
			j := bytes.IndexByte(line[i:pos], '<')
			if j < 0 {
				r.next = pos
				continue
			}
			if r.onText != nil && r.textAt >= r.recHi && i+j > r.textAt && !xmlBlank(line[r.textAt:i+j]) {
				r.onText(r.textAt, i+j, r.path())
				r.recHi = i + j
			}
			r.endText(i + j)
			r.next = i + j + 1
			st.mode = xmlOpen
			continue
		case xmlDecl:
			// To '>'; a DOCTYPE's internal subset ([ … ]) to "]>",
			// whatever its declarations hold (<!ENTITY e "<email>…">).
			if st.match == 0 {
				ends := ">"
				if st.quote == '!' {
					ends = "[>" // <!DOCTYPE … [
				}
				j := bytes.IndexAny(line[i:pos], ends)
				if j < 0 {
					r.next = pos
					continue
				}
				r.next = i + j + 1
				if line[i+j] == '[' {
					st.match = 1
				} else {
					r.toText()
				}
				continue
			}
			c := line[i]
			r.next++
			switch {
			case c == ']':
				st.match = 2
			case c == '>' && st.match == 2:
				r.toText()
			case !isXMLSpace(c):
				st.match = 1
			}
			continue
		}
		switch st.mode {
		case xmlName, xmlEndName:
			// The name up to its end, at once.
			j := i
			for j < pos && !xmlNameEnd[line[j]] {
				j++
			}
			if j > i {
				if len(st.name)+j-i <= xmlMaxName+1 {
					st.name = append(st.name, line[i:j]...)
				} else {
					st.name = append(st.name, line[i:i+max(0, xmlMaxName+1-len(st.name))]...)
				}
				r.next = j
				continue
			}
		case xmlTag:
			// Attributes up to the next byte that matters.
			if st.quote != 0 {
				j := bytes.IndexByte(line[i:pos], st.quote)
				if j < 0 {
					r.next = pos
					continue
				}
				r.next = i + j + 1
				st.quote = 0
				r.endAttr(i + j)
				continue
			}
			j := i
			for j < pos && !xmlTagByte[line[j]] {
				j++
			}
			if j > i {
				st.slash = false
				r.next = j
				continue
			}
		}
		c := line[i]
		r.next++
		switch st.mode {
		case xmlOpen:
			switch {
			case c == '!':
				st.mode, st.quote, st.match = xmlBang, 0, 0
			case c == '?':
				st.mode, st.quote, st.match = xmlDecl, '?', 0
			case c == '/':
				st.mode, st.name = xmlEndName, st.name[:0]
			case c == ':' || c == '_' || c >= 0x80 || c|0x20 >= 'a' && c|0x20 <= 'z':
				st.mode, st.name = xmlName, append(st.name[:0], c)
			default:
				r.toText() // "a < b": the '<' was text
			}
		case xmlBang:
			const cdata = "[CDATA["
			switch {
			case st.quote == 0 && c == '-':
				st.quote = '-'
			case st.quote == '-' && c == '-':
				st.mode, st.match = xmlComment, 0
			case st.quote == 0 && c == '[':
				st.quote, st.match = '[', 1
			case st.quote == '[' && c == cdata[st.match]:
				st.match++
				if st.match == len(cdata) {
					st.mode, st.match = xmlCDATA, 0
					r.cdataStart = r.next
				}
			case c == '>':
				r.toText()
			default:
				st.mode, st.quote, st.match = xmlDecl, '!', 0 // <!DOCTYPE …>, <!ELEMENT …>
			}
		case xmlName, xmlEndName:
			// A byte of xmlNameEnd: the fast loop above read the rest.
			if c == ':' {
				st.name = st.name[:0] // a namespace prefix: the local name follows
			} else {
				r.endName(c)
			}
		case xmlTag:
			// A byte of xmlTagByte outside a value: the fast loop above
			// read the rest.
			switch {
			case c == '"' || c == '\'':
				st.quote, st.slash = c, false
				if r.each != nil {
					r.valStart, r.attrKey = r.next, attrNameBefore(line, i)
				}
			case c == '/':
				st.slash = true
			case c == '>':
				if st.slash {
					r.pop() // <x a="1"/>: empty
				}
				r.toText()
			}
		case xmlComment, xmlCDATA:
			end := "-->"
			if st.mode == xmlCDATA {
				end = "]]>"
			}
			switch {
			case c == end[st.match]:
				st.match++
				if st.match == len(end) {
					if st.mode == xmlCDATA {
						r.endCDATA(r.next - len(end))
					}
					r.toText()
				}
			case st.match == 2 && c == end[1]:
				// "--->", "]]]>": the last two still match
			case c == end[0]:
				st.match = 1
			default:
				st.match = 0
			}
		}
	}
}

// toText starts an element's content at line[r.next].
func (r *XMLKeyReader) toText() {
	st := &r.st
	st.mode, st.match, st.quote, st.slash = xmlText, 0, 0, false
	r.textAt, r.textStart = r.next, -1
}

// endName ends a tag's name at c: a start tag's element opens, an end
// tag's closes.
func (r *XMLKeyReader) endName(c byte) {
	st := &r.st
	if st.mode == xmlEndName {
		r.pop()
	} else if len(st.name) == 0 {
		r.push(noLocalName) // <a:>, broken: its content still has a path
	} else {
		r.push(st.name)
	}
	st.mode, st.quote, st.slash = xmlTag, 0, false
	switch {
	case c == '>':
		r.toText()
	case c == '/' && r.st.depth > 0:
		st.slash = true // <x/>
	}
}

// noLocalName stands for the local name of an element that has none
// (<a:>), as a name written like a value does.
var noLocalName = []byte("*")

func (r *XMLKeyReader) push(name []byte) {
	r.st.push(name)
}

// push opens an element, reusing the storage of names popped before.
func (st *XMLState) push(name []byte) {
	if st.depth < XMLMaxDepth {
		if st.depth < cap(st.names) {
			st.names = st.names[:st.depth+1]
			st.names[st.depth] = append(st.names[st.depth][:0], name...)
		} else {
			st.names = append(st.names, append([]byte(nil), name...))
		}
	}
	st.depth++
}

func (r *XMLKeyReader) pop() {
	st := &r.st
	if st.depth > 0 {
		st.depth--
		if st.depth < len(st.names) {
			st.names = st.names[:st.depth]
		}
	}
}

// endText reports the content that ended at line[end] (EachValue).
func (r *XMLKeyReader) endText(end int) {
	s := r.textStart
	r.textStart = -1
	r.report(nil, s, end)
}

// report hands line[s:end], spaces trimmed, to EachValue's fn as the value
// of the current element (attr nil) or of its attribute attr, when there
// is a fn, s is known (not -1), the value is not empty, starts in
// [eachFrom, eachTo) and is inside an element.
func (r *XMLKeyReader) report(attr []byte, s, end int) {
	if r.each == nil || s < r.valHi {
		return // none, or reported before the reader went back (s -1: not known)
	}
	raw := end
	for s < end && isXMLSpace(r.line[s]) {
		s++
	}
	for end > s && isXMLSpace(r.line[end-1]) {
		end--
	}
	if s == end || s < r.eachFrom || s >= r.eachTo || r.st.depth == 0 || r.st.depth > XMLMaxDepth {
		return
	}
	r.valHi = raw
	if attr == nil {
		r.each(r.st.names[r.st.depth-1], s, end)
		return
	}
	r.attr = attr
	r.each(attr, s, end)
	r.attr = nil
}

// xmlNameEnd marks the bytes that end a tag's name or split it (':', a
// namespace prefix's end); xmlTagByte those that matter in a tag's
// attributes. Constant lookup tables.
var (
	xmlNameEnd = byteSet(">/: \t\n\r")
	xmlTagByte = byteSet("\"'/>")
)

func byteSet(bs string) (t [256]bool) {
	for i := 0; i < len(bs); i++ {
		t[bs[i]] = true
	}
	return t
}

func isXMLSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }

// xmlBlank reports whether b is only white space: the indentation between
// a pretty-printed document's tags, which holds no value to tell of.
func xmlBlank(b []byte) bool {
	for _, c := range b {
		if !isXMLSpace(c) {
			return false
		}
	}
	return true
}

// UnescapeXML returns XML text with its character and entity references
// decoded (&amp;, &#229;).
func UnescapeXML(raw []byte) string {
	if bytes.IndexByte(raw, '&') < 0 {
		return string(raw)
	}
	return html.UnescapeString(string(raw))
}
