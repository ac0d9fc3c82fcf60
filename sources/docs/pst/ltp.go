package pst

import (
	"encoding/binary"
	"slices"
)

// maxHeap caps the data of one heap (a property context, a table):
// recipient and attachment tables and messages' properties are far
// smaller; large values live in subnodes.
const maxHeap = 8 << 20

// Heap client signatures ([MS-PST] 2.3.1.2 bClientSig).
const (
	clientTC = 0x7C
	clientPC = 0xBC
)

// heap is a heap on a node ([MS-PST] 2.3.1): the node's data blocks,
// each a page of allocations, and the node's subnodes, where values too
// large for the heap are.
type heap struct {
	f      *File
	node   Node
	blocks [][]byte
	client byte
	root   uint32 // hidUserRoot
	subs   map[uint32]Node
}

// openHeap reads the heap on node n.
func (f *File) openHeap(n Node) (*heap, error) {
	blocks, err := f.dataBlocks(n.Data, maxHeap)
	if err != nil {
		return nil, err
	}
	if len(blocks) == 0 || len(blocks[0]) < 12 || blocks[0][2] != 0xEC {
		return nil, formatErr("node %#x: not a heap", n.NID)
	}
	b := blocks[0]
	return &heap{f: f, node: n, blocks: blocks, client: b[3], root: binary.LittleEndian.Uint32(b[4:])}, nil
}

// alloc returns the heap allocation hid.
func (h *heap) alloc(hid uint32) ([]byte, error) {
	if hid&0x1F != 0 {
		return nil, formatErr("node %#x: %#x is not a heap id", h.node.NID, hid)
	}
	blk, idx := int(hid>>16), int(hid>>5&0x7FF)
	if blk >= len(h.blocks) || idx == 0 {
		return nil, formatErr("node %#x: heap id %#x outside the heap", h.node.NID, hid)
	}
	b := h.blocks[blk]
	le := binary.LittleEndian
	if len(b) < 2 {
		return nil, formatErr("node %#x: heap block %d of %d bytes", h.node.NID, blk, len(b))
	}
	m := int(le.Uint16(b))
	if m+4 > len(b) {
		return nil, formatErr("node %#x: heap block %d: page map at %d", h.node.NID, blk, m)
	}
	n := int(le.Uint16(b[m:]))
	if idx > n || m+4+2*(n+1) > len(b) {
		return nil, formatErr("node %#x: heap id %#x: block %d has %d allocations", h.node.NID, hid, blk, n)
	}
	start, end := int(le.Uint16(b[m+4+2*(idx-1):])), int(le.Uint16(b[m+4+2*idx:]))
	if start > end || end > m {
		return nil, formatErr("node %#x: heap id %#x: allocation [%d, %d) past its page map at %d", h.node.NID, hid, start, end, m)
	}
	return b[start:end], nil
}

// loadSubs reads the node's subnodes (once; what was read before an
// error is kept).
func (h *heap) loadSubs() error {
	if h.subs != nil {
		return nil
	}
	h.subs = map[uint32]Node{}
	if h.node.Sub == 0 {
		return nil
	}
	return h.f.subnodes(h.node.Sub, h.subs)
}

// subnode returns the node's subnode nid.
func (h *heap) subnode(nid uint32) (Node, error) {
	if err := h.loadSubs(); err != nil {
		return Node{}, err
	}
	n, ok := h.subs[nid]
	if !ok {
		return Node{}, formatErr("node %#x: no subnode %#x", h.node.NID, nid)
	}
	return n, nil
}

// value returns the data an HNID names: a heap allocation, or the data
// of a subnode (at most MaxValue bytes of it).
func (h *heap) value(hnid uint32) ([]byte, error) {
	if hnid == 0 {
		return nil, nil
	}
	if hnid&0x1F == 0 {
		return h.alloc(hnid)
	}
	n, err := h.subnode(hnid)
	if err != nil {
		return nil, err
	}
	return h.f.readData(n.Data, MaxValue)
}

// readData returns the data of the data tree bid, at most limit bytes.
func (f *File) readData(bid uint64, limit int) ([]byte, error) {
	if bid == 0 {
		return nil, nil
	}
	blocks, err := f.dataBlocks(bid, limit)
	if err != nil {
		return nil, err
	}
	var out []byte
	for _, b := range blocks {
		out = append(out, b[:min(len(b), limit-len(out))]...)
	}
	return out, nil
}

// bth calls fn with the records of the B-tree on the heap whose header
// is hid ([MS-PST] 2.3.2), in key order.
func (h *heap) bth(hid uint32, fn func(key, data []byte) error) error {
	hdr, err := h.alloc(hid)
	if err != nil {
		return err
	}
	if len(hdr) < 8 || hdr[0] != 0xB5 {
		return formatErr("node %#x: not a B-tree on a heap", h.node.NID)
	}
	cbKey, cbEnt, levels := int(hdr[1]), int(hdr[2]), int(hdr[3])
	if cbKey == 0 || cbKey > 16 || cbEnt == 0 || cbEnt > 32 || levels > maxDepth {
		return formatErr("node %#x: a B-tree of %d-byte keys, %d-byte entries and %d levels", h.node.NID, cbKey, cbEnt, levels)
	}
	seen := map[uint32]bool{}
	var walk func(hid uint32, level int) error
	walk = func(hid uint32, level int) error {
		if seen[hid] {
			return formatErr("node %#x: a cycle in a B-tree on a heap", h.node.NID)
		}
		seen[hid] = true
		recs, err := h.alloc(hid)
		if err != nil {
			return err
		}
		size := cbKey + cbEnt
		if level > 0 {
			size = cbKey + 4
		}
		for i := 0; i+size <= len(recs); i += size {
			r := recs[i : i+size]
			if level > 0 {
				if err := walk(binary.LittleEndian.Uint32(r[cbKey:]), level-1); err != nil {
					return err
				}
				continue
			}
			if err := fn(r[:cbKey], r[cbKey:]); err != nil {
				return err
			}
		}
		return nil
	}
	if root := binary.LittleEndian.Uint32(hdr[4:]); root != 0 {
		return walk(root, levels)
	}
	return nil
}

// Prop is one property of a message, recipient or attachment: its id,
// its type (PtypString 0x001F, PtypBinary 0x0102, …) and its value as
// stored (UTF-16LE for PtypString, at most MaxValue bytes).
type Prop struct {
	ID, Type uint16
	Value    []byte
}

// Property types whose values are stored in place of an HNID: in a
// property context those of 4 bytes or less, in a table's rows those
// of 8 bytes or less.
func fixedSize(typ uint16) int {
	switch typ {
	case 0x000B: // boolean
		return 1
	case 0x0002: // 16-bit integer
		return 2
	case 0x0003, 0x0004, 0x000A: // 32-bit integer, float, error code
		return 4
	case 0x0005, 0x0006, 0x0007, 0x0014, 0x0040: // double, currency, application time, 64-bit integer, time
		return 8
	}
	return -1
}

// pcEntry is a property context's record: a property, its type and its
// value in place or an HNID.
type pcEntry struct {
	id, typ uint16
	raw     uint32
}

// propContext reads the property context on node n ([MS-PST] 2.3.3):
// its heap and its records.
func (f *File) propContext(n Node) (*heap, []pcEntry, error) {
	h, err := f.openHeap(n)
	if err != nil {
		return nil, nil, err
	}
	if h.client != clientPC {
		return nil, nil, formatErr("node %#x: a heap of type %#x, not a property context", n.NID, h.client)
	}
	var out []pcEntry
	err = h.bth(h.root, func(key, data []byte) error {
		if len(key) != 2 || len(data) < 6 {
			return formatErr("node %#x: property records of %d and %d bytes", n.NID, len(key), len(data))
		}
		le := binary.LittleEndian
		out = append(out, pcEntry{id: le.Uint16(key), typ: le.Uint16(data), raw: le.Uint32(data[2:])})
		return nil
	})
	return h, out, err
}

// pcValue returns the value of a property context's record.
func (h *heap) pcValue(e pcEntry) ([]byte, error) {
	if s := fixedSize(e.typ); s >= 0 && s <= 4 {
		var b [4]byte
		binary.LittleEndian.PutUint32(b[:], e.raw)
		return b[:s], nil
	}
	return h.value(e.raw)
}

// props reads every property of the property context on node n but those
// skip says to leave (an attachment's data, read as a stream). A value
// that cannot be read is left out and its error returned with the rest.
func (f *File) props(n Node, skip func(id, typ uint16) bool) (*heap, []Prop, error) {
	h, entries, err := f.propContext(n)
	if err != nil {
		return nil, nil, err
	}
	props, err := h.values(entries, skip)
	return h, props, err
}

// values reads the values of a property context's records but those skip
// says to leave.
func (h *heap) values(entries []pcEntry, skip func(id, typ uint16) bool) ([]Prop, error) {
	var out []Prop
	var first error
	for _, e := range entries {
		if skip != nil && skip(e.id, e.typ) {
			continue
		}
		v, err := h.pcValue(e)
		if err != nil {
			if first == nil {
				first = err
			}
			continue
		}
		out = append(out, Prop{ID: e.id, Type: e.typ, Value: v})
	}
	return out, first
}

// table reads the rows of the table context on node n ([MS-PST] 2.3.4),
// each row the properties of its cells that exist.
func (f *File) table(n Node) ([][]Prop, error) {
	h, err := f.openHeap(n)
	if err != nil {
		return nil, err
	}
	if h.client != clientTC {
		return nil, formatErr("node %#x: a heap of type %#x, not a table", n.NID, h.client)
	}
	info, err := h.alloc(h.root)
	if err != nil {
		return nil, err
	}
	le := binary.LittleEndian
	if len(info) < 22 || info[0] != clientTC {
		return nil, formatErr("node %#x: not a table's header", n.NID)
	}
	nCols := int(info[1])
	if 22+8*nCols > len(info) {
		return nil, formatErr("node %#x: %d columns in a header of %d bytes", n.NID, nCols, len(info))
	}
	cebAt, rowSize := int(le.Uint16(info[6:])), int(le.Uint16(info[8:]))
	if rowSize == 0 || cebAt+(nCols+7)/8 > rowSize {
		return nil, formatErr("node %#x: rows of %d bytes, %d columns", n.NID, rowSize, nCols)
	}
	type col struct {
		id, typ  uint16
		at, size int
		bit      int
	}
	cols := make([]col, nCols)
	for i := range cols {
		d := info[22+8*i:]
		tag := le.Uint32(d)
		c := col{id: uint16(tag >> 16), typ: uint16(tag), at: int(le.Uint16(d[4:])), size: int(d[6]), bit: int(d[7])}
		if c.at+c.size > rowSize || c.bit >= 8*(rowSize-cebAt) {
			return nil, formatErr("node %#x: column %#x at %d of %d bytes in rows of %d", n.NID, tag, c.at, c.size, rowSize)
		}
		cols[i] = c
	}
	// The row matrix: a heap allocation, or a subnode whose blocks each
	// hold whole rows.
	var chunks [][]byte
	switch rows := le.Uint32(info[14:]); {
	case rows == 0:
	case rows&0x1F == 0:
		b, err := h.alloc(rows)
		if err != nil {
			return nil, err
		}
		chunks = [][]byte{b}
	default:
		sn, err := h.subnode(rows)
		if err != nil {
			return nil, err
		}
		if chunks, err = f.dataBlocks(sn.Data, maxHeap); err != nil {
			return nil, err
		}
	}
	var out [][]Prop
	for _, c := range chunks {
		for off := 0; off+rowSize <= len(c); off += rowSize {
			row := c[off : off+rowSize]
			ceb := row[cebAt:]
			var props []Prop
			for _, cl := range cols {
				if cl.bit/8 >= len(ceb) || ceb[cl.bit/8]&(0x80>>(cl.bit%8)) == 0 {
					continue
				}
				cell := row[cl.at : cl.at+cl.size]
				if s := fixedSize(cl.typ); s >= 0 && s <= 8 {
					props = append(props, Prop{ID: cl.id, Type: cl.typ, Value: slices.Clone(cell)})
					continue
				}
				if len(cell) < 4 {
					continue
				}
				v, err := h.value(le.Uint32(cell))
				if err != nil {
					continue // a cell that cannot be read: the rest of the row can
				}
				props = append(props, Prop{ID: cl.id, Type: cl.typ, Value: v})
			}
			out = append(out, props)
		}
	}
	return out, nil
}

// MultiValues splits the value of a multi-valued property of a variable
// size type (PtypMultipleString, PtypMultipleBinary, [MS-PST] 2.3.3.4.2):
// a count, the offset of each value, then the values. What does not hold
// is left out.
func MultiValues(v []byte) [][]byte {
	if len(v) < 4 {
		return nil
	}
	le := binary.LittleEndian
	n := int(le.Uint32(v))
	if n <= 0 || n > (len(v)-4)/4 {
		return nil
	}
	out := make([][]byte, 0, n)
	for i := range n {
		start, end := int(le.Uint32(v[4+4*i:])), len(v)
		if i+1 < n {
			end = int(le.Uint32(v[8+4*i:]))
		}
		if start < 4+4*n || start > end || end > len(v) {
			return out
		}
		out = append(out, v[start:end])
	}
	return out
}
