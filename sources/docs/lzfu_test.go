package docs

import (
	"bytes"
	"io"
	"testing"
	"testing/iotest"
)

// The examples of [MS-OXRTFCP] 4.1 and 4.2: a simple compressed RTF, and
// a reference that reads across the dictionary's write position.
var (
	lzfuSimple = []byte{
		0x2d, 0x00, 0x00, 0x00, 0x2b, 0x00, 0x00, 0x00, 0x4c, 0x5a, 0x46, 0x75, 0xf1, 0xc5, 0xc7,
		0xa7, 0x03, 0x00, 0x0a, 0x00, 0x72, 0x63, 0x70, 0x67, 0x31, 0x32, 0x35, 0x42, 0x32, 0x0a,
		0xf3, 0x20, 0x68, 0x65, 0x6c, 0x09, 0x00, 0x20, 0x62, 0x77, 0x05, 0xb0, 0x6c, 0x64, 0x7d,
		0x0a, 0x80, 0x0f, 0xa0,
	}
	lzfuCrossing = []byte{
		0x1a, 0x00, 0x00, 0x00, 0x1c, 0x00, 0x00, 0x00, 0x4c, 0x5a, 0x46, 0x75, 0xe2, 0xd4, 0x4b,
		0x51, 0x41, 0x00, 0x04, 0x20, 0x57, 0x58, 0x59, 0x5a, 0x0d, 0x6e, 0x7d, 0x01, 0x0e, 0xb0,
	}
)

func TestLZFu(t *testing.T) {
	for in, want := range map[string]string{
		string(lzfuSimple):   "{\\rtf1\\ansi\\ansicpg1252\\pard hello world}\r\n",
		string(lzfuCrossing): "{\\rtf1 WXYZWXYZWXYZWXYZWXYZ}",
		// MELA: stored as it is.
		"\x10\x00\x00\x00\x04\x00\x00\x00MELA\x00\x00\x00\x00{\\rt": "{\\rt",
	} {
		for _, one := range []bool{false, true} {
			var r io.Reader = bytes.NewReader([]byte(in))
			if one {
				r = iotest.OneByteReader(r)
			}
			got, err := io.ReadAll(newLZFu(r))
			if err != nil || string(got) != want {
				t.Errorf("%x (a byte at a time: %v): %q, %v; want %q", in, one, got, err, want)
			}
		}
	}
	if _, err := io.ReadAll(newLZFu(bytes.NewReader([]byte("\x10\x00\x00\x00\x04\x00\x00\x00ABCD\x00\x00\x00\x00")))); err != errLZFu {
		t.Errorf("unknown type: %v", err)
	}
	// Cut short: what came before the cut, no error.
	got, err := io.ReadAll(newLZFu(bytes.NewReader(lzfuSimple[:30])))
	if err != nil || !bytes.HasPrefix([]byte("{\\rtf1\\ansi\\ansicpg1252\\pard hello world}\r\n"), got) || len(got) == 0 {
		t.Errorf("cut: %q, %v", got, err)
	}
}

// FuzzLZFu: no input makes the decompressor panic, and it never writes
// more than 17 bytes per 2 of input.
func FuzzLZFu(f *testing.F) {
	f.Add(lzfuSimple)
	f.Add(lzfuCrossing)
	f.Fuzz(func(t *testing.T, b []byte) {
		out, _ := io.ReadAll(newLZFu(bytes.NewReader(b)))
		if len(out) > 9*len(b)+16 {
			t.Fatalf("%d bytes out of %d", len(out), len(b))
		}
	})
}
