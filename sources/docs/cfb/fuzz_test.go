package cfb_test

import (
	"bytes"
	"errors"
	"io"
	"testing"

	"github.com/piimap/piimap/internal/docfixtures"
	"github.com/piimap/piimap/sources/docs/cfb"
)

// FuzzOpen opens arbitrary bytes, lists the entries and reads every stream
// with a byte budget: no panic, no hang, and a stream read to its end
// without error has its declared size.
func FuzzOpen(f *testing.F) {
	for _, b := range fuzzSeeds() {
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, b []byte) { check(t, b) })
}

// FuzzPatch is FuzzOpen on small inputs, which the fuzzer explores and
// minimizes much faster (its minimizer is quadratic in the input's
// length, and a compound file is at least 1536 bytes): a seed file chosen
// by seed, cut to cut bytes (unless 0 or more than its length), with patches
// applied: records of a 2-byte offset (little-endian), a length byte and
// that many bytes.
func FuzzPatch(f *testing.F) {
	seeds := fuzzSeeds()
	f.Add(uint8(0), uint16(0), []byte{})
	f.Add(uint8(1), uint16(0), []byte{0x18, 0x02, 4, 5, 0, 0, 0}) // a FAT entry
	f.Add(uint8(2), uint16(3000), []byte{0x4C, 0x06, 1, 3})       // a sibling id
	f.Add(uint8(0), uint16(0), []byte{0x1E, 0, 1, 12})            // version 4 sectors
	f.Fuzz(func(t *testing.T, seed uint8, cut uint16, patches []byte) {
		b := bytes.Clone(seeds[int(seed)%len(seeds)])
		if cut != 0 && int(cut) < len(b) {
			b = b[:cut]
		}
		for len(patches) >= 3 && len(b) > 0 {
			off, n := int(le.Uint16(patches))%len(b), int(patches[2])
			patches = patches[3:]
			n = min(n, len(patches))
			copy(b[off:], patches[:n])
			patches = patches[n:]
		}
		check(t, b)
	})
}

// check opens b, lists its entries and reads every stream with a byte
// budget: no panic, no hang, and a stream read to its end without error
// has its declared size.
func check(t *testing.T, b []byte) {
	f, err := cfb.Open(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		if len(err.Error()) > 1000 {
			t.Fatalf("an error of %d bytes", len(err.Error()))
		}
		return
	}
	budget := int64(1 << 20)
	for _, e := range f.Entries() {
		if !e.Stream {
			if _, err := f.Open(e); err == nil {
				t.Fatalf("Open(%q), a storage: no error", e.Path)
			}
			continue
		}
		r, err := f.Open(e)
		if err != nil {
			t.Fatalf("Open(%q): %v", e.Path, err)
		}
		n, err := io.Copy(io.Discard, io.LimitReader(r, budget))
		budget -= n
		if budget <= 0 {
			return
		}
		if err == nil && n != e.Size {
			t.Fatalf("%q: %d bytes read, no error, size %d", e.Path, n, e.Size)
		}
		if err != nil && (errors.Is(err, io.EOF) || len(err.Error()) > 1000) {
			t.Fatalf("%q: %v", e.Path, err)
		}
	}
}

// fuzzSeeds returns the seed corpus of FuzzOpen.
func fuzzSeeds() [][]byte {
	// Small seeds (the fuzzer minimizes what it finds, in time linear in
	// the input's length): regular streams are cut short after a sector or
	// two, which the reader must handle anyway.
	mini := docfixtures.CFB(
		docfixtures.CFBStream{Path: "s", Data: data(100, 1)},
		docfixtures.CFBStream{Path: "st/a", Data: data(70, 2)})
	regular := docfixtures.CFB(
		docfixtures.CFBStream{Path: "W", Data: data(4100, 3)},
		docfixtures.CFBStream{Path: "s", Data: data(10, 4)})
	regular = regular[:8*512]
	fragmented := docfixtures.CFBFragmented(
		docfixtures.CFBStream{Path: "W", Data: data(4100, 3)},
		docfixtures.CFBStream{Path: "X", Data: data(4097, 5)},
		docfixtures.CFBStream{Path: "s", Data: data(10, 4)})
	fragmented = fragmented[:9*512]
	loop := bytes.Clone(regular)
	le.PutUint32(loop[512+4*6:], 4) // FAT: sector 6, W's third, back to 4, its first
	cycle := bytes.Clone(mini)
	le.PutUint32(cycle[2*512+128*2+76:], 0) // entry 2, "st"'s child: the root
	return [][]byte{mini, regular, fragmented, loop, cycle, mini[:1024],
		[]byte("\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1")}
}
