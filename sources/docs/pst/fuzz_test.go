package pst_test

import (
	"bytes"
	"context"
	"io"
	"testing"

	"github.com/piimap/piimap/internal/docfixtures"
	"github.com/piimap/piimap/sources/docs/pst"
)

// FuzzFile: no file, however broken, makes the reader panic or hang; what
// it reads of a file is bounded.
func FuzzFile(f *testing.F) {
	msg := docfixtures.PSTMessage{
		Props:      []docfixtures.PSTProp{docfixtures.PSTString(0x0037, "Emne"), docfixtures.PSTString(0x1000, "kari@firma.no")},
		Recipients: [][]docfixtures.PSTProp{{docfixtures.PSTString(0x39FE, "ola@firma.no")}},
		Attachments: []docfixtures.PSTAttachment{
			{Props: []docfixtures.PSTProp{docfixtures.PSTString(0x3707, "a.txt"), docfixtures.PSTBinary(0x3701, bytes.Repeat([]byte("fnr 22079110098\n"), 700))}},
			{Props: []docfixtures.PSTProp{docfixtures.PSTString(0x3001, "Fwd")}, Embedded: &docfixtures.PSTMessage{Props: []docfixtures.PSTProp{docfixtures.PSTString(0x0037, "x")}}},
		},
	}
	root := docfixtures.PSTFolder{Folders: []docfixtures.PSTFolder{{Name: "Innboks", Messages: []docfixtures.PSTMessage{msg, msg}}}}
	for _, opt := range []docfixtures.PSTOptions{{}, {ANSI: true, Crypt: 1, SmallPages: true}, {Crypt: 2, SmallPages: true}} {
		f.Add(docfixtures.PST(root, opt))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		pf, err := pst.Open(bytes.NewReader(b), int64(len(b)))
		if err != nil {
			return
		}
		folders, err := pf.Folders(context.Background())
		if err != nil {
			return
		}
		for _, fo := range folders {
			for _, n := range fo.Messages {
				m := pf.Message(n)
				for _, a := range m.Attachments {
					if r, err := a.Open(); err == nil {
						_, _ = io.Copy(io.Discard, io.LimitReader(r, 1<<20))
					}
				}
			}
		}
	})
}

// countingReaderAt counts the reads of a file.
type countingReaderAt struct {
	r     *bytes.Reader
	reads int
}

func (c *countingReaderAt) ReadAt(p []byte, off int64) (int, error) {
	c.reads++
	return c.r.ReadAt(p, off)
}

// TestFewReads: reading every message of a file reads it in large blocks,
// not page by page and block by block (each read is a round trip on a
// file share).
func TestFewReads(t *testing.T) {
	var msgs []docfixtures.PSTMessage
	for range 200 {
		msgs = append(msgs, docfixtures.PSTMessage{
			Props: []docfixtures.PSTProp{docfixtures.PSTString(0x0037, "Emne"), docfixtures.PSTString(0x1000, string(bytes.Repeat([]byte("tekst "), 2000)))},
			Attachments: []docfixtures.PSTAttachment{{Props: []docfixtures.PSTProp{
				docfixtures.PSTString(0x3707, "a.txt"), docfixtures.PSTBinary(0x3701, bytes.Repeat([]byte("x"), 20000))}}},
		})
	}
	data := docfixtures.PST(docfixtures.PSTFolder{Folders: []docfixtures.PSTFolder{{Name: "Innboks", Messages: msgs}}}, docfixtures.PSTOptions{Crypt: 1})
	c := &countingReaderAt{r: bytes.NewReader(data)}
	pf, err := pst.Open(c, int64(len(data)))
	if err != nil {
		t.Fatal(err)
	}
	folders, err := pf.Folders(context.Background())
	if err != nil || len(folders) != 1 || len(folders[0].Messages) != 200 {
		t.Fatalf("folders %v, %v", folders, err)
	}
	for _, n := range folders[0].Messages {
		m := pf.Message(n)
		if m.Err != nil || len(m.Attachments) != 1 {
			t.Fatalf("message: %v, %d attachments", m.Err, len(m.Attachments))
		}
		r, err := m.Attachments[0].Open()
		if err != nil {
			t.Fatal(err)
		}
		if n, _ := io.Copy(io.Discard, r); n != 20000 {
			t.Fatalf("attachment of %d bytes", n)
		}
	}
	if max := 2*len(data)/(64<<10) + 10; c.reads > max {
		t.Errorf("%d reads of a %d-byte file, want at most %d", c.reads, len(data), max)
	}
}

// TestNamedProps: the name-to-ID map tells what a named property's ID
// stands for: the writer maps 0x8000 to PidLidReminderSet of
// PSETID_Common and 0x8001 to PidLidEmail1EmailAddress of PSETID_Address.
func TestNamedProps(t *testing.T) {
	for _, ansi := range []bool{false, true} {
		data := docfixtures.PST(docfixtures.PSTFolder{}, docfixtures.PSTOptions{ANSI: ansi, Crypt: 1})
		pf, err := pst.Open(bytes.NewReader(data), int64(len(data)))
		if err != nil {
			t.Fatal(err)
		}
		named := pf.NamedProps()
		if p := named[docfixtures.PSTEmail1]; !p.InAddressSet() || p.LID != 0x8083 {
			t.Errorf("ansi=%v: %#x is %+v, want Email1 of PSETID_Address", ansi, docfixtures.PSTEmail1, p)
		}
		if p := named[0x8000]; p.InAddressSet() || p.LID != 0x8503 {
			t.Errorf("ansi=%v: 0x8000 is %+v, want PidLidReminderSet of PSETID_Common", ansi, p)
		}
	}
}
