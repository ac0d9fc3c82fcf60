package docs

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/iotest"

	"github.com/piimap/piimap/internal/docfixtures"
	"github.com/piimap/piimap/sources"
	"github.com/piimap/piimap/sources/files"
)

// The scanner must read XML as the encoding/xml based extractor did
// (xmlref_test.go): the same tokens and errors, and through Read the same
// chunks, columns and failures. The reference runs encoding/xml's
// RawToken behind the splitter that bounded it, whose split marks (empty
// "_" elements) are left out of the comparison.

// refTokens renders the tokens of the reference decoder.
func refTokens(r io.Reader) string {
	d := refNewDecoder(r)
	var b strings.Builder
	for {
		tok, err := d.RawToken()
		if err != nil {
			if err != io.EOF {
				fmt.Fprintf(&b, "error: %v\n", err)
			}
			return b.String()
		}
		switch tok := tok.(type) {
		case xml.StartElement:
			if tok.Name.Space == "" && tok.Name.Local == "_" {
				continue
			}
			fmt.Fprintf(&b, "<%s", refName(tok.Name))
			for _, a := range tok.Attr {
				fmt.Fprintf(&b, " %s=%q", refName(a.Name), a.Value)
			}
			b.WriteString(">\n")
		case xml.EndElement:
			if tok.Name.Space == "" && tok.Name.Local == "_" {
				continue
			}
			fmt.Fprintf(&b, "</%s>\n", refName(tok.Name))
		case xml.CharData:
			fmt.Fprintf(&b, "text %q\n", []byte(tok))
		}
	}
}

func refName(n xml.Name) string {
	if n.Space != "" {
		return n.Space + ":" + n.Local
	}
	return n.Local
}

// scanTokens renders the tokens of the scanner, starting with a buffer of
// size bytes.
func scanTokens(r io.Reader, size int) string {
	s := &xmlScanner{buf: make([]byte, size)}
	s.reset(r)
	var b strings.Builder
	for {
		k, err := s.next()
		if err != nil {
			if err != io.EOF {
				fmt.Fprintf(&b, "error: %v\n", err)
			}
			if _, err2 := s.next(); err2 != err {
				fmt.Fprintf(&b, "error not kept: %v\n", err2)
			}
			return b.String()
		}
		switch k {
		case tokStart:
			if len(s.prefix(s.name)) == 0 && string(s.local()) == "_" {
				continue
			}
			fmt.Fprintf(&b, "<%s", scanName(s, s.name))
			for i, a := range s.attrs {
				fmt.Fprintf(&b, " %s=%q", scanName(s, a.name), s.attrValue(i))
			}
			b.WriteString(">\n")
		case tokEnd:
			if len(s.prefix(s.name)) == 0 && string(s.local()) == "_" {
				continue
			}
			fmt.Fprintf(&b, "</%s>\n", scanName(s, s.name))
		case tokText:
			fmt.Fprintf(&b, "text %q\n", s.text)
		default:
			fmt.Fprintf(&b, "token kind %d\n", k)
		}
	}
}

func scanName(s *xmlScanner, n xmlName) string {
	local := string(s.buf[n.local:n.end])
	if p := s.prefix(n); len(p) > 0 {
		return string(p) + ":" + local
	}
	return local
}

// failAfter returns data, then err.
type failAfter struct {
	r   io.Reader
	err error
}

func (f *failAfter) Read(p []byte) (int, error) {
	n, err := f.r.Read(p)
	if err == io.EOF {
		err = f.err
	}
	return n, err
}

var errRead = errors.New("read failed")

// checkTokens compares the scanner with the reference on doc, read in
// several ways; it returns the reference's rendering.
func checkTokens(t *testing.T, doc []byte) string {
	t.Helper()
	want := refTokens(bytes.NewReader(doc))
	for _, c := range []struct {
		name string
		r    io.Reader
		size int
	}{
		{"whole", bytes.NewReader(doc), initialXMLBuffer},
		{"bytewise", iotest.OneByteReader(bytes.NewReader(doc)), 1},
		{"halves", iotestHalf(bytes.NewReader(doc)), 7},
		{"data+EOF", iotest.DataErrReader(bytes.NewReader(doc)), 64},
	} {
		if c.size == 1 && len(doc) > 4*maxTextRun {
			continue // slow
		}
		if got := scanTokens(c.r, c.size); got != want {
			t.Fatalf("%s: %q\nscanner:\n%s\nencoding/xml:\n%s", c.name, clip(doc), got, want)
		}
	}
	// A read error after the data.
	want = refTokens(&failAfter{bytes.NewReader(doc), errRead})
	if got := scanTokens(&failAfter{iotestHalf(bytes.NewReader(doc)), errRead}, 16); got != want {
		t.Fatalf("read error: %q\nscanner:\n%s\nencoding/xml:\n%s", clip(doc), got, want)
	}
	return want
}

func clip(b []byte) []byte {
	if len(b) > 300 {
		return b[:300]
	}
	return b
}

// xmlCases are documents for the token comparison: what office documents
// hold, and every kind of syntax error.
var xmlCases = []string{
	``,
	`<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` + "\n" + `<w:document xmlns:w="urn:w"><w:body><w:p><w:r><w:t xml:space="preserve">Fødselsnummer: 01019012345</w:t></w:r></w:p></w:body></w:document>`,
	`<a b='1' c = "2"d="x&amp;y&lt;&gt;&quot;&apos;&#65;&#x42;&#x1F600;">t&amp;u</a>`,
	"<a>line\r\nbreak\rcr\r\r\n</a>\r\n",
	"<a b=\"x\r\ny\rz\">\n</a>",
	`<a><![CDATA[<not a tag> & ]] ]>]]>after</a><![CDATA[]]>`,
	`<!-- comment > with -- no --><a/><!-- - -->`,
	`<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0//EN" "x>y" [ <!ENTITY a "b"> <!-- c > --> ]><a/>`,
	`<?pi some data ?><?xml-stylesheet href="x"?><a/>`,
	`<:a :b="1" a:="2"><a::/>`,
	`<x:a:b/>`,
	`<a x:y:z="1"/>`,
	`<æ ø="å">bl&#xe5;</æ>`,
	`<a٠/>`,
	`<·a/>`,
	"<a>\x00</a>",
	"<a>\xff</a>",
	"<a>\xc3</a>",
	"<a>&#0;</a>",
	"<a>&#xFFFE;</a>",
	"<a>&#xD800;</a>",
	"<a>&#x110000;</a>",
	"<a>&#99999999999999999999999;</a>",
	"<a>&#00000000000000000000065;</a>",
	"<a>&#X41;</a>",
	"<a>&#;</a>",
	"<a>&#x;</a>",
	"<a>&#12</a>",
	"<a>&nbsp;</a>",
	"<a>& b</a>",
	"<a>&;</a>",
	"<a>&amp</a>",
	"<a>&",
	"<a>&#",
	"<a>&#x",
	"<a>&#x4",
	"<a>&am",
	"<a>x\n]]>",
	"<a>]]&amp;></a>",
	"<a b=\"]]>\"/>",
	"<a b=\"<\"/>",
	"<a b=c/>",
	"<a b/>",
	"<a b=/>",
	"<a b=\"1\"/ >",
	"<a\n\nb='1'\n\n1='2'/>",
	"<1a/>",
	"</a b>",
	"</>",
	"</a\n>",
	"</a",
	"<a",
	"<a b",
	"<a b=",
	"<a b='x",
	"<a b='\xff",
	"<",
	"<!",
	"<!-",
	"<!-x",
	"<!--",
	"<!-- a --- b -->",
	"<!-- a",
	"<![CDATA",
	"<![CDATX[",
	"<![CDATA[abc",
	"<![CDATA[\x01]]>",
	"<![CDATA[\r\n]]>",
	"<!DOCTYPE",
	"<!DOCTYPE a [<!-- x",
	"<!DOCTYPE a [<!x>]>",
	"<?",
	"<?>",
	"<?x",
	"<?x?",
	"<?1?>",
	`<?xml version="1.1"?><a/>`,
	`<?xml version='1.0' encoding='ISO-8859-1'?><a/>`,
	`<?xml version="1.0" encoding="utf-8"?><a/>`,
	`<?xml encoding= "latin1"?><a/>`,
	`<?xml version=1.0 encoding="UTF-16"?><a/>`,
	"text only",
	"\n\n\n<a>\n\n&bad;",
	"<a>\n<b>\n</c d>",
	"<a b=\"\n\n\x01\"/>",
	"<a>\n\n\x02<b/>",
	"<a b='1' b='2'/>",
	"<a>text</a>trailing & text",
}

func TestXMLScannerMatchesEncodingXML(t *testing.T) {
	errs := 0
	for _, doc := range xmlCases {
		if strings.Contains(checkTokens(t, []byte(doc)), "error: ") {
			errs++
		}
	}
	if errs < 40 {
		t.Errorf("only %d of the cases are errors", errs)
	}
	// The generated documents' parts.
	for _, doc := range [][]byte{
		docfixtures.DOCX([]string{"a & b", "<c>"}, [][]string{{"x"}}, "h", "author"),
		docfixtures.XLSX(docfixtures.Sheet{Name: "A", Rows: [][]docfixtures.Cell{{docfixtures.S("navn"), docfixtures.N("1.5E3")}, {docfixtures.S("Kari Nordmann"), docfixtures.S("x")}}}),
		docfixtures.PPTX("slide & one\nline"),
		docfixtures.ODT("Hei  verden", "x"),
		docfixtures.ODS(docfixtures.Sheet{Name: "B", Rows: [][]docfixtures.Cell{{docfixtures.S("a")}}}),
	} {
		for _, m := range zipMembers(t, doc) {
			checkTokens(t, m)
		}
	}
}

func zipMembers(t testing.TB, doc []byte) [][]byte {
	zr, err := zip.NewReader(bytes.NewReader(doc), int64(len(doc)))
	if err != nil {
		t.Fatal(err)
	}
	var out [][]byte
	for _, zf := range zr.File {
		rc, err := zf.Open()
		if err != nil {
			t.Fatal(err)
		}
		b, err := io.ReadAll(rc)
		if err != nil {
			t.Fatal(err)
		}
		_ = rc.Close()
		out = append(out, b)
	}
	return out
}

// TestXMLScannerLongRuns: text runs longer than maxTextRun are cut where
// the splitter cut them, with entities, multi-byte characters, \r\n and
// "]]" at the cut; markup longer than maxMarkup is an error.
func TestXMLScannerLongRuns(t *testing.T) {
	pad := func(n int) string { return strings.Repeat("x", n) }
	for _, tail := range []string{
		"&amp;&#229;æøå", "\r\nrest", "\rrest", "]]>", "]]&gt;", "é€😀", "\xbf\xbf\xbfa", "&unknown;", "\x01", "&#0;",
	} {
		for _, off := range []int{-3, -2, -1, 0, 1, 2} {
			doc := "<w:t>" + pad(maxTextRun+off) + tail + pad(100) + "</w:t>"
			checkTokens(t, []byte(doc))
		}
	}
	unit := "æøå &amp; &#229; x\r\n"
	long := strings.Repeat(unit, 3*maxTextRun/len(unit))
	got := checkTokens(t, []byte("<a>"+long+"</a><b x='"+long+"'/>"))
	if n := strings.Count(got, "text "); n < 3 {
		t.Errorf("a run of %d bytes in %d pieces", len(long), n)
	}
	// Markup at and over the limit.
	for _, n := range []int{maxMarkup - 20, maxMarkup - 8, maxMarkup - 7, maxMarkup - 6, maxMarkup + 10} {
		doc := `<a b="` + pad(n) + `"/><c/>`
		w := checkTokens(t, []byte(doc))
		if tooLong := strings.Contains(w, errMarkupTooLong.Error()); tooLong != (len(doc)-4 > maxMarkup) {
			t.Errorf("tag of %d bytes: %s", len(doc)-4, clip([]byte(w)))
		}
	}
	s := newXMLScanner(strings.NewReader(`<a b="` + pad(maxMarkup) + `"/>`))
	if _, err := s.next(); !errors.Is(err, errMarkupTooLong) {
		t.Errorf("long tag: %v", err)
	}
}

func FuzzXMLScanner(f *testing.F) {
	for _, c := range xmlCases {
		f.Add([]byte(c))
	}
	f.Fuzz(func(t *testing.T, doc []byte) {
		checkTokens(t, doc)
	})
}

// renderRead reads a document package with read (Read or refRead) and
// renders everything the sink was given.
func renderRead(t testing.TB, data []byte, name string, read func(context.Context, Kind, *zip.Reader, Opener, sources.Location, *files.Reader, sources.Sink) error) string {
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatal(err)
	}
	kind := Detect(zr, plainOpen)
	if refKind := refDetect(zr); kind != refKind {
		t.Fatalf("Detect %q, reference %q", kind, refKind)
	}
	if kind == "" {
		return "not a document"
	}
	sink := &recSink{}
	rd := files.NewReader(sources.Options{ChunkSize: 4096}, nil)
	err = read(context.Background(), kind, zr, plainOpen, sources.Location{Path: name}, rd, sink)
	var b strings.Builder
	for _, c := range sink.chunks {
		fmt.Fprintf(&b, "chunk %s#%s line %d row %d skip %d limit %d json %v: %q\n", c.Loc.Path, c.Loc.Field, c.Line, c.Row, c.Skip, c.Limit, c.JSON, c.Data)
	}
	for _, c := range sink.columns {
		fmt.Fprintf(&b, "column %s#%s %s %d/%d\n", c.Loc.Path, c.Loc.Field, c.Type, c.NonNull, c.Rows)
	}
	for _, f := range sink.failed {
		fmt.Fprintf(&b, "failed %s\n", f)
	}
	for _, s := range sink.skipped {
		fmt.Fprintf(&b, "skipped %s\n", s)
	}
	fmt.Fprintf(&b, "error %v\n", err)
	return b.String()
}

// refDetect is Detect with the reference relationships reader.
func refDetect(zr *zip.Reader) Kind {
	byName := names(zr)
	if k := Detect(zr, plainOpen); k == ODT || k == ODS || k == ODP || byName["[Content_Types].xml"] == nil {
		return k
	}
	switch main := refMainPart(byName, plainOpen); {
	case strings.HasPrefix(main, "word/"):
		return DOCX
	case strings.HasPrefix(main, "xl/"):
		return XLSX
	case strings.HasPrefix(main, "ppt/"):
		return PPTX
	}
	return ""
}

func checkRead(t testing.TB, data []byte, name string) string {
	t.Helper()
	want := renderRead(t, data, name, refRead)
	if got := renderRead(t, data, name, Read); got != want {
		t.Fatalf("%s: Read differs from the reference\nRead:\n%s\nreference:\n%s", name, clipS(got), clipS(want))
	}
	return want
}

func clipS(s string) string {
	if len(s) > 3000 {
		return s[:3000] + "…"
	}
	return s
}

// odp is an OpenDocument presentation with the given content.xml.
func odp(content string) []byte {
	return docfixtures.Zip(
		docfixtures.Member{Name: "mimetype", Data: []byte("application/vnd.oasis.opendocument.presentation"), Store: true},
		docfixtures.Member{Name: "content.xml", Data: []byte(content)},
		docfixtures.Member{Name: "meta.xml", Data: []byte(`<office:document-meta xmlns:office="o" xmlns:meta="m"><office:meta><meta:initial-creator>Kari &amp; Ola</meta:initial-creator></office:meta></office:document-meta>`)},
	)
}

func TestReadMatchesReference(t *testing.T) {
	S, N := docfixtures.S, docfixtures.N
	var paras []string
	var rows [][]docfixtures.Cell
	rows = append(rows, []docfixtures.Cell{S("Kundenr"), S("Navn"), S("Fødselsnummer"), S("Merknad")})
	for i := range 600 {
		paras = append(paras, fmt.Sprintf("Avsnitt %d: <saken> & \"ordre\" |%d| æøå\tslutt", i, i*7919))
		rows = append(rows, []docfixtures.Cell{N(fmt.Sprint(100000 + i)), S(fmt.Sprintf("Kunde %d & co", i)), N(fmt.Sprintf("%d", 1019012345+i)), S(fmt.Sprintf("ordre <%d>", i))})
	}
	long := strings.Repeat("lang tekst æøå &amp; ", 8000)
	docs := map[string][]byte{
		"a.docx": docfixtures.DOCX(paras, [][]string{{"Navn", "E-post"}, {"Kari", "kari@firma.no"}}, "Topptekst & co", "Kari Nordmann"),
		"b.xlsx": docfixtures.XLSX(docfixtures.Sheet{Name: "Kunder", Rows: rows}, docfixtures.Sheet{Name: "Tom"},
			docfixtures.Sheet{Name: "Ark & 3", FirstRow: 5, Rows: [][]docfixtures.Cell{{S("a"), S("b")}, {N("1.5038712486E10"), S("")}, {}, {S("x"), N("12.5")}}}),
		"c.pptx": docfixtures.PPTX(strings.Join(paras[:50], "\n"), "to\nlinjer", strings.Join(paras[50:60], "\n")),
		"d.odt":  docfixtures.ODT(paras...),
		"e.ods":  docfixtures.ODS(docfixtures.Sheet{Name: "Kunder", FirstRow: 3, Rows: rows[:200]}, docfixtures.Sheet{Name: "To", Rows: [][]docfixtures.Cell{{S("a")}, {S("b")}}}),
		"f.odp": odp(`<office:document-content xmlns:office="o" xmlns:text="t" xmlns:draw="d"><office:body><office:presentation><draw:page><draw:frame><draw:text-box>` +
			`<text:p>Lysbilde <text:span>én</text:span><text:s text:c="3"/>tre<text:tab/>fire<text:line-break/>fem</text:p><text:h>Tittel</text:h></draw:text-box></draw:frame></draw:page></office:presentation></office:body></office:document-content>`),
		"g.docx": docfixtures.DOCX([]string{long}, nil, "", ""),
		"h.odt":  odtContent(`<office:document-content xmlns:office="o" xmlns:text="t"><office:body><office:text><text:p>` + long + `</text:p><text:p>bad &nbsp; entity</text:p></office:text></office:body></office:document-content>`),
	}
	for name, data := range docs {
		if out := checkRead(t, data, name); !strings.Contains(out, "chunk ") {
			t.Errorf("%s: no text:\n%s", name, clipS(out))
		}
	}
}

func odtContent(content string) []byte {
	return docfixtures.Zip(
		docfixtures.Member{Name: "mimetype", Data: []byte("application/vnd.oasis.opendocument.text"), Store: true},
		docfixtures.Member{Name: "content.xml", Data: []byte(content)},
	)
}

// fuzzDoc builds a document of one of the kinds around part.
func fuzzDoc(kind uint8, part []byte) ([]byte, string) {
	const ct = `<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>`
	ctm := docfixtures.Member{Name: "[Content_Types].xml", Data: []byte(ct)}
	switch kind % 8 {
	case 0:
		return docfixtures.Zip(ctm, docfixtures.Member{Name: "word/document.xml", Data: part}), "f.docx"
	case 1:
		return docfixtures.Zip(ctm, docfixtures.Member{Name: "ppt/presentation.xml", Data: []byte("<p/>")},
			docfixtures.Member{Name: "ppt/slides/slide1.xml", Data: part}), "f.pptx"
	case 2:
		return docfixtures.Zip(ctm, docfixtures.Member{Name: "xl/workbook.xml", Data: []byte(`<workbook><sheets><sheet name="A"/></sheets></workbook>`)},
			docfixtures.Member{Name: "xl/worksheets/sheet1.xml", Data: part},
			docfixtures.Member{Name: "xl/sharedStrings.xml", Data: []byte(`<sst><si><t>navn</t></si><si><r><t>Ka</t></r><r><t>ri</t></r><rPh><t>x</t></rPh></si></sst>`)}), "f.xlsx"
	case 3:
		return docfixtures.Zip(ctm, docfixtures.Member{Name: "xl/workbook.xml", Data: []byte(`<workbook><sheets><sheet name="A"/></sheets></workbook>`)},
			docfixtures.Member{Name: "xl/worksheets/sheet1.xml", Data: []byte(`<worksheet><sheetData><row><c t="s"><v>0</v></c><c t="s"><v>1</v></c></row><row><c t="s"><v>2</v></c><c t="s"><v>3</v></c></row></sheetData></worksheet>`)},
			docfixtures.Member{Name: "xl/sharedStrings.xml", Data: part}), "g.xlsx"
	case 4:
		return docfixtures.Zip(ctm, docfixtures.Member{Name: "_rels/.rels", Data: part},
			docfixtures.Member{Name: "xl/workbook.xml", Data: []byte(`<workbook xmlns:r="r"><sheets><sheet name="A" r:id="rId1"/><sheet name="B" r:id="rId2"/></sheets></workbook>`)},
			docfixtures.Member{Name: "xl/_rels/workbook.xml.rels", Data: []byte(`<Relationships><Relationship Id="rId1" Type="x/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="x/worksheet" Target="/xl/worksheets/sheet2.xml"/></Relationships>`)},
			docfixtures.Member{Name: "xl/worksheets/sheet1.xml", Data: []byte(`<worksheet><sheetData><row><c t="inlineStr"><is><t>a</t></is></c></row><row><c t="inlineStr"><is><t>b</t></is></c></row></sheetData></worksheet>`)},
			docfixtures.Member{Name: "word/document.xml", Data: []byte(`<w:p><w:t>doc</w:t></w:p>`)}), "h.xlsx"
	case 5:
		return docfixtures.Zip(ctm, docfixtures.Member{Name: "xl/workbook.xml", Data: part},
			docfixtures.Member{Name: "xl/worksheets/sheet1.xml", Data: []byte(`<worksheet><sheetData><row><c t="inlineStr"><is><t>a</t></is></c></row><row><c t="inlineStr"><is><t>b</t></is></c></row></sheetData></worksheet>`)}), "i.xlsx"
	case 6:
		return docfixtures.Zip(docfixtures.Member{Name: "mimetype", Data: []byte("application/vnd.oasis.opendocument.spreadsheet")},
			docfixtures.Member{Name: "content.xml", Data: part}), "j.ods"
	default:
		return docfixtures.Zip(docfixtures.Member{Name: "mimetype", Data: []byte("application/vnd.oasis.opendocument.text")},
			docfixtures.Member{Name: "content.xml", Data: part}, docfixtures.Member{Name: "meta.xml", Data: part}), "k.odt"
	}
}

func FuzzReadMatchesReference(f *testing.F) {
	seeds := map[uint8][]byte{}
	add := func(kind uint8, doc []byte, member string) {
		zr, err := zip.NewReader(bytes.NewReader(doc), int64(len(doc)))
		if err != nil {
			f.Fatal(err)
		}
		for _, zf := range zr.File {
			if zf.Name == member {
				rc, _ := zf.Open()
				b, _ := io.ReadAll(rc)
				_ = rc.Close()
				f.Add(kind, b)
				seeds[kind] = b
			}
		}
	}
	S, N := docfixtures.S, docfixtures.N
	book := docfixtures.XLSX(docfixtures.Sheet{Name: "A", FirstRow: 2, Rows: [][]docfixtures.Cell{{S("navn"), S("fnr"), S("x")}, {S("Kari"), N("1019012345"), S("a & b")}, {N("1.5E3"), S("Ola"), S("")}}})
	add(0, docfixtures.DOCX([]string{"Tittel", "fnr |0101|9012345| & <mer>"}, [][]string{{"a", "b"}}, "h", "x"), "word/document.xml")
	add(1, docfixtures.PPTX("slide\nline b"), "ppt/slides/slide1.xml")
	add(2, book, "xl/worksheets/sheet1.xml")
	add(3, book, "xl/sharedStrings.xml")
	add(4, book, "_rels/.rels")
	add(5, book, "xl/workbook.xml")
	add(6, docfixtures.ODS(docfixtures.Sheet{Name: "K", FirstRow: 2, Rows: [][]docfixtures.Cell{{S("navn"), S(""), S("fnr")}, {S("Kari"), S(""), N("1019012345")}}}), "content.xml")
	add(7, docfixtures.ODT("Hei  verden", "fnr 01019012345"), "content.xml")
	for kind := range uint8(8) {
		if _, ok := seeds[kind]; !ok {
			f.Fatalf("no seed for kind %d", kind)
		}
	}
	f.Add(uint8(2), []byte(`<row r="3"><c r="B3" t="str"><f>A1</f><v>x</v></c><c t="e"><v>#N/A</v></c><c t="b"><v>1</v></c></row><row><c r="C9"><v>1E3</v></c></row>`))
	f.Add(uint8(6), []byte(`<table:table table:name="A"><table:table-row table:number-rows-repeated="2"><table:table-cell table:number-columns-repeated="3" office:value-type="date" office:date-value="2024-01-01"><text:p>x</text:p></table:table-cell><table:table-cell><text:p>a<text:s/>b<text:tab/>c<text:line-break/>d</text:p><text:p>e</text:p></table:table-cell></table:table-row></table:table>`))
	f.Add(uint8(7), []byte(`<text:p>a<text:s text:c="-5"/>b<text:s text:c="99999999999999999999"/><text:tab/><text:line-break/></text:p><text:h>h</text:h><dc:title>t</dc:title>`))
	f.Fuzz(func(t *testing.T, kind uint8, part []byte) {
		data, name := fuzzDoc(kind, part)
		checkRead(t, data, name)
	})
}

// BenchmarkXMLScanner measures the scanner alone on a worksheet, against
// encoding/xml behind the splitter.
func BenchmarkXMLScanner(b *testing.B) {
	var rows [][]docfixtures.Cell
	for i := range 5000 {
		rows = append(rows, []docfixtures.Cell{docfixtures.N(fmt.Sprint(i)), docfixtures.S(fmt.Sprintf("Kunde %d", i)), docfixtures.S("kunde@fjordpost.no")})
	}
	members := zipMembers(b, docfixtures.XLSX(docfixtures.Sheet{Name: "A", Rows: rows}))
	var sheet []byte
	for _, m := range members {
		if bytes.Contains(m, []byte("<sheetData>")) {
			sheet = m
		}
	}
	b.Run("scanner", func(b *testing.B) {
		b.SetBytes(int64(len(sheet)))
		s := newXMLScanner(nil)
		for b.Loop() {
			s.reset(bytes.NewReader(sheet))
			for {
				if _, err := s.next(); err != nil {
					break
				}
			}
		}
	})
	b.Run("encoding-xml", func(b *testing.B) {
		b.SetBytes(int64(len(sheet)))
		for b.Loop() {
			d := refNewDecoder(bytes.NewReader(sheet))
			for {
				if _, err := d.RawToken(); err != nil {
					break
				}
			}
		}
	})
}

// nullSink takes chunks and keeps nothing, to measure extraction alone.
type nullSink struct{ n int64 }

func (s *nullSink) Text(_ context.Context, c *sources.Chunk) error {
	s.n += int64(len(c.Data))
	return nil
}
func (s *nullSink) Column(sources.Column)                  {}
func (s *nullSink) Table(sources.Table)                    {}
func (s *nullSink) Failed(sources.Location, error)         {}
func (s *nullSink) Skipped(sources.Location, string)       {}
func (s *nullSink) Scanned(sources.Location, int64, int64) {}

// BenchmarkRead extracts the office documents of the mixed benchmark
// folder without detectors, with the scanner ("scanner") and with the
// encoding/xml reference ("encoding-xml"); MB/s are bytes on disk.
func BenchmarkRead(b *testing.B) {
	dir := b.TempDir()
	if _, err := docfixtures.Mixed(dir, 2); err != nil {
		b.Fatal(err)
	}
	for _, f := range []string{"hr/kunder.xlsx", "hr/kunder.ods", "saker/rapport.docx", "saker/referat.odt", "salg/deck.pptx"} {
		data, err := os.ReadFile(filepath.Join(dir, filepath.FromSlash(f)))
		if err != nil {
			b.Fatal(err)
		}
		for _, impl := range []struct {
			name string
			read func(context.Context, Kind, *zip.Reader, Opener, sources.Location, *files.Reader, sources.Sink) error
		}{{"scanner", Read}, {"encoding-xml", refRead}} {
			b.Run(filepath.Ext(f)[1:]+"/"+impl.name, func(b *testing.B) {
				b.SetBytes(int64(len(data)))
				rd := files.NewReader(sources.Options{}, nil)
				for b.Loop() {
					zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
					if err != nil {
						b.Fatal(err)
					}
					sink := &nullSink{}
					if err := impl.read(context.Background(), Detect(zr, plainOpen), zr, plainOpen, sources.Location{Path: f}, rd, sink); err != nil || sink.n == 0 {
						b.Fatalf("%v, %d bytes", err, sink.n)
					}
				}
			})
		}
	}
}
