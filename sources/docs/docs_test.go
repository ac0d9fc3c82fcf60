package docs

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/piimap/piimap/internal/docfixtures"
	"github.com/piimap/piimap/sources"
	"github.com/piimap/piimap/sources/files"
)

// recSink records what a reader reports.
type recSink struct {
	mu      sync.Mutex
	chunks  []sources.Chunk
	columns []sources.Column
	failed  []string
	skipped []string
}

func (s *recSink) Text(_ context.Context, c *sources.Chunk) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	return sources.EachField(c, s.text1)
}

func (s *recSink) text1(c *sources.Chunk) error {
	cc := *c
	cc.Data = bytes.Clone(c.Data)
	s.chunks = append(s.chunks, cc)
	return nil
}
func (s *recSink) Column(c sources.Column) { s.columns = append(s.columns, c) }
func (s *recSink) Table(sources.Table)     {}
func (s *recSink) Failed(loc sources.Location, err error) {
	s.failed = append(s.failed, loc.Path+": "+err.Error())
}
func (s *recSink) Skipped(loc sources.Location, reason string) {
	s.skipped = append(s.skipped, loc.Path+": "+reason)
}
func (s *recSink) Scanned(sources.Location, int64, int64) {}

// text joins the owned text of the chunks of path.
func (s *recSink) text(path string) string {
	var b strings.Builder
	for _, c := range s.chunks {
		if c.Loc.Path == path {
			l := c.Limit
			if l == 0 {
				l = len(c.Data)
			}
			b.Write(c.Data[c.Skip:l])
		}
	}
	return b.String()
}

// cells renders the cell chunks as "path#field line/row=value".
func (s *recSink) cells() []string {
	var out []string
	for _, c := range s.chunks {
		out = append(out, fmt.Sprintf("%s#%s %d/%d=%s", c.Loc.Path, c.Loc.Field, c.Line, c.Row, c.Data))
	}
	return out
}

func plainOpen(zf *zip.File) (io.ReadCloser, error) { return zf.Open() }

// readDoc detects and reads a document package.
func readDoc(t *testing.T, data []byte, name string) (*recSink, error) {
	t.Helper()
	return readDocWith(t, data, name, sources.Options{ChunkSize: 4096})
}

// readDocWith is readDoc with the given options.
func readDocWith(t *testing.T, data []byte, name string, opt sources.Options) (*recSink, error) {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatal(err)
	}
	kind := Detect(zr, plainOpen)
	if kind == "" {
		t.Fatalf("%s not detected as a document", name)
	}
	sink := &recSink{}
	rd := files.NewReader(opt, nil)
	err = Read(context.Background(), kind, zr, plainOpen, sources.Location{Path: name}, rd, sink)
	return sink, err
}

func TestDetect(t *testing.T) {
	for name, c := range map[string]struct {
		data []byte
		want Kind
	}{
		"docx": {docfixtures.DOCX([]string{"a"}, nil, "h", "x"), DOCX},
		"xlsx": {docfixtures.XLSX(docfixtures.Sheet{Name: "A", Rows: [][]docfixtures.Cell{{docfixtures.S("x")}}}), XLSX},
		"pptx": {docfixtures.PPTX("a"), PPTX},
		"odt":  {docfixtures.ODT("a"), ODT},
		"ods":  {docfixtures.ODS(docfixtures.Sheet{Name: "A"}), ODS},
		"zip":  {docfixtures.Zip(docfixtures.Member{Name: "word/document.xml", Data: []byte("<x/>")}), ""},
		"jar":  {docfixtures.Zip(docfixtures.Member{Name: "mimetype", Data: []byte("application/java")}, docfixtures.Member{Name: "content.xml", Data: nil}), ""},
	} {
		zr, err := zip.NewReader(bytes.NewReader(c.data), int64(len(c.data)))
		if err != nil {
			t.Fatal(err)
		}
		if got := Detect(zr, plainOpen); got != c.want {
			t.Errorf("%s: Detect = %q, want %q", name, got, c.want)
		}
	}
}

func TestWordText(t *testing.T) {
	doc := docfixtures.DOCX(
		[]string{"Tittel", "Fødselsnummer: |0101|9012345| & <mer>", "", "Siste"},
		[][]string{{"Navn", "E-post"}, {"Kari", "kari@|firma.no"}},
		"Topptekst", "Kari Nordmann",
	)
	sink, err := readDoc(t, doc, "a.docx")
	if err != nil {
		t.Fatal(err)
	}
	want := "Tittel\n\tFødselsnummer: 01019012345 & <mer>\n\t\n\tSiste\n\tNavn\n\tE-post\n\tKari\n\tkari@firma.no\n" +
		"Topptekst\n" + "Kontrakt\nKari Nordmann\n"
	// Each paragraph starts with the tab stop of its properties.
	want = strings.ReplaceAll(want, "\n\t", "\n")
	got := strings.ReplaceAll(sink.text("a.docx"), "\t", "")
	want = strings.ReplaceAll(want, "\t", "")
	if got != want {
		t.Errorf("text:\n%q\nwant\n%q", got, want)
	}
	if len(sink.failed) != 0 {
		t.Error(sink.failed)
	}
	// Line numbers: the fødselsnummer is on line 2.
	if c := sink.chunks[0]; c.Line != 1 {
		t.Errorf("first chunk line %d", c.Line)
	}
}

func TestSlidesInOrder(t *testing.T) {
	var slides []string
	for i := 1; i <= 11; i++ {
		slides = append(slides, fmt.Sprintf("slide %d\nline b", i))
	}
	sink, err := readDoc(t, docfixtures.PPTX(slides...), "d.pptx")
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	for i := 1; i <= 11; i++ {
		fmt.Fprintf(&b, "slide %d\nline b\n", i)
	}
	if got := sink.text("d.pptx"); got != b.String() {
		t.Errorf("text:\n%s", got)
	}
}

func TestODTText(t *testing.T) {
	sink, err := readDoc(t, docfixtures.ODT("Hei  verden", "fnr 01019012345"), "r.odt")
	if err != nil {
		t.Fatal(err)
	}
	if got := sink.text("r.odt"); got != "Hei  verden\nfnr 01019012345\n" {
		t.Errorf("text %q", got)
	}
}

func TestXLSXCells(t *testing.T) {
	S, N := docfixtures.S, docfixtures.N
	book := docfixtures.XLSX(
		docfixtures.Sheet{Name: "Ark1", FirstRow: 2, Rows: [][]docfixtures.Cell{
			{S("Navn"), S(""), S("Fødselsnummer"), S("Merknad")},
			{S("Kari"), S("x"), N("1019012345"), S("note 1")},
			{S("Ola"), N("1.5038712486E10"), N("12.5"), S("")},
			{},
			{S("Per"), S(""), S("01019012345"), S("a & b")},
		}},
		docfixtures.Sheet{Name: "Tom"},
	)
	sink, err := readDoc(t, book, "b.xlsx")
	if err != nil {
		t.Fatal(err)
	}
	want := []string{
		"b.xlsx!Ark1#Navn 3/1=Kari",
		"b.xlsx!Ark1#column B 3/1=x",
		"b.xlsx!Ark1#Fødselsnummer 3/1=01019012345",
		"b.xlsx!Ark1#Merknad 3/1=note 1",
		"b.xlsx!Ark1#Navn 4/2=Ola",
		"b.xlsx!Ark1#column B 4/2=15038712486",
		"b.xlsx!Ark1#Fødselsnummer 4/2=12.5",
		"b.xlsx!Ark1#Navn 6/4=Per",
		"b.xlsx!Ark1#Fødselsnummer 6/4=01019012345",
		"b.xlsx!Ark1#Merknad 6/4=a & b",
	}
	if got := sink.cells(); !slices.Equal(got, want) {
		t.Errorf("cells:\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	var cols []string
	for _, c := range sink.columns {
		cols = append(cols, fmt.Sprintf("%s#%s %s %d/%d", c.Loc.Path, c.Loc.Field, c.Type, c.NonNull, c.Rows))
	}
	wantCols := []string{
		"b.xlsx!Ark1#Navn column A 3/4",
		"b.xlsx!Ark1#column B column B 2/4",
		"b.xlsx!Ark1#Fødselsnummer column C 3/4",
		"b.xlsx!Ark1#Merknad column D 2/4",
	}
	if !slices.Equal(cols, wantCols) {
		t.Errorf("columns:\n%s", strings.Join(cols, "\n"))
	}
}

func TestSharedStringsLimit(t *testing.T) {
	S := docfixtures.S
	var rows [][]docfixtures.Cell
	for i := 0; i < 200; i++ {
		rows = append(rows, []docfixtures.Cell{S(fmt.Sprintf("verdi nummer %d", i)), S("x")})
	}
	book := docfixtures.XLSX(docfixtures.Sheet{Name: "A", Rows: rows})
	zr, _ := zip.NewReader(bytes.NewReader(book), int64(len(book)))
	zf := names(zr)["xl/sharedStrings.xml"]
	sst, err := readSharedStrings(context.Background(), plainOpen, zf, 1<<20)
	if err != nil || len(sst.ends) != 200 {
		t.Fatalf("shared strings: %v, %d", err, len(sst.ends))
	}
	if s, _ := sst.get(3); string(s) != "verdi nummer 3" { // rich text, phonetic run left out
		t.Errorf("string 3 = %q", s)
	}
	if _, ok := sst.get(200); ok {
		t.Error("index out of range accepted")
	}
	if _, err := readSharedStrings(context.Background(), plainOpen, zf, 1000); !errors.Is(err, ErrSharedStrings) {
		t.Errorf("limit: %v", err)
	}
}

func TestODSCells(t *testing.T) {
	S, N := docfixtures.S, docfixtures.N
	sheet := docfixtures.ODS(
		docfixtures.Sheet{Name: "Kunder", FirstRow: 3, Rows: [][]docfixtures.Cell{
			{S("navn"), S(""), S("fnr")},
			{S("Kari"), S(""), N("1019012345")},
			{S(""), S("midt"), S("")},
		}},
		docfixtures.Sheet{Name: "Andre", Rows: [][]docfixtures.Cell{{S("a")}, {S("b")}}},
	)
	sink, err := readDoc(t, sheet, "l.ods")
	if err != nil {
		t.Fatal(err)
	}
	want := []string{
		"l.ods!Kunder#navn 4/1=Kari",
		"l.ods!Kunder#fnr 4/1=01019012345",
		"l.ods!Kunder#column B 5/2=midt",
		"l.ods!Andre#a 2/1=b",
	}
	if got := sink.cells(); !slices.Equal(got, want) {
		t.Errorf("cells:\n%s", strings.Join(got, "\n"))
	}
}

func TestColumnRefs(t *testing.T) {
	for i, want := range map[int]string{0: "A", 25: "Z", 26: "AA", 27: "AB", 701: "ZZ", 702: "AAA", 16383: "XFD"} {
		if got := colLetters(i); got != want {
			t.Errorf("colLetters(%d) = %s, want %s", i, got, want)
		}
		if c, r := parseCellRef(want + "17"); c != i || r != 17 {
			t.Errorf("parseCellRef(%s17) = %d, %d", want, c, r)
		}
	}
	for _, bad := range []string{"", "17", "XFE1", "AAAAAAA1"} {
		if c, _ := parseCellRef(bad); c >= 0 && bad != "" && bad != "17" {
			t.Errorf("parseCellRef(%q) = %d", bad, c)
		}
	}
}

// xmlText is the character data of an XML document, joined.
func xmlText(t testing.TB, r io.Reader) (string, error) {
	d := xml.NewDecoder(r)
	var b strings.Builder
	for {
		tok, err := d.RawToken()
		if err == io.EOF {
			return b.String(), nil
		}
		if err != nil {
			return b.String(), err
		}
		if cd, ok := tok.(xml.CharData); ok {
			b.Write(cd)
		}
	}
}

func TestSplitter(t *testing.T) {
	// A long run with entities and multi-byte runes around every split
	// point: the text is unchanged and no token is longer than the limit.
	unit := "æøå &amp; &#229; x"
	long := strings.Repeat(unit, 3*maxTextRun/len(unit))
	doc := `<a x="1 > 0"><b>` + long + `</b><c/>` + long[:1000] + `</a>`
	want, err := xmlText(t, strings.NewReader(doc))
	if err != nil {
		t.Fatal(err)
	}
	var split bytes.Buffer
	if _, err := io.Copy(&split, newSplitter(iotestHalf(strings.NewReader(doc)))); err != nil {
		t.Fatal(err)
	}
	if n := strings.Count(split.String(), splitMark); n < 2 {
		t.Errorf("%d split marks in a run of %d bytes", n, len(long))
	}
	got, err := xmlText(t, bytes.NewReader(split.Bytes()))
	if err != nil || got != want {
		t.Fatalf("text changed by splitting (%v)", err)
	}
	d := xml.NewDecoder(newSplitter(strings.NewReader(doc)))
	for {
		tok, err := d.RawToken()
		if err != nil {
			break
		}
		if cd, ok := tok.(xml.CharData); ok && len(cd) > maxTextRun+8 {
			t.Fatalf("token of %d bytes", len(cd))
		}
	}
	// A tag longer than the limit is an error.
	huge := `<a b="` + strings.Repeat("x", maxMarkup+10) + `"/>`
	_, err = io.Copy(io.Discard, newSplitter(strings.NewReader(huge)))
	if !errors.Is(err, errMarkupTooLong) {
		t.Errorf("long tag: %v", err)
	}
}

// iotestHalf reads at most half of what is asked, to cut the input at odd
// places.
func iotestHalf(r io.Reader) io.Reader { return &halfReader{r} }

type halfReader struct{ r io.Reader }

func (h *halfReader) Read(p []byte) (int, error) { return h.r.Read(p[:(len(p)+1)/2]) }

func FuzzSplitter(f *testing.F) {
	f.Add([]byte(`<a b="x>y">t&amp;u<![CDATA[<>]]><!-- c > d --></a>`))
	f.Add([]byte(`<?xml version="1.0"?><w:t xml:space="preserve">01019012345</w:t>`))
	f.Add([]byte("<a>" + strings.Repeat("é&lt;", 10000) + "</a>"))
	f.Fuzz(func(t *testing.T, doc []byte) {
		want, werr := xmlText(t, bytes.NewReader(doc))
		got, gerr := xmlText(t, newSplitter(bytes.NewReader(doc)))
		if werr == nil && len(doc) < maxMarkup {
			if gerr != nil || got != want {
				t.Fatalf("splitting changed a valid document: %v", gerr)
			}
		}
	})
}

func FuzzXLSXSheet(f *testing.F) {
	f.Add([]byte(`<worksheet><sheetData><row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="inlineStr"><is><t>fnr</t></is></c></row><row><c><v>1.2E3</v></c><c r="ZZZZ9"><f>A1</f><v>x</v></c></row></sheetData></worksheet>`))
	f.Add([]byte(`<row r="-1"><c r="A0" t="s"><v>99</v></c></row>`))
	f.Fuzz(func(t *testing.T, sheet []byte) {
		data := docfixtures.Zip(docfixtures.Member{Name: "s.xml", Data: sheet})
		zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
		if err != nil {
			t.Fatal(err)
		}
		sst := &sharedStrings{data: []byte("fnr"), ends: []uint32{3}}
		_ = readXLSXSheet(context.Background(), plainOpen, zr.File[0], sst, sources.Location{Path: "x.xlsx!A"}, &recSink{})
	})
}

// TestSheetWithoutHeader: a sheet whose first row has a cell written like a
// value (an e-mail address, a number stored as a number) has no header
// row: its columns are named by their letters and its first row is data
// (row 1), also when it is the sheet's only row. A header of names and a
// year stays a header.
func TestSheetWithoutHeader(t *testing.T) {
	S, N := docfixtures.S, docfixtures.N
	sheets := []docfixtures.Sheet{
		{Name: "Eksport", FirstRow: 2, Rows: [][]docfixtures.Cell{
			{S("Kari Nordmann"), S("kari@example.no"), N("1.5038712486E10")},
			{S("Ola"), S(""), N("12")},
		}},
		{Name: "En", Rows: [][]docfixtures.Cell{{S("ola@example.no"), S("Ola")}}},
		{Name: "Topp", Rows: [][]docfixtures.Cell{{S("navn"), N("2024")}, {S("Kari"), N("7")}}},
		// A column per month (a name above a number: a header), and
		// dates in data (a date above a date).
		{Name: "Maaned", Rows: [][]docfixtures.Cell{{S("Navn"), S("2023-01-01")}, {S("Kari"), N("12")}, {S("Ola"), N("3")}}},
		{Name: "Datoer", Rows: [][]docfixtures.Cell{{S("2024-01-31"), S("Kari")}, {S("2024-02-01"), S("Ola")}}},
	}
	want := []string{
		"#column A 2/1=Kari Nordmann",
		"#column B 2/1=kari@example.no",
		"#column C 2/1=15038712486",
		"#column A 3/2=Ola",
		"#column C 3/2=12",
		"#column A 1/1=ola@example.no",
		"#column B 1/1=Ola",
		"#navn 2/1=Kari",
		"#2024 2/1=7",
		"#Navn 2/1=Kari",
		"#2023-01-01 2/1=12",
		"#Navn 3/2=Ola",
		"#2023-01-01 3/2=3",
		"#column A 1/1=2024-01-31",
		"#column B 1/1=Kari",
		"#column A 2/2=2024-02-01",
		"#column B 2/2=Ola",
	}
	for _, kind := range []string{"xlsx", "ods"} {
		book := docfixtures.XLSX(sheets...)
		if kind == "ods" {
			book = docfixtures.ODS(sheets...)
		}
		sink, err := readDoc(t, book, "b."+kind)
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, c := range sink.cells() {
			_, rest, _ := strings.Cut(c, "#")
			got = append(got, "#"+rest)
		}
		if !slices.Equal(got, want) {
			t.Errorf("%s cells:\n%s\nwant\n%s", kind, strings.Join(got, "\n"), strings.Join(want, "\n"))
		}
		var cols []string
		for _, c := range sink.columns {
			if strings.HasSuffix(c.Loc.Path, "!Eksport") {
				cols = append(cols, fmt.Sprintf("%s %d/%d", c.Loc.Field, c.NonNull, c.Rows))
			}
		}
		if w := []string{"column A 2/2", "column B 1/2", "column C 2/2"}; !slices.Equal(cols, w) {
			t.Errorf("%s columns %v, want %v", kind, cols, w)
		}
	}
}

// TestSheetNames: with Options.Names a workbook's sheet names are read as
// values (a sheet per employee, named by fødselsnummer), under
// "(sheet names)"; without it, not.
func TestSheetNames(t *testing.T) {
	S := docfixtures.S
	sheets := []docfixtures.Sheet{
		{Name: "15038510190", Rows: [][]docfixtures.Cell{{S("lønn")}, {S("1")}}},
		{Name: "Kari_Nordmann_22079110098", Rows: [][]docfixtures.Cell{{S("lønn")}, {S("2")}}},
		{Name: "Oversikt.2024", Rows: [][]docfixtures.Cell{{S("sum")}, {S("3")}}},
	}
	for _, kind := range []string{"xlsx", "ods"} {
		book := docfixtures.XLSX(sheets...)
		if kind == "ods" {
			book = docfixtures.ODS(sheets...)
		}
		sink, err := readDocWith(t, book, "b."+kind, sources.Options{Names: true})
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, c := range sink.cells() {
			if strings.Contains(c, "(sheet names)") {
				got = append(got, c)
			}
		}
		want := []string{
			"b." + kind + "!#(sheet names) 0/1=15038510190",
			"b." + kind + "!#(sheet names) 0/2=Kari Nordmann 22079110098",
			"b." + kind + "!#(sheet names) 0/3=Oversikt.2024",
		}
		if !slices.Equal(got, want) {
			t.Errorf("%s sheet names:\n%s\nwant\n%s", kind, strings.Join(got, "\n"), strings.Join(want, "\n"))
		}
		off, err := readDoc(t, book, "b."+kind)
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range off.cells() {
			if strings.Contains(c, "(sheet names)") {
				t.Errorf("%s: sheet names read without Options.Names: %s", kind, c)
			}
		}
	}
}
