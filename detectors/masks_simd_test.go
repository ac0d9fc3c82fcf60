//go:build goexperiment.simd && amd64

package detectors

import (
	"math/rand/v2"
	"simd/archsimd"
	"testing"
)

// The masks with Go's experimental SIMD package (GOEXPERIMENT=simd,
// AVX-512: one compare gives a block's 64-bit mask), measured against the
// SSE2 assembly that piimap uses (issue 11: "consider Go's SIMD support,
// measure before adopting"). Run with
//
//	GOEXPERIMENT=simd go test ./detectors -run MasksSIMD -bench MasksSIMD
func byteMasksSIMD(b []byte, d, u, c []uint64) {
	zero, nine := archsimd.BroadcastUint8x64('0'), archsimd.BroadcastUint8x64(10)
	a, az := archsimd.BroadcastUint8x64('A'), archsimd.BroadcastUint8x64(26)
	colon := archsimd.BroadcastUint8x64(':')
	for k := range d {
		x := archsimd.LoadUint8x64Slice(b[64*k : 64*k+64])
		d[k] = x.Sub(zero).Less(nine).ToBits()
		u[k] = x.Sub(a).Less(az).ToBits()
		c[k] = x.Equal(colon).ToBits()
	}
}

func TestMasksSIMD(t *testing.T) {
	if !archsimd.X86.AVX512() {
		t.Skip("no AVX-512 on this processor")
	}
	r := rand.New(rand.NewPCG(5, 6))
	b := make([]byte, 64*300)
	for i := range b {
		b[i] = byte(r.IntN(256))
		if r.IntN(2) == 0 {
			b[i] = "09:AZ/[@`"[r.IntN(9)]
		}
	}
	n := len(b) / 64
	d, u, c := make([]uint64, n), make([]uint64, n), make([]uint64, n)
	byteMasksSIMD(b, d, u, c)
	for k := range n {
		wd, wu, wc := byteMasks64(b[64*k : 64*k+64])
		if d[k] != wd || u[k] != wu || c[k] != wc {
			t.Fatalf("block %d: %#x %#x %#x, want %#x %#x %#x", k, d[k], u[k], c[k], wd, wu, wc)
		}
	}
}

func BenchmarkMasksSIMD(b *testing.B) {
	buf := benchLog(4 << 20)
	n := len(buf) / 64
	buf = buf[:64*n]
	d, u, c := make([]uint64, n), make([]uint64, n), make([]uint64, n)
	b.Run("sse2", func(b *testing.B) {
		b.SetBytes(int64(len(buf)))
		for b.Loop() {
			byteMasks(buf, d, u, c)
		}
	})
	b.Run("archsimd", func(b *testing.B) {
		if !archsimd.X86.AVX512() {
			b.Skip("no AVX-512")
		}
		b.SetBytes(int64(len(buf)))
		for b.Loop() {
			byteMasksSIMD(buf, d, u, c)
		}
	})
}
