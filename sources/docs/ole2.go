package docs

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math"
	"path"
	"slices"
	"strconv"
	"strings"
	"unicode/utf16"
	"unicode/utf8"

	"golang.org/x/text/encoding/charmap"

	"github.com/piimap/piimap/internal/pump"
	"github.com/piimap/piimap/sources"
	"github.com/piimap/piimap/sources/docs/cfb"
	"github.com/piimap/piimap/sources/files"
)

// Limits for OLE2 compound files.
const (
	// minTextRun is the fewest characters a run of text in a binary
	// stream needs to be read.
	minTextRun = 4
	// maxOLE2Run cuts a run of text this long into lines.
	maxOLE2Run = 16 << 10
)

// ReadOLE2 is the files.FormatReader for OLE2 compound files (Compound
// File Binary): legacy Word .doc, Excel .xls, PowerPoint .ppt, Outlook
// .msg, and anything else stored so. Their text is read as one text at
// the file's location:
//   - an Outlook message's string properties (subject, body, sender,
//     recipients, headers) as they are, UTF-16 or 8-bit, its HTML body as
//     HTML (files.HTMLText) and its compressed RTF body as RTF;
//   - every other stream as the runs of text in it, 8-bit Windows-1252 or
//     UTF-16 (a .doc's paragraphs, an .xls's shared strings, a .ppt's text,
//     the author and company of the summary information), each run a line;
//   - an Excel 97–2003 workbook (.xls, BIFF8) sheet by sheet, as an xlsx
//     is read: column by column under the header row's names
//     ("ansatte.xls!Ark1#Fødselsnummer"), its sheet names as values; an
//     older workbook (BIFF5) as text runs and the numbers of its cells.
//
// A message's attachments are read as files of their own
// ("mail.msg!kontrakt.pdf"), nested within the archive depth limit, and
// their names as values ("mail.msg!#(file names)", unless Options.Names
// is off). An encrypted document (an "EncryptedPackage" stream, or a
// workbook with a password to open) is skipped as such. Content without
// random access is spooled first (at most MaxArchiveBytes). A stream
// that cannot be read to its end (a file cut short) is a failure of the
// file; the streams after it are read.
func ReadOLE2(ctx context.Context, f *files.Format, rd *files.Reader, sink sources.Sink) error {
	ra, size, release, err := f.RandomAccess(rd)
	if err != nil {
		return err
	}
	defer release()
	cf, err := cfb.Open(ra, size)
	if err != nil {
		return err
	}
	entries := cf.Entries()
	var attachments []cfb.Entry
	for _, e := range entries {
		switch {
		case e.Stream && e.Path == "EncryptedPackage":
			sink.Skipped(f.Loc, "encrypted document")
			return nil
		case e.Stream && msgAttachData(e.Path):
			attachments = append(attachments, e)
		}
	}
	// An Excel 97–2003 workbook is read sheet by sheet, as an xlsx; its
	// stream is then not read as text runs. So is a workbook embedded in a
	// document (a .doc's ObjectPool/_1234/Workbook), at its storage's path
	// ("rapport.doc!ObjectPool/_1234!Ark1").
	type book struct {
		loc    sources.Location
		sheets []string
	}
	var books []book
	for i := 0; i < len(entries); i++ {
		e := entries[i]
		if !e.Stream || path.Base(e.Path) != "Workbook" {
			continue
		}
		loc := f.Loc
		if dir := path.Dir(e.Path); dir != "." {
			loc.Field = ""
			loc.Path += "!" + dir
		}
		r, err := cf.Open(e)
		if err != nil {
			continue
		}
		names, err := readXLS(ctx, r, loc, sink)
		switch {
		case err == nil:
			books = append(books, book{loc, names})
			entries = slices.Delete(slices.Clone(entries), i, i+1)
			i--
		case errors.Is(err, errXLSEncrypted) && loc == f.Loc:
			sink.Skipped(f.Loc, "encrypted document")
			return nil
		case errors.Is(err, errXLSEncrypted):
			sink.Skipped(loc, "encrypted workbook")
		case errors.Is(err, errSink) || ctx.Err() != nil:
			if ctx.Err() != nil {
				return ctx.Err()
			}
			return errors.Unwrap(err)
		case !errors.Is(err, errNotBIFF8):
			sink.Failed(loc, fmt.Errorf("read %s: workbook: %w; read as text instead", loc.Path, err))
		}
	}
	st := &ole2Text{f: cf, entries: oneBody(entries)}
	if err := rd.ReadText(ctx, st, f.Loc, sink); err != nil {
		return err
	}
	if err := msgColumns(ctx, cf, entries, f.Loc, sink); err != nil {
		return err
	}
	for _, b := range books {
		if len(b.sheets) > 0 && rd.Options().Names {
			u := &sources.NamesUnit{Loc: sources.Location{Target: b.loc.Target, Path: b.loc.Path + "!"}, Names: sources.NameListOf(b.sheets...), Sheets: true}
			if err := u.Read(ctx, sink); err != nil {
				return err
			}
		}
	}
	if len(st.failed) > 0 {
		sink.Failed(f.Loc, fmt.Errorf("read %s: %d stream(s) could not be read to their end (first: %s: %w)",
			f.Loc.Path, len(st.failed), st.failed[0], st.firstErr))
	}
	var names []string
	for _, e := range attachments {
		name := attachName(cf, e)
		names = append(names, name)
		if err := readAttachment(ctx, f, rd, cf, e, name, sink); err != nil {
			return err
		}
	}
	if len(names) > 0 && rd.Options().Names {
		// The attachments' names are values, as a folder's file names are.
		u := &sources.NamesUnit{Loc: sources.Location{Target: f.Loc.Target, Path: f.Loc.Path + "!"}, Names: sources.NameListOf(names...)}
		return u.Read(ctx, sink)
	}
	return nil
}

// oneBody leaves out of a message's streams the forms of its body beside
// the first of text, HTML and compressed RTF that it has (Outlook keeps
// one body in two or three forms): a value in it counts once.
func oneBody(entries []cfb.Entry) []cfb.Entry {
	has := map[string]bool{}
	for _, e := range entries {
		if e.Stream && e.Size > 0 {
			has[e.Path] = true
		}
	}
	text := has["__substg1.0_1000001F"] || has["__substg1.0_1000001E"]
	html := has["__substg1.0_10130102"] || has["__substg1.0_1013001F"]
	return slices.DeleteFunc(slices.Clone(entries), func(e cfb.Entry) bool {
		switch e.Path {
		case "__substg1.0_10130102", "__substg1.0_1013001F":
			return text
		case "__substg1.0_10090102":
			return text || html
		}
		return false
	})
}

// msgProp splits the name of a message's property stream,
// "__substg1.0_3A1C001F", into the property's id and its type ("001F").
func msgProp(base string) (id uint16, typ string, ok bool) {
	const prefix = "__substg1.0_"
	if !strings.HasPrefix(base, prefix) || len(base) != len(prefix)+8 {
		return 0, "", false
	}
	id64, err := strconv.ParseUint(base[len(prefix):][:4], 16, 16)
	if err != nil {
		return 0, "", false
	}
	return uint16(id64), base[len(base)-4:], true
}

// msgColumns hands over an Outlook message's properties of people
// (mapiColumns: a contact's names, address and birthday, the sender's
// and the recipients' names) as cells of their columns at loc
// ("kari.msg#GivenName"), on line 1, as a PST folder does for each of its
// messages.
func msgColumns(ctx context.Context, cf *cfb.File, entries []cfb.Entry, loc sources.Location, sink sources.Sink) error {
	var cells []mapiCell
	for _, e := range entries {
		id, typ, ok := msgProp(path.Base(e.Path))
		if !e.Stream || !ok {
			continue
		}
		col := mapiColumns[id]
		if strings.HasPrefix(path.Dir(e.Path), "__recip_version1.0_") && id == 0x3001 {
			col = mapiRecipientColumn
		} else if path.Dir(e.Path) != "." {
			continue // an attachment's or a recipient's other properties
		}
		if col == "" || typ != "001F" && typ != "001E" || e.Size > 4096 {
			continue
		}
		if v := strings.TrimSpace(msgString(cf, e.Path)); v != "" {
			cells = append(cells, mapiCell{col, v})
		}
	}
	return mapiCells(ctx, cells, loc, 1, sink)
}

// attachName is the file name of a message's attachment whose data is e.
func attachName(cf *cfb.File, e cfb.Entry) string {
	dir := path.Dir(e.Path)
	name := msgString(cf, dir+"/__substg1.0_3707001F") // PR_ATTACH_LONG_FILENAME
	if name == "" {
		name = msgString(cf, dir+"/__substg1.0_3704001F") // PR_ATTACH_FILENAME
	}
	if name == "" {
		name = path.Base(dir)
	}
	return strings.ReplaceAll(name, "!", "_")
}

// readAttachment reads a message's attachment as a file of its own at
// "mail.msg!name".
func readAttachment(ctx context.Context, f *files.Format, rd *files.Reader, cf *cfb.File, e cfb.Entry, name string, sink sources.Sink) error {
	loc := f.Loc
	loc.Field = ""
	loc.Path += "!" + name
	if f.TooDeep(rd, loc, sink) {
		return nil
	}
	r, err := cf.Open(e)
	if err != nil {
		sink.Failed(loc, fmt.Errorf("read %s: %w", loc.Path, err))
		return nil
	}
	return rd.ReadStream(ctx, files.Stream{Loc: loc, Name: name, R: r, Size: e.Size, Depth: f.Depth + 1}, sink)
}

// msgAttachData reports whether p is the data of a message's attachment
// (PR_ATTACH_DATA_BIN in an __attach_version1.0_ storage).
func msgAttachData(p string) bool {
	dir, base := path.Split(p)
	return strings.HasPrefix(path.Base(strings.TrimSuffix(dir, "/")), "__attach_version1.0_") && base == "__substg1.0_37010102"
}

// msgString returns the UTF-16 string property stream at p, "" when there
// is none; at most 1 KiB of it (a file name).
func msgString(cf *cfb.File, p string) string {
	r, err := cf.Open(cfb.Entry{Path: p})
	if err != nil {
		return ""
	}
	b, _ := io.ReadAll(io.LimitReader(r, 1<<10))
	return decodeUTF16LE(b)
}

// decodeUTF16LE decodes little-endian UTF-16 (an odd last byte is
// dropped), NULs dropped.
func decodeUTF16LE(b []byte) string {
	var carry []byte
	return string(utf16Lines(nil, b, &carry))
}

// ole2Text reads the text of a compound file's streams one after the
// other (see ReadOLE2), recording the streams that fail and going on.
type ole2Text struct {
	f        *cfb.File
	entries  []cfb.Entry
	next     int       // the entry to open next
	cur      io.Reader // the text of the stream being read
	failed   []string
	firstErr error
}

func (t *ole2Text) Read(p []byte) (int, error) {
	for {
		if t.cur == nil {
			if t.next >= len(t.entries) {
				return 0, io.EOF
			}
			e := t.entries[t.next]
			t.next++
			if !e.Stream || e.Size == 0 || msgAttachData(e.Path) {
				continue
			}
			t.cur = t.streamText(e)
			continue
		}
		n, err := t.cur.Read(p)
		if err == io.EOF {
			t.cur = nil
			err = nil
		}
		if err != nil {
			t.fail(t.entries[t.next-1].Path, err)
			t.cur = nil
			err = nil
		}
		if n > 0 {
			return n, nil
		}
	}
}

func (t *ole2Text) fail(name string, err error) {
	if t.firstErr == nil {
		t.firstErr = err
	}
	t.failed = append(t.failed, name)
}

// streamText returns the reader of e's text: a message's string property
// as it is, the numbers of a workbook, the runs of text in any other
// stream.
func (t *ole2Text) streamText(e cfb.Entry) io.Reader {
	r, err := t.f.Open(e)
	if err != nil {
		return &errReader{err}
	}
	base := path.Base(e.Path)
	switch {
	case base == "__substg1.0_10130102":
		// PR_HTML, a message's HTML body, in its own charset: read as
		// HTML files are.
		return io.MultiReader(files.HTMLText(r), strings.NewReader("\n"))
	case base == "__substg1.0_10090102":
		// PR_RTF_COMPRESSED, the RTF body: decompressed and read as RTF.
		return io.MultiReader(newRTFText(newLZFu(r)), strings.NewReader("\n"))
	case base == "__substg1.0_1013001F":
		return io.MultiReader(files.HTMLText(&convReader{r: r, conv: utf16Lines}), strings.NewReader("\n"))
	case strings.HasPrefix(base, "__substg1.0_") && (strings.HasSuffix(base, "001F") || strings.HasSuffix(base, "001E")):
		conv := utf16Lines
		if strings.HasSuffix(base, "001E") {
			conv = cp1252Lines
		}
		var text io.Reader = &convReader{r: r, conv: conv}
		// A telephone number's or an address's property is named, as
		// in a PST (mapiLabels).
		if id, _, ok := msgProp(base); ok && mapiLabels[uint32(id)] != "" {
			text = io.MultiReader(strings.NewReader(mapiLabels[uint32(id)]+": "), text)
		}
		return text
	case base == "Workbook" || base == "Book":
		nums, err := t.f.Open(e)
		if err != nil {
			return &errReader{err}
		}
		return io.MultiReader(newTextRuns(r), &biffNumbers{r: nums})
	}
	return newTextRuns(r)
}

type errReader struct{ err error }

func (e *errReader) Read([]byte) (int, error) { return 0, e.err }

// convReader converts a stream block by block: conv appends the text of
// block to dst, carrying what a block ends inside (half a UTF-16 code
// unit) in *carry, and ends the text with a line break at the end.
type convReader struct {
	pump.Buffer
	r     io.Reader
	conv  func(dst, block []byte, carry *[]byte) []byte
	buf   [16 << 10]byte
	carry []byte
}

func (c *convReader) Read(p []byte) (int, error) { return c.Buffer.Read(p, c.step) }

// step converts the next block.
func (c *convReader) step() {
	n, err := c.r.Read(c.buf[:])
	c.Out = c.conv(c.Out, c.buf[:n], &c.carry)
	switch {
	case err == io.EOF:
		c.Done = true
		c.Out = append(c.Out, '\n')
	case err != nil:
		c.Done, c.Err = true, err
	}
}

// utf16Lines decodes little-endian UTF-16 to UTF-8, NULs dropped.
func utf16Lines(dst, block []byte, carry *[]byte) []byte {
	b := append(*carry, block...)
	i := 0
	for ; i+1 < len(b); i += 2 {
		u := rune(binary.LittleEndian.Uint16(b[i:]))
		switch {
		case u == 0:
		case utf16.IsSurrogate(u):
			if i+3 >= len(b) {
				*carry = append((*carry)[:0], b[i:]...)
				return dst
			}
			r := utf16.DecodeRune(u, rune(binary.LittleEndian.Uint16(b[i+2:])))
			dst = utf8.AppendRune(dst, r)
			i += 2
		default:
			dst = utf8.AppendRune(dst, u)
		}
	}
	*carry = append((*carry)[:0], b[i:]...)
	return dst
}

// cp1252Lines decodes Windows-1252 to UTF-8, NULs dropped.
func cp1252Lines(dst, block []byte, _ *[]byte) []byte {
	for _, c := range block {
		if c != 0 {
			dst = utf8.AppendRune(dst, cp1252(c))
		}
	}
	return dst
}

// cp1252 is the character of a Windows-1252 byte (U+FFFD for the five
// bytes it leaves undefined).
func cp1252(c byte) rune { return charmap.Windows1252.DecodeByte(c) }

// textRuns reads the text in a binary stream: runs of at least minTextRun
// printable characters with two ASCII letters or digits among them, as
// 8-bit Windows-1252 or as little-endian UTF-16 at either byte alignment,
// each run a line. Word's paragraph, cell and line marks (CR, BEL, VT)
// end a run; its non-breaking hyphen (0x1E) is a hyphen.
type textRuns struct {
	pump.Buffer
	r   io.Reader
	buf [32 << 10]byte
	b8  []byte    // the 8-bit run being read, as UTF-8
	n8  int       // its characters
	a8  int       // its ASCII letters and digits
	u16 [2][]byte // the UTF-16 runs being read at even and odd offsets, as UTF-8
	n16 [2]int
	a16 [2]int
	lo  [2]byte // the low byte of the code unit being read at each alignment
	pos int64
}

func newTextRuns(r io.Reader) *textRuns { return &textRuns{r: r} }

func (t *textRuns) Read(p []byte) (int, error) { return t.Buffer.Read(p, t.step) }

// step scans the next block of the stream.
func (t *textRuns) step() {
	n, err := t.r.Read(t.buf[:])
	t.scan(t.buf[:n])
	if err != nil {
		t.Done = true
		t.flush8()
		t.flush16(0)
		t.flush16(1)
		if err != io.EOF {
			t.Err = err
		}
	}
}

func (t *textRuns) scan(b []byte) {
	for _, c := range b {
		// 8-bit.
		if c == 0x1E {
			c = '-'
		}
		if c == '\t' || c >= 0x20 && c != 0x7F && cp1252(c) != '\uFFFD' {
			t.b8 = utf8.AppendRune(t.b8, cp1252(c))
			t.n8++
			t.a8 += b2i(isASCIIAlnum(rune(c)))
			if t.n8 >= maxOLE2Run {
				t.flush8()
			}
		} else {
			t.flush8()
		}
		// UTF-16 at both alignments: a byte at an even offset is the low
		// byte of a code unit at even offsets and the high byte of one at
		// odd offsets; at an odd offset, the reverse.
		if t.pos&1 == 0 {
			if t.pos > 0 {
				t.unit(1, rune(t.lo[1])|rune(c)<<8)
			}
			t.lo[0] = c
		} else {
			t.unit(0, rune(t.lo[0])|rune(c)<<8)
			t.lo[1] = c
		}
		t.pos++
	}
}

// unit takes the UTF-16 code unit u of alignment a.
func (t *textRuns) unit(a int, u rune) {
	if u == 0x1E {
		u = '-'
	}
	if u == '\t' || u >= 0x20 && u <= 0x7E || u >= 0xA0 && u <= 0x24F || u >= 0x2010 && u <= 0x2027 || u == 0x20AC {
		t.u16[a] = utf8.AppendRune(t.u16[a], u)
		t.n16[a]++
		t.a16[a] += b2i(isASCIIAlnum(u))
		if t.n16[a] >= maxOLE2Run {
			t.flush16(a)
		}
		return
	}
	t.flush16(a)
}

func (t *textRuns) flush8() {
	if t.n8 >= minTextRun && t.a8 >= 2 {
		t.Out = append(append(t.Out, t.b8...), '\n')
	}
	t.b8, t.n8, t.a8 = t.b8[:0], 0, 0
}

func (t *textRuns) flush16(a int) {
	if t.n16[a] >= minTextRun && t.a16[a] >= 2 {
		t.Out = append(append(t.Out, t.u16[a]...), '\n')
	}
	t.u16[a], t.n16[a], t.a16[a] = t.u16[a][:0], 0, 0
}

func isASCIIAlnum(r rune) bool {
	return r >= '0' && r <= '9' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z'
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

// biffNumbers reads the numbers of an Excel workbook's cells (BIFF8
// records NUMBER, RK and MULRK), a line each: whole numbers as integers,
// others as Go formats a float64. Records are read one at a time; a
// stream that ends inside one ends the numbers.
type biffNumbers struct {
	pump.Buffer
	r   io.Reader
	rec []byte
}

// BIFF record types with numbers.
const (
	biffNumber = 0x0203
	biffRK     = 0x027E
	biffMulRK  = 0x00BD
)

func (b *biffNumbers) Read(p []byte) (int, error) { return b.Buffer.Read(p, b.step) }

// step reads the next record.
func (b *biffNumbers) step() {
	var h [4]byte
	if _, err := io.ReadFull(b.r, h[:]); err != nil {
		b.end(err)
		return
	}
	typ, n := binary.LittleEndian.Uint16(h[:]), int(binary.LittleEndian.Uint16(h[2:]))
	if cap(b.rec) < n {
		b.rec = make([]byte, n)
	}
	rec := b.rec[:n]
	if _, err := io.ReadFull(b.r, rec); err != nil {
		b.end(err)
		return
	}
	_ = eachBIFFNumber(typ, rec, func(_ int, v float64) error {
		if out, ok := appendBIFFNumber(b.Out, v); ok {
			b.Out = append(out, '\n')
		}
		return nil
	})
}

// end ends the numbers: a stream that ends inside a record ends them too.
func (b *biffNumbers) end(err error) {
	b.Done = true
	if err != io.EOF && err != io.ErrUnexpectedEOF {
		b.Err = err
	}
}

// rkValue decodes an RK number: a 30-bit integer or the high 30 bits of a
// float64, divided by 100 when its lowest bit is set.
func rkValue(rk uint32) float64 {
	var v float64
	if rk&2 != 0 {
		v = float64(int32(rk) >> 2)
	} else {
		v = math.Float64frombits(uint64(rk&^3) << 32)
	}
	if rk&1 != 0 {
		v /= 100
	}
	return v
}
