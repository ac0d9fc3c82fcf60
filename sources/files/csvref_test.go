package files

// This file keeps the reader of CSV through encoding/csv that readCSV
// replaced, as the reference for the differential test.

import (
	"bytes"
	"context"
	"encoding/csv"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/piimap/piimap/sources"
)

// csvFeed feeds encoding/csv and keeps every byte handed over since the end
// of the last complete record (at most max bytes: beyond that it fails with
// errRecordTooLarge), so that on a parse error the rest of the content can
// be read as plain text from the start of the bad record.
type csvFeed struct {
	r     io.Reader
	max   int
	keep  []byte // keep[start:] is the content from offset base
	start int
	base  int64 // content offset of keep[start]
	line  int64 // line number at base
	err   error // the error r ended with, if not io.EOF
	big   bool  // errRecordTooLarge was returned
}

func (f *csvFeed) Read(p []byte) (int, error) {
	live := len(f.keep) - f.start
	if live >= f.max {
		f.big = true
		return 0, errRecordTooLarge
	}
	if len(p) > f.max-live {
		p = p[:f.max-live]
	}
	if len(f.keep)+len(p) > cap(f.keep) {
		f.keep = f.keep[:copy(f.keep, f.keep[f.start:])]
		f.start = 0
	}
	n, err := f.r.Read(p)
	f.keep = append(f.keep, p[:n]...)
	if err != nil && err != io.EOF {
		f.err = err
	}
	return n, err
}

// commit marks content offset off (the end of a complete record) as done.
func (f *csvFeed) commit(off int64) {
	d := int(off - f.base)
	f.line += int64(bytes.Count(f.keep[f.start:f.start+d], nl))
	f.start += d
	f.base = off
}

// rest returns the content from the last commit on: kept bytes, then the
// rest of r (or the error r ended with).
func (f *csvFeed) rest() io.Reader {
	p := &prefixed{head: f.keep[f.start:], r: f.r, err: f.err}
	return p
}

// readCSVRef hands every non-empty field to sink as its own chunk, with the
// header's name as Loc.Field, Row the 1-based data row (the header is not
// counted) and Line the line the field starts on; then it announces each
// column with sink.Column. A record that cannot be parsed, or one larger
// than max(ChunkSize, 64 KiB), is reported with sink.Failed (path:line)
// and the rest of the content, from that record on, is read as plain text.
func (x *Reader) readCSVRef(ctx context.Context, r io.Reader, loc sources.Location, comma rune, b *buffers, sink sources.Sink) (rerr, err error) {
	maxRec := max(x.opt.ChunkSize, minCSVRecord)
	if cap(b.keep) < maxRec+4096 {
		b.keep = make([]byte, 0, maxRec+4096)
	}
	feed := &csvFeed{r: r, max: maxRec, keep: b.keep[:0], line: 1}
	defer func() { b.keep = feed.keep[:0] }()
	cr := csv.NewReader(feed)
	cr.Comma = comma
	cr.LazyQuotes = true
	cr.ReuseRecord = true
	cr.FieldsPerRecord = -1

	var cols []colStat
	var rows int64
	announce := func() {
		for _, c := range cols {
			l := loc
			l.Field = c.name
			sink.Column(sources.Column{Loc: l, Rows: rows, NonNull: c.nonNull})
		}
	}
	fallback := func(perr error) (error, error) {
		announce()
		if feed.err != nil {
			// The content itself failed (a truncated .csv.gz): scan what
			// was read, then report that error.
			return x.readText(ctx, feed.rest(), loc, false, feed.line, b, sink)
		}
		if feed.big {
			perr = fmt.Errorf("%w (more than %d bytes)", errRecordTooLarge, maxRec)
		}
		sink.Failed(loc, fmt.Errorf("%s:%d: %w; the rest of the file is scanned as plain text", loc.Path, feed.line, perr))
		return x.readText(ctx, feed.rest(), loc, false, feed.line, b, sink)
	}

	rec, perr := cr.Read()
	if perr == io.EOF {
		return nil, nil
	}
	if perr != nil {
		return fallback(perr)
	}
	// The first record is a header unless its cells say it is data
	// (sources.FirstRowOf), or, when they do not tell, the second record
	// does (sources.HeaderAbove). Records are copied: cr reuses them.
	type kept struct {
		fields []string
		lines  []int64
	}
	keep := func() kept {
		k := kept{fields: slices.Clone(rec)}
		for i := range rec {
			line, _ := cr.FieldPos(i)
			k.lines = append(k.lines, int64(line))
		}
		return k
	}
	first := keep()
	feed.commit(cr.InputOffset())
	var pending []kept
	header := true
	var secondErr error
	switch sources.FirstRowOf(bytesOf(first.fields)) {
	case sources.FirstRowData:
		header, pending = false, []kept{first}
	case sources.FirstRowUnsure:
		rec, perr = cr.Read()
		switch {
		case perr == io.EOF:
			header, pending = false, []kept{first}
		case perr != nil:
			header, pending, secondErr = false, []kept{first}, perr
		default:
			second := keep()
			header = sources.HeaderAbove(bytesOf(first.fields), bytesOf(second.fields))
			if header {
				pending = []kept{second}
			} else {
				pending = []kept{first, second}
			}
		}
	}
	cols = make([]colStat, len(first.fields))
	for i, h := range first.fields {
		if !header {
			h = ""
		}
		cols[i].name = columnName(h, i)
	}
	emit := func(fields []string, lines []int64) error {
		rows++
		return refRecord(ctx, sink, b, loc, &cols, fields, lines, rows)
	}
	for _, k := range pending {
		if err := emit(k.fields, k.lines); err != nil {
			return nil, err
		}
	}
	if secondErr != nil {
		return fallback(secondErr)
	}
	if len(pending) > 0 {
		feed.commit(cr.InputOffset())
	}
	for {
		if rows&255 == 0 {
			if err := ctx.Err(); err != nil {
				return nil, err
			}
		}
		rec, perr = cr.Read()
		if perr == io.EOF {
			break
		}
		if perr != nil {
			return fallback(perr)
		}
		lines := make([]int64, len(rec))
		for i := range rec {
			line, _ := cr.FieldPos(i)
			lines[i] = int64(line)
		}
		if err := emit(rec, lines); err != nil {
			return nil, err
		}
		feed.commit(cr.InputOffset())
	}
	announce()
	return nil, nil
}

// bytesOf converts fields to the [][]byte the header rule reads.
func bytesOf(fields []string) [][]byte {
	bs := make([][]byte, len(fields))
	for i, f := range fields {
		bs[i] = []byte(f)
	}
	return bs
}

// refRecord hands the non-blank fields of one record, row row, to sink
// each as its own chunk under its column's name (cols grows for fields
// beyond the header's), as both references of readCSV do.
func refRecord(ctx context.Context, sink sources.Sink, b *buffers, loc sources.Location, cols *[]colStat, fields []string, lines []int64, row int64) error {
	c := &b.c
	for i, v := range fields {
		if i >= len(*cols) {
			*cols = append(*cols, colStat{name: columnName("", i)})
		}
		if strings.TrimSpace(v) == "" {
			continue
		}
		(*cols)[i].nonNull++
		b.field = append(b.field[:0], v...)
		l := loc
		l.Field = (*cols)[i].name
		*c = sources.Chunk{Loc: l, Data: b.field, Line: lines[i], Row: row}
		if err := sink.Text(ctx, c); err != nil {
			return err
		}
	}
	return nil
}
