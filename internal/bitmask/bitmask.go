// Package bitmask has the helpers of the byte-class masks that the
// readers build over their buffers (a CSV parser's field ends, a JSON key
// reader's string ends and structural bytes): bit i of word k stands for
// byte 64k+i.
package bitmask

import "math/bits"

// Next returns the index of the first set bit of m at or after i, or n
// when there is none before n (n is at most 64*len(m)).
func Next(m []uint64, i, n int) int {
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

// ZeroBytes returns 0x80 in each byte of x that is zero, else 0: exact for
// every byte (no borrow crosses from one byte into the next).
func ZeroBytes(x uint64) uint64 {
	const low7, high = 0x7F7F7F7F7F7F7F7F, 0x8080808080808080
	return ^((x&low7 + low7) | x) & high
}

// PackHigh packs the high bits of the eight bytes of x (each 0x80 or 0)
// into the low eight bits of the result, byte i to bit i.
func PackHigh(x uint64) uint64 {
	return ((x >> 7) * 0x0102040810204080) >> 56
}
