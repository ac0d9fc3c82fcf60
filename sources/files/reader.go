package files

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path"
	"sync"
	"syscall"
	"time"

	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/unicode"
	"golang.org/x/text/transform"

	"github.com/piimap/piimap/internal/pump"
	"github.com/piimap/piimap/sources"
)

// Defaults for the archive limits in sources.Options.
const (
	DefaultMaxArchiveBytes = 4 << 30
	DefaultMaxArchiveRatio = 1000
	DefaultMaxArchiveDepth = 5
)

// Stream is content to read: a file's bytes, or an archive member's.
type Stream struct {
	// Loc is where the content lives; chunks carry it (with Field set for
	// CSV columns), and failures and skips are reported against it.
	Loc sources.Location
	// Name is the file name, for extension hints ("kunder.csv.gz").
	Name string
	// R yields the content from its first byte.
	R io.Reader
	// File is the same content for random access when it is a file on disk
	// read from its start, else nil. OSPath is then its path.
	File   *os.File
	OSPath string
	// ReaderAt is the same content for random access when there is such
	// access (a file on disk or on a share, a stored archive member), else
	// nil; Size is then its size. It is nil after decompression.
	ReaderAt io.ReaderAt
	// Size is the content's size in bytes, -1 if unknown.
	Size int64
	// Depth is the archive nesting depth: 0 for a file on disk, 1 for a
	// member of an archive on disk, ….
	Depth int
}

// Format is content whose kind the text path does not read: a zip, tar,
// PDF or SQLite file, possibly after decompression. Stream.R reads it from
// its first byte (the sniffed head included); Stream.File and OSPath are set
// only when the content is the undecompressed file on disk; Stream.Name has
// compression extensions removed ("x.tgz" → "x.tar"). Stream.ReaderAt is
// set, with Size, when the content can be read at random offsets.
type Format struct {
	Kind Kind
	Stream
}

// FormatReader reads one kind of content into sink, for example the members
// of a zip archive, each through r.ReadStream with Loc.Path
// "outer.zip!member.csv" and Depth+1. It reports its own partial failures
// with sink.Failed; an error return is reported as the failure of the whole
// content, except context errors, which end the scan. It enforces the
// archive limits of r.Options() (MaxArchiveDepth against f.Depth,
// MaxArchiveEntries, MaxArchiveBytes) itself.
type FormatReader func(ctx context.Context, f *Format, r *Reader, sink sources.Sink) error

// Option configures a Reader or a Source.
type Option func(*config)

type config struct {
	formats map[Kind]FormatReader
	prefix  bool // WithTargetPrefix
}

// WithTargetPrefix makes a Source write the root as given before each
// path of a directory's files in their locations ("logs/app.log" rather
// than "app.log" for the root "logs"), as the locations of a file given
// as the root already are. With several targets scanned together, the
// files of two directories then keep apart where they have the same
// relative path. It changes nothing for a Reader.
func WithTargetPrefix() Option {
	return func(c *config) { c.prefix = true }
}

// WithFormat registers fr to read content of the given kind, which would
// otherwise be skipped ("unsupported format: zip", "binary"). It is how
// readers for zip, docx/xlsx, PDF and SQLite plug in.
func WithFormat(kind Kind, fr FormatReader) Option {
	return func(c *config) {
		if c.formats == nil {
			c.formats = make(map[Kind]FormatReader)
		}
		c.formats[kind] = fr
	}
}

// Reader reads content into a Sink: it sniffs, decompresses, decodes and
// cuts text into overlapping chunks, CSV into fields. It is safe for
// concurrent use; each call uses one buffer of ChunkSize+Overlap bytes
// (pooled) whatever the size of the content or of its lines.
type Reader struct {
	opt     sources.Options
	log     *slog.Logger
	formats map[Kind]FormatReader
	bufs    sync.Pool
	// textBufs are the *textConvBufs HTML and roff files are read
	// through.
	textBufs sync.Pool
	dec      *decoderPool
}

// textConvBufs are the buffers an HTML or roff file is converted
// through: what it is read through (textBufSize), and the converter's
// output (pump.Buffer.Out), which grows to a step's size (8 KiB and a
// line) once rather than from nothing for every file.
type textConvBufs struct {
	br  *bufio.Reader
	out []byte
}

// maxKeptConvOut bounds the output buffer kept for the next file: a
// step's output past a line far longer than most is not kept.
const maxKeptConvOut = 256 << 10

// minChunkSize: a chunk holds at least as much new content as it shares
// with the previous one.
const minChunkSize = sources.Overlap

// NewReader returns a Reader. Zero options take their defaults; log may be nil.
func NewReader(opt sources.Options, log *slog.Logger, opts ...Option) *Reader {
	if opt.ChunkSize <= 0 {
		opt.ChunkSize = sources.DefaultChunkSize
	}
	opt.ChunkSize = max(opt.ChunkSize, minChunkSize)
	if opt.SplitSize == 0 {
		opt.SplitSize = sources.DefaultSplitSize
	}
	if opt.MaxArchiveBytes <= 0 {
		opt.MaxArchiveBytes = DefaultMaxArchiveBytes
	}
	if opt.MaxArchiveRatio <= 0 {
		opt.MaxArchiveRatio = DefaultMaxArchiveRatio
	}
	if opt.MaxArchiveDepth <= 0 {
		opt.MaxArchiveDepth = DefaultMaxArchiveDepth
	}
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	var c config
	for _, o := range opts {
		o(&c)
	}
	return &Reader{opt: opt, log: log, formats: c.formats, dec: newDecoderPool()}
}

// Options returns the options in effect, defaults filled in.
func (x *Reader) Options() sources.Options { return x.opt }

// buffers are the per-call buffers, pooled. chunk and keep are made on
// first use: a call that hands its content to a FormatReader (an archive,
// whose members each take buffers of their own) needs neither, and a CSV
// file needs only keep.
type buffers struct {
	chunk []byte
	heads [maxLayers + 2][]byte
	field []byte
	keep  []byte
	csv   csvBlock
	c     sources.Chunk
	// csvMasks are the CSV parser's masks of keep (see csvParser).
	csvMasks csvMasks
}

func (b *buffers) head(i int) []byte {
	if b.heads[i] == nil {
		b.heads[i] = make([]byte, SniffLen)
	}
	return b.heads[i]
}

func (x *Reader) getBufs() *buffers {
	if b, ok := x.bufs.Get().(*buffers); ok {
		return b
	}
	return &buffers{}
}

func (x *Reader) putBufs(b *buffers) {
	b.c = sources.Chunk{}
	x.bufs.Put(b)
}

// ReadFile reads the file at osPath (opened read-only, never written) and
// reports it as loc: Scanned with the bytes read from disk, or Skipped, or
// Failed. It returns an error only when ctx ends or the sink fails.
func (x *Reader) ReadFile(ctx context.Context, osPath string, loc sources.Location, sink sources.Sink) error {
	// O_NONBLOCK: should a FIFO have replaced the file since it was listed,
	// opening it must not hang. It does nothing for regular files.
	f, err := os.OpenFile(osPath, os.O_RDONLY|syscall.O_NONBLOCK, 0)
	if err != nil {
		sink.Failed(loc, fmt.Errorf("open %s: %w", loc.Path, unwrapPathError(err)))
		return nil
	}
	defer func() { _ = f.Close() }()
	fi, err := f.Stat()
	if err != nil {
		sink.Failed(loc, fmt.Errorf("stat %s: %w", loc.Path, unwrapPathError(err)))
		return nil
	}
	if !fi.Mode().IsRegular() {
		sink.Skipped(loc, specialReason(fi.Mode()))
		return nil
	}
	if m := x.opt.MaxFileSize; m > 0 && fi.Size() > m {
		sink.Skipped(loc, TooLargeReason(m))
		return nil
	}
	if f.SetReadDeadline(time.Time{}) == nil {
		// The poller takes no file on disk: this is a kernel or device
		// interface that looks like a file (/proc, /sys). Reading one can
		// wait for ever (/proc/kmsg) or take what others wait for (a
		// read of /proc/kmsg consumes the kernel's messages).
		sink.Skipped(loc, KernelFileReason)
		return nil
	}
	raw := &counter{r: f, size: fi.Size(), known: true}
	s := Stream{Loc: loc, Name: path.Base(loc.Path), R: raw, File: f, OSPath: osPath, ReaderAt: f, Size: fi.Size()}
	return x.readSized(ctx, &s, raw, sink)
}

// KernelFileReason is the skip reason of a file that is not on disk but a
// kernel or device interface (/proc, /sys): Go's poller takes it, and it
// never takes a file on disk.
const KernelFileReason = "not a file on disk (a kernel or device interface, such as /proc and /sys)"

// readSized reads s, whose size is known, and reports Scanned with the
// bytes read.
func (x *Reader) readSized(ctx context.Context, s *Stream, raw *counter, sink sources.Sink) error {
	status, err := x.read(ctx, s, raw, sink)
	switch status {
	case readStream:
		sink.Scanned(s.Loc, raw.n, 0)
	case readFile: // a FormatReader read it by random access or by path
		sink.Scanned(s.Loc, max(raw.n, s.Size), 0)
	}
	return err
}

// ReadReaderAt reads size bytes of content from ra, such as a file on a
// share, and reports it as loc like ReadFile reports a file on disk:
// Scanned, Skipped (MaxFileSize) or Failed. Format readers get ra as
// Stream.ReaderAt. It returns an error only when ctx ends or the sink fails.
func (x *Reader) ReadReaderAt(ctx context.Context, ra io.ReaderAt, size int64, loc sources.Location, sink sources.Sink) error {
	if m := x.opt.MaxFileSize; m > 0 && size > m {
		sink.Skipped(loc, TooLargeReason(m))
		return nil
	}
	raw := &counter{r: io.NewSectionReader(ra, 0, size)}
	s := Stream{Loc: loc, Name: path.Base(loc.Path), R: raw, ReaderAt: ra, Size: size}
	return x.readSized(ctx, &s, raw, sink)
}

// ReadText reads r as UTF-8 plain text, without sniffing or decoding, in
// overlapping chunks with line numbers (from 1), as text files are read.
// Format readers use it for the text they extract from documents. An error
// reading r is reported with sink.Failed after what was read before it has
// been handed over; the error returned is a context or sink error.
func (x *Reader) ReadText(ctx context.Context, r io.Reader, loc sources.Location, sink sources.Sink) error {
	return x.readTextItem(ctx, r, loc, 0, sink)
}

// ReadItemText reads r as ReadText does, as the text of item number n
// (1-based) of the container at loc: a message of a mailbox folder. Every
// chunk's Line is n (Chunk.OneLine), so that a finding's line is the
// item's number.
func (x *Reader) ReadItemText(ctx context.Context, r io.Reader, loc sources.Location, n int64, sink sources.Sink) error {
	return x.readTextItem(ctx, r, loc, n, sink)
}

// readTextItem is ReadText, and with item > 0 ReadItemText.
func (x *Reader) readTextItem(ctx context.Context, r io.Reader, loc sources.Location, item int64, sink sources.Sink) error {
	b := x.getBufs()
	defer x.putBufs(b)
	k := x.newChunker(r, b, false)
	k.item = item
	rerr, err := readChunks(ctx, &k, loc, false, nil, b, sink)
	if err != nil {
		return err
	}
	if rerr != nil {
		if ctx.Err() != nil && errors.Is(rerr, ctx.Err()) {
			return rerr
		}
		sink.Failed(loc, fmt.Errorf("read %s: %w", loc.Path, rerr))
	}
	return nil
}

// ReadStream reads s into sink like ReadFile reads a file, but does not
// report Scanned: the caller knows what it counts. Archive readers use it
// for their members.
func (x *Reader) ReadStream(ctx context.Context, s Stream, sink sources.Sink) error {
	raw := &counter{r: s.R}
	s.R = raw
	_, err := x.read(ctx, &s, raw, sink)
	return err
}

// unwrapPathError drops the *PathError wrapper, whose message repeats the
// absolute path; callers name the location themselves.
func unwrapPathError(err error) error {
	var pe *os.PathError
	if errors.As(err, &pe) {
		return fmt.Errorf("%s: %w", pe.Op, pe.Err)
	}
	return err
}

func specialReason(m os.FileMode) string {
	switch {
	case m&os.ModeNamedPipe != 0:
		return "special file (named pipe)"
	case m&os.ModeSocket != 0:
		return "special file (socket)"
	case m&os.ModeCharDevice != 0:
		return "special file (character device)"
	case m&os.ModeDevice != 0:
		return "special file (device)"
	case m.IsDir():
		return "directory"
	}
	return "special file"
}

// TooLargeReason is the reason given for a file skipped because it is
// larger than Options.MaxFileSize.
func TooLargeReason(limit int64) string {
	return fmt.Sprintf("larger than --max-file-size (%d bytes)", limit)
}

// prefixed yields head, then continues with r; if err is set (what reading
// head ended with), it is returned instead of reading r.
type prefixed struct {
	head []byte
	r    io.Reader
	err  error
}

func (p *prefixed) Read(b []byte) (int, error) {
	if len(p.head) > 0 {
		n := copy(b, p.head)
		p.head = p.head[n:]
		return n, nil
	}
	if p.err != nil {
		return 0, p.err
	}
	return p.r.Read(b)
}

// fill reads into p until it is full or the reader ends; err is io.EOF at
// the end of the content or the read error.
func fill(r io.Reader, p []byte) (int, error) {
	n, empty := 0, 0
	for n < len(p) {
		m, err := r.Read(p[n:])
		n += m
		if err != nil {
			return n, err
		}
		if m == 0 {
			if empty++; empty > 100 {
				return n, io.ErrNoProgress
			}
		}
	}
	return n, nil
}

// readStatus says what read did with the content.
type readStatus int

const (
	notRead    readStatus = iota // skipped, or failed before any content
	readStream                   // read through the stream
	readFile                     // handed to a FormatReader with the file itself
)

// read sniffs, decompresses and decodes s and hands its content to sink.
// raw counts the bytes taken from the underlying reader (for the ratio
// check). Read failures go to sink.Failed; err is a context or sink error.
func (x *Reader) read(ctx context.Context, s *Stream, raw *counter, sink sources.Sink) (readStatus, error) {
	b := x.getBufs()
	defer x.putBufs(b)
	loc := s.Loc
	var r io.Reader = raw
	for layer := 0; ; layer++ {
		if err := ctx.Err(); err != nil {
			return notRead, err
		}
		head := b.head(layer)
		n, herr := fill(r, head)
		h := head[:n]
		atEOF := herr != nil
		src := &prefixed{head: h, r: r}
		if herr != nil {
			src.err = herr
		}
		kind := SniffKind(h)
		if k := extKind(s.Name); k != "" && k != kind {
			// Magic bytes decide: a "x.gz" that is not gzip data is read
			// as what it is.
			x.log.Debug("content does not match its extension", "path", loc.Path, "extension", string(k), "content", string(kind))
		}
		if kind.Compressed() {
			if layer >= maxLayers {
				sink.Skipped(loc, fmt.Sprintf("unsupported format: %s nested more than %d deep", kind, maxLayers))
				return notRead, nil
			}
			dec, closeDec, err := decompressor(x.dec, kind, src, h)
			if err != nil {
				sink.Failed(loc, fmt.Errorf("read %s: %w", loc.Path, err))
				return notRead, nil
			}
			defer closeDec()
			r = &bombGuard{
				r:     &decodeErrs{r: dec, kind: kind},
				max:   x.opt.MaxArchiveBytes,
				ratio: int64(x.opt.MaxArchiveRatio),
				raw:   raw,
			}
			s.Name = innerName(s.Name)
			s.File, s.OSPath, s.ReaderAt, s.Size = nil, "", nil, -1
			x.log.Debug("decompressing", "path", loc.Path, "format", string(kind))
			continue
		}
		enc := UTF8
		if kind == "" {
			var bin bool
			if enc, bin = SniffText(h, atEOF); bin {
				kind = KindBinary
			} else {
				kind = KindText
			}
		}
		// Mail and RTF are text, read as text unless their reader is
		// registered.
		switch {
		case kind != KindText || enc != UTF8 && enc != Windows1252:
		case x.formats[KindRTF] != nil && bytes.HasPrefix(h, []byte(`{\rtf`)):
			kind = KindRTF
		case x.formats[KindMail] != nil && looksLikeMail(s.Name, h):
			kind = KindMail
		}
		if kind != KindText {
			return x.readFormat(ctx, kind, s, src, sink)
		}
		return readStream, x.readTextContent(ctx, enc, s, src, b, layer, sink)
	}
}

// readFormat hands content of a non-text kind to its FormatReader, or skips it.
func (x *Reader) readFormat(ctx context.Context, kind Kind, s *Stream, src io.Reader, sink sources.Sink) (readStatus, error) {
	fr, ok := x.formats[kind]
	if !ok {
		switch {
		case kind == KindBinary:
			sink.Skipped(s.Loc, "binary")
		case kind.Container():
			sink.Skipped(s.Loc, "unsupported format: "+string(kind))
		default:
			sink.Skipped(s.Loc, "binary ("+string(kind)+")")
		}
		return notRead, nil
	}
	status := readStream
	if s.File != nil || s.ReaderAt != nil {
		status = readFile
	}
	f := &Format{Kind: kind, Stream: *s}
	f.R = src
	if err := fr(ctx, f, x, sink); err != nil {
		if ctx.Err() != nil {
			return status, ctx.Err()
		}
		sink.Failed(s.Loc, fmt.Errorf("read %s as %s: %w", s.Loc.Path, kind, err))
	}
	return status, nil
}

// readTextContent decodes text to UTF-8 and reads it as CSV, JSON lines or
// plain text.
func (x *Reader) readTextContent(ctx context.Context, enc Encoding, s *Stream, src *prefixed, b *buffers, layer int, sink sources.Sink) error {
	var dec *encoding.Decoder
	switch enc {
	case UTF16LE:
		dec = unicode.UTF16(unicode.LittleEndian, unicode.UseBOM).NewDecoder()
	case UTF16BE:
		dec = unicode.UTF16(unicode.BigEndian, unicode.UseBOM).NewDecoder()
	case Windows1252:
		dec = charmap.Windows1252.NewDecoder()
	}
	var text *prefixed
	if dec == nil {
		// UTF-8: drop a BOM; the head is already at hand.
		if len(src.head) >= 3 && string(src.head[:3]) == "\xef\xbb\xbf" {
			src.head = src.head[3:]
		}
		text = src
	} else {
		x.log.Debug("decoding", "path", s.Loc.Path, "encoding", string(enc))
		tr := transform.NewReader(src, dec)
		dh := b.head(layer + 1)
		n, err := fill(tr, dh)
		text = &prefixed{head: dh[:n], r: tr}
		if err != nil {
			text.err = err
		}
	}
	format, comma := sniffFormat(s.Name, text.head)
	var rerr, err error
	switch format {
	case formatCSV:
		rerr, err = x.readCSV(ctx, text, s.Loc, comma, b, sink)
	case formatHTML, formatRoff:
		// Both convert through pooled buffers: a tree of small files
		// (man pages) would otherwise allocate and clear them per file.
		tb, _ := x.textBufs.Get().(*textConvBufs)
		if tb == nil {
			tb = &textConvBufs{br: bufio.NewReaderSize(text, textBufSize)}
		} else {
			tb.br.Reset(text)
		}
		var conv io.Reader
		var out *pump.Buffer // the converter's output, its buffer kept for the next file
		if format == formatRoff {
			t := &roffText{r: tb.br, start: true}
			conv, out = t, &t.Buffer
		} else {
			t := &htmlText{r: tb.br}
			conv, out = t, &t.Buffer
		}
		out.Out = tb.out[:0]
		rerr, err = x.readText(ctx, conv, s.Loc, false, 1, b, sink)
		tb.br.Reset(nil)
		if tb.out = out.Out; cap(tb.out) > maxKeptConvOut {
			tb.out = nil
		}
		x.textBufs.Put(tb)
	case formatJSONDoc:
		rerr, err = x.readJSONDoc(ctx, text, s.Loc, b, sink)
	case formatYAMLDoc:
		rerr, err = x.readYAMLDoc(ctx, text, s.Loc, sources.YAMLState{}, b, sink)
	case formatConfig:
		rerr, err = x.readYAMLDoc(ctx, text, s.Loc, sources.ConfigState(), b, sink)
	case formatVCard:
		rerr, err = x.readVCard(ctx, text, s.Loc, b, sink)
	case formatXMLDoc:
		rerr, err = x.readXMLDoc(ctx, text, s.Loc, b, sink)
	default:
		rerr, err = x.readText(ctx, text, s.Loc, format == formatJSONLines, 1, b, sink)
	}
	if err != nil {
		return err
	}
	if rerr != nil {
		sink.Failed(s.Loc, fmt.Errorf("read %s: %w", s.Loc.Path, rerr))
	}
	return nil
}
