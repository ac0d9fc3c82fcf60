package cfb_test

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"unicode/utf16"

	"github.com/piimap/piimap/internal/docfixtures"
	"github.com/piimap/piimap/sources/docs/cfb"
)

var le = binary.LittleEndian

// data returns n deterministic bytes, different for each seed.
func data(n int, seed uint64) []byte {
	r := rand.New(rand.NewPCG(seed, uint64(n)))
	b := make([]byte, n)
	for i := range b {
		b[i] = byte(r.Uint32())
	}
	return b
}

func open(t testing.TB, b []byte) *cfb.File {
	t.Helper()
	f, err := cfb.Open(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	return f
}

// read reads the stream at path fully.
func read(t testing.TB, f *cfb.File, path string) ([]byte, error) {
	t.Helper()
	for _, e := range f.Entries() {
		if e.Path == path {
			r, err := f.Open(e)
			if err != nil {
				t.Fatalf("Open(%q): %v", path, err)
			}
			return io.ReadAll(r)
		}
	}
	t.Fatalf("no entry %q", path)
	return nil, nil
}

// checkAll asserts that f holds exactly the streams, in that order (with
// the storages want lists), byte for byte.
func checkAll(t *testing.T, f *cfb.File, want []cfb.Entry, streams []docfixtures.CFBStream) {
	t.Helper()
	got := f.Entries()
	if !slices.Equal(got, want) {
		t.Fatalf("Entries:\n got %v\nwant %v", got, want)
	}
	for _, s := range streams {
		b, err := read(t, f, s.Path)
		if err != nil {
			t.Fatalf("reading %q: %v", s.Path, err)
		}
		if !bytes.Equal(b, s.Data) {
			t.Fatalf("%q: read %d bytes, differ from the %d written", s.Path, len(b), len(s.Data))
		}
	}
}

func writers() map[string]func(...docfixtures.CFBStream) []byte {
	return map[string]func(...docfixtures.CFBStream) []byte{
		"contiguous": docfixtures.CFB,
		"fragmented": docfixtures.CFBFragmented,
		"version4":   docfixtures.CFB4,
	}
}

func TestSizes(t *testing.T) {
	sizes := []int{0, 1, 63, 64, 65, 4095, 4096, 4097, 100_000}
	var streams []docfixtures.CFBStream
	var want []cfb.Entry
	for i, n := range sizes {
		name := fmt.Sprintf("s%d", i) // same length: sorted as written
		streams = append(streams, docfixtures.CFBStream{Path: name, Data: data(n, uint64(i))})
		want = append(want, cfb.Entry{Path: name, Size: int64(n), Stream: true})
	}
	for name, w := range writers() {
		t.Run(name, func(t *testing.T) {
			checkAll(t, open(t, w(streams...)), want, streams)
		})
	}
}

func TestNestedAndOrder(t *testing.T) {
	streams := []docfixtures.CFBStream{
		{Path: "__attach_version1.0_#00000000/__substg1.0_37010102", Data: data(5000, 1)},
		{Path: "__attach_version1.0_#00000000/__substg1.0_3704001F", Data: []byte("a\x00.\x00d\x00o\x00c\x00")},
		{Path: "__substg1.0_0037001F", Data: data(300, 2)},
		{Path: "WordDocument", Data: data(4097, 3)},
		{Path: "alpha", Data: data(10, 4)},
		{Path: "Zeta", Data: data(11, 5)},
		{Path: "a", Data: data(12, 6)},
		{Path: "B", Data: data(13, 7)},
		{Path: "bb/x", Data: data(14, 8)},
		{Path: "AC/deep/deeper/deepest", Data: data(4200, 9)},
		{Path: "AC/deep/a", Data: nil},
		{Path: "\x05SummaryInformation", Data: data(200, 10)},
	}
	want := []cfb.Entry{
		{Path: "a", Size: 12, Stream: true},
		{Path: "B", Size: 13, Stream: true},
		{Path: "AC"},
		{Path: "AC/deep"},
		{Path: "AC/deep/a", Stream: true},
		{Path: "AC/deep/deeper"},
		{Path: "AC/deep/deeper/deepest", Size: 4200, Stream: true},
		{Path: "bb"},
		{Path: "bb/x", Size: 14, Stream: true},
		{Path: "Zeta", Size: 11, Stream: true},
		{Path: "alpha", Size: 10, Stream: true},
		{Path: "WordDocument", Size: 4097, Stream: true},
		{Path: "\x05SummaryInformation", Size: 200, Stream: true},
		{Path: "__substg1.0_0037001F", Size: 300, Stream: true},
		{Path: "__attach_version1.0_#00000000"},
		{Path: "__attach_version1.0_#00000000/__substg1.0_37010102", Size: 5000, Stream: true},
		{Path: "__attach_version1.0_#00000000/__substg1.0_3704001F", Size: 10, Stream: true},
	}
	for name, w := range writers() {
		t.Run(name, func(t *testing.T) {
			checkAll(t, open(t, w(streams...)), want, streams)
		})
	}
}

func TestManyStreams(t *testing.T) {
	var streams []docfixtures.CFBStream
	var want []cfb.Entry
	for i := range 400 {
		n := (i * 37) % 700
		if i%40 == 0 {
			n = 4096 + i*13
		}
		path := fmt.Sprintf("s%03d", i)
		if i%100 == 99 {
			path = fmt.Sprintf("t%d/s%03d", i/100, i)
		}
		streams = append(streams, docfixtures.CFBStream{Path: path, Data: data(n, uint64(i))})
	}
	for _, s := range streams {
		if strings.Contains(s.Path, "/") {
			continue
		}
		want = append(want, cfb.Entry{Path: s.Path, Size: int64(len(s.Data)), Stream: true})
	}
	for i := range 4 {
		want = append(want, cfb.Entry{Path: fmt.Sprintf("t%d", i)})
		s := streams[i*100+99]
		want = append(want, cfb.Entry{Path: s.Path, Size: int64(len(s.Data)), Stream: true})
	}
	// The storages t0…t3 (2 characters) come before the streams s000…s399
	// (4 characters): shorter names first.
	var storages, rest []cfb.Entry
	for i := 0; i < len(want); i++ {
		if strings.HasPrefix(want[i].Path, "t") {
			storages = append(storages, want[i:]...)
			break
		}
		rest = append(rest, want[i])
	}
	want = append(storages, rest...)
	for name, w := range writers() {
		t.Run(name, func(t *testing.T) {
			checkAll(t, open(t, w(streams...)), want, streams)
		})
	}
}

// TestDIFAT writes a file of more than 109 FAT sectors, whose FAT needs
// DIFAT sectors beyond the header's 109 entries.
func TestDIFAT(t *testing.T) {
	streams := []docfixtures.CFBStream{
		{Path: "big", Data: data(7_600_000, 1)},
		{Path: "small", Data: data(100, 2)},
		{Path: "tail", Data: data(9000, 3)},
	}
	want := []cfb.Entry{
		{Path: "big", Size: 7_600_000, Stream: true},
		{Path: "tail", Size: 9000, Stream: true},
		{Path: "small", Size: 100, Stream: true},
	}
	for _, name := range []string{"contiguous", "fragmented"} {
		t.Run(name, func(t *testing.T) {
			b := writers()[name](streams...)
			if n := le.Uint32(b[72:]); n == 0 {
				t.Fatalf("the writer wrote no DIFAT sector (%d FAT sectors)", le.Uint32(b[44:]))
			}
			checkAll(t, open(t, b), want, streams)
		})
	}
}

func TestNotCFB(t *testing.T) {
	for _, b := range [][]byte{nil, []byte("PK\x03\x04"), bytes.Repeat([]byte{0}, 4096), []byte("\xD0\xCF\x11\xE0\xA1\xB1\x1A")} {
		_, err := cfb.Open(bytes.NewReader(b), int64(len(b)))
		if !errors.Is(err, cfb.ErrNotCFB) {
			t.Errorf("Open(%q): %v, want ErrNotCFB", b[:min(len(b), 8)], err)
		}
	}
	b := docfixtures.CFB(docfixtures.CFBStream{Path: "x", Data: []byte("x")})
	_, err := cfb.Open(bytes.NewReader(b[:300]), 300)
	if err == nil || errors.Is(err, cfb.ErrNotCFB) || !strings.Contains(err.Error(), "truncated?") {
		t.Errorf("a header cut short: %v", err)
	}
}

func TestOpenNotStream(t *testing.T) {
	f := open(t, docfixtures.CFB(docfixtures.CFBStream{Path: "a/b", Data: []byte("x")}))
	if _, err := f.Open(cfb.Entry{Path: "a"}); err == nil || !strings.Contains(err.Error(), "storage") {
		t.Errorf("Open(storage): %v", err)
	}
	if _, err := f.Open(cfb.Entry{Path: "nope", Stream: true}); err == nil || !strings.Contains(err.Error(), `"nope"`) {
		t.Errorf("Open(missing): %v", err)
	}
}

// fatEntry returns the offset of the FAT entry of sector s of a version-3
// file of fewer than 109 FAT sectors.
func fatEntry(b []byte, s uint32) int {
	fatSec := le.Uint32(b[76+4*(s/128):])
	return int(fatSec+1)*512 + 4*int(s%128)
}

// dirEntry returns the offset of the directory entry named name.
func dirEntry(t *testing.T, b []byte, name string) int {
	off, _ := dirEntryID(t, b, name)
	return off
}

// dirEntryID returns the offset and id of the directory entry named name.
func dirEntryID(t *testing.T, b []byte, name string) (int, uint32) {
	t.Helper()
	id := uint32(0)
	for s := le.Uint32(b[48:]); s != 0xFFFFFFFE; s = le.Uint32(b[fatEntry(b, s):]) {
		for i := range 4 {
			id++
			off := int(s+1)*512 + 128*i
			n := int(le.Uint16(b[off+64:]))/2 - 1
			u := make([]uint16, max(n, 0))
			for j := range u {
				u[j] = le.Uint16(b[off+2*j:])
			}
			if string(utf16.Decode(u)) == name {
				return off, id - 1
			}
		}
	}
	t.Fatalf("no directory entry %q", name)
	return 0, 0
}

// miniFATEntry returns the offset of the mini FAT entry of mini sector m.
func miniFATEntry(b []byte, m uint32) int {
	s := le.Uint32(b[60:])
	for range m / 128 {
		s = le.Uint32(b[fatEntry(b, s):])
	}
	return int(s+1)*512 + 4*int(m%128)
}

// corrupt writes a file, lets edit change it, and checks that the stream
// named name yields exactly its first n bytes, then an error containing
// each of msgs.
func corrupt(t *testing.T, big, small int, edit func(b []byte), name string, n int, msgs ...string) {
	t.Helper()
	streams := []docfixtures.CFBStream{
		{Path: "big", Data: data(big, 1)},
		{Path: "small", Data: data(small, 2)},
	}
	b := docfixtures.CFB(streams...)
	edit(b)
	f := open(t, b)
	got, err := read(t, f, name)
	want := streams[0].Data
	if name == "small" {
		want = streams[1].Data
	}
	if !bytes.Equal(got, want[:n]) {
		t.Errorf("read %d bytes, want the first %d", len(got), n)
	}
	if err == nil {
		t.Fatalf("no error")
	}
	for _, m := range msgs {
		if !strings.Contains(err.Error(), m) {
			t.Errorf("error %q does not say %q", err, m)
		}
	}
	if len(err.Error()) > 300 {
		t.Errorf("error of %d bytes", len(err.Error()))
	}
}

func TestBrokenChains(t *testing.T) {
	start := func(t *testing.T, b []byte, name string) uint32 {
		return le.Uint32(b[dirEntry(t, b, name)+116:])
	}
	t.Run("FAT loop", func(t *testing.T) {
		corrupt(t, 10_000, 100, func(b []byte) {
			s := start(t, b, "big")
			le.PutUint32(b[fatEntry(b, s+2):], s)
		}, "big", 3*512, "loops at sector")
	})
	t.Run("FAT self loop", func(t *testing.T) {
		corrupt(t, 10_000, 100, func(b []byte) {
			s := start(t, b, "big")
			le.PutUint32(b[fatEntry(b, s):], s)
		}, "big", 512, "loops at sector")
	})
	t.Run("outside the FAT", func(t *testing.T) {
		corrupt(t, 10_000, 100, func(b []byte) {
			s := start(t, b, "big")
			le.PutUint32(b[fatEntry(b, s+1):], 1_000_000)
		}, "big", 2*512, "sector 1000000", "outside the FAT")
	})
	t.Run("past the end", func(t *testing.T) {
		corrupt(t, 10_000, 100, func(b []byte) {
			s := start(t, b, "big")
			le.PutUint32(b[fatEntry(b, s+1):], 120) // in the FAT's 128 entries, not in the file
		}, "big", 2*512, "sector 120", "truncated?")
	})
	t.Run("ends early", func(t *testing.T) {
		corrupt(t, 10_000, 100, func(b []byte) {
			s := start(t, b, "big")
			le.PutUint32(b[fatEntry(b, s+4):], 0xFFFFFFFE)
		}, "big", 5*512, "before the stream's size", "truncated?")
	})
	t.Run("free sector", func(t *testing.T) {
		corrupt(t, 10_000, 100, func(b []byte) {
			s := start(t, b, "big")
			le.PutUint32(b[fatEntry(b, s+1):], 0xFFFFFFFF)
		}, "big", 2*512, "free sector")
	})
	t.Run("mini loop", func(t *testing.T) {
		corrupt(t, 10_000, 1000, func(b []byte) {
			m := start(t, b, "small")
			le.PutUint32(b[miniFATEntry(b, m+3):], m+1)
		}, "small", 4*64, "loops at mini sector")
	})
	t.Run("mini ends early", func(t *testing.T) {
		corrupt(t, 10_000, 1000, func(b []byte) {
			m := start(t, b, "small")
			le.PutUint32(b[miniFATEntry(b, m+5):], 0xFFFFFFFE)
		}, "small", 6*64, "before the stream's size", "truncated?")
	})
	t.Run("mini outside", func(t *testing.T) {
		corrupt(t, 10_000, 1000, func(b []byte) {
			m := start(t, b, "small")
			le.PutUint32(b[miniFATEntry(b, m):], 5000)
		}, "small", 64, "mini sector 5000")
	})
}

// TestVersion3SizeHighBits: a version-3 file's stream sizes use only their
// low 32 bits.
func TestVersion3SizeHighBits(t *testing.T) {
	streams := []docfixtures.CFBStream{{Path: "big", Data: data(5000, 1)}, {Path: "small", Data: data(70, 2)}}
	b := docfixtures.CFB(streams...)
	le.PutUint32(b[dirEntry(t, b, "big")+124:], 0xDEADBEEF)
	le.PutUint32(b[dirEntry(t, b, "small")+124:], 1)
	checkAll(t, open(t, b), []cfb.Entry{{Path: "big", Size: 5000, Stream: true}, {Path: "small", Size: 70, Stream: true}}, streams)
}

func TestDirectoryCorrupt(t *testing.T) {
	streams := []docfixtures.CFBStream{
		{Path: "a", Data: data(10, 1)}, {Path: "b", Data: data(10, 2)}, {Path: "c", Data: data(10, 3)},
		{Path: "st/x", Data: data(10, 4)},
	}
	for _, tc := range []struct {
		name string
		edit func(t *testing.T, b []byte)
		msg  string
	}{
		{"sibling cycle", func(t *testing.T, b []byte) {
			// The tree of a, b, c, st has b at its top; a's right
			// sibling back to b.
			le.PutUint32(b[dirEntry(t, b, "a")+72:], le.Uint32(b[dirEntry(t, b, "Root Entry")+76:]))
		}, "reached twice"},
		{"child is the root", func(t *testing.T, b []byte) {
			le.PutUint32(b[dirEntry(t, b, "st")+76:], 0)
		}, "reached twice"},
		{"child is itself", func(t *testing.T, b []byte) {
			off, id := dirEntryID(t, b, "st")
			le.PutUint32(b[off+76:], id)
		}, "reached twice"},
		{"bad id", func(t *testing.T, b []byte) {
			le.PutUint32(b[dirEntry(t, b, "c")+68:], 1000)
		}, "entry 1000"},
		{"bad type", func(t *testing.T, b []byte) {
			b[dirEntry(t, b, "c")+66] = 7
		}, "type 7"},
		{"no root", func(t *testing.T, b []byte) {
			b[dirEntry(t, b, "Root Entry")+66] = 1
		}, "root"},
		{"directory chain loops", func(t *testing.T, b []byte) {
			d := le.Uint32(b[48:])
			le.PutUint32(b[fatEntry(b, d+1):], d)
		}, "loops"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			b := docfixtures.CFB(streams...)
			tc.edit(t, b)
			_, err := cfb.Open(bytes.NewReader(b), int64(len(b)))
			if err == nil || !strings.Contains(err.Error(), tc.msg) {
				t.Fatalf("Open: %v, want an error saying %q", err, tc.msg)
			}
		})
	}
}

// TestTruncated cuts files at every 512-byte boundary (and between): Open
// succeeds once the header, FAT and directory are there, and every stream
// yields a prefix of its bytes, all of them or an error saying truncated.
func TestTruncated(t *testing.T) {
	streams := []docfixtures.CFBStream{
		{Path: "big", Data: data(9000, 1)},
		{Path: "mid", Data: data(4096, 2)},
		{Path: "s1", Data: data(1000, 3)},
		{Path: "d/s2", Data: data(100, 4)},
		{Path: "d/s3", Data: data(64, 5)},
	}
	for name, w := range writers() {
		t.Run(name, func(t *testing.T) {
			full := w(streams...)
			ss := 512
			if name == "version4" {
				ss = 4096
			}
			// The writers put the FAT, then the directory, then the
			// mini FAT.
			dirEnd := (int(le.Uint32(full[60:])) + 1) * ss
			var partial int // streams cut short with some bytes delivered
			for cut := 0; cut <= len(full); cut += 128 {
				b := full[:cut]
				f, err := cfb.Open(bytes.NewReader(b), int64(len(b)))
				if err != nil {
					if cut >= dirEnd {
						t.Fatalf("cut at %d: %v", cut, err)
					}
					continue
				}
				for _, s := range streams {
					got, err := read(t, f, s.Path)
					if !bytes.Equal(got, s.Data[:len(got)]) {
						t.Fatalf("cut at %d: %q: the %d bytes read are not a prefix", cut, s.Path, len(got))
					}
					if err == nil {
						if len(got) != len(s.Data) {
							t.Fatalf("cut at %d: %q: %d bytes, no error", cut, s.Path, len(got))
						}
						continue
					}
					if !errors.Is(err, io.ErrUnexpectedEOF) || !strings.Contains(err.Error(), "truncated?") {
						t.Fatalf("cut at %d: %q: %v", cut, s.Path, err)
					}
					if len(got) > 0 {
						partial++
					}
				}
				if cut == len(full) {
					checkAll(t, f, f.Entries(), streams)
				}
			}
			if partial == 0 {
				t.Errorf("no stream was delivered in part")
			}
		})
	}
}

// TestTruncatedExact checks how much of a contiguous regular stream a cut
// file delivers: exactly the bytes before the cut.
func TestTruncatedExact(t *testing.T) {
	data := data(20_000, 1)
	full := docfixtures.CFB(docfixtures.CFBStream{Path: "big", Data: data})
	start := int(le.Uint32(full[dirEntry(t, full, "big")+116:])+1) * 512
	for cut := start; cut <= len(full); cut += 100 {
		f := open(t, full[:cut])
		got, err := read(t, f, "big")
		if want := min(cut-start, len(data)); len(got) != want || !bytes.Equal(got, data[:want]) {
			t.Fatalf("cut at %d: read %d bytes, want %d", cut, len(got), want)
		}
		if (err == nil) != (cut-start >= len(data)) {
			t.Fatalf("cut at %d: %v", cut, err)
		}
	}
}
