package docs

import (
	"bufio"
	"encoding/binary"
	"errors"
	"io"

	"github.com/piimap/piimap/internal/pump"
)

// Compressed RTF ([MS-OXRTFCP]): an Outlook message's RTF body
// (PR_RTF_COMPRESSED), LZ77 over a 4 KiB dictionary that starts with the
// RTF words below.
const (
	lzfuCompressed   = 0x75465A4C // "LZFu"
	lzfuUncompressed = 0x414C454D // "MELA"
	lzfuInitial      = `{\rtf1\ansi\mac\deff0\deftab720{\fonttbl;}{\f0\fnil \froman \fswiss \fmodern \fscript \fdecor MS Sans SerifSymbolArialTimes New RomanCourier{\colortbl\red0\green0\blue0` + "\r\n" + `\par \pard\plain\f0\fs20\b\i\u\tab\tx`
)

// errLZFu is a compressed RTF header that is neither LZFu nor MELA.
var errLZFu = errors.New("compressed RTF: unknown compression type")

// lzfu decompresses compressed RTF as a stream.
type lzfu struct {
	pump.Buffer
	r      *bufio.Reader
	header bool
	raw    bool  // MELA: the data is the RTF as it is
	left   int64 // bytes of output still expected (the header's raw size)
	dict   [4096]byte
	wp     int // the dictionary's write position
}

func newLZFu(r io.Reader) *lzfu {
	z := &lzfu{r: bufio.NewReader(r)}
	z.wp = copy(z.dict[:], lzfuInitial)
	return z
}

func (z *lzfu) Read(p []byte) (int, error) { return z.Buffer.Read(p, z.step) }

func (z *lzfu) end(err error) {
	z.Done = true
	if err != io.EOF && err != io.ErrUnexpectedEOF {
		z.Err = err // a body cut short is read up to the cut
	}
}

// step reads the header, or one control byte and the up to eight
// literals and references it governs.
func (z *lzfu) step() {
	if !z.header {
		var h [16]byte
		if _, err := io.ReadFull(z.r, h[:]); err != nil {
			z.end(err)
			return
		}
		z.header = true
		z.left = int64(binary.LittleEndian.Uint32(h[4:]))
		switch binary.LittleEndian.Uint32(h[8:]) {
		case lzfuCompressed:
		case lzfuUncompressed:
			z.raw = true
		default:
			z.end(errLZFu)
		}
		return
	}
	if z.left <= 0 {
		z.end(io.EOF)
		return
	}
	if z.raw {
		var buf [4096]byte
		n, err := z.r.Read(buf[:min(int64(len(buf)), z.left)])
		z.Out = append(z.Out, buf[:n]...)
		z.left -= int64(n)
		if err != nil {
			z.end(err)
		}
		return
	}
	ctl, err := z.r.ReadByte()
	if err != nil {
		z.end(err)
		return
	}
	for bit := 0; bit < 8 && z.left > 0; bit++ {
		if ctl>>bit&1 == 0 {
			c, err := z.r.ReadByte()
			if err != nil {
				z.end(err)
				return
			}
			z.put(c)
			continue
		}
		var ref [2]byte
		if _, err := io.ReadFull(z.r, ref[:]); err != nil {
			z.end(err)
			return
		}
		v := int(binary.BigEndian.Uint16(ref[:]))
		off, n := v>>4, v&0xF+2
		if off == z.wp {
			z.end(io.EOF) // the end marker
			return
		}
		for i := 0; i < n && z.left > 0; i++ {
			z.put(z.dict[(off+i)%len(z.dict)])
		}
	}
}

// put writes one byte of output and adds it to the dictionary.
func (z *lzfu) put(c byte) {
	z.Out = append(z.Out, c)
	z.dict[z.wp] = c
	z.wp = (z.wp + 1) % len(z.dict)
	z.left--
}
