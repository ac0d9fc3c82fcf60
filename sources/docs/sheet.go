package docs

import (
	"archive/zip"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"path"
	"strconv"
	"strings"

	"github.com/piimap/piimap/sources"
	"github.com/piimap/piimap/sources/dbcommon"
)

// Limits for spreadsheets.
const (
	// MaxSharedStrings bounds the memory an xlsx workbook's shared strings
	// take (their text plus 4 bytes per string), the one part that must be
	// held in memory.
	MaxSharedStrings = 64 << 20
	// maxCols is the spreadsheet column limit (XFD).
	maxCols = 16384
	// maxCell bounds one cell's text; spreadsheet programs allow 32767
	// characters. Longer text is cut.
	maxCell = 1 << 20
)

// ErrSharedStrings: the shared strings of a workbook exceed MaxSharedStrings.
var ErrSharedStrings = errors.New("shared strings larger than the limit")

// sheet delivers the cells of one sheet to a sink, column by column under
// the header row's names.
type sheet struct {
	ctx       context.Context
	sink      sources.Sink
	loc       sources.Location
	headerRow int64 // sheet row of the header, 0 until seen
	// The first row's cells are kept until it is known to be a header
	// (sources.FirstRowOf, and sources.HeaderAbove with the second row
	// when its cells do not tell); when it is not, the columns are named
	// by their letters and the row is data.
	head      []headCell
	second    []headCell // the second row's cells, kept when the first row's do not tell
	secondRow int64
	decided   bool
	noHeader  bool
	lastRow   int64
	cols      []sheetCol
	chunk     sources.Chunk
	num       []byte
	pad       [11]byte
}

// headCell is a kept cell of a sheet's first row.
type headCell struct {
	col     int
	v       []byte
	numeric bool
}

type sheetCol struct {
	name    string
	nonNull int64
	used    bool
}

func newSheet(ctx context.Context, sink sources.Sink, loc sources.Location) *sheet {
	return &sheet{ctx: ctx, sink: sink, loc: loc}
}

func (s *sheet) col(i int) *sheetCol {
	for len(s.cols) <= i {
		s.cols = append(s.cols, sheetCol{})
	}
	return &s.cols[i]
}

// colLetters renders a 0-based column index as its letters: 0 → A, 27 → AB.
func colLetters(i int) string {
	var b [4]byte
	n := len(b)
	for i++; i > 0 && n > 0; i = (i - 1) / 26 {
		n--
		b[n] = byte('A' + (i-1)%26)
	}
	return string(b[n:])
}

func (s *sheet) name(i int) string {
	if i < len(s.cols) && s.cols[i].name != "" {
		return s.cols[i].name
	}
	return "column " + colLetters(i)
}

// cell takes the value of the cell at row (1-based) and col (0-based).
// numeric marks a number, written without exponent and padded like a
// database integer. v is only read during the call.
func (s *sheet) cell(row int64, col int, v []byte, numeric bool) error {
	if col < 0 || col >= maxCols || row <= 0 {
		return nil
	}
	if len(bytes.TrimSpace(v)) == 0 {
		return nil
	}
	if s.headerRow == 0 {
		s.headerRow = row
	}
	c := s.col(col)
	c.used = true
	if !s.decided {
		switch {
		case row == s.headerRow:
			c.name = strings.TrimSpace(strings.TrimPrefix(string(v), "\ufeff"))
			s.head = append(s.head, headCell{col: col, v: bytes.Clone(v), numeric: numeric})
			return nil
		case s.secondRow == 0 && s.firstRow() != sources.FirstRowUnsure:
			if err := s.decide(nil); err != nil {
				return err
			}
		case s.secondRow == 0 || row == s.secondRow:
			// The first row's cells do not tell: the row below decides.
			s.secondRow = row
			s.second = append(s.second, headCell{col: col, v: bytes.Clone(v), numeric: numeric})
			return nil
		default:
			if err := s.decide(s.second); err != nil {
				return err
			}
		}
	}
	return s.data(row, col, v, numeric)
}

// cells returns kept cells as a row, rendered (numbers as data shows
// them) and indexed by column.
func (s *sheet) cells(kept []headCell) [][]byte {
	var row [][]byte
	for _, h := range kept {
		for len(row) <= h.col {
			row = append(row, nil)
		}
		v := h.v
		if h.numeric {
			v = bytes.Clone(s.number(v))
		}
		row[h.col] = v
	}
	return row
}

// firstRow is what the first row's cells alone say (sources.FirstRowOf).
func (s *sheet) firstRow() sources.FirstRow { return sources.FirstRowOf(s.cells(s.head)) }

// decide settles, once, whether the first row is a header, by its cells
// and, when they do not tell, by the row below (second, the kept cells of
// the second row with a value; nil when there is none), and hands the
// kept cells over: the first row's as data when it is not a header, then
// the second row's.
func (s *sheet) decide(second []headCell) error {
	if s.decided {
		return nil
	}
	s.decided = true
	switch s.firstRow() {
	case sources.FirstRowData:
		s.noHeader = true
	case sources.FirstRowUnsure:
		s.noHeader = !sources.HeaderAbove(s.cells(s.head), s.cells(second))
	}
	if s.noHeader {
		for _, h := range s.head {
			s.cols[h.col].name = ""
		}
		for _, h := range s.head {
			if err := s.data(s.headerRow, h.col, h.v, h.numeric); err != nil {
				return err
			}
		}
	}
	for _, h := range second {
		if err := s.data(s.secondRow, h.col, h.v, h.numeric); err != nil {
			return err
		}
	}
	s.head, s.second = nil, nil
	return nil
}

// data hands over the value of a data cell.
func (s *sheet) data(row int64, col int, v []byte, numeric bool) error {
	s.col(col).nonNull++
	s.lastRow = max(s.lastRow, row)
	if numeric {
		v = s.number(v)
	}
	l := s.loc
	l.Field = s.name(col)
	s.chunk = sources.Chunk{Loc: l, Data: v, Line: row, Row: s.dataRow(row)}
	return s.sink.Text(s.ctx, &s.chunk)
}

// dataRow is the number of sheet row row among the data rows: the first
// below the header is 1, or the first row itself without a header.
func (s *sheet) dataRow(row int64) int64 {
	if s.noHeader {
		return max(row-s.headerRow+1, 0)
	}
	return max(row-s.headerRow, 0)
}

// number renders a numeric cell value: "1.5038712486E10" → "15038712486";
// ten digits get a leading zero.
func (s *sheet) number(v []byte) []byte {
	v = bytes.TrimSpace(v)
	if bytes.ContainsAny(v, "eE.") {
		if f, err := strconv.ParseFloat(string(v), 64); err == nil && f == float64(int64(f)) && f > -1e15 && f < 1e15 {
			s.num = strconv.AppendInt(s.num[:0], int64(f), 10)
			v = s.num
		}
	}
	return dbcommon.PadWideInt(v, s.pad[:0])
}

// finish hands over a first row not yet settled (a sheet of one row) and
// announces the sheet's columns.
func (s *sheet) finish() error {
	err := s.decide(s.second)
	rows := s.dataRow(s.lastRow)
	for i, c := range s.cols {
		if !c.used {
			continue
		}
		l := s.loc
		l.Field = s.name(i)
		s.sink.Column(sources.Column{Loc: l, Type: "column " + colLetters(i), Rows: rows, NonNull: c.nonNull})
	}
	return err
}

// parseCellRef splits "C7" into column 2 and row 7; missing parts are -1.
func parseCellRef[T string | []byte](ref T) (col int, row int64) {
	col, row = -1, -1
	i := 0
	c := 0
	for i < len(ref) {
		ch := ref[i]
		if ch >= 'a' && ch <= 'z' {
			ch -= 'a' - 'A'
		}
		if ch < 'A' || ch > 'Z' {
			break
		}
		c = c*26 + int(ch-'A'+1)
		if c > maxCols {
			return -1, -1
		}
		i++
	}
	if i > 0 {
		col = c - 1
	}
	if i < len(ref) {
		if r, ok := parseInt(ref[i:]); ok && r > 0 {
			row = r
		}
	}
	return col, row
}

// sharedStrings is an xlsx workbook's string table.
type sharedStrings struct {
	data []byte
	ends []uint32
}

func (t *sharedStrings) get(i int) ([]byte, bool) {
	if i < 0 || i >= len(t.ends) {
		return nil, false
	}
	start := uint32(0)
	if i > 0 {
		start = t.ends[i-1]
	}
	return t.data[start:t.ends[i]], true
}

// readSharedStrings reads the string table: the text of each si, without
// phonetic runs (rPh).
func readSharedStrings(ctx context.Context, open Opener, zf *zip.File, limit int) (*sharedStrings, error) {
	rc, err := open(zf)
	if err != nil {
		return nil, err
	}
	defer func() { _ = rc.Close() }()
	sc := newXMLScanner(rc)
	t := &sharedStrings{}
	inT, inPh := 0, 0
	for n := 0; ; n++ {
		if n&4095 == 0 {
			if err := ctx.Err(); err != nil {
				return nil, err
			}
		}
		kind, err := sc.next()
		if err == io.EOF {
			return t, nil
		}
		if err != nil {
			return nil, fmt.Errorf("%s: %w", zf.Name, err)
		}
		switch kind {
		case tokStart:
			switch string(sc.local()) {
			case "t":
				inT++
			case "rPh":
				inPh++
			}
		case tokEnd:
			switch string(sc.local()) {
			case "t":
				inT = max(inT-1, 0)
			case "rPh":
				inPh = max(inPh-1, 0)
			case "si":
				if len(t.data)+4*(len(t.ends)+1) > limit {
					return nil, fmt.Errorf("%s: %w (%d bytes)", zf.Name, ErrSharedStrings, limit)
				}
				t.ends = append(t.ends, uint32(len(t.data)))
			}
		case tokText:
			if inT > 0 && inPh == 0 {
				if len(t.data)+len(sc.text)+4*len(t.ends) > limit {
					return nil, fmt.Errorf("%s: %w (%d bytes)", zf.Name, ErrSharedStrings, limit)
				}
				t.data = append(t.data, sc.text...)
			}
		}
	}
}

// xlsxSheet is a worksheet of a workbook.
type xlsxSheet struct{ name, part string }

// readXLSX reads every worksheet of a workbook, and returns their names.
func readXLSX(ctx context.Context, byName map[string]*zip.File, open Opener, loc sources.Location, sink sources.Sink) (names []string, err error) {
	wbPath := mainPart(byName, open)
	if wbPath == "" || byName[wbPath] == nil {
		return nil, errors.New("workbook part missing")
	}
	dir := path.Dir(wbPath)
	relsByID := map[string]rel{}
	var sstPath string
	if zf := byName[path.Join(dir, "_rels", path.Base(wbPath)+".rels")]; zf != nil {
		rels, err := readRels(open, zf, dir)
		if err != nil {
			return nil, err
		}
		for _, r := range rels {
			relsByID[r.id] = r
			if strings.HasSuffix(r.typ, "/sharedStrings") {
				sstPath = r.target
			}
		}
	}
	if sstPath == "" {
		sstPath = path.Join(dir, "sharedStrings.xml")
	}
	sheets, err := readWorkbook(open, byName[wbPath], relsByID, dir)
	if err != nil {
		return nil, err
	}
	sst := &sharedStrings{}
	if zf := byName[sstPath]; zf != nil {
		if sst, err = readSharedStrings(ctx, open, zf, MaxSharedStrings); err != nil {
			return nil, err
		}
	}
	for _, sh := range sheets {
		names = append(names, sh.name)
		sloc := loc
		sloc.Path += "!" + sh.name
		zf := byName[sh.part]
		if zf == nil {
			sink.Failed(sloc, fmt.Errorf("read %s: worksheet part %s missing", sloc.Path, sh.part))
			continue
		}
		if err := readXLSXSheet(ctx, open, zf, sst, sloc, sink); err != nil {
			if ctx.Err() != nil {
				return nil, ctx.Err()
			}
			if errors.Is(err, errSink) {
				return nil, errors.Unwrap(err)
			}
			sink.Failed(sloc, fmt.Errorf("read %s: %w", sloc.Path, err))
		}
	}
	return names, nil
}

// readWorkbook lists the worksheets in order with their part paths.
func readWorkbook(open Opener, zf *zip.File, rels map[string]rel, dir string) ([]xlsxSheet, error) {
	rc, err := open(zf)
	if err != nil {
		return nil, err
	}
	defer func() { _ = rc.Close() }()
	sc := newXMLScanner(rc)
	var out []xlsxSheet
	n := 0
	for {
		kind, err := sc.next()
		if err == io.EOF {
			return out, nil
		}
		if err != nil {
			return out, fmt.Errorf("%s: %w", zf.Name, err)
		}
		if kind != tokStart || string(sc.local()) != "sheet" {
			continue
		}
		n++
		var name, id string
		for i, a := range sc.attrs {
			switch local := sc.attrLocal(i); {
			case string(local) == "name":
				name = string(sc.attrValue(i))
			case string(local) == "id" && a.name.local > a.name.start:
				id = string(sc.attrValue(i))
			}
		}
		r, ok := rels[id]
		if !ok {
			// No relationships part: the usual name.
			r = rel{target: path.Join(dir, "worksheets", "sheet"+strconv.Itoa(n)+".xml"), typ: "/worksheet"}
		}
		if !strings.HasSuffix(r.typ, "/worksheet") {
			continue // chart sheets, dialog sheets
		}
		if name == "" {
			name = "Sheet" + strconv.Itoa(n)
		}
		out = append(out, xlsxSheet{name: name, part: r.target})
	}
}

// errSink wraps an error from the sink (or the context) so that it ends
// the document rather than being reported as a sheet failure.
var errSink = errors.New("sink")

type sinkError struct{ err error }

func (e *sinkError) Error() string        { return e.err.Error() }
func (e *sinkError) Unwrap() error        { return e.err }
func (e *sinkError) Is(target error) bool { return target == errSink }

// readXLSXSheet streams one worksheet's cells.
func readXLSXSheet(ctx context.Context, open Opener, zf *zip.File, sst *sharedStrings, loc sources.Location, sink sources.Sink) (err error) {
	rc, err := open(zf)
	if err != nil {
		return err
	}
	defer func() { _ = rc.Close() }()
	sc := newXMLScanner(rc)
	sh := newSheet(ctx, sink, loc)
	defer func() {
		if ferr := sh.finish(); err == nil {
			err = ferr
		}
	}()
	var (
		row       int64
		col       int
		typ       []byte
		val       []byte
		inCell    bool
		inV, inIS int
		inT, inPh int
		inF       int
	)
	for n := 0; ; n++ {
		if n&4095 == 0 {
			if err := ctx.Err(); err != nil {
				return &sinkError{err}
			}
		}
		kind, err := sc.next()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
		switch kind {
		case tokStart:
			switch string(sc.local()) {
			case "row":
				next := row + 1
				for i := range sc.attrs {
					if string(sc.attrLocal(i)) == "r" {
						if r, ok := parseInt(sc.attrValue(i)); ok && r > 0 {
							next = r
						}
					}
				}
				row, col = next, -1
			case "c":
				inCell, typ, val = true, typ[:0], val[:0]
				next := col + 1
				for i := range sc.attrs {
					switch string(sc.attrLocal(i)) {
					case "r":
						if c, r := parseCellRef(sc.attrValue(i)); c >= 0 {
							next = c
							if r > 0 {
								row = r
							}
						}
					case "t":
						typ = append(typ[:0], sc.attrValue(i)...)
					}
				}
				col = next
			case "v":
				inV++
			case "is":
				inIS++
			case "t":
				inT++
			case "rPh":
				inPh++
			case "f":
				inF++
			}
		case tokEnd:
			switch string(sc.local()) {
			case "v":
				inV = max(inV-1, 0)
			case "is":
				inIS = max(inIS-1, 0)
			case "t":
				inT = max(inT-1, 0)
			case "rPh":
				inPh = max(inPh-1, 0)
			case "f":
				inF = max(inF-1, 0)
			case "c":
				if !inCell {
					continue
				}
				inCell = false
				if err := xlsxCell(sh, sst, row, col, typ, val); err != nil {
					return &sinkError{err}
				}
			}
		case tokText:
			if !inCell || inF > 0 || len(val) >= maxCell {
				continue
			}
			if inV > 0 || (inIS > 0 && inT > 0 && inPh == 0) {
				tok := sc.text
				val = append(val, tok[:min(len(tok), maxCell-len(val))]...)
			}
		}
	}
}

// xlsxCell resolves a cell's value by its type and hands it to the sheet.
func xlsxCell[T string | []byte](sh *sheet, sst *sharedStrings, row int64, col int, typ T, val []byte) error {
	switch string(typ) {
	case "s":
		i, ok := parseInt(bytes.TrimSpace(val))
		if !ok {
			return nil
		}
		s, ok := sst.get(int(i))
		if !ok {
			return nil
		}
		return sh.cell(row, col, s, false)
	case "b", "e":
		return nil // booleans, errors
	case "", "n":
		return sh.cell(row, col, val, true)
	default: // inlineStr, str, d
		return sh.cell(row, col, val, false)
	}
}

// readODS reads every table of an OpenDocument spreadsheet's content.xml,
// adding their names to names. Repeated cells and rows
// (number-columns-repeated, number-rows-repeated) are read once and skip
// ahead.
func readODS(ctx context.Context, zf *zip.File, open Opener, loc sources.Location, sink sources.Sink, names *[]string) (err error) {
	rc, err := open(zf)
	if err != nil {
		return err
	}
	defer func() { _ = rc.Close() }()
	sc := newXMLScanner(rc)
	var (
		sh        *sheet
		tables    int
		row, next int64 // current row, next row
		col, ncol int   // current column, next column
		rowsRep   int64
		colsRep   int
		inCell    bool
		vtype     []byte
		value     []byte
		text      []byte
		paras     int
		inP       int
		nest      int // cells of tables nested in the current cell
	)
	finish := func() error {
		if sh == nil {
			return nil
		}
		err := sh.finish()
		sh = nil
		return err
	}
	defer func() {
		if ferr := finish(); err == nil {
			err = ferr
		}
	}()
	repeat := func(name string) int64 {
		for i := range sc.attrs {
			if string(sc.attrLocal(i)) == name {
				if n, ok := parseInt(sc.attrValue(i)); ok && n > 0 {
					return min(n, 1<<20)
				}
			}
		}
		return 1
	}
	for n := 0; ; n++ {
		if n&4095 == 0 {
			if err := ctx.Err(); err != nil {
				return err
			}
		}
		kind, err := sc.next()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return fmt.Errorf("%s: %w", zf.Name, err)
		}
		switch kind {
		case tokStart:
			switch string(sc.local()) {
			case "table":
				if sh != nil {
					continue // a table inside a cell: its text is cell text
				}
				tables++
				name := "Sheet" + strconv.Itoa(tables)
				for i := range sc.attrs {
					if v := sc.attrValue(i); string(sc.attrLocal(i)) == "name" && len(v) > 0 {
						name = string(v)
					}
				}
				sloc := loc
				sloc.Path += "!" + name
				*names = append(*names, name)
				sh = newSheet(ctx, sink, sloc)
				next = 1
			case "table-row":
				if sh == nil || inCell {
					continue
				}
				row = next
				rowsRep = repeat("number-rows-repeated")
				ncol = 0
			case "table-cell", "covered-table-cell":
				if inCell {
					nest++
					continue
				}
				if sh == nil {
					continue
				}
				col = ncol
				colsRep = int(repeat("number-columns-repeated"))
				inCell, vtype, value, text, paras = true, vtype[:0], value[:0], text[:0], 0
				for i := range sc.attrs {
					switch string(sc.attrLocal(i)) {
					case "value-type":
						vtype = append(vtype[:0], sc.attrValue(i)...)
					case "value", "date-value", "time-value":
						value = append(value[:0], sc.attrValue(i)...)
					}
				}
			case "p", "h":
				if inCell {
					if paras > 0 && len(text) < maxCell {
						text = append(text, '\n')
					}
					paras++
					inP++
				}
			case "s":
				if inCell && inP > 0 && len(text) < maxCell {
					text = append(text, ' ')
				}
			case "tab":
				if inCell && inP > 0 && len(text) < maxCell {
					text = append(text, '\t')
				}
			case "line-break":
				if inCell && inP > 0 && len(text) < maxCell {
					text = append(text, '\n')
				}
			}
		case tokEnd:
			switch string(sc.local()) {
			case "table":
				if sh != nil && !inCell {
					if err := finish(); err != nil {
						return err
					}
				}
			case "table-row":
				if sh != nil && !inCell {
					next = row + rowsRep
				}
			case "p", "h":
				if inCell && inP > 0 {
					inP--
				}
			case "table-cell", "covered-table-cell":
				if nest > 0 {
					nest--
					continue
				}
				if !inCell {
					continue
				}
				inCell = false
				ncol = col + colsRep
				var err error
				switch string(vtype) {
				case "float", "percentage", "currency":
					err = sh.cell(row, col, value, true)
				case "date", "time":
					err = sh.cell(row, col, value, false)
				case "boolean":
				default:
					err = sh.cell(row, col, text, false)
				}
				if err != nil {
					return err
				}
			}
		case tokText:
			if inCell && inP > 0 && len(text) < maxCell {
				tok := sc.text
				text = append(text, tok[:min(len(tok), maxCell-len(text))]...)
			}
		}
	}
}
