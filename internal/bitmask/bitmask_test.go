package bitmask

import (
	"math/rand/v2"
	"testing"
)

// TestNext checks Next from every start against a loop over the bits, on
// random masks of a few words, sparse and dense, and bounds n below the
// masks' end.
func TestNext(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for range 2000 {
		m := make([]uint64, r.IntN(4))
		for k := range m {
			switch r.IntN(3) {
			case 0: // empty word
			case 1:
				m[k] = 1 << r.IntN(64)
			default:
				m[k] = r.Uint64()
			}
		}
		n := 64 * len(m)
		if n > 0 && r.IntN(2) == 0 {
			n = r.IntN(n)
		}
		for i := 0; i <= n; i++ {
			want := n
			for j := i; j < n; j++ {
				if m[j/64]>>(j%64)&1 == 1 {
					want = j
					break
				}
			}
			if got := Next(m, i, n); got != want {
				t.Fatalf("Next(%x, %d, %d) = %d, want %d", m, i, n, got, want)
			}
		}
	}
}

// TestZeroBytesPackHigh checks the pair on every byte value in every
// position, next to random bytes.
func TestZeroBytesPackHigh(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	for range 20000 {
		var b [8]byte
		for i := range b {
			b[i] = byte(r.IntN(256))
			if r.IntN(3) == 0 {
				b[i] = 0
			}
		}
		var x uint64
		var want uint64
		for i, c := range b {
			x |= uint64(c) << (8 * i)
			if c == 0 {
				want |= 1 << i
			}
		}
		if got := PackHigh(ZeroBytes(x)); got != want {
			t.Fatalf("PackHigh(ZeroBytes(%016x)) = %08b, want %08b", x, got, want)
		}
	}
}
