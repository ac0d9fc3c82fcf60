// Package cfb reads the Compound File Binary format ([MS-CFB], "OLE2"), the
// container of legacy Office files (.doc, .xls, .ppt), Outlook .msg and
// .msi: it lists the storages and streams of a file and reads a stream
// sector by sector. It is written for hostile and truncated input: counts
// are checked against the file size, chain and tree walks stop at loops,
// and a stream of a file cut short yields its bytes up to the missing
// sectors, then an error.
package cfb

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"unicode"
	"unicode/utf16"
)

// ErrNotCFB is returned (wrapped) by Open when the file does not start with
// the compound file signature.
var ErrNotCFB = errors.New("cfb: not a compound file (no D0 CF 11 E0 A1 B1 1A E1 signature)")

var signature = []byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}

// Special sector numbers ([MS-CFB] 2.1).
const (
	maxRegSect = 0xFFFFFFFA
	difSect    = 0xFFFFFFFC
	fatSect    = 0xFFFFFFFD
	endOfChain = 0xFFFFFFFE
	freeSect   = 0xFFFFFFFF
	noStream   = 0xFFFFFFFF // directory: no sibling or child
)

const (
	headerSize     = 512
	dirEntrySize   = 128
	miniSectorSize = 64
	miniCutoff     = 4096 // streams below this size live in the mini stream
	readChunk      = 64 << 10
)

// Object types of a directory entry.
const (
	typeUnknown = 0
	typeStorage = 1
	typeStream  = 2
	typeRoot    = 5
)

// File is an open compound file. Its methods are safe for concurrent use if
// the underlying io.ReaderAt is.
type File struct {
	ra       io.ReaderAt
	size     int64
	ss       int64  // sector size: 512 (version 3) or 4096 (version 4)
	nsec     uint32 // sectors present in the file, the last one maybe partial
	fatLimit uint64 // sectors the FAT declares (FAT sectors × entries per sector)

	fat     []uint32 // FAT entries of sectors 0 … nsec-1 (at most)
	missing []uint64 // bitset: FAT entries whose FAT sector could not be read
	fatErr  error    // why some FAT entries are missing

	miniFAT    []uint32
	miniFATErr error // why the mini FAT chain ended early, if it did

	miniChain []uint32 // sectors of the mini stream (the root entry's stream)
	miniSize  int64
	miniErr   error // why miniChain is shorter than the mini stream, if it is

	entries []Entry
	dir     map[string]dirEntry // by Path
}

// Entry is one stream or storage of the file.
type Entry struct {
	Path   string // storage names joined by "/", below the root entry: "WordDocument", "__attach_version1.0_#00000000/__substg1.0_37010102"
	Size   int64  // a stream's size in bytes (0 for a storage); as declared, so possibly more than a truncated file holds
	Stream bool   // true for a stream, false for a storage
}

type dirEntry struct {
	name               string
	typ                byte
	left, right, child uint32
	start              uint32
	size               int64
	id                 uint32
}

// Open reads the header, the FAT (via the DIFAT), the mini FAT and the
// directory of the compound file in ra (size bytes). A file cut short still
// opens when its header, FAT and directory are present; its streams then
// fail at the missing sectors.
func Open(ra io.ReaderAt, size int64) (*File, error) {
	var h [headerSize]byte
	n, err := ra.ReadAt(h[:], 0)
	if n < len(signature) || !bytes.Equal(h[:len(signature)], signature) {
		if err != nil && err != io.EOF {
			return nil, fmt.Errorf("cfb: reading the header: %w", err)
		}
		return nil, ErrNotCFB
	}
	if n < headerSize {
		return nil, fmt.Errorf("cfb: header cut short at %d bytes (truncated?): %w", n, io.ErrUnexpectedEOF)
	}
	le := binary.LittleEndian
	f := &File{ra: ra, size: size}
	shift := le.Uint16(h[30:])
	if shift != 9 && shift != 12 {
		return nil, fmt.Errorf("cfb: sector shift %d, want 9 (512-byte sectors) or 12 (4096)", shift)
	}
	if ms := le.Uint16(h[32:]); ms != 6 {
		return nil, fmt.Errorf("cfb: mini sector shift %d, want 6", ms)
	}
	f.ss = 1 << shift
	if size > f.ss {
		nsec := (size - f.ss + f.ss - 1) / f.ss
		f.nsec = uint32(min(nsec, maxRegSect+1))
	}
	eps := uint32(f.ss / 4) // entries per FAT, mini FAT or DIFAT sector
	numFAT := le.Uint32(h[44:])
	f.fatLimit = min(uint64(numFAT)*uint64(eps), maxRegSect+1)

	if err := f.readFAT(h[:], numFAT, eps); err != nil {
		return nil, err
	}
	dir, err := f.readDir(le.Uint32(h[48:]))
	if err != nil {
		return nil, err
	}
	root := dir[0]
	if root.typ != typeRoot {
		return nil, fmt.Errorf("cfb: directory entry 0 has type %d, want 5 (root)", root.typ)
	}
	f.readMiniFAT(le.Uint32(h[60:]))
	f.readMiniChain(root.start, root.size)
	if err := f.walkTree(dir); err != nil {
		return nil, err
	}
	return f, nil
}

// readFAT reads the FAT sectors listed by the DIFAT (the header's 109
// entries, then the DIFAT sector chain) that cover the sectors present in
// the file. FAT sectors beyond the end of the file are marked missing.
func (f *File) readFAT(h []byte, numFAT, eps uint32) error {
	le := binary.LittleEndian
	fatLen := uint32(min(uint64(f.nsec), f.fatLimit))
	need := (fatLen + eps - 1) / eps // FAT sectors to read
	f.fat = make([]uint32, fatLen)
	f.missing = make([]uint64, (fatLen+63)/64)
	ids := make([]uint32, 0, min(need, 109))
	for i := range uint32(109) {
		if uint32(len(ids)) == need {
			break
		}
		ids = append(ids, le.Uint32(h[76+4*i:]))
	}
	// The DIFAT chain. Each sector adds eps-1 entries, so the walk ends
	// after at most need/(eps-1)+1 sectors even if the chain loops.
	buf := make([]byte, f.ss)
	next := le.Uint32(h[68:])
	for uint32(len(ids)) < need {
		if next > maxRegSect || next >= f.nsec {
			if next <= maxRegSect {
				f.fatErr = fmt.Errorf("the DIFAT chain reaches sector %d, beyond the end of the file (truncated?): %w", next, io.ErrUnexpectedEOF)
			} else {
				f.fatErr = fmt.Errorf("the DIFAT lists %d of %d FAT sectors, its chain ends at %s", len(ids), need, sectName(next, f))
			}
			break
		}
		n, err := f.ra.ReadAt(buf, f.offset(next))
		if n < len(buf) {
			if err == nil || err == io.EOF {
				f.fatErr = fmt.Errorf("DIFAT sector %d is cut short (truncated?): %w", next, io.ErrUnexpectedEOF)
				break
			}
			return fmt.Errorf("cfb: reading DIFAT sector %d: %w", next, err)
		}
		for i := range eps - 1 {
			if uint32(len(ids)) == need {
				break
			}
			ids = append(ids, le.Uint32(buf[4*i:]))
		}
		next = le.Uint32(buf[4*(eps-1):])
	}
	for i := range need {
		lo := i * eps
		hi := min(lo+eps, fatLen)
		var id uint32 = freeSect
		if i < uint32(len(ids)) {
			id = ids[i]
		}
		got := 0 // entries read
		switch {
		case i >= uint32(len(ids)):
		case id > maxRegSect:
			if f.fatErr == nil {
				f.fatErr = fmt.Errorf("the DIFAT lists no FAT sector %d", i)
			}
		case id >= f.nsec:
			if f.fatErr == nil {
				f.fatErr = fmt.Errorf("FAT sector %d (sector %d) is beyond the end of the file (truncated?): %w", i, id, io.ErrUnexpectedEOF)
			}
		default:
			n, err := f.ra.ReadAt(buf, f.offset(id))
			if err != nil && err != io.EOF {
				return fmt.Errorf("cfb: reading FAT sector %d (sector %d): %w", i, id, err)
			}
			if n < len(buf) && f.fatErr == nil {
				f.fatErr = fmt.Errorf("FAT sector %d (sector %d) is cut short (truncated?): %w", i, id, io.ErrUnexpectedEOF)
			}
			got = n / 4
		}
		for j := lo; j < hi; j++ {
			if int(j-lo) < got {
				f.fat[j] = le.Uint32(buf[4*(j-lo):])
			} else {
				f.missing[j/64] |= 1 << (j % 64)
			}
		}
	}
	return nil
}

// offset returns where sector s starts.
func (f *File) offset(s uint32) int64 { return (int64(s) + 1) * f.ss }

// sectName describes a sector number for an error message.
func sectName(s uint32, f *File) string {
	switch s {
	case endOfChain:
		return "ENDOFCHAIN"
	case freeSect:
		return "a free sector"
	case fatSect:
		return "FATSECT"
	case difSect:
		return "DIFSECT"
	}
	if s > maxRegSect {
		return fmt.Sprintf("reserved value %#x", s)
	}
	if f != nil && s >= f.nsec {
		return fmt.Sprintf("sector %d, beyond the end of the file", s)
	}
	return fmt.Sprintf("sector %d", s)
}

// chain walks a FAT chain: next returns the sector after s, or an error.
type chain struct {
	f       *File
	cur     uint32
	steps   int
	visited []uint64
}

func (f *File) newChain(start uint32) *chain {
	return &chain{f: f, cur: start}
}

// sector returns the current sector of the chain after checking it: inside
// the file, not seen before. It does not advance.
func (c *chain) check() error {
	f, s := c.f, c.cur
	switch {
	case s == endOfChain:
		return fmt.Errorf("the FAT chain ends after %d sectors, before the stream's size (truncated?): %w", c.steps, io.ErrUnexpectedEOF)
	case s > maxRegSect:
		return fmt.Errorf("the FAT chain reaches %s after %d sectors", sectName(s, nil), c.steps)
	case uint64(s) >= f.fatLimit:
		return fmt.Errorf("the FAT chain points to sector %d, outside the FAT (%d sectors)", s, f.fatLimit)
	case s >= f.nsec:
		return fmt.Errorf("sector %d is beyond the end of the file (truncated?): %w", s, io.ErrUnexpectedEOF)
	}
	if c.visited == nil {
		c.visited = make([]uint64, (f.nsec+63)/64)
	}
	if c.visited[s/64]&(1<<(s%64)) != 0 {
		return fmt.Errorf("the FAT chain loops at sector %d", s)
	}
	c.visited[s/64] |= 1 << (s % 64)
	return nil
}

// advance moves to the next sector of the chain.
func (c *chain) advance() error {
	f, s := c.f, c.cur
	c.steps++
	if int(s) >= len(f.fat) || f.missing[s/64]&(1<<(s%64)) != 0 {
		return fmt.Errorf("the FAT entry of sector %d is unknown: %w", s, f.fatErr)
	}
	c.cur = f.fat[s]
	return nil
}

// readDir reads the directory sectors; all must be present.
func (f *File) readDir(start uint32) ([]dirEntry, error) {
	le := binary.LittleEndian
	var dir []dirEntry
	buf := make([]byte, f.ss)
	c := f.newChain(start)
	for c.cur != endOfChain || len(dir) == 0 {
		if err := c.check(); err != nil {
			return nil, fmt.Errorf("cfb: directory: %w", err)
		}
		n, err := f.ra.ReadAt(buf, f.offset(c.cur))
		if n < len(buf) {
			if err == nil || err == io.EOF {
				err = io.ErrUnexpectedEOF
			}
			return nil, fmt.Errorf("cfb: directory sector %d (truncated?): %w", c.cur, err)
		}
		for b := buf; len(b) >= dirEntrySize; b = b[dirEntrySize:] {
			e := dirEntry{
				typ:   b[66],
				left:  le.Uint32(b[68:]),
				right: le.Uint32(b[72:]),
				child: le.Uint32(b[76:]),
				start: le.Uint32(b[116:]),
				id:    uint32(len(dir)),
			}
			size := le.Uint64(b[120:])
			if f.ss == 512 {
				size &= 0xFFFFFFFF // version 3: the high 32 bits may be garbage
			}
			e.size = int64(min(size, 1<<63-1))
			nl := int(le.Uint16(b[64:]))
			nl = min(nl, 64) / 2
			u := make([]uint16, 0, nl)
			for i := range nl {
				c := le.Uint16(b[2*i:])
				if c == 0 {
					break
				}
				u = append(u, c)
			}
			e.name = string(utf16.Decode(u))
			dir = append(dir, e)
		}
		if err := c.advance(); err != nil {
			return nil, fmt.Errorf("cfb: directory: %w", err)
		}
	}
	return dir, nil
}

// readMiniFAT reads the mini FAT chain, keeping what it can read.
func (f *File) readMiniFAT(start uint32) {
	le := binary.LittleEndian
	buf := make([]byte, f.ss)
	c := f.newChain(start)
	for c.cur != endOfChain {
		if err := c.check(); err != nil {
			f.miniFATErr = fmt.Errorf("the mini FAT's %w", err)
			return
		}
		n, err := f.ra.ReadAt(buf, f.offset(c.cur))
		for i := 0; i+4 <= n; i += 4 {
			f.miniFAT = append(f.miniFAT, le.Uint32(buf[i:]))
		}
		if n < len(buf) {
			if err == nil || err == io.EOF {
				f.miniFATErr = fmt.Errorf("mini FAT sector %d is cut short (truncated?): %w", c.cur, io.ErrUnexpectedEOF)
			} else {
				f.miniFATErr = fmt.Errorf("mini FAT sector %d: %w", c.cur, err)
			}
			return
		}
		if err := c.advance(); err != nil {
			f.miniFATErr = fmt.Errorf("the mini FAT's %w", err)
			return
		}
	}
}

// readMiniChain lists the sectors of the mini stream, the root entry's.
func (f *File) readMiniChain(start uint32, size int64) {
	f.miniSize = size
	c := f.newChain(start)
	for have := int64(0); have < size; have += f.ss {
		if err := c.check(); err != nil {
			f.miniErr = fmt.Errorf("the mini stream's %w", err)
			return
		}
		f.miniChain = append(f.miniChain, c.cur)
		if err := c.advance(); err != nil {
			f.miniErr = fmt.Errorf("the mini stream's %w", err)
			return
		}
	}
}

// walkTree lists the entries below the root, depth first, each storage's
// children in [MS-CFB] order. Every directory entry may be reached once.
func (f *File) walkTree(dir []dirEntry) error {
	seen := make([]bool, len(dir))
	seen[0] = true
	f.dir = make(map[string]dirEntry)
	type frame struct {
		prefix string
		kids   []dirEntry
	}
	children := func(parent dirEntry, prefix string) (frame, error) {
		var kids []dirEntry
		stack := []uint32{parent.child}
		for len(stack) > 0 {
			id := stack[len(stack)-1]
			stack = stack[:len(stack)-1]
			if id == noStream {
				continue
			}
			if int64(id) >= int64(len(dir)) {
				return frame{}, fmt.Errorf("cfb: directory entry %d (below %q) does not exist (%d entries)", id, parent.name, len(dir))
			}
			if seen[id] {
				return frame{}, fmt.Errorf("cfb: directory entry %d (%q) is reached twice (a cycle in the directory tree)", id, dir[id].name)
			}
			seen[id] = true
			e := dir[id]
			if e.typ != typeStorage && e.typ != typeStream {
				return frame{}, fmt.Errorf("cfb: directory entry %d (%q, below %q) has type %d, want 1 (storage) or 2 (stream)", id, e.name, parent.name, e.typ)
			}
			kids = append(kids, e)
			stack = append(stack, e.right, e.left)
		}
		slices.SortStableFunc(kids, func(a, b dirEntry) int { return compareNames(a.name, b.name) })
		return frame{prefix, kids}, nil
	}
	top, err := children(dir[0], "")
	if err != nil {
		return err
	}
	stack := []frame{top}
	for len(stack) > 0 {
		fr := &stack[len(stack)-1]
		if len(fr.kids) == 0 {
			stack = stack[:len(stack)-1]
			continue
		}
		e := fr.kids[0]
		fr.kids = fr.kids[1:]
		path := fr.prefix + e.name
		if _, dup := f.dir[path]; dup {
			return fmt.Errorf("cfb: directory entry %d: two entries named %q", e.id, path)
		}
		f.dir[path] = e
		if e.typ == typeStream {
			f.entries = append(f.entries, Entry{Path: path, Size: e.size, Stream: true})
			continue
		}
		f.entries = append(f.entries, Entry{Path: path})
		sub, err := children(e, path+"/")
		if err != nil {
			return err
		}
		stack = append(stack, sub)
	}
	return nil
}

// compareNames orders names as [MS-CFB] 2.6.4 does: shorter (in UTF-16 code
// units) first, then by upper-cased code units; ties by the exact name.
func compareNames(a, b string) int {
	ua, ub := utf16.Encode([]rune(a)), utf16.Encode([]rune(b))
	if len(ua) != len(ub) {
		return len(ua) - len(ub)
	}
	for i := range ua {
		ca, cb := upper(ua[i]), upper(ub[i])
		if ca != cb {
			return int(ca) - int(cb)
		}
	}
	return strings.Compare(a, b)
}

func upper(c uint16) uint16 {
	if utf16.IsSurrogate(rune(c)) {
		return c
	}
	u := unicode.ToUpper(rune(c))
	if u > 0xFFFF {
		return c
	}
	return uint16(u)
}

// Entries returns every storage and stream below the root entry, depth
// first: a storage comes before what it holds, and the children of a
// storage are sorted as [MS-CFB] compares names (by length in UTF-16 code
// units, then by upper-cased code units; exact ties by the name's bytes).
func (f *File) Entries() []Entry {
	return slices.Clone(f.entries)
}

// Open returns a reader of the stream e (found by e.Path). Streams below
// 4096 bytes are read from the mini stream, others from regular sectors.
// The reader reads a chunk of sectors at a time, never the whole stream.
// When the stream's sector chain is broken (a loop, a sector outside the
// file or the FAT, a chain shorter than the stream's size) the reader
// delivers the bytes before the problem, then returns an error naming it;
// errors of a truncated file wrap io.ErrUnexpectedEOF.
func (f *File) Open(e Entry) (io.Reader, error) {
	d, ok := f.dir[e.Path]
	if !ok {
		return nil, fmt.Errorf("cfb: no entry %q", e.Path)
	}
	if d.typ != typeStream {
		return nil, fmt.Errorf("cfb: %q is a storage, not a stream", e.Path)
	}
	r := &reader{f: f, path: e.Path, remaining: d.size}
	if d.size == 0 {
		return r, nil
	}
	if d.size < miniCutoff {
		r.next = f.miniPieces(d.start, &r.remaining)
	} else {
		r.next = f.regularPieces(d.start, &r.remaining)
	}
	return r, nil
}

// regularPieces returns the pieces of a stream in regular sectors.
func (f *File) regularPieces(start uint32, remaining *int64) func() (int64, int, error) {
	c := f.newChain(start)
	var pending error // from advancing past the previous sector
	return func() (int64, int, error) {
		if pending != nil {
			return 0, 0, pending
		}
		if err := c.check(); err != nil {
			return 0, 0, err
		}
		s := c.cur
		n := int(min(*remaining, f.ss))
		*remaining -= int64(n)
		if *remaining > 0 {
			pending = c.advance()
		}
		return f.offset(s), n, nil
	}
}

// miniPieces returns the pieces of a stream in the mini stream.
func (f *File) miniPieces(start uint32, remaining *int64) func() (int64, int, error) {
	cur := start
	var visited []uint32 // a mini stream has at most 64 mini sectors
	var pending error    // from advancing past the previous mini sector
	return func() (int64, int, error) {
		switch {
		case pending != nil:
			return 0, 0, pending
		case cur == endOfChain:
			return 0, 0, fmt.Errorf("the mini FAT chain ends after %d mini sectors, before the stream's size (truncated?): %w", len(visited), io.ErrUnexpectedEOF)
		case cur > maxRegSect:
			return 0, 0, fmt.Errorf("the mini FAT chain reaches %s after %d mini sectors", sectName(cur, nil), len(visited))
		case slices.Contains(visited, cur):
			return 0, 0, fmt.Errorf("the mini FAT chain loops at mini sector %d", cur)
		case int64(cur)*miniSectorSize >= f.miniSize:
			return 0, 0, fmt.Errorf("mini sector %d is beyond the mini stream's size (%d bytes)", cur, f.miniSize)
		}
		pos := int64(cur) * miniSectorSize
		idx := pos / f.ss
		if idx >= int64(len(f.miniChain)) {
			return 0, 0, fmt.Errorf("mini sector %d: %w", cur, f.miniErr)
		}
		off := f.offset(f.miniChain[idx]) + pos%f.ss
		n := int(min(*remaining, miniSectorSize))
		*remaining -= int64(n)
		visited = append(visited, cur)
		if *remaining > 0 {
			if int(cur) < len(f.miniFAT) {
				cur = f.miniFAT[cur]
			} else if f.miniFATErr != nil {
				pending = fmt.Errorf("the mini FAT entry of mini sector %d is unknown: %w", cur, f.miniFATErr)
			} else {
				pending = fmt.Errorf("mini sector %d is outside the mini FAT (%d entries)", cur, len(f.miniFAT))
			}
		}
		return off, n, nil
	}
}

// reader reads a stream in chunks of contiguous pieces (sectors or mini
// sectors), up to readChunk bytes at a time.
type reader struct {
	f         *File
	path      string
	remaining int64 // bytes not yet handed out as pieces
	next      func() (off int64, n int, err error)
	buf       []byte
	pending   []byte // read, not yet returned
	err       error  // returned once pending is empty

	held    bool // a piece fetched but not yet read
	heldOff int64
	heldN   int
}

func (r *reader) Read(p []byte) (int, error) {
	for len(r.pending) == 0 {
		if r.err != nil {
			return 0, r.err
		}
		r.fill()
	}
	n := copy(p, r.pending)
	r.pending = r.pending[n:]
	return n, nil
}

// fill reads the next run of contiguous pieces.
func (r *reader) fill() {
	var start int64
	total := 0
	var after error
	for {
		if !r.held {
			if r.remaining == 0 {
				after = io.EOF
				break
			}
			off, n, err := r.next()
			if err != nil {
				after = fmt.Errorf("cfb: stream %q: %w", r.path, err)
				break
			}
			r.held, r.heldOff, r.heldN = true, off, n
		}
		if total > 0 && (r.heldOff != start+int64(total) || total+r.heldN > readChunk) {
			break
		}
		if total == 0 {
			start = r.heldOff
		}
		total += r.heldN
		r.held = false
	}
	if cap(r.buf) < total {
		r.buf = make([]byte, total)
	}
	got, err := 0, error(nil)
	if total > 0 {
		got, err = r.f.ra.ReadAt(r.buf[:total], start)
	}
	r.pending = r.buf[:got]
	switch {
	case got < total && (err == nil || err == io.EOF):
		s := (start+int64(got))/r.f.ss - 1
		r.err = fmt.Errorf("cfb: stream %q: sector %d is cut short by the end of the file (truncated?): %w", r.path, s, io.ErrUnexpectedEOF)
	case got < total:
		r.err = fmt.Errorf("cfb: stream %q: %w", r.path, err)
	default:
		r.err = after
	}
}
