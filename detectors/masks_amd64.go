package detectors

// byteMasksSSE2 is byteMasks in SSE2 (every amd64 processor has it):
// sixteen bytes per compare instead of eight per SWAR word.
//
//go:noescape
func byteMasksSSE2(b []byte, d, u, c []uint64)

// byteMasks writes, for each 64-byte block k of b, the digit mask of the
// block to d[k], its upper-case mask to u[k] and its colon mask to c[k]
// (bit i for b[64k+i]), as byteMasks64 computes them; len(b) is 64*len(d)
// and u and c are as long as d.
func byteMasks(b []byte, d, u, c []uint64) {
	if len(b) != 64*len(d) || len(u) != len(d) || len(c) != len(d) {
		panic("detectors: byteMasks: lengths do not match")
	}
	byteMasksSSE2(b, d, u, c)
}

// byteMaskSSE2 is byteMask in SSE2.
//
//go:noescape
func byteMaskSSE2(b []byte, m []uint64, c uint64)

// byteMask writes, for each 64-byte block k of b, the mask of the bytes
// equal to c to m[k] (bit i for b[64k+i]); len(b) is 64*len(m).
func byteMask(b []byte, m []uint64, c byte) {
	if len(b) != 64*len(m) {
		panic("detectors: byteMask: lengths do not match")
	}
	byteMaskSSE2(b, m, uint64(c))
}
