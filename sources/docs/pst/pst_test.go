package pst

import (
	"bytes"
	"encoding/binary"
	"errors"
	"math/rand/v2"
	"testing"
)

// TestCyclic: the cyclic encoding is its own inverse ([MS-PST] 5.2), and
// mpbbI undoes mpbbR (5.1).
func TestCyclic(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for range 100 {
		b := make([]byte, r.IntN(300))
		for i := range b {
			b[i] = byte(r.Uint32())
		}
		key := r.Uint32()
		c := bytes.Clone(b)
		cyclic(c, key)
		if len(b) > 16 && bytes.Equal(c, b) {
			t.Fatalf("cyclic(%x) changed nothing", b)
		}
		cyclic(c, key)
		if !bytes.Equal(c, b) {
			t.Fatalf("cyclic twice: %x, want %x", c, b)
		}
	}
	var seen [256]bool
	for i := range 256 {
		if seen[mpbbR[i]] {
			t.Fatalf("mpbbR is not a permutation: %d twice", mpbbR[i])
		}
		seen[mpbbR[i]] = true
		if mpbbI[mpbbR[i]] != byte(i) {
			t.Fatalf("mpbbI[mpbbR[%d]] = %d", i, mpbbI[mpbbR[i]])
		}
		if mpbbS[mpbbS[i]] != byte(i) {
			t.Fatalf("mpbbS[mpbbS[%d]] = %d: mpbbS is its own inverse", i, mpbbS[mpbbS[i]])
		}
	}
	// The first and last entries as [MS-PST] 5.1 lists them.
	if got := [...]byte{mpbbR[0], mpbbR[1], mpbbR[255], mpbbS[0], mpbbS[255], mpbbI[0], mpbbI[255]}; got != [...]byte{65, 54, 61, 20, 138, 71, 236} {
		t.Errorf("table ends = %v", got)
	}
}

// TestOpenErrors: what is not a PST file, or a PST of a format this reader
// does not read, is an error that says so.
func TestOpenErrors(t *testing.T) {
	head := func(magic, client string, ver uint16, crypt byte) []byte {
		b := make([]byte, 1024)
		copy(b, magic)
		copy(b[8:], client)
		binary.LittleEndian.PutUint16(b[10:], ver)
		b[513], b[461] = crypt, crypt
		return b
	}
	for _, c := range []struct {
		name        string
		b           []byte
		unsupported bool
	}{
		{"short", []byte("!BDN"), false},
		{"magic", head("!BDX", "SM", 23, 0), false},
		{"client", head("!BDN", "XX", 23, 0), false},
		{"version", head("!BDN", "SM", 3, 0), false},
		{"4k pages", head("!BDN", "SO", 36, 0), true},
		{"protected", head("!BDN", "SM", 23, 0x10), true},
	} {
		_, err := Open(bytes.NewReader(c.b), int64(len(c.b)))
		switch {
		case err == nil:
			t.Errorf("%s: no error", c.name)
		case errors.Is(err, errors.ErrUnsupported) != c.unsupported:
			t.Errorf("%s: %v (unsupported: %v, want %v)", c.name, err, errors.Is(err, errors.ErrUnsupported), c.unsupported)
		}
	}
}
