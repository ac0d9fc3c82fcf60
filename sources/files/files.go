// Package files is the source for local files and directory trees. It walks
// a tree with include/exclude globs, reads each file read-only as one unit
// (a text file larger than Options.SplitSize as several, its ranges, read
// in parallel: split.go), and hands its content to a sink: plain text and
// logs in overlapping chunks with line numbers, CSV/TSV field by field
// under the header's column names, JSON lines and JSON, XML and YAML
// documents marked for key paths, HTML and man pages (roff) as their text.
// It decompresses gzip, zstd, bzip2
// and xz (rotated logs: "app.log.2.gz"), decodes UTF-16 and Windows-1252 to
// UTF-8, and skips binaries, special files and what it cannot read yet,
// saying why. Archives and documents (zip, tar, PDF, SQLite, …) are sniffed
// and named; readers for them plug in with WithFormat.
//
// How content is read, in order:
//
//   - Magic bytes decide compression (gzip, zstd, bzip2, xz; up to three
//     layers); the extension never forces it. Decompressed output is limited
//     to Options.MaxArchiveBytes (default 4 GiB) and, past 64 MiB (or a
//     quarter of that limit), to MaxArchiveRatio (default 1000) times the
//     compressed bytes read: ErrDecompressedSize, ErrCompressionRatio.
//     Corrupt or truncated data is reported with sink.Failed after what was
//     decompressed before it has been scanned. Line numbers are those of the
//     decompressed text.
//   - Magic bytes name containers, documents and media (Kind): they go to
//     the FormatReader registered for their kind, or are skipped
//     ("unsupported format: zip", "binary (png)").
//   - Otherwise the first SniffLen bytes decide between text and binary and
//     the text's encoding (SniffText); UTF-16 and Windows-1252 are decoded
//     to UTF-8 as a stream, and chunk offsets refer to the UTF-8 text.
//   - Text that is mail (looksLikeMail) or RTF ("{\rtf") goes to the
//     FormatReader registered for KindMail or KindRTF, when there is one.
//   - Text whose name (compression and rotation suffixes removed: "x.csv.gz",
//     "app.log.1") ends in .csv or .tsv is read as CSV (readCSV), and so is
//     a .txt, .tab or extensionless file of tab-separated cells
//     (looksLikeTSV); .jsonl and .ndjson, and any other text whose first
//     lines (two at least) all start with '{', as JSON lines (Chunk.JSON);
//     .json, .har,
//     .geojson, .ipynb and .webmanifest files, and text that starts as a
//     JSON object or an array of objects, as a JSON document (each chunk
//     with the document's state at its start: Chunk.JSONDoc); HTML (.html,
//     .htm, .xhtml, a doctype or <html> first, or XHTML after an XML
//     declaration) through HTMLText; roff (a man page: a comment, .TH, .Dd
//     or .so first) through RoffText; .xml files and text that starts
//     with <?xml as an XML document (Chunk.XMLDoc); .yaml and .yml files
//     as a YAML document (Chunk.YAMLDoc); configuration files of key =
//     value lines (INI, .properties, TOML, .env) by key path the same way
//     (sources.ConfigState); vCards and iCalendar files as a table of
//     fields (a card or an event a row, its people's properties columns,
//     like CSV); the rest as plain text.
//
// Text is cut into chunks that overlap by sources.Overlap bytes, cut after
// a newline when possible; Chunk.Line is the line of Data[0] and
// Skip/Limit make every match start owned by exactly one chunk (readText).
// Memory per unit is one buffer of ChunkSize+Overlap bytes plus small
// sniffing and decoder buffers, whatever the size of a file or of its lines.
// sink.Scanned reports the bytes read from disk.
//
// Other sources reuse all of this: a file share walks its folders with
// Filter and reads each file with Reader.ReadReaderAt; format readers read
// archive members with Reader.ReadStream and the text they extract from
// documents with Reader.ReadText.
package files

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/piimap/piimap/sources"
)

// Source reads a local file or directory tree.
//
// Filters: an --include or --exclude glob (sources.MatchGlob syntax) matches
// a file when it matches its path relative to the root (slash-separated,
// e.g. "logs/2024/app.log"), its location's path when that differs
// (WithTargetPrefix), or its base name ("app.log"): "*.log" selects
// log files at any depth, "logs/**" everything under logs. Excludes apply
// to directories too (an excluded directory is not entered: "node_modules",
// ".git"); includes select files only. Without includes every file is
// included. A file given as the root itself is always read (the user named
// it); the filters select files inside directories.
//
// Symbolic links: a link to a file inside the tree is read (under the link's
// path); a link to a directory inside the tree is skipped, as that directory
// is read at its own path; a link that leaves the tree is skipped unless
// FollowSymlinks is set, which follows it, skipping any directory already
// walked (no loops). A broken link is reported as failed.
type Source struct {
	root     string // as given, cleaned
	abs      string // absolute root
	real     string // root with symlinks resolved
	single   bool   // root is a file
	opt      sources.Options
	log      *slog.Logger
	rd       *Reader
	filter   Filter
	rootInfo os.FileInfo
	// prefix is written before the relative path of each location
	// (WithTargetPrefix): the root as given with a slash, "" for ".".
	prefix string
}

// New returns a source for root, a file or a directory. It fails when root
// does not exist or a glob is malformed.
func New(root string, opt sources.Options, log *slog.Logger, opts ...Option) (sources.Source, error) {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	s := &Source{root: filepath.Clean(root), opt: opt, log: log}
	var err error
	if s.filter, err = NewFilter(opt); err != nil {
		return nil, err
	}
	if s.abs, err = filepath.Abs(s.root); err != nil {
		return nil, fmt.Errorf("%s: %w", root, err)
	}
	fi, err := os.Stat(s.abs)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", root, unwrapPathError(err))
	}
	s.rootInfo = fi
	s.single = !fi.IsDir()
	if s.real, err = filepath.EvalSymlinks(s.abs); err != nil {
		return nil, fmt.Errorf("%s: %w", root, unwrapPathError(err))
	}
	s.rd = NewReader(opt, log, opts...)
	s.opt = s.rd.Options()
	var c config
	for _, o := range opts {
		o(&c)
	}
	if c.prefix && s.root != "." {
		s.prefix = strings.TrimSuffix(filepath.ToSlash(s.root), "/") + "/"
	}
	return s, nil
}

func compileGlobs(flag string, patterns []string) ([]sources.Glob, error) {
	gs := make([]sources.Glob, 0, len(patterns))
	for _, p := range patterns {
		g, err := sources.CompileGlob(p)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", flag, err)
		}
		gs = append(gs, g)
	}
	return gs, nil
}

// Close releases nothing: files are opened and closed per unit.
func (s *Source) Close() error { return nil }

// Units walks the tree depth-first in name order and yields one unit per
// file (or per range of a large text file, split.go), listing one
// directory at a time. Entries that are skipped or cannot
// be read are yielded as units that report so when read, so that the scan
// records them.
func (s *Source) Units(ctx context.Context, yield func(sources.Unit) bool) error {
	if s.single {
		loc := sources.Location{Path: filepath.ToSlash(s.root)}
		if !s.rootInfo.Mode().IsRegular() {
			yield(&sources.NoteUnit{Loc: loc, Reason: specialReason(s.rootInfo.Mode())})
			return nil
		}
		s.rd.yieldFile(ctx, s.abs, loc, s.rootInfo.Size(), yield)
		return nil
	}
	w := &walker{s: s, ctx: ctx, yield: yield}
	if s.opt.FollowSymlinks {
		w.visited = map[string]bool{s.real: true}
	}
	if err := w.dir(s.abs, s.real, ""); err != nil {
		if errors.Is(err, errStop) {
			return nil
		}
		return err
	}
	return nil
}

// errStop ends the walk when yield returns false.
var errStop = errors.New("stop")

type walker struct {
	s       *Source
	ctx     context.Context
	yield   func(sources.Unit) bool
	visited map[string]bool // real paths of walked directories (FollowSymlinks only)
	// scanned are the entries of the directory being listed that are
	// scanned (files included, directories not excluded), as indices
	// into its listing: their names are read as values once it is
	// listed (sources.NamesUnit). at is the index of the entry being
	// walked.
	scanned []int32
	at      int32
}

func (w *walker) emit(u sources.Unit) error {
	if !w.yield(u) {
		return errStop
	}
	return nil
}

func (w *walker) fail(rel string, err error) error {
	return w.emit(&sources.NoteUnit{Loc: w.s.loc(rel), Err: err})
}

func (w *walker) skip(rel, reason string) error {
	return w.emit(&sources.NoteUnit{Loc: w.s.loc(rel), Reason: reason})
}

// loc returns the location of the entry at rel, its path relative to the
// root ("" for the root).
func (s *Source) loc(rel string) sources.Location {
	return sources.Location{Path: s.prefix + rel}
}

// dir walks the directory at abs (real: its path with symlinks resolved,
// rel: its path relative to the root, "" for the root).
func (w *walker) dir(abs, real, rel string) error {
	d, names, err := readDirNames(abs)
	if d != nil {
		defer func() { _ = d.Close() }()
	}
	if err != nil {
		if rel == "" {
			return fmt.Errorf("list %s: %w", w.s.root, unwrapPathError(err))
		}
		if ferr := w.fail(rel, fmt.Errorf("list directory %s: %w", rel, unwrapPathError(err))); ferr != nil {
			return ferr
		}
		if names.Len() == 0 {
			return nil
		}
	}
	outer, outerAt := w.scanned, w.at
	w.scanned = nil
	for _, i := range names.Sorted() {
		if err := w.ctx.Err(); err != nil {
			return err
		}
		w.at = i
		if err := w.entry(d, abs, real, rel, names.At(int(i))); err != nil {
			return err
		}
	}
	scanned := names.Select(w.scanned)
	w.scanned, w.at = outer, outerAt
	if u := w.s.dirNames(rel, scanned); u != nil && w.s.opt.Names {
		return w.emit(u)
	}
	return nil
}

// readDirNames lists a directory's entry names; on an error part-way it
// returns the names read so far with the error. They are read a batch at
// a time into one packed list, so that a directory of a million entries
// costs the bytes of their names, not a string each. It returns the
// directory open, for lstatIn (nil when it could not be opened); the
// caller closes it.
func readDirNames(dir string) (*os.File, sources.NameList, error) {
	var names sources.NameList
	f, err := os.Open(dir)
	if err != nil {
		return nil, names, err
	}
	err = sources.ReadBatches(dirBatch, f.Readdirnames, names.Add)
	return f, names, err
}

// lstatPath returns the mode and size of the file at path, without
// following a symbolic link.
func lstatPath(path string) (fs.FileMode, int64, error) {
	fi, err := os.Lstat(path)
	if err != nil {
		return 0, 0, err
	}
	return fi.Mode(), fi.Size(), nil
}

// dirBatch is how many names readDirNames asks the system for at a time.
const dirBatch = 1024

// entry walks the entry name of the directory d (at dirAbs; dirReal and
// dirRel as for dir).
func (w *walker) entry(d *os.File, dirAbs, dirReal, dirRel, name string) error {
	s := w.s
	rel := name
	if dirRel != "" {
		rel = dirRel + "/" + name
	}
	if s.excluded(rel, name) {
		return nil
	}
	abs := filepath.Join(dirAbs, name)
	mode, size, err := lstatIn(d, name, abs)
	if err != nil {
		return w.fail(rel, fmt.Errorf("stat %s: %w", rel, unwrapPathError(err)))
	}
	switch {
	case mode.IsDir():
		if len(s.opt.Include) == 0 {
			// With --include only the included files are scanned, and
			// only their names are read.
			w.scanned = append(w.scanned, w.at)
		}
		real := filepath.Join(dirReal, name)
		if w.visited != nil {
			if w.visited[real] {
				return w.skip(rel, "directory already scanned")
			}
			w.visited[real] = true
		}
		return w.dir(abs, real, rel)
	case mode&fs.ModeSymlink != 0:
		return w.symlink(abs, rel, name)
	case mode.IsRegular():
		return w.file(abs, filepath.Join(dirReal, name), rel, name, size)
	default:
		if !s.included(rel, name) {
			return nil
		}
		return w.skip(rel, specialReason(mode))
	}
}

func (w *walker) symlink(abs, rel, name string) error {
	s := w.s
	target, err := filepath.EvalSymlinks(abs)
	if err != nil {
		if !s.included(rel, name) {
			return nil
		}
		return w.fail(rel, fmt.Errorf("broken symbolic link %s: %w", rel, unwrapPathError(err)))
	}
	fi, err := os.Stat(target)
	if err != nil {
		return w.fail(rel, fmt.Errorf("stat %s: %w", rel, unwrapPathError(err)))
	}
	inTree := target == s.real || strings.HasPrefix(target, s.real+string(filepath.Separator))
	if fi.IsDir() {
		switch {
		case inTree:
			return w.skip(rel, "symbolic link to a directory in the tree (scanned at its own path)")
		case s.opt.FollowSymlinks:
			if w.visited[target] {
				return w.skip(rel, "symbolic link to a directory already scanned")
			}
			w.visited[target] = true
			return w.dir(abs, target, rel)
		default:
			return w.skip(rel, "symbolic link out of the tree (not followed without --follow-symlinks)")
		}
	}
	if !s.included(rel, name) {
		return nil
	}
	if !inTree && !s.opt.FollowSymlinks {
		return w.skip(rel, "symbolic link out of the tree (not followed without --follow-symlinks)")
	}
	if !fi.Mode().IsRegular() {
		return w.skip(rel, specialReason(fi.Mode()))
	}
	return w.file(target, target, rel, name, fi.Size())
}

// file yields the file at abs (real: the same with symbolic links
// resolved).
func (w *walker) file(abs, real, rel, name string, size int64) error {
	s := w.s
	if !s.included(rel, name) {
		return nil
	}
	w.scanned = append(w.scanned, w.at)
	// By either path: the tree may be walked through a link to it while
	// the configuration is named by its real path.
	if slices.Contains(s.opt.SkipFiles, abs) || slices.Contains(s.opt.SkipFiles, real) {
		return w.skip(rel, SkipConfigReason)
	}
	if m := s.opt.MaxFileSize; m > 0 && size > m {
		return w.skip(rel, TooLargeReason(m))
	}
	if !s.rd.yieldFile(w.ctx, abs, s.loc(rel), size, w.yield) {
		return errStop
	}
	return nil
}

// SkipConfigReason is the skip reason of piimap's own configuration files
// (Options.SkipFiles).
const SkipConfigReason = "piimap configuration (declaration or rules file)"

// dirNames returns the unit of the names of the directory at rel
// (relative to the root, "" for the root), or nil (sources.DirNames).
func (s *Source) dirNames(rel string, names sources.NameList) *sources.NamesUnit {
	u := sources.DirNames("", strings.TrimSuffix(s.prefix+rel, "/"), names)
	if u != nil && s.prefix == "/" && rel == "" {
		u.Loc.Path = "/" // the root directory, scanned as one of several targets
	}
	return u
}

// included and excluded apply the filters to an entry at rel (relative to
// the root) and, with a prefix, to its location's path too, which is what
// a report shows.
func (s *Source) included(rel, name string) bool {
	return s.filter.Included(rel, name) || s.prefix != "" && s.filter.Included(s.prefix+rel, name)
}
func (s *Source) excluded(rel, name string) bool {
	return s.filter.Excluded(rel, name) || s.prefix != "" && s.filter.Excluded(s.prefix+rel, name)
}

// Filter selects files by Options.Include and Options.Exclude the way Source
// does, for sources that walk other trees (file shares).
type Filter struct {
	include, exclude []sources.Glob
}

// NewFilter compiles the include and exclude globs of opt.
func NewFilter(opt sources.Options) (Filter, error) {
	var f Filter
	var err error
	if f.include, err = compileGlobs("--include", opt.Include); err != nil {
		return Filter{}, err
	}
	if f.exclude, err = compileGlobs("--exclude", opt.Exclude); err != nil {
		return Filter{}, err
	}
	return f, nil
}

// Included reports whether a file passes --include: its path relative to
// the root (rel, slash-separated) or its base name matches one glob, or
// there are none.
func (f Filter) Included(rel, name string) bool {
	if len(f.include) == 0 {
		return true
	}
	return matchAny(f.include, rel, name)
}

// Excluded reports whether a file or directory matches --exclude (by its
// relative path or its base name); an excluded directory is not entered.
func (f Filter) Excluded(rel, name string) bool {
	return matchAny(f.exclude, rel, name)
}

func matchAny(gs []sources.Glob, rel, name string) bool {
	for _, g := range gs {
		if g.Match(rel) || (name != rel && g.Match(name)) {
			return true
		}
	}
	return false
}

// fileUnit is one file.
type fileUnit struct {
	rd     *Reader
	osPath string
	loc    sources.Location
	size   int64
}

func (u *fileUnit) Location() sources.Location { return u.loc }
func (u *fileUnit) Size() int64                { return u.size }
func (u *fileUnit) Read(ctx context.Context, sink sources.Sink) error {
	return u.rd.ReadFile(ctx, u.osPath, u.loc, sink)
}
