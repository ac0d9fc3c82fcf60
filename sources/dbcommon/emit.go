package dbcommon

import (
	"bytes"
	"context"

	"github.com/piimap/piimap/sources"
)

// Col is one column of a table being read.
type Col struct {
	Name  string
	Type  string // the type as the catalog shows it: "character varying(50)", "bigint"
	Class Class
	// Scan is whether values are delivered: the class is not Skip, and
	// Binary only with Options.Binary. For a column that is not scanned the
	// query selects only whether the value is NULL ("(c IS NOT NULL) OR
	// NULL"), so that NonNull can still be counted.
	Scan bool
	// Key marks a column of the primary key: its value is selected as
	// text even when the column is not scanned, and names the row
	// (Chunk.RowKey) in the findings of the row's values.
	Key bool
	Loc sources.Location // the column location (Field = Name)
	// NonNull counts the non-empty values (scanned columns) or the non-NULL
	// values (other columns) seen.
	NonNull int64
}

// NewCol returns the column name of type typ in class cl of the table at
// tableLoc; binary columns are scanned only when binary is set.
func NewCol(tableLoc sources.Location, name, typ string, cl Class, binary bool) Col {
	loc := tableLoc
	loc.Field = name
	return Col{
		Name:  name,
		Type:  typ,
		Class: cl,
		Scan:  cl != Skip && (cl != Binary || binary),
		Loc:   loc,
	}
}

// Reader delivers the rows of one table to a sink: one Chunk per scanned
// non-empty value (split into overlapping chunks when longer than the chunk
// size), and when the table is done one Column per column, the Table
// statistics and Scanned. It allocates nothing per value.
type Reader struct {
	Sink      sources.Sink
	Loc       sources.Location // the table
	Cols      []Col
	ChunkSize int
	Rows      int64 // rows delivered
	Bytes     int64 // value bytes delivered
	// Complete is set by the source when every row of the table has been
	// delivered (sources.Table.Complete).
	Complete bool

	chunk   sources.Chunk
	key     []byte   // the row's primary key, "col=value, …"
	scratch []byte   // JSON with newlines blanked
	pad     [11]byte // a padded wide integer
}

// NewReader returns a Reader for the table at loc with the given columns.
// chunkSize <= 0 means sources.DefaultChunkSize.
func NewReader(sink sources.Sink, loc sources.Location, cols []Col, chunkSize int) *Reader {
	if chunkSize <= 0 {
		chunkSize = sources.DefaultChunkSize
	}
	return &Reader{Sink: sink, Loc: loc, Cols: cols, ChunkSize: chunkSize}
}

// Row delivers one row. vals[i] is the raw value of Cols[i], nil for NULL;
// for a column that is not scanned any non-nil value means "not NULL". The
// values are only read during the call.
func (r *Reader) Row(ctx context.Context, vals [][]byte) error {
	r.Rows++
	r.key = r.key[:0]
	for i := range r.Cols {
		if c := &r.Cols[i]; c.Key && i < len(vals) && len(vals[i]) > 0 {
			if len(r.key) > 0 {
				r.key = append(r.key, ", "...)
			}
			r.key = append(append(append(r.key, c.Name...), '='), vals[i]...)
		}
	}
	r.chunk.RowKey = nil
	if len(r.key) > 0 {
		r.chunk.RowKey = r.key
	}
	for i := range r.Cols {
		c := &r.Cols[i]
		if i >= len(vals) || vals[i] == nil {
			continue
		}
		v := vals[i]
		if !c.Scan {
			c.NonNull++
			continue
		}
		if len(v) == 0 {
			continue
		}
		c.NonNull++
		if err := r.emit(ctx, c, v); err != nil {
			return err
		}
	}
	return nil
}

// emit hands one value to the sink.
func (r *Reader) emit(ctx context.Context, c *Col, v []byte) error {
	isJSON := c.Class == JSON
	switch {
	case c.Class == WideInt:
		v = PadWideInt(v, r.pad[:0])
	case isJSON && bytes.ContainsAny(v, "\r\n"):
		// JSON lines: the scanner finds the key path of a value within
		// its line. Newlines outside strings are whitespace (inside
		// strings they must be escaped), so blanking them keeps the
		// document and every offset.
		buf := append(r.scratch[:0], v...)
		for i, b := range buf {
			if b == '\n' || b == '\r' {
				buf[i] = ' '
			}
		}
		r.scratch = buf[:0]
		v = buf
	}
	r.Bytes += int64(len(v))
	ch := &r.chunk
	ch.Loc = c.Loc
	ch.Row = r.Rows
	if len(v) <= r.ChunkSize {
		ch.Data, ch.Skip, ch.Limit, ch.JSON = v, 0, 0, isJSON
		return r.Sink.Text(ctx, ch)
	}
	// A value larger than a chunk: overlapping pieces, each owning the
	// matches that start in its ChunkSize bytes. JSON context is lost
	// across pieces, so they go as plain text.
	for start := 0; start < len(v); start += r.ChunkSize {
		s := max(0, start-sources.Overlap)
		e := min(len(v), start+r.ChunkSize+sources.Overlap)
		ch.Data = v[s:e]
		ch.Skip = start - s
		ch.Limit = 0
		if start+r.ChunkSize < len(v) {
			ch.Limit = start + r.ChunkSize - s
		}
		ch.JSON = false
		if err := r.Sink.Text(ctx, ch); err != nil {
			return err
		}
	}
	return nil
}

// Finish announces every column and the table statistics. method says how
// the table was read, estimated is the estimated total rows (-1 unknown).
// Scanned is reported only when the table was read without failure.
func (r *Reader) Finish(method string, estimated int64, failed bool) {
	for _, c := range r.Cols {
		r.Sink.Column(sources.Column{Loc: c.Loc, Type: c.Type, Rows: r.Rows, NonNull: c.NonNull})
	}
	r.Sink.Table(sources.Table{Loc: r.Loc, Method: method, Rows: r.Rows, Estimated: estimated, Complete: r.Complete && !failed})
	if !failed {
		r.Sink.Scanned(r.Loc, r.Bytes, r.Rows)
	}
}
