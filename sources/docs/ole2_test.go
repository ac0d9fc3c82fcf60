package docs

import (
	"bytes"
	"context"
	"encoding/binary"
	"io"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"testing/iotest"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/piimap/piimap/internal/docfixtures"
	"github.com/piimap/piimap/sources"
	"github.com/piimap/piimap/sources/files"
)

func utf16LE(s string) []byte {
	var b []byte
	for _, u := range utf16.Encode([]rune(s)) {
		b = binary.LittleEndian.AppendUint16(b, u)
	}
	return b
}

// noise returns n bytes of binary noise: random bytes below 0x20 and
// above 0x7F, which hold no run of text.
func noise(r *rand.Rand, n int) []byte {
	b := make([]byte, n)
	for i := range b {
		b[i] = byte(r.IntN(0x20))
		if r.IntN(2) == 0 {
			b[i] = 0x81 // undefined in Windows-1252
		}
	}
	return b
}

func readOLE2(t *testing.T, data []byte, name string, random bool) *recSink {
	t.Helper()
	return readOLE2With(t, data, name, random, sources.Options{})
}

func readOLE2With(t *testing.T, data []byte, name string, random bool, opt sources.Options) *recSink {
	t.Helper()
	sink := &recSink{}
	rd := files.NewReader(opt, nil, files.WithFormat(files.KindOLE2, ReadOLE2))
	f := &files.Format{Kind: files.KindOLE2, Stream: files.Stream{Loc: sources.Location{Path: name}, Name: name, R: bytes.NewReader(data), Size: -1}}
	if random {
		f.ReaderAt, f.Size = bytes.NewReader(data), int64(len(data))
	}
	if err := ReadOLE2(context.Background(), f, rd, sink); err != nil {
		t.Fatal(err)
	}
	return sink
}

// lines returns the non-blank lines of s.
func lines(s string) []string {
	var out []string
	for l := range strings.SplitSeq(s, "\n") {
		if l = strings.TrimSpace(l); l != "" {
			out = append(out, l)
		}
	}
	return out
}

func hasLine(ls []string, want string) bool {
	for _, l := range ls {
		if l == want {
			return true
		}
	}
	return false
}

// TestOLE2MessageBodies: a message's body is read once: as HTML when
// there is no text, as RTF when there is neither.
func TestOLE2MessageBodies(t *testing.T) {
	rtf := docfixtures.CFBStream{Path: "__substg1.0_10090102", Data: append([]byte("\x31\x00\x00\x00\x25\x00\x00\x00MELA\x00\x00\x00\x00"), `{\rtf1 F\'f8dselsnr {\i 2207}9110098}`...)}
	html := docfixtures.CFBStream{Path: "__substg1.0_10130102", Data: []byte("<html><body><p>Ring <b>913</b>&nbsp;45&nbsp;678 eller <a href=\"mailto:per&#64;example.no\">Per</a></p></body></html>")}
	text := readOLE2(t, docfixtures.CFB(rtf, html), "a.msg", false).text("a.msg")
	if !strings.Contains(text, "Ring 913 45 678 eller  mailto:per@example.no Per") || strings.Contains(text, "Fødselsnr") {
		t.Errorf("HTML and RTF: %q, want the HTML body read as HTML, alone", text)
	}
	if text := readOLE2(t, docfixtures.CFB(rtf), "b.msg", false).text("b.msg"); !strings.Contains(text, "Fødselsnr 22079110098") {
		t.Errorf("RTF alone: %q, want it read as RTF", text)
	}
}

// TestOLE2Message: an Outlook message's string properties (UTF-16 and
// 8-bit), its recipients', and its attachment, read as a file of its own.
func TestOLE2Message(t *testing.T) {
	msg := docfixtures.CFB(
		docfixtures.CFBStream{Path: "__substg1.0_0037001F", Data: utf16LE("Lønnsslipp for Kari Nordmann")},
		docfixtures.CFBStream{Path: "__substg1.0_1000001F", Data: utf16LE("Hei Kari,\r\nfnr 15038712486, tlf +47 912 34 567.\r\n")},
		docfixtures.CFBStream{Path: "__substg1.0_0C1F001E", Data: []byte("l\xf8nn@firma.no\x00")},
		docfixtures.CFBStream{Path: "__substg1.0_10090102", Data: append([]byte("\x31\x00\x00\x00\x25\x00\x00\x00MELA\x00\x00\x00\x00"), `{\rtf1 F\'f8dselsnr {\i 2207}9110098}`...)},
		docfixtures.CFBStream{Path: "__substg1.0_10130102", Data: []byte("<html><body><p>Ring <b>913</b>&nbsp;45&nbsp;678 eller <a href=\"mailto:per&#64;example.no\">Per</a></p></body></html>")},
		docfixtures.CFBStream{Path: "__recip_version1.0_#00000000/__substg1.0_39FE001F", Data: utf16LE("kari.nordmann@example.no")},
		docfixtures.CFBStream{Path: "__recip_version1.0_#00000000/__substg1.0_3001001F", Data: utf16LE("Kari Nordmann")},
		docfixtures.CFBStream{Path: "__substg1.0_0C1A001F", Data: utf16LE("Lønn Avdeling")},
		docfixtures.CFBStream{Path: "__attach_version1.0_#00000000/__substg1.0_3707001F", Data: utf16LE("kontrakt.txt\x00")},
		docfixtures.CFBStream{Path: "__attach_version1.0_#00000000/__substg1.0_37010102", Data: []byte("Ansatt: Ola Hansen, fnr 01019012345\n")},
	)
	for _, random := range []bool{true, false} {
		sink := readOLE2(t, msg, "mail.msg", random)
		got := lines(sink.text("mail.msg"))
		text := sink.text("mail.msg")
		// The body once: here as text, not its HTML and RTF forms.
		if strings.Contains(text, "Fødselsnr 22079110098") || strings.Contains(text, "mailto:per@example.no") {
			t.Errorf("random=%v: the HTML or RTF body read beside the text: %q", random, text)
		}
		for _, want := range []string{"Lønnsslipp for Kari Nordmann", "fnr 15038712486, tlf +47 912 34 567.", "e-mail: lønn@firma.no", "e-mail: kari.nordmann@example.no"} {
			if !hasLine(got, want) {
				t.Errorf("random=%v: no line %q in %q", random, want, got)
			}
		}
		// The sender's and the recipients' names are columns.
		var cols []string
		for _, c := range sink.chunks {
			if c.Loc.Field != "" && c.Loc.Path == "mail.msg" {
				cols = append(cols, c.Loc.Field+"="+string(c.Data))
			}
		}
		slices.Sort(cols)
		if !slices.Equal(cols, []string{"RecipientName=Kari Nordmann", "SenderName=Lønn Avdeling"}) {
			t.Errorf("random=%v: columns %q", random, cols)
		}
		if strings.Contains(sink.text("mail.msg"), "01019012345") {
			t.Error("the attachment was read as the message's text")
		}
		if att := sink.text("mail.msg!kontrakt.txt"); att != "Ansatt: Ola Hansen, fnr 01019012345\n" {
			t.Errorf("attachment: %q", att)
		}
		if len(sink.failed)+len(sink.skipped) != 0 {
			t.Error(sink.failed, sink.skipped)
		}
		var names []string
		for _, c := range sink.chunks {
			if c.Loc.Field == sources.NamesField {
				names = append(names, string(c.Data))
			}
		}
		if len(names) != 0 {
			t.Errorf("names read without Options.Names: %q", names)
		}
	}
	// The attachments' names are values, as a folder's file names are.
	sink := readOLE2With(t, msg, "mail.msg", true, sources.Options{Names: true})
	var names []string
	for _, c := range sink.chunks {
		if c.Loc.Field == sources.NamesField && c.Loc.Path == "mail.msg!" {
			names = append(names, string(c.Data))
		}
	}
	if len(names) != 1 || !strings.Contains(names[0], "kontrakt") {
		t.Errorf("attachment names: %q", names)
	}
}

// TestOLE2Document: the runs of text in a .doc's binary streams, 8-bit
// (Windows-1252) and UTF-16, between noise; paragraphs are lines.
func TestOLE2Document(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	var word []byte
	word = append(word, noise(r, 1500)...)
	word = append(word, "Arbeidsavtale\rKari Nordmann, f\xf8dselsnummer 15038712486\x07Tlf 912\x1e34\x1e567\r"...)
	word = append(word, noise(r, 777)...)
	word = append(word, utf16LE("Epost: kari.nordmann@example.no – Oslo")...)
	word = append(word, 0, 0)
	word = append(word, noise(r, 5000)...)
	summary := append(noise(r, 48), "Kari Nordmann\x00\x00\x00Firma AS\x00"...)
	doc := docfixtures.CFB(
		docfixtures.CFBStream{Path: "WordDocument", Data: word},
		docfixtures.CFBStream{Path: "\x05SummaryInformation", Data: summary},
		docfixtures.CFBStream{Path: "1Table", Data: noise(r, 3000)},
	)
	sink := readOLE2(t, doc, "avtale.doc", true)
	got := lines(sink.text("avtale.doc"))
	want := []string{
		"Arbeidsavtale", "Kari Nordmann, fødselsnummer 15038712486", "Tlf 912-34-567",
		"Epost: kari.nordmann@example.no – Oslo", "Kari Nordmann", "Firma AS",
	}
	for _, w := range want {
		if !hasLine(got, w) {
			t.Errorf("no line %q in %q", w, got)
		}
	}
	if len(got) != len(want) {
		t.Errorf("%d lines, want %d (noise read as text?): %q", len(got), len(want), got)
	}
}

// TestOLE2Workbook: a workbook older than BIFF8 (Excel 5) is read as its
// strings and the numbers of its cells.
func TestOLE2Workbook(t *testing.T) {
	rec := func(typ uint16, data []byte) []byte {
		b := binary.LittleEndian.AppendUint16(nil, typ)
		b = binary.LittleEndian.AppendUint16(b, uint16(len(data)))
		return append(b, data...)
	}
	cell := func(row, col uint16) []byte {
		b := binary.LittleEndian.AppendUint16(nil, row)
		b = binary.LittleEndian.AppendUint16(b, col)
		return binary.LittleEndian.AppendUint16(b, 15) // XF
	}
	var wb []byte
	wb = append(wb, rec(0x0809, make([]byte, 16))...) // BOF
	sst := append([]byte{2, 0, 0, 0, 2, 0, 0, 0}, 15, 0, 0)
	sst = append(sst, "kari@example.no"...)
	wb = append(wb, rec(0x00FC, sst)...)
	wb = append(wb, rec(biffNumber, binary.LittleEndian.AppendUint64(cell(1, 2), math.Float64bits(91234567)))...)
	wb = append(wb, rec(biffRK, binary.LittleEndian.AppendUint32(cell(2, 2), uint32(92345678)<<2|2))...)
	mul := cell(3, 1)[:4]
	for _, v := range []uint32{uint32(4)<<2 | 2, uint32(1250)<<2 | 3} { // 4, and 12.5 (1250/100)
		mul = binary.LittleEndian.AppendUint16(mul, 15)
		mul = binary.LittleEndian.AppendUint32(mul, v)
	}
	mul = binary.LittleEndian.AppendUint16(mul, 2)
	wb = append(wb, rec(biffMulRK, mul)...)
	wb = append(wb, rec(0x000A, nil)...) // EOF
	xls := docfixtures.CFB(docfixtures.CFBStream{Path: "Workbook", Data: wb})
	got := lines(readOLE2(t, xls, "ansatte.xls", true).text("ansatte.xls"))
	for _, w := range []string{"kari@example.no", "91234567", "92345678", "4", "12.5"} {
		if !hasLine(got, w) {
			t.Errorf("no line %q in %q", w, got)
		}
	}
}

// TestOLE2Broken: a compound file cut short reads what it can and says
// what it could not; an encrypted document is skipped; bytes that are no
// compound file are an error.
func TestOLE2Broken(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	big := append(noise(r, 6000), "fnr 15038712486\r"...)
	big = append(big, noise(r, 6000)...)
	doc := docfixtures.CFB(
		docfixtures.CFBStream{Path: "A", Data: []byte("kari@example.no\r")},
		docfixtures.CFBStream{Path: "B", Data: big},
	)
	for cut := 512; cut < len(doc); cut += 512 {
		sink := &recSink{}
		rd := files.NewReader(sources.Options{}, nil)
		f := &files.Format{Kind: files.KindOLE2, Stream: files.Stream{Loc: sources.Location{Path: "x.doc"}, R: bytes.NewReader(doc[:cut]), ReaderAt: bytes.NewReader(doc[:cut]), Size: int64(cut)}}
		if err := ReadOLE2(context.Background(), f, rd, sink); err == nil && len(sink.failed) == 0 {
			if !strings.Contains(sink.text("x.doc"), "15038712486") {
				t.Errorf("cut at %d of %d: neither the text nor a failure", cut, len(doc))
			}
		}
	}
	enc := docfixtures.CFB(docfixtures.CFBStream{Path: "EncryptionInfo", Data: []byte{4, 0, 4, 0}}, docfixtures.CFBStream{Path: "EncryptedPackage", Data: noise(r, 5000)})
	if sink := readOLE2(t, enc, "secret.docx", true); len(sink.skipped) != 1 || !strings.Contains(sink.skipped[0], "encrypted document") {
		t.Errorf("encrypted: skipped %q", sink.skipped)
	}
	rd := files.NewReader(sources.Options{}, nil)
	bad := []byte("not a compound file at all, just text")
	f := &files.Format{Kind: files.KindOLE2, Stream: files.Stream{Loc: sources.Location{Path: "x.doc"}, R: bytes.NewReader(bad), ReaderAt: bytes.NewReader(bad), Size: int64(len(bad))}}
	if err := ReadOLE2(context.Background(), f, rd, &recSink{}); err == nil {
		t.Error("no error for bytes that are no compound file")
	}
}

// allRuns reads r through textRuns.
func allRuns(t testing.TB, r io.Reader) string {
	b, err := io.ReadAll(newTextRuns(r))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestTextRuns(t *testing.T) {
	for in, want := range map[string]string{
		"abc":                                  "", // too short
		"\x01\x02Kari Nordmann\x00\x03":        "Kari Nordmann\n",
		"\xff\xfe\xfd\xfc\xfb":                 "",       // Latin-1 letters without two ASCII ones
		string(utf16LE("Kari")):                "Kari\n", // even offset
		"\x01" + string(utf16LE("Ola Hansen")): "Ola Hansen\n",
		"ab\rcd\rKari\x07Ola Hansen":           "Kari\nOla Hansen\n",
		"+47\x1e912\x1e34\x1e567":              "+47-912-34-567\n",
		"Pris \x80 12\x81":                     "Pris € 12\n",
	} {
		if got := allRuns(t, strings.NewReader(in)); got != want {
			t.Errorf("%q: %q, want %q", in, got, want)
		}
	}
}

// FuzzTextRuns: the text is valid UTF-8, and the same whether the stream
// comes whole or a byte at a time.
func FuzzTextRuns(f *testing.F) {
	f.Add([]byte("\x01\x02Kari Nordmann\x00\x03"))
	f.Add(utf16LE("Epost: kari@example.no"))
	f.Add(append([]byte{1}, utf16LE("Ola Hansen ☃ 😀")...))
	f.Fuzz(func(t *testing.T, b []byte) {
		whole := allRuns(t, bytes.NewReader(b))
		if !utf8.ValidString(whole) {
			t.Fatalf("invalid UTF-8: %q", whole)
		}
		if one := allRuns(t, iotest.OneByteReader(bytes.NewReader(b))); one != whole {
			t.Fatalf("a byte at a time: %q, whole: %q", one, whole)
		}
	})
}

// FuzzOLE2: no compound file, however broken, makes ReadOLE2 panic or
// hang.
func FuzzOLE2(f *testing.F) {
	f.Add(docfixtures.CFB(docfixtures.CFBStream{Path: "__substg1.0_1000001F", Data: utf16LE("fnr 15038712486")},
		docfixtures.CFBStream{Path: "__attach_version1.0_#00000000/__substg1.0_37010102", Data: []byte("x")}))
	f.Add(docfixtures.CFB(docfixtures.CFBStream{Path: "Workbook", Data: []byte{3, 2, 14, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xF0, 0x3F}}))
	f.Fuzz(func(t *testing.T, b []byte) {
		sink := &recSink{}
		rd := files.NewReader(sources.Options{MaxArchiveBytes: 1 << 20}, nil, files.WithFormat(files.KindOLE2, ReadOLE2))
		fm := &files.Format{Kind: files.KindOLE2, Stream: files.Stream{Loc: sources.Location{Path: "f.msg"}, R: bytes.NewReader(b), ReaderAt: bytes.NewReader(b), Size: int64(len(b))}}
		_ = ReadOLE2(context.Background(), fm, rd, sink)
	})
}

// BenchmarkTextRuns reads the runs of text of 4 MB of a .doc-like stream:
// 8-bit paragraphs and UTF-16 text between binary noise.
func BenchmarkTextRuns(b *testing.B) {
	r := rand.New(rand.NewPCG(5, 6))
	var data []byte
	for len(data) < 4<<20 {
		data = append(data, noise(r, 200)...)
		data = append(data, "Kari Nordmann, fødselsnummer 15038712486, telefon 912 34 567\r"...)
		data = append(data, utf16LE("Epost: kari.nordmann@example.no, Storgata 1, 0155 Oslo")...)
	}
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		if _, err := io.Copy(io.Discard, newTextRuns(bytes.NewReader(data))); err != nil {
			b.Fatal(err)
		}
	}
}

// biffRec is one BIFF record.
func biffRec(typ uint16, data ...[]byte) []byte {
	var d []byte
	for _, x := range data {
		d = append(d, x...)
	}
	b := binary.LittleEndian.AppendUint16(nil, typ)
	b = binary.LittleEndian.AppendUint16(b, uint16(len(d)))
	return append(b, d...)
}

func u16(v int) []byte { return binary.LittleEndian.AppendUint16(nil, uint16(v)) }
func u32(v int) []byte { return binary.LittleEndian.AppendUint32(nil, uint32(v)) }

// cellHead is a cell record's row, column and XF.
func cellHead(row, col int) []byte { return append(append(u16(row), u16(col)...), u16(15)...) }

// xlString is an XLUnicodeString, 8-bit (Latin-1).
func xlString(s string) []byte {
	b := append(u16(len([]rune(s))), 0)
	for _, r := range s {
		b = append(b, byte(r))
	}
	return b
}

// testXLS is a BIFF8 workbook: a worksheet "Ansatte" (a header row of
// shared strings; a fødselsnummer as a NUMBER and as a formula's string
// result; phone numbers as RK and MULRK; an inline LABEL; an embedded
// chart whose text is no cell) and a chart sheet "Diagram". Its shared
// string table is split by a CONTINUE record inside a string's
// characters, which go on as UTF-16; one string has rich-text runs and
// one phonetic data.
func testXLS() []byte {
	bof := func(dt int) []byte { return biffRec(0x0809, u16(0x0600), u16(dt), make([]byte, 12)) }
	eof := biffRec(0x000A)
	// The shared strings: 0 Navn, 1 Fødselsnummer, 2 Telefon, 3 E-post,
	// 4 Kari Nordmann (rich), 5 kari.nordmann@example.no (split), 6 Oslo
	// (phonetic).
	sst := append(u32(7), u32(7)...)
	for _, h := range []string{"Navn", "Fødselsnummer", "Telefon", "E-post"} {
		sst = append(sst, xlString(h)...)
	}
	sst = append(sst, u16(13)...)
	sst = append(sst, 0x08)      // rich runs
	sst = append(sst, u16(1)...) // one run
	sst = append(sst, "Kari Nordmann"...)
	sst = append(sst, 0, 0, 1, 0) // the run (4 bytes)
	mail := "kari.nordmann@example.no"
	sst = append(sst, u16(len(mail))...)
	sst = append(sst, 0)
	sst = append(sst, mail[:10]...)
	cont := []byte{1} // the rest as UTF-16
	for _, r := range mail[10:] {
		cont = append(cont, u16(int(r))...)
	}
	cont = append(cont, u16(4)...)
	cont = append(cont, 0x04) // phonetic data
	cont = append(cont, u32(3)...)
	cont = append(cont, "Oslo"...)
	cont = append(cont, 9, 9, 9)
	globals := func(sheetOff, chartOff int) []byte {
		var g []byte
		g = append(g, bof(0x0005)...)
		g = append(g, biffRec(0x0085, u32(sheetOff), []byte{0, 0}, []byte{7, 0}, []byte("Ansatte"))...)
		g = append(g, biffRec(0x0085, u32(chartOff), []byte{0, 2}, []byte{7, 0}, []byte("Diagram"))...)
		g = append(g, biffRec(0x00FC, sst)...)
		g = append(g, biffRec(0x003C, cont)...)
		return append(g, eof...)
	}
	var sheet []byte
	sheet = append(sheet, bof(0x0010)...)
	for i := range 4 {
		sheet = append(sheet, biffRec(0x00FD, cellHead(0, i), u32(i))...)
	}
	sheet = append(sheet, biffRec(0x00FD, cellHead(1, 0), u32(4))...)
	sheet = append(sheet, biffRec(0x0203, cellHead(1, 1), binary.LittleEndian.AppendUint64(nil, math.Float64bits(15038712486)))...)
	sheet = append(sheet, biffRec(0x027E, cellHead(1, 2), u32(91234567<<2|2))...)
	sheet = append(sheet, biffRec(0x00FD, cellHead(1, 3), u32(5))...)
	sheet = append(sheet, biffRec(0x0204, cellHead(2, 0), xlString("Ola Hansen"))...)
	sheet = append(sheet, biffRec(0x0006, cellHead(2, 1), []byte{0, 0, 0, 0, 0, 0, 0xFF, 0xFF}, make([]byte, 10))...)
	sheet = append(sheet, biffRec(0x0207, xlString("22079110098"))...)
	sheet = append(sheet, biffRec(0x00BD, u16(2), u16(2), u16(15), u32(92345678<<2|2), u16(2))...)
	sheet = append(sheet, biffRec(0x00FD, cellHead(3, 0), u32(6))...)
	sheet = append(sheet, bof(0x0020)...) // an embedded chart
	sheet = append(sheet, biffRec(0x0204, cellHead(9, 0), xlString("ola@chart.no"))...)
	sheet = append(sheet, eof...)
	sheet = append(sheet, eof...)
	chart := append(append(bof(0x0020), biffRec(0x0204, cellHead(0, 0), xlString("per@chart.no"))...), eof...)
	g := globals(0, 0)
	return append(append(globals(len(g), len(g)+len(sheet)), sheet...), chart...)
}

// TestEmbeddedWorkbook: a workbook embedded in a Word document (its
// ObjectPool) is read as a workbook, sheet by sheet at its storage's
// path, not as runs of text.
func TestEmbeddedWorkbook(t *testing.T) {
	doc := docfixtures.CFB(
		docfixtures.CFBStream{Path: "WordDocument", Data: []byte("\x00\x00Rapport om loenn for mars\x00\x00")},
		docfixtures.CFBStream{Path: "ObjectPool/_1234567/Workbook", Data: testXLS()},
		docfixtures.CFBStream{Path: "ObjectPool/_1234567/\x01Ole", Data: make([]byte, 20)},
	)
	sink := readOLE2With(t, doc, "rapport.doc", true, sources.Options{Names: true})
	var fnr []string
	for _, c := range sink.chunks {
		if c.Loc.Path == "rapport.doc!ObjectPool/_1234567!Ansatte" && c.Loc.Field == "Fødselsnummer" {
			fnr = append(fnr, string(c.Data))
		}
	}
	if strings.Join(fnr, "|") != "15038712486|22079110098" {
		t.Errorf("the embedded workbook's Fødselsnummer column: %q (chunks %v)", fnr, sink.cells())
	}
	text := sink.text("rapport.doc")
	if !strings.Contains(text, "Rapport om loenn") || strings.Contains(text, "Ola Hansen") {
		t.Errorf("the document's text (its own, not the workbook's runs): %q", text)
	}
	if got := sink.text("rapport.doc!ObjectPool/_1234567!"); !strings.Contains(got, "Ansatte") {
		t.Errorf("the embedded workbook's sheet names: %q", got)
	}
}

// TestXLSSheets: an Excel 97–2003 workbook is read as an xlsx is, sheet
// by sheet, column by column under the header row's names.
func TestXLSSheets(t *testing.T) {
	xls := docfixtures.CFB(
		docfixtures.CFBStream{Path: "Workbook", Data: testXLS()},
		docfixtures.CFBStream{Path: "\x05SummaryInformation", Data: []byte("\x00\x01Kari Nordmann\x00")},
	)
	sink := readOLE2With(t, xls, "ansatte.xls", true, sources.Options{Names: true})
	got := map[string][]string{}
	for _, c := range sink.chunks {
		got[c.Loc.Path+"#"+c.Loc.Field] = append(got[c.Loc.Path+"#"+c.Loc.Field], string(c.Data))
	}
	want := map[string][]string{
		"ansatte.xls!Ansatte#Navn":          {"Kari Nordmann", "Ola Hansen", "Oslo"},
		"ansatte.xls!Ansatte#Fødselsnummer": {"15038712486", "22079110098"},
		"ansatte.xls!Ansatte#Telefon":       {"91234567", "92345678"},
		"ansatte.xls!Ansatte#E-post":        {"kari.nordmann@example.no"},
		"ansatte.xls!#(sheet names)":        {"Ansatte"},
	}
	for k, w := range want {
		if strings.Join(got[k], "|") != strings.Join(w, "|") {
			t.Errorf("%s: %q, want %q", k, got[k], w)
		}
	}
	text := sink.text("ansatte.xls")
	if !strings.Contains(text, "Kari Nordmann") || strings.Contains(text, "Ola Hansen") {
		t.Errorf("the file's text (summary only, not the workbook's runs): %q", text)
	}
	for k := range got {
		if strings.Contains(k, "Diagram") || strings.Contains(strings.Join(got[k], ""), "chart.no") {
			t.Errorf("a chart read as cells: %s %q", k, got[k])
		}
	}
	if len(sink.failed)+len(sink.skipped) != 0 {
		t.Errorf("failed %v, skipped %v", sink.failed, sink.skipped)
	}
	// A workbook with a password to open is skipped as encrypted.
	enc := biffRec(0x0809, u16(0x0600), u16(5), make([]byte, 12))
	enc = append(enc, biffRec(0x002F, u16(1), make([]byte, 52))...)
	sink = readOLE2(t, docfixtures.CFB(docfixtures.CFBStream{Path: "Workbook", Data: enc}), "hemmelig.xls", true)
	if len(sink.skipped) != 1 || !strings.Contains(sink.skipped[0], "encrypted document") {
		t.Errorf("encrypted workbook: skipped %q", sink.skipped)
	}
}

// FuzzXLS: no workbook stream, however broken, makes readXLS panic or
// hang.
func FuzzXLS(f *testing.F) {
	f.Add(testXLS())
	f.Fuzz(func(t *testing.T, b []byte) {
		_, _ = readXLS(context.Background(), bytes.NewReader(b), sources.Location{Path: "f.xls"}, &recSink{})
	})
}
