package files

import (
	"context"
	"io"
	"log/slog"
	"path"
	"sync"

	"github.com/piimap/piimap/sources"
)

// StdinTarget is the target that names standard input.
const StdinTarget = "-"

// DefaultStdinName is the location path of standard input when no name is
// given: it is reported as file:stdin.
const DefaultStdinName = "stdin"

// streamSource is a source of one unit: the content of a reader, read like
// a file (decompressed, read by content) but only once and front to back.
type streamSource struct {
	rd   *Reader
	r    io.Reader
	loc  sources.Location
	once sync.Once
}

// NewStreamSource returns a source whose one unit is the content of r (such
// as standard input), reported at file:NAME. name also gives the extension
// hint ("dump.csv", "app.log.gz"); "" means DefaultStdinName.
func NewStreamSource(r io.Reader, name string, opt sources.Options, log *slog.Logger, opts ...Option) sources.Source {
	if name == "" {
		name = DefaultStdinName
	}
	name = path.Clean("/" + name)[1:]
	if name == "" {
		name = DefaultStdinName
	}
	return &streamSource{rd: NewReader(opt, log, opts...), r: r, loc: sources.Location{Path: name}}
}

// Units yields the one unit.
func (s *streamSource) Units(ctx context.Context, yield func(sources.Unit) bool) error {
	yield(&streamUnit{s: s})
	return nil
}

// Close does nothing: the reader belongs to the caller.
func (s *streamSource) Close() error { return nil }

type streamUnit struct{ s *streamSource }

func (u *streamUnit) Location() sources.Location { return u.s.loc }
func (u *streamUnit) Size() int64                { return -1 }

// Read reads the stream; a second read finds it consumed and reads nothing.
func (u *streamUnit) Read(ctx context.Context, sink sources.Sink) error {
	var err error
	u.s.once.Do(func() {
		raw := &counter{r: u.s.r}
		st := Stream{Loc: u.s.loc, Name: path.Base(u.s.loc.Path), R: raw, Size: -1}
		var status readStatus
		status, err = u.s.rd.read(ctx, &st, raw, sink)
		if status != notRead {
			sink.Scanned(u.s.loc, raw.n, 0)
		}
	})
	return err
}
