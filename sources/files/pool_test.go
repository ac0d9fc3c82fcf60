package files

import (
	"bytes"
	"compress/flate"
	"errors"
	"fmt"
	"io"
	"strings"
	"testing"

	"github.com/klauspost/compress/gzip"
	"github.com/klauspost/compress/zstd"

	"github.com/piimap/piimap/sources"
)

// zstdFrame compresses data in a frame that declares the given window (a
// power of two of at least 1 KiB) in its header whatever the content's
// size, as a frame from another encoder may.
func zstdFrame(t testing.TB, data []byte, window int) []byte {
	t.Helper()
	var buf bytes.Buffer
	w, err := zstd.NewWriter(&buf, zstd.WithWindowSize(1<<20), zstd.WithSingleSegment(false), zstd.WithEncoderConcurrency(1))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.Write(data); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	f := buf.Bytes()
	if f[4]&0x20 != 0 {
		t.Fatal("encoder wrote a single-segment frame")
	}
	exp := 0
	for 1<<(10+exp) < window {
		exp++
	}
	f[5] = byte(exp << 3)
	return f
}

func TestZstdWindow(t *testing.T) {
	for _, win := range []int{1 << 10, 1 << 20, 8 << 20, 64 << 20} {
		f := zstdFrame(t, []byte("hello"), win)
		if got := zstdWindow(f); got != uint64(win) {
			t.Errorf("window %d: parsed %d", win, got)
		}
	}
	// Single segment: the window is the content size.
	var buf bytes.Buffer
	w, _ := zstd.NewWriter(&buf, zstd.WithSingleSegment(true))
	w.Write(bytes.Repeat([]byte("x"), 300))
	w.Close()
	if got := zstdWindow(buf.Bytes()); got != 300 {
		t.Errorf("single segment of 300 bytes: window %d", got)
	}
	for _, h := range [][]byte{nil, []byte("\x28\xb5\x2f"), []byte("PK\x03\x04xxxx"), []byte("\x28\xb5\x2f\xfd\xe0")} {
		if got := zstdWindow(h); got != 0 {
			t.Errorf("%q: window %d, want 0", h, got)
		}
	}
}

// readAllClose reads rc to its end and closes it.
func readAllClose(t *testing.T, rc io.ReadCloser) ([]byte, error) {
	t.Helper()
	b, err := io.ReadAll(rc)
	if cerr := rc.Close(); cerr != nil {
		t.Fatal(cerr)
	}
	return b, err
}

// TestZstdPool decodes frames with small and large windows, small and
// large content, whole and truncated, through one pool, reusing decoders.
func TestZstdPool(t *testing.T) {
	p := newDecoderPool()
	small := []byte(strings.Repeat("ola.nordmann@example.no ", 40))
	big := make([]byte, blobOut+blobOut/2) // larger than a blob: streamed
	for i := range big {
		big[i] = byte('a' + i*7%26)
	}
	cases := []struct {
		name   string
		data   []byte
		window int
	}{
		{"large window, small content (in memory)", small, 128 << 20},
		{"large window, large content (streamed)", big, 64 << 20},
		{"small window, large content", big, 1 << 20},
		{"small window", small, 1 << 20}, // last: its decoder stays in the pool
	}
	for round := range 3 { // the second and third rounds reuse pooled decoders
		for _, c := range cases {
			rc, err := p.zstdReader(bytes.NewReader(zstdFrame(t, c.data, c.window)))
			if err != nil {
				t.Fatalf("%s: %v", c.name, err)
			}
			got, err := readAllClose(t, rc)
			if err != nil || !bytes.Equal(got, c.data) {
				t.Fatalf("round %d, %s: %d bytes, %v; want %d bytes", round, c.name, len(got), err, len(c.data))
			}
		}
	}
	// Decoders that put out more than poolKeepBelow were released, the
	// one that decoded little was kept.
	if n := len(p.zstd); n != 1 {
		t.Errorf("%d idle decoders in the pool, want 1", n)
	}
	// Truncated content fails, whichever way it is decoded; a frame too
	// large for the window limit is refused.
	for _, window := range []int{1 << 20, 128 << 20} {
		f := zstdFrame(t, small, window)
		rc, err := p.zstdReader(bytes.NewReader(f[:len(f)-8]))
		if err == nil {
			_, err = readAllClose(t, rc)
		}
		if err == nil {
			t.Errorf("window %d: truncated frame read without error", window)
		}
	}
	rc, err := p.zstdReader(bytes.NewReader(zstdFrame(t, small, 256<<20)))
	if err == nil {
		_, err = readAllClose(t, rc)
	}
	if err == nil {
		t.Error("a 256 MiB window was accepted; the limit is 128 MiB")
	}
	// Read after Close fails rather than reading someone else's stream.
	rc, err = p.zstdReader(bytes.NewReader(zstdFrame(t, small, 128<<20)))
	if err != nil {
		t.Fatal(err)
	}
	rc.Close()
	if _, err := rc.Read(make([]byte, 10)); !errors.Is(err, errReadAfterClose) {
		t.Errorf("read after close: %v", err)
	}
}

// TestGzipPool decodes many streams through one pool; a bad header fails
// and the decoder stays usable.
func TestGzipPool(t *testing.T) {
	p := newDecoderPool()
	for i := range 50 {
		want := fmt.Appendf(nil, "member %d: kari%d@example.no\n", i, i)
		var buf bytes.Buffer
		w := gzip.NewWriter(&buf)
		w.Write(want)
		w.Close()
		if i%7 == 3 {
			if _, err := p.gzipReader(strings.NewReader("not gzip at all")); err == nil {
				t.Fatal("bad header accepted")
			}
		}
		rc, err := p.gzipReader(&buf)
		if err != nil {
			t.Fatal(err)
		}
		got, err := readAllClose(t, rc)
		if err != nil || !bytes.Equal(got, want) {
			t.Fatalf("stream %d: %q, %v", i, got, err)
		}
	}
	if n := len(p.gzip); n != 1 {
		t.Errorf("%d idle gzip readers, want 1 (one at a time was used)", n)
	}
}

// TestInflaterPool decodes many deflated zip members through one Reader's
// pool: each member whole, one left half read, one corrupt, and one read
// through Inflater; one inflater serves them all, and a member after a
// bad one or a half-read one decodes from its own start.
func TestInflaterPool(t *testing.T) {
	x := NewReader(sources.Options{}, nil)
	open := x.DeflateDecompressor()
	for i := range 50 {
		want := bytes.Repeat(fmt.Appendf(nil, "member %d: kari%d@example.no\n", i, i), 1+i*50)
		var buf bytes.Buffer
		w, _ := flate.NewWriter(&buf, 6)
		w.Write(want)
		w.Close()
		switch i % 10 {
		case 3: // a corrupt member fails and leaves the inflater usable
			if _, err := readAllClose(t, open(strings.NewReader("\xff\xff\xff\xff"))); err == nil {
				t.Fatal("corrupt member decoded")
			}
		case 5: // a member closed half read
			rc := open(bytes.NewReader(buf.Bytes()))
			if _, err := io.ReadFull(rc, make([]byte, len(want)/2)); err != nil {
				t.Fatal(err)
			}
			rc.Close()
		case 7: // through Inflater, as a zip read by its local headers
			z, done := x.Inflater(bytes.NewReader(buf.Bytes()))
			got, err := io.ReadAll(z)
			done()
			if err != nil || !bytes.Equal(got, want) {
				t.Fatalf("member %d through Inflater: %d bytes, %v", i, len(got), err)
			}
			continue
		}
		got, err := readAllClose(t, open(bytes.NewReader(buf.Bytes())))
		if err != nil || !bytes.Equal(got, want) {
			t.Fatalf("member %d: %d bytes, want %d; %v", i, len(got), len(want), err)
		}
	}
	if n := len(x.dec.flate); n != 1 {
		t.Errorf("%d idle inflaters, want 1 (one at a time was used)", n)
	}
}
