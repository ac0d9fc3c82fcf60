package sources

import (
	"errors"
	"io"
	"sync"
)

// CachedReaderAt reads content in aligned blocks and keeps the last few,
// so that readers asking for a few bytes at a time make one read per
// block instead of one per call: over a file share (archive/zip's headers
// and 4 KiB inflate reads, SQLite pages, the PDF parser, a PST's 512-byte
// pages) each read is a round trip, and on disk a system call. Reads of a
// block or more go straight through. It is safe for concurrent use.
type CachedReaderAt struct {
	ra        io.ReaderAt
	size      int64
	blockSize int64

	mu     sync.Mutex
	blocks []cacheBlock
	clock  uint64
}

type cacheBlock struct {
	off  int64 // -1: empty
	data []byte
	used uint64
}

// NewCachedReaderAt returns a CachedReaderAt over the size bytes of ra
// that keeps blocks blocks of blockSize bytes.
func NewCachedReaderAt(ra io.ReaderAt, size int64, blockSize, blocks int) *CachedReaderAt {
	c := &CachedReaderAt{ra: ra, size: size, blockSize: int64(blockSize), blocks: make([]cacheBlock, blocks)}
	for i := range c.blocks {
		c.blocks[i].off = -1
	}
	return c
}

// ReadAt implements io.ReaderAt.
func (c *CachedReaderAt) ReadAt(p []byte, off int64) (int, error) {
	if off < 0 {
		return 0, errors.New("read at a negative offset")
	}
	if off >= c.size {
		return 0, io.EOF
	}
	if int64(len(p)) >= c.blockSize {
		return c.ra.ReadAt(p, off)
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	n := 0
	for n < len(p) {
		pos := off + int64(n)
		if pos >= c.size {
			return n, io.EOF
		}
		b, err := c.block(pos - pos%c.blockSize)
		if err != nil {
			return n, err
		}
		n += copy(p[n:], b.data[pos-b.off:])
	}
	return n, nil
}

// block returns the cached block at off, reading it into the least
// recently used slot when it is not cached.
func (c *CachedReaderAt) block(off int64) (*cacheBlock, error) {
	c.clock++
	lru := 0
	for i := range c.blocks {
		b := &c.blocks[i]
		if b.off == off {
			b.used = c.clock
			return b, nil
		}
		if b.used < c.blocks[lru].used {
			lru = i
		}
	}
	b := &c.blocks[lru]
	if b.data == nil {
		b.data = make([]byte, c.blockSize)
	}
	want := int(min(c.blockSize, c.size-off))
	n, err := c.ra.ReadAt(b.data[:want], off)
	if n < want {
		b.off = -1
		if err == nil || err == io.EOF {
			err = io.ErrUnexpectedEOF
		}
		return nil, err
	}
	b.off, b.data, b.used = off, b.data[:want], c.clock
	return b, nil
}
