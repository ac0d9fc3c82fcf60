package docfixtures

import (
	"encoding/binary"
	"fmt"
	"hash/crc32"
	"slices"
	"unicode/utf16"

	"github.com/piimap/piimap/sources/docs/pst"
)

// PSTProp is one MAPI property as stored: Value holds the bytes of the value
// (UTF-16LE without terminator for PtypString 0x001F, Windows-1252 bytes for
// PtypString8 0x001E, raw bytes for PtypBinary 0x0102, 4 bytes little-endian
// for PtypInteger32 0x0003, 8 bytes for PtypTime 0x0040 / PtypInteger64 0x0014, etc.).
type PSTProp struct {
	ID, Type uint16
	Value    []byte
}

// PSTString returns a PtypString (0x001F) property: s as UTF-16LE.
func PSTString(id uint16, s string) PSTProp {
	u := utf16.Encode([]rune(s))
	b := make([]byte, 2*len(u))
	for i, c := range u {
		binary.LittleEndian.PutUint16(b[2*i:], c)
	}
	return PSTProp{ID: id, Type: pstTypString, Value: b}
}

// PSTString8 returns a PtypString8 (0x001E) property holding the bytes of s
// as given (callers pass Windows-1252 text).
func PSTString8(id uint16, s string) PSTProp {
	return PSTProp{ID: id, Type: pstTypString8, Value: []byte(s)}
}

// PSTBinary returns a PtypBinary (0x0102) property holding a copy of b.
func PSTBinary(id uint16, b []byte) PSTProp {
	return PSTProp{ID: id, Type: pstTypBinary, Value: slices.Clone(b)}
}

// PSTInt32 returns a PtypInteger32 (0x0003) property.
func PSTInt32(id uint16, v int32) PSTProp {
	b := make([]byte, 4)
	binary.LittleEndian.PutUint32(b, uint32(v))
	return PSTProp{ID: id, Type: pstTypInt32, Value: b}
}

// PSTAttachment is an attachment object's properties: typically
// PidTagAttachMethod (0x3705, int32 1 = by value), PidTagAttachLongFilename
// (0x3707) and PidTagAttachDataBinary (0x3701, binary, any size). With
// Embedded, it is an attached message (PidTagAttachMethod 5): its
// PidTagAttachDataObject (0x3701, PtypObject) names the attachment's
// subnode that holds the message ([MS-PST] 2.4.6.2).
type PSTAttachment struct {
	Props    []PSTProp
	Embedded *PSTMessage
}

// PSTMessage is a message (or contact, appointment: any message object).
type PSTMessage struct {
	Props       []PSTProp
	Recipients  [][]PSTProp // one row of the recipient table per recipient
	Attachments []PSTAttachment
}

// PSTFolder is a folder with its display name (PidTagDisplayName 0x3001), messages and subfolders.
type PSTFolder struct {
	Name     string
	Messages []PSTMessage
	Folders  []PSTFolder
}

// PSTOptions choose the file's format.
type PSTOptions struct {
	ANSI  bool // an ANSI (Outlook 97–2002, wVer 14) file; else Unicode (wVer 23)
	Crypt byte // bCryptMethod: 0 none, 1 permute (NDB_CRYPT_PERMUTE), 2 cyclic (NDB_CRYPT_CYCLIC)
	// SmallPages, when set, makes the writer split B-tree pages, heaps and data
	// trees as early as the format allows, so that small test files still have
	// multi-level NBT/BBT pages, XBLOCKs, multi-block heaps and SIBLOCKs.
	SmallPages bool
}

// PST returns the bytes of a PST file whose root folder (NID 0x122) holds root's
// messages and folders.
//
// The file follows [MS-PST]: a HEADER at 0, an AMap page at 0x4400 and
// every 253,952 bytes after it, a PMap page at 0x4600 and every 2,031,616
// bytes after it (all bits set, as the PMap is deprecated), then the blocks
// and the NBT and BBT pages. There is no DList page and no FMap or FPMap
// page (FMaps are only needed in files above about 32 MB). The NBT holds
// the message store (0x21, PidTagDisplayName "Personal Folders", a
// PidTagRecordKey and a PidTagIpmSubTreeEntryId that names the root
// folder), the name-to-ID map (0x61, PidTagNameidBucketCount 251
// and one numeric named property), and per folder its PC (PidTagDisplayName,
// PidTagContentCount, PidTagContentUnreadCount 0, PidTagSubfolders), its
// hierarchy table (a row per subfolder), contents table (a row per message
// with the usual summary columns its messages have) and empty FAI contents
// table, and its messages. Folder NIDs are allocated from index 0x401 and
// message NIDs from 0x10001, depth first. A message's PC holds its Props
// plus PidTagMessageClass "IPM.Note" (PtypString8 in an ANSI file) when it
// has none; its subnodes are the recipient table (0x692, always), the
// attachment table (0x671, when it has attachments) and the attachments
// (NID_TYPE_ATTACHMENT, index 0x401 on). In an ANSI file the display names
// the writer makes itself are PtypString8 (Windows-1252). Properties with
// the same ID: the last wins; a table column has the type of the first
// property of its ID, and cells of another type are left out. Values
// above the largest heap allocation (3580 bytes, 3068 in ANSI) go to
// subnodes of type NID_TYPE_LTP. Data trees fill every block but the last
// (8176 bytes, 8180 in ANSI), so an XXBLOCK only comes above 1021 (ANSI
// 2043) full blocks. With SmallPages, B-tree pages and BTH nodes hold 3
// entries, SLBLOCKs 2, heap pages grow to 128 bytes (but a PC's heap keeps
// to 8 pages: libpff misreads PCs beyond) and row matrices always go to a
// subnode. PST panics on input it cannot represent.
func PST(root PSTFolder, opt PSTOptions) []byte {
	if opt.Crypt > 2 {
		panic(fmt.Sprintf("docfixtures.PST: bad crypt method %d", opt.Crypt))
	}
	w := &pstWriter{
		ansi:        opt.ANSI,
		crypt:       opt.Crypt,
		small:       opt.SmallPages,
		nextBID:     4,
		nextPID:     1,
		nextFolder:  0x401,
		nextMessage: 0x10001,
	}
	recordKey := []byte("PIIMAP-PST-TEST\x01")
	// An EntryID ([MS-PST] 2.4.3.2): rgbFlags, the store's record key and a NID.
	rootEntryID := binary.LittleEndian.AppendUint32(append(make([]byte, 4), recordKey...), pstNIDRootFolder)
	w.addNode(pstNIDMessageStore, 0, w.buildPC([]PSTProp{
		w.text(pidTagDisplayName, "Personal Folders"),
		PSTBinary(pidTagRecordKey, recordKey),
		PSTBinary(pidTagIpmSubTreeEntryID, rootEntryID),
	}))
	w.addNode(pstNIDNameToIDMap, 0, w.buildPC(pstNameToIDMap()))
	w.folder(root, pstNIDRootFolder, pstNIDRootFolder)
	return w.finish()
}

// pstNameToIDMap returns the properties of the name-to-ID map
// ([MS-PST] 2.4.7) with two entries: NPID 0x8000 is the numeric named
// property 0x8503 (PidLidReminderSet) of PSETID_Common, the GUID
// stream's first GUID, and NPID 0x8001 (PSTEmail1) is 0x8083
// (PidLidEmail1EmailAddress, a contact's first e-mail address) of
// PSETID_Address, its second.
func pstNameToIDMap() []PSTProp {
	const buckets = 251
	le := binary.LittleEndian
	common := []byte{0x08, 0x20, 0x06, 0x00, 0x00, 0x00, 0x00, 0x00, 0xC0, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x46}
	address := []byte{0x04, 0x20, 0x06, 0x00, 0x00, 0x00, 0x00, 0x00, 0xC0, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x46}
	var entries []byte
	props := []PSTProp{PSTInt32(pidTagNameidBucketCount, buckets), PSTBinary(pidTagNameidStreamGUID, append(common, address...))}
	buckets8 := map[uint16][]byte{}
	for i, e := range []struct {
		lid  uint32
		guid uint16 // wGuid: 3 + the GUID stream's index
	}{{0x8503, 3}, {0x8083, 4}} {
		index := e.guid << 1 // N 0: numeric
		entry := le.AppendUint32(nil, e.lid)
		entry = le.AppendUint16(entry, index)
		entry = le.AppendUint16(entry, uint16(i)) // wPropIdx: NPID 0x8000 + i
		entries = append(entries, entry...)
		bucket := uint16(0x1000 + (e.lid^uint32(index))%buckets)
		buckets8[bucket] = append(buckets8[bucket], entry...)
	}
	props = append(props, PSTBinary(pidTagNameidStreamEntry, entries), PSTBinary(pidTagNameidStreamString, nil))
	for id, b := range buckets8 {
		props = append(props, PSTBinary(id, b)) // the hash buckets
	}
	return props
}

// PSTEmail1 is the property ID the name-to-ID map of every file PST
// writes gives PidLidEmail1EmailAddress, a contact's first e-mail
// address (a named property: its ID differs from file to file).
const PSTEmail1 = 0x8001

// Property types.
const (
	pstTypInt16    = 0x0002
	pstTypInt32    = 0x0003
	pstTypFloat32  = 0x0004
	pstTypFloat64  = 0x0005
	pstTypCurrency = 0x0006
	pstTypAppTime  = 0x0007
	pstTypError    = 0x000A
	pstTypBool     = 0x000B
	pstTypInt64    = 0x0014
	pstTypString8  = 0x001E
	pstTypString   = 0x001F
	pstTypTime     = 0x0040
	pstTypBinary   = 0x0102
	pstTypObject   = 0x000D
)

// Property IDs the writer sets or reads.
const (
	pidTagNameidBucketCount  = 0x0001
	pidTagNameidStreamGUID   = 0x0002
	pidTagNameidStreamEntry  = 0x0003
	pidTagNameidStreamString = 0x0004
	pidTagMessageClass       = 0x001A
	pidTagRecordKey          = 0x0FF9
	pidTagRecipientType      = 0x0C15
	pidTagAttachSize         = 0x0E20
	pidTagDisplayName        = 0x3001
	pidTagIpmSubTreeEntryID  = 0x35E0
	pidTagContentCount       = 0x3602
	pidTagContentUnreadCount = 0x3603
	pidTagSubfolders         = 0x360A
	pidTagAttachDataBinary   = 0x3701
	pidTagAttachMethod       = 0x3705
	pidTagLtpRowID           = 0x67F2
	pidTagLtpRowVer          = 0x67F3
)

// Node IDs and NID types ([MS-PST] 2.2.2.1, 2.4.1).
const (
	pstNIDMessageStore  = 0x21
	pstNIDNameToIDMap   = 0x61
	pstNIDRootFolder    = 0x122
	pstNIDAttachTable   = 0x671
	pstNIDRecipTable    = 0x692
	pstNIDTypeFolder    = 0x02
	pstNIDTypeMessage   = 0x04
	pstNIDTypeAttach    = 0x05
	pstNIDTypeHierarchy = 0x0D
	pstNIDTypeContents  = 0x0E
	pstNIDTypeFAI       = 0x0F
	pstNIDTypeLTP       = 0x1F
)

// File layout ([MS-PST] 2.2.2.7).
const (
	pstFirstAMap = 0x4400
	pstAMapSpan  = 496 * 8 * 64 // bytes one AMap page maps
	pstFirstPMap = 0x4600
	pstPMapSpan  = 8 * pstAMapSpan
	pstDataStart = 0x4800
)

// pstContentsColumns are the columns of a contents table, when a message
// of the folder has them: importance, class, sensitivity, subject, submit
// time, sent representing name, delivery time, flags and size.
func pstContentsColumns() []uint16 {
	return []uint16{0x0017, 0x001A, 0x0036, 0x0037, 0x0039, 0x0042, 0x0E06, 0x0E07, 0x0E08}
}

// pstAttachColumns are the columns of an attachment table besides
// PidTagAttachSize, when an attachment has them: filename, method, long
// filename, rendering position, MIME tag, content ID and hidden.
func pstAttachColumns() []uint16 {
	return []uint16{0x3704, 0x3705, 0x3707, 0x370B, 0x370E, 0x3712, 0x7FFE}
}

type pstWriter struct {
	ansi        bool
	crypt       byte
	small       bool
	nextBID     uint64 // bidNextB
	nextPID     uint64 // bidNextP
	nextFolder  uint32 // next folder nidIndex
	nextMessage uint32 // next message nidIndex
	blocks      []pstBlock
	nodes       []pstNBTEntry
}

// pstBlock is a block as stored (external data already encoded), without
// its trailer.
type pstBlock struct {
	bid  uint64
	data []byte
	ib   uint64
}

type pstNBTEntry struct {
	nid       uint32
	data, sub uint64
	parent    uint32
}

// pstNode is a node before it is written: the contents of its data blocks
// (for a heap, its pages) and its subnodes.
type pstNode struct {
	blocks [][]byte
	subs   []pstSubNode
}

type pstSubNode struct {
	nid  uint32
	node *pstNode
}

func (w *pstWriter) bidSize() int {
	if w.ansi {
		return 4
	}
	return 8
}

func (w *pstWriter) trailerSize() int {
	if w.ansi {
		return 12
	}
	return 16
}

// maxData is the largest data size of a block: 8192 bytes on disk.
func (w *pstWriter) maxData() int { return 8192 - w.trailerSize() }

// maxAlloc is the largest heap allocation: 3580 bytes, 3068 in a version 14
// ANSI file (as pstsdk has it; [MS-PST] only names 3580).
func (w *pstWriter) maxAlloc() int {
	if w.ansi {
		return 3068
	}
	return 3580
}

// diskSize is the size a block of n data bytes takes in the file: data and
// trailer, rounded up to 64.
func (w *pstWriter) diskSize(n int) uint64 {
	return uint64(n+w.trailerSize()+63) &^ 63
}

// putID stores a BID, IB or 8-byte NID key: 4 bytes in ANSI, 8 in Unicode.
func (w *pstWriter) putID(b []byte, v uint64) {
	if w.ansi {
		if v > 0xFFFFFFFF {
			panic("docfixtures.PST: ANSI file too large")
		}
		binary.LittleEndian.PutUint32(b, uint32(v))
	} else {
		binary.LittleEndian.PutUint64(b, v)
	}
}

// text is a string property in the file's native string type.
func (w *pstWriter) text(id uint16, s string) PSTProp {
	if w.ansi {
		return PSTProp{ID: id, Type: pstTypString8, Value: pstWindows1252(s)}
	}
	return PSTString(id, s)
}

func pstBool(id uint16, v bool) PSTProp {
	b := []byte{0}
	if v {
		b[0] = 1
	}
	return PSTProp{ID: id, Type: pstTypBool, Value: b}
}

// pstWindows1252 encodes s in Windows-1252, '?' for what it cannot.
func pstWindows1252(s string) []byte {
	const high = "€\u0081‚ƒ„…†‡ˆ‰Š‹Œ\u008DŽ\u008F\u0090‘’“”•–—˜™š›œ\u009DžŸ"
	var out []byte
	for _, r := range s {
		switch {
		case r < 0x80 || r >= 0xA0 && r <= 0xFF:
			out = append(out, byte(r))
		default:
			c := byte('?')
			for i, h := range []rune(high) {
				if h == r {
					c = byte(0x80 + i)
				}
			}
			out = append(out, c)
		}
	}
	return out
}

// pstNormalize returns the properties sorted by ID, the last of each ID.
func pstNormalize(props []PSTProp) []PSTProp {
	var out []PSTProp
	for i, p := range props {
		last := true
		for _, q := range props[i+1:] {
			if q.ID == p.ID {
				last = false
			}
		}
		if last {
			out = append(out, p)
		}
	}
	slices.SortStableFunc(out, func(a, b PSTProp) int { return int(a.ID) - int(b.ID) })
	return out
}

func pstFind(props []PSTProp, id uint16) (PSTProp, bool) {
	var found PSTProp
	ok := false
	for _, p := range props {
		if p.ID == id {
			found, ok = p, true
		}
	}
	return found, ok
}

// writeBlock adds a block and returns its BID: internal blocks get the
// fInternal bit and are stored as they are, data blocks are encoded with
// the file's crypt method.
func (w *pstWriter) writeBlock(data []byte, internal bool) uint64 {
	if len(data) > w.maxData() {
		panic("docfixtures.PST: block too large")
	}
	bid := w.nextBID
	w.nextBID += 4
	if internal {
		bid |= 2
	}
	stored := slices.Clone(data)
	if !internal {
		pst.Encode(stored, w.crypt, bid)
	}
	w.blocks = append(w.blocks, pstBlock{bid: bid, data: stored})
	return bid
}

// chunks splits data into data blocks each filled to the maximum size.
func (w *pstWriter) chunks(data []byte) [][]byte {
	var out [][]byte
	for len(data) > w.maxData() {
		out = append(out, data[:w.maxData()])
		data = data[w.maxData():]
	}
	return append(out, data)
}

// dataTree writes the blocks of a node's data and returns the BID of its
// root: the block itself, an XBLOCK over them, or an XXBLOCK over XBLOCKs
// ([MS-PST] 2.2.2.8.3.2).
func (w *pstWriter) dataTree(blocks [][]byte) uint64 {
	if len(blocks) == 0 {
		blocks = [][]byte{{}}
	}
	bids := make([]uint64, len(blocks))
	sizes := make([]int, len(blocks))
	for i, b := range blocks {
		bids[i], sizes[i] = w.writeBlock(b, false), len(b)
	}
	if len(bids) == 1 {
		return bids[0]
	}
	per := (w.maxData() - 8) / w.bidSize()
	xblock := func(level byte, bids []uint64, total int) uint64 {
		b := make([]byte, 8+len(bids)*w.bidSize())
		b[0], b[1] = 0x01, level
		binary.LittleEndian.PutUint16(b[2:], uint16(len(bids)))
		binary.LittleEndian.PutUint32(b[4:], uint32(total))
		for i, id := range bids {
			w.putID(b[8+i*w.bidSize():], id)
		}
		return w.writeBlock(b, true)
	}
	total := 0
	for _, s := range sizes {
		total += s
	}
	if total > 0xFFFFFFFF {
		panic("docfixtures.PST: data too large")
	}
	if len(bids) <= per {
		return xblock(1, bids, total)
	}
	var xs []uint64
	for i := 0; i < len(bids); i += per {
		j := min(i+per, len(bids))
		sub := 0
		for _, s := range sizes[i:j] {
			sub += s
		}
		xs = append(xs, xblock(1, bids[i:j], sub))
	}
	if len(xs) > per {
		panic("docfixtures.PST: data too large")
	}
	return xblock(2, xs, total)
}

type pstSub struct {
	nid       uint32
	data, sub uint64
}

// subTree writes a subnode B-tree and returns its root's BID (0 when there
// are no subnodes): an SLBLOCK, or an SIBLOCK over SLBLOCKs
// ([MS-PST] 2.2.2.8.3.3).
func (w *pstWriter) subTree(subs []pstSub) uint64 {
	if len(subs) == 0 {
		return 0
	}
	subs = slices.Clone(subs)
	slices.SortFunc(subs, func(a, b pstSub) int { return int(int64(a.nid) - int64(b.nid)) })
	for i := 1; i < len(subs); i++ {
		if subs[i].nid == subs[i-1].nid {
			panic("docfixtures.PST: duplicate subnode")
		}
	}
	hdr := 8 // btype, cLevel, cEnt, dwPadding
	if w.ansi {
		hdr = 4
	}
	bs := w.bidSize()
	perSL := (w.maxData() - hdr) / (3 * bs)
	perSI := (w.maxData() - hdr) / (2 * bs)
	if w.small {
		perSL = 2
	}
	slblock := func(subs []pstSub) uint64 {
		b := make([]byte, hdr+len(subs)*3*bs)
		b[0], b[1] = 0x02, 0
		binary.LittleEndian.PutUint16(b[2:], uint16(len(subs)))
		for i, s := range subs {
			e := b[hdr+i*3*bs:]
			w.putID(e, uint64(s.nid))
			w.putID(e[bs:], s.data)
			w.putID(e[2*bs:], s.sub)
		}
		return w.writeBlock(b, true)
	}
	if len(subs) <= perSL {
		return slblock(subs)
	}
	groups := (len(subs) + perSL - 1) / perSL
	if groups > perSI {
		panic("docfixtures.PST: too many subnodes")
	}
	b := make([]byte, hdr+groups*2*bs)
	b[0], b[1] = 0x02, 1
	binary.LittleEndian.PutUint16(b[2:], uint16(groups))
	for g := range groups {
		part := subs[g*perSL : min((g+1)*perSL, len(subs))]
		e := b[hdr+g*2*bs:]
		w.putID(e, uint64(part[0].nid))
		w.putID(e[bs:], slblock(part))
	}
	return w.writeBlock(b, true)
}

// emit writes a node's data and subnodes and returns bidData and bidSub.
func (w *pstWriter) emit(n *pstNode) (uint64, uint64) {
	data := w.dataTree(n.blocks)
	var subs []pstSub
	for _, s := range n.subs {
		d, sb := w.emit(s.node)
		subs = append(subs, pstSub{nid: s.nid, data: d, sub: sb})
	}
	return data, w.subTree(subs)
}

func (w *pstWriter) addNode(nid, parent uint32, n *pstNode) {
	d, s := w.emit(n)
	w.nodes = append(w.nodes, pstNBTEntry{nid: nid, data: d, sub: s, parent: parent})
}

// pstHeap is a heap on node ([MS-PST] 2.3.1) being filled: allocations go
// to the last page until it is full.
type pstHeap struct {
	w       *pstWriter
	node    *pstNode // owner of the subnodes that hold large values
	limit   int      // page size limit
	pages   []*pstHeapPage
	nextSub uint32 // next nidIndex of an NID_TYPE_LTP subnode
}

type pstHeapPage struct {
	allocs [][]byte
	used   int
}

// newHeap starts a heap for node n with pages of at most limit bytes
// (0: the largest block, or 128 with SmallPages).
func (w *pstWriter) newHeap(n *pstNode, limit int) *pstHeap {
	if limit == 0 {
		limit = w.maxData()
		if w.small {
			limit = 128
		}
	}
	return &pstHeap{w: w, node: n, limit: limit, nextSub: 1}
}

// pstHeapHeaderSize is the size of the header of heap page i: HNHDR on the
// first, HNBITMAPHDR on page 8 and every 128 after it, HNPAGEHDR elsewhere.
func pstHeapHeaderSize(i int) int {
	switch {
	case i == 0:
		return 12
	case i >= 8 && (i-8)%128 == 0:
		return 66
	}
	return 2
}

// alloc reserves size bytes and returns the HID and the bytes to fill.
func (h *pstHeap) alloc(size int) (uint32, []byte) {
	if len(h.pages) == 0 {
		h.pages = append(h.pages, &pstHeapPage{})
	}
	i := len(h.pages) - 1
	p := h.pages[i]
	if len(p.allocs) > 0 {
		end := pstHeapHeaderSize(i) + p.used + size
		end += end & 1
		end += 4 + 2*(len(p.allocs)+2)
		if end > h.limit || len(p.allocs) >= 2047 {
			p = &pstHeapPage{}
			h.pages = append(h.pages, p)
			i++
		}
	}
	if i > 0xFFFF {
		panic("docfixtures.PST: heap too large")
	}
	buf := make([]byte, size)
	p.allocs = append(p.allocs, buf)
	p.used += size
	return uint32(i)<<16 | uint32(len(p.allocs))<<5, buf
}

// value stores a variable-size value and returns its HNID: a heap
// allocation, or above the allocation limit a subnode of type NID_TYPE_LTP.
func (h *pstHeap) value(data []byte) uint32 {
	if len(data) <= h.w.maxAlloc() {
		hid, buf := h.alloc(len(data))
		copy(buf, data)
		return hid
	}
	return h.subnode(h.w.chunks(data))
}

// subnode adds a subnode of type NID_TYPE_LTP with these data blocks to the
// heap's node and returns its NID.
func (h *pstHeap) subnode(blocks [][]byte) uint32 {
	nid := h.nextSub<<5 | pstNIDTypeLTP
	h.nextSub++
	h.node.subs = append(h.node.subs, pstSubNode{nid: nid, node: &pstNode{blocks: blocks}})
	return nid
}

// pstFillLevel is the rgbFillLevel value of a page with free bytes free.
func pstFillLevel(free int) byte {
	for i, t := range []int{3584, 2560, 2048, 1792, 1536, 1280, 1024, 768, 512, 256, 128, 64, 32, 16, 8} {
		if free >= t {
			return byte(i)
		}
	}
	return 15
}

// finish lays the heap out as the node's data blocks: each page its
// header, its allocations, a pad byte to align, and its HNPAGEMAP.
func (h *pstHeap) finish(clientSig byte, root uint32) {
	if len(h.pages) == 0 {
		h.pages = append(h.pages, &pstHeapPage{})
	}
	le := binary.LittleEndian
	out := make([][]byte, len(h.pages))
	for i, p := range h.pages {
		b := make([]byte, pstHeapHeaderSize(i))
		offs := make([]uint16, 0, len(p.allocs)+1)
		for _, a := range p.allocs {
			offs = append(offs, uint16(len(b)))
			b = append(b, a...)
		}
		offs = append(offs, uint16(len(b)))
		if len(b)%2 == 1 {
			b = append(b, 0)
		}
		le.PutUint16(b, uint16(len(b))) // ibHnpm
		b = le.AppendUint16(b, uint16(len(p.allocs)))
		b = le.AppendUint16(b, 0) // cFree
		for _, o := range offs {
			b = le.AppendUint16(b, o)
		}
		if i == 0 {
			b[2], b[3] = 0xEC, clientSig
			le.PutUint32(b[4:], root)
		}
		out[i] = b
	}
	fill := func(dst []byte, start, n int) {
		for j := 0; j < n && start+j < len(out); j++ {
			lvl := pstFillLevel(h.w.maxData() - len(out[start+j]))
			dst[j/2] |= lvl << (4 * (j % 2))
		}
	}
	for i := range out {
		switch pstHeapHeaderSize(i) {
		case 12:
			fill(out[i][8:12], i, 8)
		case 66:
			fill(out[i][2:66], i, 128)
		}
	}
	h.node.blocks = out
}

// bth writes a BTree-on-heap ([MS-PST] 2.3.2) of the records (key and data,
// sorted by key) whose BTHHEADER is the 8-byte allocation hdr.
func (h *pstHeap) bth(hdr []byte, cbKey, cbEnt int, recs [][]byte) {
	hdr[0], hdr[1], hdr[2] = 0xB5, byte(cbKey), byte(cbEnt)
	if len(recs) == 0 {
		return // bIdxLevels 0, hidRoot 0: an empty tree
	}
	perLeaf := h.w.maxAlloc() / (cbKey + cbEnt)
	perIdx := h.w.maxAlloc() / (cbKey + 4)
	if h.w.small {
		perLeaf, perIdx = 3, 3
	}
	type ref struct {
		key []byte
		hid uint32
	}
	var level []ref
	for i := 0; i < len(recs); i += perLeaf {
		part := recs[i:min(i+perLeaf, len(recs))]
		hid, buf := h.alloc(len(part) * (cbKey + cbEnt))
		for j, r := range part {
			copy(buf[j*(cbKey+cbEnt):], r)
		}
		level = append(level, ref{part[0][:cbKey], hid})
	}
	levels := 0
	for len(level) > 1 {
		var next []ref
		for i := 0; i < len(level); i += perIdx {
			part := level[i:min(i+perIdx, len(level))]
			hid, buf := h.alloc(len(part) * (cbKey + 4))
			for j, r := range part {
				copy(buf[j*(cbKey+4):], r.key)
				binary.LittleEndian.PutUint32(buf[j*(cbKey+4)+cbKey:], r.hid)
			}
			next = append(next, ref{part[0].key, hid})
		}
		level = next
		levels++
	}
	hdr[3] = byte(levels)
	binary.LittleEndian.PutUint32(hdr[4:], level[0].hid)
}

// pstInlinePC reports whether a PC stores a value of this type in
// dwValueHnid itself ([MS-PST] 2.3.3.3).
func pstInlinePC(typ uint16) bool {
	switch typ {
	case pstTypInt16, pstTypInt32, pstTypFloat32, pstTypError, pstTypBool:
		return true
	}
	return false
}

// buildPC returns a node holding a property context ([MS-PST] 2.3.3).
//
// With SmallPages its heap still has at most 8 pages: libpff caches 8
// blocks of a node and misreads a PC whose BTH leaf and values are on
// pages 8 apart, and the test files should open there too.
func (w *pstWriter) buildPC(props []PSTProp) *pstNode {
	props = pstNormalize(props)
	for limit := 0; ; limit = max(2*limit, 256) {
		n := w.buildPCHeap(props, limit)
		if !w.small || len(n.blocks) <= 8 || limit >= w.maxData() {
			return n
		}
	}
}

func (w *pstWriter) buildPCHeap(props []PSTProp, limit int) *pstNode {
	n := &pstNode{}
	h := w.newHeap(n, min(limit, w.maxData()))
	hdrHID, hdr := h.alloc(8)
	recs := make([][]byte, len(props))
	for i, p := range props {
		r := make([]byte, 8)
		binary.LittleEndian.PutUint16(r, p.ID)
		binary.LittleEndian.PutUint16(r[2:], p.Type)
		if pstInlinePC(p.Type) {
			var v [4]byte
			copy(v[:], p.Value)
			if p.Type == pstTypBool {
				v = [4]byte{pstTruth(p.Value)}
			}
			copy(r[4:], v[:])
		} else {
			binary.LittleEndian.PutUint32(r[4:], h.value(p.Value))
		}
		recs[i] = r
	}
	h.bth(hdr, 2, 6, recs)
	h.finish(0xBC, hdrHID)
	return n
}

func pstTruth(v []byte) byte {
	for _, c := range v {
		if c != 0 {
			return 1
		}
	}
	return 0
}

type pstCol struct{ id, typ uint16 }

// pstCellSize is the size of a column's cell in a table row: 8-byte values
// inline, 4-byte values inline or HNIDs of variable-size values, 2 and 1.
func pstCellSize(typ uint16) int {
	switch typ {
	case pstTypFloat64, pstTypCurrency, pstTypAppTime, pstTypInt64, pstTypTime:
		return 8
	case pstTypInt16:
		return 2
	case pstTypBool:
		return 1
	}
	return 4
}

func pstFixed(typ uint16) bool {
	switch typ {
	case pstTypInt16, pstTypInt32, pstTypFloat32, pstTypFloat64, pstTypCurrency,
		pstTypAppTime, pstTypError, pstTypBool, pstTypInt64, pstTypTime:
		return true
	}
	return false
}

// pstUnion returns the columns for these rows: each property ID of the
// rows (limited to only when it is not nil), the type of its first
// occurrence, in order of first occurrence.
func pstUnion(rows [][]PSTProp, only []uint16) []pstCol {
	var cols []pstCol
	seen := map[uint16]bool{pidTagLtpRowID: true, pidTagLtpRowVer: true}
	for _, r := range rows {
		for _, p := range r {
			if seen[p.ID] || only != nil && !slices.Contains(only, p.ID) {
				continue
			}
			seen[p.ID] = true
			cols = append(cols, pstCol{p.ID, p.Type})
		}
	}
	return cols
}

// buildTC returns a node holding a table context ([MS-PST] 2.3.4) with
// PidTagLtpRowId and PidTagLtpRowVer and these columns, and a row per
// rowIDs entry holding the properties of rows that match a column (by ID
// and type).
func (w *pstWriter) buildTC(cols []pstCol, rowIDs []uint32, rows [][]PSTProp) *pstNode {
	le := binary.LittleEndian
	all := append([]pstCol{{pidTagLtpRowID, pstTypInt32}, {pidTagLtpRowVer, pstTypInt32}}, cols...)
	if len(all) > 255 {
		panic("docfixtures.PST: too many table columns")
	}
	if w.ansi && len(rows) > 0xFFFF {
		panic("docfixtures.PST: too many table rows")
	}
	type cell struct{ ib, cb int }
	lay := make([]cell, len(all))
	off := 0
	place := func(i int) {
		lay[i] = cell{off, pstCellSize(all[i].typ)}
		off += lay[i].cb
	}
	place(0)
	place(1)
	var rgib [4]int
	for k, size := range []int{8, 4, 2, 1} {
		for i := 2; i < len(all); i++ {
			if pstCellSize(all[i].typ) == size {
				place(i)
			}
		}
		if k > 0 {
			rgib[k-1] = off
		}
	}
	ceb := off
	rowSize := ceb + (len(all)+7)/8
	rgib[3] = rowSize

	n := &pstNode{}
	h := w.newHeap(n, 0)
	infoHID, info := h.alloc(22 + 8*len(all))
	idxHID, idxHdr := h.alloc(8)

	matrix := make([]byte, len(rows)*rowSize)
	for r, props := range rows {
		row := matrix[r*rowSize : (r+1)*rowSize]
		le.PutUint32(row, rowIDs[r])
		le.PutUint32(row[4:], 1)
		row[ceb] |= 0xC0
		for i := 2; i < len(all); i++ {
			var p PSTProp
			ok := false
			for _, q := range props {
				if q.ID == all[i].id && q.Type == all[i].typ {
					p, ok = q, true
				}
			}
			if !ok {
				continue
			}
			c := row[lay[i].ib : lay[i].ib+lay[i].cb]
			switch {
			case p.Type == pstTypBool:
				c[0] = pstTruth(p.Value)
			case pstFixed(p.Type):
				copy(c, p.Value)
			default:
				le.PutUint32(c, h.value(p.Value))
			}
			row[ceb+i/8] |= 0x80 >> (i % 8)
		}
	}

	cbEnt := 4
	if w.ansi {
		cbEnt = 2
	}
	order := make([]int, len(rows))
	for i := range order {
		order[i] = i
	}
	slices.SortFunc(order, func(a, b int) int { return int(int64(rowIDs[a]) - int64(rowIDs[b])) })
	recs := make([][]byte, len(rows))
	for k, i := range order {
		r := make([]byte, 4+cbEnt)
		le.PutUint32(r, rowIDs[i])
		if cbEnt == 4 {
			le.PutUint32(r[4:], uint32(i))
		} else {
			le.PutUint16(r[4:], uint16(i))
		}
		recs[k] = r
		if k > 0 && rowIDs[i] == rowIDs[order[k-1]] {
			panic("docfixtures.PST: duplicate row ID")
		}
	}
	h.bth(idxHdr, 4, cbEnt, recs)

	var hnidRows uint32
	switch {
	case len(rows) == 0:
	case !w.small && len(matrix) <= w.maxAlloc():
		hid, buf := h.alloc(len(matrix))
		copy(buf, matrix)
		hnidRows = hid
	default:
		// Each block holds whole rows, and all but the last are full size.
		per := w.maxData() / rowSize
		var blocks [][]byte
		for i := 0; i < len(rows); i += per {
			j := min(i+per, len(rows))
			b := matrix[i*rowSize : j*rowSize]
			if j < len(rows) {
				b = append(slices.Clone(b), make([]byte, w.maxData()-len(b))...)
			}
			blocks = append(blocks, b)
		}
		hnidRows = h.subnode(blocks)
	}

	info[0], info[1] = 0x7C, byte(len(all))
	for k, v := range rgib {
		le.PutUint16(info[2+2*k:], uint16(v))
	}
	le.PutUint32(info[10:], idxHID)
	le.PutUint32(info[14:], hnidRows)
	le.PutUint32(info[18:], 0) // hidIndex
	byTag := make([]int, len(all))
	for i := range byTag {
		byTag[i] = i
	}
	tag := func(c pstCol) uint32 { return uint32(c.id)<<16 | uint32(c.typ) }
	slices.SortFunc(byTag, func(a, b int) int { return int(int64(tag(all[a])) - int64(tag(all[b]))) })
	for k, i := range byTag {
		d := info[22+8*k:]
		le.PutUint32(d, tag(all[i]))
		le.PutUint16(d[4:], uint16(lay[i].ib))
		d[6], d[7] = byte(lay[i].cb), byte(i)
	}
	h.finish(0x7C, infoHID)
	return n
}

func (w *pstWriter) folderProps(f PSTFolder) []PSTProp {
	return []PSTProp{
		w.text(pidTagDisplayName, f.Name),
		PSTInt32(pidTagContentCount, int32(len(f.Messages))),
		PSTInt32(pidTagContentUnreadCount, 0),
		pstBool(pidTagSubfolders, len(f.Folders) > 0),
	}
}

func (w *pstWriter) messageProps(m PSTMessage) []PSTProp {
	props := slices.Clone(m.Props)
	if _, ok := pstFind(props, pidTagMessageClass); !ok {
		props = append(props, w.text(pidTagMessageClass, "IPM.Note"))
	}
	return props
}

// folder writes a folder's nodes, its messages and, depth first, its
// subfolders.
func (w *pstWriter) folder(f PSTFolder, nid, parent uint32) {
	subNIDs := make([]uint32, len(f.Folders))
	subRows := make([][]PSTProp, len(f.Folders))
	for i, s := range f.Folders {
		subNIDs[i] = w.nextFolder<<5 | pstNIDTypeFolder
		w.nextFolder++
		subRows[i] = w.folderProps(s)
	}
	msgNIDs := make([]uint32, len(f.Messages))
	msgRows := make([][]PSTProp, len(f.Messages))
	for i, m := range f.Messages {
		msgNIDs[i] = w.nextMessage<<5 | pstNIDTypeMessage
		w.nextMessage++
		msgRows[i] = pstNormalize(w.messageProps(m))
	}
	if w.nextFolder > 1<<27 || w.nextMessage > 1<<27 {
		panic("docfixtures.PST: too many objects")
	}
	base := nid &^ 0x1F
	w.addNode(nid, parent, w.buildPC(w.folderProps(f)))
	w.addNode(base|pstNIDTypeHierarchy, 0, w.buildTC(pstUnion(subRows, nil), subNIDs, subRows))
	w.addNode(base|pstNIDTypeContents, 0, w.buildTC(pstUnion(msgRows, pstContentsColumns()), msgNIDs, msgRows))
	w.addNode(base|pstNIDTypeFAI, 0, w.buildTC(nil, nil, nil))
	for i, m := range f.Messages {
		w.addNode(msgNIDs[i], nid, w.message(m))
	}
	for i, s := range f.Folders {
		w.folder(s, subNIDs[i], nid)
	}
}

// message returns a message's node: its PC, recipient table, attachment
// table and attachments.
func (w *pstWriter) message(m PSTMessage) *pstNode {
	n := w.buildPC(w.messageProps(m))

	recRows := make([][]PSTProp, len(m.Recipients))
	recIDs := make([]uint32, len(m.Recipients))
	for i, r := range m.Recipients {
		recRows[i] = pstNormalize(r)
		if _, ok := pstFind(recRows[i], pidTagRecipientType); !ok {
			recRows[i] = append(recRows[i], PSTInt32(pidTagRecipientType, 1))
		}
		recIDs[i] = uint32(i)
	}
	recCols := pstUnion(recRows, nil)
	if !slices.ContainsFunc(recCols, func(c pstCol) bool { return c.id == pidTagRecipientType }) {
		recCols = append(recCols, pstCol{pidTagRecipientType, pstTypInt32})
	}
	n.subs = append(n.subs, pstSubNode{nid: pstNIDRecipTable, node: w.buildTC(recCols, recIDs, recRows)})

	if len(m.Attachments) == 0 {
		return n
	}
	attRows := make([][]PSTProp, len(m.Attachments))
	attIDs := make([]uint32, len(m.Attachments))
	for i, a := range m.Attachments {
		attIDs[i] = uint32(0x401+i)<<5 | pstNIDTypeAttach
		props := pstNormalize(a.Props)
		row := []PSTProp{}
		if p, ok := pstFind(props, pidTagAttachSize); ok {
			row = append(row, p)
		} else {
			size := 0
			if p, ok := pstFind(props, pidTagAttachDataBinary); ok {
				size = len(p.Value)
			}
			row = append(row, PSTInt32(pidTagAttachSize, int32(size)))
		}
		for _, p := range props {
			if slices.Contains(pstAttachColumns(), p.ID) {
				row = append(row, p)
			}
		}
		attRows[i] = row
	}
	attCols := pstUnion(attRows, nil)
	n.subs = append(n.subs, pstSubNode{nid: pstNIDAttachTable, node: w.buildTC(attCols, attIDs, attRows)})
	for i, a := range m.Attachments {
		if a.Embedded == nil {
			n.subs = append(n.subs, pstSubNode{nid: attIDs[i], node: w.buildPC(a.Props)})
			continue
		}
		// The attached message is a subnode of the attachment; the
		// PtypObject value is its NID and size.
		const nid = 1<<5 | pstNIDTypeMessage
		msg := w.message(*a.Embedded)
		obj := binary.LittleEndian.AppendUint32(nil, nid)
		obj = binary.LittleEndian.AppendUint32(obj, 0)
		props := append(slices.Clone(a.Props), PSTInt32(pidTagAttachMethod, 5), PSTProp{ID: pidTagAttachDataBinary, Type: pstTypObject, Value: obj})
		pc := w.buildPC(props)
		pc.subs = append(pc.subs, pstSubNode{nid: nid, node: msg})
		n.subs = append(n.subs, pstSubNode{nid: attIDs[i], node: pc})
	}
	return n
}

// pstLayout assigns file offsets, keeping clear of the AMap and PMap pages.
type pstLayout struct {
	pos   uint64
	pages []pstPage
}

type pstPage struct {
	ib   uint64
	data []byte
}

// pstMapHit returns where a reserved map page overlapping [p, p+size) ends.
func pstMapHit(p, size uint64) (uint64, bool) {
	end := p + size
	for _, m := range [][2]uint64{{pstFirstAMap, pstAMapSpan}, {pstFirstPMap, pstPMapSpan}} {
		if end <= m[0] {
			continue
		}
		a := m[0] + (end-1-m[0])/m[1]*m[1]
		if a < end && a+512 > p {
			return a + 512, true
		}
	}
	return 0, false
}

func (l *pstLayout) place(size, align uint64) uint64 {
	for {
		p := (l.pos + align - 1) &^ (align - 1)
		if q, hit := pstMapHit(p, size); hit {
			l.pos = q
			continue
		}
		l.pos = p + size
		return p
	}
}

// pageTrailer fills in the PAGETRAILER of page p.
func (w *pstWriter) pageTrailer(p []byte, ptype byte, bid, ib uint64, sig uint16) {
	le := binary.LittleEndian
	if w.ansi {
		t := p[500:]
		t[0], t[1] = ptype, ptype
		le.PutUint16(t[2:], sig)
		le.PutUint32(t[4:], uint32(bid))
		le.PutUint32(t[8:], pstCRC(p[:500]))
		return
	}
	t := p[496:]
	t[0], t[1] = ptype, ptype
	le.PutUint16(t[2:], sig)
	le.PutUint32(t[4:], pstCRC(p[:496]))
	le.PutUint64(t[8:], bid)
}

type pstBTItem struct {
	key uint64
	ent []byte
}

// btree writes the pages of the NBT or BBT over these leaf entries (sorted
// by key) and returns the root page's BID and IB.
func (w *pstWriter) btree(l *pstLayout, ptype byte, items []pstBTItem, cbLeaf int) (uint64, uint64) {
	area, bs := 488, w.bidSize()
	if w.ansi {
		area = 496
	}
	page := func(ents [][]byte, cbEnt, level int) (uint64, uint64) {
		ib := l.place(512, 512)
		bid := w.nextPID
		w.nextPID++
		p := make([]byte, 512)
		for i, e := range ents {
			copy(p[i*cbEnt:], e)
		}
		p[area], p[area+1], p[area+2], p[area+3] = byte(len(ents)), byte(area/cbEnt), byte(cbEnt), byte(level)
		w.pageTrailer(p, ptype, bid, ib, pstSignature(ib, bid))
		l.pages = append(l.pages, pstPage{ib, p})
		return bid, ib
	}
	type ref struct{ key, bid, ib uint64 }
	var refs []ref
	per := area / cbLeaf
	if w.small {
		per = 3
	}
	for i := 0; i < len(items) || i == 0; i += per {
		part := items[i:min(i+per, len(items))]
		ents := make([][]byte, len(part))
		for j, it := range part {
			ents[j] = it.ent
		}
		bid, ib := page(ents, cbLeaf, 0)
		var key uint64
		if len(part) > 0 {
			key = part[0].key
		}
		refs = append(refs, ref{key, bid, ib})
	}
	for level := 1; len(refs) > 1; level++ {
		per := area / (3 * bs)
		if w.small {
			per = 3
		}
		var next []ref
		for i := 0; i < len(refs); i += per {
			part := refs[i:min(i+per, len(refs))]
			ents := make([][]byte, len(part))
			for j, r := range part {
				e := make([]byte, 3*bs)
				w.putID(e, r.key)
				w.putID(e[bs:], r.bid)
				w.putID(e[2*bs:], r.ib)
				ents[j] = e
			}
			bid, ib := page(ents, 3*bs, level)
			next = append(next, ref{part[0].key, bid, ib})
		}
		refs = next
	}
	return refs[0].bid, refs[0].ib
}

// finish lays out the blocks and B-tree pages, writes the map pages and
// the header, and returns the file.
func (w *pstWriter) finish() []byte {
	le := binary.LittleEndian
	bs := w.bidSize()
	l := &pstLayout{pos: pstDataStart}
	for i := range w.blocks {
		w.blocks[i].ib = l.place(w.diskSize(len(w.blocks[i].data)), 64)
	}

	nodes := slices.Clone(w.nodes)
	slices.SortFunc(nodes, func(a, b pstNBTEntry) int { return int(int64(a.nid) - int64(b.nid)) })
	cbNBT := 32
	if w.ansi {
		cbNBT = 16
	}
	var nbt []pstBTItem
	for i, n := range nodes {
		if i > 0 && n.nid == nodes[i-1].nid {
			panic("docfixtures.PST: duplicate node")
		}
		e := make([]byte, cbNBT)
		w.putID(e, uint64(n.nid))
		w.putID(e[bs:], n.data)
		w.putID(e[2*bs:], n.sub)
		le.PutUint32(e[3*bs:], n.parent)
		nbt = append(nbt, pstBTItem{uint64(n.nid), e})
	}
	nbtBID, nbtIB := w.btree(l, 0x81, nbt, cbNBT)

	cbBBT := 24
	if w.ansi {
		cbBBT = 12
	}
	var bbt []pstBTItem
	for _, b := range w.blocks { // in increasing BID order
		e := make([]byte, cbBBT)
		w.putID(e, b.bid)
		w.putID(e[bs:], b.ib)
		le.PutUint16(e[2*bs:], uint16(len(b.data)))
		le.PutUint16(e[2*bs+2:], 2) // cRef
		bbt = append(bbt, pstBTItem{b.bid, e})
	}
	bbtBID, bbtIB := w.btree(l, 0x80, bbt, cbBBT)

	eof := l.pos
	if w.ansi && eof > 0x7FFFFFFF {
		panic("docfixtures.PST: ANSI file too large")
	}
	out := make([]byte, eof)
	for _, b := range w.blocks {
		copy(out[b.ib:], b.data)
		t := out[b.ib+w.diskSize(len(b.data))-uint64(w.trailerSize()):]
		le.PutUint16(t, uint16(len(b.data)))
		le.PutUint16(t[2:], pstSignature(b.ib, b.bid))
		if w.ansi {
			le.PutUint32(t[4:], uint32(b.bid))
			le.PutUint32(t[8:], pstCRC(b.data))
		} else {
			le.PutUint32(t[4:], pstCRC(b.data))
			le.PutUint64(t[8:], b.bid)
		}
	}
	for _, p := range l.pages {
		copy(out[p.ib:], p.data)
	}

	// AMaps: a bit per 64 bytes, most significant bit first, set where
	// something is allocated (the map pages themselves included).
	var amaps, pmaps []uint64
	for a := uint64(pstFirstAMap); a < eof; a += pstAMapSpan {
		amaps = append(amaps, a)
	}
	for p := uint64(pstFirstPMap); p < eof; p += pstPMapSpan {
		pmaps = append(pmaps, p)
	}
	bits := make([][]byte, len(amaps))
	for k := range bits {
		bits[k] = make([]byte, 496)
	}
	mark := func(ib, size uint64) {
		for s := ib; s < ib+size; s += 64 {
			rel := s - pstFirstAMap
			k, bit := rel/pstAMapSpan, rel%pstAMapSpan/64
			bits[k][bit/8] |= 0x80 >> (bit % 8)
		}
	}
	for _, a := range amaps {
		mark(a, 512)
	}
	for _, p := range pmaps {
		mark(p, 512)
	}
	for _, b := range w.blocks {
		mark(b.ib, w.diskSize(len(b.data)))
	}
	for _, p := range l.pages {
		mark(p.ib, 512)
	}
	var amapFree uint64
	off := 0
	if w.ansi {
		off = 4 // dwPadding
	}
	for k, a := range amaps {
		for _, c := range bits[k] {
			for bit := range 8 {
				if c&(0x80>>bit) == 0 {
					amapFree += 64
				}
			}
		}
		p := out[a : a+512]
		copy(p[off:], bits[k])
		w.pageTrailer(p, 0x84, a, a, 0)
	}
	for _, a := range pmaps {
		p := out[a : a+512]
		for i := range 496 {
			p[off+i] = 0xFF
		}
		w.pageTrailer(p, 0x83, a, a, 0)
	}

	// The HEADER ([MS-PST] 2.2.2.6).
	h := out[:564]
	if w.ansi {
		h = out[:512]
	}
	copy(h, "!BDN")
	copy(h[8:], "SM")
	le.PutUint16(h[12:], 19) // wVerClient
	h[14], h[15] = 1, 1      // bPlatformCreate, bPlatformAccess
	var rootOff, fmOff, sentinel int
	if w.ansi {
		le.PutUint16(h[10:], 14)
		le.PutUint32(h[24:], uint32(w.nextBID))
		le.PutUint32(h[28:], uint32(w.nextPID))
		le.PutUint32(h[32:], 1) // dwUnique
		rootOff, fmOff, sentinel = 164, 204, 460
	} else {
		le.PutUint16(h[10:], 23)
		le.PutUint64(h[32:], w.nextPID)
		le.PutUint32(h[40:], 1) // dwUnique
		le.PutUint64(h[516:], w.nextBID)
		rootOff, fmOff, sentinel = 180, 256, 512
	}
	rgnid := 44
	if w.ansi {
		rgnid = 36
	}
	for t := range 32 {
		v := uint32(0x400)
		switch t {
		case pstNIDTypeFolder:
			v = w.nextFolder
		case pstNIDTypeMessage:
			v = w.nextMessage
		}
		le.PutUint32(h[rgnid+4*t:], v)
	}
	r := h[rootOff+4:] // after dwReserved
	w.putID(r, eof)
	w.putID(r[bs:], amaps[len(amaps)-1])
	w.putID(r[2*bs:], amapFree)
	w.putID(r[3*bs:], 0) // cbPMapFree
	w.putID(r[4*bs:], nbtBID)
	w.putID(r[5*bs:], nbtIB)
	w.putID(r[6*bs:], bbtBID)
	w.putID(r[7*bs:], bbtIB)
	r[8*bs] = 2 // fAMapValid: VALID_AMAP2
	for i := range 256 {
		h[fmOff+i] = 0xFF // rgbFM, rgbFP
	}
	h[sentinel] = 0x80
	h[sentinel+1] = w.crypt
	le.PutUint32(h[4:], pstCRC(h[8:8+471]))
	if !w.ansi {
		le.PutUint32(h[524:], pstCRC(h[8:8+516]))
	}
	return out
}

// pstCRC is the CRC of [MS-PST] 5.3: the reflected CRC-32 table of
// polynomial 0xEDB88320, starting from 0, with no final inversion.
func pstCRC(p []byte) uint32 {
	return ^crc32.Update(^uint32(0), crc32.IEEETable, p)
}

// pstSignature is the page or block signature of [MS-PST] 5.5.
func pstSignature(ib, bid uint64) uint16 {
	v := uint32(ib ^ bid)
	return uint16(v>>16) ^ uint16(v)
}
