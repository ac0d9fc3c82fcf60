package detectors

import (
	"bytes"
	"fmt"
	"math/bits"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
)

// simpleRuns is the obvious byte loop the SWAR version must agree with.
func simpleRuns(b []byte) []Run {
	var runs []Run
	for i := 0; i < len(b); i++ {
		if !IsDigit(b[i]) {
			continue
		}
		s := i
		for i < len(b) && IsDigit(b[i]) {
			i++
		}
		runs = append(runs, Run{s, i})
	}
	return runs
}

func TestRunsMatchSimple(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	alphabet := []byte("0123456789 -./:\xc3\xb8a\x00\xff\xb0\xb9/:")
	for n := 0; n < 3000; n++ {
		b := make([]byte, r.IntN(300))
		for i := range b {
			if r.IntN(3) == 0 {
				b[i] = byte(r.IntN(256))
			} else {
				b[i] = alphabet[r.IntN(len(alphabet))]
			}
		}
		checkRuns(t, b)
	}
}

// checkRuns fails when the runs or the time stamps of b differ from
// refRuns and refStamps.
func checkRuns(t *testing.T, b []byte) {
	t.Helper()
	var in Input
	in.Reset(b, "")
	if got, want := in.Runs(), refRuns(b); !slices.Equal(got, want) {
		t.Fatalf("Runs(%q) = %v, want %v", b, got, want)
	}
	stamps := refStamps(b)
	if got := in.stamps(); !slices.Equal(got, stamps) {
		t.Fatalf("stamps(%q) = %v, want %v", b, got, stamps)
	}
	// The colon masks: every ':' outside the stamps, nothing else.
	var want []int
	for i, c := range b {
		if c == ':' && !slices.ContainsFunc(stamps, func(r Run) bool { return r.Start <= i && i < r.End }) {
			want = append(want, i)
		}
	}
	var got []int
	for k, w := range in.colons() {
		for ; w != 0; w &= w - 1 {
			got = append(got, 64*k+bits.TrailingZeros64(w))
		}
	}
	if !slices.Equal(got, want) {
		t.Fatalf("colons(%q) at %v, want %v", b, got, want)
	}
	// Contains agrees with bytes.Contains, for words with and without a
	// colon and for pieces of b around its colons.
	words := []string{"piimap:ignore", "a:b", ":", "1:2", "x", ""}
	for i, c := range b {
		if c == ':' {
			words = append(words, string(b[max(0, i-3):min(len(b), i+4)]))
		}
	}
	for _, w := range words {
		if got, want := in.Contains([]byte(w)), bytes.Contains(b, []byte(w)); got != want {
			t.Fatalf("Contains(%q, %q) = %v, want %v", b, w, got, want)
		}
	}
}

func FuzzRuns(f *testing.F) {
	f.Add([]byte("2026-03-02T09:16:31 fnr=15038712486 card 4571 8579 5959 3587"))
	f.Add([]byte("0123456789012345678901234567890123456789012345678901234567890123456789"))
	f.Add([]byte("10.1.2.3 - - [02/Mar/2026:03:40:52 +0100] 2026-03-01T16:09:54.167+01:00 2026-03-01 16:09:54"))
	f.Add([]byte("x piimap:ignore phone\n2026-03-01T16:09:54 a:b piimap:ignor"))
	f.Add([]byte("100234;2024-01-31;kari;2024-13-01 x-2024-01-01 2024-01-01-5 2024-01-01T10:00"))
	f.Add([]byte("\"GET / HTTP/1.1\" 200 512 HTTP/2 HTTP/1.12 HTTP/1. HTTP/11"))
	f.Fuzz(func(t *testing.T, b []byte) { checkRuns(t, b) })
}

// benchChunks runs f over a 4 MB log in chunks of 256 KiB, the size in
// which the files source hands text to the detectors.
func benchChunks(b *testing.B, f func(in *Input)) {
	buf := benchLog(4 << 20)
	var in Input
	b.SetBytes(int64(len(buf)))
	b.ReportAllocs()
	for b.Loop() {
		for c := buf; len(c) > 0; {
			n := min(len(c), 256<<10)
			in.Reset(c[:n], "")
			f(&in)
			c = c[n:]
		}
	}
}

func BenchmarkRuns(b *testing.B) { benchChunks(b, func(in *Input) { in.Runs() }) }

func TestCandidatesCounted(t *testing.T) {
	var in Input
	// Three standalone 11-digit runs: month 34 (no date: not a candidate),
	// an FH-shaped number (a candidate, reported only with context) and a
	// valid fødselsnummer; a 14-digit timestamp (not a candidate).
	in.Reset([]byte("ref 12345678901 ref 98765432109 fnr 15038712486 ts 20260302091632"), "")
	d := NewNoFnr()
	n := 0
	d.Find(&in, func(Match) { n++ })
	if got := in.Candidates(NationalID); got != 2 || n != 1 {
		t.Errorf("candidates %d, matches %d; want 2 and 1", got, n)
	}
	in.Reset([]byte("x"), "")
	if in.Candidates(NationalID) != 0 {
		t.Error("Reset does not clear the candidate counts")
	}
}

// BenchmarkCandidates is BenchmarkRuns plus the candidate lists the
// bank-account, CPR, HETU and IBAN detectors share.
func BenchmarkCandidates(b *testing.B) { benchChunks(b, func(in *Input) { in.candidates() }) }

// TestByteMasks checks the SWAR digit, upper-case and colon masks against
// the plain tests for every byte value in every position of a block.
func TestByteMasks(t *testing.T) {
	var blk [64]byte
	for v := 0; v < 256; v++ {
		for pos := 0; pos < 64; pos++ {
			for i := range blk {
				blk[i] = byte(v + i*7) // other bytes around it
			}
			blk[pos] = byte(v)
			d, u, colons := byteMasks64(blk[:])
			for i, c := range blk {
				if got, want := colons>>i&1 == 1, c == ':'; got != want {
					t.Fatalf("colon mask of %#x at %d: %v", c, i, got)
				}
				if got, want := d>>i&1 == 1, IsDigit(c); got != want {
					t.Fatalf("digit mask of %#x at %d: %v", c, i, got)
				}
				if got, want := u>>i&1 == 1, isUpper(c); got != want {
					t.Fatalf("upper-case mask of %#x at %d: %v", c, i, got)
				}
			}
		}
	}
}

// TestByteMasksMatchSWAR: byteMasks (SSE2 on amd64) gives the masks of
// byteMasks64 for every block of random bytes, digits, letters and bytes
// of multi-byte characters.
func TestByteMasksMatchSWAR(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	const blocks = 257
	b := make([]byte, 64*blocks)
	for i := range b {
		switch r.IntN(4) {
		case 0:
			b[i] = byte(r.IntN(256))
		case 1:
			b[i] = byte('0' + r.IntN(10))
		case 2:
			b[i] = byte('@' + r.IntN(28)) // '@', 'A'…'Z', '['
		default:
			b[i] = "/09:AZ[`\x80\xff"[r.IntN(10)]
		}
	}
	d, u, c := make([]uint64, blocks), make([]uint64, blocks), make([]uint64, blocks)
	for _, n := range []int{0, 1, 2, 63, 64, blocks} {
		clear(d)
		clear(u)
		clear(c)
		byteMasks(b[:64*n], d[:n], u[:n], c[:n])
		for k := range n {
			wd, wu, wc := byteMasks64(b[64*k : 64*k+64])
			if d[k] != wd || u[k] != wu || c[k] != wc {
				t.Fatalf("%d blocks: block %d: masks %#x %#x %#x, want %#x %#x %#x", n, k, d[k], u[k], c[k], wd, wu, wc)
			}
		}
	}
}

// TestByteMaskMatchesSWAR: byteMask (SSE2 on amd64) gives byteMask64's
// mask for every block, and equals the '=' bytes of a buffer of any
// length, its last block short.
func TestByteMaskMatchesSWAR(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	const blocks = 129
	b := make([]byte, 64*blocks+37)
	for i := range b {
		b[i] = "=:a\x00\xff="[r.IntN(6)]
		if r.IntN(4) == 0 {
			b[i] = byte(r.IntN(256))
		}
	}
	m := make([]uint64, blocks)
	for _, c := range []byte{'=', ':', 0, 0xFF} {
		for _, n := range []int{0, 1, 2, blocks} {
			clear(m)
			byteMask(b[:64*n], m[:n], c)
			for k := range n {
				if want := byteMask64(b[64*k:64*k+64], c); m[k] != want {
					t.Fatalf("byte %#x, %d blocks: block %d: mask %#x, want %#x", c, n, k, m[k], want)
				}
			}
		}
	}
	var in Input
	for _, n := range []int{0, 1, 63, 64, 65, len(b)} {
		in.Reset(b[:n], "")
		eq := in.equals()
		for i := range n {
			if got := eq[i/64]>>(i%64)&1 == 1; got != (b[i] == '=') {
				t.Fatalf("%d bytes: equals at %d is %v, byte %q", n, i, got, b[i])
			}
		}
	}
}

// TestLastValue: lastValue gives the text of its argument, and the same
// string, without allocating, when the text repeats.
func TestLastValue(t *testing.T) {
	var in Input
	a := []byte("81.166.23.4")
	first := in.lastValue(a)
	if first != "81.166.23.4" {
		t.Fatalf("lastValue = %q", first)
	}
	b := []byte("81.166.23.4")
	if allocs := testing.AllocsPerRun(100, func() { _ = in.lastValue(b) }); allocs != 0 {
		t.Errorf("%v allocations for a repeated value", allocs)
	}
	if got := in.lastValue([]byte("10.0.0.1")); got != "10.0.0.1" {
		t.Errorf("lastValue = %q after another value", got)
	}
	a[0] = '9' // the string does not alias the buffer
	if first != "81.166.23.4" {
		t.Error("lastValue aliases its argument")
	}
}

// lastIndexByte agrees with bytes.LastIndexByte for every length up to
// three words, every position of the byte and bytes that differ from it
// in one bit (the SWAR test must not carry from byte to byte).
func TestLastIndexByte(t *testing.T) {
	for _, c := range []byte{'\n', '"', 0, 0x80, 0xff, 0x01} {
		for n := 0; n <= 24; n++ {
			for pos := -1; pos < n; pos++ {
				for _, fill := range []byte{c ^ 1, c ^ 0x80, c + 1, c - 1, 0, 0xff} {
					if fill == c {
						continue
					}
					b := bytes.Repeat([]byte{fill}, n)
					if pos >= 0 {
						b[pos] = c
					}
					if got, want := lastIndexByte(b, c), bytes.LastIndexByte(b, c); got != want {
						t.Fatalf("lastIndexByte(%q, %q) = %d, want %d", b, c, got, want)
					}
				}
			}
		}
	}
}

func FuzzLastIndexByte(f *testing.F) {
	f.Add([]byte("2026-03-01 a\nb 81.166.23.4 and more text"), byte('\n'))
	f.Add([]byte("\x00\x01\x0a\x0b\x80\xff"), byte(0x0a))
	f.Fuzz(func(t *testing.T, b []byte, c byte) {
		if got, want := lastIndexByte(b, c), bytes.LastIndexByte(b, c); got != want {
			t.Fatalf("lastIndexByte(%q, %q) = %d, want %d", b, c, got, want)
		}
	})
}

// lastLineBreak answers as bytes.LastIndexByte on Buf[lo:pos] whatever the
// order of the questions: the same position with wider and narrower
// windows, other positions, and after Reset.
func TestLastLineBreak(t *testing.T) {
	r := rand.New(rand.NewPCG(8, 9))
	var in Input
	lastPos, lastLo := 0, 0
	for round := range 200 {
		b := make([]byte, r.IntN(400))
		for i := range b {
			b[i] = "ab \n"[r.IntN(4)]
			if r.IntN(8) > 0 && b[i] == '\n' {
				b[i] = 'x' // lines of a few dozen bytes
			}
		}
		in.Reset(b, "")
		pos, lo := min(lastPos, len(b)), min(lastLo, len(b)) // first the last question of the buffer before
		for q := range 50 {
			if q > 0 && (r.IntN(3) == 0 || pos > len(b)) {
				pos = r.IntN(len(b) + 1)
			}
			if q > 0 {
				lo = max(0, pos-r.IntN(300))
			}
			lo = min(lo, pos)
			lastPos, lastLo = pos, lo
			want := bytes.LastIndexByte(b[lo:pos], '\n')
			if want >= 0 {
				want += lo
			}
			if got := in.lastLineBreak(lo, pos); got != want {
				t.Fatalf("round %d: lastLineBreak(%d, %d) of %q = %d, want %d", round, lo, pos, b, got, want)
			}
		}
	}
}

// TestValueStringsStay checks that a value valueString made keeps its
// text while the Input makes more values, over Resets and past the end of
// its block: the block is only ever appended to.
func TestValueStringsStay(t *testing.T) {
	var in Input
	var kept []string
	var want []string
	for i := range 5000 {
		if i%100 == 0 {
			in.Reset([]byte("chunk"), "")
		}
		v := fmt.Appendf(nil, "value-%d-%s", i, strings.Repeat("x", i%40))
		kept = append(kept, in.valueString(v))
		want = append(want, string(v))
		v[0] = '!' // the caller's bytes change: the value must not
	}
	for i := range kept {
		if kept[i] != want[i] {
			t.Fatalf("value %d is %q, want %q", i, kept[i], want[i])
		}
	}
	if long := bytes.Repeat([]byte("y"), valueArena); in.valueString(long) != string(long) {
		t.Error("a value longer than a block is not whole")
	}
	if in.valueString(nil) != "" {
		t.Error("an empty value is not empty")
	}
}

// TestClearSpan checks clearSpan against clearing bit by bit, for spans
// of every length at every offset of three words.
func TestClearSpan(t *testing.T) {
	for lo := 0; lo < 192; lo++ {
		for hi := lo; hi <= 192; hi++ {
			d, c := []uint64{^uint64(0), ^uint64(0), ^uint64(0)}, []uint64{0x5555, ^uint64(0), 1 << 63}
			wd, wc := slices.Clone(d), slices.Clone(c)
			for i := lo; i < hi; i++ {
				wd[i/64] &^= 1 << (i % 64)
				wc[i/64] &^= 1 << (i % 64)
			}
			clearSpan(d, c, lo, hi)
			if !slices.Equal(d, wd) || !slices.Equal(c, wc) {
				t.Fatalf("clearSpan(%d, %d): %x %x, want %x %x", lo, hi, d, c, wd, wc)
			}
		}
	}
}

// checkNoAllocPerMatch runs d over its positive examples, one a line, and
// fails unless it finds at least minMatches matches, minLabelled of them
// with labels, and allocates at most once per run: the block of values is
// allocated once per Input and grows only when it fills.
func checkNoAllocPerMatch(t *testing.T, d Detector, minMatches, minLabelled int) {
	t.Helper()
	var text []byte
	for _, ex := range d.Positives() {
		text = append(append(text, ex.Text...), '\n')
	}
	var in Input
	in.Reset(text, "")
	n, labelled := 0, 0
	d.Find(&in, func(m Match) {
		n++
		if len(m.Labels) > 0 {
			labelled++
		}
	})
	if n < minMatches || labelled < minLabelled {
		t.Fatalf("%d matches, %d with labels: want %d or more, %d or more", n, labelled, minMatches, minLabelled)
	}
	allocs := testing.AllocsPerRun(20, func() {
		in.Reset(in.Buf, "")
		d.Find(&in, func(Match) {})
	})
	if allocs > 1 {
		t.Errorf("%.1f allocations for %d matches, want at most one", allocs, n)
	}
}
