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
