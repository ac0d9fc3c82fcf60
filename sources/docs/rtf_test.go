package docs

import (
	"bytes"
	"context"
	"encoding/binary"
	"encoding/hex"
	"io"
	"strings"
	"testing"
	"testing/iotest"
	"unicode/utf8"

	"github.com/piimap/piimap/internal/docfixtures"
	"github.com/piimap/piimap/sources"
	"github.com/piimap/piimap/sources/files"
)

// wordRTF is RTF as Word writes it: a fødselsnummer split over two runs,
// escaped letters, document properties, a table, tables of fonts and
// colours, revision ids, a bookmark, a picture and a hyperlink field.
const wordRTF = `{\rtf1\adeflang1025\ansi\ansicpg1252\uc1\adeff0\deff0{\fonttbl{\f0\froman\fcharset0\fprq2{\*\panose 02020603050405020304}Times New Roman;}}
{\colortbl;\red0\green0\blue0;}
{\*\generator Microsoft Word 16.0;}
{\info{\title Arbeidsavtale}{\author Kari Nordmann}{\operator Ola Hansen}{\*\company Firma AS}{\creatim\yr2024\mo1\dy31}}
{\*\rsidtbl \rsid123\rsid456}
\pard\plain \ltrpar\ql \f0\fs24 {\rtlch\fcs1 \af0 \ltrch\fcs0 \insrsid123 F\'f8dselsnummer: 1503}{\rtlch\fcs1 \af0 \ltrch\fcs0 \insrsid456 8712486}\par
{\insrsid123 E-post: kari.nordmann@example.no\par}
\trowd\cellx2000\cellx4000 {Navn\cell Telefon\cell}\row
{Kari\cell +47 912 34 567\cell}\row
{\*\bkmkstart _GoBack}{\*\bkmkend _GoBack}
{\pict\pngblip 89504e470d0a1a0a0000000d4948445200000001}
{\field{\*\fldinst HYPERLINK "mailto:ola@example.no"}{\fldrslt ola@example.no}}\par
Unicode: \u248\'f8 Troms\u248?\par
Escapes: \{braces\} \\backslash\par
Binary: {\bin6 \'}{x}} after\par
}`

func rtfLines(t testing.TB, r io.Reader) []string {
	t.Helper()
	b, err := io.ReadAll(newRTFText(r))
	if err != nil {
		t.Fatal(err)
	}
	return lines(string(b))
}

func TestRTFText(t *testing.T) {
	got := rtfLines(t, strings.NewReader(wordRTF))
	for _, want := range []string{
		"Arbeidsavtale", "Kari Nordmann", "Ola Hansen", "Firma AS",
		"Fødselsnummer: 15038712486", "E-post: kari.nordmann@example.no",
		"Navn\tTelefon", "Kari\t+47 912 34 567",
		"Unicode: ø Tromsø", "Escapes: {braces} \\backslash", "Binary:  after",
	} {
		if !hasLine(got, want) {
			t.Errorf("no line %q in %q", want, got)
		}
	}
	all := strings.Join(got, "\n")
	for _, not := range []string{"Times New Roman", "Microsoft Word", "rsid", "89504e47", "_GoBack", "0202060305", "{x}"} {
		if strings.Contains(all, not) {
			t.Errorf("%q read as text: %q", not, got)
		}
	}
	if !strings.Contains(all, "ola@example.no") {
		t.Errorf("the hyperlink's text is lost: %q", got)
	}
}

// TestRTFThroughReader: an RTF file is read as RTF by content, whatever
// its name, and as the text it is without the RTF reader.
func TestRTFThroughReader(t *testing.T) {
	for _, withRTF := range []bool{true, false} {
		var opts []files.Option
		if withRTF {
			opts = append(opts, files.WithFormat(files.KindRTF, ReadRTF))
		}
		rd := files.NewReader(sources.Options{}, nil, opts...)
		sink := &recSink{}
		data := []byte(wordRTF)
		if err := rd.ReadReaderAt(context.Background(), bytes.NewReader(data), int64(len(data)), sources.Location{Path: "avtale.doc"}, sink); err != nil {
			t.Fatal(err)
		}
		got := strings.Contains(sink.text("avtale.doc"), "15038712486")
		if got != withRTF {
			t.Errorf("RTF reader %v: the split fødselsnummer read whole: %v", withRTF, got)
		}
	}
}

// FuzzRTFText: the text is valid UTF-8, the same read a byte at a time,
// and never more than a few bytes per byte of RTF.
func FuzzRTFText(f *testing.F) {
	f.Add([]byte(wordRTF))
	f.Add([]byte(`{\rtf1{\*\company x}\u-3913?\uc0\u8212 \bin99999 `))
	f.Add([]byte(`}}}{{{\'zz\'f`))
	f.Fuzz(func(t *testing.T, b []byte) {
		whole, err := io.ReadAll(newRTFText(bytes.NewReader(b)))
		if err != nil {
			t.Fatal(err)
		}
		if !utf8.Valid(whole) {
			t.Fatalf("invalid UTF-8: %q", whole)
		}
		one, _ := io.ReadAll(newRTFText(iotest.OneByteReader(bytes.NewReader(b))))
		if !bytes.Equal(one, whole) {
			t.Fatalf("a byte at a time: %q, whole: %q", one, whole)
		}
		if len(whole) > 4*len(b)+1 {
			t.Fatalf("%d bytes of text from %d of RTF", len(whole), len(b))
		}
	})
}

// TestRTFObjects: an Excel sheet pasted into a letter (an OLE 1 embedded
// object in \objdata, hex) is read as a file of its own, sheet by sheet.
func TestRTFObjects(t *testing.T) {
	xls := docfixtures.XLS("Ark1", [][]string{{"Navn", "Fødselsnummer"}, {"Kari Nordmann", "15038712486"}})
	var ole1 []byte
	ole1 = binary.LittleEndian.AppendUint32(ole1, 0x0501) // version
	ole1 = binary.LittleEndian.AppendUint32(ole1, 2)      // embedded
	for _, s := range []string{"Excel.Sheet.8\x00", "\x00", "\x00"} {
		ole1 = binary.LittleEndian.AppendUint32(ole1, uint32(len(s)))
		ole1 = append(ole1, s...)
	}
	ole1 = binary.LittleEndian.AppendUint32(ole1, uint32(len(xls)))
	ole1 = append(ole1, xls...)
	doc := `{\rtf1\ansi Se tabellen:\par {\object\objemb{\*\objclass Excel.Sheet.8}\objw2000\objh500{\*\objdata ` +
		hex.EncodeToString(ole1) + "\r\n" + `}{\result {\pict\wmetafile8 0102}}}\par Hilsen Ola\par}`
	sink := &recSink{}
	rd := files.NewReader(sources.Options{}, nil, files.WithFormat(files.KindRTF, ReadRTF), files.WithFormat(files.KindOLE2, ReadOLE2))
	data := []byte(doc)
	if err := rd.ReadReaderAt(context.Background(), bytes.NewReader(data), int64(len(data)), sources.Location{Path: "brev.rtf"}, sink); err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, c := range sink.chunks {
		got[c.Loc.Path+"#"+c.Loc.Field] += string(c.Data)
	}
	if v := got["brev.rtf!object 1!Ark1#Fødselsnummer"]; v != "15038712486" {
		t.Errorf("the embedded sheet's column: %q (chunks %v)", v, got)
	}
	if text := sink.text("brev.rtf"); !strings.Contains(text, "Se tabellen:") || !strings.Contains(text, "Hilsen Ola") || strings.Contains(text, "0501") {
		t.Errorf("the letter's text: %q", text)
	}
	if len(sink.failed)+len(sink.skipped) != 0 {
		t.Errorf("failed %v, skipped %v", sink.failed, sink.skipped)
	}
}

// FuzzOLE1Native: no object header, however broken, makes ole1Native
// panic, and the data it returns lies in the object.
func FuzzOLE1Native(f *testing.F) {
	f.Add([]byte("\x01\x05\x00\x00\x02\x00\x00\x00\x02\x00\x00\x00x\x00\x01\x00\x00\x00\x00\x01\x00\x00\x00\x00\x03\x00\x00\x00abc"))
	f.Add([]byte("\x01\x05\x00\x00\x02\x00\x00\x00\xff\xff\xff\xff"))
	f.Fuzz(func(t *testing.T, b []byte) {
		if n, ok := ole1Native(b); ok && len(n) > len(b) {
			t.Fatalf("%d bytes of data from %d", len(n), len(b))
		}
	})
}
