package files

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"math"
	"os"
	"path"
	"syscall"

	"github.com/piimap/piimap/sources"
)

// A large file is read as consecutive ranges by several workers at once
// (Options.SplitSize): each range is a sources.Part, read by whichever
// worker is free.
//
// Only UTF-8 plain text and JSON lines are split: each line stands alone
// there. CSV (its header names every column), compressed files (a
// decompressor reads from the start), UTF-16 and Windows-1252 text (decoded
// as a stream) and everything else are read whole.
//
// The ranges are picked from the file's size alone, without reading it
// while it is listed. With R the range size and T the text's size as
// listed (after a byte-order mark), there are T/R ranges, rounded down (a
// file of fewer than two is read whole). Range k nominally covers the text
// offsets [k*R, (k+1)*R), the last one up to the end of the file, however
// long it has grown since it was listed. Its real start is just after the
// first newline at or after k*R (range 0 starts at the text's start), and
// its real end is the real start of the next range: so a range starts on
// a line and ends after one, and the ranges tile the text. A range finds
// its own start by reading from k*R (with Overlap bytes before it, as
// context), and reads on past its nominal end to the first newline at or
// after (k+1)*R. A range with no newline in its nominal span (the middle
// of a line longer than a range) is empty: its start is the next range's,
// it stops searching at its nominal end and hands over nothing. So no
// range reads more than its span plus the line that crosses its end, and
// a file of one long line costs two reads of it, not one per range.
//
// A range is cut into chunks by the chunker readText uses, starting at its
// start with the Overlap bytes before it as context (Chunk.Skip): a match
// near a boundary is seen with its context and owned by exactly one range,
// as by exactly one chunk of the whole-file reading. The chunks are cut
// elsewhere than those of the whole-file reading, which changes nothing
// detectors report (TestChunkSizeDoesNotChangeResults): every chunk owns
// whole lines, each with all of its context, except in a line longer than
// half a chunk, which the chunker must cut inside. There the reading whole
// depends on its own cuts too (the key path of a JSON value is read from
// the chunk's start, an inline ignore comment is looked for in the
// match's chunk), and the ranges may cut such a line elsewhere.
//
// Line numbers: a range numbers its lines from 1 at the first byte it
// hands over (its first chunk's Data[0], context included), and reports
// with Lines the newlines of that context and the newlines it owns; the
// scanner adds the newlines every earlier range owns when it merges the
// ranges in order. A range that did not read to its end (a read error, the
// scan ended) does not know its newlines: the scanner drops the line
// numbers of the ranges after it rather than report wrong ones.
//
// Each range reports the bytes it owns (Sink.Scanned), which add up to the
// file's size; the scanner counts the file once, merges the ranges'
// findings in order and names a failure once (sources.Part).

// rangeSize is the nominal size of a range: an eighth of SplitSize, at
// least one chunk. A file just above SplitSize gives 7 or 8 ranges, a 1 GB
// file 128 with the defaults, enough to keep many workers busy, while what
// a range costs (opening the file, the Overlap bytes before it and the
// line that crosses its end read twice, merging its findings) stays
// negligible.
func (x *Reader) rangeSize() int64 {
	return max(x.opt.SplitSize/8, int64(x.opt.ChunkSize))
}

// yieldFile yields the unit of the regular file at osPath (size bytes,
// listed as loc), or its ranges when it is split; it returns false when
// yield did or ctx ended.
func (x *Reader) yieldFile(ctx context.Context, osPath string, loc sources.Location, size int64, yield func(sources.Unit) bool) bool {
	if x.opt.SplitSize > 0 && size > x.opt.SplitSize {
		if done, ok := x.split(ctx, osPath, loc, size, yield); done {
			return ok
		}
	}
	return yield(&fileUnit{rd: x, osPath: osPath, loc: loc, size: size})
}

// split yields the ranges of the file at osPath when it is text that is
// split (done), and whether to go on (false when yield did or ctx ended).
// A file that is not split, or that cannot be opened or read here, is left
// to the caller (not done), which reads it whole and reports why it could
// not be read. Only the file's head is read here.
func (x *Reader) split(ctx context.Context, osPath string, loc sources.Location, size int64, yield func(sources.Unit) bool) (done, ok bool) {
	f, err := os.OpenFile(osPath, os.O_RDONLY|syscall.O_NONBLOCK, 0)
	if err != nil {
		return false, true
	}
	defer func() { _ = f.Close() }()
	if fi, err := f.Stat(); err != nil || !fi.Mode().IsRegular() {
		return false, true
	}
	b := x.getBufs()
	defer x.putBufs(b)
	head := b.head(0)
	n, herr := fill(f, head)
	base, json, ok := splittable(path.Base(loc.Path), head[:n], herr != nil)
	if !ok {
		return false, true
	}
	ranges := (size - base) / x.rangeSize()
	if ranges < 2 {
		return false, true
	}
	whole := &sources.Whole{Loc: loc, Size: size}
	for i := range ranges {
		if ctx.Err() != nil {
			return true, false
		}
		if !yield(&rangeUnit{rd: x, osPath: osPath, whole: whole, index: int(i), last: i == ranges-1, base: base, json: json}) {
			return true, false
		}
	}
	return true, true
}

// splittable decides from a file's name and head (atEOF: the head is the
// whole file) whether it is split: UTF-8 plain text or JSON lines. base is
// where the text starts (after a byte-order mark), json whether it is JSON
// lines. It decides as read does for the whole file.
func splittable(name string, head []byte, atEOF bool) (base int64, json, ok bool) {
	if SniffKind(head) != "" {
		return 0, false, false
	}
	if enc, bin := SniffText(head, atEOF); bin || enc != UTF8 {
		return 0, false, false
	}
	if len(head) >= 3 && string(head[:3]) == "\xef\xbb\xbf" {
		base = 3
	}
	format, _ := sniffFormat(name, head[base:])
	if format == formatCSV || format == formatHTML || format == formatJSONDoc || format == formatRoff || format == formatXMLDoc || format == formatYAMLDoc || format == formatConfig || format == formatVCard || looksLikeMail(name, head[base:]) || bytes.HasPrefix(head[base:], []byte(`{\rtf`)) {
		return 0, false, false
	}
	return base, format == formatJSONLines, true
}

// rangeUnit is one range of a split file.
type rangeUnit struct {
	rd     *Reader
	osPath string
	whole  *sources.Whole
	index  int
	last   bool
	base   int64 // where the text starts in the file
	json   bool

	// What Read learnt about the range's lines (Lines), and how many
	// bytes it read from the file (tests check that it is bounded).
	lead, owned int64
	linesKnown  bool
	read        int64
}

func (u *rangeUnit) Location() sources.Location { return u.whole.Loc }
func (u *rangeUnit) Size() int64                { return u.whole.Size }

// PartOf implements sources.Part.
func (u *rangeUnit) PartOf() (*sources.Whole, int, bool) { return u.whole, u.index, u.last }

// Lines implements sources.Part.
func (u *rangeUnit) Lines() (lead, owned int64, ok bool) { return u.lead, u.owned, u.linesKnown }

// Read reads the range (the comment at the top of this file) and reports
// the bytes it owns as scanned.
func (u *rangeUnit) Read(ctx context.Context, sink sources.Sink) error {
	x, loc := u.rd, u.whole.Loc
	u.lead, u.owned, u.linesKnown = 0, 0, false
	f, err := os.OpenFile(u.osPath, os.O_RDONLY|syscall.O_NONBLOCK, 0)
	if err != nil {
		sink.Failed(loc, fmt.Errorf("open %s: %w", loc.Path, unwrapPathError(err)))
		return nil
	}
	defer func() { _ = f.Close() }()
	size := x.rangeSize()
	lo, end := int64(u.index)*size, int64(u.index+1)*size // the nominal span
	if u.last {
		end = -1
	}
	from := max(lo-sources.Overlap, 0)
	rr := &rangeReader{r: io.NewSectionReader(f, u.base+from, math.MaxInt64-u.base-from), pos: from, end: end}
	b := x.getBufs()
	defer x.putBufs(b)
	k := x.newChunker(rr, b, u.json)
	k.off = from
	start, found := int64(0), true
	var rerr error
	if u.index > 0 {
		start, found, rerr = k.startLine(lo, end)
	}
	if found {
		lead := int64(bytes.Count(k.buf[:k.skip], nl))
		rerr, err = readChunks(ctx, &k, loc, u.json, nil, b, sink)
		if rerr == nil && err == nil {
			// At the end, the last chunk is still in the buffer.
			u.lead, u.owned = lead, k.line-1+int64(bytes.Count(k.buf[:k.n], nl))-lead
			u.linesKnown = true
		}
	} else {
		u.linesKnown = rerr == nil // empty
	}
	if rerr != nil {
		sink.Failed(loc, fmt.Errorf("read %s: %w", loc.Path, rerr))
	}
	// The bytes it owns: from its start (the file's start for the first
	// range) to where it stopped reading.
	owned := int64(0)
	switch {
	case u.index == 0:
		owned = u.base + rr.pos
	case found:
		owned = rr.pos - start
	}
	sink.Scanned(loc, owned, 0)
	u.read = rr.read
	return err
}

// startLine moves k, whose stream starts at k.off (at most Overlap bytes
// before lo), to the start of a range: just after the first newline at or
// after the text offset lo and before end (end < 0: anywhere), with up to
// Overlap bytes before it at the buffer's start as context (k.skip), the
// buffer's first byte being line 1. start is that offset; found is false
// when there is no such newline (the range is empty), err a read error.
func (k *chunker) startLine(lo, end int64) (start int64, found bool, err error) {
	const o = sources.Overlap
	for {
		m, ferr := fill(k.r, k.buf[k.n:])
		k.n += m
		i, j := int(max(lo-k.off, 0)), k.n
		if end >= 0 {
			j = int(min(int64(j), end-k.off))
		}
		if i < j {
			if p := bytes.IndexByte(k.buf[i:j], '\n'); p >= 0 {
				cut := i + p + 1
				k.skip = min(cut, o)
				k.slide(cut - k.skip)
				return k.off + int64(k.skip), true, nil
			}
		}
		if ferr != nil {
			if ferr == io.EOF {
				ferr = nil
			}
			return 0, false, ferr
		}
		if end >= 0 && k.off+int64(k.n) >= end {
			return 0, false, nil
		}
		k.slide(k.n - min(k.n, o)) // keep the context, read on
	}
}

// slide drops the first n bytes of the buffer.
func (k *chunker) slide(n int) {
	k.n = copy(k.buf, k.buf[n:k.n])
	k.off += int64(n)
}

// rangeReader reads the text of a range from the text offset pos on: to
// the end of the file, or, when end ≥ 0, up to and including the first
// newline at or after end. It reads no further than end in one call, and
// past it in growing steps, so that the line that crosses end is not read
// much beyond its newline.
type rangeReader struct {
	r    io.Reader
	pos  int64 // text offset of the next byte
	end  int64
	step int   // how much to read past end in the next call
	read int64 // bytes read from r
	done bool
}

func (r *rangeReader) Read(p []byte) (int, error) {
	if r.done {
		return 0, io.EOF
	}
	if r.end < 0 {
		n, err := r.r.Read(p)
		r.pos += int64(n)
		r.read += int64(n)
		return n, err
	}
	past := r.pos >= r.end
	if !past {
		p = p[:min(int64(len(p)), r.end-r.pos)]
	} else {
		r.step = min(max(2*r.step, 4<<10), len(p))
		p = p[:r.step]
	}
	n, err := r.r.Read(p)
	r.read += int64(n)
	if past {
		if i := bytes.IndexByte(p[:n], '\n'); i >= 0 {
			n, err, r.done = i+1, nil, true
		}
	}
	r.pos += int64(n)
	return n, err
}
