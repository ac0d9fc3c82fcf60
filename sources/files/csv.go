package files

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/piimap/piimap/internal/bitmask"
	"github.com/piimap/piimap/sources"
)

// minCSVRecord is the least record size allowed, whatever the chunk size.
const minCSVRecord = 64 << 10

// maxBlockFields bounds the fields in one block, so that the field table
// stays small however short the fields are.
const maxBlockFields = 16 << 10

// errRecordTooLarge: one record is larger than the bound.
var errRecordTooLarge = errors.New("CSV record too large")

type colStat struct {
	name    string
	nonNull int64
}

// csvBlock collects the fields of whole records column by column: each
// column's non-blank fields in row order, their contents one after the
// other in the column's own buffer, each followed by sources.FieldSep. A
// block is handed over as one chunk per column (sources.Chunk.Fields), the
// column's own buffer, so that the detectors run once per column of a
// block rather than once per field, and nothing is copied again.
type csvBlock struct {
	cols   []csvColumn
	bytes  int   // content bytes in the block
	fields int   // fields in the block
	popped []int // scratch for popRow
}

// flush hands the block over to sink, a chunk c of fields at loc under the
// columns names for each column that has fields, and empties it.
func (k *csvBlock) flush(ctx context.Context, c *sources.Chunk, loc sources.Location, names []string, sink sources.Sink) error {
	if k.fields == 0 {
		return nil
	}
	for i := range k.cols {
		col := &k.cols[i]
		if len(col.fields) == 0 {
			continue
		}
		*c = sources.Chunk{Loc: loc, Data: col.data, Fields: col.fields, Columns: names}
		if err := sink.Text(ctx, c); err != nil {
			return err
		}
	}
	k.reset()
	return nil
}

type csvColumn struct {
	data   []byte
	fields []sources.Field
}

// add appends one field of column col.
func (k *csvBlock) add(col int, content []byte, line, row int64) {
	for len(k.cols) <= col {
		k.cols = append(k.cols, csvColumn{})
	}
	c := &k.cols[col]
	start := len(c.data)
	var d []byte
	if n := len(content); n <= 16 && cap(content) >= 16 && cap(c.data)-start >= 16 {
		// A short field (most are) is copied as 16 bytes in one move,
		// not by a call: the bytes past it, which content's array holds
		// too, are overwritten by the separator and the next field.
		d = c.data[:start+16]
		*(*[16]byte)(d[start:]) = *(*[16]byte)(content[:16])
		d = d[:start+n]
	} else {
		d = append(c.data, content...)
	}
	end := len(d)
	c.data = append(d, sources.FieldSep[0], sources.FieldSep[1])
	// The field is written in place, member by member: a Field built
	// aside and copied in is read back in 16-byte words from the 8-byte
	// stores that made it, which stalls (store forwarding fails) and
	// cost about 4 ns a field.
	n := len(c.fields)
	if n == cap(c.fields) {
		c.fields = slices.Grow(c.fields, 1)
	}
	c.fields = c.fields[:n+1]
	f := &c.fields[n]
	f.Start, f.End, f.Column, f.Line, f.Row = start, end, col, line, row
	k.bytes += len(content) + len(sources.FieldSep)
	k.fields++
}

// fieldSepIs2 fails to compile unless sources.FieldSep is two bytes, as
// add writes it.
var _ = [1]struct{}{}[len(sources.FieldSep)-2]

// popRow drops the fields of row, a partial record, from the block and
// returns the columns it dropped one from. They are the last fields of
// their columns: a record adds at most one field to a column.
func (k *csvBlock) popRow(row int64) []int {
	k.popped = k.popped[:0]
	for i := range k.cols {
		c := &k.cols[i]
		n := len(c.fields)
		if n == 0 || c.fields[n-1].Row != row {
			continue
		}
		last := c.fields[n-1]
		k.fields--
		k.bytes -= len(c.data) - last.Start
		c.data = c.data[:last.Start]
		c.fields = c.fields[:n-1]
		k.popped = append(k.popped, i)
	}
	return k.popped
}

func (k *csvBlock) reset() {
	for i := range k.cols {
		k.cols[i].data = k.cols[i].data[:0]
		k.cols[i].fields = k.cols[i].fields[:0]
	}
	k.bytes, k.fields = 0, 0
}

// csvParser splits CSV into records and fields in one pass over a reused
// buffer, much as encoding/csv does with LazyQuotes, FieldsPerRecord -1
// (records of any length) and ReuseRecord: blank lines between records are
// skipped, "\r\n" is read as "\n", and a "\r" before the end of the
// content is dropped. A quote inside an unquoted field is a literal quote.
// A field that opens with a quote is a quoted field, running to its
// closing quote (one followed by the delimiter, a line break or the end of
// the content) or the end of the content, with "" a quote, unless a bare
// quote (one not doubled and not closing) comes before its first line
// break: then it is not a quoted field but an unquoted one, read from its
// opening quote to the delimiter or the end of the line, quotes and all
// (`"AGENT" K is a "doner"-wrap` in a TSV column, where encoding/csv
// would run the field on over the following records until some quote
// happened to close it). A bare quote after a quoted field's first line
// break is a literal quote, as in encoding/csv: the field has shown it is
// meant to span lines, except in a TSV: there a quoted field that meets a
// tab after its first line break is an unclosed quote (a summary that
// opens with a quote it never closes, in a PyPI export), read unquoted
// like the above rather than run on over the following records, whose
// tabs give it away. The bare-quote decision needs no more than the
// field's first line, the tab decision no more than the field itself,
// which parse has or asks for (recordIncomplete) anyway.
type csvParser struct {
	comma byte
	buf   []byte // buf[start:n] is unparsed content
	start int
	n     int
	eof   bool      // the content ends at buf[n]
	err   error     // the error reading ended with, if not io.EOF; eof is then false
	line  int64     // line number at buf[start]
	masks *csvMasks // of buf[:n], made by fill
}

// record is the outcome of parsing one record.
type record int

const (
	recordDone       record = iota // a record was parsed
	recordEnd                      // no more records
	recordIncomplete               // more content is needed
)

// parse parses the record at p.buf[p.start:], calling out.field for each
// of its fields with the content and the line it starts on (content may be
// a view into the buffer or a slice of scratch, valid during the call).
// It does not move p.start: the caller commits with end, the offset after
// the record, and lines, the line after it, on recordDone.
func (p *csvParser) parse(scratch *[]byte, out *csvFields) (res record, end int, lines int64) {
	data := p.buf[:p.n]
	i := p.start
	line := p.line
	// Skip blank lines.
	for {
		switch {
		case i < len(data) && data[i] == '\n':
			i++
			line++
			continue
		case i+1 < len(data) && data[i] == '\r' && data[i+1] == '\n':
			i += 2
			line++
			continue
		case i+1 == len(data) && data[i] == '\r':
			if !p.eof {
				return recordIncomplete, 0, 0
			}
			i++
		}
		break
	}
	if i == len(data) {
		if p.eof {
			return recordEnd, i, line
		}
		return recordIncomplete, 0, 0
	}
	comma := p.comma
	for {
		fieldLine := line
		if data[i] == '"' {
			// Quoted, unless a bare quote comes before the first line
			// break: then bare is set and the field is read unquoted
			// below, from its opening quote.
			q := i
			bare := false
			multi := false // a line break has been passed
			// The content is copied to scratch, quotes undoubled and line
			// ends normalized.
			s := (*scratch)[:0]
			i++
		quoted:
			for {
				j := bitmask.Next(p.masks.quotes, i, len(data))
				if multi && comma == '\t' && bytes.IndexByte(data[i:j], '\t') >= 0 {
					// A TSV field that ran past a line break into a
					// tab: an unclosed quote, not a quoted field.
					bare = true
					*scratch = s[:0] // keep the grown buffer
					break quoted
				}
				if j == len(data) {
					if !p.eof {
						*scratch = s[:0] // keep the grown buffer for the next try
						return recordIncomplete, 0, 0
					}
					rest := data[i:j]
					if len(rest) > 0 && rest[len(rest)-1] == '\r' {
						rest = rest[:len(rest)-1]
					}
					s = append(s, rest...)
					*scratch = s
					out.field(s, fieldLine)
					return recordDone, j, line
				}
				if data[j] == '\n' {
					seg := data[i:j]
					if len(seg) > 0 && seg[len(seg)-1] == '\r' {
						seg = seg[:len(seg)-1]
					}
					s = append(s, seg...)
					s = append(s, '\n')
					i = j + 1
					line++
					multi = true
					if i == len(data) {
						if !p.eof {
							*scratch = s[:0] // keep the grown buffer for the next try
							return recordIncomplete, 0, 0
						}
						*scratch = s
						out.field(s, fieldLine)
						return recordDone, i, line
					}
					continue
				}
				// A quote.
				s = append(s, data[i:j]...)
				i = j + 1
				if i == len(data) {
					if !p.eof {
						*scratch = s[:0] // keep the grown buffer for the next try
						return recordIncomplete, 0, 0
					}
					*scratch = s
					out.field(s, fieldLine)
					return recordDone, i, line
				}
				switch c := data[i]; {
				case c == '"':
					s = append(s, '"')
					i++
					continue
				case c == comma:
					*scratch = s
					out.field(s, fieldLine)
					i++
					if i == len(data) {
						if !p.eof {
							*scratch = s[:0] // keep the grown buffer for the next try
							return recordIncomplete, 0, 0
						}
						out.field(nil, line)
						return recordDone, i, line
					}
				case c == '\n':
					*scratch = s
					out.field(s, fieldLine)
					return recordDone, i + 1, line + 1
				case c == '\r' && i+1 < len(data) && data[i+1] == '\n':
					*scratch = s
					out.field(s, fieldLine)
					return recordDone, i + 2, line + 1
				case c == '\r' && i+1 == len(data):
					if !p.eof {
						*scratch = s[:0] // keep the grown buffer for the next try
						return recordIncomplete, 0, 0
					}
					*scratch = s
					out.field(s, fieldLine)
					return recordDone, i + 1, line
				case multi:
					s = append(s, '"') // a bare quote after a line break: literal
					continue
				default:
					// A bare quote on the field's first line: not a quoted
					// field after all.
					bare = true
					*scratch = s[:0] // keep the grown buffer
				}
				break quoted
			}
			if !bare {
				continue // the field ended at a delimiter: the next one
			}
			i, line = q, fieldLine
		}
		{
			// Unquoted: up to the delimiter or the end of the line.
			j := bitmask.Next(p.masks.ends, i, len(data))
			if j == len(data) {
				if !p.eof {
					return recordIncomplete, 0, 0
				}
				f := data[i:j]
				if len(f) > 0 && f[len(f)-1] == '\r' {
					f = f[:len(f)-1]
				}
				out.field(f, fieldLine)
				return recordDone, j, line
			}
			if data[j] == comma {
				out.field(data[i:j], fieldLine)
				i = j + 1
				if i == len(data) && !p.eof {
					return recordIncomplete, 0, 0
				}
				if i == len(data) {
					// "a,b," at the very end: a last empty field.
					out.field(nil, line)
					return recordDone, i, line
				}
				continue
			}
			f := data[i:j]
			if len(f) > 0 && f[len(f)-1] == '\r' {
				f = f[:len(f)-1]
			}
			out.field(f, fieldLine)
			return recordDone, j + 1, line + 1
		}
	}
}

// fill moves the unparsed content to the front of the buffer and reads
// more after it. It reports false when the buffer is full.
func (p *csvParser) fill(r io.Reader) bool {
	if p.start > 0 {
		p.n = copy(p.buf, p.buf[p.start:p.n])
		p.start = 0
	}
	if p.n == len(p.buf) {
		return false
	}
	m, err := fill(r, p.buf[p.n:])
	p.n += m
	p.masks.set(p.buf[:p.n], p.comma)
	switch {
	case err == io.EOF:
		p.eof = true
	case err != nil:
		p.err = err
	}
	return true
}

// rest returns the unparsed content, then the rest of r (or the error it
// ended with).
func (p *csvParser) rest(r io.Reader) io.Reader {
	return &prefixed{head: p.buf[p.start:p.n], r: r, err: p.err}
}

// readCSV reads CSV records in one pass over a reused buffer and hands
// every non-blank field to sink, in blocks of whole records grouped by
// column (sources.Chunk.Fields): the field's header name is its column,
// Row its 1-based data row (the header is not counted), Line the line it
// starts on. Then it announces each column with sink.Column. A record
// larger than max(ChunkSize, 64 KiB) is reported with sink.Failed
// (path:line) and the rest of the content, from that record on, is read as
// plain text; so is the rest after a read error, which is then reported.
func (x *Reader) readCSV(ctx context.Context, r io.Reader, loc sources.Location, comma rune, b *buffers, sink sources.Sink) (rerr, err error) {
	maxRec := max(x.opt.ChunkSize, minCSVRecord)
	if cap(b.keep) < maxRec {
		b.keep = make([]byte, maxRec)
	}
	if comma >= utf8.RuneSelf || comma == '"' || comma == '\n' || comma == '\r' {
		return nil, fmt.Errorf("unsupported CSV delimiter %q", comma)
	}
	p := &csvParser{comma: byte(comma), buf: b.keep[:maxRec], line: 1, masks: &b.csvMasks}
	k := &b.csv
	k.reset()
	loc.Field = ""

	var names []string
	f := &csvFields{k: k}
	// data adds a kept record as the next row; positional names the
	// columns by position first (the first record was not a header).
	data := func(r *csvRecord, positional bool) {
		f.rows++
		r.each(func(i int, content []byte, line int64) {
			if positional {
				f.cols[i].name = columnName("", i)
			}
			f.value(i, content, line, f.rows)
		})
	}
	flush := func() error {
		for len(names) < len(f.cols) {
			names = append(names, f.cols[len(names)].name)
		}
		return k.flush(ctx, &b.c, loc, names, sink)
	}
	announce := func() {
		for _, c := range f.cols {
			l := loc
			l.Field = c.name
			sink.Column(sources.Column{Loc: l, Rows: f.rows, NonNull: c.nonNull})
		}
	}
	for {
		if f.rows&255 == 0 {
			if err := ctx.Err(); err != nil {
				return nil, err
			}
		}
		f.idx = 0
		switch f.state {
		case csvFirst:
			f.first.reset()
		case csvSecond:
			f.second.reset()
		}
		ncols := len(f.cols)
		res, end, lines := p.parse(&b.field, f)
		switch res {
		case recordDone:
			p.start, p.line = end, lines
			switch f.state {
			case csvFirst:
				switch sources.FirstRowOf(f.first.cells()) {
				case sources.FirstRowData:
					data(&f.first, true)
					f.state = csvRows
				case sources.FirstRowHeader:
					f.state = csvRows
				default:
					f.state = csvSecond
				}
			case csvSecond:
				if sources.HeaderAbove(f.first.cells(), f.second.cells()) {
					data(&f.second, false)
				} else {
					data(&f.first, true)
					data(&f.second, false)
				}
				f.state = csvRows
			default:
				f.rows++
			}
			if k.bytes >= x.opt.ChunkSize || k.fields >= maxBlockFields {
				if err := flush(); err != nil {
					return nil, err
				}
			}
			continue
		case recordEnd:
			switch f.state {
			case csvFirst:
				return nil, nil // no records at all
			case csvSecond:
				data(&f.first, true) // one record of dates or numbers: data
			}
			if err := flush(); err != nil {
				return nil, err
			}
			announce()
			return nil, nil
		}
		// Incomplete: undo what the partial record added, read more, and
		// parse it again.
		for _, i := range k.popRow(f.rows + 1) {
			f.cols[i].nonNull--
		}
		f.cols = f.cols[:ncols]
		if p.err != nil || !p.fill(r) {
			// A read error, or a record larger than the buffer: what has
			// been parsed is handed over, the rest is read as text.
			if f.state == csvSecond {
				data(&f.first, true) // undecided: read as data, as at the end
			}
			if err := flush(); err != nil {
				return nil, err
			}
			announce()
			if p.err == nil {
				sink.Failed(loc, fmt.Errorf("%s:%d: %w (more than %d bytes); the rest of the file is scanned as plain text", loc.Path, p.line, errRecordTooLarge, maxRec))
			}
			return x.readText(ctx, p.rest(r), loc, false, p.line, b, sink)
		}
	}
}

// csvFields is what readCSV does with the fields parse finds: each is a
// column's next value (csvBlock), or a cell of the first or second record
// while those are kept to tell a header from data. parse calls its field
// method directly, where a closure would cost an indirect call per field.
type csvFields struct {
	k     *csvBlock
	state int   // csvFirst, csvSecond or csvRows
	idx   int   // the next field's index in its record
	rows  int64 // data rows read
	cols  []colStat
	// The first record is kept until it is known to be a header or data
	// (sources.FirstRowOf); when its cells alone do not tell, the second
	// record is kept too, and decides (sources.HeaderAbove).
	first, second csvRecord
}

// field takes the next field of the record being parsed.
func (f *csvFields) field(content []byte, line int64) {
	i := f.idx
	f.idx++
	if f.state == csvRows && i < len(f.cols) {
		// value, written out: the call cost 4 % of reading a CSV.
		if !blank(content) {
			f.cols[i].nonNull++
			f.k.add(i, content, line, f.rows+1)
		}
		return
	}
	f.other(i, content, line)
}

// other is field for a kept record's field or one past the columns known.
func (f *csvFields) other(i int, content []byte, line int64) {
	if f.state == csvFirst {
		f.cols = append(f.cols, colStat{name: columnName(string(content), i)})
		f.first.add(content, line)
		return
	}
	if i >= len(f.cols) {
		f.cols = append(f.cols, colStat{name: columnName("", i)})
	}
	if f.state == csvSecond {
		f.second.add(content, line)
		return
	}
	f.value(i, content, line, f.rows+1)
}

// value adds a field of column i on row to the block, unless it is blank.
func (f *csvFields) value(i int, content []byte, line, row int64) {
	if !blank(content) {
		f.cols[i].nonNull++
		f.k.add(i, content, line, row)
	}
}

// States of readCSV as to its header.
const (
	csvFirst  = iota // reading the first record
	csvSecond        // reading the second, which decides whether the first is a header
	csvRows          // reading data records
)

// csvRecord is a record kept while readCSV decides whether a CSV file's
// first record is a header: its fields' contents one after the other in
// data, ends saying where each ends and lines the line it starts on.
type csvRecord struct {
	data  []byte
	ends  []int
	lines []int64
}

func (r *csvRecord) reset() { r.data, r.ends, r.lines = r.data[:0], r.ends[:0], r.lines[:0] }

func (r *csvRecord) add(content []byte, line int64) {
	r.data = append(r.data, content...)
	r.ends = append(r.ends, len(r.data))
	r.lines = append(r.lines, line)
}

// each calls fn with each field's index, content and line.
func (r *csvRecord) each(fn func(i int, content []byte, line int64)) {
	start := 0
	for i, end := range r.ends {
		fn(i, r.data[start:end], r.lines[i])
		start = end
	}
}

// cells returns the fields' contents.
func (r *csvRecord) cells() [][]byte {
	var cs [][]byte
	r.each(func(_ int, content []byte, _ int64) { cs = append(cs, content) })
	return cs
}

// blank reports whether b is empty or only white space (as
// strings.TrimSpace sees it).
func blank(b []byte) bool {
	// Most fields start with a byte that is no space: told inline.
	return len(b) == 0 || mayBeSpace[b[0]] && blankRest(b)
}

// mayBeSpace marks the bytes that are ASCII white space or may start a
// Unicode one (any byte of a multi-byte sequence). A constant lookup table.
var mayBeSpace = func() (t [256]bool) {
	for _, c := range []byte(" \t\n\v\f\r") {
		t[c] = true
	}
	for c := utf8.RuneSelf; c < 256; c++ {
		t[c] = true
	}
	return t
}()

// blankRest is blank past the first byte's quick test.
func blankRest(b []byte) bool {
	for i := 0; i < len(b); i++ {
		c := b[i]
		if c >= utf8.RuneSelf {
			return len(bytes.TrimSpace(b[i:])) == 0
		}
		if c != ' ' && c != '\t' && c != '\n' && c != '\r' && c != '\v' && c != '\f' {
			return false
		}
	}
	return true
}

// columnName is a header cell trimmed of spaces and a BOM, or "column N"
// (1-based) for an empty or missing one.
func columnName(h string, i int) string {
	h = strings.TrimSpace(strings.TrimPrefix(h, "\ufeff"))
	if h == "" {
		return "column " + strconv.Itoa(i+1)
	}
	return h
}
