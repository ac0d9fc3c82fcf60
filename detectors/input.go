package detectors

import (
	"encoding/binary"
	"math/bits"
	"unsafe"

	"github.com/piimap/piimap/internal/bitmask"
)

// Run is a maximal run of ASCII digits in Input.Buf: Buf[Start:End].
type Run struct{ Start, End int }

// TextKind is what the lines of a text are, where its file's name tells.
type TextKind uint8

// The kinds of text.
const (
	// AnyText is text of no kind in particular: log lines are records by
	// their times, other lines are not.
	AnyText TextKind = iota
	// History is a shell's or an SQL client's history (.bash_history,
	// .mysql_history): every line is a command someone ran, a record.
	History
	// DatabaseLog is a database server's log, whose records quote the SQL
	// statements run (MySQL's general log, PostgreSQL's with
	// log_statement).
	DatabaseLog
	// CredentialStore is a file that stores credentials one per line or
	// entry (.netrc, .pgpass, .git-credentials).
	CredentialStore
)

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

	// Kind says what Buf's lines are, where its file's name tells: a
	// shell's history, a database server's log, a credentials store; the
	// credentials detectors read them as such.
	Kind TextKind

	// CandidateAt, when set, receives every counted candidate instead of
	// the per-Input totals, with its byte offset: structured text (JSON
	// lines) judges candidates per key path, not per chunk.
	CandidateAt func(c Category, pos int, chance float64)

	// ownLo and ownHi bound the offsets whose candidates this Input
	// counts (see Own).
	ownLo, ownHi int
	// rs holds the digit runs, the IBAN starts and the time stamps,
	// found on first use (see runs.go).
	rs       runScan
	runsDone bool
	// cand holds the candidate runs of the bank-account, CPR, HETU and
	// IBAN detectors, found in one pass on first use (see candidates.go).
	cand     candLists
	candDone bool
	// eq are the masks of the '=' bytes (equals), found on first use.
	eq     []uint64
	eqDone bool
	// seps are the key separators inline_password and inline_name read
	// (keySeps), found once for both.
	seps     []keySep
	sepsDone bool
	keyCtx   keyContext
	// pathSigs caches KeySignal of the key paths KeyAt returns, which
	// repeat from record to record; kept across Reset, bounded. lastSigs
	// are the four asked last, lastSigAt the next to replace.
	pathSigs  map[pathSig]Signal
	lastSigs  [4]lastPathSig
	lastSigAt int
	cands     [numCategories]int
	expect    [numCategories]float64
	// extra counts candidates of categories outside the built-in list
	// (custom categories of user-defined detectors), in order of first use.
	extra []extraCount
	// failure is the first error a detector reported with Fail since Reset.
	failure error
	// last is the value lastValue returned last.
	last string
	// values holds the bytes of the match values valueString made,
	// kept across Reset (see valueString).
	values []byte
	// nl caches lastLineBreak, when ok: the last '\n' of
	// Buf[nl.lo:nl.pos] is at nl.at (-1: none).
	nl struct {
		lo, pos, at int
		ok          bool
	}
}

// lastValue returns b as a string, the one it returned last when b is the
// same text: an access log's client address repeats line after line, and
// each match then costs no allocation.
func (in *Input) lastValue(b []byte) string {
	if string(b) != in.last {
		in.last = in.valueString(b)
	}
	return in.last
}

// valueArena is the size of the blocks valueString copies values into.
const valueArena = 16 << 10

// valueString returns a string of the bytes of b, a match's value. The
// values of an Input are copied one after the other into a block of
// valueArena bytes, which is only ever appended to (a full block is left
// to the strings made in it, and a new one is made): the bytes under a
// string are never written again, so it is immutable as a string must
// be, and a chunk's matches cost one allocation per block instead of one
// each. A string made here keeps its whole block alive: whoever keeps a
// value beyond the scan of its chunk (an example shown unmasked) keeps a
// copy (strings.Clone).
func (in *Input) valueString(b []byte) string {
	if len(b) == 0 {
		return ""
	}
	if len(b) > valueArena/16 {
		return string(b)
	}
	if cap(in.values)-len(in.values) < len(b) {
		in.values = make([]byte, 0, valueArena)
	}
	at := len(in.values)
	in.values = append(in.values, b...)
	return unsafe.String(&in.values[at], len(b))
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
	in.Kind = AnyText
	in.runsDone = false
	in.candDone = false
	in.eqDone = false
	in.sepsDone = false
	in.nl.ok = false
	in.keyCtx = keyContext{}
	in.cands = [numCategories]int{}
	in.expect = [numCategories]float64{}
	in.extra = in.extra[:0]
	in.failure = nil
}

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

// lastLineBreak returns the offset in Buf of the last '\n' of
// Buf[lo:pos], or -1. The context lookups of one value (its words for
// each word set, an example word before it) ask about the same position
// one after another: the answer for the widest window asked is kept.
func (in *Input) lastLineBreak(lo, pos int) int {
	c := &in.nl
	if !c.ok || pos != c.pos {
		c.lo, c.pos, c.at, c.ok = pos, pos, -1, true
	}
	if lo < c.lo {
		// Only the part before the cached window is new; a break in
		// the cached window is the last one either way.
		if c.at < 0 {
			if i := lastIndexByte(in.Buf[lo:c.lo], '\n'); i >= 0 {
				c.at = lo + i
			}
		}
		c.lo = lo
	}
	if c.at < lo {
		return -1
	}
	return c.at
}

// lastIndexByte is bytes.LastIndexByte eight bytes at a time: the
// standard library's walks back one byte at a time, and the context
// lookups look back over a line for its start at every match.
func lastIndexByte(b []byte, c byte) int {
	pat := uint64(c) * 0x0101010101010101
	i := len(b)
	for ; i >= 8; i -= 8 {
		if z := bitmask.ZeroBytes(binary.LittleEndian.Uint64(b[i-8:]) ^ pat); z != 0 {
			return i - 8 + (63-bits.LeadingZeros64(z))/8
		}
	}
	for i--; i >= 0; i-- {
		if b[i] == c {
			return i
		}
	}
	return -1
}
