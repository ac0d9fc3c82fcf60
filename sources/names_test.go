package sources

import (
	"context"
	"errors"
	"fmt"
	"io"
	"slices"
	"testing"
)

func TestNameValue(t *testing.T) {
	for name, want := range map[string]string{
		"15038510190_kontrakt.pdf":           "15038510190 kontrakt",
		"22079110098-lonnsslipp-2024.pdf":    "22079110098 lonnsslipp 2024",
		"kari.nordmann@example.no.txt":       "kari.nordmann@example.no",
		"kari.nordmann@example.no":           "kari.nordmann@example.no",
		"CV_Kari_Nordmann_91234567.docx":     "CV Kari Nordmann 91234567",
		"eksport-2024-01-31.csv.gz":          "eksport 2024-01-31",
		"912-34-567.txt":                     "912-34-567",
		"access.log.2":                       "access.log.2",
		"README":                             "README",
		".bashrc":                            ".bashrc",
		"libfoo-1.2.3.4.dist-info":           "libfoo 1.2.3.4.dist-info",
		"rapport.final.version.with.longext": "rapport.final.version.with.longext",
	} {
		if got := NameValue(name); got != want {
			t.Errorf("NameValue(%q) = %q, want %q", name, got, want)
		}
	}
}

// namesSink records what a NamesUnit hands over.
type namesSink struct {
	fields  []string
	columns []Column
}

func (s *namesSink) Table(Table)                    {}
func (s *namesSink) Failed(Location, error)         {}
func (s *namesSink) Skipped(Location, string)       {}
func (s *namesSink) Scanned(Location, int64, int64) {}

func (s *namesSink) Text(ctx context.Context, c *Chunk) error {
	for _, f := range c.Fields {
		s.fields = append(s.fields, fmt.Sprintf("%s#%s row %d: %s", c.Loc.String(), c.Columns[f.Column], f.Row, c.Data[f.Start:f.End]))
	}
	return nil
}

func (s *namesSink) Column(c Column) { s.columns = append(s.columns, c) }

func TestNamesUnit(t *testing.T) {
	var names []string
	for i := range maxNamesBlock + 2 {
		names = append(names, fmt.Sprintf("f%05d_a.txt", i))
	}
	u := &NamesUnit{Loc: Location{Path: "hr/ansatte/"}, Names: NameListOf(names...)}
	if got := u.Location().String(); got != "file:hr/ansatte/#(file names)" {
		t.Errorf("location %q", got)
	}
	var sink namesSink
	if err := u.Read(context.Background(), &sink); err != nil {
		t.Fatal(err)
	}
	if len(sink.fields) != len(names) {
		t.Fatalf("%d fields, want %d", len(sink.fields), len(names))
	}
	for _, i := range []int{0, maxNamesBlock, maxNamesBlock + 1} {
		if want := fmt.Sprintf("file:hr/ansatte/#(file names) row %d: f%05d a", i+1, i); sink.fields[i] != want {
			t.Errorf("field %d = %q, want %q", i, sink.fields[i], want)
		}
	}
	if want := []Column{{Loc: u.Location(), Rows: int64(len(names)), NonNull: int64(len(names))}}; !slices.Equal(sink.columns, want) {
		t.Errorf("columns %+v, want %+v", sink.columns, want)
	}
}

// FuzzNameValue: NameValue keeps every byte of a name in place, only
// reading '_' and '-' as spaces and dropping an extension at the end, so
// that offsets in the value are offsets in the name (scanner.PathMasker
// relies on it).
func FuzzNameValue(f *testing.F) {
	for _, s := range []string{"15038510190_kontrakt.pdf", "22079110098-lonnsslipp-2024.pdf", "kari.nordmann@example.no.txt",
		"kari@example.no", "x.csv.gz", ".bashrc", "a-1", "1-a", "", "-", "_", "..", "a.b.c.d.e.f", "ø_å-1.tar.zst"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, name string) {
		v := NameValue(name)
		if len(v) > len(name) {
			t.Fatalf("NameValue(%q) = %q is longer", name, v)
		}
		for i := 0; i < len(v); i++ {
			if v[i] != name[i] && !(v[i] == ' ' && (name[i] == '_' || name[i] == '-')) {
				t.Fatalf("NameValue(%q) = %q: byte %d moved", name, v, i)
			}
		}
		if rest := name[len(v):]; rest != "" && rest[0] != '.' {
			t.Fatalf("NameValue(%q) = %q dropped %q, not an extension", name, v, rest)
		}
	})
}

// TestNameList: a packed list gives back its names, sorts them as sorted
// strings are, and a selection gives the names at its indices.
func TestNameList(t *testing.T) {
	names := []string{"b.txt", "", "ø.pdf", "a", "B.txt", "a b", "15038510190_kontrakt.pdf", "a"}
	l := NameListOf(names...)
	if !slices.Equal(l.Strings(), names) || l.Len() != len(names) {
		t.Fatalf("list %q, want %q", l.Strings(), names)
	}
	sorted := slices.Clone(names)
	slices.Sort(sorted)
	var got []string
	for _, i := range l.Sorted() {
		got = append(got, l.At(int(i)))
	}
	if !slices.Equal(got, sorted) {
		t.Errorf("sorted %q, want %q", got, sorted)
	}
	sel := l.Select([]int32{3, 0, 3})
	if want := []string{"a", "b.txt", "a"}; !slices.Equal(sel.Strings(), want) || sel.Len() != 3 {
		t.Errorf("selection %q, want %q", sel.Strings(), want)
	}
	if empty := l.Select(nil); empty.Len() != 0 {
		t.Errorf("empty selection has %d names", empty.Len())
	}
	defer func() {
		if recover() == nil {
			t.Error("Add on a selection does not panic")
		}
	}()
	sel.Add("x")
}

// TestReadBatches checks that every item is passed on, in order, and that
// the reading ends at io.EOF (with or without items), at an empty batch
// with no error, and at another error, which it returns.
func TestReadBatches(t *testing.T) {
	boom := errors.New("boom")
	for _, c := range []struct {
		name    string
		batches [][]int
		last    error // the error with the last batch
		want    error
	}{
		{"eof after items", [][]int{{1, 2}, {3}}, io.EOF, nil},
		{"eof with items", [][]int{{1, 2}, {3, 4}}, io.EOF, nil},
		{"empty batch", [][]int{{1, 2}, {3, 4}, {}}, nil, nil},
		{"error with items", [][]int{{1, 2}, {3, 4}}, boom, boom},
	} {
		calls := 0
		read := func(n int) ([]int, error) {
			if n != 2 {
				t.Fatalf("%s: asked for %d items, want 2", c.name, n)
			}
			b := c.batches[calls]
			calls++
			if calls == len(c.batches) {
				return b, c.last
			}
			return b, nil
		}
		var got []int
		err := ReadBatches(2, read, func(x int) { got = append(got, x) })
		var want []int
		for _, b := range c.batches {
			want = append(want, b...)
		}
		if err != c.want || !slices.Equal(got, want) || calls != len(c.batches) {
			t.Errorf("%s: items %v, error %v after %d calls; want %v, %v after %d", c.name, got, err, calls, want, c.want, len(c.batches))
		}
	}
}
