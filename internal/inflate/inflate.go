// Package inflate decompresses DEFLATE streams (RFC 1951) for the
// readers of compressed files and archive members: gzip files, zip
// members, Office and OpenDocument parts. It decodes faster than
// compress/flate and klauspost/compress/flate, which both read their input
// a byte at a time through a byte reader: a Reader refills a 64-bit bit
// buffer eight bytes at a time from its own input buffer, decodes a
// literal/length code and its extra bits with one table lookup, and copies
// a match eight bytes at a time. Its output is the same as theirs for
// every stream, and it fails on every stream they reject (FuzzInflate); on
// a stream cut short it decodes, as zlib does, every code whose bits are
// all there, where compress/flate may stop a code earlier.
package inflate

import (
	"encoding/binary"
	"errors"
	"fmt"
	"io"
)

const (
	windowSize = 32 << 10  // the history a distance can reach
	outSize    = 128 << 10 // the output decoded between slides of the window
	// fillLimit is where decoding into the window stops: the window is
	// full, and Read slides it once its output is returned.
	fillLimit = windowSize + outSize
	// outSlack is the room after the decoding limit: a match of the
	// longest length may start at the limit, and its copy writes up to
	// sixteen bytes past its end.
	outSlack = 258 + 16
	inSize   = 32 << 10 // the input buffer
	// inKeep is the input kept before the read position when the input
	// buffer is refilled: the bytes still in the bit buffer, so that the
	// end of the stream can be told exactly (Unread).
	inKeep = 8
)

// ErrCorrupt is the error of an invalid DEFLATE stream.
var ErrCorrupt = errors.New("inflate: invalid deflate data")

// corrupt returns ErrCorrupt with what was wrong and where.
func corrupt(what string, at int64) error {
	return fmt.Errorf("%w: %s at input byte %d", ErrCorrupt, what, at)
}

// Block states.
const (
	stHeader  = iota // at a block header
	stHuffman        // inside a compressed block
	stStored         // inside a stored block, z.stored bytes left
	stDone           // after the final block
)

// A Reader decompresses a DEFLATE stream read from an io.Reader. It reads
// ahead of the stream's end by up to its input buffer (see Unread). Reset
// makes it read another stream without allocating. It is not safe for
// concurrent use.
type Reader struct {
	r     io.Reader
	in    []byte // in[pos:end] is the input not yet in the bit buffer
	pos   int
	end   int
	eof   bool  // r returned io.EOF (or another error, in err)
	inOff int64 // the input offset of in[0]

	bits  uint64 // the bit buffer: the next input bits, from bit 0
	nbits uint   // how many of its bits are valid

	win  []byte // the window: win[:w] is output, the last windowSize bytes of it history
	w    int
	rpos int // win[rpos:w] is output not yet returned by Read

	state  int
	final  bool // the current block is the last
	stored int  // a stored block's bytes still to copy
	err    error

	lit  *[litTableSize]uint32 // the current block's tables
	dist *[distTableSize]uint32
	// dynLit and dynDist hold a dynamic block's tables.
	dynLit  [litTableSize]uint32
	dynDist [distTableSize]uint32
	lens    [numLitLen + numDist + 32]uint8
	clen    [1 << clenBits]uint32
}

// NewReader returns a Reader decompressing the DEFLATE stream of r.
func NewReader(r io.Reader) *Reader {
	z := &Reader{}
	z.alloc()
	z.Reset(r)
	return z
}

// alloc makes z's input buffer and window.
func (z *Reader) alloc() {
	z.in, z.win = make([]byte, inSize), make([]byte, fillLimit+outSlack)
}

// Reset makes z decompress the DEFLATE stream of r from its start, keeping
// its buffers.
func (z *Reader) Reset(r io.Reader) {
	z.r = r
	z.pos, z.end, z.eof, z.inOff = 0, 0, false, 0
	z.bits, z.nbits = 0, 0
	z.restart()
}

// restart makes z decode a new DEFLATE stream from where its input is
// (the next gzip member), with no history.
func (z *Reader) restart() {
	z.unbuffer()
	z.w, z.rpos = 0, 0
	z.state, z.final, z.stored, z.err = stHeader, false, 0, nil
}

// readByte returns the next input byte, which must be byte-aligned with
// the bit buffer given back (unbuffer), or false at the input's end.
func (z *Reader) readByte() (byte, bool) {
	if z.pos == z.end {
		if z.fill(); z.pos == z.end {
			return 0, false
		}
	}
	c := z.in[z.pos]
	z.pos++
	return c, true
}

// Close drops the reader z reads from. It does not close it.
func (z *Reader) Close() error {
	z.r = nil
	return nil
}

// Read reads decompressed bytes into p. At the stream's end it returns
// io.EOF; a stream cut short gives io.ErrUnexpectedEOF and an invalid one
// an error wrapping ErrCorrupt.
func (z *Reader) Read(p []byte) (int, error) {
	for {
		if z.rpos < z.w {
			n := copy(p, z.win[z.rpos:z.w])
			z.rpos += n
			return n, nil
		}
		if z.err != nil {
			return 0, z.err
		}
		if len(p) == 0 {
			return 0, nil
		}
		if z.w >= fillLimit {
			// Slide: keep the last windowSize bytes as history.
			copy(z.win, z.win[z.w-windowSize:z.w])
			z.w, z.rpos = windowSize, windowSize
		}
		z.decode()
	}
}

// Unread returns the input z read past the end of the stream, which ended
// (Read returned io.EOF): what follows the DEFLATE stream in r (a gzip
// trailer, the next member), to be read before the rest of r.
func (z *Reader) Unread() []byte {
	return z.in[z.pos-int(z.nbits/8) : z.end]
}

// fill reads more input into in, keeping the inKeep bytes before pos.
func (z *Reader) fill() {
	if z.eof {
		return
	}
	if keep := max(z.pos-inKeep, 0); keep > 0 {
		copy(z.in, z.in[keep:z.end])
		z.pos -= keep
		z.end -= keep
		z.inOff += int64(keep)
	}
	for tries := 0; z.end < len(z.in) && tries < 100; tries++ {
		n, err := z.r.Read(z.in[z.end:])
		z.end += n
		if err != nil {
			z.eof = true
			if err != io.EOF {
				z.err = err
			}
			return
		}
		if n > 0 {
			return
		}
	}
	if z.end == z.pos {
		z.eof, z.err = true, io.ErrNoProgress
	}
}

// need makes the bit buffer hold at least n bits (n <= 56). It reports
// false, with z.err set, when the input ends before (the stream is cut
// short) or fails.
func (z *Reader) need(n uint) bool {
	if z.nbits >= n {
		return true
	}
	if z.refill(); z.nbits >= n {
		return true
	}
	if z.err == nil {
		z.err = io.ErrUnexpectedEOF
	}
	return false
}

// refill fills the bit buffer to at least 56 bits, or with what is left of
// the input: eight bytes at a time while eight are left in the input
// buffer, else a byte at a time, reading more input as needed.
func (z *Reader) refill() {
	for {
		if z.end-z.pos >= 8 {
			z.bits |= binary.LittleEndian.Uint64(z.in[z.pos:]) << z.nbits
			z.pos += int(63-z.nbits) >> 3
			z.nbits |= 56
			return
		}
		for z.nbits <= 56 && z.pos < z.end {
			z.bits |= uint64(z.in[z.pos]) << z.nbits
			z.pos++
			z.nbits += 8
		}
		if z.nbits > 56 || z.eof {
			return
		}
		z.fill()
	}
}

// take returns the next n bits (n <= 32), which the bit buffer holds.
func (z *Reader) take(n uint) uint32 {
	v := uint32(z.bits & (1<<n - 1))
	z.bits >>= n
	z.nbits -= n
	return v
}

// at returns the input offset of the next bit, for errors.
func (z *Reader) at() int64 {
	return z.inOff + int64(z.pos) - int64(z.nbits/8)
}

// decode decodes blocks into the window until it is full to its limit,
// the stream ends or an error is met (in z.err).
func (z *Reader) decode() {
	for z.err == nil {
		switch z.state {
		case stDone:
			z.err = io.EOF
			return
		case stHeader:
			if z.final {
				z.state = stDone
				continue
			}
			if !z.need(3) {
				return
			}
			z.final = z.take(1) == 1
			switch z.take(2) {
			case 0:
				z.storedHeader()
			case 1:
				z.lit, z.dist = fixedLit, fixedDist
				z.state = stHuffman
			case 2:
				z.dynamicHeader()
			default:
				z.err = corrupt("block type 3", z.at())
			}
		case stStored:
			if !z.copyStored() {
				return
			}
		case stHuffman:
			if !z.huffman() {
				return
			}
		}
	}
}

// storedHeader reads a stored block's lengths, after which its bytes start
// on the next byte boundary. The whole bytes left in the bit buffer go back
// to the input (the bits above nbits may hold input too, which the stored
// bytes must not be mixed with), so its bytes are copied from the input.
func (z *Reader) storedHeader() {
	z.take(z.nbits % 8)
	z.unbuffer()
	if !z.need(32) {
		return
	}
	n, nn := z.take(16), z.take(16)
	z.unbuffer()
	if n != ^nn&0xffff {
		z.err = corrupt("stored block length", z.at())
		return
	}
	z.stored, z.state = int(n), stStored
}

// unbuffer gives the whole bytes of the bit buffer back to the input and
// empties it. fill keeps inKeep bytes before pos, so they are still there.
func (z *Reader) unbuffer() {
	z.pos -= int(z.nbits / 8)
	z.bits, z.nbits = 0, 0
}

// copyStored copies a stored block's bytes from the input into the window. It reports false when the window is
// full or the input ended (z.err).
func (z *Reader) copyStored() bool {
	for z.stored > 0 {
		if z.w >= fillLimit {
			return false
		}
		if z.pos == z.end {
			if z.fill(); z.pos == z.end {
				if z.err == nil {
					z.err = io.ErrUnexpectedEOF
				}
				return false
			}
		}
		n := copy(z.win[z.w:min(z.w+z.stored, fillLimit)], z.in[z.pos:z.end])
		z.w += n
		z.pos += n
		z.stored -= n
	}
	z.state = stHeader
	return true
}

// dynamicHeader reads a dynamic block's code lengths and builds its
// tables.
func (z *Reader) dynamicHeader() {
	if !z.need(14) {
		return
	}
	nlit := int(z.take(5)) + 257
	ndist := int(z.take(5)) + 1
	nclen := int(z.take(4)) + 4
	if nlit > numLitLen || ndist > numDist {
		z.err = corrupt("too many codes", z.at())
		return
	}
	var cl [19]uint8
	for i := range nclen {
		if !z.need(3) {
			return
		}
		cl[clenOrder[i]] = uint8(z.take(3))
	}
	if !buildTable(z.clen[:], cl[:], clenBits, clenEntry) {
		z.err = corrupt("code length code", z.at())
		return
	}
	lens := z.lens[:nlit+ndist]
	for i := 0; i < len(lens); {
		// A code is looked up in the bits there are (those above
		// nbits are zero at the input's end), and then must have
		// been there whole.
		if z.nbits < clenBits+7 {
			z.refill()
		}
		e := z.clen[z.bits&(1<<clenBits-1)]
		if e&entKind == 0 {
			z.err = corrupt("code length code", z.at())
			return
		}
		if !z.need(uint(e & 15)) {
			return
		}
		z.take(uint(e & 15))
		sym := int(e >> 16)
		if sym < 16 {
			lens[i] = uint8(sym)
			i++
			continue
		}
		var rep int
		var val uint8
		switch sym {
		case 16:
			if i == 0 {
				z.err = corrupt("repeat of no code length", z.at())
				return
			}
			if !z.need(2) {
				return
			}
			rep, val = 3+int(z.take(2)), lens[i-1]
		case 17:
			if !z.need(3) {
				return
			}
			rep = 3 + int(z.take(3))
		default:
			if !z.need(7) {
				return
			}
			rep = 11 + int(z.take(7))
		}
		if i+rep > len(lens) {
			z.err = corrupt("code lengths overrun", z.at())
			return
		}
		for range rep {
			lens[i] = val
			i++
		}
	}
	if !buildTable(z.dynLit[:], lens[:nlit], litBits, litEntry) {
		z.err = corrupt("literal/length code", z.at())
		return
	}
	if !buildTable(z.dynDist[:], lens[nlit:], distBits, distEntry) {
		z.err = corrupt("distance code", z.at())
		return
	}
	z.lit, z.dist = &z.dynLit, &z.dynDist
	z.state = stHuffman
}

// cut fails a stream that ended inside a code.
func (z *Reader) cut() bool {
	z.err = io.ErrUnexpectedEOF
	return false
}

// huffman decodes a compressed block's codes into the window until the
// block ends (true), the window is full to its limit or an error is met
// (false). While eight input bytes are left, the bit buffer is refilled
// eight bytes at a time without a branch; near the end of the input need
// refills it a byte at a time.
func (z *Reader) huffman() bool {
	lit, dist := z.lit, z.dist
	win := z.win
	w := z.w
	bitbuf, nbits := z.bits, z.nbits
	for {
		if w >= fillLimit {
			z.w, z.bits, z.nbits = w, bitbuf, nbits
			return false
		}
		// A literal/length code with its extra bits and a distance
		// code with its extra bits take at most 15+5+15+13 = 48 bits.
		// Near the input's end the bit buffer holds what is left: then
		// nbits wraps below zero (above 64) when a code takes more, and
		// the stream was cut short.
		if nbits < 48 {
			if z.end-z.pos >= 8 {
				bitbuf |= binary.LittleEndian.Uint64(z.in[z.pos:]) << nbits
				z.pos += int(63-nbits) >> 3
				nbits |= 56
			} else {
				z.w, z.bits, z.nbits = w, bitbuf, nbits
				if z.refill(); z.err != nil {
					return false
				}
				bitbuf, nbits = z.bits, z.nbits
			}
		}
		e := lit[bitbuf&(1<<litBits-1)]
		if e&entKind == entLink {
			bitbuf >>= litBits
			nbits -= litBits
			e = lit[e>>16+uint32(bitbuf)&(1<<(e>>4&15)-1)]
		}
		n := uint(e & 15)
		bitbuf >>= n
		nbits -= n
		if nbits > 64 {
			z.w = w
			return z.cut()
		}
		switch e & entKind {
		case entLiteral:
			win[w] = byte(e >> 16)
			w++
			// A literal takes at most 15 bits: a second one can
			// be decoded before the refill (most literals come in
			// runs). Anything else is looked up again there.
			e = lit[bitbuf&(1<<litBits-1)]
			if e&entKind == entLiteral {
				n = uint(e & 15)
				bitbuf >>= n
				nbits -= n
				if nbits > 64 {
					z.w = w
					return z.cut()
				}
				win[w] = byte(e >> 16)
				w++
			}
			continue
		case entLength:
		case entEOB:
			z.w, z.bits, z.nbits = w, bitbuf, nbits
			z.state = stHeader
			return true
		default:
			z.w, z.bits, z.nbits = w, bitbuf, nbits
			z.err = corrupt("invalid literal/length code", z.at())
			return false
		}
		x := uint(e >> 4 & 15)
		length := int(e>>16) + int(bitbuf&(1<<x-1))
		bitbuf >>= x
		nbits -= x
		e = dist[bitbuf&(1<<distBits-1)]
		if e&entKind == entLink {
			bitbuf >>= distBits
			nbits -= distBits
			e = dist[e>>16+uint32(bitbuf)&(1<<(e>>4&15)-1)]
		}
		n = uint(e & 15)
		bitbuf >>= n
		nbits -= n
		if e&entKind != entLength {
			z.w, z.bits, z.nbits = w, bitbuf, nbits
			if nbits > 64 {
				return z.cut()
			}
			z.err = corrupt("invalid distance code", z.at())
			return false
		}
		x = uint(e >> 4 & 15)
		d := int(e>>16) + int(bitbuf&(1<<x-1))
		bitbuf >>= x
		nbits -= x
		if nbits > 64 {
			z.w = w
			return z.cut()
		}
		if d > w {
			z.w, z.bits, z.nbits = w, bitbuf, nbits
			z.err = corrupt("distance too far back", z.at())
			return false
		}
		src := w - d
		if d >= 8 && (length <= 16 || d >= 32) {
			// Eight bytes at a time, the first sixteen without a
			// loop (most matches are short): each word's source is
			// before its destination, written already.
			m := win[w : w+length+16]
			s := win[src : src+length+16]
			binary.LittleEndian.PutUint64(m, binary.LittleEndian.Uint64(s))
			binary.LittleEndian.PutUint64(m[8:], binary.LittleEndian.Uint64(s[8:]))
			for i := 16; i < length; i += 8 {
				binary.LittleEndian.PutUint64(m[i:], binary.LittleEndian.Uint64(s[i:]))
			}
		} else {
			// A short period repeated (a run of one byte, an
			// indentation): copied from the match's source to its
			// end so far, which doubles each time. Eight-byte words
			// would each read bytes the word before had just
			// written, which the processor cannot forward (1.4 GB/s
			// against 6 for a run of zeros).
			end := w + length
			for p := w; p < end; {
				p += copy(win[p:end], win[src:p])
			}
		}
		w += length
	}
}
