package docs

import (
	"bufio"
	"bytes"
	"context"
	"encoding/binary"
	"fmt"
	"io"
	"unicode/utf8"

	"github.com/piimap/piimap/internal/pump"
	"github.com/piimap/piimap/sources"
	"github.com/piimap/piimap/sources/files"
)

// ReadRTF is the files.FormatReader for Rich Text Format (WordPad's and
// many templates' format, Word's "Save as RTF"): its text as text, a line
// per paragraph, table cells separated by tabs, read as a stream. Read as
// plain text, RTF hides what Word splits into runs ("{\insrsid1 1503}
// {\insrsid2 8712486}" is one fødselsnummer) and what it escapes
// ("\'f8" is "ø"). The document's properties (title, author, company,
// comments) are read too; fonts, colours, styles, pictures and other
// destinations without text are not. Embedded objects (\objdata: an
// Excel sheet pasted into a letter) are read as files of their own,
// "brev.rtf!object 1", up to maxRTFObjects bytes in all.
func ReadRTF(ctx context.Context, f *files.Format, rd *files.Reader, sink sources.Sink) error {
	t := newRTFText(f.R)
	if err := rd.ReadText(ctx, t, f.Loc, sink); err != nil {
		return err
	}
	if t.objDropped > 0 {
		sink.Failed(f.Loc, fmt.Errorf("read %s: %d embedded object(s) beyond %d bytes not read", f.Loc.Path, t.objDropped, maxRTFObjects))
	}
	for i, o := range t.objects {
		loc := f.Loc
		loc.Field = ""
		loc.Path += fmt.Sprintf("!object %d", i+1)
		native, ok := ole1Native(o)
		if !ok {
			sink.Skipped(loc, "embedded object without data (linked, or not OLE 1 embedded)")
			continue
		}
		if f.TooDeep(rd, loc, sink) {
			continue
		}
		if err := rd.ReadStream(ctx, files.Stream{Loc: loc, Name: fmt.Sprintf("object %d", i+1), R: bytes.NewReader(native), Size: int64(len(native)), Depth: f.Depth + 1}, sink); err != nil {
			return err
		}
	}
	return nil
}

// maxRTFObjects bounds the embedded objects of one RTF document held in
// memory (decoded from their hex).
const maxRTFObjects = 64 << 20

// ole1Native returns the native data of an OLE 1 embedded object
// ([MS-OLEDS] 2.2.4: version, format 2, class, topic and item names as
// length-prefixed strings, then the data's size and the data).
func ole1Native(o []byte) ([]byte, bool) {
	le := binary.LittleEndian
	if len(o) < 8 || le.Uint32(o[4:]) != 2 {
		return nil, false
	}
	o = o[8:]
	for range 3 { // class, topic, item
		if len(o) < 4 {
			return nil, false
		}
		n := int(le.Uint32(o))
		if n < 0 || n > len(o)-4 {
			return nil, false
		}
		o = o[4+n:]
	}
	if len(o) < 4 {
		return nil, false
	}
	n := int(le.Uint32(o))
	o = o[4:]
	return o[:min(max(n, 0), len(o))], true
}

// rtfSkip are the destinations whose content is no text: tables of
// fonts, colours, styles and lists, revision ids, pictures and objects
// (hex data), theme and XML data.
var rtfSkip = map[string]bool{
	"fonttbl": true, "colortbl": true, "stylesheet": true, "listtable": true, "listoverridetable": true,
	"rsidtbl": true, "generator": true, "pict": true, "object": true, "objdata": true, "themedata": true,
	"colorschememapping": true, "datastore": true, "latentstyles": true, "xmlnstbl": true, "wgrffmtfilter": true,
	"pgptbl": true, "mmathPr": true, "filetbl": true, "revtbl": true, "panose": true, "fontemb": true,
	"bkmkstart": true, "bkmkend": true, "blipuid": true, "shppict": true, "nonshppict": true,
	"defchp": true, "defpap": true, "listpicture": true, "falt": true, "protusertbl": true, "pnseclvl": true,
	"xmlopen": true, "xmlclose": true, "xmlattrname": true, "xmlattrvalue": true, "factoidname": true,
}

// rtfKeep are the ignorable (\*) destinations whose content is text.
var rtfKeep = map[string]bool{
	"comment": true, "annotation": true, "company": true, "manager": true,
	"doccomm": true, "keywords": true, "title": true, "subject": true, "author": true, "operator": true,
	"category": true, "hlinkbase": true, "footnote": true, "shptxt": true, "userprops": true, "propname": true,
	"staticval": true, "fldrslt": true,
}

// rtfText converts RTF to text as a stream, in bounded memory.
type rtfText struct {
	r *bufio.Reader
	pump.Buffer
	// The group stack: for each open group, whether its content is
	// skipped and how many fallback characters follow a \u (\ucN).
	skip  []bool
	uc    []int
	brk   []bool // the group is a property or the properties (\info): a line break ends it
	drop  int    // fallback characters still to drop after a \u
	first bool   // the next control word is the first of its group
	star  bool   // the group started with \* (an ignorable destination)
	depth int    // groups open; the stacks hold at most maxRTFDepth
	// Embedded objects: the \objdata group being read (its depth, 0 if
	// none), its bytes decoded from hex so far, and the objects read.
	objDepth   int
	obj        []byte
	hexHalf    int // the first hex digit of a byte, or -1
	objects    [][]byte
	objBytes   int
	objDropped int
}

// maxRTFDepth bounds nested groups; deeper ones are read as one level.
const maxRTFDepth = 1024

func newRTFText(r io.Reader) *rtfText {
	return &rtfText{r: bufio.NewReaderSize(r, 32<<10), skip: []bool{false}, uc: []int{1}, brk: []bool{false}, hexHalf: -1}
}

func (t *rtfText) Read(p []byte) (int, error) { return t.Buffer.Read(p, t.step) }

// step reads up to 4 KiB of RTF.
func (t *rtfText) step() {
	for i := 0; i < 4096 && !t.Done && len(t.Out) < 4096; i++ {
		c, err := t.r.ReadByte()
		if err != nil {
			t.finish(err)
			return
		}
		switch c {
		case '{':
			t.open()
		case '}':
			t.close()
		case '\\':
			t.control()
		case '\r', '\n':
		default:
			if t.objDepth > 0 {
				t.objHex(c)
				continue
			}
			t.emit(cp1252(c)) // RTF is 7-bit; a writer that puts 8-bit bytes in means its code page
		}
	}
}

func (t *rtfText) finish(err error) {
	t.Done = true
	if err != io.EOF && err != io.ErrUnexpectedEOF { // RTF cut short is read up to the cut
		t.Err = err
	}
	t.Out = append(t.Out, '\n')
}

func (t *rtfText) skipping() bool { return t.skip[len(t.skip)-1] }

func (t *rtfText) open() {
	t.depth++
	if t.depth < maxRTFDepth {
		t.skip = append(t.skip, t.skipping())
		t.uc = append(t.uc, t.uc[len(t.uc)-1])
		t.brk = append(t.brk, false)
	}
	t.first, t.star = true, false
}

// objHex takes a hex digit of an embedded object's data.
func (t *rtfText) objHex(c byte) {
	v, ok := hexVal(c)
	if !ok {
		return
	}
	if t.hexHalf < 0 {
		t.hexHalf = int(v)
		return
	}
	if t.objBytes < maxRTFObjects {
		t.obj = append(t.obj, byte(t.hexHalf)<<4|v)
		t.objBytes++
	}
	t.hexHalf = -1
}

func (t *rtfText) close() {
	if t.depth == 0 {
		return // a stray brace
	}
	if t.objDepth > 0 && t.depth == t.objDepth {
		if t.objBytes < maxRTFObjects {
			t.objects = append(t.objects, t.obj)
		} else {
			t.objDropped++
		}
		t.obj, t.objDepth, t.hexHalf = nil, 0, -1
	}
	if t.depth < maxRTFDepth {
		brk := t.brk[len(t.brk)-1]
		t.skip = t.skip[:len(t.skip)-1]
		t.uc = t.uc[:len(t.uc)-1]
		t.brk = t.brk[:len(t.brk)-1]
		if brk {
			t.lineBreak('\n')
		}
	}
	t.depth--
	t.first, t.star = false, false
}

// emit writes a character of the document's text.
func (t *rtfText) emit(r rune) {
	t.first = false
	if t.skipping() {
		return
	}
	if t.drop > 0 {
		t.drop--
		return
	}
	t.Out = utf8.AppendRune(t.Out, r)
}

// control reads what follows a backslash: a control symbol or a control
// word with its optional numeric parameter.
func (t *rtfText) control() {
	c, err := t.r.ReadByte()
	if err != nil {
		t.finish(err)
		return
	}
	if !isLetter(c) {
		switch c {
		case '\\', '{', '}':
			t.emit(rune(c))
		case '~':
			t.emit('\u00A0')
		case '_':
			t.emit('-')
		case '\'':
			var h [2]byte
			if _, err := io.ReadFull(t.r, h[:]); err != nil {
				t.finish(err)
				return
			}
			if v, ok := hexByte(h[0], h[1]); ok {
				t.emit(cp1252(v))
			}
		case '*':
			t.star = true
			if t.first {
				// An ignorable destination: skipped unless it is known
				// to hold text (its word decides, see word).
				t.skip[len(t.skip)-1] = true
			}
		case '\r', '\n':
			t.lineBreak('\n') // \<newline> is \par
		case '-':
			// An optional hyphen: nothing.
		}
		return
	}
	word := []byte{c}
	for len(word) < 32 {
		b, err := t.r.ReadByte()
		if err != nil {
			t.finish(err)
			return
		}
		if !isLetter(b) {
			_ = t.r.UnreadByte()
			break
		}
		word = append(word, b)
	}
	neg, num, hasNum := false, 0, false
	if b, err := t.r.ReadByte(); err == nil {
		if b == '-' {
			neg = true
			b, err = t.r.ReadByte()
		}
		for err == nil && b >= '0' && b <= '9' {
			if num < 1<<30 {
				num = num*10 + int(b-'0')
			}
			hasNum = true
			b, err = t.r.ReadByte()
		}
		if err == nil && b != ' ' {
			_ = t.r.UnreadByte() // the delimiter is part of the text, except a space
		}
	}
	if neg {
		num = -num
	}
	t.word(string(word), num, hasNum)
}

// word acts on a control word.
func (t *rtfText) word(w string, num int, hasNum bool) {
	first, star := t.first, t.star
	t.first = false
	if first {
		switch {
		case star && rtfKeep[w]:
			t.skip[len(t.skip)-1] = t.parentSkipping()
		case rtfSkip[w]:
			t.skip[len(t.skip)-1] = true
		}
		if w == "objdata" && t.objDepth == 0 && t.depth < maxRTFDepth {
			t.objDepth = t.depth
		}
		switch w {
		case "info", "title", "subject", "author", "operator", "company", "manager", "keywords", "comment", "doccomm", "category":
			t.brk[len(t.brk)-1] = true
		}
	}
	switch w {
	case "par", "line", "sect", "page", "row":
		t.lineBreak('\n')
	case "cell", "nestcell", "tab":
		t.lineBreak('\t')
	case "emdash":
		t.emit('—')
	case "endash":
		t.emit('–')
	case "lquote":
		t.emit('‘')
	case "rquote":
		t.emit('’')
	case "ldblquote":
		t.emit('“')
	case "rdblquote":
		t.emit('”')
	case "bullet":
		t.emit('•')
	case "uc":
		if hasNum && num >= 0 && num < 16 {
			t.uc[len(t.uc)-1] = num
		}
	case "u":
		if hasNum {
			if num < 0 {
				num += 65536
			}
			t.emit(rune(num))
			t.drop = t.uc[len(t.uc)-1]
		}
	case "bin":
		if hasNum && num > 0 {
			_, _ = t.r.Discard(num) // binary data
		}
	}
}

// parentSkipping reports whether the group around the current one is
// skipped.
func (t *rtfText) parentSkipping() bool {
	if len(t.skip) < 2 {
		return false
	}
	return t.skip[len(t.skip)-2]
}

// lineBreak ends a paragraph or a cell, unless the group is skipped.
func (t *rtfText) lineBreak(c byte) {
	t.drop = 0
	if !t.skipping() {
		t.Out = append(t.Out, c)
	}
}

func isLetter(c byte) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }

func hexByte(a, b byte) (byte, bool) {
	h, ok1 := hexVal(a)
	l, ok2 := hexVal(b)
	return h<<4 | l, ok1 && ok2
}

func hexVal(c byte) (byte, bool) {
	switch {
	case c >= '0' && c <= '9':
		return c - '0', true
	case c >= 'a' && c <= 'f':
		return c - 'a' + 10, true
	case c >= 'A' && c <= 'F':
		return c - 'A' + 10, true
	}
	return 0, false
}
