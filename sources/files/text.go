package files

import (
	"bytes"
	"context"
	"io"

	"github.com/piimap/piimap/sources"
)

// readText cuts r into chunks of up to ChunkSize+Overlap bytes in one
// reused buffer and hands them to sink. line is the line number of the
// first byte.
//
// Consecutive chunks share exactly sources.Overlap (O) bytes, and each chunk
// owns the match starts in [Skip, Limit); the owned ranges tile the content,
// so every value is reported once. A chunk is cut after a newline in its
// second half when there is one: it then owns everything up to that
// newline (whole lines), and the next chunk starts O bytes earlier, the
// last lines serving as context. With no newline to cut at (a long line), it
// is cut at the end of the buffer and owns all but its last O/2 bytes, so a
// value starting there still has O/2 bytes to end in, and the next chunk
// has O/2 bytes of context before its owned range.
//
// rerr is the error reading r ended with (nil at its end); what was read
// before it has been handed over. err is a context or sink error.
func (x *Reader) readText(ctx context.Context, r io.Reader, loc sources.Location, json bool, line int64, b *buffers, sink sources.Sink) (rerr, err error) {
	const o = sources.Overlap
	// Text is handed over in chunks of at most textChunkSize: the digit
	// runs and candidate lists the detectors build for a chunk then stay
	// in the core's cache between the detectors' passes. JSON keeps whole
	// chunks: a key path is known from a chunk's start, so a one-line
	// document up to a chunk long keeps its full paths. The buffer is made
	// on first use, as large as needed.
	size := x.opt.ChunkSize
	if !json {
		size = min(size, textChunkSize)
	}
	if len(b.chunk) < size+o {
		b.chunk = make([]byte, size+o)
	}
	buf := b.chunk[:size+o]
	c := &b.c
	n, skip := 0, 0
	for {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		m, ferr := fill(r, buf[n:])
		n += m
		final := ferr != nil
		cut, limit := n, n
		if !final {
			limit = n - o/2
			lo := o + size/2
			if i := bytes.LastIndexByte(buf[lo:n], '\n'); i >= 0 {
				cut = lo + i + 1
				limit = cut
			}
			limit = max(limit, skip)
		}
		if limit > skip {
			*c = sources.Chunk{Loc: loc, Data: buf[:cut], Line: line, Skip: skip, Limit: limit, JSON: json}
			if err := sink.Text(ctx, c); err != nil {
				return nil, err
			}
		}
		if final {
			if ferr == io.EOF {
				return nil, nil
			}
			return ferr, nil
		}
		start := cut - o
		line += int64(bytes.Count(buf[:start], nl))
		n = copy(buf, buf[start:n])
		skip = limit - start
	}
}

var nl = []byte{'\n'}

// textChunkSize bounds the chunks of plain text. Measured with
// BenchmarkScanCorpus (MB per CPU-second, one worker): 256 KiB chunks read
// a log about 8 % faster than 1 MiB ones, whose digit runs (16 bytes each,
// a few hundred thousand per MiB of log) no longer fit in a 2 MiB L2
// cache; smaller chunks repeat more overlap and per-chunk work.
const textChunkSize = 256 << 10
