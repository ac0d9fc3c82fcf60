package sources

import (
	"bytes"
	"errors"
	"io"
	"math/rand/v2"
	"testing"
)

// countingReaderAt counts the reads that reach the "server".
type countingReaderAt struct {
	r     *bytes.Reader
	calls int
	fail  bool
}

func (c *countingReaderAt) ReadAt(p []byte, off int64) (int, error) {
	c.calls++
	if c.fail {
		return 0, errors.New("connection reset")
	}
	return c.r.ReadAt(p, off)
}

func TestCachedReaderAt(t *testing.T) {
	const blockSize, blocks = 256 << 10, 4
	data := make([]byte, 3*blockSize+12345)
	rng := rand.New(rand.NewPCG(1, 2))
	for i := range data {
		data[i] = byte(rng.IntN(256))
	}
	src := &countingReaderAt{r: bytes.NewReader(data)}
	c := NewCachedReaderAt(src, int64(len(data)), blockSize, blocks)
	// Random reads of every size, at every kind of offset, match the data.
	for i := 0; i < 3000; i++ {
		n := rng.IntN(blockSize + 1000)
		if i%3 != 0 {
			n = rng.IntN(5000)
		}
		off := rng.Int64N(int64(len(data)) + 10)
		p := make([]byte, n)
		got, err := c.ReadAt(p, off)
		want := 0
		if off < int64(len(data)) {
			want = min(n, len(data)-int(off))
		}
		if got != want || !bytes.Equal(p[:got], data[min(off, int64(len(data))):min(off, int64(len(data)))+int64(got)]) {
			t.Fatalf("ReadAt(%d bytes at %d) = %d, %v; want %d bytes", n, off, got, err, want)
		}
		if got < n && err != io.EOF {
			t.Fatalf("short read without io.EOF: %v", err)
		}
	}
	// Small sequential reads make one request per block.
	src.calls = 0
	c = NewCachedReaderAt(src, int64(len(data)), blockSize, blocks)
	r := io.NewSectionReader(c, 0, int64(len(data)))
	buf := make([]byte, 4096)
	for {
		if _, err := r.Read(buf); err != nil {
			break
		}
	}
	if src.calls != 4 {
		t.Errorf("%d requests for %d blocks", src.calls, 4)
	}
	// A negative offset is an error, not a panic.
	if _, err := c.ReadAt(buf, -1<<62); err == nil {
		t.Error("no error reading at a negative offset")
	}
	// Errors come through.
	src.fail = true
	c = NewCachedReaderAt(src, int64(len(data)), blockSize, blocks)
	if _, err := c.ReadAt(buf, 10); err == nil || err.Error() != "connection reset" {
		t.Errorf("error %v", err)
	}
}
