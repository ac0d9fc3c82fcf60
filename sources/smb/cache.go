package smb

import (
	"io"
	"sync"
)

// Read-ahead for random access over the network.
const (
	blockSize   = 256 << 10
	cacheBlocks = 4
)

// cachedReaderAt reads a remote file in blocks and keeps the last few, so
// that readers asking for a few bytes at a time (archive/zip's headers and
// 4 KiB inflate reads, SQLite pages, the PDF parser) make one round trip
// per block instead of one per call. Reads of a block or more go straight
// through. It is safe for concurrent use.
type cachedReaderAt struct {
	ra   io.ReaderAt
	size int64

	mu     sync.Mutex
	blocks [cacheBlocks]cacheBlock
	clock  uint64
}

type cacheBlock struct {
	off  int64 // -1: empty
	data []byte
	used uint64
}

func newCachedReaderAt(ra io.ReaderAt, size int64) *cachedReaderAt {
	c := &cachedReaderAt{ra: ra, size: size}
	for i := range c.blocks {
		c.blocks[i].off = -1
	}
	return c
}

// ReadAt implements io.ReaderAt.
func (c *cachedReaderAt) ReadAt(p []byte, off int64) (int, error) {
	if off >= c.size {
		return 0, io.EOF
	}
	if len(p) >= blockSize {
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
		b, err := c.block(pos - pos%blockSize)
		if err != nil {
			return n, err
		}
		n += copy(p[n:], b.data[pos-b.off:])
	}
	return n, nil
}

// block returns the cached block at off, reading it into the least
// recently used slot when it is not cached.
func (c *cachedReaderAt) block(off int64) (*cacheBlock, error) {
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
		b.data = make([]byte, blockSize)
	}
	want := int(min(blockSize, c.size-off))
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
