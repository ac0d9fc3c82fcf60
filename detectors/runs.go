package detectors

import (
	"bytes"
	"encoding/binary"
	"math/bits"
	"slices"

	"github.com/piimap/piimap/internal/bitmask"
)

// runScan holds what the digit-run scan finds in a buffer, and its
// buffers, kept across Reset.
type runScan struct {
	d, u []uint64 // the digit and upper-case masks of each 64-byte block
	// c are the colon masks of the blocks, the time stamps' colons
	// cleared: where IPv6 addresses can be.
	c    []uint64
	runs []Run
	// upper2 are the runs (indices into runs) right after two upper-case
	// ASCII letters (the IBAN candidates).
	upper2 []int32
	// stamps are the time stamps' bytes (isoStampEnd, clfStampEnd), in
	// order. Their digits are in no run, and their colons are no IPv6
	// address's.
	stamps []Run
	// dates are the ISO dates outside stamps (isoDate), in order: their
	// digits are in no run either.
	dates []Run
	cur   int // where Input.stampTime's search starts
}

// Runs returns the maximal digit runs of Buf in order, outside time
// stamps (isoStampEnd, clfStampEnd), ISO dates (isoDate) and HTTP versions
// (clearHTTPVersions): a log line's date and time are no identifier, phone
// number or card, and half the digit runs of a log are in them; a date
// column of an export holds a third of its runs. It classifies 64 bytes at
// a time into bit masks and walks only the run edges, so its cost is a few
// instructions per 8 bytes plus a few per run.
func (in *Input) Runs() []Run {
	if !in.runsDone {
		in.runsDone = true
		in.rs.scan(in.Buf)
	}
	return in.rs.runs
}

// stamps returns the time stamps of Buf in order (see Runs).
func (in *Input) stamps() []Run {
	in.Runs()
	return in.rs.stamps
}

// colons returns the colon masks of Buf's 64-byte blocks (bit i of
// element k for Buf[64k+i]; the last block padded with zero bytes),
// without the colons of time stamps.
func (in *Input) colons() []uint64 {
	in.Runs()
	return in.rs.c
}

// scan finds the runs, the IBAN starts and the time stamps of b. Each
// block of 64 bytes becomes a mask of its digits, one of its upper-case
// letters and one of its colons; the time stamps' digits and colons, and
// the digits of ISO dates and HTTP versions, are cleared from those masks
// (a stamp or a date starts with a run of four digits, a version with a
// run after upper-case letters, which the masks give a few instructions
// per block, and their bytes are checked only there); then the runs are
// read from the masks.
func (s *runScan) scan(b []byte) {
	// The last block is shorter, or empty: classified from a copy padded
	// with zero bytes (neither class), which ends an open run at len(b).
	full := len(b) / 64
	nb := full + 1
	s.d = slices.Grow(s.d[:0], nb)[:nb]
	s.u = slices.Grow(s.u[:0], nb)[:nb]
	s.c = slices.Grow(s.c[:0], nb)[:nb]
	if full > 0 {
		byteMasks(b[:64*full], s.d[:full], s.u[:full], s.c[:full])
	}
	var tail [64]byte
	copy(tail[:], b[64*full:])
	// (byteMasks: a chunk of a few cells, a column's, is all tail.)
	byteMasks(tail[:], s.d[full:], s.u[full:], s.c[full:])
	s.stamps, s.dates = clearStamps(s.stamps[:0], s.dates[:0], b, s.d, s.c, s.u)
	s.cur = 0
	s.runs, s.upper2 = appendRuns(s.runs[:0], s.upper2[:0], s.d, s.u)
}

// The digit patterns of the fixed parts of time stamps, bit i for the
// i-th byte from the year (isoStampEnd, clfStampEnd): 2026-03-01T16:09:54
// and a byte that is no digit, and 2026:03:40:52 and one that is none.
const (
	isoDigits, isoLen   = 0b0_11_0_11_0_11_0_11_0_11_0_1111, 20
	clfDigits, clfLen   = 0b0_11_0_11_0_11_0_1111, 14
	dateDigits, dateLen = 0b0_11_0_11_0_1111, 11 // 2024-01-31 and a byte that is no digit
)

// clearStamps appends the time stamps of b to stamps and clears their
// digits from d, b's digit masks, and their colons from c, its colon
// masks. It clears the digits of the ISO dates outside stamps too
// (isoDate), which are not stamps: they hold no time of day (appended to
// dates, for the dates of birth), and those of
// the HTTP versions (clearHTTPVersions), found with the upper-case masks
// u in the same pass over the blocks.
func clearStamps(stamps, dates []Run, b []byte, d, c, u []uint64) ([]Run, []Run) {
	var prev uint64  // the digit mask of the block before, stamps cleared
	var prevU uint64 // its upper-case mask
	last := 0        // the end of the last stamp
	for k, w := range d {
		var next uint64
		if k+1 < len(d) {
			next = d[k+1]
		}
		// A stamp's year is a run of exactly four digits: a digit after
		// none, followed by three and then by none.
		starts := w &^ (w<<1 | prev>>63)
		// An HTTP version's run starts after upper-case letters and a
		// byte ("TP/"; clearHTTPVersions reads the rest).
		uk := u[k]
		if h := starts & (uk<<2 | prevU>>62) & (uk<<3 | prevU>>61); h != 0 {
			clearHTTPVersions(b, d, k, h)
		}
		prevU = uk
		four := starts & (w>>1 | next<<63) & (w>>2 | next<<62) & (w>>3 | next<<61) &^ (w>>4 | next<<60)
		for ; four != 0; four &= four - 1 {
			off := bits.TrailingZeros64(four)
			p := 64*k + off
			if p < last {
				continue // a fraction's four digits
			}
			// The digits from p on, as far as the two masks go (a shift
			// by 64 gives 0).
			x := w>>off | next<<(64-off)
			// Both digit patterns can hold ("2026:03:40:52 20/00").
			e := -1
			if x&(1<<isoLen-1) == isoDigits {
				e = isoStampEnd(b, p)
			}
			if e < 0 && x&(1<<clfLen-1) == clfDigits {
				e = clfStampEnd(b, p)
			}
			if e > 0 {
				stamps = append(stamps, Run{Start: p, End: e})
				clearSpan(d, c, p, e)
				last = e
			} else if x&(1<<dateLen-1) == dateDigits && isoDate(b, p) {
				clearSpan(d, c, p, p+dateLen-1) // (a date has no colon)
				last = p + dateLen - 1
				dates = append(dates, Run{Start: p, End: last})
			}
		}
		prev = d[k]
	}
	return stamps, dates
}

// clearHTTPVersions clears from the digit masks d the digits of the HTTP
// versions of b whose run starts at a bit of h in block k (candidates: the
// runs after two upper-case letters and a byte): "HTTP/1.1", "HTTP/2",
// "HTTP/1.0" and no digit after, as every line of an access log has them.
// They are no identifier, phone number or card, and they were a tenth of
// an access log's digit runs.
func clearHTTPVersions(b []byte, d []uint64, k int, h uint64) {
	for ; h != 0; h &= h - 1 {
		p := 64*k + bits.TrailingZeros64(h)
		if p < 5 || b[p-1] != '/' || string(b[p-5:p-1]) != "HTTP" {
			continue
		}
		e := p + 1
		if e+1 < len(b) && b[e] == '.' && IsDigit(b[e+1]) {
			e += 2
		}
		if e < len(b) && IsDigit(b[e]) {
			continue // HTTP/11, HTTP/1.12: not a version
		}
		clearBits(d, p, e)
	}
}

// clearSpan clears bits lo to hi-1 of the bit strings d and c (bit i of
// d[k] is bit 64k+i, both as long): a stamp's bits, most often fewer than
// 64, with a mask over one word or two.
func clearSpan(d, c []uint64, lo, hi int) {
	n := uint(hi - lo)
	if n >= 64 {
		clearBits(d, lo, hi)
		clearBits(c, lo, hi)
		return
	}
	k, off := lo>>6, uint(lo&63)
	m := uint64(1)<<n - 1
	d[k] &^= m << off
	c[k] &^= m << off
	if off+n > 64 { // the span runs into the next word
		m >>= 64 - off
		d[k+1] &^= m
		c[k+1] &^= m
	}
}

// clearBits clears bits lo to hi-1 of the bit string d (bit i of d[k] is
// bit 64k+i).
func clearBits(d []uint64, lo, hi int) {
	for lo < hi {
		k, off := lo/64, uint(lo%64)
		n := uint(min(64-int(off), hi-lo))
		d[k] &^= (1<<n - 1) << off // n == 64: 1<<64 is 0 in Go, so the mask is all ones
		lo += int(n)
	}
}

// isoDate reports whether b[p:p+10] is an ISO 8601 date on its own
// (2024-01-31, a year 1900–2099, a month and a day of one), given that
// b[p:] has the digits and the byte that is none of dateDigits: not after
// '-', '.', '+', '/' or ':', and not joined to a digit after it by one of
// them. Its digits are no identifier, phone number, card or account (a
// year 19xx or 20xx starts no Norwegian number, four digits and two groups
// of two make no card, no account and no national id), and a date column
// of an export or a log's dates would otherwise make three digit runs
// each, one a card and one a phone candidate.
func isoDate(b []byte, p int) bool {
	if b[p+4] != '-' || b[p+7] != '-' || !(b[p] == '1' && b[p+1] == '9' || b[p] == '2' && b[p+1] == '0') {
		return false
	}
	m := (b[p+5]-'0')*10 + b[p+6] - '0'
	d := (b[p+8]-'0')*10 + b[p+9] - '0'
	if m < 1 || m > 12 || d < 1 || d > 31 {
		return false
	}
	if p > 0 && dateGlue[b[p-1]] {
		return false
	}
	e := p + 10
	return !(e+1 < len(b) && dateGlue[b[e]] && IsDigit(b[e+1]))
}

// dateGlue marks the bytes that join a date to digits around it (a
// longer number, a range, a version): then it is no date on its own. A
// constant lookup table.
var dateGlue = [256]bool{'-': true, '.': true, '+': true, '/': true, ':': true}

// isoStampEnd returns the end of the ISO 8601 time stamp whose year is
// at b[p] (2026-03-01T16:09:54, a space for the T, then maybe a fraction
// and a zone), or -1, given that b[p:] has the digits and the byte that is
// none of isoDigits. Its digits are no identifier, phone number or card.
func isoStampEnd(b []byte, p int) int {
	if b[p+4] != '-' || b[p+7] != '-' || b[p+10] != 'T' && b[p+10] != ' ' || b[p+13] != ':' || b[p+16] != ':' {
		return -1
	}
	e := p + 19
	if e+1 < len(b) && b[e] == '.' && IsDigit(b[e+1]) {
		for e++; e < len(b) && IsDigit(b[e]); e++ { // the fraction
		}
	}
	// +01:00: two digits, a colon, two digits and no digit.
	if e+5 < len(b) && (b[e] == '+' || b[e] == '-') && IsDigit(b[e+1]) && IsDigit(b[e+2]) && b[e+3] == ':' &&
		IsDigit(b[e+4]) && IsDigit(b[e+5]) && (e+6 == len(b) || !IsDigit(b[e+6])) && !IsDigit(b[e+3]) {
		e += 6
	}
	return e
}

// clfStampEnd returns the end of the common log format's time stamp whose
// year is at b[p] (2026:03:40:52 after [02/Mar/, then maybe +0100), or -1,
// given that b[p:] has the digits and the byte that is none of clfDigits.
func clfStampEnd(b []byte, p int) int {
	if p < 5 || b[p-1] != '/' || b[p+4] != ':' || b[p+7] != ':' || b[p+10] != ':' {
		return -1
	}
	e := p + 13
	if e+5 < len(b) && b[e] == ' ' && (b[e+1] == '+' || b[e+1] == '-') &&
		IsDigit(b[e+2]) && IsDigit(b[e+3]) && IsDigit(b[e+4]) && IsDigit(b[e+5]) && (e+6 == len(b) || !IsDigit(b[e+6])) {
		e += 6
	}
	return e
}

// byteMasks64 returns the masks of the digits, of the upper-case ASCII
// letters and of the colons of the 64 bytes of b (bit i for b[i]), reading
// each word once.
func byteMasks64(b []byte) (d, u, c uint64) {
	_ = b[63]
	for k := 0; k < 8; k++ {
		x := binary.LittleEndian.Uint64(b[8*k:])
		d |= digitBits8(x) << (8 * k)
		u |= upperBits8(x) << (8 * k)
		c |= colonBits8(x) << (8 * k)
	}
	return d, u, c
}

// byteMask64 returns the mask of the bytes of the 64 bytes of b that are
// c (bit i for b[i]).
func byteMask64(b []byte, c byte) uint64 {
	_ = b[63]
	rep := uint64(c) * 0x0101010101010101
	var m uint64
	for k := 0; k < 8; k++ {
		x := binary.LittleEndian.Uint64(b[8*k:]) ^ rep
		z := bitmask.ZeroBytes(x) >> 7 // bit 8i: byte i is c
		m |= (z * 0x0102040810204080) >> 56 << (8 * k)
	}
	return m
}

// equals returns the masks of the '=' bytes of Buf's 64-byte blocks (bit i
// of element k for Buf[64k+i]), found on first use.
// keySep is a key's separator, '=' or ':', at P in Buf, whose key's last
// bytes may end a password's key (sepPassword) or a name's (sepName).
type keySep struct {
	P    int32
	Kind uint8
}

// The kinds of key separators.
const (
	sepPassword = 1 << iota // …word, …wd, …ord, …ort, …ase, …ana, …ode, …pin, …ass: ClassifyColumn decides
	sepName                 // …name, …navn, …namn, …nimi
)

// keySeps returns the '=' and ':' bytes of Buf (the colons outside time
// stamps) whose key's last three bytes, past a closing quote, may end a
// password's or a name's key, in order: one walk over the masks for both
// detectors that read keys in free text.
func (in *Input) keySeps() []keySep {
	if in.sepsDone {
		return in.seps
	}
	in.sepsDone = true
	b := in.Buf
	seps := in.seps[:0]
	colons, eq := in.colons(), in.equals()
	for k := range min(len(colons), len(eq)) {
		for w := colons[k] | eq[k]; w != 0; w &= w - 1 {
			p := 64*k + bits.TrailingZeros64(w)
			q := p
			if q > 0 && q <= len(b) && (b[q-1] == '"' || b[q-1] == '\'') {
				q--
			}
			if q < 3 || p >= len(b) {
				continue
			}
			if kind := keyTail(b[q-3 : q]); kind != 0 {
				seps = append(seps, keySep{P: int32(p), Kind: kind})
			}
		}
	}
	in.seps = seps
	return seps
}

// keyTail returns the kind of key whose name the last three bytes of a
// key, t, can end, in any case (sepPassword, sepName), or 0: one switch
// for both; ClassifyColumn decides.
func keyTail(t []byte) uint8 {
	switch uint32(t[0]|0x20)<<16 | uint32(t[1]|0x20)<<8 | uint32(t[2]|0x20) {
	case 'o'<<16 | 'r'<<8 | 'd', 's'<<16 | 'w'<<8 | 'd', 'p'<<16 | 'w'<<8 | 'd', 'o'<<16 | 'r'<<8 | 't',
		'a'<<16 | 's'<<8 | 'e', 'a'<<16 | 'n'<<8 | 'a', 'o'<<16 | 'd'<<8 | 'e', 'p'<<16 | 'i'<<8 | 'n',
		'a'<<16 | 's'<<8 | 's':
		return sepPassword
	case 'a'<<16 | 'm'<<8 | 'e', 'a'<<16 | 'v'<<8 | 'n', 'a'<<16 | 'm'<<8 | 'n', 'i'<<16 | 'm'<<8 | 'i':
		return sepName
	}
	return 0
}

func (in *Input) equals() []uint64 {
	if in.eqDone {
		return in.eq
	}
	in.eqDone = true
	b := in.Buf
	full := len(b) / 64
	in.eq = slices.Grow(in.eq[:0], full+1)[:full+1]
	if full > 0 {
		byteMask(b[:64*full], in.eq[:full], '=')
	}
	var tail [64]byte
	copy(tail[:], b[64*full:])
	byteMask(tail[:], in.eq[full:], '=')
	return in.eq
}

// colonBits8 returns a mask with bit i set when byte i of x (little endian)
// is ':'.
func colonBits8(x uint64) uint64 {
	c := bitmask.ZeroBytes(x^0x3A3A3A3A3A3A3A3A) >> 7 // bit 8i: byte i is ':'
	return (c * 0x0102040810204080) >> 56
}

// upperBits8 returns a mask with bit i set when byte i of x (little endian)
// is an upper-case ASCII letter: byte^0x40 is 1 … 26 for A … Z.
func upperBits8(x uint64) uint64 {
	const (
		low7 = 0x7F7F7F7F7F7F7F7F
		high = 0x8080808080808080
	)
	t := x ^ 0x4040404040404040
	over := ((t & low7) + 0x6565656565656565) | t // high bit: t >= 27 (or a byte >= 0x80)
	nonzero := (t & low7) + low7 | t              // high bit: t != 0
	u := (^over & nonzero & high) >> 7
	return (u * 0x0102040810204080) >> 56
}

// digitBits8 returns a mask with bit i set when byte i of x (little endian)
// is an ASCII digit.
func digitBits8(x uint64) uint64 {
	const (
		zeros = 0x3030303030303030
		low7  = 0x7F7F7F7F7F7F7F7F
		high  = 0x8080808080808080
		add   = 0x7676767676767676 // 0x80 - 10: sets the high bit when (b^'0')&0x7f >= 10
	)
	t := x ^ zeros
	notDigit := ((t & low7) + add) | t
	d := (^notDigit & high) >> 7
	return (d * 0x0102040810204080) >> 56
}

// appendRuns appends the digit runs of the digit masks d to runs, and to
// upper2 the indices of those that come right after two upper-case ASCII
// letters (u, the upper-case masks). The run starts and the run ends of
// each block are written in two branch-free loops over their bits (the
// k-th start and the k-th end belong to the same run), so that the cost
// does not depend on how runs alternate. The last block must end with a
// byte that is no digit.
func appendRuns(runs []Run, upper2 []int32, d, u []uint64) ([]Run, []int32) {
	var prev, prevUp uint64        // the digit and upper-case masks of the block before
	ns, ne := len(runs), len(runs) // where the next start and the next end go
	for k, dk := range d {
		up, base := u[k], 64*k
		shifted := dk<<1 | prev>>63
		starts := dk &^ shifted
		if after := starts & (up<<1 | prevUp>>63) & (up<<2 | prevUp>>62); after != 0 {
			for ; after != 0; after &= after - 1 {
				tz := bits.TrailingZeros64(after)
				upper2 = append(upper2, int32(ns+bits.OnesCount64(starts&(1<<tz-1))))
			}
		}
		prev, prevUp = dk, up
		if len(runs) < ns+33 {
			runs = slices.Grow(runs[:ns], 64+ns/2)
			runs = runs[:cap(runs)]
		}
		// A block of a few run edges (most of prose's have none) is
		// written by loops, whose exits the processor predicts there.
		ends := ^dk & shifted
		if bits.OnesCount64(starts|ends) > 4 {
			ns = putBits(runs, ns, base, starts, false)
			ne = putBits(runs, ne, base, ends, true)
			continue
		}
		for ; starts != 0; starts &= starts - 1 {
			runs[ns].Start = base + bits.TrailingZeros64(starts)
			ns++
		}
		for ; ends != 0; ends &= ends - 1 {
			runs[ne].End = base + bits.TrailingZeros64(ends)
			ne++
		}
	}
	return runs[:ne], upper2
}

// putBits writes base plus the index of each set bit of m, in order, to
// the Start (or, with end, the End) of runs[at], runs[at+1], …, and
// returns the index after the last. The first eight are written without
// a branch, whatever m holds (appendRuns calls it for a block of more
// than four run edges; a block of a log has about eight runs): the
// writes past the last bit put junk into runs that later blocks write
// again, as runs has room for 33 more beyond at, and the loop for the rest
// is rarely entered. A loop of one write per bit mispredicts its exit once
// per block and mask. The writes are spelt out, eight for each field: a
// loop writing the eight from an array made the run scan 15–20 % slower.
func putBits(runs []Run, at, base int, m uint64, end bool) int {
	n := bits.OnesCount64(m)
	w := runs[at : at+8 : at+8]
	if end {
		w[0].End = base + bits.TrailingZeros64(m)
		m &= m - 1
		w[1].End = base + bits.TrailingZeros64(m)
		m &= m - 1
		w[2].End = base + bits.TrailingZeros64(m)
		m &= m - 1
		w[3].End = base + bits.TrailingZeros64(m)
		m &= m - 1
		w[4].End = base + bits.TrailingZeros64(m)
		m &= m - 1
		w[5].End = base + bits.TrailingZeros64(m)
		m &= m - 1
		w[6].End = base + bits.TrailingZeros64(m)
		m &= m - 1
		w[7].End = base + bits.TrailingZeros64(m)
		m &= m - 1
		for i := at + 8; m != 0; i++ {
			runs[i].End = base + bits.TrailingZeros64(m)
			m &= m - 1
		}
	} else {
		w[0].Start = base + bits.TrailingZeros64(m)
		m &= m - 1
		w[1].Start = base + bits.TrailingZeros64(m)
		m &= m - 1
		w[2].Start = base + bits.TrailingZeros64(m)
		m &= m - 1
		w[3].Start = base + bits.TrailingZeros64(m)
		m &= m - 1
		w[4].Start = base + bits.TrailingZeros64(m)
		m &= m - 1
		w[5].Start = base + bits.TrailingZeros64(m)
		m &= m - 1
		w[6].Start = base + bits.TrailingZeros64(m)
		m &= m - 1
		w[7].Start = base + bits.TrailingZeros64(m)
		m &= m - 1
		for i := at + 8; m != 0; i++ {
			runs[i].Start = base + bits.TrailingZeros64(m)
			m &= m - 1
		}
	}
	return at + n
}

// Contains reports whether Buf holds word, as bytes.Contains does. When
// word has a colon that is no time stamp's and the digit runs were found
// (a run-based detector ran), only the colons the run scan marked are
// tried: a few per line of a log instead of every byte.
func (in *Input) Contains(word []byte) bool {
	ci := bytes.IndexByte(word, ':')
	if !in.runsDone || ci < 0 || !stampFree(word, ci) {
		return bytes.Contains(in.Buf, word)
	}
	b := in.Buf
	// The bytes right after the colon and at the word's end are compared
	// first: most colons of a log ("kyc: ", "user:4920") fail there
	// without a call.
	after, last := word[ci+1], word[len(word)-1]
	for k, w := range in.rs.c {
		for ; w != 0; w &= w - 1 {
			c := 64*k + bits.TrailingZeros64(w)
			s := c - ci
			if s >= 0 && s+len(word) <= len(b) && b[c+1] == after && b[s+len(word)-1] == last && bytes.Equal(b[s:s+len(word)], word) {
				return true
			}
		}
	}
	return false
}

// stampFree reports whether the colon word[ci] can be no time stamp's: no
// digit on either side of it (a stamp's colons are between digits).
func stampFree(word []byte, ci int) bool {
	return ci > 0 && ci+1 < len(word) && !IsDigit(word[ci-1]) && !IsDigit(word[ci+1])
}
