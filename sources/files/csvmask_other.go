//go:build !amd64

package files

// csvMaskBlocks writes, for each 64-byte block k of b, the mask of its
// delimiters and line breaks to ends[k] and of its quotes and line breaks
// to quotes[k] (bit i for b[64k+i]); len(b) is 64*len(ends) and quotes is
// as long as ends.
func csvMaskBlocks(b []byte, comma byte, ends, quotes []uint64) {
	if len(b) != 64*len(ends) || len(quotes) != len(ends) {
		panic("files: csvMaskBlocks: lengths do not match")
	}
	csvMaskBlocksGo(b, comma, ends, quotes)
}
