package docfixtures

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/piimap/piimap/sources/docs/pst"
)

func TestPSTEncoding(t *testing.T) {
	data := make([]byte, 1000)
	for i := range data {
		data[i] = byte(i * 7)
	}
	enc := slices.Clone(data)
	pst.Encode(enc, 1, 4)
	if bytes.Equal(enc, data) {
		t.Error("permute changed nothing")
	}
	pst.Decode(enc, 1, 4)
	if !bytes.Equal(enc, data) {
		t.Error("permute does not decode back")
	}
	for _, key := range []uint64{0, 4, 0x12345678, 0xFFFFFFFC} {
		c := slices.Clone(data)
		pst.Encode(c, 2, key)
		if bytes.Equal(c, data) {
			t.Errorf("cyclic with key %#x changed nothing", key)
		}
		pst.Decode(c, 2, key)
		if !bytes.Equal(c, data) {
			t.Errorf("cyclic with key %#x does not decode back", key)
		}
	}

	// The CRC against a bitwise one, and against entries of the table
	// (the CRC of one byte b from 0 is table[b]).
	crcTab := pstTestCRCTable()
	for _, p := range [][]byte{nil, {1}, {0xFF}, []byte("!BDN SM"), data} {
		if got, want := pstCRC(p), pstTestCRC(crcTab, p); got != want {
			t.Errorf("crc(%x) = %#x, want %#x", p, got, want)
		}
	}
	if pstCRC([]byte{1}) != 0x77073096 || pstCRC([]byte{0xFF}) != 0x2D02EF8D {
		t.Error("crc table differs from [MS-PST] 5.3")
	}
	// [MS-PST] 5.5: the low 32 bits of ib ^ bid, their two halves xored.
	if got := pstSignature(0x4800, 0x12345678_9ABCDEF0); got != 0x9ABC^(0xDEF0^0x4800) {
		t.Errorf("signature = %#x", got)
	}
}

func TestPSTWindows1252(t *testing.T) {
	if got := pstWindows1252("Kåre €5 „ok“ 日"); !bytes.Equal(got, []byte("K\xe5re \x805 \x84ok\x93 ?")) {
		t.Errorf("got %q", got)
	}
}

// pstSample is a tree with every kind of object: large values in subnodes
// (a long body, a 100 KB attachment), recipients with mixed string types,
// a message with many properties, nested and empty folders.
func pstSample() PSTFolder {
	att := make([]byte, 100*1024)
	for i := range att {
		att[i] = byte(i ^ i>>8)
	}
	when := make([]byte, 8)
	binary.LittleEndian.PutUint64(when, 0x01D9A1B2C3D4E5F6)
	msg1 := PSTMessage{
		Props: []PSTProp{
			PSTString(0x0037, "Hello Kari"),
			PSTString(0x1000, strings.Repeat("Kari Nordmann, 12345678901. ", 200)),
			PSTInt32(0x0E07, 1),
			{ID: 0x0E06, Type: 0x0040, Value: when},
			{ID: 0x0057, Type: 0x000B, Value: []byte{1}},
			{ID: 0x0026, Type: 0x0002, Value: []byte{3, 0}},
			PSTBinary(0x0FFF, []byte{1, 2, 3}),
			PSTString8(0x0E1D, "Hello"),
			PSTString(0x0037, "Hello Kari Nordmann"), // the last wins
			PSTBinary(0x65E2, nil),
		},
		Recipients: [][]PSTProp{
			{PSTString(0x3001, "Kari Nordmann"), PSTString(0x39FE, "kari@firma.no"), PSTInt32(0x0C15, 1)},
			{PSTString(0x3001, "Ola"), PSTString8(0x3003, "ola@firma.no"), PSTInt32(0x0C15, 2)},
			{PSTString(0x3001, "Per")},
		},
		Attachments: []PSTAttachment{
			{Props: []PSTProp{PSTInt32(0x3705, 1), PSTString(0x3707, "rapport.pdf"), PSTBinary(0x3701, att)}},
			{Props: []PSTProp{PSTInt32(0x3705, 1), PSTString(0x3707, "a.txt"), PSTBinary(0x3701, []byte("kari@firma.no"))}},
		},
	}
	var many []PSTProp
	for i := range 40 {
		many = append(many, PSTString(uint16(0x8000+i), fmt.Sprintf("%03d %s", i, strings.Repeat("x", 50))))
	}
	many = append(many, PSTString(0x001A, "IPM.Contact"), PSTString(0x0037, "Kari"))
	for i := range 12 { // a recipient table of more than 8 heap pages with SmallPages
		msg1.Recipients = append(msg1.Recipients, []PSTProp{PSTString(0x3001, fmt.Sprintf("Recipient %02d %s", i, strings.Repeat("z", 40)))})
	}
	return PSTFolder{
		Name:     "Top",
		Messages: []PSTMessage{msg1},
		Folders: []PSTFolder{
			{Name: "Innboks", Messages: []PSTMessage{{Props: many}, {}}, Folders: []PSTFolder{{Name: "Dypt"}}},
			{Name: "Sendt"},
		},
	}
}

func TestPST(t *testing.T) {
	root := pstSample()
	for _, ansi := range []bool{false, true} {
		for _, crypt := range []byte{0, 1, 2} {
			for _, small := range []bool{false, true} {
				opt := PSTOptions{ANSI: ansi, Crypt: crypt, SmallPages: small}
				t.Run(fmt.Sprintf("%+v", opt), func(t *testing.T) {
					f := PST(root, opt)
					r := pstOpen(t, f)
					r.checkFolder(pstNIDRootFolder, root, pstNIDRootFolder)
					r.checkStore()
					r.checkAll()
					subject := pstUTF16("Hello Kari")
					if got := bytes.Contains(f, subject); got != (crypt == 0) {
						t.Errorf("plain text in the file: %v", got)
					}
					if small {
						if r.levels[0x81] < 1 || r.levels[0x80] < 1 {
							t.Errorf("B-tree levels NBT %d BBT %d", r.levels[0x81], r.levels[0x80])
						}
						if r.siblocks == 0 || r.xlevel < 1 || r.bthLevels < 1 || r.bitmapPages == 0 || r.rowSubnodes == 0 {
							t.Errorf("SIBLOCKs %d, XBLOCK level %d, BTH levels %d, HNBITMAPHDRs %d, row matrix subnodes %d",
								r.siblocks, r.xlevel, r.bthLevels, r.bitmapPages, r.rowSubnodes)
						}
					} else if r.xlevel != 1 {
						t.Errorf("XBLOCK level %d", r.xlevel)
					}
				})
			}
		}
	}
}

// TestPSTLarge checks an XXBLOCK, a row matrix of several blocks and a
// large NBT.
func TestPSTLarge(t *testing.T) {
	big := make([]byte, 8_400_000)
	for i := range big {
		big[i] = byte(i % 251)
	}
	var msgs []PSTMessage
	for i := range 300 {
		msgs = append(msgs, PSTMessage{Props: []PSTProp{PSTString(0x0037, fmt.Sprintf("Message %d", i)), PSTInt32(0x0E08, int32(i))}})
	}
	msgs[7].Attachments = []PSTAttachment{{Props: []PSTProp{PSTInt32(0x3705, 1), PSTBinary(0x3701, big)}}}
	root := PSTFolder{Name: "Root", Folders: []PSTFolder{{Name: "Many", Messages: msgs}}}
	for _, ansi := range []bool{false, true} {
		f := PST(root, PSTOptions{ANSI: ansi, Crypt: 2})
		r := pstOpen(t, f)
		r.checkFolder(pstNIDRootFolder, root, pstNIDRootFolder)
		r.checkStore()
		r.checkAll()
		if want := map[bool]int{false: 2, true: 1}[ansi]; r.xlevel != want {
			t.Errorf("ANSI %v: XBLOCK level %d, want %d", ansi, r.xlevel, want)
		}
		if r.rowSubnodes == 0 || r.levels[0x81] < 1 {
			t.Errorf("ANSI %v: row matrix subnodes %d, NBT levels %d", ansi, r.rowSubnodes, r.levels[0x81])
		}
	}
}

func TestPSTHeader(t *testing.T) {
	le := binary.LittleEndian
	u := PST(PSTFolder{}, PSTOptions{Crypt: 1})
	a := PST(PSTFolder{}, PSTOptions{ANSI: true, Crypt: 2})
	for _, c := range []struct {
		name      string
		got, want uint64
	}{
		{"magic", uint64(le.Uint32(u)), 0x4E444221},
		{"wMagicClient", uint64(le.Uint16(u[8:])), 0x4D53},
		{"wVer", uint64(le.Uint16(u[10:])), 23},
		{"wVerClient", uint64(le.Uint16(u[12:])), 19},
		{"platform", uint64(le.Uint16(u[14:])), 0x0101},
		{"ibFileEof", le.Uint64(u[184:]), uint64(len(u))},
		{"ibAMapLast", le.Uint64(u[192:]), 0x4400},
		{"fAMapValid", uint64(u[248]), 2},
		{"bSentinel", uint64(u[512]), 0x80},
		{"bCryptMethod", uint64(u[513]), 1},
		{"dwCRCPartial", uint64(le.Uint32(u[4:])), uint64(pstCRC(u[8:479]))},
		{"dwCRCFull", uint64(le.Uint32(u[524:])), uint64(pstCRC(u[8:524]))},
		{"ANSI wVer", uint64(le.Uint16(a[10:])), 14},
		{"ANSI ibFileEof", uint64(le.Uint32(a[168:])), uint64(len(a))},
		{"ANSI ibAMapLast", uint64(le.Uint32(a[172:])), 0x4400},
		{"ANSI fAMapValid", uint64(a[200]), 2},
		{"ANSI bSentinel", uint64(a[460]), 0x80},
		{"ANSI bCryptMethod", uint64(a[461]), 2},
		{"ANSI dwCRCPartial", uint64(le.Uint32(a[4:])), uint64(pstCRC(a[8:479]))},
		{"ANSI rgnid[folder]", uint64(le.Uint32(a[36+4*2:])), 0x401},
	} {
		if c.got != c.want {
			t.Errorf("%s = %#x, want %#x", c.name, c.got, c.want)
		}
	}
	if bid := le.Uint64(u[216:]); bid == 0 || le.Uint64(u[516:]) <= le.Uint64(u[232:]) {
		t.Errorf("BREFNBT bid %#x, bidNextB %#x", bid, le.Uint64(u[516:]))
	}
	if !bytes.Equal(u[256:512], bytes.Repeat([]byte{0xFF}, 256)) || !bytes.Equal(a[204:460], bytes.Repeat([]byte{0xFF}, 256)) {
		t.Error("rgbFM/rgbFP not 0xFF")
	}
	if !bytes.Equal(u[564:0x4400], make([]byte, 0x4400-564)) || !bytes.Equal(a[512:0x4400], make([]byte, 0x4400-512)) {
		t.Error("bytes between the header and the first AMap are not zero")
	}
	if !bytes.Equal(PST(pstSample(), PSTOptions{Crypt: 2}), PST(pstSample(), PSTOptions{Crypt: 2})) {
		t.Error("output differs between runs")
	}
}

// pstRead is a reader for the tests, independent of the writer: it checks
// every structure it reads.
type pstRead struct {
	t      *testing.T
	f      []byte
	ansi   bool
	crypt  byte
	bs     int
	crcTab [256]uint32
	nbt    map[uint32]pstReadNode
	bbt    map[uint64]pstReadBlock
	used   map[uint64]bool   // blocks read
	spans  map[uint64]uint64 // offset -> size of every page and block seen
	// Statistics for the SmallPages checks.
	levels      map[byte]int // root cLevel of the NBT (0x81) and BBT (0x80)
	xlevel      int          // highest XBLOCK/XXBLOCK cLevel seen
	siblocks    int
	bthLevels   int
	bitmapPages int
	rowSubnodes int
}

type pstReadNode struct {
	data, sub uint64
	parent    uint32
}

type pstReadBlock struct {
	ib uint64
	cb int
}

func pstTestCRCTable() [256]uint32 {
	var tab [256]uint32
	for i := range tab {
		c := uint32(i)
		for range 8 {
			if c&1 != 0 {
				c = c>>1 ^ 0xEDB88320
			} else {
				c >>= 1
			}
		}
		tab[i] = c
	}
	return tab
}

func pstTestCRC(tab [256]uint32, p []byte) uint32 {
	var crc uint32
	for _, b := range p {
		crc = tab[byte(crc)^b] ^ crc>>8
	}
	return crc
}

func pstTestSig(ib, bid uint64) uint16 {
	v := ib ^ bid
	return uint16(v>>16) ^ uint16(v)
}

func pstUTF16(s string) []byte { return PSTString(0, s).Value }

func pstOpen(t *testing.T, f []byte) *pstRead {
	t.Helper()
	le := binary.LittleEndian
	r := &pstRead{t: t, f: f, crcTab: pstTestCRCTable(), nbt: map[uint32]pstReadNode{}, bbt: map[uint64]pstReadBlock{},
		used: map[uint64]bool{}, spans: map[uint64]uint64{}, levels: map[byte]int{}}
	if string(f[:4]) != "!BDN" || string(f[8:10]) != "SM" {
		t.Fatal("bad magic")
	}
	switch le.Uint16(f[10:]) {
	case 14, 15:
		r.ansi, r.bs, r.crypt = true, 4, f[461]
	case 23:
		r.bs, r.crypt = 8, f[513]
		if le.Uint32(f[524:]) != pstTestCRC(r.crcTab, f[8:524]) {
			t.Error("bad dwCRCFull")
		}
	default:
		t.Fatalf("wVer %d", le.Uint16(f[10:]))
	}
	if le.Uint32(f[4:]) != pstTestCRC(r.crcTab, f[8:479]) {
		t.Error("bad dwCRCPartial")
	}
	root := f[184:]
	if r.ansi {
		root = f[168:]
	}
	if r.id(root) != uint64(len(f)) {
		t.Errorf("ibFileEof %d, file %d", r.id(root), len(f))
	}
	r.walk(r.id(root[5*r.bs:]), r.id(root[4*r.bs:]), 0x81, -1)
	r.walk(r.id(root[7*r.bs:]), r.id(root[6*r.bs:]), 0x80, -1)
	if len(r.nbt) == 0 || len(r.bbt) == 0 {
		t.Fatal("empty B-trees")
	}
	return r
}

func (r *pstRead) id(b []byte) uint64 {
	if r.ansi {
		return uint64(binary.LittleEndian.Uint32(b))
	}
	return binary.LittleEndian.Uint64(b)
}

func (r *pstRead) trailer() int { return map[bool]int{false: 16, true: 12}[r.ansi] }

func (r *pstRead) maxData() int { return 8192 - r.trailer() }

func (r *pstRead) span(ib, size uint64) {
	if old, ok := r.spans[ib]; ok && old != size {
		r.t.Errorf("%#x read as %d and %d bytes", ib, old, size)
	}
	r.spans[ib] = size
}

// page checks a page's trailer and returns the page.
func (r *pstRead) page(ib uint64, ptype byte, bid uint64) []byte {
	r.t.Helper()
	le := binary.LittleEndian
	if ib%512 != 0 || ib+512 > uint64(len(r.f)) {
		r.t.Fatalf("page at %#x", ib)
	}
	p := r.f[ib : ib+512]
	var sig uint16
	var crc, want uint32
	var got uint64
	if r.ansi {
		sig, got, crc, want = le.Uint16(p[502:]), uint64(le.Uint32(p[504:])), le.Uint32(p[508:]), pstTestCRC(r.crcTab, p[:500])
	} else {
		sig, crc, got, want = le.Uint16(p[498:]), le.Uint32(p[500:]), le.Uint64(p[504:]), pstTestCRC(r.crcTab, p[:496])
	}
	t := p[512-r.trailer():]
	if t[0] != ptype || t[1] != ptype {
		r.t.Errorf("page %#x: ptype %#x %#x, want %#x", ib, t[0], t[1], ptype)
	}
	if crc != want {
		r.t.Errorf("page %#x: crc %#x, want %#x", ib, crc, want)
	}
	wantSig := pstTestSig(ib, bid)
	if ptype >= 0x82 { // map pages: no signature, the BID is the IB
		wantSig, bid = 0, ib
	}
	if sig != wantSig || got != bid {
		r.t.Errorf("page %#x: sig %#x bid %#x, want %#x %#x", ib, sig, got, wantSig, bid)
	}
	r.span(ib, 512)
	return p
}

// walk reads a B-tree page and what is below it and returns its first key.
func (r *pstRead) walk(ib, bid uint64, ptype byte, level int) uint64 {
	r.t.Helper()
	p := r.page(ib, ptype, bid)
	area := 488
	if r.ansi {
		area = 496
	}
	cEnt, cEntMax, cbEnt, cLevel := int(p[area]), int(p[area+1]), int(p[area+2]), int(p[area+3])
	if level < 0 {
		r.levels[ptype] = cLevel
	} else if cLevel != level {
		r.t.Fatalf("page %#x: cLevel %d, want %d", ib, cLevel, level)
	}
	want := map[byte]int{0x81: 32, 0x80: 24}[ptype]
	if r.ansi {
		want /= 2
	}
	if cLevel > 0 {
		want = 3 * r.bs
	}
	if cbEnt != want || cEntMax != area/cbEnt || cEnt > cEntMax || cEnt == 0 && level >= 0 {
		r.t.Fatalf("page %#x: cEnt %d cEntMax %d cbEnt %d", ib, cEnt, cEntMax, cbEnt)
	}
	var first, prev uint64
	for i := range cEnt {
		e := p[i*cbEnt:]
		key := r.id(e)
		if i > 0 && key <= prev {
			r.t.Errorf("page %#x: keys out of order", ib)
		}
		prev = key
		if i == 0 {
			first = key
		}
		switch {
		case cLevel > 0:
			if k := r.walk(r.id(e[2*r.bs:]), r.id(e[r.bs:]), ptype, cLevel-1); k != key {
				r.t.Errorf("page %#x: key %#x, child's first key %#x", ib, key, k)
			}
		case ptype == 0x81:
			if key > 0xFFFFFFFF {
				r.t.Errorf("NID %#x", key)
			}
			r.nbt[uint32(key)] = pstReadNode{data: r.id(e[r.bs:]), sub: r.id(e[2*r.bs:]), parent: binary.LittleEndian.Uint32(e[3*r.bs:])}
		default:
			if cRef := binary.LittleEndian.Uint16(e[2*r.bs+2:]); cRef != 2 {
				r.t.Errorf("block %#x: cRef %d", key, cRef)
			}
			r.bbt[key] = pstReadBlock{ib: r.id(e[r.bs:]), cb: int(binary.LittleEndian.Uint16(e[2*r.bs:]))}
		}
	}
	return first
}

// block checks a block's trailer and returns its data, decoded.
func (r *pstRead) block(bid uint64) []byte {
	r.t.Helper()
	le := binary.LittleEndian
	b, ok := r.bbt[bid]
	if !ok {
		r.t.Fatalf("block %#x not in the BBT", bid)
	}
	size := uint64(b.cb+r.trailer()+63) &^ 63
	if b.ib%64 != 0 || size > 8192 || b.ib+size > uint64(len(r.f)) {
		r.t.Fatalf("block %#x at %#x, %d bytes", bid, b.ib, b.cb)
	}
	t := r.f[b.ib+size-uint64(r.trailer()):]
	var crc uint32
	var got uint64
	if r.ansi {
		got, crc = uint64(le.Uint32(t[4:])), le.Uint32(t[8:])
	} else {
		crc, got = le.Uint32(t[4:]), le.Uint64(t[8:])
	}
	data := slices.Clone(r.f[b.ib : b.ib+uint64(b.cb)])
	if int(le.Uint16(t)) != b.cb || got != bid || le.Uint16(t[2:]) != pstTestSig(b.ib, bid) || crc != pstTestCRC(r.crcTab, data) {
		r.t.Errorf("block %#x: bad trailer", bid)
	}
	r.span(b.ib, size)
	r.used[bid] = true
	if bid&2 == 0 {
		pst.Decode(data, r.crypt, bid)
	}
	return data
}

// data returns the data blocks of a data tree.
func (r *pstRead) data(bid uint64) [][]byte {
	r.t.Helper()
	b := r.block(bid)
	if bid&2 == 0 {
		return [][]byte{b}
	}
	le := binary.LittleEndian
	level, n, total := int(b[1]), int(le.Uint16(b[2:])), int(le.Uint32(b[4:]))
	if b[0] != 1 || level < 1 || level > 2 || len(b) != 8+n*r.bs {
		r.t.Fatalf("XBLOCK %#x: %x", bid, b[:8])
	}
	r.xlevel = max(r.xlevel, level)
	var out [][]byte
	for i := range n {
		child := r.id(b[8+i*r.bs:])
		if level == 1 {
			if child&2 != 0 {
				r.t.Fatalf("XBLOCK %#x refers to internal block %#x", bid, child)
			}
			out = append(out, r.block(child))
		} else {
			if child&2 == 0 {
				r.t.Fatalf("XXBLOCK %#x refers to data block %#x", bid, child)
			}
			if r.block(child)[1] != 1 {
				r.t.Fatalf("XXBLOCK %#x refers to block %#x of level %d", bid, child, r.block(child)[1])
			}
			out = append(out, r.data(child)...)
		}
	}
	sum := 0
	for _, o := range out {
		sum += len(o)
	}
	if sum != total {
		r.t.Errorf("XBLOCK %#x: lcbTotal %d, data %d", bid, total, sum)
	}
	return out
}

// stream returns the data of a data tree whose blocks but the last are
// full.
func (r *pstRead) stream(bid uint64) []byte {
	r.t.Helper()
	blocks := r.data(bid)
	for _, b := range blocks[:len(blocks)-1] {
		if len(b) != r.maxData() {
			r.t.Errorf("data tree %#x: a block of %d bytes", bid, len(b))
		}
	}
	return bytes.Join(blocks, nil)
}

// subs returns the subnodes of a subnode tree.
func (r *pstRead) subs(bid uint64) map[uint32]pstReadNode {
	r.t.Helper()
	out := map[uint32]pstReadNode{}
	if bid == 0 {
		return out
	}
	if bid&2 == 0 {
		r.t.Fatalf("subnode block %#x is not internal", bid)
	}
	b := r.block(bid)
	hdr := 8
	if r.ansi {
		hdr = 4
	}
	level, n := int(b[1]), int(binary.LittleEndian.Uint16(b[2:]))
	per := 3
	if level == 1 {
		per = 2
		r.siblocks++
	}
	if b[0] != 2 || level > 1 || len(b) != hdr+n*per*r.bs {
		r.t.Fatalf("subnode block %#x: %x", bid, b[:4])
	}
	var prev uint64
	for i := range n {
		e := b[hdr+i*per*r.bs:]
		nid := r.id(e)
		if nid > 0xFFFFFFFF || i > 0 && nid <= prev {
			r.t.Errorf("subnode block %#x: NID %#x after %#x", bid, nid, prev)
		}
		prev = nid
		if level == 0 {
			out[uint32(nid)] = pstReadNode{data: r.id(e[r.bs:]), sub: r.id(e[2*r.bs:])}
			continue
		}
		child := r.id(e[r.bs:])
		if lvl := r.block(child)[1]; lvl != 0 {
			r.t.Fatalf("SIBLOCK %#x refers to a block of level %d", bid, lvl)
		}
		kids := r.subs(child)
		if _, ok := kids[uint32(nid)]; !ok {
			r.t.Errorf("SIBLOCK %#x: key %#x is not in its SLBLOCK", bid, nid)
		}
		for k, v := range kids {
			if uint64(k) < nid {
				r.t.Errorf("SIBLOCK %#x: key %#x above %#x", bid, nid, k)
			}
			out[k] = v
		}
	}
	return out
}

type pstReadHeap struct {
	r     *pstRead
	pages [][]byte
	subs  map[uint32]pstReadNode
	root  uint32
}

func (r *pstRead) heap(n pstReadNode, sig byte) *pstReadHeap {
	r.t.Helper()
	le := binary.LittleEndian
	h := &pstReadHeap{r: r, pages: r.data(n.data), subs: r.subs(n.sub)}
	p0 := h.pages[0]
	if len(p0) < 12 || p0[2] != 0xEC || p0[3] != sig {
		r.t.Fatalf("heap: header %x, want client signature %#x", p0[:min(12, len(p0))], sig)
	}
	h.root = le.Uint32(p0[4:])
	for i, p := range h.pages {
		ib := int(le.Uint16(p))
		if ib%2 != 0 || ib+4 > len(p) {
			r.t.Fatalf("heap page %d: ibHnpm %d of %d", i, ib, len(p))
		}
		n := int(le.Uint16(p[ib:]))
		hdr := 2
		switch {
		case i == 0:
			hdr = 12
		case i%128 == 8:
			hdr = 66
			r.bitmapPages++
		}
		if ib+4+2*(n+1) != len(p) || int(le.Uint16(p[ib+4:])) != hdr || int(le.Uint16(p[ib+4+2*n:])) > ib {
			r.t.Errorf("heap page %d: bad HNPAGEMAP", i)
		}
	}
	return h
}

func (h *pstReadHeap) alloc(hid uint32) []byte {
	h.r.t.Helper()
	le := binary.LittleEndian
	page, idx := int(hid>>16), int(hid>>5&0x7FF)
	if hid&0x1F != 0 || page >= len(h.pages) || idx == 0 {
		h.r.t.Fatalf("bad HID %#x", hid)
	}
	p := h.pages[page]
	ib := int(le.Uint16(p))
	if idx > int(le.Uint16(p[ib:])) {
		h.r.t.Fatalf("HID %#x: no such allocation", hid)
	}
	start, end := int(le.Uint16(p[ib+4+2*(idx-1):])), int(le.Uint16(p[ib+4+2*idx:]))
	if start > end || end > ib || end-start > 3580 {
		h.r.t.Fatalf("HID %#x: allocation %d..%d", hid, start, end)
	}
	return p[start:end]
}

// hnid returns the value an HNID refers to: an allocation or a subnode.
func (h *pstReadHeap) hnid(v uint32) []byte {
	h.r.t.Helper()
	if v&0x1F == 0 {
		return h.alloc(v)
	}
	n, ok := h.subs[v]
	if !ok {
		h.r.t.Fatalf("no subnode %#x", v)
	}
	if v&0x1F != 0x1F || n.sub != 0 {
		h.r.t.Errorf("value subnode %#x", v)
	}
	return h.r.stream(n.data)
}

// bth returns the records (key and data) of a BTH.
func (h *pstReadHeap) bth(hid uint32, cbKey, cbEnt int) [][]byte {
	h.r.t.Helper()
	hdr := h.alloc(hid)
	if len(hdr) != 8 || hdr[0] != 0xB5 || int(hdr[1]) != cbKey || int(hdr[2]) != cbEnt {
		h.r.t.Fatalf("BTHHEADER %x", hdr)
	}
	h.r.bthLevels = max(h.r.bthLevels, int(hdr[3]))
	var out [][]byte
	var walk func(hid uint32, level int) []byte
	walk = func(hid uint32, level int) []byte {
		a := h.alloc(hid)
		size := cbKey + cbEnt
		if level > 0 {
			size = cbKey + 4
		}
		if len(a) == 0 || len(a)%size != 0 {
			h.r.t.Fatalf("BTH node %#x of %d bytes", hid, len(a))
		}
		for i := 0; i < len(a); i += size {
			if level == 0 {
				out = append(out, a[i:i+size])
			} else if k := walk(binary.LittleEndian.Uint32(a[i+cbKey:]), level-1); !bytes.Equal(k, a[i:i+cbKey]) {
				h.r.t.Errorf("BTH key %x, child's first key %x", a[i:i+cbKey], k)
			}
		}
		return a[:cbKey]
	}
	if root := binary.LittleEndian.Uint32(hdr[4:]); root != 0 {
		walk(root, int(hdr[3]))
	}
	for i := 1; i < len(out); i++ {
		if bytes.Compare(pstRev(out[i-1][:cbKey]), pstRev(out[i][:cbKey])) >= 0 {
			h.r.t.Errorf("BTH keys out of order")
		}
	}
	return out
}

// pstRev reverses a little-endian key so that bytes.Compare orders it.
func pstRev(b []byte) []byte {
	c := slices.Clone(b)
	slices.Reverse(c)
	return c
}

// pstReadFixed returns a value a PC or TC holds in place (from the 4 bytes
// of dwValueHnid or from a cell), or nil for a value held through an HNID.
func pstReadFixed(typ uint16, v []byte) []byte {
	switch typ {
	case 0x0002:
		return v[:2]
	case 0x000B:
		return v[:1]
	case 0x0003, 0x0004, 0x000A:
		return v[:4]
	}
	return nil
}

func (r *pstRead) pc(n pstReadNode) map[uint16]PSTProp {
	r.t.Helper()
	h := r.heap(n, 0xBC)
	out := map[uint16]PSTProp{}
	for _, rec := range h.bth(h.root, 2, 6) {
		le := binary.LittleEndian
		p := PSTProp{ID: le.Uint16(rec), Type: le.Uint16(rec[2:])}
		if v := pstReadFixed(p.Type, rec[4:8]); v != nil {
			p.Value = slices.Clone(v)
		} else {
			p.Value = slices.Clone(h.hnid(le.Uint32(rec[4:])))
		}
		out[p.ID] = p
	}
	return out
}

type pstReadTable struct {
	ids  []uint32
	rows []map[uint16]PSTProp
	cols map[uint16]uint16 // ID -> type
}

func (r *pstRead) tc(n pstReadNode) pstReadTable {
	r.t.Helper()
	le := binary.LittleEndian
	h := r.heap(n, 0x7C)
	info := h.alloc(h.root)
	if info[0] != 0x7C || len(info) != 22+8*int(info[1]) || le.Uint32(info[18:]) != 0 {
		r.t.Fatalf("TCINFO %x", info)
	}
	var rgib [4]int
	for i := range rgib {
		rgib[i] = int(le.Uint16(info[2+2*i:]))
	}
	rowSize := rgib[3]
	type col struct {
		id, typ uint16
		ib, cb  int
		bit     int
	}
	var cols []col
	var prevTag uint32
	tab := pstReadTable{cols: map[uint16]uint16{}}
	for i := range int(info[1]) {
		d := info[22+8*i:]
		tag := le.Uint32(d)
		if i > 0 && tag <= prevTag {
			r.t.Error("TCOLDESCs out of order")
		}
		prevTag = tag
		c := col{uint16(tag >> 16), uint16(tag), int(le.Uint16(d[4:])), int(d[6]), int(d[7])}
		cols = append(cols, c)
		tab.cols[c.id] = c.typ
		group := 0
		switch c.cb {
		case 2:
			group = 1
		case 1:
			group = 2
		}
		lo := 0
		if group > 0 {
			lo = rgib[group-1]
		}
		if c.ib < lo || c.ib+c.cb > rgib[group] || c.bit >= 8*(rowSize-rgib[2]) {
			r.t.Errorf("column %#x at %d+%d, bit %d, rgib %v", tag, c.ib, c.cb, c.bit, rgib)
		}
		want, known := map[uint16]int{0x0002: 2, 0x000B: 1, 0x0005: 8, 0x0006: 8, 0x0007: 8, 0x0014: 8, 0x0040: 8}[c.typ]
		if !known {
			want = 4 // 4-byte values and HNIDs
		}
		if c.cb != want {
			r.t.Errorf("column %#x: %d bytes", tag, c.cb)
		}
		if tag == 0x67F20003 && (c.ib != 0 || c.bit != 0) || tag == 0x67F30003 && (c.ib != 4 || c.bit != 1) {
			r.t.Errorf("row ID column %#x at %d, bit %d", tag, c.ib, c.bit)
		}
	}
	if tab.cols[0x67F2] != 3 || tab.cols[0x67F3] != 3 {
		r.t.Error("no PidTagLtpRowId/PidTagLtpRowVer columns")
	}

	var matrix [][]byte // rows
	switch hn := le.Uint32(info[14:]); {
	case hn == 0:
	case hn&0x1F == 0:
		a := h.alloc(hn)
		for i := 0; i+rowSize <= len(a); i += rowSize {
			matrix = append(matrix, a[i:i+rowSize])
		}
	default:
		sn, ok := h.subs[hn]
		if !ok {
			r.t.Fatalf("no row matrix subnode %#x", hn)
		}
		r.rowSubnodes++
		blocks := r.data(sn.data)
		per := r.maxData() / rowSize
		for i, b := range blocks {
			n := len(b) / rowSize
			if i < len(blocks)-1 {
				n = per
				if len(b) != r.maxData() {
					r.t.Errorf("row matrix block of %d bytes", len(b))
				}
			}
			for j := range n {
				matrix = append(matrix, b[j*rowSize:(j+1)*rowSize])
			}
		}
	}
	for _, row := range matrix {
		m := map[uint16]PSTProp{}
		for _, c := range cols {
			if row[rgib[2]+c.bit/8]&(0x80>>(c.bit%8)) == 0 {
				continue
			}
			cell := row[c.ib : c.ib+c.cb]
			v := pstReadFixed(c.typ, cell)
			switch {
			case c.cb == 8:
				v = cell
			case v == nil:
				v = h.hnid(le.Uint32(cell))
			}
			m[c.id] = PSTProp{ID: c.id, Type: c.typ, Value: slices.Clone(v)}
		}
		if _, ok := m[0x67F2]; !ok {
			r.t.Error("a row without PidTagLtpRowId")
		}
		tab.ids = append(tab.ids, le.Uint32(row))
		tab.rows = append(tab.rows, m)
	}
	cbEnt := 4
	if r.ansi {
		cbEnt = 2
	}
	index := h.bth(le.Uint32(info[10:]), 4, cbEnt)
	if len(index) != len(tab.ids) {
		r.t.Errorf("row index of %d rows, matrix of %d", len(index), len(tab.ids))
	}
	for _, rec := range index {
		i := int(le.Uint16(rec[4:]))
		if cbEnt == 4 {
			i = int(le.Uint32(rec[4:]))
		}
		if i >= len(tab.ids) || tab.ids[i] != le.Uint32(rec) {
			r.t.Errorf("row index maps %#x to %d", le.Uint32(rec), i)
		}
	}
	return tab
}

// want returns the properties a PC must hold for props: the last of each
// ID, and extra where props have no property of its ID.
func pstWant(props []PSTProp, extra ...PSTProp) map[uint16]PSTProp {
	m := map[uint16]PSTProp{}
	for _, p := range extra {
		m[p.ID] = p
	}
	for _, p := range props {
		m[p.ID] = p
	}
	return m
}

func (r *pstRead) same(what string, got, want map[uint16]PSTProp) {
	r.t.Helper()
	for id, w := range want {
		g, ok := got[id]
		if !ok || g.Type != w.Type || !bytes.Equal(g.Value, w.Value) {
			r.t.Errorf("%s: property %#x = %#x %.40x, want %#x %.40x", what, id, g.Type, g.Value, w.Type, w.Value)
		}
	}
	for id := range got {
		if _, ok := want[id]; !ok && id != 0x67F2 && id != 0x67F3 {
			r.t.Errorf("%s: unexpected property %#x", what, id)
		}
	}
}

func (r *pstRead) text(id uint16, s string) PSTProp {
	if r.ansi {
		return PSTString8(id, s)
	}
	return PSTString(id, s)
}

func (r *pstRead) node(nid, parent uint32) pstReadNode {
	r.t.Helper()
	n, ok := r.nbt[nid]
	if !ok {
		r.t.Fatalf("node %#x not in the NBT", nid)
	}
	if n.parent != parent {
		r.t.Errorf("node %#x: parent %#x, want %#x", nid, n.parent, parent)
	}
	return n
}

func (r *pstRead) checkStore() {
	r.t.Helper()
	p := r.pc(r.node(0x21, 0))
	if rk := p[0x0FF9]; rk.Type != 0x0102 || len(rk.Value) != 16 {
		r.t.Errorf("PidTagRecordKey %+v", rk)
	}
	if id := p[0x35E0].Value; len(id) != 24 || !bytes.Equal(id[4:20], p[0x0FF9].Value) || binary.LittleEndian.Uint32(id[20:]) != 0x122 {
		r.t.Errorf("PidTagIpmSubTreeEntryId %x", id)
	}
	if p[0x3001].Type == 0 {
		r.t.Error("store without PidTagDisplayName")
	}
	if m := r.pc(r.node(0x61, 0)); !bytes.Equal(m[0x0001].Value, []byte{251, 0, 0, 0}) {
		r.t.Errorf("PidTagNameidBucketCount %+v", m[0x0001])
	}
}

func (r *pstRead) checkFolder(nid uint32, f PSTFolder, parent uint32) {
	r.t.Helper()
	if nid&0x1F != 2 {
		r.t.Errorf("folder NID %#x", nid)
	}
	props := r.pc(r.node(nid, parent))
	r.same(f.Name, props, pstWant([]PSTProp{r.text(0x3001, f.Name), PSTInt32(0x3602, int32(len(f.Messages))),
		PSTInt32(0x3603, 0), pstBool(0x360A, len(f.Folders) > 0)}))
	base := nid &^ 0x1F
	ht := r.tc(r.node(base|0x0D, 0))
	ct := r.tc(r.node(base|0x0E, 0))
	if fai := r.tc(r.node(base|0x0F, 0)); len(fai.ids) != 0 {
		r.t.Errorf("%s: FAI contents table of %d rows", f.Name, len(fai.ids))
	}
	if len(ht.ids) != len(f.Folders) || len(ct.ids) != len(f.Messages) {
		r.t.Fatalf("%s: %d subfolders, %d messages", f.Name, len(ht.ids), len(ct.ids))
	}
	for i, m := range f.Messages {
		want := pstWant(m.Props, r.text(0x001A, "IPM.Note"))
		for id := range ct.rows[i] {
			if id != 0x67F2 && id != 0x67F3 && !bytes.Equal(ct.rows[i][id].Value, want[id].Value) {
				r.t.Errorf("%s: contents table row %d: %#x differs", f.Name, i, id)
			}
		}
		// A column has the type of the first message's property.
		if _, ok := ct.rows[i][0x001A]; !ok && ct.cols[0x001A] == want[0x001A].Type {
			r.t.Errorf("%s: contents table row %d without class", f.Name, i)
		}
		r.checkMessage(ct.ids[i], m, nid)
	}
	for i, sub := range f.Folders {
		if name := ht.rows[i][0x3001].Value; !bytes.Equal(name, r.text(0, sub.Name).Value) {
			r.t.Errorf("%s: hierarchy table row %d: name %q", f.Name, i, name)
		}
		r.checkFolder(ht.ids[i], sub, nid)
	}
}

func (r *pstRead) checkMessage(nid uint32, m PSTMessage, folder uint32) {
	r.t.Helper()
	if nid&0x1F != 4 {
		r.t.Errorf("message NID %#x", nid)
	}
	n := r.node(nid, folder)
	what := fmt.Sprintf("message %#x", nid)
	r.same(what, r.pc(n), pstWant(m.Props, r.text(0x001A, "IPM.Note")))
	subs := r.subs(n.sub)
	rt := r.tc(subs[0x692])
	if len(rt.rows) != len(m.Recipients) {
		r.t.Fatalf("%s: %d recipients", what, len(rt.rows))
	}
	for i, rec := range m.Recipients {
		r.same(fmt.Sprintf("%s recipient %d", what, i), rt.rows[i], pstWant(rec, PSTInt32(0x0C15, 1)))
	}
	_, hasTable := subs[0x671]
	if hasTable != (len(m.Attachments) > 0) {
		r.t.Errorf("%s: attachment table %v", what, hasTable)
	}
	if !hasTable {
		return
	}
	at := r.tc(subs[0x671])
	if len(at.rows) != len(m.Attachments) {
		r.t.Fatalf("%s: %d attachments", what, len(at.rows))
	}
	for i, a := range m.Attachments {
		want := pstWant(a.Props)
		if at.ids[i]&0x1F != 5 {
			r.t.Errorf("%s: attachment NID %#x", what, at.ids[i])
		}
		sn, found := subs[at.ids[i]]
		if !found {
			r.t.Fatalf("%s: no attachment subnode %#x", what, at.ids[i])
		}
		r.same(fmt.Sprintf("%s attachment %d", what, i), r.pc(sn), want)
		size := binary.LittleEndian.Uint32(at.rows[i][0x0E20].Value)
		if int(size) != len(want[0x3701].Value) || !bytes.Equal(at.rows[i][0x3707].Value, want[0x3707].Value) {
			r.t.Errorf("%s: attachment table row %d: %v", what, i, at.rows[i])
		}
	}
}

// checkAll checks that every block in the BBT was read, that nothing
// overlaps, and the AMap and PMap pages.
func (r *pstRead) checkAll() {
	r.t.Helper()
	for bid := range r.bbt {
		if !r.used[bid] {
			r.t.Errorf("block %#x is in the BBT but not used", bid)
		}
	}
	const span = 496 * 8 * 64
	size := uint64(len(r.f))
	var maps []uint64
	for a := uint64(0x4400); a < size; a += span {
		r.page(a, 0x84, a)
		maps = append(maps, a)
	}
	for p := uint64(0x4600); p < size; p += 8 * span {
		pg := r.page(p, 0x83, p)
		if !bytes.Equal(pg[4*btoi(r.ansi):][:496], bytes.Repeat([]byte{0xFF}, 496)) {
			r.t.Error("PMap bits not all set")
		}
	}
	starts := slices.Sorted(func(yield func(uint64) bool) {
		for ib := range r.spans {
			if !yield(ib) {
				return
			}
		}
	})
	var end uint64
	want := make([][]byte, len(maps))
	for k := range want {
		want[k] = make([]byte, 496)
	}
	for _, ib := range starts {
		if ib < end || ib < 0x4400 {
			r.t.Errorf("%#x overlaps what ends at %#x", ib, end)
		}
		end = ib + r.spans[ib]
		for s := ib; s < end; s += 64 {
			rel := s - 0x4400
			want[rel/span][rel%span/64/8] |= 0x80 >> (rel % span / 64 % 8)
		}
	}
	if end != size {
		r.t.Errorf("last item ends at %#x, file at %#x", end, size)
	}
	var free uint64
	for k, a := range maps {
		got := r.f[a+4*uint64(btoi(r.ansi)):][:496]
		if !bytes.Equal(got, want[k]) {
			r.t.Errorf("AMap at %#x differs", a)
		}
		for _, c := range got {
			for bit := range 8 {
				if c&(0x80>>bit) == 0 {
					free += 64
				}
			}
		}
	}
	root := r.f[184:]
	if r.ansi {
		root = r.f[168:]
	}
	if r.id(root[r.bs:]) != maps[len(maps)-1] || r.id(root[2*r.bs:]) != free {
		r.t.Errorf("ibAMapLast %#x cbAMapFree %d, want %#x %d", r.id(root[r.bs:]), r.id(root[2*r.bs:]), maps[len(maps)-1], free)
	}
}

func btoi(b bool) int {
	if b {
		return 1
	}
	return 0
}
