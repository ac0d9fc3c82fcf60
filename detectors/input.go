package detectors

import (
	"encoding/binary"
	"math/bits"
	"slices"
)

// Run is a maximal run of ASCII digits in Input.Buf: Buf[Start:End].
type Run struct{ Start, End int }

// Input is one piece of content handed to every detector: a chunk of a file,
// one CSV field, one database value. It computes the digit runs once and
// offers the context helpers detectors share. An Input is reused between
// chunks with Reset; it is not safe for concurrent use.
type Input struct {
	// Buf is the content. Detectors never modify it.
	Buf []byte
	// Key is the column name, CSV header or JSON key path the content came
	// from, or "" for free text. It is context for every value in Buf.
	Key string
	// KeyAt, when set, returns the key path (e.g. "user.email") of the value
	// at byte offset pos, for structured text such as JSON lines: context
	// for the candidates and matches there.
	KeyAt func(pos int) string
	// KeyCut, with KeyAt, is the byte that opens a value in the structured
	// text (JSON's '"', XML's '>'): the words before a value count as its
	// context back to it, not across it to other keys and values. 0: the
	// line's start (YAML, where a value's line holds its own key).
	KeyCut byte
	// FieldAt, when set, returns the bounds in Buf of the field holding
	// the byte at pos, when Buf is a block of several fields of one column
	// (CSV) rather than one value: InRecord judges a value by its own
	// field's length.
	FieldAt func(pos int) (start, end int)

	// CandidateAt, when set, receives every counted candidate instead of
	// the per-Input totals, with its byte offset: structured text (JSON
	// lines) judges candidates per key path, not per chunk.
	CandidateAt func(c Category, pos int, chance float64)

	// ownLo and ownHi bound the offsets whose candidates this Input
	// counts (see Own).
	ownLo, ownHi int
	runs         []Run
	runsDone     bool
	// upper2 are the runs (indices into runs) right after two upper-case
	// ASCII letters, found with the runs (the IBAN candidates).
	upper2 []int32
	// cand holds the candidate runs of the bank-account, CPR, HETU and
	// IBAN detectors, found in one pass on first use (see candidates.go).
	cand     candLists
	candDone bool
	keyCtx   keyContext
	// pathSigs caches KeySignal of the key paths KeyAt returns, which
	// repeat from record to record; kept across Reset, bounded.
	pathSigs map[pathSig]Signal
	cands    [numCategories]int
	expect   [numCategories]float64
	// extra counts candidates of categories outside the built-in list
	// (custom categories of user-defined detectors), in order of first use.
	extra []extraCount
	// failure is the first error a detector reported with Fail since Reset.
	failure error
	// last is the value lastValue returned last.
	last string
}

// lastValue returns b as a string, the one it returned last when b is the
// same text: an access log's client address repeats line after line, and
// each match then costs no allocation.
func (in *Input) lastValue(b []byte) string {
	if string(b) != in.last {
		in.last = string(b)
	}
	return in.last
}

// numCategories is the number of built-in categories: derived from the
// list, so that adding a category is one line in detector.go.
const numCategories = len(builtinCategories)

// extraCount is the candidate count of a category outside Categories.
type extraCount struct {
	cat    Category
	n      int
	expect float64
}

func categoryIndex(c Category) int {
	for i, k := range builtinCategories {
		if k == c {
			return i
		}
	}
	return -1
}

// CountCandidate records that a detector examined one well-shaped candidate
// of category c at Buf[pos] (a standalone 11-digit run for a fødselsnummer),
// whether or not it validated. chance is the probability that a random
// candidate of that shape validates (the detector's chance model, see
// Chance). The scanner compares the matches at a location with what chance
// predicts from the candidates there: when a log of random 11-digit ids
// yields about as many valid numbers as chance expects, those are
// coincidences.
func (in *Input) CountCandidate(c Category, pos int, chance float64) {
	if pos < in.ownLo || pos >= in.ownHi {
		return // another chunk of the same stream counts it
	}
	if in.CandidateAt != nil {
		in.CandidateAt(c, pos, chance)
		return
	}
	if i := categoryIndex(c); i >= 0 {
		in.cands[i]++
		in.expect[i] += chance
		return
	}
	for i := range in.extra {
		if in.extra[i].cat == c {
			in.extra[i].n++
			in.extra[i].expect += chance
			return
		}
	}
	in.extra = append(in.extra, extraCount{cat: c, n: 1, expect: chance})
}

// Fail records that a detector could not finish on this input (a custom
// pattern that timed out). The error must not contain the input. The
// scanner reports it as a failure of the location; only the first error
// since Reset is kept.
func (in *Input) Fail(err error) {
	if in.failure == nil {
		in.failure = err
	}
}

// Failure returns the error recorded with Fail since Reset, or nil, and
// clears it.
func (in *Input) Failure() error {
	err := in.failure
	in.failure = nil
	return err
}

// EachCandidate calls f for every category with counted candidates, with
// their number and the number of matches chance expects among them.
func (in *Input) EachCandidate(f func(c Category, n int, expect float64)) {
	for i, n := range in.cands {
		if n > 0 {
			f(builtinCategories[i], n, in.expect[i])
		}
	}
	for _, e := range in.extra {
		f(e.cat, e.n, e.expect)
	}
}

// Candidates returns how many candidates of category c were counted since Reset.
func (in *Input) Candidates(c Category) int {
	if i := categoryIndex(c); i >= 0 {
		return in.cands[i]
	}
	for _, e := range in.extra {
		if e.cat == c {
			return e.n
		}
	}
	return 0
}

// Own limits the candidates counted to those starting in Buf[lo:hi]: the
// part of a chunk that no other chunk of the same stream holds, so that
// the overlap chunks share for context is counted once. Reset owns all
// of Buf.
func (in *Input) Own(lo, hi int) { in.ownLo, in.ownHi = lo, hi }

// Reset prepares in for new content, keeping its buffers.
func (in *Input) Reset(buf []byte, key string) {
	in.Buf = buf
	in.ownLo, in.ownHi = 0, len(buf)
	in.Key = key
	in.KeyAt = nil
	in.KeyCut = 0
	in.FieldAt = nil
	in.CandidateAt = nil
	in.runs = in.runs[:0]
	in.runsDone = false
	in.candDone = false
	in.keyCtx = keyContext{}
	in.cands = [numCategories]int{}
	in.expect = [numCategories]float64{}
	in.extra = in.extra[:0]
	in.failure = nil
}

// Runs returns the maximal digit runs of Buf in order. It classifies 64
// bytes at a time into a bit mask (SWAR) and walks only the run edges, so
// its cost is a few instructions per 8 bytes plus a few per run.
func (in *Input) Runs() []Run {
	if in.runsDone {
		return in.runs
	}
	in.runsDone = true
	in.runs, in.upper2 = appendRuns(in.runs[:0], in.upper2[:0], in.Buf)
	return in.runs
}

// byteMasks64 returns the masks of the digits and of the upper-case ASCII
// letters of the 64 bytes of b (bit i for b[i]), reading each word once.
func byteMasks64(b []byte) (d, u uint64) {
	_ = b[63]
	for k := 0; k < 8; k++ {
		x := binary.LittleEndian.Uint64(b[8*k:])
		d |= digitBits8(x) << (8 * k)
		u |= upperBits8(x) << (8 * k)
	}
	return d, u
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

// appendRuns appends the digit runs of b to runs, and to upper2 the
// indices of those that come right after two upper-case ASCII letters.
// Each block of 64 bytes becomes a mask of its digits (byteMasks, a batch
// of blocks at a time); the run starts and the run ends in it are written
// in two branch-free loops over their bits (the k-th start and the k-th
// end belong to the same run), so that the cost does not depend on how
// runs alternate. A mask of its upper-case letters gives the starts after
// two of them. The last, shorter block is classified from a copy padded
// with zero bytes (neither), which ends an open run at len(b).
func appendRuns(runs []Run, upper2 []int32, b []byte) ([]Run, []int32) {
	var prev, prevUp uint64        // the digit and upper-case masks of the block before
	ns, ne := len(runs), len(runs) // where the next start and the next end go
	block := func(d, up uint64, base int) {
		shifted := d<<1 | prev>>63
		starts := d &^ shifted
		if after := starts & (up<<1 | prevUp>>63) & (up<<2 | prevUp>>62); after != 0 {
			for ; after != 0; after &= after - 1 {
				tz := bits.TrailingZeros64(after)
				upper2 = append(upper2, int32(ns+bits.OnesCount64(starts&(1<<tz-1))))
			}
		}
		prev, prevUp = d, up
		if len(runs) < ns+33 {
			runs = slices.Grow(runs[:ns], 64+ns/2)
			runs = runs[:cap(runs)]
		}
		for ; starts != 0; starts &= starts - 1 {
			runs[ns].Start = base + bits.TrailingZeros64(starts)
			ns++
		}
		for ends := ^d & shifted; ends != 0; ends &= ends - 1 {
			runs[ne].End = base + bits.TrailingZeros64(ends)
			ne++
		}
	}
	var dm, um [maskBatch]uint64
	i := 0
	for i+64 <= len(b) {
		nb := min((len(b)-i)/64, maskBatch)
		byteMasks(b[i:i+64*nb], dm[:nb], um[:nb])
		for k := range nb {
			block(dm[k], um[k], i+64*k)
		}
		i += 64 * nb
	}
	var tail [64]byte
	copy(tail[:], b[i:])
	d, up := byteMasks64(tail[:])
	block(d, up, i)
	return runs[:ne], upper2
}

// maskBatch is how many 64-byte blocks appendRuns classifies per call of
// byteMasks: 4 KiB of text, 1 KiB of masks on the stack.
const maskBatch = 64

// ByteAt returns Buf[i], or 0 when i is outside Buf. Detectors use it for
// boundary checks without bounds tests of their own.
func (in *Input) ByteAt(i int) byte { return byteAt(in.Buf, i) }

// byteAt returns b[i], or 0 when i is outside b.
func byteAt(b []byte, i int) byte {
	if i < 0 || i >= len(b) {
		return 0
	}
	return b[i]
}

// IsDigit reports whether c is an ASCII digit.
func IsDigit(c byte) bool { return c-'0' <= 9 }

// IsAlnum reports whether c is an ASCII letter or digit, or a byte of a
// multi-byte UTF-8 sequence (which may be a letter).
func IsAlnum(c byte) bool { return byteClass[c]&classAlnum != 0 }

const (
	classAlnum = 1 << iota
)

var byteClass = func() (t [256]byte) {
	for c := 0; c < 256; c++ {
		switch {
		case c >= '0' && c <= '9', c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c >= 0x80:
			t[c] |= classAlnum
		}
	}
	return t
}()
