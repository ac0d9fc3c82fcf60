package files

import (
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
// as a stream) and everything else are read whole, as is a file in which
// no range boundary is found (one long line).
//
// The ranges give exactly what reading the file whole gives. While the
// source lists the file, one pass reads it with the chunker readText uses:
// it knows where every chunk of the whole-file reading is cut, and the line
// number at each cut (bytes.Count, several GB/s). A range ends at the cut
// of a chunk that was cut after a newline, once it holds at least the range
// size (SplitSize/8, at least one chunk), and the next range starts where
// the next chunk of the whole-file reading starts (Overlap bytes of context
// before the cut), with that chunk's owned offset and line number. So every
// chunk a range hands over is the chunk the whole-file reading hands over
// there, with the same owned range and line number; the last chunk of a
// range is cut at the range's end, which is where the whole-file chunk was
// cut. The last range reads to the end of the file, however long it has
// grown since it was listed, and meets a read error the pass stopped at.
// The pass runs ahead of the workers by the units the scanner queues: a
// range is yielded as soon as its end is known.
//
// Each range reports the bytes it owns (Sink.Scanned), which add up to the
// file's size; the scanner counts the file once, merges the ranges'
// findings in order and names a failure once (sources.Part).

// rangeSize is the least size of a range: an eighth of SplitSize, at
// least one chunk. A file just above SplitSize gives 8 ranges, a 1 GB file
// 128 with the defaults, enough to keep many workers busy, while what a
// range costs (opening the file, Overlap bytes read twice, merging its
// findings) stays negligible.
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
// not be read.
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
	if _, err := f.Seek(base, io.SeekStart); err != nil {
		return false, true
	}
	whole := &sources.Whole{Loc: loc, Size: size}
	k := x.newChunker(f, b, json)
	from := rangeStart{line: 1}
	index := 0
	for {
		if ctx.Err() != nil {
			return true, false
		}
		cut, limit, final, _ := k.next()
		if final {
			// The end, or a read error: the last range reads to the
			// end and reports the error.
			break
		}
		end := k.off + int64(cut)
		k.advance(cut, limit)
		if cut != limit || end-from.off-int64(from.skip) < x.rangeSize() {
			continue // not after a newline, or too little
		}
		if !yield(&rangeUnit{rd: x, osPath: osPath, whole: whole, index: index, base: base, json: json, from: from, end: end}) {
			return true, false
		}
		index++
		from = rangeStart{off: k.off, skip: k.skip, line: k.line}
	}
	if index == 0 {
		return false, true // one range: read whole
	}
	return true, yield(&rangeUnit{rd: x, osPath: osPath, whole: whole, index: index, last: true, base: base, json: json, from: from, end: -1})
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
	if format == formatCSV {
		return 0, false, false
	}
	return base, format == formatJSONLines, true
}

// rangeStart is where a range starts reading, in the text (after base):
// the start of a chunk of the whole-file reading, which owns the offsets
// from skip on, and the line number there.
type rangeStart struct {
	off  int64
	skip int
	line int64
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
	from   rangeStart
	end    int64 // where the range ends in the text; -1: at the end of the file
}

func (u *rangeUnit) Location() sources.Location { return u.whole.Loc }
func (u *rangeUnit) Size() int64                { return u.whole.Size }

// PartOf implements sources.Part.
func (u *rangeUnit) PartOf() (*sources.Whole, int, bool) { return u.whole, u.index, u.last }

// Read reads the range as readText reads the whole file there, and reports
// the bytes it owns as scanned.
func (u *rangeUnit) Read(ctx context.Context, sink sources.Sink) error {
	x, loc := u.rd, u.whole.Loc
	f, err := os.OpenFile(u.osPath, os.O_RDONLY|syscall.O_NONBLOCK, 0)
	if err != nil {
		sink.Failed(loc, fmt.Errorf("open %s: %w", loc.Path, unwrapPathError(err)))
		return nil
	}
	defer func() { _ = f.Close() }()
	start := u.base + u.from.off
	n := int64(math.MaxInt64) - start
	if u.end >= 0 {
		n = u.end - u.from.off
	}
	raw := &counter{r: io.NewSectionReader(f, start, n)}
	b := x.getBufs()
	defer x.putBufs(b)
	k := x.newChunker(raw, b, u.json)
	k.line, k.skip, k.off = u.from.line, u.from.skip, u.from.off
	rerr, err := readChunks(ctx, &k, loc, u.json, b, sink)
	if rerr != nil {
		sink.Failed(loc, fmt.Errorf("read %s: %w", loc.Path, rerr))
	}
	// The bytes it owns: from its first owned byte (the file's start for
	// the first range) to where it stopped reading.
	owned := start + int64(u.from.skip)
	if u.index == 0 {
		owned = 0
	}
	sink.Scanned(loc, max(start+raw.n-owned, 0), 0)
	return err
}
