//go:build !amd64

package detectors

// byteMasks writes, for each 64-byte block k of b, the digit mask of the
// block to d[k] and its upper-case mask to u[k] (bit i for b[64k+i]);
// len(b) is 64*len(d) and len(u) == len(d).
func byteMasks(b []byte, d, u []uint64) {
	if len(b) != 64*len(d) || len(u) != len(d) {
		panic("detectors: byteMasks: lengths do not match")
	}
	for k := range d {
		d[k], u[k] = byteMasks64(b[64*k : 64*k+64])
	}
}
