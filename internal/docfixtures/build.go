// Package docfixtures generates, at test time, the documents, archives and
// databases that the tests of the file-reading sources and of the CLI scan:
// OOXML and OpenDocument packages written with archive/zip, PDFs written by
// hand with correct xref offsets, zip and tar.gz archives with nested
// archives, SQLite databases, Windows-1252 and UTF-16 exports, and the bad
// cases (a zip bomb, a truncated zip, a corrupt PDF). Nothing binary is
// committed; the personal data in them are valid but synthetic identifiers.
package docfixtures

import (
	"archive/tar"
	"archive/zip"
	"bytes"
	"compress/flate"
	"fmt"
	"html"
	"io"
	"strconv"
	"strings"

	"github.com/klauspost/compress/gzip"
	"github.com/ncruces/go-sqlite3"
	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/unicode"
)

// Member is a file in a zip or tar archive.
type Member struct {
	Name  string
	Data  []byte
	Store bool // zip: stored, not deflated
}

// Zip returns a zip archive of the members.
func Zip(members ...Member) []byte {
	var b bytes.Buffer
	w := zip.NewWriter(&b)
	for _, m := range members {
		method := zip.Deflate
		if m.Store {
			method = zip.Store
		}
		f, err := w.CreateHeader(&zip.FileHeader{Name: m.Name, Method: method})
		must(err)
		_, err = f.Write(m.Data)
		must(err)
	}
	must(w.Close())
	return b.Bytes()
}

// TarGz returns a gzip-compressed tar archive of the members.
func TarGz(members ...Member) []byte {
	var b bytes.Buffer
	gz := gzip.NewWriter(&b)
	must(writeTar(gz, members))
	must(gz.Close())
	return b.Bytes()
}

// Tar returns an uncompressed tar archive of the members.
func Tar(members ...Member) []byte {
	var b bytes.Buffer
	must(writeTar(&b, members))
	return b.Bytes()
}

func writeTar(w io.Writer, members []Member) error {
	tw := tar.NewWriter(w)
	for _, m := range members {
		h := &tar.Header{Name: m.Name, Mode: 0o644, Size: int64(len(m.Data)), Typeflag: tar.TypeReg}
		if strings.HasSuffix(m.Name, "/") {
			h.Typeflag, h.Mode = tar.TypeDir, 0o755
		}
		if err := tw.WriteHeader(h); err != nil {
			return err
		}
		if _, err := tw.Write(m.Data); err != nil {
			return err
		}
	}
	return tw.Close()
}

func must(err error) {
	if err != nil {
		panic(err)
	}
}

func esc(s string) string { return html.EscapeString(s) }

const xmlHeader = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` + "\n"

// DOCX returns a Word document: each paragraph a w:p whose text is split
// into runs at every '|' (Word splits text into runs freely, also inside
// numbers), then a table, a header part with headerText, and an author.
func DOCX(paragraphs []string, table [][]string, headerText, author string) []byte {
	var doc strings.Builder
	doc.WriteString(xmlHeader + `<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>`)
	para := func(p string) {
		doc.WriteString(`<w:p><w:pPr><w:tabs><w:tab w:val="left" w:pos="720"/></w:tabs></w:pPr>`)
		for _, run := range strings.Split(p, "|") {
			fmt.Fprintf(&doc, `<w:r><w:rPr><w:b/></w:rPr><w:t xml:space="preserve">%s</w:t></w:r>`, esc(run))
		}
		doc.WriteString(`</w:p>`)
	}
	for _, p := range paragraphs {
		para(p)
	}
	if len(table) > 0 {
		doc.WriteString(`<w:tbl>`)
		for _, row := range table {
			doc.WriteString(`<w:tr>`)
			for _, c := range row {
				doc.WriteString(`<w:tc>`)
				para(c)
				doc.WriteString(`</w:tc>`)
			}
			doc.WriteString(`</w:tr>`)
		}
		doc.WriteString(`</w:tbl>`)
	}
	doc.WriteString(`<w:sectPr/></w:body></w:document>`)
	return Zip(
		Member{Name: "[Content_Types].xml", Data: []byte(xmlHeader + `<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>`)},
		Member{Name: "_rels/.rels", Data: []byte(xmlHeader + `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/></Relationships>`)},
		Member{Name: "word/document.xml", Data: []byte(doc.String())},
		Member{Name: "word/header1.xml", Data: []byte(xmlHeader + `<w:hdr xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:p><w:r><w:t>` + esc(headerText) + `</w:t></w:r></w:p></w:hdr>`)},
		Member{Name: "docProps/core.xml", Data: []byte(xmlHeader + `<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:title>Kontrakt</dc:title><dc:creator>` + esc(author) + `</dc:creator></cp:coreProperties>`)},
	)
}

// Cell is a spreadsheet cell: text, or a number when Num is set.
type Cell struct {
	Text string
	Num  bool
}

// S and N make text and number cells.
func S(s string) Cell { return Cell{Text: s} }

// N makes a number cell.
func N(s string) Cell { return Cell{Text: s, Num: true} }

// Sheet is a named grid of cells; row i is spreadsheet row FirstRow+i.
type Sheet struct {
	Name     string
	FirstRow int // 0 means 1
	Rows     [][]Cell
}

// colName renders a 0-based column index as letters.
func colName(i int) string {
	s := ""
	for i++; i > 0; i = (i - 1) / 26 {
		s = string(rune('A'+(i-1)%26)) + s
	}
	return s
}

// XLSX returns an Excel workbook. Text goes to the shared strings, except
// in the last column of each sheet, which uses inline strings.
func XLSX(sheets ...Sheet) []byte {
	var sst []string
	idx := map[string]int{}
	members := []Member{
		{Name: "[Content_Types].xml", Data: []byte(xmlHeader + `<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/></Types>`)},
		{Name: "_rels/.rels", Data: []byte(xmlHeader + `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>`)},
	}
	var wb, rels strings.Builder
	wb.WriteString(xmlHeader + `<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>`)
	rels.WriteString(xmlHeader + `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">`)
	for i, sh := range sheets {
		n := i + 1
		fmt.Fprintf(&wb, `<sheet name="%s" sheetId="%d" r:id="rId%d"/>`, esc(sh.Name), n, n)
		fmt.Fprintf(&rels, `<Relationship Id="rId%d" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet%d.xml"/>`, n, n)
		var ws strings.Builder
		ws.WriteString(xmlHeader + `<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>`)
		first := max(sh.FirstRow, 1)
		for r, row := range sh.Rows {
			fmt.Fprintf(&ws, `<row r="%d">`, first+r)
			for c, cell := range row {
				if cell.Text == "" {
					continue
				}
				ref := colName(c) + strconv.Itoa(first+r)
				switch {
				case cell.Num:
					fmt.Fprintf(&ws, `<c r="%s"><v>%s</v></c>`, ref, esc(cell.Text))
				case c == len(row)-1:
					fmt.Fprintf(&ws, `<c r="%s" t="inlineStr"><is><t>%s</t></is></c>`, ref, esc(cell.Text))
				default:
					k, ok := idx[cell.Text]
					if !ok {
						k = len(sst)
						idx[cell.Text] = k
						sst = append(sst, cell.Text)
					}
					fmt.Fprintf(&ws, `<c r="%s" t="s"><v>%d</v></c>`, ref, k)
				}
			}
			ws.WriteString(`</row>`)
		}
		ws.WriteString(`</sheetData></worksheet>`)
		members = append(members, Member{Name: fmt.Sprintf("xl/worksheets/sheet%d.xml", n), Data: []byte(ws.String())})
	}
	wb.WriteString(`</sheets></workbook>`)
	fmt.Fprintf(&rels, `<Relationship Id="rId%d" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>`, len(sheets)+1)
	var ss strings.Builder
	fmt.Fprintf(&ss, xmlHeader+`<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="%d" uniqueCount="%d">`, len(sst), len(sst))
	for i, s := range sst {
		if i%2 == 1 && len(s) > 2 {
			// Rich text: the same string in two runs, with a phonetic
			// run that is not part of the value.
			h := len(s) / 2
			fmt.Fprintf(&ss, `<si><r><t>%s</t></r><r><rPr><b/></rPr><t>%s</t></r><rPh sb="0" eb="1"><t>x</t></rPh></si>`, esc(s[:h]), esc(s[h:]))
			continue
		}
		fmt.Fprintf(&ss, `<si><t>%s</t></si>`, esc(s))
	}
	ss.WriteString(`</sst>`)
	members = append(members,
		Member{Name: "xl/workbook.xml", Data: []byte(wb.String())},
		Member{Name: "xl/_rels/workbook.xml.rels", Data: []byte(rels.String())},
		Member{Name: "xl/sharedStrings.xml", Data: []byte(ss.String())},
	)
	return Zip(members...)
}

// PPTX returns a presentation with one slide per entry (paragraphs split
// at '\n').
func PPTX(slides ...string) []byte {
	members := []Member{
		{Name: "[Content_Types].xml", Data: []byte(xmlHeader + `<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="xml" ContentType="application/xml"/></Types>`)},
		{Name: "_rels/.rels", Data: []byte(xmlHeader + `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="ppt/presentation.xml"/></Relationships>`)},
		{Name: "ppt/presentation.xml", Data: []byte(xmlHeader + `<p:presentation xmlns:p="http://schemas.openxmlformats.org/presentationml/2006/main"/>`)},
	}
	for i, s := range slides {
		var b strings.Builder
		b.WriteString(xmlHeader + `<p:sld xmlns:p="http://schemas.openxmlformats.org/presentationml/2006/main" xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main"><p:cSld><p:spTree><p:sp><p:txBody>`)
		for _, p := range strings.Split(s, "\n") {
			fmt.Fprintf(&b, `<a:p><a:r><a:t>%s</a:t></a:r></a:p>`, esc(p))
		}
		b.WriteString(`</p:txBody></p:sp></p:spTree></p:cSld></p:sld>`)
		members = append(members, Member{Name: fmt.Sprintf("ppt/slides/slide%d.xml", i+1), Data: []byte(b.String())})
	}
	return Zip(members...)
}

// odf returns an OpenDocument package with the given mimetype and body.
func odf(mimetype, body string) []byte {
	content := xmlHeader + `<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" office:version="1.3"><office:body>` + body + `</office:body></office:document-content>`
	return Zip(
		Member{Name: "mimetype", Data: []byte(mimetype), Store: true},
		Member{Name: "META-INF/manifest.xml", Data: []byte(xmlHeader + `<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0"/>`)},
		Member{Name: "content.xml", Data: []byte(content)},
	)
}

// ODT returns an OpenDocument text with one text:p per paragraph; a "  "
// in a paragraph is written as text:s (ODF collapses spaces).
func ODT(paragraphs ...string) []byte {
	var b strings.Builder
	b.WriteString(`<office:text>`)
	for _, p := range paragraphs {
		b.WriteString(`<text:p>`)
		for i, part := range strings.Split(p, "  ") {
			if i > 0 {
				b.WriteString(`<text:s text:c="2"/>`)
			}
			fmt.Fprintf(&b, `<text:span>%s</text:span>`, esc(part))
		}
		b.WriteString(`</text:p>`)
	}
	b.WriteString(`</office:text>`)
	return odf("application/vnd.oasis.opendocument.text", b.String())
}

// ODS returns an OpenDocument spreadsheet. Each row ends with a repeated
// empty cell, and each table with repeated empty rows, as office suites
// write them.
func ODS(sheets ...Sheet) []byte {
	var b strings.Builder
	b.WriteString(`<office:spreadsheet>`)
	for _, sh := range sheets {
		fmt.Fprintf(&b, `<table:table table:name="%s">`, esc(sh.Name))
		if sh.FirstRow > 1 {
			fmt.Fprintf(&b, `<table:table-row table:number-rows-repeated="%d"><table:table-cell/></table:table-row>`, sh.FirstRow-1)
		}
		for _, row := range sh.Rows {
			b.WriteString(`<table:table-row>`)
			for _, c := range row {
				switch {
				case c.Text == "":
					b.WriteString(`<table:table-cell/>`)
				case c.Num:
					fmt.Fprintf(&b, `<table:table-cell office:value-type="float" office:value="%s"><text:p>%s</text:p></table:table-cell>`, esc(c.Text), esc(c.Text))
				default:
					fmt.Fprintf(&b, `<table:table-cell office:value-type="string"><text:p>%s</text:p></table:table-cell>`, esc(c.Text))
				}
			}
			b.WriteString(`<table:table-cell table:number-columns-repeated="1000"/></table:table-row>`)
		}
		b.WriteString(`<table:table-row table:number-rows-repeated="1048000"><table:table-cell table:number-columns-repeated="1024"/></table:table-row></table:table>`)
	}
	b.WriteString(`</office:spreadsheet>`)
	return odf("application/vnd.oasis.opendocument.spreadsheet", b.String())
}

// PDF returns a PDF with one page per entry, each line of a page shown
// with its own text object, with a correct cross-reference table.
func PDF(pages ...string) []byte { return PDFTree(0, pages...) }

// PDFTree is PDF with the pages in a tree of page-tree nodes of at most
// fanout kids each (0: all pages under the root), as long documents are
// written.
func PDFTree(fanout int, pages ...string) []byte {
	return pdfDoc(fanout, []string{"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>"}, false, pages)
}

// PDFFonts is PDF with the font dictionaries fonts as the pages' font F1,
// page i's fonts[i%len(fonts)], each an object of its own (an encoding of
// its own changes what a page's text says).
func PDFFonts(fonts []string, pages ...string) []byte { return pdfDoc(0, fonts, false, pages) }

// PDFInlineFonts is PDFFonts with each font dictionary written into its
// pages' resources, not an object of its own.
func PDFInlineFonts(fonts []string, pages ...string) []byte { return pdfDoc(0, fonts, true, pages) }

func pdfDoc(fanout int, fonts []string, inline bool, pages []string) []byte {
	var objs []string
	// 1: catalog, 2: pages (the root), 3: font, then page and content
	// pairs, then the inner page-tree nodes, numbered on.
	kids := make([]string, len(pages)) // the references of this level's nodes
	counts := make([]int, len(pages))  // the pages below each of them
	parent := make([]int, len(pages))  // each page's node
	for i := range pages {
		kids[i], counts[i], parent[i] = fmt.Sprintf("%d 0 R", 4+2*i), 1, 2
	}
	var inner []string
	for leaves := true; fanout > 0 && len(kids) > fanout; leaves = false {
		var upKids []string
		var upCounts []int
		for lo := 0; lo < len(kids); lo += fanout {
			hi := min(lo+fanout, len(kids))
			num := 4 + 2*len(pages) + len(inner)
			n := 0
			for j := lo; j < hi; j++ {
				n += counts[j]
				if leaves {
					parent[j] = num
				}
			}
			inner = append(inner, fmt.Sprintf("<< /Type /Pages /Kids [%s] /Count %d >>", strings.Join(kids[lo:hi], " "), n))
			upKids = append(upKids, fmt.Sprintf("%d 0 R", num))
			upCounts = append(upCounts, n)
		}
		kids, counts = upKids, upCounts
	}
	objs = append(objs,
		"<< /Type /Catalog /Pages 2 0 R >>",
		fmt.Sprintf("<< /Type /Pages /Kids [%s] /Count %d >>", strings.Join(kids, " "), len(pages)),
		fonts[0],
	)
	// The first font is object 3, the others follow the inner nodes.
	fontRef := func(j int) int {
		if j == 0 {
			return 3
		}
		return 4 + 2*len(pages) + len(inner) + j - 1
	}
	// f1 is page i's font F1: a reference, or the dictionary itself.
	f1 := func(i int) string {
		if inline {
			return fonts[i%len(fonts)]
		}
		return fmt.Sprintf("%d 0 R", fontRef(i%len(fonts)))
	}
	for i, p := range pages {
		var s strings.Builder
		y := 720
		for _, line := range strings.Split(p, "\n") {
			line = strings.NewReplacer(`\`, `\\`, `(`, `\(`, `)`, `\)`).Replace(line)
			fmt.Fprintf(&s, "BT /F1 11 Tf 72 %d Td (%s) Tj ET\n", y, line)
			y -= 14
		}
		objs = append(objs,
			fmt.Sprintf("<< /Type /Page /Parent %d 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 %s >> >> /Contents %d 0 R >>", parent[i], f1(i), 5+2*i),
			fmt.Sprintf("<< /Length %d >>\nstream\n%sendstream", s.Len(), s.String()),
		)
	}
	objs = append(objs, inner...)
	objs = append(objs, fonts[1:]...)
	var b bytes.Buffer
	b.WriteString("%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
	offsets := make([]int, len(objs))
	for i, o := range objs {
		offsets[i] = b.Len()
		fmt.Fprintf(&b, "%d 0 obj\n%s\nendobj\n", i+1, o)
	}
	xref := b.Len()
	fmt.Fprintf(&b, "xref\n0 %d\n0000000000 65535 f \n", len(objs)+1)
	for _, off := range offsets {
		fmt.Fprintf(&b, "%010d 00000 n \n", off)
	}
	fmt.Fprintf(&b, "trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n", len(objs)+1, xref)
	return b.Bytes()
}

// CorruptPDF returns something that starts like a PDF and is not one.
func CorruptPDF() []byte {
	p := PDF("Kontakt: ola@example.com")
	// Cut out the cross-reference table and trailer, keep the end marker.
	i := bytes.Index(p, []byte("xref"))
	return append(append(p[:i:i], "garbage 9 0 R\n"...), "%%EOF\n"...)
}

// Windows1252 encodes s in Windows-1252, as Excel exports CSV.
func Windows1252(s string) []byte {
	b, err := charmap.Windows1252.NewEncoder().Bytes([]byte(s))
	must(err)
	return b
}

// UTF16LE encodes s as UTF-16LE with a BOM.
func UTF16LE(s string) []byte {
	b, err := unicode.UTF16(unicode.LittleEndian, unicode.UseBOM).NewEncoder().Bytes([]byte(s))
	must(err)
	return b
}

// utf16NoBOM encodes s as little-endian UTF-16 without a byte-order mark,
// as an Outlook message's string properties are stored.
func utf16NoBOM(s string) []byte {
	b, err := unicode.UTF16(unicode.LittleEndian, unicode.IgnoreBOM).NewEncoder().Bytes([]byte(s))
	must(err)
	return b
}

// ZipBomb returns a zip whose one member declares and inflates to size
// bytes of zeros (size a multiple of 1 MiB), in about size/1000 bytes: the
// deflate stream is one block for the first MiB and the same block for
// every further MiB (zeros refer back to zeros). It is built without
// compressing size bytes, so it is quick to make; its CRC is not that of
// the content, which no reader gets to check before a limit stops it.
func ZipBomb(name string, size int64) []byte {
	const mib = 1 << 20
	zeros := make([]byte, mib)
	var raw bytes.Buffer
	fw, err := flate.NewWriter(&raw, flate.BestCompression)
	must(err)
	_, err = fw.Write(zeros)
	must(err)
	must(fw.Flush())
	first := raw.Len()
	_, err = fw.Write(zeros)
	must(err)
	must(fw.Flush())
	block := bytes.Clone(raw.Bytes()[first:])
	var body bytes.Buffer
	body.Write(raw.Bytes()[:first])
	for n := int64(mib); n < size; n += mib {
		body.Write(block)
	}
	body.Write([]byte{0x03, 0x00}) // final empty fixed-Huffman block
	var b bytes.Buffer
	w := zip.NewWriter(&b)
	f, err := w.CreateRaw(&zip.FileHeader{
		Name: name, Method: zip.Deflate,
		CompressedSize64: uint64(body.Len()), UncompressedSize64: uint64(size),
	})
	must(err)
	_, err = f.Write(body.Bytes())
	must(err)
	must(w.Close())
	return b.Bytes()
}

// SQLite creates a database at path with the given statements.
func SQLite(path string, statements ...string) error {
	c, err := sqlite3.Open(path)
	if err != nil {
		return err
	}
	// A fixture needs no durability: no fsync, no journal file.
	for _, s := range append([]string{"PRAGMA synchronous = OFF", "PRAGMA journal_mode = MEMORY"}, statements...) {
		if err := c.Exec(s); err != nil {
			_ = c.Close()
			return fmt.Errorf("%s: %w", s, err)
		}
	}
	return c.Close()
}
