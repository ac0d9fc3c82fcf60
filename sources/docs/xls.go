package docs

import (
	"bufio"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"
	"unicode/utf8"

	"github.com/piimap/piimap/sources"
)

// BIFF8 record types ([MS-XLS] 2.3).
const (
	biffBOF        = 0x0809
	biffEOF        = 0x000A
	biffBoundSheet = 0x0085
	biffSST        = 0x00FC
	biffContinue   = 0x003C
	biffFilePass   = 0x002F
	biffLabelSST   = 0x00FD
	biffLabel      = 0x0204
	biffRString    = 0x00D6
	biffFormula    = 0x0006
	biffString     = 0x0207
)

// errNotBIFF8 is a Workbook stream of an older Excel (BIFF5 and before),
// read as text runs instead.
var errNotBIFF8 = errors.New("not a BIFF8 workbook (Excel 97 or later)")

// errXLSEncrypted is a workbook protected with a password to open.
var errXLSEncrypted = errors.New("encrypted workbook")

// biffReader reads the records of a Workbook stream.
type biffReader struct {
	r   *bufio.Reader
	off int64 // stream offset of the next record
	buf []byte
}

// next returns the next record's type, its stream offset and its data
// (valid until the next call).
func (b *biffReader) next() (typ uint16, off int64, data []byte, err error) {
	var h [4]byte
	if _, err := io.ReadFull(b.r, h[:]); err != nil {
		return 0, 0, nil, err
	}
	typ, n := binary.LittleEndian.Uint16(h[:]), int(binary.LittleEndian.Uint16(h[2:]))
	if cap(b.buf) < n {
		b.buf = make([]byte, n)
	}
	data = b.buf[:n]
	if _, err := io.ReadFull(b.r, data); err != nil {
		return 0, 0, nil, fmt.Errorf("record %#04x at %d cut short: %w", typ, b.off, io.ErrUnexpectedEOF)
	}
	off = b.off
	b.off += 4 + int64(n)
	return typ, off, data, nil
}

// xlsSheetInfo is a BOUNDSHEET record: a sheet's name, the stream offset
// of its BOF, and whether it is a worksheet (not a chart or macro sheet).
type xlsSheetInfo struct {
	name string
	off  int64
	work bool
}

// readXLS reads an Excel 97–2003 workbook stream (BIFF8) sheet by sheet,
// as an xlsx is read: the cells of each worksheet column by column under
// its header row's names, at "book.xls!Ark1#Fødselsnummer". Strings come
// from the shared string table (LABELSST), inline labels, and formulas'
// string results; numbers from NUMBER, RK, MULRK and formulas' numeric
// results. It returns the worksheets' names. errNotBIFF8 and
// errXLSEncrypted say the stream is to be read otherwise.
func readXLS(ctx context.Context, r io.Reader, loc sources.Location, sink sources.Sink) (names []string, err error) {
	b := &biffReader{r: bufio.NewReaderSize(r, 32<<10)}
	typ, _, data, err := b.next()
	if err != nil {
		return nil, err
	}
	if typ != biffBOF || len(data) < 4 || binary.LittleEndian.Uint16(data) != 0x0600 {
		return nil, errNotBIFF8
	}
	// The globals: sheets, shared strings.
	var sheets []xlsSheetInfo
	var sstData [][]byte
	sstSize := 0
	inSST := false
	for {
		typ, _, data, err = b.next()
		if err != nil {
			return nil, fmt.Errorf("workbook globals: %w", err)
		}
		if typ != biffContinue {
			inSST = false
		}
		switch typ {
		case biffFilePass:
			return nil, errXLSEncrypted
		case biffBoundSheet:
			if len(data) >= 8 {
				name := xlsShortString(data[6:])
				sheets = append(sheets, xlsSheetInfo{name: name, off: int64(binary.LittleEndian.Uint32(data)), work: data[5] == 0})
			}
		case biffSST:
			inSST = true
			sstData = append(sstData, append([]byte(nil), data...))
			sstSize += len(data)
		case biffContinue:
			if inSST {
				sstData = append(sstData, append([]byte(nil), data...))
				sstSize += len(data)
			}
		}
		if sstSize > MaxSharedStrings {
			return nil, fmt.Errorf("%w (%d bytes)", ErrSharedStrings, MaxSharedStrings)
		}
		if typ == biffEOF {
			break
		}
	}
	sst, err := parseSST(sstData, MaxSharedStrings)
	if err != nil {
		return nil, err
	}
	sstData = nil
	// The sheets, in stream order.
	byOff := map[int64]xlsSheetInfo{}
	for _, s := range sheets {
		byOff[s.off] = s
	}
	var cur *xlsWorksheet
	depth := 0 // substreams open (a chart inside a sheet has its own BOF … EOF)
	for n := 0; ; n++ {
		if n&4095 == 0 {
			if err := ctx.Err(); err != nil {
				return names, err
			}
		}
		typ, off, data, err := b.next()
		if err == io.EOF {
			break
		}
		if err != nil {
			if cur != nil {
				_ = cur.sh.finish()
				sink.Failed(cur.sh.loc, fmt.Errorf("read %s: %w", cur.sh.loc.Path, err))
			}
			return names, nil
		}
		switch typ {
		case biffBOF:
			depth++
			if depth == 1 {
				if s, ok := byOff[off]; ok && s.work {
					sloc := loc
					sloc.Path += "!" + s.name
					names = append(names, s.name)
					cur = &xlsWorksheet{sh: newSheet(ctx, sink, sloc), sst: sst}
				}
			}
			continue
		case biffEOF:
			if depth == 1 && cur != nil {
				if err := cur.sh.finish(); err != nil {
					return names, &sinkError{err}
				}
				cur = nil
			}
			depth = max(depth-1, 0)
			continue
		}
		if cur == nil || depth != 1 {
			continue
		}
		if err := cur.record(typ, data); err != nil {
			return names, &sinkError{err}
		}
	}
	if cur != nil {
		if err := cur.sh.finish(); err != nil {
			return names, &sinkError{err}
		}
	}
	return names, nil
}

// xlsWorksheet hands one worksheet's cells to a sheet.
type xlsWorksheet struct {
	sh         *sheet
	sst        *sharedStrings
	num        []byte
	formulaRow int64 // the cell of a formula whose string result follows (STRING), 0 if none
	formulaCol int
}

// record takes one record of the worksheet's substream.
func (w *xlsWorksheet) record(typ uint16, d []byte) error {
	le := binary.LittleEndian
	if typ != biffString {
		w.formulaRow = 0
	}
	if len(d) < 6 && typ != biffString {
		return nil
	}
	var row int64
	var col int
	if len(d) >= 4 {
		row, col = int64(le.Uint16(d))+1, int(le.Uint16(d[2:]))
	}
	switch typ {
	case biffLabelSST:
		if len(d) >= 10 {
			if s, ok := w.sst.get(int(le.Uint32(d[6:]))); ok {
				return w.sh.cell(row, col, s, false)
			}
		}
	case biffLabel, biffRString:
		return w.sh.cell(row, col, []byte(xlsString(d[6:])), false)
	case biffNumber, biffRK, biffMulRK:
		return eachBIFFNumber(typ, d, func(c int, v float64) error { return w.number(row, c, v) })
	case biffFormula:
		if len(d) >= 14 {
			if le.Uint16(d[12:]) != 0xFFFF {
				return w.number(row, col, math.Float64frombits(le.Uint64(d[6:])))
			}
			if d[6] == 0 { // a string result, in the STRING record that follows
				w.formulaRow, w.formulaCol = row, col
			}
		}
	case biffString:
		if w.formulaRow > 0 {
			row, col := w.formulaRow, w.formulaCol
			w.formulaRow = 0
			return w.sh.cell(row, col, []byte(xlsString(d)), false)
		}
	}
	return nil
}

// number hands over a numeric cell: a whole number as an integer, others
// as the shortest decimal that reads back.
func (w *xlsWorksheet) number(row int64, col int, v float64) error {
	var ok bool
	if w.num, ok = appendBIFFNumber(w.num[:0], v); !ok {
		return nil
	}
	return w.sh.cell(row, col, w.num, true)
}

// eachBIFFNumber calls f with the column and value of each number of a
// cell record: one for NUMBER and RK, a run of columns for MULRK.
func eachBIFFNumber(typ uint16, d []byte, f func(col int, v float64) error) error {
	le := binary.LittleEndian
	if len(d) < 6 {
		return nil
	}
	col := int(le.Uint16(d[2:]))
	switch {
	case typ == biffNumber && len(d) >= 14:
		return f(col, math.Float64frombits(le.Uint64(d[6:])))
	case typ == biffRK && len(d) >= 10:
		return f(col, rkValue(le.Uint32(d[6:])))
	case typ == biffMulRK:
		for i := 4; i+6 <= len(d)-2; i += 6 {
			if err := f(col, rkValue(le.Uint32(d[i+2:]))); err != nil {
				return err
			}
			col++
		}
	}
	return nil
}

// appendBIFFNumber appends a cell's number: a whole number as an integer,
// others as the shortest decimal that reads back; ok is false for NaN and
// infinities, which are no values.
func appendBIFFNumber(dst []byte, v float64) (out []byte, ok bool) {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return dst, false
	}
	if v == math.Trunc(v) && math.Abs(v) < 1e18 {
		return strconv.AppendInt(dst, int64(v), 10), true
	}
	return strconv.AppendFloat(dst, v, 'f', -1, 64), true
}

// xlsShortString decodes a ShortXLUnicodeString (8-bit count, flags,
// characters), as a sheet's name is stored; "" when d is too short.
func xlsShortString(d []byte) string {
	if len(d) < 2 {
		return ""
	}
	return xlsChars(d[2:], int(d[0]), d[1]&1 != 0)
}

// xlsString decodes an XLUnicodeString (16-bit count, flags, characters),
// as labels and formula results are stored; "" when d is too short.
func xlsString(d []byte) string {
	if len(d) < 3 {
		return ""
	}
	return xlsChars(d[3:], int(binary.LittleEndian.Uint16(d)), d[2]&1 != 0)
}

// xlsChars decodes n characters: UTF-16 when high, else one byte each
// (the low bytes of UTF-16, that is Latin-1). What d holds of them, when
// it is cut short.
func xlsChars(d []byte, n int, high bool) string {
	if high {
		return decodeUTF16LE(d[:min(2*n, len(d))])
	}
	b := make([]byte, 0, n)
	for _, c := range d[:min(n, len(d))] {
		b = utf8.AppendRune(b, rune(c))
	}
	return string(b)
}

// parseSST decodes the shared string table from the SST record's data and
// its CONTINUE records' ([MS-XLS] 2.4.265): each string is a count, flags
// (high bytes, rich runs, phonetic data), and its characters, which may
// go on in the next record after a new flags byte; rich runs and phonetic
// data are skipped.
func parseSST(segs [][]byte, limit int) (*sharedStrings, error) {
	t := &sharedStrings{}
	if len(segs) == 0 {
		return t, nil
	}
	c := &sstCursor{segs: segs}
	if _, ok := c.bytes(8); !ok { // cstTotal, cstUnique
		return t, nil
	}
	var out []byte
	for !c.atEnd() {
		h, ok := c.bytes(3)
		if !ok {
			break
		}
		cch, flags := int(binary.LittleEndian.Uint16(h)), h[2]
		runs, ext := 0, 0
		if flags&0x08 != 0 {
			b, ok := c.bytes(2)
			if !ok {
				break
			}
			runs = int(binary.LittleEndian.Uint16(b))
		}
		if flags&0x04 != 0 {
			b, ok := c.bytes(4)
			if !ok {
				break
			}
			ext = int(binary.LittleEndian.Uint32(b))
		}
		out = out[:0]
		if !c.chars(cch, flags&1 != 0, &out) {
			break
		}
		if len(t.data)+len(out)+4*(len(t.ends)+1) > limit {
			return nil, fmt.Errorf("%w (%d bytes)", ErrSharedStrings, limit)
		}
		t.data = append(t.data, out...)
		t.ends = append(t.ends, uint32(len(t.data)))
		if !c.skip(4*runs + ext) {
			break
		}
	}
	return t, nil
}

// sstCursor reads across the SST's records.
type sstCursor struct {
	segs [][]byte
	i    int // the segment being read
	pos  int // the position in it
	tmp  []byte
}

func (c *sstCursor) atEnd() bool {
	for c.i < len(c.segs) && c.pos >= len(c.segs[c.i]) {
		c.i, c.pos = c.i+1, 0
	}
	return c.i >= len(c.segs)
}

// bytes returns the next n bytes, across segments when need be.
func (c *sstCursor) bytes(n int) ([]byte, bool) {
	c.tmp = c.tmp[:0]
	for len(c.tmp) < n {
		if c.atEnd() {
			return nil, false
		}
		s := c.segs[c.i]
		k := min(n-len(c.tmp), len(s)-c.pos)
		c.tmp = append(c.tmp, s[c.pos:c.pos+k]...)
		c.pos += k
	}
	return c.tmp, true
}

func (c *sstCursor) skip(n int) bool {
	for n > 0 {
		if c.atEnd() {
			return false
		}
		k := min(n, len(c.segs[c.i])-c.pos)
		c.pos += k
		n -= k
	}
	return true
}

// chars appends n characters to out as UTF-8: a character array that a
// record boundary cuts goes on after a flags byte that says again whether
// its characters are high bytes.
func (c *sstCursor) chars(n int, high bool, out *[]byte) bool {
	for n > 0 {
		if c.pos >= len(c.segs[c.i]) {
			c.i, c.pos = c.i+1, 0
			if c.i >= len(c.segs) || len(c.segs[c.i]) == 0 {
				return false
			}
			high = c.segs[c.i][0]&1 != 0
			c.pos = 1
		}
		s := c.segs[c.i][c.pos:]
		if high {
			k := min(n, len(s)/2)
			if k == 0 {
				c.pos = len(c.segs[c.i]) // an odd byte left: the characters go on in the next record
				continue
			}
			for j := 0; j < k; j++ {
				*out = utf8.AppendRune(*out, rune(binary.LittleEndian.Uint16(s[2*j:])))
			}
			c.pos += 2 * k
			n -= k
		} else {
			k := min(n, len(s))
			for _, b := range s[:k] {
				*out = utf8.AppendRune(*out, rune(b))
			}
			c.pos += k
			n -= k
		}
	}
	return true
}
