package inflate

import "math/bits"

// A decode table entry (uint32) says what the bits under it decode to:
//
//	bits 0-3    the bits the entry's code takes (for a subtable link: the
//	            primary table's bits)
//	bits 4-7    the extra bits after the code (a length's or distance's),
//	            or for a subtable link the subtable's index bits
//	bits 8-11   the kind: entLiteral, entLength, entEOB, entLink, or 0,
//	            no code (an invalid or missing symbol)
//	bits 16-31  the literal byte, the length or distance base, or the
//	            subtable's start in the table
const (
	entLiteral = 1 << 8
	entLength  = 2 << 8
	entEOB     = 4 << 8
	entLink    = 8 << 8
	entKind    = 15 << 8
)

const (
	maxCodeLen = 15 // the longest Huffman code DEFLATE allows
	litBits    = 10 // index bits of the literal/length table's primary part
	distBits   = 8  // and of the distance table's
	clenBits   = 7  // the code-length code is at most 7 bits: one table

	// litTableSize and distTableSize bound the tables with their
	// subtables: each subtable has 1<<(maxCodeLen-primary bits) entries
	// and there is at most one per symbol.
	litTableSize  = 1<<litBits + 288<<(maxCodeLen-litBits)
	distTableSize = 1<<distBits + 32<<(maxCodeLen-distBits)

	numLitLen = 286 // literal/length symbols a dynamic block may declare
	numDist   = 30  // and distance symbols
)

// lengthBase and lengthExtra are the base length and extra bits of the
// length symbols 257 … 285 (RFC 1951, 3.2.5).
var (
	lengthBase = [29]uint32{3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31,
		35, 43, 51, 59, 67, 83, 99, 115, 131, 163, 195, 227, 258}
	lengthExtra = [29]uint32{0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2,
		3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0}
	distBase = [30]uint32{1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193,
		257, 385, 513, 769, 1025, 1537, 2049, 3073, 4097, 6145, 8193, 12289, 16385, 24577}
	distExtra = [30]uint32{0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6,
		7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13}
	// clenOrder is the order of the code-length code's lengths in a
	// dynamic block's header.
	clenOrder = [19]uint8{16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15}
)

// litEntry, distEntry and clenEntry return the entry of a symbol, without
// its code length.
func litEntry(sym int) uint32 {
	switch {
	case sym < 256:
		return entLiteral | uint32(sym)<<16
	case sym == 256:
		return entEOB
	case sym <= 285:
		return entLength | lengthExtra[sym-257]<<4 | lengthBase[sym-257]<<16
	}
	return 0 // 286 and 287: in the fixed code, but no symbol
}

func distEntry(sym int) uint32 {
	if sym < 30 {
		return entLength | distExtra[sym]<<4 | distBase[sym]<<16
	}
	return 0 // 30 and 31: in the fixed code, but no distance
}

func clenEntry(sym int) uint32 { return entLiteral | uint32(sym)<<16 }

// buildTable fills tab with the decode table of the canonical Huffman code
// of the code lengths lens (0: no code), whose primary part is indexed by
// the next nb bits of the input: an entry for every bit pattern, or, for
// the codes longer than nb, a link to a subtable indexed by the bits
// after them. entry gives each symbol's entry. It reports false for a code
// that is over-subscribed or incomplete, except a code of one symbol of
// one bit and a code with no symbol, as the standard library (and zlib)
// accept: their missing patterns decode to no symbol (kind 0, of one bit
// and of none), which is an error when met.
func buildTable(tab []uint32, lens []uint8, nb uint, entry func(int) uint32) bool {
	var count [maxCodeLen + 1]int
	maxLen := 0
	for _, n := range lens {
		count[n]++
		maxLen = max(maxLen, int(n))
	}
	count[0] = 0
	primary := tab[:1<<nb]
	// Cleared first: a link left from the last table built in tab
	// would be taken for one of this table's.
	clear(primary)
	if maxLen == 0 {
		return true
	}
	// Kraft: code is the next code of each length; it must end at
	// exactly 1<<maxLen (complete).
	var next [maxCodeLen + 2]int
	code := 0
	for n := 1; n <= maxLen; n++ {
		code = (code + count[n-1]) << 1
		next[n] = code
	}
	if total := code + count[maxLen]; total != 1<<maxLen {
		if maxLen != 1 || count[1] != 1 {
			return false // over-subscribed, or incomplete
		}
		// One code of one bit: the other bit is no code, of one bit.
		for i := range primary {
			primary[i] = 1
		}
	}
	subBits := uint(0)
	if maxLen > int(nb) {
		subBits = uint(maxLen) - nb
	}
	subs := 1 << nb // where the next subtable starts
	for sym, n := range lens {
		if n == 0 {
			continue
		}
		c := next[n]
		next[n]++
		rev := reverse(c, uint(n))
		e := entry(sym)
		if uint(n) <= nb {
			e |= uint32(n)
			for i := rev; i < 1<<nb; i += 1 << n {
				primary[i] = e
			}
			continue
		}
		// A long code: its low nb nb index the primary table,
		// which links to its subtable; the rest index the subtable.
		lo := rev & (1<<nb - 1)
		link := primary[lo]
		if link&entKind != entLink {
			link = entLink | uint32(nb) | uint32(subBits)<<4 | uint32(subs)<<16
			primary[lo] = link
			clear(tab[subs : subs+1<<subBits])
			subs += 1 << subBits
		}
		start := int(link >> 16)
		e |= uint32(uint(n) - nb)
		for i := rev >> nb; i < 1<<subBits; i += 1 << (uint(n) - nb) {
			tab[start+i] = e
		}
	}
	return true
}

// reverse returns the n low bits of c in reverse order: DEFLATE packs a
// Huffman code from its first bit on, and the decoder reads bits from the
// least significant end.
func reverse(c int, n uint) int {
	return int(bits.Reverse16(uint16(c)) >> (16 - n))
}

// fixedLit and fixedDist are the decode tables of the fixed Huffman codes
// (RFC 1951, 3.2.6). Constant lookup tables, built once.
var fixedLit, fixedDist = func() (lit *[litTableSize]uint32, dist *[distTableSize]uint32) {
	var lens [288]uint8
	for i := range lens {
		switch {
		case i < 144:
			lens[i] = 8
		case i < 256:
			lens[i] = 9
		case i < 280:
			lens[i] = 7
		default:
			lens[i] = 8
		}
	}
	lit = new([litTableSize]uint32)
	if !buildTable(lit[:], lens[:], litBits, litEntry) {
		panic("inflate: fixed literal/length code")
	}
	var dl [32]uint8
	for i := range dl {
		dl[i] = 5
	}
	dist = new([distTableSize]uint32)
	if !buildTable(dist[:], dl[:], distBits, distEntry) {
		panic("inflate: fixed distance code")
	}
	return lit, dist
}()
