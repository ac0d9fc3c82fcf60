package files

import (
	"bytes"
	"context"
	"io"

	"github.com/piimap/piimap/sources"
)

// readText cuts r into chunks of up to ChunkSize+Overlap bytes (text: at
// most textChunkSize+Overlap; see newChunker) in one
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
	k := x.newChunker(r, b, json)
	k.line = line
	return readChunks(ctx, &k, loc, json, nil, b, sink)
}

// readJSONDoc reads a JSON document (formatJSONDoc) as readText reads
// text, each chunk carrying the document's state at its start
// (Chunk.JSONDoc), so that the key path of every value is known wherever
// the document is cut: pretty-printed over many lines or minified on one.
func (x *Reader) readJSONDoc(ctx context.Context, r io.Reader, loc sources.Location, b *buffers, sink sources.Sink) (rerr, err error) {
	k := x.newChunker(r, b, false)
	return readChunks(ctx, &k, loc, true, &track[sources.JSONState]{r: &sources.JSONKeyReader{}, setState: setJSON}, b, sink)
}

// readXMLDoc reads an XML document as readJSONDoc reads JSON, each chunk
// carrying the document's state at its start (Chunk.XMLDoc): the element
// path of every value is known wherever the document is cut.
func (x *Reader) readXMLDoc(ctx context.Context, r io.Reader, loc sources.Location, b *buffers, sink sources.Sink) (rerr, err error) {
	k := x.newChunker(r, b, false)
	return readChunks(ctx, &k, loc, true, &track[sources.XMLState]{r: &sources.XMLKeyReader{}, setState: setXML}, b, sink)
}

// readYAMLDoc reads a YAML document, or a configuration file (start
// sources.ConfigState), as readJSONDoc reads JSON, each chunk carrying
// the document's state at its start (Chunk.YAMLDoc).
func (x *Reader) readYAMLDoc(ctx context.Context, r io.Reader, loc sources.Location, start sources.YAMLState, b *buffers, sink sources.Sink) (rerr, err error) {
	k := x.newChunker(r, b, false)
	return readChunks(ctx, &k, loc, true, &track[sources.YAMLState]{r: &sources.YAMLKeyReader{}, cur: start, setState: setYAML}, b, sink)
}

func setJSON(c *sources.Chunk, st *sources.JSONState) { c.JSONDoc = st }
func setXML(c *sources.Chunk, st *sources.XMLState)   { c.XMLDoc = st }
func setYAML(c *sources.Chunk, st *sources.YAMLState) { c.YAMLDoc = st }

// docTrack follows a structured document's state from chunk to chunk.
type docTrack interface {
	// set gives the chunk the document's state at its start.
	set(c *sources.Chunk)
	// step moves the state from the start of data, the current chunk, to
	// data[pos], the next chunk's start.
	step(data []byte, pos int)
}

// track is the docTrack of a document whose state is S, read by r.
type track[S any] struct {
	r interface {
		ResetState(line []byte, st *S)
		StateAt(pos int, st *S)
	}
	cur, next S // cur: at the current chunk's start
	setState  func(c *sources.Chunk, st *S)
}

func (t *track[S]) set(c *sources.Chunk) { t.setState(c, &t.cur) }

func (t *track[S]) step(data []byte, pos int) {
	t.r.ResetState(data, &t.cur)
	t.r.StateAt(pos, &t.next)
	t.cur, t.next = t.next, t.cur
}

// newChunker returns a chunker over r in b's chunk buffer, made on first
// use. Text is handed over in chunks of at most textChunkSize: the digit
// runs and candidate lists the detectors build for a chunk then stay in
// the core's cache between the detectors' passes. JSON keeps whole chunks:
// a key path is known from a chunk's start, so a one-line document up to a
// chunk long keeps its full paths.
func (x *Reader) newChunker(r io.Reader, b *buffers, json bool) chunker {
	size := x.opt.ChunkSize
	if !json {
		size = min(size, textChunkSize)
	}
	if len(b.chunk) < size+sources.Overlap {
		b.chunk = make([]byte, size+sources.Overlap)
	}
	return chunker{r: r, buf: b.chunk[:size+sources.Overlap], size: size, line: 1}
}

// readChunks hands the chunks of k to sink, as readText describes; with doc
// (a JSON or XML document), each with the document's state at its start.
func readChunks(ctx context.Context, k *chunker, loc sources.Location, json bool, doc docTrack, b *buffers, sink sources.Sink) (rerr, err error) {
	c := &b.c
	for {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		cut, limit, final, ferr := k.next()
		if limit > k.skip {
			*c = sources.Chunk{Loc: loc, Data: k.buf[:cut], Line: k.line, Skip: k.skip, Limit: limit, JSON: json}
			if k.item > 0 {
				c.Line, c.OneLine = k.item, true
			}
			if doc != nil {
				doc.set(c)
			}
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
		if doc != nil {
			doc.step(k.buf[:cut], cut-sources.Overlap)
		}
		k.advance(cut, limit)
	}
}

// chunker cuts a text stream into the chunks readText hands over. The
// ranges of a large file (split.go) are cut by it too, each from its own
// start.
type chunker struct {
	r    io.Reader
	buf  []byte // size+Overlap bytes
	size int    // the chunk size: ChunkSize, or less for text
	n    int    // bytes in buf
	skip int    // where the owned range of the next chunk starts in buf
	line int64  // line number of buf[0]
	off  int64  // offset of buf[0] in the stream
	item int64  // with item > 0, the text is that item's: every chunk's Line (Chunk.OneLine)
}

// next fills the buffer and cuts the next chunk: its data is buf[:cut],
// it owns the match starts in [skip, limit), and final says it is the
// last, ferr then being what reading ended with (io.EOF at the end).
func (k *chunker) next() (cut, limit int, final bool, ferr error) {
	const o = sources.Overlap
	// The terminal's control sequences of what is read (a coloured log),
	// from one the last fill's end cut: what was blanked is not read
	// again (its spaces and the letter after them would read as one).
	from := k.n
	if i := csiOpen(k.buf[:k.n]); i >= 0 {
		from = i
	}
	m, ferr := fill(k.r, k.buf[k.n:])
	blankCSI(k.buf[from : k.n+m])
	k.n += m
	final = ferr != nil
	cut, limit = k.n, k.n
	if !final {
		limit = k.n - o/2
		lo := o + k.size/2
		if i := bytes.LastIndexByte(k.buf[lo:k.n], '\n'); i >= 0 {
			cut = lo + i + 1
			limit = cut
		} else if i := csiOpen(k.buf[:k.n]); i >= lo {
			// A sequence blankCSI blanks once the next fill ends it.
			cut, limit = i, min(limit, i)
		}
		limit = max(limit, k.skip)
	}
	return cut, limit, final, ferr
}

// advance moves on from a chunk that was not the last: the next chunk
// starts Overlap bytes before its cut.
func (k *chunker) advance(cut, limit int) {
	start := cut - sources.Overlap
	k.line += int64(bytes.Count(k.buf[:start], nl))
	k.off += int64(start)
	k.n = copy(k.buf, k.buf[start:k.n])
	k.skip = limit - start
}

var nl = []byte{'\n'}

// textChunkSize bounds the chunks of plain text. Measured with
// BenchmarkScanCorpus (MB per CPU-second, one worker): 256 KiB chunks read
// a log about 8 % faster than 1 MiB ones, whose digit runs (16 bytes each,
// a few hundred thousand per MiB of log) no longer fit in a 2 MiB L2
// cache; smaller chunks repeat more overlap and per-chunk work.
const textChunkSize = 256 << 10

// maxCSI is the longest terminal escape sequence blankCSI blanks.
const maxCSI = 32

// csiOpen returns where a control sequence that b's end cuts starts (an
// ESC, maybe '[' and parameters after it, shorter than maxCSI), or -1.
func csiOpen(b []byte) int {
	lo := max(0, len(b)-maxCSI+1)
	i := bytes.LastIndexByte(b[lo:], 0x1b)
	if i < 0 {
		return -1
	}
	i += lo
	e := i + 1
	if e < len(b) && b[e] != '[' {
		return -1
	}
	for e++; e < len(b) && b[e] >= 0x21 && b[e] <= 0x3f; e++ {
	}
	if e < len(b) {
		return -1
	}
	return i
}

// blankCSI writes spaces over the terminal's control sequences in b (ESC
// '[', parameter and intermediate bytes but a space, a final byte; at
// most maxCSI bytes): a coloured log ("\x1b[33m15038712486\x1b[0m", as
// Rails, Docker and test runners write to files) is read as its text, the
// value no longer glued to the sequence's final letter. The text keeps its
// length and lines. b is the reader's own buffer, never the file.
func blankCSI(b []byte) {
	for i := 0; ; {
		j := bytes.IndexByte(b[i:], 0x1b)
		if j < 0 {
			return
		}
		i += j
		e := i + 2
		if e > len(b) || b[i+1] != '[' {
			i++
			continue
		}
		for e < len(b) && e-i < maxCSI && b[e] >= 0x30 && b[e] <= 0x3f {
			e++ // parameters: 1;32
		}
		for e < len(b) && e-i < maxCSI && b[e] >= 0x21 && b[e] <= 0x2f {
			e++ // intermediates (not a space: one blanked reads as one)
		}
		if e < len(b) && e-i < maxCSI && b[e] >= 0x40 && b[e] <= 0x7e {
			for e++; i < e; i++ {
				b[i] = ' '
			}
			continue
		}
		i++
	}
}
