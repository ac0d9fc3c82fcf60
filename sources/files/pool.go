package files

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"runtime"
	"sync"

	"github.com/klauspost/compress/zstd"

	"github.com/piimap/piimap/internal/inflate"
)

// poolKeepBelow is how much a pooled decoder may have put out for it to
// go back to the pool. A zstd decoder keeps a ring of its frame's window
// (up to zstdMaxWindow), but only the pages it wrote are resident: one that
// decoded little is cheap to keep and saves the next member allocating (and
// the runtime zeroing) a window again; one that decoded a lot has touched
// its ring and is released instead, so the pool never holds more than about
// poolKeepBelow of resident memory per decoder.
const poolKeepBelow = 4 << 20

// decoderPool keeps idle zstd and gzip decoders of one Reader for reuse,
// so that an archive of many small compressed members does not allocate a
// decoder (and a zstd window) per member. At most cap(channel) decoders of
// each kind are kept; the rest are closed.
type decoderPool struct {
	zstd  chan *zstd.Decoder
	gzip  chan *inflate.GzipReader
	flate chan *inflate.Reader
	// blob decodes small frames with large windows whole (zstdBlob); it
	// is made on first use and safe for concurrent DecodeAll calls.
	blobOnce sync.Once
	blob     *zstd.Decoder
	blobErr  error
	// blobBufs are idle output buffers of blobOut+blobSlack bytes.
	blobBufs chan []byte
}

func newDecoderPool() *decoderPool {
	n := max(runtime.GOMAXPROCS(0), 2)
	return &decoderPool{zstd: make(chan *zstd.Decoder, n), gzip: make(chan *inflate.GzipReader, n), flate: make(chan *inflate.Reader, n), blobBufs: make(chan []byte, n)}
}

// zstdOptions bound what one decoder may allocate: one goroutine (and so
// no goroutine at all: it decodes as it is read), buffers grown as needed,
// at most a zstdMaxWindow window.
func zstdOptions() []zstd.DOption {
	return []zstd.DOption{
		zstd.WithDecoderConcurrency(1),
		zstd.WithDecoderLowmem(true),
		zstd.WithDecoderMaxWindow(zstdMaxWindow),
		zstd.WithDecoderMaxMemory(zstdMaxWindow),
	}
}

// pooledReader is a decoder taken from the pool, reading one stream.
// Close hands it back (or releases it); Close is idempotent, and Read after
// Close fails.
type pooledReader struct {
	r     io.Reader
	n     int64
	close func(out int64)
}

func (p *pooledReader) Read(b []byte) (int, error) {
	if p.close == nil {
		return 0, errReadAfterClose
	}
	n, err := p.r.Read(b)
	p.n += int64(n)
	return n, err
}

func (p *pooledReader) Close() error {
	if p.close != nil {
		p.close(p.n)
		p.close = nil
		p.r = nil
	}
	return nil
}

var errReadAfterClose = errors.New("read from a closed decoder")

// zstdReader returns a zstd decoder reading r, from the pool if one is idle.
//
// A stream decoder keeps a ring of its frame's declared window, which it
// allocates whatever the content's size: a frame of a few bytes that
// declares 128 MiB would cost 128 MiB (and the runtime zeroes recycled
// memory, so it becomes resident). A frame that declares a window larger
// than bigWindow is therefore decoded whole in memory when it is small
// (at most blobIn compressed bytes decoding to at most blobOut), where the
// output itself is the history; only larger content is streamed with such
// a window.
func (p *decoderPool) zstdReader(r io.Reader) (io.ReadCloser, error) {
	var hdr [zstdHeaderMax]byte
	n, err := io.ReadFull(r, hdr[:])
	switch err {
	case nil:
		r = io.MultiReader(bytes.NewReader(hdr[:n]), r)
	case io.EOF, io.ErrUnexpectedEOF:
		r = bytes.NewReader(hdr[:n])
	default:
		return nil, err
	}
	if zstdWindow(hdr[:n]) > bigWindow {
		var rc io.ReadCloser
		if rc, r = p.zstdBlob(r); rc != nil {
			return rc, nil
		}
	}
	var d *zstd.Decoder
	select {
	case d = <-p.zstd:
		if err := d.Reset(r); err != nil {
			p.putZstd(d, 0)
			return nil, err
		}
	default:
		if d, err = zstd.NewReader(r, zstdOptions()...); err != nil {
			return nil, err
		}
	}
	return &pooledReader{r: d, close: func(out int64) { p.putZstd(d, out) }}, nil
}

// Bounds for decoding a frame with a large window in memory.
const (
	bigWindow = 8 << 20
	blobIn    = 1 << 20
	blobOut   = poolKeepBelow
)

// zstdBlob decodes r whole in memory if it is at most blobIn bytes and
// decodes to at most blobOut. Otherwise it returns a nil ReadCloser and a
// reader for the same content as r, for streaming.
func (p *decoderPool) zstdBlob(r io.Reader) (io.ReadCloser, io.Reader) {
	in, err := io.ReadAll(io.LimitReader(r, blobIn+1))
	if err != nil {
		return nil, io.MultiReader(bytes.NewReader(in), errReader{err})
	}
	if len(in) > blobIn {
		return nil, io.MultiReader(bytes.NewReader(in), r)
	}
	p.blobOnce.Do(func() {
		p.blob, p.blobErr = zstd.NewReader(nil, append(zstdOptions(), zstd.WithDecodeAllCapLimit(true))...)
	})
	if p.blobErr != nil {
		return nil, bytes.NewReader(in)
	}
	var dst []byte
	select {
	case dst = <-p.blobBufs:
	default:
		dst = make([]byte, 0, blobOut+blobSlack)
	}
	out, err := p.blob.DecodeAll(in, dst[:0])
	// Output that does not fit ends in ErrDecoderSizeExceeded, or, when
	// the limit cuts a block, in another error once nearly full.
	if errors.Is(err, zstd.ErrDecoderSizeExceeded) || (err != nil && len(out) > blobOut-2*zstdMaxBlock) {
		p.putBlobBuf(dst)
		return nil, bytes.NewReader(in)
	}
	if err == nil {
		err = io.EOF
	}
	return &blobReader{b: out, err: err, done: func() { p.putBlobBuf(dst) }}, nil
}

func (p *decoderPool) putBlobBuf(b []byte) {
	select {
	case p.blobBufs <- b[:0]:
	default:
	}
}

// zstdMaxBlock is the largest a zstd block decodes to.
const zstdMaxBlock = 128 << 10

// blobSlack is room for the decoder's fast copies past the output's end.
const blobSlack = 64

// blobReader reads decoded bytes, then ends with err (io.EOF if none).
type blobReader struct {
	b    []byte
	err  error
	done func() // gives the buffer back
}

func (b *blobReader) Read(p []byte) (int, error) {
	if b.done == nil {
		return 0, errReadAfterClose
	}
	if len(b.b) == 0 {
		return 0, b.err
	}
	n := copy(p, b.b)
	b.b = b.b[n:]
	return n, nil
}

func (b *blobReader) Close() error {
	b.b = nil
	if b.done != nil {
		b.done()
		b.done = nil
	}
	return nil
}

// zstdHeaderMax is the longest zstd frame header: magic (4), descriptor
// (1), window (1), dictionary id (4), content size (8).
const zstdHeaderMax = 18

// zstdWindow returns the window size declared by the zstd frame header at
// the start of h (RFC 8878, 3.1.1.1), or 0 when h does not start with one.
// A single-segment frame's window is its content size.
func zstdWindow(h []byte) uint64 {
	if len(h) < 6 || binary.LittleEndian.Uint32(h) != 0xFD2FB528 {
		return 0
	}
	fhd := h[4]
	if fhd&0x20 == 0 { // not single segment: a window descriptor follows
		exp, mant := uint64(h[5]>>3), uint64(h[5]&7)
		base := uint64(1) << (10 + exp)
		return base + base/8*mant
	}
	off := 5 + [4]int{0, 1, 2, 4}[fhd&3]
	switch fhd >> 6 {
	case 0:
		if len(h) > off {
			return uint64(h[off])
		}
	case 1:
		if len(h) >= off+2 {
			return uint64(binary.LittleEndian.Uint16(h[off:])) + 256
		}
	case 2:
		if len(h) >= off+4 {
			return uint64(binary.LittleEndian.Uint32(h[off:]))
		}
	case 3:
		if len(h) >= off+8 {
			return binary.LittleEndian.Uint64(h[off:])
		}
	}
	return 0
}

func (p *decoderPool) putZstd(d *zstd.Decoder, out int64) {
	if out < poolKeepBelow && d.Reset(nil) == nil {
		select {
		case p.zstd <- d:
			return
		default:
		}
	}
	d.Close()
}

// gzipReader returns a gzip decoder reading r (whose header it reads), from
// the pool if one is idle.
func (p *decoderPool) gzipReader(r io.Reader) (*pooledReader, error) {
	var z *inflate.GzipReader
	select {
	case z = <-p.gzip:
		if err := z.Reset(r); err != nil {
			p.putGzip(z)
			return nil, err
		}
	default:
		var err error
		if z, err = inflate.NewGzipReader(r); err != nil {
			return nil, err
		}
	}
	return &pooledReader{r: z, close: func(int64) { p.putGzip(z) }}, nil
}

func (p *decoderPool) putGzip(z *inflate.GzipReader) {
	// Point it at nothing, so that the pool does not keep the last
	// stream's reader (and what that holds) alive.
	_ = z.Close()
	select {
	case p.gzip <- z:
	default:
	}
}

// ZstdDecompressor returns a decompressor for zstd members of zip archives
// (method 93) for archive/zip's RegisterDecompressor. It takes its decoders
// from the Reader's pool, and Close gives them back: a zip of thousands of
// zstd members reuses a few decoders instead of allocating one (and its
// window) per member.
func (x *Reader) ZstdDecompressor() func(io.Reader) io.ReadCloser {
	return func(r io.Reader) io.ReadCloser {
		d, err := x.dec.zstdReader(r)
		if err != nil {
			return errReader{fmt.Errorf("zstd: %w", err)}
		}
		return d
	}
}

// DeflateDecompressor returns a decompressor for deflated members of zip
// archives (method 8) for archive/zip's RegisterDecompressor: an
// inflate.Reader, faster than the standard library's inflater and
// klauspost/compress's, taken from the Reader's pool and reset for each
// member.
func (x *Reader) DeflateDecompressor() func(io.Reader) io.ReadCloser {
	p := x.dec
	return func(r io.Reader) io.ReadCloser {
		f := p.inflater(r)
		return &pooledReader{r: f, close: func(int64) { p.putInflater(f) }}
	}
}

// Inflater returns an inflate.Reader of the DEFLATE stream r from the
// Reader's pool, and the function that gives it back.
func (x *Reader) Inflater(r io.Reader) (*inflate.Reader, func()) {
	f := x.dec.inflater(r)
	return f, func() { x.dec.putInflater(f) }
}

func (p *decoderPool) inflater(r io.Reader) *inflate.Reader {
	select {
	case f := <-p.flate:
		f.Reset(r)
		return f
	default:
		return inflate.NewReader(r)
	}
}

func (p *decoderPool) putInflater(f *inflate.Reader) {
	_ = f.Close() // drops r
	select {
	case p.flate <- f:
	default:
	}
}

// errReader fails every read with err.
type errReader struct{ err error }

func (e errReader) Read([]byte) (int, error) { return 0, e.err }
func (e errReader) Close() error             { return nil }
