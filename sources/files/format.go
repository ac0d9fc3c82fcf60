package files

import (
	"fmt"
	"io"

	"github.com/piimap/piimap/internal/spool"
	"github.com/piimap/piimap/sources"
)

// spoolMemory is how much of content without random access (a PDF,
// database or document inside a compressed archive) RandomAccess holds in
// memory before it goes to a temporary file.
const spoolMemory = 16 << 20

// RandomAccess returns f's content for reading at random offsets, as the
// readers of PDF, SQLite, OLE2 and mail need it: f.ReaderAt when there is
// such access, else the content spooled from f.R (in memory up to
// spoolMemory bytes, then an unlinked temporary file; more than rd's
// MaxArchiveBytes fails with spool.ErrTooLarge). release frees the spool.
func (f *Format) RandomAccess(rd *Reader) (ra io.ReaderAt, size int64, release func(), err error) {
	if f.ReaderAt != nil && f.Size >= 0 {
		return f.ReaderAt, f.Size, func() {}, nil
	}
	sp, err := spool.New(f.R, spoolMemory, rd.Options().MaxArchiveBytes, "")
	if err != nil {
		return nil, 0, nil, err
	}
	return sp, sp.Size(), func() { _ = sp.Close() }, nil
}

// TooDeep reports whether content nested in f (an attachment, an embedded object)
// would pass rd's MaxArchiveDepth; when it would, loc is reported skipped.
func (f *Format) TooDeep(rd *Reader, loc sources.Location, sink sources.Sink) bool {
	if lim := rd.Options().MaxArchiveDepth; f.Depth >= lim {
		sink.Skipped(loc, fmt.Sprintf("attachment or embedded object nested deeper than %d", lim))
		return true
	}
	return false
}
