// Package archive reads zip and tar archives for the files reader: every
// member goes back through files.Reader.ReadStream, so that it is sniffed
// and read like a file (CSV members get columns, a docx or a zip inside a
// zip is read in turn, a SQLite member is a database), located as
// "exports/2024.zip!kunder/2024.csv" ("!" between an archive and its
// member, at any depth). A zip that is a document (docx, xlsx, pptx, odt,
// ods, odp) is handed to package docs instead.
//
// Limits against decompression bombs, from sources.Options (zero values
// take the defaults), are checked before each member is read, against the
// sizes the archive declares (archive/zip refuses a member that inflates
// to more than its declared size; tar sizes are exact), and shared by an
// archive and every archive nested in it:
//
//   - MaxArchiveBytes (4 GiB): uncompressed bytes of all members;
//   - MaxArchiveRatio (1000): a zip member's uncompressed to compressed
//     size, and all members so far to the archive's size, once past
//     64 MiB (or a quarter of MaxArchiveBytes if less);
//   - MaxArchiveDepth (5): archives nested in archives;
//   - MaxArchiveEntries (100,000): members.
//
// A limit reached is reported with sink.Failed on the archive, naming the
// limit and the member; the members before it have been scanned, the rest
// of the archive (and of any archive it is nested in) is not read, and the
// scan goes on with the next file. Compressed tars (tar.gz, tar.zst, …) are
// decompressed by the files reader under the same byte and ratio limits.
//
// Zip archives and documents need random access: a zip that is a file (on
// disk or on a share) or a stored member of another zip is read in place;
// one inside a compressed stream or a deflated member is copied first to
// memory (up to 4 MiB; a member that declares a larger size goes
// straight to disk) or an unlinked temporary file (internal/spool), at
// most MaxArchiveBytes. Encrypted members are skipped ("encrypted archive
// member"), as are links and special files in tars.
package archive

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"path"
	"slices"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/encoding/charmap"

	"github.com/piimap/piimap/sources"
	"github.com/piimap/piimap/sources/files"
)

// Defaults for the limits files.NewReader does not fill in.
const (
	DefaultMaxArchiveDepth   = 5
	DefaultMaxArchiveEntries = 100_000
)

const (
	// ratioFloor is how many uncompressed bytes pass before the ratio is
	// checked (or a quarter of MaxArchiveBytes if less), as in package files.
	ratioFloor = 64 << 20
	// spoolMemory is how much of an archive without random access is
	// buffered in memory before a temporary file is used. An archive may
	// hold one such copy per nesting level on every worker, so it is kept
	// small: a temporary file costs little more.
	spoolMemory = 4 << 20
)

// Errors for the limits. Size and ratio use the files package's errors,
// so that errors.Is works the same for compressed files and archives.
var (
	ErrTooDeep        = errors.New("archives nested deeper than the limit")
	ErrTooManyEntries = errors.New("archive has more members than the limit")
)

// limits are the archive limits in effect.
type limits struct {
	bytes   int64
	ratio   int64
	floor   int64
	depth   int
	entries int
	maxFile int64
}

func limitsOf(opt sources.Options) limits {
	l := limits{
		bytes:   opt.MaxArchiveBytes,
		ratio:   int64(opt.MaxArchiveRatio),
		depth:   opt.MaxArchiveDepth,
		entries: opt.MaxArchiveEntries,
		maxFile: opt.MaxFileSize,
	}
	if l.bytes <= 0 {
		l.bytes = files.DefaultMaxArchiveBytes
	}
	if l.ratio <= 0 {
		l.ratio = files.DefaultMaxArchiveRatio
	}
	if l.depth <= 0 {
		l.depth = DefaultMaxArchiveDepth
	}
	if l.entries <= 0 {
		l.entries = DefaultMaxArchiveEntries
	}
	l.floor = min(ratioFloor, l.bytes/4)
	return l
}

// budget is what an outermost archive and the archives nested in it have
// used of the limits. It travels in the context (one unit, one goroutine).
type budget struct {
	bytes   int64
	entries int
	tripped error // the limit reached, once one is
}

type budgetKey struct{}

// withBudget returns the budget of the archive tree ctx belongs to, making
// one (and a context carrying it) for an outermost archive.
func withBudget(ctx context.Context) (context.Context, *budget) {
	if b, ok := ctx.Value(budgetKey{}).(*budget); ok {
		return ctx, b
	}
	b := &budget{}
	return context.WithValue(ctx, budgetKey{}, b), b
}

// tracker checks the limits for the members of one archive.
type tracker struct {
	lim  limits
	b    *budget
	size int64 // the archive's own size, -1 if unknown
	read int64 // declared uncompressed bytes of this archive's members so far
}

// admit accounts for a member of the given declared size (csize is its
// compressed size, -1 when not compressed) before it is read, and returns
// the limit it would exceed.
func (t *tracker) admit(name string, size, csize int64) error {
	if t.b.tripped != nil {
		return t.b.tripped
	}
	t.b.entries++
	var err error
	switch {
	case t.b.entries > t.lim.entries:
		err = fmt.Errorf("%w (%d) at member %q", ErrTooManyEntries, t.lim.entries, name)
	case size > t.lim.bytes-t.b.bytes:
		err = fmt.Errorf("%w (%d bytes) at member %q, which declares %d bytes", files.ErrDecompressedSize, t.lim.bytes, name, size)
	case csize >= 0 && size > t.lim.floor && size > t.lim.ratio*max(csize, 1):
		err = fmt.Errorf("%w (%d:1) at member %q: %d bytes from %d", files.ErrCompressionRatio, t.lim.ratio, name, size, csize)
	case t.size > 0 && t.read+size > t.lim.floor && t.read+size > t.lim.ratio*t.size:
		err = fmt.Errorf("%w (%d:1) at member %q: %d bytes from an archive of %d", files.ErrCompressionRatio, t.lim.ratio, name, t.read+size, t.size)
	}
	if err != nil {
		t.b.tripped = err
		return err
	}
	t.read += size
	t.b.bytes += size
	return nil
}

// limitFailure reports on the archive at loc that a limit stopped it.
func limitFailure(sink sources.Sink, loc sources.Location, err error, inner bool) {
	if inner {
		sink.Failed(loc, fmt.Errorf("%s: archive not read to its end: a limit was reached in an archive inside it: %w", loc.Path, err))
		return
	}
	sink.Failed(loc, fmt.Errorf("%s: archive not read to its end: %w", loc.Path, err))
}

// memberName cleans a member's name for its location: slashes, no leading
// "/" or "./", and names that are not UTF-8 (old zips use code page 437)
// decoded.
func memberName(name string) string {
	if !utf8.ValidString(name) {
		if d, err := charmap.CodePage437.NewDecoder().String(name); err == nil {
			name = d
		}
	}
	name = strings.ReplaceAll(name, "\\", "/")
	for {
		switch {
		case strings.HasPrefix(name, "/"):
			name = name[1:]
		case strings.HasPrefix(name, "./"):
			name = name[2:]
		default:
			return name
		}
	}
}

// memberLoc is the location of a member of the archive at loc.
func memberLoc(loc sources.Location, name string) sources.Location {
	loc.Field = ""
	loc.Path += "!" + name
	return loc
}

// checkDepth fails an archive nested deeper than the limit.
func checkDepth(f *files.Format, lim limits) error {
	if f.Depth >= lim.depth {
		return fmt.Errorf("%w (%d)", ErrTooDeep, lim.depth)
	}
	return nil
}

// memberNames collects the names of an archive's members, to be read as
// values directory by directory (sources.NamesUnit), as a walk of the
// same tree on disk reads them, when Options.Names is set.
type memberNames struct {
	on   bool
	dirs map[string][]string // directory in the archive ("" or "a/b/") → its entry names
	seen map[string]bool     // directories listed in their parent
}

func newMemberNames(opt sources.Options) *memberNames {
	return &memberNames{on: opt.Names}
}

// add records the member at name (a cleaned path) and the directories on
// its way.
func (m *memberNames) add(name string) {
	if !m.on || name == "" {
		return
	}
	if m.dirs == nil {
		m.dirs, m.seen = map[string][]string{}, map[string]bool{}
	}
	dir, base := path.Split(name)
	m.dirs[dir] = append(m.dirs[dir], base)
	for dir != "" && !m.seen[dir] {
		m.seen[dir] = true
		parent, sub := path.Split(strings.TrimSuffix(dir, "/"))
		m.dirs[parent] = append(m.dirs[parent], sub)
		dir = parent
	}
}

// read hands the names to sink, one column per directory of the archive at
// loc, in order of the directories' paths.
func (m *memberNames) read(ctx context.Context, loc sources.Location, sink sources.Sink) error {
	for _, dir := range slices.Sorted(maps.Keys(m.dirs)) {
		names := m.dirs[dir]
		slices.Sort(names)
		u := &sources.NamesUnit{Loc: sources.Location{Target: loc.Target, Path: loc.Path + "!" + dir}, Names: sources.NameListOf(names...)}
		if err := u.Read(ctx, sink); err != nil {
			return err
		}
	}
	return nil
}
