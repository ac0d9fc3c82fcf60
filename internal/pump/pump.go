// Package pump turns a converter that produces its output in steps (the
// readers of RTF, HTML and the text in binary streams) into an io.Reader:
// Read hands out what the steps produced and runs the next step when it
// is used up, in the memory of one step's output.
package pump

import "io"

// Buffer is a converter's output not yet read, and its end. A step
// appends to Out, and sets Done (and Err, for an error other than the end)
// when no step will produce more.
type Buffer struct {
	Out  []byte
	Done bool
	Err  error // returned once Out is used up after Done; nil is io.EOF
	off  int   // Out[:off] has been read
}

// Read copies the output to p, calling step while there is none and the
// converter is not done.
func (b *Buffer) Read(p []byte, step func()) (int, error) {
	for b.off == len(b.Out) {
		b.Out, b.off = b.Out[:0], 0
		if b.Done {
			if b.Err != nil {
				return 0, b.Err
			}
			return 0, io.EOF
		}
		step()
	}
	n := copy(p, b.Out[b.off:])
	b.off += n
	return n, nil
}
