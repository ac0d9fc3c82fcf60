// Package sources defines what every source yields: content with its
// location. A source reads one kind of target (a directory tree, a database,
// a file share) and hands content to a Sink; it knows nothing about
// detectors. The sub-packages implement the kinds: files, postgres, mysql,
// smb, sqlite. The key readers of structured text live here too, as every
// source hands such text over: JSONKeyReader, XMLKeyReader and
// YAMLKeyReader give the key path at a position, and their states
// (JSONState, XMLState, YAMLState) carry a document from chunk to chunk.
package sources

import (
	"cmp"
	"context"
	"slices"
	"strings"
	"time"
)

// Location is where content lives, precisely enough to go and look. It never
// contains a password.
type Location struct {
	// Target is "" for local files; otherwise the redacted target URL
	// without a trailing slash: "postgres://db:5432/shop", "smb://host/share".
	Target string `json:"target,omitempty"`
	// Path is the file path relative to the target root (or, for a file
	// named as the target or several targets scanned together, the path
	// as given: files.WithTargetPrefix), with "!" between an
	// archive and its member ("exports/2024.zip!kunder.csv"), or the table
	// ("public.customers").
	Path string `json:"path"`
	// Field is the column, CSV header, JSON, XML or YAML key path or sheet
	// column, or "".
	Field string `json:"field,omitempty"`
	// Table marks a database location: the field is joined with ".".
	Table bool `json:"table,omitempty"`
}

// String renders the location as declaration globs see it:
// "file:logs/app.log", "file:exports/kunder.csv#fnr",
// "postgres://db:5432/shop/public.customers.fnr".
func (l Location) String() string {
	var b strings.Builder
	if l.Target == "" {
		b.WriteString("file:")
	} else {
		b.WriteString(l.Target)
		b.WriteByte('/')
	}
	if l.Target != "" && l.Path == "" && l.Field == "" {
		// The target itself (a failure to connect): no trailing slash.
		return strings.TrimSuffix(b.String(), "/")
	}
	b.WriteString(l.Path)
	if l.Field != "" {
		if l.Table {
			b.WriteByte('.')
		} else {
			b.WriteByte('#')
		}
		b.WriteString(l.Field)
	}
	return b.String()
}

// Resource is the location without its field: the file or the table.
func (l Location) Resource() Location {
	l.Field = ""
	return l
}

// Chunk is a piece of content. Data is only valid during Sink.Text.
type Chunk struct {
	Loc  Location
	Data []byte
	// Line is the 1-based line number of Data[0], or 0 when the content
	// has no lines. A Part numbers the lines of its own content (Part.Lines).
	Line int64
	// OneLine makes Line the line of every value in Data: Data is the text
	// of one item of a container, Line its number (a message in a mailbox
	// folder), and its own lines are not counted.
	OneLine bool
	// Row is the 1-based row (CSV record, database row) or 0.
	Row int64
	// RowKey is the primary key of the database row the chunk is a value
	// of, as "col=value" (", "-separated for composite keys), or nil. Like
	// Data it is only valid during Sink.Text; it may itself be personal
	// data (the scanner masks it).
	RowKey []byte
	// Skip and Limit bound the offsets at which matches in this chunk start;
	// chunks overlap so that values across chunk edges are found exactly
	// once. Limit 0 means len(Data).
	Skip, Limit int
	// JSON marks structured text (JSON lines; JSON, XML and YAML documents
	// with JSONDoc, XMLDoc or YAMLDoc): the key path of each value is
	// context and is reported as the field.
	JSON bool
	// JSONDoc, set with JSON, marks a JSON document that is not cut at its
	// lines (pretty-printed, or one long line): it is the document's state
	// at Data[0], from which the key paths are read across the whole chunk.
	JSONDoc *JSONState
	// XMLDoc, set with JSON, marks an XML document: it is the document's
	// state at Data[0], and a value's key path is its element path.
	XMLDoc *XMLState
	// YAMLDoc, set with JSON, marks a YAML document: it is the document's
	// state at Data[0], and a value's key path is its keys' path.
	YAMLDoc *YAMLState
	// Fields, when set, makes Data a block of CSV fields rather than text:
	// each field's content is Data[Start:End], and fields are separated by
	// FieldSep, so that no value or context runs from one field into the
	// next. Loc.Field is then "", each field's column being
	// Columns[Column]; Line and Row are the field's own, and Skip and Limit
	// are 0 (a block's fields come from whole records; a CSV block is
	// handed over one column at a time, in row order).
	Fields []Field
	// Columns names the columns Fields refer to.
	Columns []string
}

// Field is one field (cell) of a block of CSV fields in a Chunk.
type Field struct {
	Start, End int   // the content: Chunk.Data[Start:End]
	Column     int   // index into Chunk.Columns
	Line       int64 // the line the field starts on
	Row        int64 // the 1-based data row
}

// FieldSep ends every field in a block of fields: a line break, so that
// context words are never read across fields, and a NUL byte, which no
// value shape joins across.
const FieldSep = "\n\x00"

// EachField calls fn once per field of a block of fields, in row order
// (then column order), with a chunk that holds that field alone, as a
// source reading one field per chunk would hand it over; a chunk without
// Fields is passed on as it is. The chunk given to fn is reused between
// calls.
func EachField(c *Chunk, fn func(*Chunk) error) error {
	if c.Fields == nil {
		return fn(c)
	}
	order := make([]int, len(c.Fields))
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(a, b int) int {
		fa, fb := &c.Fields[a], &c.Fields[b]
		return cmp.Or(cmp.Compare(fa.Row, fb.Row), cmp.Compare(fa.Column, fb.Column))
	})
	var one Chunk
	for _, i := range order {
		f := c.Fields[i]
		loc := c.Loc
		loc.Field = c.Columns[f.Column]
		one = Chunk{Loc: loc, Data: c.Data[f.Start:f.End:f.End], Line: f.Line, Row: f.Row}
		if err := fn(&one); err != nil {
			return err
		}
	}
	return nil
}

// Column describes a column, CSV header or spreadsheet column once its values
// have been read: its name is evidence on its own (fornavn → name).
type Column struct {
	Loc     Location // with Field set to the column name
	Type    string   // database type, if any
	Rows    int64    // rows read
	NonNull int64    // non-empty values seen
}

// Table describes how a database table was read.
type Table struct {
	Loc       Location // Field empty
	Method    string   // "full", "tablesample system", "pk-range probes", "limit", …
	Rows      int64    // rows read
	Estimated int64    // estimated total rows, -1 when unknown
	// Complete is whether every row was read (a small table read whole,
	// --full, or a --budget that reached the end): Rows is then the
	// table's exact size.
	Complete bool
}

// Sink receives what a source reads. Implementations are used by one
// goroutine at a time (one per unit).
type Sink interface {
	// Text hands over content. The sink does not keep c.Data.
	Text(ctx context.Context, c *Chunk) error
	// Column announces a column and its statistics.
	Column(c Column)
	// Table announces how a table was sampled.
	Table(t Table)
	// Failed records that loc could not be (fully) read; the scan goes on.
	Failed(loc Location, err error)
	// Skipped records that loc was deliberately not scanned, and why
	// ("binary", "larger than --max-file-size", …).
	Skipped(loc Location, reason string)
	// Scanned records that loc was read: bytes for files, rows for tables.
	Scanned(loc Location, bytes, rows int64)
}

// Unit is one piece of work: a file, a table. Units are read concurrently.
type Unit interface {
	// Location is the unit's resource location; sharding hashes its string.
	Location() Location
	// Size is the expected work in bytes (files) or rows (tables), for progress; -1 if unknown.
	Size() int64
	// Read reads the unit into sink. An error means the unit failed as a
	// whole; partial failures go to sink.Failed.
	Read(ctx context.Context, sink Sink) error
}

// Part is a Unit that is one of several consecutive parts of one resource,
// such as a byte range of a large log file, so that several workers read
// the resource at once. A source yields the parts of a resource one after
// the other, in order, each with the resource's Location. Each part hands
// over its own content and reports its failures and, with Sink.Scanned,
// the bytes it owns (the parts' bytes add up to the resource's).
//
// A part numbers the lines of its content on its own, without knowing how
// many lines the parts before it hold: Chunk.Line is 1 at the first byte
// it hands over, which may come before the bytes it owns (context, before
// its first chunk's Skip). Lines then says how its numbers map to the
// resource's. The scanner merges the parts of a resource in order, so that
// the result is what reading it whole gives: the resource is counted once,
// its first examples and lines are those of its first matches, with the
// line numbers of the resource, and a failure is named once.
type Part interface {
	Unit
	// PartOf returns the resource the part belongs to (the same pointer for
	// all its parts), the part's 0-based index, and whether it is the last.
	PartOf() (whole *Whole, index int, last bool)
	// Lines is called once Read has returned, by the goroutine that
	// called it. lead is the number of newlines the part handed over
	// before the bytes it owns, owned the number of newlines in the bytes
	// it owns: line L of the part is line L - lead + (the newlines that
	// all earlier parts own) of the resource. ok is false when the part
	// does not know them (it did not read to its end: a read error, the
	// scan ended); the line numbers of the parts after it are then
	// unknown.
	Lines() (lead, owned int64, ok bool)
}

// Whole is the resource that Parts belong to; its address identifies it.
type Whole struct {
	Loc  Location
	Size int64 // bytes, for progress
}

// Source enumerates the units of one target.
type Source interface {
	// Units sends every unit to yield, stopping when yield returns false or ctx ends.
	// An error means the target itself could not be listed (connection refused, no such directory).
	Units(ctx context.Context, yield func(Unit) bool) error
	// Close releases connections.
	Close() error
}

// Options are the settings every source understands. Zero values mean defaults.
type Options struct {
	Include, Exclude []string // globs over relative file paths or names (files and shares only)
	// SkipFiles are absolute paths of piimap's own configuration (the
	// declaration, --rules files): a directory scan skips them, with a
	// reason, because their rule examples would be findings.
	SkipFiles      []string
	MaxFileSize    int64 // bytes; 0 = no limit
	FollowSymlinks bool  // follow symlinks that leave the tree
	// Names reads the names of each directory's files and subdirectories
	// as the values of a column (NamesUnit; files, shares and the members
	// of archives).
	Names     bool
	ChunkSize int // bytes per chunk; 0 = DefaultChunkSize
	// SplitSize: a plain-text or JSON-lines file larger than this many
	// bytes is read as consecutive ranges (Parts) by several workers at
	// once; 0 = DefaultSplitSize, negative = never split.
	SplitSize int64

	Tables, ExcludeTables []string      // schema.table globs
	Views                 bool          // scan views too
	Binary                bool          // scan binary columns
	SampleRows            int           // rows per table; 0 = DefaultSampleRows
	Full                  bool          // read every row
	Timeout               time.Duration // database statement timeout
	DBConnections         int
	// ConnectTimeout bounds connecting to an SMB server (dial and
	// authentication); 0 = Timeout, else the default.
	ConnectTimeout time.Duration
	// Budget is how long to go on reading a table after its sample, in
	// ranges of its primary key (MariaDB) or of its pages (PostgreSQL); 0
	// reads the sample only.
	Budget time.Duration
	// DatabaseBudget is how long the reading beyond the samples may take
	// for all tables of one database target together, from the first
	// table that reads beyond its sample; tables that start after it are
	// read to their sample only. 0 = no such limit.
	DatabaseBudget time.Duration
	// MaxRowsPerSecond throttles the reading within the budgets, for each
	// database target as a whole (tables read at once share it); 0 = no
	// limit.
	MaxRowsPerSecond int

	// Archive limits.
	MaxArchiveBytes   int64 // total uncompressed bytes per archive
	MaxArchiveRatio   int   // uncompressed/compressed
	MaxArchiveDepth   int
	MaxArchiveEntries int
}

// Defaults.
const (
	DefaultChunkSize = 1 << 20
	// DefaultSplitSize is the size above which a text file is read in
	// ranges: 64 MiB, about 0.4 s of one core (README, Performance). Below
	// it a file is not worth what its ranges cost (opening the file, the
	// bytes read twice at their edges, merging their findings), and a
	// tree of many files keeps every worker busy anyway.
	DefaultSplitSize  = 64 << 20
	DefaultSampleRows = 10000
	// Overlap is how many bytes consecutive chunks of one stream share: more
	// than the longest value any detector reports plus its context window.
	Overlap = 1024
)

// NoteUnit is a unit that reads nothing and only reports: the walk skipped
// Loc (Reason) or could not read it (Err). Walkers yield it because a Source
// lists units before any Sink exists.
type NoteUnit struct {
	Loc    Location
	Reason string
	Err    error
}

// Location implements Unit.
func (u *NoteUnit) Location() Location { return u.Loc }

// Size implements Unit.
func (u *NoteUnit) Size() int64 { return 0 }

// Read reports the skip or the failure to sink.
func (u *NoteUnit) Read(ctx context.Context, sink Sink) error {
	if u.Err != nil {
		sink.Failed(u.Loc, u.Err)
	} else {
		sink.Skipped(u.Loc, u.Reason)
	}
	return nil
}
