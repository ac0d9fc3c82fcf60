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
