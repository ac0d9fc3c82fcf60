package files

import (
	"encoding/binary"
	"math/bits"
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

// nextBit returns the index of the first set bit of m at or after i, or n
// when there is none before n (n is at most 64*len(m)).
func nextBit(m []uint64, i, n int) int {
	k := i >> 6
	if k >= len(m) {
		return n
	}
	if w := m[k] >> (uint(i) & 63); w != 0 {
		return min(i+bits.TrailingZeros64(w), n)
	}
	for k++; k < len(m); k++ {
		if w := m[k]; w != 0 {
			return min(64*k+bits.TrailingZeros64(w), n)
		}
	}
	return n
}

// csvMaskBlocksGo is csvMaskBlocks eight bytes at a time (SWAR).
func csvMaskBlocksGo(b []byte, comma byte, ends, quotes []uint64) {
	const ones = 0x0101010101010101
	mc, mn, mq := ones*uint64(comma), ones*uint64('\n'), ones*uint64('"')
	for k := range ends {
		var e, q uint64
		for j := 0; j < 8; j++ {
			x := binary.LittleEndian.Uint64(b[64*k+8*j:])
			c, n, qq := eqBytes(x^mc), eqBytes(x^mn), eqBytes(x^mq)
			e |= gatherBits(c|n) << (8 * j)
			q |= gatherBits(qq|n) << (8 * j)
		}
		ends[k], quotes[k] = e, q
	}
}

// eqBytes returns 0x80 in each byte of x that is zero, else 0 (exact for
// every byte, unlike the borrow trick).
func eqBytes(x uint64) uint64 {
	const low7, high = 0x7F7F7F7F7F7F7F7F, 0x8080808080808080
	return ^((x&low7 + low7) | x) & high
}

// gatherBits packs the high bits of the eight bytes of x (0x80 or 0) into
// the low eight bits of the result, byte i to bit i.
func gatherBits(x uint64) uint64 {
	return ((x >> 7) * 0x0102040810204080) >> 56
}
