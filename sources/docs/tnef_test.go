package docs

import (
	"bytes"
	"context"
	"encoding/binary"
	"slices"
	"strings"
	"testing"

	"github.com/piimap/piimap/sources"
	"github.com/piimap/piimap/sources/files"
)

// tnefAttr is one TNEF attribute: level, ID, data and checksum.
func tnefAttr(level byte, id uint32, data []byte) []byte {
	b := []byte{level}
	b = binary.LittleEndian.AppendUint32(b, id)
	b = binary.LittleEndian.AppendUint32(b, uint32(len(data)))
	b = append(b, data...)
	var sum uint16
	for _, c := range data {
		sum += uint16(c)
	}
	return binary.LittleEndian.AppendUint16(b, sum)
}

// mapiValue is a variable-size property value: its tag, one value, its
// length and the data padded to 4 bytes.
func mapiValue(typ, id uint32, data []byte) []byte {
	b := binary.LittleEndian.AppendUint32(nil, id<<16|typ)
	b = binary.LittleEndian.AppendUint32(b, 1)
	b = binary.LittleEndian.AppendUint32(b, uint32(len(data)))
	b = append(b, data...)
	for len(b)%4 != 0 {
		b = append(b, 0)
	}
	return b
}

// testTNEF is a winmail.dat: a subject; message properties with a fixed
// value, a named property, a Unicode body and a compressed (MELA) RTF body;
// a recipient table; an attachment with a title and a long file name.
func testTNEF() []byte { return testTNEFBody(true) }

// testTNEFBody is testTNEF, with or without its body as text (PR_BODY).
func testTNEFBody(text bool) []byte {
	le := binary.LittleEndian
	props := le.AppendUint32(nil, 4+uint32(b2i(text)))
	props = append(props, le.AppendUint32(le.AppendUint32(nil, 0x0E070003), 1)...) // PR_MESSAGE_FLAGS, a long
	named := le.AppendUint32(nil, 0x8001001F)
	named = append(named, make([]byte, 16)...)             // the GUID
	named = append(named, le.AppendUint32(nil, 0)...)      // MNID_ID
	named = append(named, le.AppendUint32(nil, 0x8233)...) // its ID
	named = append(named, le.AppendUint32(nil, 1)...)
	named = append(named, le.AppendUint32(nil, uint32(len(utf16LE("Ola Hansen"))))...)
	named = append(named, utf16LE("Ola Hansen")...)
	props = append(props, named...)
	if text {
		props = append(props, mapiValue(0x001F, 0x1000, utf16LE("Hei, ring +47 912 34 567.\x00"))...)
	}
	rtf := `{\rtf1 F\'f8dselsnr {\i 1503}8712486}`
	mela := le.AppendUint32(nil, uint32(len(rtf)+12))
	mela = le.AppendUint32(mela, uint32(len(rtf)))
	mela = append(mela, "MELA\x00\x00\x00\x00"...)
	props = append(props, mapiValue(0x0102, 0x1009, append(mela, rtf...))...)
	props = append(props, mapiValue(0x001E, 0x0C1F, []byte("kari@example.no\x00"))...)
	recips := le.AppendUint32(nil, 1)                   // one row
	recips = append(recips, le.AppendUint32(nil, 2)...) // two properties
	recips = append(recips, mapiValue(0x001F, 0x39FE, utf16LE("per.berg@example.no"))...)
	recips = append(recips, mapiValue(0x001F, 0x3001, utf16LE("Per Berg"))...)
	attProps := le.AppendUint32(nil, 1)
	attProps = append(attProps, mapiValue(0x001F, 0x3707, utf16LE("kontrakt med fnr.txt"))...)
	b := le.AppendUint32(nil, tnefSignature)
	b = le.AppendUint16(b, 0x1234)
	b = append(b, tnefAttr(1, tnefSubject, []byte("Lønnsslipp\x00"))...)
	b = append(b, tnefAttr(1, tnefMAPIProps, props)...)
	b = append(b, tnefAttr(1, tnefRecipTable, recips)...)
	b = append(b, tnefAttr(2, tnefAttachRendData, make([]byte, 14))...)
	b = append(b, tnefAttr(2, tnefAttachTitle, []byte("KONTRA~1.TXT\x00"))...)
	b = append(b, tnefAttr(2, tnefAttachData, []byte("Ansatt med fnr 22079110098\n"))...)
	b = append(b, tnefAttr(2, tnefAttachment, attProps)...)
	return b
}

func readTNEF(t testing.TB, data []byte, opt sources.Options) *recSink {
	t.Helper()
	sink := &recSink{}
	rd := files.NewReader(opt, nil, files.WithFormat(files.KindTNEF, ReadTNEF))
	if err := rd.ReadReaderAt(context.Background(), bytes.NewReader(data), int64(len(data)), sources.Location{Path: "winmail.dat"}, sink); err != nil {
		t.Fatal(err)
	}
	return sink
}

func TestTNEF(t *testing.T) {
	sink := readTNEF(t, testTNEF(), sources.Options{Names: true})
	text := sink.text("winmail.dat")
	for _, want := range []string{"Lønnsslipp", "Hei, ring +47 912 34 567.", "kari@example.no", "per.berg@example.no", "Ola Hansen"} {
		if !strings.Contains(text, want) {
			t.Errorf("no %q in the text: %q", want, text)
		}
	}
	// A recipient's name is a column, as in a PST folder.
	var cols []string
	for _, c := range sink.chunks {
		if c.Loc.Field != "" && c.Loc.Path == "winmail.dat" {
			cols = append(cols, c.Loc.Field+"="+string(c.Data))
		}
	}
	if !slices.Equal(cols, []string{"RecipientName=Per Berg"}) {
		t.Errorf("columns %q", cols)
	}
	// The body once: as text here, its RTF form not beside it; the RTF
	// form when it is the only one.
	if strings.Contains(text, "Fødselsnr") {
		t.Errorf("the RTF body read beside the text: %q", text)
	}
	if text := readTNEF(t, testTNEFBody(false), sources.Options{}).text("winmail.dat"); !strings.Contains(text, "Fødselsnr 15038712486") {
		t.Errorf("the RTF body alone not read: %q", text)
	}
	if got := sink.text("winmail.dat!kontrakt med fnr.txt"); got != "Ansatt med fnr 22079110098\n" {
		t.Errorf("attachment (by its long name): %q", got)
	}
	if len(sink.failed)+len(sink.skipped) != 0 {
		t.Errorf("failed %v, skipped %v", sink.failed, sink.skipped)
	}
	// Cut at every length: no panic, and a failure or all of it.
	full := testTNEF()
	for cut := 0; cut < len(full); cut += 3 {
		readTNEF(t, full[:cut], sources.Options{})
	}
}

// FuzzTNEF: no winmail.dat, however broken, makes ReadTNEF panic or hang.
func FuzzTNEF(f *testing.F) {
	f.Add(testTNEF())
	f.Fuzz(func(t *testing.T, b []byte) {
		sink := &recSink{}
		rd := files.NewReader(sources.Options{MaxArchiveBytes: 1 << 20}, nil, files.WithFormat(files.KindTNEF, ReadTNEF))
		fm := &files.Format{Kind: files.KindTNEF, Stream: files.Stream{Loc: sources.Location{Path: "w.dat"}, R: bytes.NewReader(b), ReaderAt: bytes.NewReader(b), Size: int64(len(b))}}
		_ = ReadTNEF(context.Background(), fm, rd, sink)
	})
}
