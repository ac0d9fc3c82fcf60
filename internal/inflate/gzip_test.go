package inflate

import (
	"bytes"
	"compress/gzip"
	"errors"
	"hash/crc32"
	"io"
	"testing"
)

// gzipFile returns data gzipped in members of at most each bytes (one when
// each is 0), with a name, a comment and an extra field in the first.
func gzipFile(t testing.TB, data []byte, each int) []byte {
	var buf bytes.Buffer
	first := true
	for first || len(data) > 0 {
		n := len(data)
		if each > 0 {
			n = min(n, each)
		}
		w := gzip.NewWriter(&buf)
		if first {
			w.Name, w.Comment, w.Extra = "kunder.log", "eksport", []byte("piimap")
		}
		if _, err := w.Write(data[:n]); err != nil {
			t.Fatal(err)
		}
		if err := w.Close(); err != nil {
			t.Fatal(err)
		}
		data, first = data[n:], false
	}
	return buf.Bytes()
}

// withHeaderCRC returns a member with no data whose header has the
// header CRC flag and the CRC crc.
func withHeaderCRC(crc func(h []byte) uint16) []byte {
	h := []byte{0x1f, 0x8b, 8, flagHdrCrc, 0, 0, 0, 0, 0, 255}
	c := crc(h)
	return append(h, byte(c), byte(c>>8), 3, 0, 0, 0, 0, 0, 0, 0, 0, 0)
}

func gunzipStd(c []byte) ([]byte, error) {
	r, err := gzip.NewReader(bytes.NewReader(c))
	if err != nil {
		return nil, err
	}
	return io.ReadAll(r)
}

func gunzipOwn(g *GzipReader, c []byte, steps []int) ([]byte, error) {
	if err := g.Reset(&chunkReader{data: c, steps: steps}); err != nil {
		return nil, err
	}
	return io.ReadAll(g)
}

func TestGzip(t *testing.T) {
	text := samples()["text"]
	good := gzipFile(t, text, 0)
	badCRC := bytes.Clone(good)
	badCRC[len(badCRC)-6] ^= 1
	badSize := bytes.Clone(good)
	badSize[len(badSize)-2] ^= 1
	for _, c := range []struct {
		name string
		file []byte
		want []byte
		err  error
	}{
		{"one member", good, text, nil},
		{"members", gzipFile(t, text, 100<<10), text, nil},
		{"empty members", append(gzipFile(t, nil, 0), gzipFile(t, []byte("x"), 0)...), []byte("x"), nil},
		{"header crc", withHeaderCRC(func(h []byte) uint16 { return uint16(crc32.ChecksumIEEE(h)) }), []byte{}, nil},
		{"wrong header crc", withHeaderCRC(func(h []byte) uint16 { return 1 + uint16(crc32.ChecksumIEEE(h)) }), nil, ErrHeader},
		{"empty", nil, nil, io.EOF},
		{"not gzip", []byte("kari.nordmann@example.no"), nil, ErrHeader},
		{"garbage after", append(bytes.Clone(good), "trailing garbage"...), text, ErrHeader},
		{"short garbage after", append(bytes.Clone(good), "trailing"...), text, io.ErrUnexpectedEOF},
		{"bad crc", badCRC, text, ErrChecksum},
		{"bad size", badSize, text, ErrChecksum},
		{"cut in data", good[:len(good)/2], nil, io.ErrUnexpectedEOF},
		{"cut in trailer", good[:len(good)-3], text, io.ErrUnexpectedEOF},
		{"cut in header", good[:5], nil, io.ErrUnexpectedEOF},
	} {
		for _, steps := range [][]int{nil, {1, 7, 300}} {
			g := newGzip()
			got, err := gunzipOwn(g, c.file, steps)
			if !errors.Is(err, c.err) && !(c.err == nil && err == nil) {
				t.Errorf("%s: error %v, want %v", c.name, err, c.err)
			}
			if c.want != nil && !bytes.Equal(got, c.want) {
				t.Errorf("%s: %d bytes, want %d", c.name, len(got), len(c.want))
			}
			// compress/gzip agrees.
			want, werr := gunzipStd(c.file)
			if (werr == nil) != (err == nil) || !bytes.HasPrefix(got, want) {
				t.Errorf("%s: %d bytes and error %v; compress/gzip %d and %v", c.name, len(got), err, len(want), werr)
			}
		}
	}
}

// FuzzGzip checks a GzipReader against compress/gzip, as FuzzInflate
// checks a Reader against compress/flate.
func FuzzGzip(f *testing.F) {
	for _, data := range [][]byte{[]byte("kari.nordmann@example.no +47 912 34 567"), bytes.Repeat([]byte("ab"), 200), nil} {
		for _, c := range [][]byte{gzipFile(f, data, 0), gzipFile(f, data, 30)} {
			f.Add(uint8(0), c)
			f.Add(uint8(1), c[:len(c)-3])
			bad := bytes.Clone(c)
			bad[len(bad)/2] ^= 4
			f.Add(uint8(5), bad)
		}
	}
	f.Add(uint8(0), withHeaderCRC(func(h []byte) uint16 { return uint16(crc32.ChecksumIEEE(h)) }))
	g := newGzip()
	f.Fuzz(func(t *testing.T, step uint8, c []byte) {
		want, werr := gunzipStd(c)
		got, err := gunzipOwn(g, c, fuzzSteps(step))
		agree(t, "compress/gzip", got, err, want, werr)
		for _, e := range []error{ErrHeader, ErrChecksum} {
			if errors.Is(werr, gzipErr(e)) != errors.Is(err, e) {
				t.Fatalf("error %v, compress/gzip's %v", err, werr)
			}
		}
	})
}

// gzipErr returns compress/gzip's error for ours.
func gzipErr(e error) error {
	if e == ErrHeader {
		return gzip.ErrHeader
	}
	return gzip.ErrChecksum
}

// newGzip returns a GzipReader with its buffers, before any Reset.
func newGzip() *GzipReader {
	g := &GzipReader{}
	g.z.alloc()
	return g
}
