package files

import (
	"encoding/binary"

	"github.com/piimap/piimap/internal/bitmask"
)

// csvMasks mark the bytes of a CSV parser's buffer that end an unquoted
// field (the delimiter and the line break: ends) and those that end a
// run of a quoted field's content (the quote and the line break: quotes),
// bit i of word k for byte 64k+i. The parser finds a field's end with a
// look at the next set bit, where a search would read the field's bytes
// again: the masks are made sixteen bytes per instruction when the buffer
// is filled (csvMaskBlocks), and most fields end in the word they start in.
type csvMasks struct {
	ends, quotes []uint64
}

// set makes the masks of b, the buffer's content from its start; the bits
// past len(b) in the last word are clear.
func (m *csvMasks) set(b []byte, comma byte) {
	full := len(b) / 64
	nw := (len(b) + 63) / 64
	m.ends = growWords(m.ends, nw)
	m.quotes = growWords(m.quotes, nw)
	if full > 0 {
		csvMaskBlocks(b[:64*full], comma, m.ends[:full], m.quotes[:full])
	}
	if full < nw {
		// The last, shorter block: from a copy padded with zero bytes,
		// whose bits are then cleared (the delimiter may be a zero byte).
		var tail [64]byte
		n := copy(tail[:], b[64*full:])
		csvMaskBlocks(tail[:], comma, m.ends[full:], m.quotes[full:])
		keep := uint64(1)<<n - 1
		m.ends[full] &= keep
		m.quotes[full] &= keep
	}
}

func growWords(w []uint64, n int) []uint64 {
	if cap(w) < n {
		return make([]uint64, n)
	}
	return w[:n]
}

// csvMaskBlocksGo is csvMaskBlocks eight bytes at a time (SWAR).
func csvMaskBlocksGo(b []byte, comma byte, ends, quotes []uint64) {
	const ones = 0x0101010101010101
	mc, mn, mq := ones*uint64(comma), ones*uint64('\n'), ones*uint64('"')
	for k := range ends {
		var e, q uint64
		for j := 0; j < 8; j++ {
			x := binary.LittleEndian.Uint64(b[64*k+8*j:])
			c, n, qq := bitmask.ZeroBytes(x^mc), bitmask.ZeroBytes(x^mn), bitmask.ZeroBytes(x^mq)
			e |= bitmask.PackHigh(c|n) << (8 * j)
			q |= bitmask.PackHigh(qq|n) << (8 * j)
		}
		ends[k], quotes[k] = e, q
	}
}
