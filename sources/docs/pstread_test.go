package docs

import (
	"bytes"
	"context"
	"encoding/binary"
	"fmt"
	"strings"
	"testing"

	"github.com/piimap/piimap/internal/docfixtures"
	"github.com/piimap/piimap/sources"
	"github.com/piimap/piimap/sources/files"
)

// testPSTFolders is a mailbox (rows: the CSV attachment's rows): an inbox with a message that has a body,
// an HTML body, a compressed RTF body (stored uncompressed, MELA),
// recipients and two attachments (a note on the heap, and a CSV export
// large enough for a data tree of many blocks), a message whose body is
// longer than a heap holds, a subfolder's message, and a contact.
func testPSTFolders(rows int) docfixtures.PSTFolder {
	var csv strings.Builder
	csv.WriteString("navn;fnr;epost\n")
	for i := range rows {
		fmt.Fprintf(&csv, "Kari Nordmann %d;22079110098;kari.n%d@firma.no\n", i, i)
	}
	rtf := `{\rtf1 F\'f8dselsnr {\i 1503}8712486}`
	mela := []byte{byte(len(rtf) + 12), 0, 0, 0, byte(len(rtf)), 0, 0, 0, 'M', 'E', 'L', 'A', 0, 0, 0, 0}
	long := strings.Repeat("Referat fra møtet. ", 1500) + "Kontakt: ola.hansen@firma.no"
	first := docfixtures.PSTMessage{
		Props: []docfixtures.PSTProp{
			docfixtures.PSTString(0x0037, "Lønnsslipp for mars"),
			docfixtures.PSTString(0x1000, "Hei, ring meg på +47 912 34 567."),
			docfixtures.PSTString8(0x0C1F, "kari@example.no"),
			docfixtures.PSTBinary(0x1013, []byte(`<p>Svar til <b>per.berg&#64;firma.no</b></p>`)),
			docfixtures.PSTBinary(0x1009, append(mela, rtf...)),
			docfixtures.PSTInt32(0x0E07, 1),
		},
		Recipients: [][]docfixtures.PSTProp{
			{docfixtures.PSTString(0x3001, "Per Berg"), docfixtures.PSTString(0x39FE, "per.berg@firma.no")},
			{docfixtures.PSTString(0x3001, "Anne Lie"), docfixtures.PSTString(0x39FE, "anne.lie@firma.no")},
		},
		Attachments: []docfixtures.PSTAttachment{
			{Props: []docfixtures.PSTProp{
				docfixtures.PSTInt32(0x3705, 1),
				docfixtures.PSTString(0x3707, "notat.txt"),
				docfixtures.PSTBinary(0x3701, []byte("Ansatt med fnr 22079110098\n")),
			}},
			{Props: []docfixtures.PSTProp{
				docfixtures.PSTInt32(0x3705, 1),
				docfixtures.PSTString(0x3707, "ansatte!mars.csv"),
				docfixtures.PSTBinary(0x3701, []byte(csv.String())),
			}},
			// A forwarded message, with an attachment of its own.
			{Props: []docfixtures.PSTProp{docfixtures.PSTString(0x3001, "Fwd: kontrakt")}, Embedded: &docfixtures.PSTMessage{
				Props: []docfixtures.PSTProp{
					docfixtures.PSTString(0x0037, "Fwd: kontrakt"),
					docfixtures.PSTString(0x1000, "Se vedlegg. Mvh Jon, tlf 22 33 44 55"),
				},
				Recipients: [][]docfixtures.PSTProp{{docfixtures.PSTString(0x39FE, "jon.dahl@firma.no")}},
				Attachments: []docfixtures.PSTAttachment{{Props: []docfixtures.PSTProp{
					docfixtures.PSTInt32(0x3705, 1),
					docfixtures.PSTString(0x3707, "kontrakt.txt"),
					docfixtures.PSTBinary(0x3701, []byte("Arbeidstaker: fnr 15038712486\n")),
				}}},
			}},
		},
	}
	return docfixtures.PSTFolder{Folders: []docfixtures.PSTFolder{{
		Name: "Top of Personal Folders",
		Folders: []docfixtures.PSTFolder{
			{
				Name: "Innboks",
				Messages: []docfixtures.PSTMessage{first, {Props: []docfixtures.PSTProp{
					docfixtures.PSTString(0x0037, "Referat"),
					docfixtures.PSTString(0x1000, long),
				}},
					// Bodies in HTML or RTF alone are read so.
					{Props: []docfixtures.PSTProp{docfixtures.PSTBinary(0x1013, []byte(`<p>Kun HTML: <b>ole&#64;firma.no</b></p>`))}},
					{Props: []docfixtures.PSTProp{docfixtures.PSTBinary(0x1009, append(mela, rtf...))}},
				},
				Folders: []docfixtures.PSTFolder{{Name: "Prosjekt/Møter 2024", Messages: []docfixtures.PSTMessage{{Props: []docfixtures.PSTProp{
					docfixtures.PSTString8(0x0037, "Tilbud"),
					docfixtures.PSTString8(0x1000, "Org.nr 923 609 016, kontonr 1503.12.34565"),
				}}}}},
			},
			{Name: "Kontakter", Messages: []docfixtures.PSTMessage{{Props: []docfixtures.PSTProp{
				docfixtures.PSTString(0x001A, "IPM.Contact"),
				docfixtures.PSTString(0x3001, "Ingrid Bakke"),
				docfixtures.PSTString(docfixtures.PSTEmail1, "ingrid.bakke@firma.no"), // a named property: Email1
				docfixtures.PSTString(0x3A1C, "+47 415 55 123"),                       // PidTagMobileTelephoneNumber
				multiString(0x8084, "ingrid@bakke.no", "styreleder"),                  // a multi-valued string
			}}}},
		},
	}}}
}

func readPST(t testing.TB, data []byte, opt sources.Options) *recSink {
	t.Helper()
	sink := &recSink{}
	rd := files.NewReader(opt, nil, files.WithFormat(files.KindPST, ReadPST))
	if err := rd.ReadReaderAt(context.Background(), bytes.NewReader(data), int64(len(data)), sources.Location{Path: "arkiv.pst"}, sink); err != nil {
		t.Fatal(err)
	}
	return sink
}

// TestPST reads the mailbox in every format the writer makes: ANSI and
// Unicode, with no, permutative and cyclic encoding, with pages, heaps
// and trees as small as they can be and as large: every message at its
// folder's path and number, its attachments as files by their names.
func TestPST(t *testing.T) {
	for _, ansi := range []bool{false, true} {
		for _, crypt := range []byte{0, 1, 2} {
			for _, small := range []bool{false, true} {
				name := fmt.Sprintf("ansi=%v,crypt=%d,small=%v", ansi, crypt, small)
				t.Run(name, func(t *testing.T) {
					data := docfixtures.PST(testPSTFolders(3000), docfixtures.PSTOptions{ANSI: ansi, Crypt: crypt, SmallPages: small})
					checkPST(t, readPST(t, data, sources.Options{Names: true, MaxArchiveDepth: 4}))
				})
			}
		}
	}
}

func checkPST(t *testing.T, sink *recSink) {
	t.Helper()
	const inbox = "arkiv.pst!Top of Personal Folders/Innboks/"
	// A folder's messages are at the folder, each on the line of its
	// number.
	for _, c := range []struct {
		folder string
		line   int64
		wants  []string
	}{
		{"Innboks", 1, []string{"Lønnsslipp for mars", "Hei, ring meg på +47 912 34 567.", "kari@example.no",
			"Per Berg", "e-mail: per.berg@firma.no", "anne.lie@firma.no"}},
		{"Innboks", 3, []string{"Kun HTML: ole@firma.no"}},
		{"Innboks", 4, []string{"Fødselsnr 15038712486"}},
		{"Innboks", 2, []string{"Referat", "Referat fra møtet. Referat", "Kontakt: ola.hansen@firma.no"}},
		{"Innboks/Prosjekt_Møter 2024", 1, []string{"Tilbud", "Org.nr 923 609 016, kontonr 1503.12.34565"}}, // "/" in a name; Windows-1252 in an ANSI file
		// A phone number or an address alone in a property has the
		// property's name as its context.
		{"Kontakter", 1, []string{"Ingrid Bakke", "e-mail: ingrid.bakke@firma.no", "mobile phone: +47 415 55 123", "ingrid@bakke.no\nstyreleder"}},
	} {
		var b strings.Builder
		for _, ch := range sink.chunks {
			if ch.Loc.Path == "arkiv.pst!Top of Personal Folders/"+c.folder && ch.Line == c.line {
				if !ch.OneLine {
					t.Errorf("%s, message %d: a chunk without OneLine", c.folder, c.line)
				}
				b.Write(owned(ch))
			}
		}
		for _, want := range c.wants {
			if !strings.Contains(b.String(), want) {
				t.Errorf("%s, message %d: no %q in %q", c.folder, c.line, want, b.String()[:min(b.Len(), 300)])
			}
		}
		// A message's body is read once: its HTML and RTF forms beside
		// its text are the same body.
		if c.line == 1 && c.folder == "Innboks" && (strings.Contains(b.String(), "Svar til") || strings.Contains(b.String(), "Fødselsnr")) {
			t.Errorf("message 1: its HTML or RTF body was read beside its text: %q", b.String())
		}
	}
	for path, wants := range map[string][]string{
		inbox + "1!notat.txt":                  {"Ansatt med fnr 22079110098\n"},
		inbox + "1!Fwd: kontrakt":              {"Se vedlegg. Mvh Jon, tlf 22 33 44 55", "jon.dahl@firma.no"},
		inbox + "1!Fwd: kontrakt!kontrakt.txt": {"Arbeidstaker: fnr 15038712486\n"},
	} {
		text := sink.text(path)
		for _, want := range wants {
			if !strings.Contains(text, want) {
				t.Errorf("%s: no %q in %q", path, want, text[:min(len(text), 300)])
			}
		}
	}
	// The CSV attachment is read as CSV: by column, every row.
	var fnr int
	for _, c := range sink.chunks {
		if c.Loc.Path == inbox+"1!ansatte_mars.csv" && c.Loc.Field == "fnr" {
			fnr++
		}
	}
	if fnr != 3000 {
		t.Errorf("%d fnr cells read from the CSV attachment, want 3000", fnr)
	}
	if got := sink.text(inbox + "1!"); !strings.Contains(got, "notat") || !strings.Contains(got, "ansatte mars") {
		t.Errorf("attachment names: %q", got)
	}
	if len(sink.failed)+len(sink.skipped) != 0 {
		t.Errorf("failed %v, skipped %v", sink.failed, sink.skipped)
	}
}

// TestPSTCut: a file cut short is read as far as it can be, and the
// report says what could not be read, unless all of it was read (a cut in
// the padding after the last block); nothing panics.
func TestPSTCut(t *testing.T) {
	full := docfixtures.PST(testPSTFolders(3000), docfixtures.PSTOptions{Crypt: 1, SmallPages: true})
	whole := readPST(t, full, sources.Options{Names: true, MaxArchiveDepth: 4}).allText()
	for cut := 512; cut < len(full); cut += max(1, len(full)/300) {
		sink := readPST(t, full[:cut], sources.Options{Names: true, MaxArchiveDepth: 4})
		if len(sink.failed) == 0 && sink.allText() != whole {
			t.Errorf("cut at %d of %d: less was read, and no failure reported", cut, len(full))
		}
	}
}

// FuzzPST: no PST file, however broken, makes ReadPST panic or hang.
func FuzzPST(f *testing.F) {
	f.Add(docfixtures.PST(docfixtures.PSTFolder{Messages: []docfixtures.PSTMessage{{Props: []docfixtures.PSTProp{docfixtures.PSTString(0x0037, "x")}}}}, docfixtures.PSTOptions{}))
	f.Add(docfixtures.PST(testPSTFolders(20), docfixtures.PSTOptions{ANSI: true, SmallPages: true}))
	f.Add(docfixtures.PST(testPSTFolders(20), docfixtures.PSTOptions{Crypt: 2}))
	f.Fuzz(func(t *testing.T, b []byte) {
		sink := &recSink{}
		rd := files.NewReader(sources.Options{MaxArchiveBytes: 4 << 20, MaxArchiveDepth: 3}, nil, files.WithFormat(files.KindPST, ReadPST))
		fm := &files.Format{Kind: files.KindPST, Stream: files.Stream{Loc: sources.Location{Path: "a.pst"}, R: bytes.NewReader(b), ReaderAt: bytes.NewReader(b), Size: int64(len(b))}}
		_ = ReadPST(context.Background(), fm, rd, sink)
	})
}

// allText is every chunk's location, line and owned text, in order.
func (s *recSink) allText() string {
	var b strings.Builder
	for _, c := range s.chunks {
		fmt.Fprintf(&b, "%s#%s %d:%s\n", c.Loc.Path, c.Loc.Field, c.Line, owned(c))
	}
	return b.String()
}

// owned is the part of a chunk's data whose matches it owns.
func owned(c sources.Chunk) []byte {
	l := c.Limit
	if l == 0 {
		l = len(c.Data)
	}
	return c.Data[c.Skip:l]
}

// multiString is a PtypMultipleString property ([MS-PST] 2.3.3.4.2): the
// count, each value's offset, the values in UTF-16LE.
func multiString(id uint16, vs ...string) docfixtures.PSTProp {
	b := binary.LittleEndian.AppendUint32(nil, uint32(len(vs)))
	off := 4 + 4*len(vs)
	var data []byte
	for _, v := range vs {
		b = binary.LittleEndian.AppendUint32(b, uint32(off+len(data)))
		data = append(data, utf16LE(v)...)
	}
	return docfixtures.PSTProp{ID: id, Type: 0x101F, Value: append(b, data...)}
}

// TestPSTBrokenIndex: when a page of the node B-tree cannot be read, the
// messages listed before it are read and the report says what failed.
func TestPSTBrokenIndex(t *testing.T) {
	var msgs []docfixtures.PSTMessage
	for i := range 30 {
		msgs = append(msgs, docfixtures.PSTMessage{Props: []docfixtures.PSTProp{docfixtures.PSTString(0x1000, fmt.Sprintf("melding %d fra kari%d@firma.no", i, i))}})
	}
	data := docfixtures.PST(docfixtures.PSTFolder{Folders: []docfixtures.PSTFolder{{Name: "Innboks", Messages: msgs}}}, docfixtures.PSTOptions{SmallPages: true})
	// The node B-tree's leaf pages (Unicode: the trailer's type at 496,
	// the level at 491); the last one's type is broken.
	last := -1
	for off := 0; off+512 <= len(data); off += 512 {
		if data[off+496] == 0x81 && data[off+497] == 0x81 && data[off+491] == 0 {
			last = off
		}
	}
	if last < 0 {
		t.Fatal("no leaf page of the node B-tree")
	}
	data[last+496] = 0x99
	sink := readPST(t, data, sources.Options{})
	read := 0
	for i := range 30 {
		if strings.Contains(sink.allText(), fmt.Sprintf("melding %d fra", i)) {
			read++
		}
	}
	if read == 0 || read == 30 || len(sink.failed) == 0 {
		t.Errorf("%d of 30 messages read, failures %v; want some read and a failure", read, sink.failed)
	}
}
