package inflate

import (
	"encoding/binary"
	"errors"
	"hash/crc32"
	"io"
)

// Errors of gzip files, besides those of their DEFLATE streams.
var (
	// ErrHeader: a member does not start with a gzip header.
	ErrHeader = errors.New("gzip: invalid header")
	// ErrChecksum: a member's data does not have the CRC-32 or the size
	// its trailer gives.
	ErrChecksum = errors.New("gzip: invalid checksum")
)

// gzip header flags (RFC 1952, 2.3.1).
const (
	flagHdrCrc  = 1 << 1
	flagExtra   = 1 << 2
	flagName    = 1 << 3
	flagComment = 1 << 4
)

// maxHeaderString bounds a member's file name and comment, as
// compress/gzip does.
const maxHeaderString = 512

// A GzipReader decompresses a gzip file (RFC 1952): one or more members,
// each a header, a DEFLATE stream and a trailer whose CRC-32 and size of
// the member's data it checks. It reads the members of a file one after
// the other, as compress/gzip does, and accepts and rejects the same
// files (FuzzGzip). Reset makes it read another file without allocating.
type GzipReader struct {
	z    Reader
	crc  uint32
	size uint32
	err  error
	hdr  [10]byte
	one  [1]byte // a header byte, for the header's CRC
}

// NewGzipReader returns a GzipReader of the gzip file r, whose first
// header it reads: an empty r gives io.EOF, any other r that does not
// start with a gzip header ErrHeader.
func NewGzipReader(r io.Reader) (*GzipReader, error) {
	g := &GzipReader{}
	g.z.alloc()
	if err := g.Reset(r); err != nil {
		return nil, err
	}
	return g, nil
}

// Reset makes g read the gzip file r from its start, keeping its buffers,
// and reads its first header.
func (g *GzipReader) Reset(r io.Reader) error {
	g.z.Reset(r)
	g.err = g.header()
	return g.err
}

// Close drops the reader g reads from. It does not close it.
func (g *GzipReader) Close() error {
	return g.z.Close()
}

// Read reads decompressed bytes into p. At the end of the last member it
// returns io.EOF; a file cut short gives io.ErrUnexpectedEOF, an invalid
// DEFLATE stream an error wrapping ErrCorrupt, a wrong trailer
// ErrChecksum and a member that does not start with a header ErrHeader.
func (g *GzipReader) Read(p []byte) (int, error) {
	for {
		if g.err != nil {
			return 0, g.err
		}
		n, err := g.z.Read(p)
		if n > 0 || err == nil {
			g.crc = crc32.Update(g.crc, crc32.IEEETable, p[:n])
			g.size += uint32(n)
			return n, nil
		}
		if err != io.EOF {
			g.err = err
			return 0, err
		}
		// The member's DEFLATE stream ended: its trailer, then the
		// next member or the end of the file.
		if g.err = g.trailer(); g.err == nil {
			g.err = g.header()
		}
	}
}

// header reads a member's header and starts its DEFLATE stream: io.EOF
// when the input ends before it.
func (g *GzipReader) header() error {
	z := &g.z
	z.restart()
	g.crc, g.size = 0, 0
	for i := range g.hdr {
		c, ok := z.readByte()
		if !ok {
			if i == 0 && z.err == nil {
				return io.EOF
			}
			return g.cut()
		}
		g.hdr[i] = c
	}
	if g.hdr[0] != 0x1f || g.hdr[1] != 0x8b || g.hdr[2] != 8 {
		return ErrHeader
	}
	flags := g.hdr[3]
	digest := crc32.ChecksumIEEE(g.hdr[:])
	var b [2]byte
	read2 := func() bool {
		for i := range b {
			c, ok := z.readByte()
			if !ok {
				return false
			}
			b[i] = c
		}
		return true
	}
	if flags&flagExtra != 0 {
		if !read2() {
			return g.cut()
		}
		digest = crc32.Update(digest, crc32.IEEETable, b[:])
		for range binary.LittleEndian.Uint16(b[:]) {
			c, ok := z.readByte()
			if !ok {
				return g.cut()
			}
			g.one[0] = c
			digest = crc32.Update(digest, crc32.IEEETable, g.one[:])
		}
	}
	for _, f := range []byte{flagName, flagComment} {
		if flags&f == 0 {
			continue
		}
		for n := 0; ; n++ {
			c, ok := z.readByte()
			if !ok {
				return g.cut()
			}
			g.one[0] = c
			digest = crc32.Update(digest, crc32.IEEETable, g.one[:])
			if c == 0 {
				break
			}
			if n+1 >= maxHeaderString {
				return ErrHeader
			}
		}
	}
	if flags&flagHdrCrc != 0 {
		if !read2() {
			return g.cut()
		}
		if binary.LittleEndian.Uint16(b[:]) != uint16(digest) {
			return ErrHeader
		}
	}
	return nil
}

// trailer reads a member's trailer after its DEFLATE stream and checks
// it against the data read.
func (g *GzipReader) trailer() error {
	z := &g.z
	z.unbuffer()
	var t [8]byte
	for i := range t {
		c, ok := z.readByte()
		if !ok {
			return g.cut()
		}
		t[i] = c
	}
	if binary.LittleEndian.Uint32(t[:4]) != g.crc || binary.LittleEndian.Uint32(t[4:]) != g.size {
		return ErrChecksum
	}
	return nil
}

// cut is the error of a file that ends inside a header or trailer: the
// input's error, or io.ErrUnexpectedEOF (z.err is io.EOF after a member's
// DEFLATE stream).
func (g *GzipReader) cut() error {
	if e := g.z.err; e != nil && e != io.EOF {
		return e
	}
	return io.ErrUnexpectedEOF
}
