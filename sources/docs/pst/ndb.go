// Package pst reads Outlook personal folders files (.pst) and offline
// caches (.ost) of the formats Outlook 97 to 365 write ([MS-PST]): the
// node database (the header, the node and block B-trees, data trees and
// subnode trees, with permutative and cyclic encoding undone), the lists
// and tables on top of it (heaps, B-trees on heaps, property contexts,
// table contexts) and the messaging layer: folders with their names, and
// the messages in them with their properties, recipients and attachments.
//
// It reads from an io.ReaderAt without loading the file: a message at a
// time, each property value capped (MaxValue), attachments as streams. It
// is written for hostile input: B-tree pages, blocks and heaps are checked
// against their bounds, cycles in trees are cut, depths and counts are
// limited, and a structure that does not hold is an error naming what
// and where, never a panic.
package pst

import (
	"encoding/binary"
	"errors"
	"fmt"
	"io"

	"github.com/piimap/piimap/sources"
)

// Limits.
const (
	// MaxValue caps one property value read into memory (a body, an
	// HTML body); the rest of a larger value is not read.
	MaxValue = 32 << 20
	// maxDepth bounds the levels of a B-tree, data tree or subnode tree.
	maxDepth = 12
	// maxSubnodes bounds the subnodes of one node.
	maxSubnodes = 1 << 20
	// maxNodes bounds the nodes of a file (the NBT's entries).
	maxNodes = 1 << 24
	// maxTreeBlocks bounds the data blocks of one data tree (an XXBLOCK
	// holds at most about a million: 8 GB).
	maxTreeBlocks = 1 << 20
	pageSize      = 512
	// maxBlock is the largest block on disk, trailer included.
	maxBlock = 8192
)

// ErrFormat is wrapped by every error about the file's structure.
var ErrFormat = errors.New("not a valid PST file")

func formatErr(format string, args ...any) error {
	return fmt.Errorf("%w: "+format, append([]any{ErrFormat}, args...)...)
}

// Node types ([MS-PST] 2.2.2.1: the low 5 bits of a NID).
const (
	nidTypeNormalFolder  = 0x02
	nidTypeNormalMessage = 0x04
	nidTypeAttachment    = 0x05
	nidRootFolder        = 0x122
	nidRecipientTable    = 0x692
	nidAttachmentTable   = 0x671
)

// Crypt methods ([MS-PST] 2.2.2.6 bCryptMethod).
const (
	cryptNone    = 0x00
	cryptPermute = 0x01
	cryptCyclic  = 0x02
)

// File is an open PST file.
type File struct {
	ra      io.ReaderAt
	size    int64
	unicode bool
	crypt   byte
	nbt     bref // the root page of the node B-tree
	bbt     bref // the root page of the block B-tree
	pages   map[uint64][]byte
}

// bref is a block or page reference: its id and its offset in the file.
type bref struct{ bid, ib uint64 }

// Node is an entry of the node B-tree: a node's id, its data tree, its
// subnode tree (0: none) and its parent.
type Node struct {
	NID    uint32
	Data   uint64
	Sub    uint64
	Parent uint32
}

// Open reads the header of the PST or OST file of size bytes in ra.
func Open(ra io.ReaderAt, size int64) (*File, error) {
	// A PST is read in pages and blocks of at most 8 KiB, and those of a
	// message lie close together: read in 64 KiB blocks, the last 64
	// kept, a large file takes a few thousand reads, not a few hundred
	// thousand.
	ra = sources.NewCachedReaderAt(ra, size, 64<<10, 64)
	var h [564]byte
	n, err := ra.ReadAt(h[:], 0)
	if n < 512 {
		if err == nil || err == io.EOF {
			err = io.ErrUnexpectedEOF
		}
		return nil, fmt.Errorf("read the header: %w", err)
	}
	if string(h[:4]) != "!BDN" {
		return nil, formatErr("no !BDN signature")
	}
	if c := string(h[8:10]); c != "SM" && c != "SO" {
		return nil, formatErr("client signature %q", c)
	}
	le := binary.LittleEndian
	f := &File{ra: ra, size: size, pages: map[uint64][]byte{}}
	switch ver := le.Uint16(h[10:]); {
	case ver == 14 || ver == 15:
		f.nbt = bref{uint64(le.Uint32(h[184:])), uint64(le.Uint32(h[188:]))}
		f.bbt = bref{uint64(le.Uint32(h[192:])), uint64(le.Uint32(h[196:]))}
		f.crypt = h[461]
	case ver >= 23 && ver < 36:
		if n < 564 {
			return nil, fmt.Errorf("read the header: %w", io.ErrUnexpectedEOF)
		}
		f.unicode = true
		f.nbt = bref{le.Uint64(h[216:]), le.Uint64(h[224:])}
		f.bbt = bref{le.Uint64(h[232:]), le.Uint64(h[240:])}
		f.crypt = h[513]
	case ver >= 36:
		return nil, fmt.Errorf("%w: version %d (4 KiB pages, an Outlook 2013 offline cache) is not supported", errors.ErrUnsupported, ver)
	default:
		return nil, formatErr("version %d", ver)
	}
	if f.crypt != cryptNone && f.crypt != cryptPermute && f.crypt != cryptCyclic {
		return nil, fmt.Errorf("%w: encryption method %#x (protected by Windows Information Protection)", errors.ErrUnsupported, f.crypt)
	}
	return f, nil
}

// idSize is the size of a block id or file offset: 8 bytes, 4 in ANSI.
func (f *File) idSize() int {
	if f.unicode {
		return 8
	}
	return 4
}

// id reads a block id or offset at b[0:].
func (f *File) id(b []byte) uint64 {
	if f.unicode {
		return binary.LittleEndian.Uint64(b)
	}
	return uint64(binary.LittleEndian.Uint32(b))
}

// B-tree page layout.
const (
	ptypeBBT = 0x80
	ptypeNBT = 0x81
)

// btPage is a parsed B-tree page: its entries, of entSize bytes each, and
// its level (0: a leaf).
type btPage struct {
	entries []byte
	n       int
	entSize int
	level   int
}

// page reads the B-tree page of type ptype at r.
func (f *File) page(r bref, ptype byte) (btPage, error) {
	b, ok := f.pages[r.ib]
	if !ok {
		if r.ib%pageSize != 0 || r.ib < pageSize || f.size < pageSize || r.ib > uint64(f.size-pageSize) {
			return btPage{}, formatErr("page %#x at %d: outside the file", r.bid, r.ib)
		}
		b = make([]byte, pageSize)
		if _, err := f.ra.ReadAt(b, int64(r.ib)); err != nil {
			return btPage{}, fmt.Errorf("read page at %d: %w", r.ib, err)
		}
		if len(f.pages) >= 4096 {
			clear(f.pages)
		}
		f.pages[r.ib] = b
	}
	meta := 488 // cEnt, cEntMax, cbEnt, cLevel; then the trailer at 496
	if !f.unicode {
		meta = 496
	}
	trailer := b[pageSize-16:]
	if !f.unicode {
		trailer = b[pageSize-12:]
	}
	if trailer[0] != ptype || trailer[1] != ptype {
		return btPage{}, formatErr("page at %d: type %#x, want %#x", r.ib, trailer[0], ptype)
	}
	p := btPage{n: int(b[meta]), entSize: int(b[meta+2]), level: int(b[meta+3])}
	if p.entSize == 0 || p.n*p.entSize > meta {
		return btPage{}, formatErr("page at %d: %d entries of %d bytes", r.ib, p.n, p.entSize)
	}
	want := 3 * f.idSize() // intermediate: key, bid, ib
	if p.level == 0 {
		switch {
		case ptype == ptypeNBT && f.unicode:
			want = 32
		case ptype == ptypeNBT:
			want = 16
		case f.unicode:
			want = 24
		default:
			want = 12
		}
	}
	if p.entSize < want {
		return btPage{}, formatErr("page at %d: entries of %d bytes, want %d", r.ib, p.entSize, want)
	}
	p.entries = b[:p.n*p.entSize]
	return p, nil
}

// Nodes calls fn with every node of the node B-tree, in NID order.
func (f *File) Nodes(fn func(Node) error) error {
	count := 0
	seen := map[uint64]bool{}
	var walk func(r bref, depth, level int) error
	walk = func(r bref, depth, level int) error {
		if depth > maxDepth || seen[r.ib] {
			return formatErr("node B-tree: a cycle or more than %d levels at %d", maxDepth, r.ib)
		}
		seen[r.ib] = true
		p, err := f.page(r, ptypeNBT)
		if err != nil {
			return err
		}
		if level >= 0 && p.level >= level {
			return formatErr("node B-tree: page at %d of level %d under level %d", r.ib, p.level, level)
		}
		s := f.idSize()
		for i := range p.n {
			e := p.entries[i*p.entSize:]
			if p.level > 0 {
				if err := walk(bref{f.id(e[s:]), f.id(e[2*s:])}, depth+1, p.level); err != nil {
					return err
				}
				continue
			}
			if count++; count > maxNodes {
				return formatErr("more than %d nodes", maxNodes)
			}
			nd := Node{NID: uint32(f.id(e)), Data: f.id(e[s:]), Sub: f.id(e[2*s:]), Parent: binary.LittleEndian.Uint32(e[3*s:])}
			if err := fn(nd); err != nil {
				return err
			}
		}
		return nil
	}
	return walk(f.nbt, 0, -1)
}

// block finds the block bid in the block B-tree and returns its data,
// decoded when it is an external block of an encoded file.
func (f *File) block(bid uint64) ([]byte, error) {
	key := bid &^ 1 // bit 0 is reserved
	r := f.bbt
	for depth := 0; ; depth++ {
		if depth > maxDepth {
			return nil, formatErr("block B-tree deeper than %d levels", maxDepth)
		}
		p, err := f.page(r, ptypeBBT)
		if err != nil {
			return nil, err
		}
		s := f.idSize()
		if p.level > 0 {
			// The last entry whose key is not above the block's id.
			next := -1
			for i := range p.n {
				if f.id(p.entries[i*p.entSize:])&^1 <= key {
					next = i
				}
			}
			if next < 0 {
				return nil, formatErr("block %#x not found", bid)
			}
			e := p.entries[next*p.entSize:]
			nr := bref{f.id(e[s:]), f.id(e[2*s:])}
			if nr.ib == r.ib {
				return nil, formatErr("block B-tree: a page at %d points to itself", r.ib)
			}
			r = nr
			continue
		}
		for i := range p.n {
			e := p.entries[i*p.entSize:]
			if f.id(e)&^1 != key {
				continue
			}
			ib := f.id(e[s:])
			cb := int(binary.LittleEndian.Uint16(e[2*s:]))
			return f.readBlock(bid, ib, cb)
		}
		return nil, formatErr("block %#x not found", bid)
	}
}

// readBlock reads the cb bytes of block bid at ib.
func (f *File) readBlock(bid, ib uint64, cb int) ([]byte, error) {
	if cb > maxBlock || int64(ib) < 0 || int64(ib)+int64(cb) > f.size {
		return nil, formatErr("block %#x: %d bytes at %d, outside the file", bid, cb, ib)
	}
	b := make([]byte, cb)
	if _, err := f.ra.ReadAt(b, int64(ib)); err != nil {
		return nil, fmt.Errorf("read block %#x at %d: %w", bid, ib, err)
	}
	if bid&2 == 0 { // external: its data is encoded
		Decode(b, f.crypt, bid)
	}
	return b, nil
}

// Encode encodes b, the data of the external block bid, in place, as a
// file whose bCryptMethod is crypt stores it: 1 the permutative encoding
// ([MS-PST] 5.1), 2 the cyclic one (5.2); any other value leaves b as it
// is. It is for writers of test files; Decode undoes it.
func Encode(b []byte, crypt byte, bid uint64) { code(b, crypt, bid, &mpbbR) }

// Decode undoes Encode.
func Decode(b []byte, crypt byte, bid uint64) { code(b, crypt, bid, &mpbbI) }

// code encodes or decodes b: permute maps each byte through the table
// perm, and the cyclic encoding is its own inverse.
func code(b []byte, crypt byte, bid uint64, perm *[256]byte) {
	switch crypt {
	case cryptPermute:
		for i, c := range b {
			b[i] = perm[c]
		}
	case cryptCyclic:
		cyclic(b, uint32(bid))
	}
}

// dataBlocks returns the data blocks of the data tree bid in order: one
// block, or the blocks an XBLOCK or XXBLOCK lists. It stops after limit
// bytes (the blocks returned may hold more).
func (f *File) dataBlocks(bid uint64, limit int) ([][]byte, error) {
	leaves, err := f.leaves(bid)
	if err != nil {
		return nil, err
	}
	var out [][]byte
	total := 0
	for _, l := range leaves {
		if total >= limit {
			break
		}
		b, err := f.block(l)
		if err != nil {
			return nil, err
		}
		out = append(out, b)
		total += len(b)
	}
	return out, nil
}

// leaves returns the ids of the data blocks of the data tree bid in
// order: bid itself, or the blocks its XBLOCK or XXBLOCK lists (at most
// maxTreeBlocks).
func (f *File) leaves(bid uint64) ([]uint64, error) {
	var out []uint64
	seen := map[uint64]bool{}
	var walk func(bid uint64, depth int) error
	walk = func(bid uint64, depth int) error {
		if bid&2 == 0 {
			if len(out) >= maxTreeBlocks {
				return formatErr("a data tree of more than %d blocks", maxTreeBlocks)
			}
			out = append(out, bid)
			return nil
		}
		if seen[bid] {
			return formatErr("block %#x: twice in one data tree", bid)
		}
		seen[bid] = true
		b, err := f.block(bid)
		if err != nil {
			return err
		}
		if len(b) < 8 || b[0] != 0x01 || depth >= 2 {
			return formatErr("block %#x: not a data tree block", bid)
		}
		level, n := int(b[1]), int(binary.LittleEndian.Uint16(b[2:]))
		s := f.idSize()
		if level < 1 || level > 2 || 8+n*s > len(b) {
			return formatErr("block %#x: an XBLOCK of level %d with %d entries in %d bytes", bid, level, n, len(b))
		}
		for i := range n {
			child := f.id(b[8+i*s:])
			if level == 1 && child&2 != 0 || level == 2 && child&2 == 0 {
				return formatErr("block %#x: entry %d (%#x) is not of the level below", bid, i, child)
			}
			if err := walk(child, depth+1); err != nil {
				return err
			}
		}
		return nil
	}
	if err := walk(bid, 0); err != nil {
		return nil, err
	}
	return out, nil
}

// subnodes reads the subnode tree bid into m (nid → node).
func (f *File) subnodes(bid uint64, m map[uint32]Node) error {
	seen := map[uint64]bool{}
	var walk func(bid uint64, depth int) error
	walk = func(bid uint64, depth int) error {
		if depth > maxDepth || seen[bid] {
			return formatErr("subnode tree: a cycle or more than %d levels at block %#x", maxDepth, bid)
		}
		seen[bid] = true
		b, err := f.block(bid)
		if err != nil {
			return err
		}
		if bid&2 == 0 || len(b) < 4 || b[0] != 0x02 {
			return formatErr("block %#x: not a subnode block", bid)
		}
		level, n := int(b[1]), int(binary.LittleEndian.Uint16(b[2:]))
		s := f.idSize()
		head := 4
		if f.unicode {
			head = 8
		}
		size := 2 * s // SIENTRY: nid, bid
		if level == 0 {
			size = 3 * s // SLENTRY: nid, data, sub
		}
		if level > 1 || head+n*size > len(b) {
			return formatErr("block %#x: a subnode block of level %d with %d entries in %d bytes", bid, level, n, len(b))
		}
		for i := range n {
			e := b[head+i*size:]
			if level == 1 {
				if err := walk(f.id(e[s:]), depth+1); err != nil {
					return err
				}
				continue
			}
			if len(m) >= maxSubnodes {
				return formatErr("more than %d subnodes", maxSubnodes)
			}
			nid := uint32(f.id(e))
			m[nid] = Node{NID: nid, Data: f.id(e[s:]), Sub: f.id(e[2*s:])}
		}
		return nil
	}
	return walk(bid, 0)
}

// cyclic undoes (and does) the cyclic encoding of an external block whose
// key is the low 32 bits of its id ([MS-PST] 5.2).
func cyclic(b []byte, key uint32) {
	w := uint16(key ^ key>>16)
	for i, c := range b {
		c += byte(w)
		c = mpbbR[c]
		c += byte(w >> 8)
		c = mpbbS[c]
		c -= byte(w >> 8)
		c = mpbbI[c]
		c -= byte(w)
		b[i] = c
		w++
	}
}
