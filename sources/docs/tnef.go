package docs

import (
	"bytes"
	"cmp"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/piimap/piimap/sources"
	"github.com/piimap/piimap/sources/files"
)

// TNEF ([MS-OXTNEF]): Exchange's "winmail.dat" (application/ms-tnef), a
// message's properties, body and attachments in one attachment.
const (
	tnefSignature = 0x223E9F78

	tnefSubject        = 0x00018004
	tnefBody           = 0x0002800C
	tnefMAPIProps      = 0x00069003
	tnefRecipTable     = 0x00069004
	tnefAttachRendData = 0x00069002
	tnefAttachTitle    = 0x00018010
	tnefAttachData     = 0x0006800F
	tnefAttachment     = 0x00069005

	// maxTNEFAttr bounds one attribute held in memory (a property list,
	// a title); attachment data is read as a stream, not held.
	maxTNEFAttr = 64 << 20
)

// ReadTNEF is the files.FormatReader for TNEF. The message's text (its
// subject, its body as text, as RTF, decompressed, and as HTML, its other
// string properties and its recipients) is read at the file's location;
// each attachment is a file of its own ("winmail.dat!kontrakt.pdf"),
// within the archive depth limit, and the attachments' names are values.
func ReadTNEF(ctx context.Context, f *files.Format, rd *files.Reader, sink sources.Sink) error {
	ra, size, release, err := f.RandomAccess(rd)
	if err != nil {
		return err
	}
	defer release()
	var head [6]byte
	if _, err := ra.ReadAt(head[:], 0); err != nil || binary.LittleEndian.Uint32(head[:]) != tnefSignature {
		return errors.New("not TNEF (no signature)")
	}
	// The attributes, in order: text to one reader, attachments noted.
	type attach struct {
		name      string
		off, size int64
		longName  string
	}
	var texts []io.Reader
	var body mapiText // the message body's forms (mapiText.body)
	var cells []mapiCell
	var atts []attach
	var cut error
	for off := int64(6); off < size; {
		if err := ctx.Err(); err != nil {
			return err
		}
		var h [9]byte
		if _, err := ra.ReadAt(h[:], off); err != nil {
			cut = fmt.Errorf("attribute at %d: %w", off, io.ErrUnexpectedEOF)
			break
		}
		id, n := binary.LittleEndian.Uint32(h[1:]), int64(binary.LittleEndian.Uint32(h[5:]))
		data := off + 9
		if data+n > size {
			cut = fmt.Errorf("attribute %#08x at %d is cut off", id, off)
			n = size - data
		}
		switch id {
		case tnefAttachRendData:
			atts = append(atts, attach{})
		case tnefAttachTitle:
			if len(atts) > 0 {
				atts[len(atts)-1].name = tnefString(ra, data, min(n, 1024))
			}
		case tnefAttachData:
			if len(atts) == 0 {
				atts = append(atts, attach{})
			}
			atts[len(atts)-1].off, atts[len(atts)-1].size = data, n
		case tnefSubject, tnefBody:
			texts = append(texts, io.NewSectionReader(ra, data, n), strings.NewReader("\n"))
			body.text = body.text || id == tnefBody && n > 0
		case tnefMAPIProps, tnefRecipTable, tnefAttachment:
			if n > maxTNEFAttr {
				sink.Failed(f.Loc, fmt.Errorf("read %s: a property list of %d bytes, more than %d", f.Loc.Path, n, maxTNEFAttr))
				break
			}
			b := make([]byte, n)
			if _, err := ra.ReadAt(b, data); err != nil {
				break
			}
			if id == tnefRecipTable {
				b = skipRowCount(b)
			}
			props := mapiProps(b, id == tnefRecipTable)
			for _, p := range props.texts {
				texts = append(texts, p, strings.NewReader("\n"))
			}
			if id == tnefMAPIProps { // the message's body, in its forms
				body.text = body.text || props.text
				body.html, body.rtf = cmp.Or(props.html, body.html), cmp.Or(props.rtf, body.rtf)
			}
			if id != tnefAttachment {
				cells = append(cells, props.cells...)
			}
			if id == tnefAttachment && len(atts) > 0 && props.longName != "" {
				atts[len(atts)-1].longName = props.longName
			}
		}
		if cut != nil {
			break
		}
		off = data + n + 2 // the checksum
	}
	if r := body.body(); r != nil {
		texts = append(texts, r, strings.NewReader("\n"))
	}
	if err := rd.ReadText(ctx, io.MultiReader(texts...), f.Loc, sink); err != nil {
		return err
	}
	if err := mapiCells(ctx, cells, f.Loc, 1, sink); err != nil {
		return err
	}
	if cut != nil {
		sink.Failed(f.Loc, fmt.Errorf("read %s: %w", f.Loc.Path, cut))
	}
	var names []string
	for i, a := range atts {
		name := a.longName
		if name == "" {
			name = a.name
		}
		if name = strings.ReplaceAll(strings.TrimSpace(name), "!", "_"); name == "" {
			name = fmt.Sprintf("attachment %d", i+1)
		}
		names = append(names, name)
		loc := f.Loc
		loc.Field = ""
		loc.Path += "!" + name
		if f.TooDeep(rd, loc, sink) {
			continue
		}
		sec := io.NewSectionReader(ra, a.off, a.size)
		if err := rd.ReadStream(ctx, files.Stream{Loc: loc, Name: name, R: sec, Size: a.size, Depth: f.Depth + 1}, sink); err != nil {
			return err
		}
	}
	if len(names) > 0 && rd.Options().Names {
		u := &sources.NamesUnit{Loc: sources.Location{Target: f.Loc.Target, Path: f.Loc.Path + "!"}, Names: sources.NameListOf(names...)}
		return u.Read(ctx, sink)
	}
	return nil
}

// tnefString reads an 8-bit, NUL-terminated TNEF string (Windows-1252).
func tnefString(ra io.ReaderAt, off, n int64) string {
	b := make([]byte, max(n, 0))
	k, _ := ra.ReadAt(b, off)
	b = b[:k]
	if i := bytes.IndexByte(b, 0); i >= 0 {
		b = b[:i]
	}
	return string(cp1252Lines(nil, b, nil))
}

// skipRowCount drops a recipient table's row count; the rows' property
// lists follow.
func skipRowCount(b []byte) []byte {
	if len(b) < 4 {
		return nil
	}
	return b[4:]
}

// mapiText is what a property list holds: its text, and an attachment's
// long file name.
type mapiText struct {
	texts    []io.Reader
	longName string
	// The body's forms: as text (PR_BODY), HTML and compressed RTF. Outlook
	// keeps one body in two or three forms; it is read once (body).
	text      bool
	html, rtf io.Reader
	// cells are the values of the properties of people (mapiColumns), by
	// their columns; recipients: the properties are a recipient table's.
	cells      []mapiCell
	recipients bool
}

// mapiCell is a value of a column of people's properties (mapiColumns).
type mapiCell struct{ col, value string }

// body returns the reader of the body's form to read beside the texts:
// none when the body is there as text (among the texts), else the HTML
// body, else the RTF one (nil for none).
func (m *mapiText) body() io.Reader {
	switch {
	case m.text:
		return nil
	case m.html != nil:
		return m.html
	}
	return m.rtf
}

// MAPI property types ([MS-OXCDATA] 2.11.1).
const (
	ptString8 = 0x001E
	ptUnicode = 0x001F
	ptBinary  = 0x0102
	ptObject  = 0x000D
	ptMulti   = 0x1000
)

// mapiProps reads a property list ([MS-OXTNEF] 2.1.3.4: a count, then
// tagged values), or, for a recipient table, a sequence of them (one per
// recipient). Strings are text; the compressed RTF body is decompressed
// and read as RTF, the HTML body as HTML; other binary values are read
// for their runs of text. A list that ends early gives what came before.
func mapiProps(b []byte, rows bool) mapiText {
	out := mapiText{recipients: rows}
	le := binary.LittleEndian
	for len(b) >= 4 {
		count := int(le.Uint32(b))
		b = b[4:]
		for i := 0; i < count && len(b) >= 4; i++ {
			tag := le.Uint32(b)
			typ, id := tag&0xFFFF, tag>>16
			b = b[4:]
			if id >= 0x8000 { // a named property: GUID, kind, ID or name
				if len(b) < 20 {
					return out
				}
				kind := le.Uint32(b[16:])
				b = b[20:]
				switch kind {
				case 0:
					if len(b) < 4 {
						return out
					}
					b = b[4:]
				case 1:
					if len(b) < 4 {
						return out
					}
					n := pad4(int(le.Uint32(b)))
					if n < 0 || 4+n > len(b) {
						return out
					}
					b = b[4+n:]
				default:
					return out
				}
			}
			values := 1
			multi := typ&ptMulti != 0
			base := typ &^ ptMulti
			variable := base == ptString8 || base == ptUnicode || base == ptBinary || base == ptObject
			if multi || variable {
				if len(b) < 4 {
					return out
				}
				values = int(le.Uint32(b))
				b = b[4:]
			}
			for v := 0; v < values; v++ {
				if !variable {
					size := fixedSize(base)
					if size < 0 || size > len(b) {
						return out
					}
					b = b[size:]
					continue
				}
				if len(b) < 4 {
					return out
				}
				n := int(le.Uint32(b))
				if n < 0 || pad4(n) > len(b)-4 || pad4(n) < n {
					return out
				}
				val := b[4 : 4+n]
				b = b[4+pad4(n):]
				out.add(id, base, val)
			}
		}
		if !rows {
			break
		}
	}
	return out
}

// add takes one value of property id.
func (m *mapiText) add(id, typ uint32, val []byte) {
	switch {
	case typ == ptUnicode || typ == ptString8:
		var s string
		if typ == ptUnicode {
			s = decodeUTF16LE(val)
		} else {
			s = strings.TrimRight(string(cp1252Lines(nil, val, nil)), "\x00")
		}
		if id == 0x3707 { // PR_ATTACH_LONG_FILENAME
			m.longName = s
		}
		m.text = m.text || id == 0x1000 && strings.TrimSpace(s) != "" // PR_BODY
		col := mapiColumns[uint16(id)]
		if m.recipients && id == 0x3001 { // PR_DISPLAY_NAME
			col = mapiRecipientColumn
		}
		if v := strings.TrimSpace(strings.TrimRight(s, "\x00")); col != "" && v != "" {
			m.cells = append(m.cells, mapiCell{col, v})
		}
		if label := mapiLabels[id]; label != "" && s != "" {
			s = label + ": " + s // what the value is, as its column name would say
		}
		m.texts = append(m.texts, strings.NewReader(s))
	case id == 0x1009: // PR_RTF_COMPRESSED
		m.rtf = newRTFText(newLZFu(bytes.NewReader(val)))
	case id == 0x1013: // PR_HTML
		m.html = files.HTMLText(bytes.NewReader(val))
	case typ == ptBinary:
		m.texts = append(m.texts, newTextRuns(bytes.NewReader(val)))
	}
}

// mapiCells hands over cells of people's properties as values of their
// columns at loc (loc.Field the column), on line (a message's number),
// and announces the columns, as of one row.
func mapiCells(ctx context.Context, cells []mapiCell, loc sources.Location, line int64, sink sources.Sink) error {
	n := map[string]int64{}
	if err := sendCells(ctx, cells, loc, line, n, sink); err != nil {
		return err
	}
	for col, k := range n {
		l := loc
		l.Field = col
		sink.Column(sources.Column{Loc: l, Type: "MAPI property", Rows: 1, NonNull: k})
	}
	return nil
}

// sendCells hands over cells as mapiCells does, counting them by column
// in n, without announcing the columns.
func sendCells(ctx context.Context, cells []mapiCell, loc sources.Location, line int64, n map[string]int64, sink sources.Sink) error {
	for _, c := range cells {
		l := loc
		l.Field = c.col
		n[c.col]++
		if err := sink.Text(ctx, &sources.Chunk{Loc: l, Data: []byte(c.value), Line: line, OneLine: true, Row: line}); err != nil {
			return err
		}
	}
	return nil
}

// mapiLabels name the string properties whose values are telephone
// numbers and e-mail addresses ([MS-OXPROPS]): in a contact (a PST's
// contacts folder, a TNEF recipient) a value stands alone, and its label
// is the context a column name gives (mobile: +47 …).
var mapiLabels = map[uint32]string{
	0x3A08: "business phone", 0x3A09: "home phone", 0x3A1A: "primary phone", 0x3A1B: "business phone",
	0x3A1C: "mobile phone", 0x3A1D: "radio phone", 0x3A1E: "car phone", 0x3A1F: "other phone",
	0x3A21: "pager", 0x3A23: "fax", 0x3A24: "business fax", 0x3A25: "home fax", 0x3A2E: "assistant phone",
	0x3A2F: "home phone", 0x3A2D: "isdn", 0x3A02: "callback phone", 0x3A57: "company phone",
	0x39FE: "e-mail", 0x3003: "e-mail", 0x0C1F: "e-mail", 0x0065: "e-mail", 0x5D01: "e-mail", 0x5D02: "e-mail",
}

// fixedSize is the size in a property list of a value of a fixed-size
// type (padded to 4 bytes), -1 for an unknown type.
func fixedSize(typ uint32) int {
	switch typ {
	case 0x0002, 0x0003, 0x0004, 0x000A, 0x000B: // short, long, float, error, boolean
		return 4
	case 0x0005, 0x0006, 0x0007, 0x0014, 0x0040: // double, currency, apptime, int64, systime
		return 8
	case 0x0048: // GUID
		return 16
	case 0x0001: // null
		return 0
	}
	return -1
}

// pad4 rounds n up to a multiple of 4.
func pad4(n int) int { return (n + 3) &^ 3 }
