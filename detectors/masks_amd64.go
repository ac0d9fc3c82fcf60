package detectors

// byteMasksSSE2 is byteMasks in SSE2 (every amd64 processor has it):
// sixteen bytes per compare instead of eight per SWAR word.
//
//go:noescape
func byteMasksSSE2(b []byte, d, u []uint64)

// byteMasks writes, for each 64-byte block k of b, the digit mask of the
// block to d[k] and its upper-case mask to u[k] (bit i for b[64k+i]), as
// byteMasks64 computes them; len(b) is 64*len(d) and len(u) == len(d).
func byteMasks(b []byte, d, u []uint64) {
	if len(b) != 64*len(d) || len(u) != len(d) {
		panic("detectors: byteMasks: lengths do not match")
	}
	byteMasksSSE2(b, d, u)
}
