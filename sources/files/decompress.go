package files

import (
	"compress/bzip2"
	"errors"
	"fmt"
	"io"

	"github.com/ulikunitz/xz"
)

// Errors for decompression limits; the files source reports them with
// sink.Failed after scanning what was decompressed up to the limit.
var (
	// ErrDecompressedSize: the content decompresses to more than
	// Options.MaxArchiveBytes.
	ErrDecompressedSize = errors.New("decompressed size exceeds the limit (possible decompression bomb)")
	// ErrCompressionRatio: the content decompresses to more than
	// Options.MaxArchiveRatio times its compressed size.
	ErrCompressionRatio = errors.New("compression ratio exceeds the limit (possible decompression bomb)")
	// ErrDictionaryTooLarge: an xz stream asks for a dictionary larger than
	// maxXzDict, which would be allocated up front.
	ErrDictionaryTooLarge = errors.New("xz dictionary larger than the limit")
)

// Limits that are not options.
const (
	// maxLayers bounds nested compression ("x.gz.gz").
	maxLayers = 3
	// zstdMaxWindow bounds the zstd decoder's window (zstd -19 --long
	// uses 128 MiB at most).
	zstdMaxWindow = 128 << 20
	// maxXzDict bounds the xz dictionary (xz -9 uses 64 MiB).
	maxXzDict = 64 << 20
	// ratioFloor is how much must be decompressed before the ratio is
	// checked (or a quarter of MaxArchiveBytes if less), so that small,
	// very repetitive files pass.
	ratioFloor = 64 << 20
)

// counter counts the bytes read through it. With known set, size is the
// size fstat gave a regular file: a read that returns fewer bytes than
// asked and brings the count to size ends the content, and the read after
// it, which would only find the end, is not made (a system call of the
// seven a small file costs). A file that has grown since fstat is read on
// to its end.
type counter struct {
	r     io.Reader
	n     int64
	size  int64
	known bool
	end   bool
}

func (c *counter) Read(p []byte) (int, error) {
	if c.end {
		return 0, io.EOF
	}
	n, err := c.r.Read(p)
	c.n += int64(n)
	if c.known && err == nil && n < len(p) && c.n == c.size {
		c.end = true
	}
	return n, err
}

// decompressor wraps r, whose head has been sniffed as kind, in a
// decompressing reader. close releases the decoder.
// gzip and zstd decoders come from pool, and close gives them back.
func decompressor(pool *decoderPool, kind Kind, r io.Reader, head []byte) (rd io.Reader, close func(), err error) {
	nop := func() {}
	switch kind {
	case KindGzip:
		z, err := pool.gzipReader(r)
		if err != nil {
			return nil, nop, fmt.Errorf("gzip header: %w", err)
		}
		return z, func() { _ = z.Close() }, nil
	case KindZstd:
		z, err := pool.zstdReader(r)
		if err != nil {
			return nil, nop, fmt.Errorf("zstd: %w", err)
		}
		return z, func() { _ = z.Close() }, nil
	case KindBzip2:
		return bzip2.NewReader(r), nop, nil
	case KindXz:
		if d, ok := xzDictSize(head); ok && d > maxXzDict {
			return nil, nop, fmt.Errorf("%w: %d MiB > %d MiB", ErrDictionaryTooLarge, d>>20, maxXzDict>>20)
		}
		z, err := xz.NewReader(r)
		if err != nil {
			return nil, nop, fmt.Errorf("xz header: %w", err)
		}
		return z, nop, nil
	}
	return nil, nop, fmt.Errorf("no decompressor for %s", kind)
}

// xzDictSize reads the LZMA2 dictionary size of the first block from the
// head of an xz stream: stream header (12 bytes), block header size,
// block flags, optional sizes, then the filter flags.
func xzDictSize(head []byte) (int64, bool) {
	if len(head) < 14 || head[12] == 0 {
		return 0, false
	}
	end := 12 + (int(head[12])+1)*4
	if end > len(head) {
		return 0, false
	}
	b := head[14:end]
	flags := head[13]
	varint := func() (uint64, bool) {
		var v uint64
		for i := 0; i < 9 && i < len(b); i++ {
			v |= uint64(b[i]&0x7f) << (7 * i)
			if b[i]&0x80 == 0 {
				b = b[i+1:]
				return v, true
			}
		}
		return 0, false
	}
	if flags&0x40 != 0 {
		if _, ok := varint(); !ok {
			return 0, false
		}
	}
	if flags&0x80 != 0 {
		if _, ok := varint(); !ok {
			return 0, false
		}
	}
	filters := int(flags&3) + 1
	for range filters {
		id, ok := varint()
		if !ok {
			return 0, false
		}
		size, ok := varint()
		if !ok || uint64(len(b)) < size {
			return 0, false
		}
		props := b[:size]
		b = b[size:]
		if id == 0x21 && size == 1 { // LZMA2
			c := props[0] & 0x3f
			if c > 40 {
				return 0, false
			}
			if c == 40 {
				return 1<<32 - 1, true
			}
			return int64(2|int(c&1)) << (c/2 + 11), true
		}
	}
	return 0, false
}

// decodeErrs names the format in errors from a decompressor; truncation
// (an unexpected EOF) says so.
type decodeErrs struct {
	r    io.Reader
	kind Kind
}

func (d *decodeErrs) Read(p []byte) (int, error) {
	n, err := d.r.Read(p)
	if err != nil && err != io.EOF {
		if errors.Is(err, io.ErrUnexpectedEOF) {
			err = fmt.Errorf("%s data truncated: %w", d.kind, err)
		} else {
			err = fmt.Errorf("%s data corrupt: %w", d.kind, err)
		}
	}
	return n, err
}

// bombGuard stops decompression at max bytes, or when more than ratio
// times the compressed bytes read so far have come out (after ratioFloor).
type bombGuard struct {
	r     io.Reader
	n     int64
	max   int64
	ratio int64
	raw   *counter
	err   error
	probe [1]byte
}

func (g *bombGuard) Read(p []byte) (int, error) {
	if g.err != nil {
		return 0, g.err
	}
	if left := g.max - g.n; int64(len(p)) > left {
		if left <= 0 {
			// Exactly max bytes is fine if the content ends here.
			n, err := g.r.Read(g.probe[:])
			if n == 0 {
				if err != nil {
					g.err = err
				}
				return 0, err
			}
			g.err = fmt.Errorf("%w (%d bytes)", ErrDecompressedSize, g.max)
			return 0, g.err
		}
		p = p[:left]
	}
	n, err := g.r.Read(p)
	g.n += int64(n)
	if g.ratio > 0 && g.n > min(ratioFloor, g.max/4) && g.n > g.ratio*max(g.raw.n, 1) {
		g.err = fmt.Errorf("%w (%d:1 after %d bytes)", ErrCompressionRatio, g.ratio, g.n)
		return n, g.err
	}
	return n, err
}
