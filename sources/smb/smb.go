// Package smb is the source for SMB2/3 file shares, read directly over the
// network with github.com/cloudsoda/go-smb2 (NTLM authentication; no mount,
// no SMB1). A share is walked like a local tree, with the same
// include/exclude globs and --max-file-size, and each file is read through
// the files reader with random access (files.Reader.ReadReaderAt), so that
// text, CSV, compressed logs, archives, documents and SQLite databases on a
// share are read exactly as they are on disk. Nothing is ever written: files
// are opened for reading only.
//
// Targets: smb://[domain;]user[:password]@host[:port]/share[/path]. The
// password comes from the URL, else PIIMAP_SMB_PASSWORD, else the Password
// callback (the CLI prompts on a terminal); it never appears in locations,
// logs or errors. Without a user the session is anonymous (guest). Without a
// share, the server's shares are listed and every disk share is scanned
// except the special ones (IPC$, ADMIN$, C$ and any other name ending in
// "$", and shares the server marks special).
//
// Locations: Target is "smb://host[:port]/share[/path]" (the port only when
// one is given in the URL), Path is relative to that folder, as for a local
// directory: scanning smb://fs/files and a local copy of the same folder
// gives the same paths.
package smb

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"net"
	"net/url"
	"os"
	"path"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	smb2 "github.com/cloudsoda/go-smb2"

	"github.com/piimap/piimap/sources"
	"github.com/piimap/piimap/sources/dbcommon"
	"github.com/piimap/piimap/sources/files"
)

// PasswordEnv is the environment variable the password is read from when
// the URL has none.
const PasswordEnv = "PIIMAP_SMB_PASSWORD"

// DefaultPort is the SMB port.
const DefaultPort = 445

// Read-ahead for random access over the network: reads of a few bytes at
// a time (archive/zip's headers, SQLite pages, the PDF parser) make one
// round trip per block (sources.CachedReaderAt).
const (
	readAheadBlock  = 256 << 10
	readAheadBlocks = 4
)

// Config is how to reach a share.
type Config struct {
	Host   string
	Port   int
	Domain string
	User   string
	// Password, when empty, is asked for with the Password callback of New.
	Password string
	// Share is "" to scan every disk share of the server.
	Share string
	// Dir is the folder inside the share to scan, slash-separated, without
	// leading or trailing slashes; "" for the whole share.
	Dir string
	// portGiven: the URL named a port (it then shows in locations).
	portGiven bool
}

// redact shows a URL in an error without what may be a password: like
// sources.Redact, and for text without "://" everything up to the last "@".
func redact(raw string) string {
	if !strings.Contains(raw, "://") {
		if at := strings.LastIndexByte(raw, '@'); at >= 0 {
			return "***" + raw[at:]
		}
	}
	return sources.Redact(raw)
}

// ParseURL reads an smb:// URL. It does not look at the environment.
func ParseURL(raw string) (Config, error) {
	u, err := url.Parse(raw)
	if err != nil {
		return Config{}, fmt.Errorf("bad smb URL %s: %w", redact(raw), scrubURLError(err))
	}
	if !strings.EqualFold(u.Scheme, "smb") {
		return Config{}, fmt.Errorf("bad smb URL %s: scheme %q", redact(raw), u.Scheme)
	}
	c := Config{Host: u.Hostname(), Port: DefaultPort}
	if c.Host == "" {
		return Config{}, fmt.Errorf("bad smb URL %s: no host", redact(raw))
	}
	if p := u.Port(); p != "" {
		n, err := strconv.Atoi(p)
		if err != nil || n <= 0 || n > 65535 {
			return Config{}, fmt.Errorf("bad smb URL %s: port %q", redact(raw), p)
		}
		c.Port, c.portGiven = n, true
	}
	if u.User != nil {
		c.User = u.User.Username()
		c.Password, _ = u.User.Password()
		if i := strings.IndexByte(c.User, ';'); i >= 0 {
			c.Domain, c.User = c.User[:i], c.User[i+1:]
		}
	}
	p := strings.Trim(u.Path, "/")
	if i := strings.IndexByte(p, '/'); i >= 0 {
		c.Share, c.Dir = p[:i], strings.Trim(path.Clean(p[i+1:]), "/")
		if c.Dir == "." {
			c.Dir = ""
		}
	} else {
		c.Share = p
	}
	if c.Dir != "" && (c.Dir == ".." || strings.HasPrefix(c.Dir, "../")) {
		return Config{}, fmt.Errorf("bad smb URL %s: path leaves the share", redact(raw))
	}
	return c, nil
}

// scrubURLError drops the URL (which may hold a password) from a parse error.
func scrubURLError(err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		return ue.Err
	}
	return err
}

// target renders the location target of a folder of a share.
func (c Config) target(share, dir string) string {
	host := c.Host
	if c.portGiven && c.Port != DefaultPort {
		host = net.JoinHostPort(c.Host, strconv.Itoa(c.Port))
	} else if strings.Contains(host, ":") {
		host = "[" + host + "]"
	}
	t := "smb://" + host + "/" + share
	if dir != "" {
		t += "/" + dir
	}
	return t
}

// Source reads one share, or every disk share of a server.
type Source struct {
	cfg    Config
	opt    sources.Options
	log    *slog.Logger
	rd     *files.Reader
	filter files.Filter
	sess   *smb2.Session

	mu     sync.Mutex
	shares map[string]*smb2.Share
}

// New connects to the server of the smb:// URL target and authenticates.
// password is called when neither the URL nor PIIMAP_SMB_PASSWORD gives a
// password and a user is named; it may be nil. opts register format
// readers as for files.New.
func New(ctx context.Context, target string, opt sources.Options, log *slog.Logger, password func(prompt string) (string, error), opts ...files.Option) (sources.Source, error) {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	cfg, err := ParseURL(target)
	if err != nil {
		return nil, err
	}
	if cfg.Password == "" && cfg.User != "" {
		cfg.Password = os.Getenv(PasswordEnv)
		if cfg.Password == "" && password != nil {
			p, err := password(fmt.Sprintf("Password for %s@%s: ", cfg.User, cfg.target(cfg.Share, "")))
			if err != nil {
				return nil, fmt.Errorf("%s: password: %w", cfg.target(cfg.Share, cfg.Dir), err)
			}
			cfg.Password = p
		}
	}
	filter, err := files.NewFilter(opt)
	if err != nil {
		return nil, err
	}
	s := &Source{cfg: cfg, opt: opt, log: log, filter: filter, shares: map[string]*smb2.Share{}}
	s.rd = files.NewReader(opt, log, opts...)
	if err := s.dial(ctx); err != nil {
		return nil, err
	}
	return s, nil
}

// dial connects and authenticates.
func (s *Source) dial(ctx context.Context) error {
	c := s.cfg
	addr := net.JoinHostPort(c.Host, strconv.Itoa(c.Port))
	d := &smb2.Dialer{Initiator: &smb2.NTLMInitiator{User: c.User, Password: c.Password, Domain: c.Domain}}
	dctx, cancel := context.WithTimeout(ctx, connectTimeout(s.opt))
	defer cancel()
	sess, err := d.Dial(dctx, addr)
	if err != nil {
		return fmt.Errorf("connect to %s as %q: %w", c.target(c.Share, ""), c.User, s.scrub(err))
	}
	s.sess = sess
	s.log.Debug("connected", "server", c.target(c.Share, ""), "user", c.User)
	return nil
}

// connectTimeout bounds dialling and logging in: Options.ConnectTimeout
// (--smb-timeout), else Options.Timeout, else dbcommon.DefaultTimeout.
func connectTimeout(opt sources.Options) time.Duration {
	switch {
	case opt.ConnectTimeout > 0:
		return opt.ConnectTimeout
	case opt.Timeout > 0:
		return opt.Timeout
	}
	return dbcommon.DefaultTimeout
}

// scrub removes the password from an error.
func (s *Source) scrub(err error) error { return dbcommon.Scrub(err, s.cfg.Password) }

// closeTimeout bounds unmounting and logging off.
const closeTimeout = 10 * time.Second

// Close unmounts the shares and logs off.
func (s *Source) Close() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	ctx, cancel := context.WithTimeout(context.Background(), closeTimeout)
	defer cancel()
	for _, sh := range s.shares {
		_ = sh.WithContext(ctx).Umount()
	}
	s.shares = map[string]*smb2.Share{}
	if s.sess == nil {
		return nil
	}
	err := s.sess.WithContext(ctx).Logoff()
	s.sess = nil
	return s.scrub(err)
}

// mount returns the mounted share, mounting it on first use.
func (s *Source) mount(name string) (*smb2.Share, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if sh := s.shares[name]; sh != nil {
		return sh, nil
	}
	if s.sess == nil {
		return nil, errors.New("source closed")
	}
	sh, err := s.sess.Mount(name)
	if err != nil {
		return nil, s.scrub(err)
	}
	s.shares[name] = sh
	return sh, nil
}

// Shares lists the disk shares of the server that a scan without a share
// reads: not IPC$, not administrative or hidden shares (names ending in
// "$"), not printers, not shares the server marks special.
func (s *Source) Shares(ctx context.Context) ([]string, error) {
	list, err := s.sess.WithContext(ctx).ListShares()
	if err != nil {
		return nil, fmt.Errorf("list shares of %s: %w", s.cfg.target("", ""), s.scrub(err))
	}
	var out []string
	for _, sh := range list {
		if sh.Type() != smb2.ShareTypeDiskTree || sh.IsSpecial() || strings.HasSuffix(sh.Name, "$") {
			continue
		}
		out = append(out, sh.Name)
	}
	slices.Sort(out)
	return out, nil
}

// Units walks the share (or every listed share) depth-first in name
// order, one directory listing at a time.
func (s *Source) Units(ctx context.Context, yield func(sources.Unit) bool) error {
	shares := []string{s.cfg.Share}
	dir := s.cfg.Dir
	if s.cfg.Share == "" {
		var err error
		if shares, err = s.Shares(ctx); err != nil {
			return err
		}
		s.log.Info("scanning the shares of the server", "server", s.cfg.target("", ""), "shares", strings.Join(shares, ", "))
		if len(shares) == 0 {
			return fmt.Errorf("%s: no disk shares to scan", s.cfg.target("", ""))
		}
	}
	for _, name := range shares {
		w := &walker{s: s, ctx: ctx, yield: yield, share: name, target: s.cfg.target(name, dir)}
		sh, err := s.mount(name)
		if err != nil {
			err = fmt.Errorf("mount %s: %w", w.target, err)
			if len(shares) == 1 {
				return err
			}
			if !yield(&sources.NoteUnit{Loc: sources.Location{Target: w.target}, Err: err}) {
				return nil
			}
			continue
		}
		w.sh = sh.WithContext(ctx)
		if err := w.root(dir); err != nil {
			if errors.Is(err, errStop) {
				return nil
			}
			if len(shares) == 1 || ctx.Err() != nil {
				return err
			}
			if !yield(&sources.NoteUnit{Loc: sources.Location{Target: w.target}, Err: err}) {
				return nil
			}
		}
	}
	return nil
}

var errStop = errors.New("stop")

// walker walks one share.
type walker struct {
	s      *Source
	ctx    context.Context
	yield  func(sources.Unit) bool
	share  string
	target string
	sh     *smb2.Share
}

func (w *walker) emit(u sources.Unit) error {
	if !w.yield(u) {
		return errStop
	}
	return nil
}

// root walks dir (the folder the target names), or reads it when it is a
// file.
func (w *walker) root(dir string) error {
	if dir != "" {
		fi, err := w.sh.Stat(smbPath(dir))
		if err != nil {
			return fmt.Errorf("%s: %w", w.target, w.s.scrub(unwrapPathError(err)))
		}
		if !fi.IsDir() {
			// The target is one file: Target is its folder, Path its name.
			parent, name := path.Split(dir)
			w.target = w.s.cfg.target(w.share, strings.TrimSuffix(parent, "/"))
			return w.emit(w.unit(dir, name, fi.Size()))
		}
	}
	return w.dir(dir, "")
}

// listing is a folder's entries: their names packed in one list, and each
// one's kind and size, so that a folder of a million entries costs their
// names and a few bytes more each rather than a FileInfo each.
type listing struct {
	names sources.NameList
	info  []entryInfo
}

type entryInfo struct {
	size int64
	mode fs.FileMode
}

func (e entryInfo) Size() int64       { return e.size }
func (e entryInfo) Mode() fs.FileMode { return e.mode }
func (e entryInfo) IsDir() bool       { return e.mode.IsDir() }

// listBatch is how many entries list asks the server for at a time.
const listBatch = 1024

// list lists the folder at full (path in the share) a batch at a time.
func (w *walker) list(full string) (listing, error) {
	var l listing
	f, err := w.sh.Open(smbPath(full))
	if err != nil {
		return l, err
	}
	defer func() { _ = f.Close() }()
	err = sources.ReadBatches(listBatch, f.Readdir, func(fi fs.FileInfo) {
		l.names.Add(fi.Name())
		l.info = append(l.info, entryInfo{size: fi.Size(), mode: fi.Mode()})
	})
	return l, err
}

// dir lists the folder at full (path in the share) whose path relative to
// the target is rel.
func (w *walker) dir(full, rel string) error {
	list, err := w.list(full)
	if err != nil {
		if rel == "" {
			return fmt.Errorf("list %s: %w", w.target, w.s.scrub(unwrapPathError(err)))
		}
		return w.emit(&sources.NoteUnit{Loc: sources.Location{Target: w.target, Path: rel}, Err: fmt.Errorf("list directory %s: %w", rel, w.s.scrub(unwrapPathError(err)))})
	}
	var scanned []int32 // the entries scanned, read as values (sources.NamesUnit)
	for _, i := range list.names.Sorted() {
		if err := w.ctx.Err(); err != nil {
			return err
		}
		name, fi := list.names.At(int(i)), list.info[i]
		if name == "." || name == ".." {
			continue
		}
		r := name
		if rel != "" {
			r = rel + "/" + name
		}
		f := name
		if full != "" {
			f = full + "/" + name
		}
		if w.s.filter.Excluded(r, name) {
			continue
		}
		mode := fi.Mode()
		switch {
		case mode&fs.ModeSymlink != 0:
			if w.s.filter.Included(r, name) {
				if err := w.emit(&sources.NoteUnit{Loc: sources.Location{Target: w.target, Path: r}, Reason: "symbolic link (not followed on shares)"}); err != nil {
					return err
				}
			}
		case fi.IsDir():
			if len(w.s.opt.Include) == 0 {
				scanned = append(scanned, i) // with --include: the included files' names only
			}
			if err := w.dir(f, r); err != nil {
				return err
			}
		case mode.IsRegular():
			if !w.s.filter.Included(r, name) {
				continue
			}
			scanned = append(scanned, i)
			if m := w.s.opt.MaxFileSize; m > 0 && fi.Size() > m {
				if err := w.emit(&sources.NoteUnit{Loc: sources.Location{Target: w.target, Path: r}, Reason: files.TooLargeReason(m)}); err != nil {
					return err
				}
				continue
			}
			if err := w.emit(w.unit(f, r, fi.Size())); err != nil {
				return err
			}
		default:
			if w.s.filter.Included(r, name) {
				if err := w.emit(&sources.NoteUnit{Loc: sources.Location{Target: w.target, Path: r}, Reason: "special file"}); err != nil {
					return err
				}
			}
		}
	}
	if u := sources.DirNames(w.target, rel, list.names.Select(scanned)); u != nil && w.s.opt.Names {
		return w.emit(u)
	}
	return nil
}

func (w *walker) unit(full, rel string, size int64) *fileUnit {
	return &fileUnit{s: w.s, share: w.share, path: full, loc: sources.Location{Target: w.target, Path: rel}, size: size}
}

// smbPath is the path go-smb2 expects: backslashes, "" for the root.
func smbPath(p string) string { return strings.ReplaceAll(p, "/", `\`) }

// unwrapPathError drops the *PathError wrapper (its message repeats the path).
func unwrapPathError(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return fmt.Errorf("%s: %w", pe.Op, pe.Err)
	}
	return err
}

// fileUnit is one file on a share.
type fileUnit struct {
	s     *Source
	share string
	path  string
	loc   sources.Location
	size  int64
}

func (u *fileUnit) Location() sources.Location { return u.loc }
func (u *fileUnit) Size() int64                { return u.size }

// Read opens the file read-only and reads it through the files reader.
func (u *fileUnit) Read(ctx context.Context, sink sources.Sink) error {
	sh, err := u.s.mount(u.share)
	if err != nil {
		sink.Failed(u.loc, fmt.Errorf("read %s: %w", u.loc.Path, err))
		return nil
	}
	f, err := sh.WithContext(ctx).OpenFile(smbPath(u.path), os.O_RDONLY, 0)
	if err != nil {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		sink.Failed(u.loc, fmt.Errorf("open %s: %w", u.loc.Path, u.s.scrub(unwrapPathError(err))))
		return nil
	}
	defer func() { _ = f.Close() }()
	size := u.size
	if fi, err := f.Stat(); err == nil {
		size = fi.Size()
	}
	ra := sources.NewCachedReaderAt(&errorNamer{f: f, s: u.s}, size, readAheadBlock, readAheadBlocks)
	return u.s.rd.ReadReaderAt(ctx, ra, size, u.loc, sink)
}

// errorNamer scrubs read errors.
type errorNamer struct {
	f *smb2.File
	s *Source
}

func (e *errorNamer) ReadAt(p []byte, off int64) (int, error) {
	n, err := e.f.ReadAt(p, off)
	if err != nil && err != io.EOF {
		err = e.s.scrub(unwrapPathError(err))
	}
	return n, err
}

// TargetOf renders the location target of the folder cfg names, or of the
// server when it names no share.
func TargetOf(cfg Config) string {
	return strings.TrimSuffix(cfg.target(cfg.Share, cfg.Dir), "/")
}
