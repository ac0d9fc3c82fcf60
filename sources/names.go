package sources

import (
	"bytes"
	"context"
	"io"
	"slices"
	"strings"
)

// NamesField is the field of a directory's location under which the names
// of its entries are read: "file:hr/ansatte/#(file names)". The
// directory's path ends in "/", so that a declaration's "file:hr/**"
// covers the names in hr/ as well as the files.
const NamesField = "(file names)"

// SheetNamesField is the field under which a workbook's sheet names are
// read: "file:hr/ansatte.xlsx!#(sheet names)".
const SheetNamesField = "(sheet names)"

// maxNamesBlock bounds the names handed over in one chunk.
const maxNamesBlock = 4096

// NamesUnit reads the names of a directory's entries (files and
// subdirectories) as the values of one column, so that personal data in
// names is found like personal data in a column: an HR share whose
// contracts are named by fødselsnummer (15038510190_kontrakt.pdf), a
// directory per customer e-mail address. The location is the directory's,
// with Field NamesField, so that a name, which may itself be personal
// data, is never a finding's location; its values are masked like any
// other. Each name is read as NameValue gives it.
type NamesUnit struct {
	Loc   Location // the directory, its path ending in "/"; "./" for the scanned root
	Names NameList
	// Sheets: the names are a workbook's sheets (SheetNamesField, read
	// as NameWords gives them: a sheet name has no extension).
	Sheets bool
}

// DirNames returns the unit of names, the entries a walk scans in the
// directory rel (relative to target, "" for the target itself), or nil
// when there are none.
func DirNames(target, rel string, names NameList) *NamesUnit {
	if names.Len() == 0 {
		return nil
	}
	dir := rel + "/"
	if rel == "" {
		dir = "./"
	}
	return &NamesUnit{Loc: Location{Target: target, Path: dir}, Names: names}
}

// Location implements Unit.
func (u *NamesUnit) Location() Location {
	l := u.Loc
	l.Field = NamesField
	if u.Sheets {
		l.Field = SheetNamesField
	}
	return l
}

// Size implements Unit: names cost next to nothing to read.
func (u *NamesUnit) Size() int64 { return 0 }

// Read hands the names to sink in blocks of fields, row n being the n-th
// name, and announces the column.
func (u *NamesUnit) Read(ctx context.Context, sink Sink) error {
	loc := u.Location()
	dir := loc
	dir.Field = ""
	columns := []string{loc.Field}
	value := NameValue
	if u.Sheets {
		value = NameWords
	}
	var data []byte
	var fields []Field
	for start := 0; start < u.Names.Len(); start += maxNamesBlock {
		if err := ctx.Err(); err != nil {
			return err
		}
		data, fields = data[:0], fields[:0]
		for i := start; i < min(start+maxNamesBlock, u.Names.Len()); i++ {
			s := len(data)
			data = append(data, value(u.Names.At(i))...)
			fields = append(fields, Field{Start: s, End: len(data), Row: int64(i + 1)})
			data = append(data, FieldSep...)
		}
		if err := sink.Text(ctx, &Chunk{Loc: dir, Data: data, Fields: fields, Columns: columns}); err != nil {
			return err
		}
	}
	n := int64(u.Names.Len())
	sink.Column(Column{Loc: loc, Rows: n, NonNull: n})
	return nil
}

// NameList is a list of names packed into one buffer: a directory of a
// million entries costs the bytes of their names and eight more each,
// not a string and its header each. The zero value is an empty list.
type NameList struct {
	buf  []byte
	ends []int // ends[i] is the end of name i in buf
	// sel, when selected, are the indices of the names this list holds,
	// in its order (Select).
	sel      []int32
	selected bool
}

// NameListOf returns the list of names.
func NameListOf(names ...string) NameList {
	var l NameList
	for _, n := range names {
		l.Add(n)
	}
	return l
}

// Add appends a name. A list made by Select cannot be added to.
func (l *NameList) Add(name string) {
	if l.selected {
		panic("sources: NameList.Add on a selection")
	}
	l.buf = append(l.buf, name...)
	l.ends = append(l.ends, len(l.buf))
}

// Len returns the number of names.
func (l NameList) Len() int {
	if l.selected {
		return len(l.sel)
	}
	return len(l.ends)
}

// At returns name i.
func (l NameList) At(i int) string {
	if l.selected {
		i = int(l.sel[i])
	}
	return string(l.bytes(i))
}

// bytes returns name i of the whole list (not of a selection).
func (l NameList) bytes(i int) []byte {
	start := 0
	if i > 0 {
		start = l.ends[i-1]
	}
	return l.buf[start:l.ends[i]]
}

// Strings returns the names as strings.
func (l NameList) Strings() []string {
	out := make([]string, l.Len())
	for i := range out {
		out[i] = l.At(i)
	}
	return out
}

// Sorted returns the indices of the names of l (a list made by Add) in
// the order of their bytes: the order of sorted strings.
func (l NameList) Sorted() []int32 {
	idx := make([]int32, len(l.ends))
	for i := range idx {
		idx[i] = int32(i)
	}
	slices.SortFunc(idx, func(a, b int32) int { return bytes.Compare(l.bytes(int(a)), l.bytes(int(b))) })
	return idx
}

// Select returns the list of the names of l (a list made by Add) at the
// indices idx, in that order, sharing l's bytes: the entries of a listing
// that a walk scans cost four bytes each.
func (l NameList) Select(idx []int32) NameList {
	return NameList{buf: l.buf, ends: l.ends, sel: idx, selected: true}
}

// ReadBatches calls read for batches of up to n items (a directory's
// names or entries, read from a local disk or a share), and each with
// every item, until read reports io.EOF or returns an empty batch. It
// returns read's other errors, after the items read with them.
func ReadBatches[T any](n int, read func(n int) ([]T, error), each func(T)) error {
	for {
		batch, err := read(n)
		for _, x := range batch {
			each(x)
		}
		if err == io.EOF || err == nil && len(batch) == 0 {
			return nil
		}
		if err != nil {
			return err
		}
	}
}

// NameValue is a file or directory name as a value: without its extension
// (and a compression suffix before it: "x.csv.gz"), with '_' and a '-'
// between a digit and a letter read as spaces, so that the parts of
// "15038510190_kontrakt.pdf" and "22079110098-lonnsslipp" stand alone
// as they would in text, while the '-' of a date or a phone number
// ("2024-01-31", "912-34-567") stays.
func NameValue(name string) string {
	base := trimExt(name)
	switch strings.ToLower(name[len(base):]) {
	case ".gz", ".bz2", ".xz", ".zst", ".zip", ".7z":
		base = trimExt(base)
	}
	return NameWords(base)
}

// NameWords is a name as a value without dropping anything: '_', and a
// '-' between a digit and a letter, read as spaces (a sheet's name).
func NameWords(name string) string {
	b := []byte(name)
	for i, c := range b {
		switch {
		case c == '_':
			b[i] = ' '
		case c == '-' && i > 0 && i+1 < len(b) && (isDigit(b[i-1]) && isLetter(b[i+1]) || isLetter(b[i-1]) && isDigit(b[i+1])):
			b[i] = ' '
		}
	}
	return string(b)
}

// trimExt drops a final extension of one to five ASCII letters and digits
// with a letter among them (".pdf", ".docx", ".mp3"), unless it ends an
// e-mail address: "kari@example.no.txt" and "kari@example.no" both keep
// "kari@example.no".
func trimExt(name string) string {
	dot := strings.LastIndexByte(name, '.')
	if dot <= 0 || len(name)-dot-1 < 1 || len(name)-dot-1 > 5 {
		return name
	}
	letter := false
	for i := dot + 1; i < len(name); i++ {
		c := name[i]
		switch {
		case isLetter(c):
			letter = true
		case isDigit(c):
		default:
			return name
		}
	}
	if !letter {
		return name
	}
	if at := strings.LastIndexByte(name[:dot], '@'); at >= 0 && !strings.Contains(name[at:dot], ".") {
		return name // the top-level domain of an address: a directory named kari@example.no
	}
	return name[:dot]
}

func isDigit(c byte) bool  { return c >= '0' && c <= '9' }
func isLetter(c byte) bool { return c|0x20 >= 'a' && c|0x20 <= 'z' }
