package docs

// The encoding/xml based extractor that the streaming scanner (xmlscan.go)
// replaced, kept as the reference for the differential tests: the same
// parts through encoding/xml's RawToken behind the splitter must give the
// sink the same chunks, columns and failures.

import (
	"archive/zip"
	"context"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"path"
	"slices"
	"strconv"
	"strings"

	"github.com/piimap/piimap/sources"
	"github.com/piimap/piimap/sources/files"
)

// refMainPart returns the path of an OOXML package's main part.
func refMainPart(byName map[string]*zip.File, open Opener) string {
	if zf := byName["_rels/.rels"]; zf != nil {
		if rels, err := refReadRels(open, zf, ""); err == nil {
			for _, r := range rels {
				if strings.HasSuffix(r.typ, "/officeDocument") && byName[r.target] != nil {
					return r.target
				}
			}
		}
	}
	for _, p := range []string{"word/document.xml", "xl/workbook.xml", "ppt/presentation.xml"} {
		if byName[p] != nil {
			return p
		}
	}
	return ""
}

// refReadRels reads a relationships part; targets are resolved against dir
// (the directory of the part the relationships belong to).
func refReadRels(open Opener, zf *zip.File, dir string) ([]rel, error) {
	rc, err := open(zf)
	if err != nil {
		return nil, err
	}
	defer func() { _ = rc.Close() }()
	d := refNewDecoder(io.LimitReader(rc, maxSmallPart))
	var out []rel
	for {
		tok, err := d.RawToken()
		if err == io.EOF {
			return out, nil
		}
		if err != nil {
			return out, fmt.Errorf("%s: %w", zf.Name, err)
		}
		se, ok := tok.(xml.StartElement)
		if !ok || se.Name.Local != "Relationship" {
			continue
		}
		var r rel
		external := false
		for _, a := range se.Attr {
			switch a.Name.Local {
			case "Id":
				r.id = a.Value
			case "Type":
				r.typ = a.Value
			case "Target":
				r.target = a.Value
			case "TargetMode":
				external = a.Value == "External"
			}
		}
		if external {
			continue
		}
		if strings.HasPrefix(r.target, "/") {
			r.target = strings.TrimPrefix(r.target, "/")
		} else {
			r.target = path.Join(dir, r.target)
		}
		out = append(out, r)
	}
}

// refRead reads the document of the given kind in the zip package zr into
// sink as loc. Parts are opened with open. A failure of the whole
// document is returned; a failed sheet is reported with sink.Failed and
// the other sheets are read.
func refRead(ctx context.Context, kind Kind, zr *zip.Reader, open Opener, loc sources.Location, rd *files.Reader, sink sources.Sink) error {
	byName := names(zr)
	part := func(name string, rules *textRules) xmlPart {
		zf := byName[name]
		return xmlPart{name: name, rules: rules, open: func() (io.ReadCloser, error) { return open(zf) }}
	}
	var parts []xmlPart
	switch kind {
	case XLSX:
		return refReadXLSX(ctx, byName, open, loc, sink)
	case ODS:
		zf := byName["content.xml"]
		if zf == nil {
			return errors.New("content.xml missing")
		}
		return refReadODS(ctx, zf, open, loc, sink)
	case DOCX:
		main := refMainPart(byName, open)
		if main == "" {
			return errors.New("main document part missing")
		}
		parts = append(parts, part(main, wordRules))
		var extra []string
		for name := range byName {
			base := path.Base(name)
			if path.Dir(name) == path.Dir(main) && name != main && strings.HasSuffix(base, ".xml") &&
				(strings.HasPrefix(base, "header") || strings.HasPrefix(base, "footer") ||
					base == "footnotes.xml" || base == "endnotes.xml" || base == "comments.xml") {
				extra = append(extra, name)
			}
		}
		slices.SortFunc(extra, naturalCompare)
		for _, n := range extra {
			parts = append(parts, part(n, wordRules))
		}
	case PPTX:
		var slides, notes []string
		for name := range byName {
			switch {
			case strings.HasPrefix(name, "ppt/slides/slide") && strings.HasSuffix(name, ".xml"):
				slides = append(slides, name)
			case strings.HasPrefix(name, "ppt/notesSlides/notesSlide") && strings.HasSuffix(name, ".xml"):
				notes = append(notes, name)
			}
		}
		slices.SortFunc(slides, naturalCompare)
		slices.SortFunc(notes, naturalCompare)
		for _, n := range append(slides, notes...) {
			parts = append(parts, part(n, slideRules))
		}
	case ODT, ODP:
		if byName["content.xml"] == nil {
			return errors.New("content.xml missing")
		}
		parts = append(parts, part("content.xml", odfRules))
	default:
		return fmt.Errorf("unknown document kind %q", kind)
	}
	for _, meta := range []string{"docProps/core.xml", "meta.xml"} {
		if byName[meta] != nil {
			parts = append(parts, part(meta, metaRules))
		}
	}
	return rd.ReadText(ctx, refNewTextReader(ctx, parts), loc, sink)
}

// refTextReader extracts the text of a sequence of XML parts as UTF-8 lines,
// pulling XML tokens only as the caller reads: memory is bounded by the
// splitter's limits whatever the size of a part.
type refTextReader struct {
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

func refNewTextReader(ctx context.Context, parts []xmlPart) *refTextReader {
	return &refTextReader{ctx: ctx, parts: parts}
}

// Read implements io.Reader.
func (t *refTextReader) Read(p []byte) (int, error) {
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
func (t *refTextReader) step() error {
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
		t.dec = refNewDecoder(rc)
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

func (t *refTextReader) newline() {
	t.out = append(t.out, '\n')
	t.lineOut = false
}

// refNewDecoder returns an encoding/xml decoder over r with bounded tokens.
// It resolves no namespaces (RawToken) and no external entities; unknown
// entities are errors.
func refNewDecoder(r io.Reader) *xml.Decoder {
	d := xml.NewDecoder(newSplitter(r))
	d.CharsetReader = func(charset string, input io.Reader) (io.Reader, error) {
		// OOXML and ODF are UTF-8 or UTF-16; UTF-16 parts are rare and
		// not decoded here.
		return nil, fmt.Errorf("unsupported XML encoding %q", charset)
	}
	return d
}

// refReadSharedStrings reads the string table: the text of each si, without
// phonetic runs (rPh).
func refReadSharedStrings(ctx context.Context, open Opener, zf *zip.File, limit int) (*sharedStrings, error) {
	rc, err := open(zf)
	if err != nil {
		return nil, err
	}
	defer func() { _ = rc.Close() }()
	d := refNewDecoder(rc)
	t := &sharedStrings{}
	inT, inPh := 0, 0
	for n := 0; ; n++ {
		if n&4095 == 0 {
			if err := ctx.Err(); err != nil {
				return nil, err
			}
		}
		tok, err := d.RawToken()
		if err == io.EOF {
			return t, nil
		}
		if err != nil {
			return nil, fmt.Errorf("%s: %w", zf.Name, err)
		}
		switch tok := tok.(type) {
		case xml.StartElement:
			switch tok.Name.Local {
			case "t":
				inT++
			case "rPh":
				inPh++
			}
		case xml.EndElement:
			switch tok.Name.Local {
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
		case xml.CharData:
			if inT > 0 && inPh == 0 {
				if len(t.data)+len(tok)+4*len(t.ends) > limit {
					return nil, fmt.Errorf("%s: %w (%d bytes)", zf.Name, ErrSharedStrings, limit)
				}
				t.data = append(t.data, tok...)
			}
		}
	}
}

// refReadXLSX reads every worksheet of a workbook.
func refReadXLSX(ctx context.Context, byName map[string]*zip.File, open Opener, loc sources.Location, sink sources.Sink) error {
	wbPath := refMainPart(byName, open)
	if wbPath == "" || byName[wbPath] == nil {
		return errors.New("workbook part missing")
	}
	dir := path.Dir(wbPath)
	relsByID := map[string]rel{}
	var sstPath string
	if zf := byName[path.Join(dir, "_rels", path.Base(wbPath)+".rels")]; zf != nil {
		rels, err := refReadRels(open, zf, dir)
		if err != nil {
			return err
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
	sheets, err := refReadWorkbook(open, byName[wbPath], relsByID, dir)
	if err != nil {
		return err
	}
	sst := &sharedStrings{}
	if zf := byName[sstPath]; zf != nil {
		if sst, err = refReadSharedStrings(ctx, open, zf, MaxSharedStrings); err != nil {
			return err
		}
	}
	for _, sh := range sheets {
		sloc := loc
		sloc.Path += "!" + sh.name
		zf := byName[sh.part]
		if zf == nil {
			sink.Failed(sloc, fmt.Errorf("read %s: worksheet part %s missing", sloc.Path, sh.part))
			continue
		}
		if err := refReadXLSXSheet(ctx, open, zf, sst, sloc, sink); err != nil {
			if ctx.Err() != nil {
				return ctx.Err()
			}
			if errors.Is(err, errSink) {
				return errors.Unwrap(err)
			}
			sink.Failed(sloc, fmt.Errorf("read %s: %w", sloc.Path, err))
		}
	}
	return nil
}

// refReadWorkbook lists the worksheets in order with their part paths.
func refReadWorkbook(open Opener, zf *zip.File, rels map[string]rel, dir string) ([]xlsxSheet, error) {
	rc, err := open(zf)
	if err != nil {
		return nil, err
	}
	defer func() { _ = rc.Close() }()
	d := refNewDecoder(rc)
	var out []xlsxSheet
	n := 0
	for {
		tok, err := d.RawToken()
		if err == io.EOF {
			return out, nil
		}
		if err != nil {
			return out, fmt.Errorf("%s: %w", zf.Name, err)
		}
		se, ok := tok.(xml.StartElement)
		if !ok || se.Name.Local != "sheet" {
			continue
		}
		n++
		var name, id string
		for _, a := range se.Attr {
			switch {
			case a.Name.Local == "name":
				name = a.Value
			case a.Name.Local == "id" && a.Name.Space != "":
				id = a.Value
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

// refReadXLSXSheet streams one worksheet's cells.
func refReadXLSXSheet(ctx context.Context, open Opener, zf *zip.File, sst *sharedStrings, loc sources.Location, sink sources.Sink) error {
	rc, err := open(zf)
	if err != nil {
		return err
	}
	defer func() { _ = rc.Close() }()
	d := refNewDecoder(rc)
	sh := newSheet(ctx, sink, loc)
	defer sh.finish()
	var (
		row       int64
		col       int
		typ       string
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
		tok, err := d.RawToken()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
		switch tok := tok.(type) {
		case xml.StartElement:
			switch tok.Name.Local {
			case "row":
				next := row + 1
				for _, a := range tok.Attr {
					if a.Name.Local == "r" {
						if r, err := strconv.ParseInt(a.Value, 10, 64); err == nil && r > 0 {
							next = r
						}
					}
				}
				row, col = next, -1
			case "c":
				inCell, typ, val = true, "", val[:0]
				next := col + 1
				for _, a := range tok.Attr {
					switch a.Name.Local {
					case "r":
						if c, r := parseCellRef(a.Value); c >= 0 {
							next = c
							if r > 0 {
								row = r
							}
						}
					case "t":
						typ = a.Value
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
		case xml.EndElement:
			switch tok.Name.Local {
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
		case xml.CharData:
			if !inCell || inF > 0 || len(val) >= maxCell {
				continue
			}
			if inV > 0 || (inIS > 0 && inT > 0 && inPh == 0) {
				val = append(val, tok[:min(len(tok), maxCell-len(val))]...)
			}
		}
	}
}

// refReadODS reads every table of an OpenDocument spreadsheet's content.xml.
// Repeated cells and rows (number-columns-repeated, number-rows-repeated)
// are read once and skip ahead.
func refReadODS(ctx context.Context, zf *zip.File, open Opener, loc sources.Location, sink sources.Sink) error {
	rc, err := open(zf)
	if err != nil {
		return err
	}
	defer func() { _ = rc.Close() }()
	d := refNewDecoder(rc)
	var (
		sh        *sheet
		tables    int
		row, next int64 // current row, next row
		col, ncol int   // current column, next column
		rowsRep   int64
		colsRep   int
		inCell    bool
		vtype     string
		value     string
		text      []byte
		paras     int
		inP       int
		nest      int // cells of tables nested in the current cell
	)
	finish := func() {
		if sh != nil {
			sh.finish()
			sh = nil
		}
	}
	defer finish()
	repeat := func(attrs []xml.Attr, name string) int64 {
		for _, a := range attrs {
			if a.Name.Local == name {
				if n, err := strconv.ParseInt(a.Value, 10, 64); err == nil && n > 0 {
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
		tok, err := d.RawToken()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return fmt.Errorf("%s: %w", zf.Name, err)
		}
		switch tok := tok.(type) {
		case xml.StartElement:
			switch tok.Name.Local {
			case "table":
				if sh != nil {
					continue // a table inside a cell: its text is cell text
				}
				tables++
				name := "Sheet" + strconv.Itoa(tables)
				for _, a := range tok.Attr {
					if a.Name.Local == "name" && a.Value != "" {
						name = a.Value
					}
				}
				sloc := loc
				sloc.Path += "!" + name
				sh = newSheet(ctx, sink, sloc)
				next = 1
			case "table-row":
				if sh == nil || inCell {
					continue
				}
				row = next
				rowsRep = repeat(tok.Attr, "number-rows-repeated")
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
				colsRep = int(repeat(tok.Attr, "number-columns-repeated"))
				inCell, vtype, value, text, paras = true, "", "", text[:0], 0
				for _, a := range tok.Attr {
					switch a.Name.Local {
					case "value-type":
						vtype = a.Value
					case "value", "date-value", "time-value":
						value = a.Value
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
		case xml.EndElement:
			switch tok.Name.Local {
			case "table":
				if sh != nil && !inCell {
					finish()
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
				switch vtype {
				case "float", "percentage", "currency":
					err = sh.cell(row, col, []byte(value), true)
				case "date", "time":
					err = sh.cell(row, col, []byte(value), false)
				case "boolean":
				default:
					err = sh.cell(row, col, text, false)
				}
				if err != nil {
					return err
				}
			}
		case xml.CharData:
			if inCell && inP > 0 && len(text) < maxCell {
				text = append(text, tok[:min(len(tok), maxCell-len(text))]...)
			}
		}
	}
}

// splitMark is what splits a long text run: an element no extractor knows.
const splitMark = "<_/>"

// splitter passes XML through, inserting splitMark into text runs longer
// than maxTextRun at a point that is neither inside an entity reference
// nor inside a UTF-8 sequence, and failing on tags longer than maxMarkup.
// It tracks quotes only after '=' inside a tag, so that '>' inside an
// attribute value does not end the tag. Comments, CDATA sections and
// processing instructions are treated like tags or text; at worst a split
// mark lands inside one of them, where it is harmless text.
type splitter struct {
	r      io.Reader
	buf    []byte
	start  int // buf[start:end] is unread input
	end    int
	err    error
	run    int  // length of the current text run or tag
	inTag  bool // between '<' and '>'
	quote  byte // the quote of an attribute value being read, or 0
	eq     bool // the last non-space byte in the tag was '='
	entity int  // bytes since '&' inside an entity reference, or 0
	mark   int  // bytes of splitMark still to emit (from its start)
}

func newSplitter(r io.Reader) *splitter {
	return &splitter{r: r, buf: make([]byte, 32<<10)}
}

func (s *splitter) Read(p []byte) (int, error) {
	n := 0
	for n < len(p) {
		if s.mark > 0 {
			c := copy(p[n:], splitMark[len(splitMark)-s.mark:])
			n += c
			s.mark -= c
			continue
		}
		if s.start == s.end {
			if n > 0 {
				return n, nil
			}
			if s.err != nil {
				return 0, s.err
			}
			m, err := s.r.Read(s.buf)
			s.start, s.end = 0, m
			if err != nil {
				s.err = err
			}
			if m == 0 && err == nil {
				return 0, io.ErrNoProgress
			}
			continue
		}
		// Copy bytes while tracking state; stop where a mark goes.
		i := s.start
		lim := min(s.end, s.start+len(p)-n)
		for ; i < lim; i++ {
			c := s.buf[i]
			if s.inTag {
				s.run++
				if s.run > maxMarkup {
					s.err = fmt.Errorf("%w (%d bytes)", errMarkupTooLong, maxMarkup)
					n += copy(p[n:], s.buf[s.start:i])
					s.start, s.end = 0, 0
					if n > 0 {
						return n, nil
					}
					return 0, s.err
				}
				switch {
				case s.quote != 0:
					if c == s.quote {
						s.quote = 0
					}
				case c == '"' || c == '\'':
					if s.eq {
						s.quote = c
					}
					s.eq = false
				case c == '=':
					s.eq = true
				case c == '>':
					s.inTag, s.run, s.eq = false, 0, false
				case c == ' ' || c == '\t' || c == '\n' || c == '\r':
				default:
					s.eq = false
				}
				continue
			}
			if c == '<' {
				s.inTag, s.run, s.quote, s.eq, s.entity = true, 1, 0, false, 0
				continue
			}
			if s.run >= maxTextRun && s.entity == 0 && (c < 0x80 || c >= 0xc0) {
				// Insert the mark before this byte.
				s.run = 0
				s.mark = len(splitMark)
				break
			}
			s.run++
			switch {
			case c == '&':
				s.entity = 1
			case s.entity > 0:
				if c == ';' || s.entity > 32 {
					s.entity = 0
				} else {
					s.entity++
				}
			}
		}
		n += copy(p[n:], s.buf[s.start:i])
		s.start = i
	}
	return n, nil
}
