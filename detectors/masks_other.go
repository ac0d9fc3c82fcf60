//go:build !amd64

package detectors

// byteMasks writes, for each 64-byte block k of b, the digit mask of the
// block to d[k], its upper-case mask to u[k] and its colon mask to c[k]
// (bit i for b[64k+i]); len(b) is 64*len(d) and u and c are as long as d.
func byteMasks(b []byte, d, u, c []uint64) {
	if len(b) != 64*len(d) || len(u) != len(d) || len(c) != len(d) {
		panic("detectors: byteMasks: lengths do not match")
	}
	for k := range d {
		d[k], u[k], c[k] = byteMasks64(b[64*k : 64*k+64])
	}
}

// byteMask writes, for each 64-byte block k of b, the mask of the bytes
// equal to c to m[k] (bit i for b[64k+i]); len(b) is 64*len(m).
func byteMask(b []byte, m []uint64, c byte) {
	if len(b) != 64*len(m) {
		panic("detectors: byteMask: lengths do not match")
	}
	for k := range m {
		m[k] = byteMask64(b[64*k:64*k+64], c)
	}
}
