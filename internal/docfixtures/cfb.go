package docfixtures

import (
	"encoding/binary"
	"fmt"
	"slices"
	"strings"
	"unicode"
	"unicode/utf16"
)

// CFBStream is a stream of a compound file: its path of storage names
// joined by "/" below the root, and its bytes.
type CFBStream struct {
	Path string
	Data []byte
}

// CFB returns a version-3 compound file ([MS-CFB], 512-byte sectors) holding
// the streams, with a storage for every "/"-separated prefix of their
// paths. Streams under 4096 bytes go to the mini stream, others to regular
// sectors, each in one contiguous run. The FAT is at the start of the file
// (then the DIFAT sectors, the directory, the mini FAT, the mini stream and
// the regular streams), so a copy cut short keeps its directory. Files of
// more than 109 FAT sectors (about 7 MB) get DIFAT sectors.
func CFB(streams ...CFBStream) []byte { return writeCFB(512, false, streams) }

// CFBFragmented is CFB with the sectors of the regular streams (and of the
// mini stream) interleaved, so that their FAT chains are not contiguous.
func CFBFragmented(streams ...CFBStream) []byte { return writeCFB(512, true, streams) }

// CFB4 is CFB writing a version-4 file (4096-byte sectors).
func CFB4(streams ...CFBStream) []byte { return writeCFB(4096, false, streams) }

const (
	cfbEnd      = 0xFFFFFFFE
	cfbFree     = 0xFFFFFFFF
	cfbFATSect  = 0xFFFFFFFD
	cfbDIFSect  = 0xFFFFFFFC
	cfbNoStream = 0xFFFFFFFF
)

type cfbNode struct {
	name    string
	storage bool
	data    []byte
	kids    []*cfbNode
	id      uint32
	left    uint32
	right   uint32
	child   uint32
	start   uint32
	size    uint64
}

// cfbCompare orders names as [MS-CFB] 2.6.4 does: shorter (in UTF-16 code
// units) first, then by upper-cased code units.
func cfbCompare(a, b string) int {
	ua, ub := utf16.Encode([]rune(a)), utf16.Encode([]rune(b))
	if len(ua) != len(ub) {
		return len(ua) - len(ub)
	}
	for i := range ua {
		ca, cb := ua[i], ub[i]
		if !utf16.IsSurrogate(rune(ca)) {
			if u := unicode.ToUpper(rune(ca)); u <= 0xFFFF {
				ca = uint16(u)
			}
		}
		if !utf16.IsSurrogate(rune(cb)) {
			if u := unicode.ToUpper(rune(cb)); u <= 0xFFFF {
				cb = uint16(u)
			}
		}
		if ca != cb {
			return int(ca) - int(cb)
		}
	}
	return strings.Compare(a, b)
}

func writeCFB(ss int, fragmented bool, streams []CFBStream) []byte {
	le := binary.LittleEndian
	eps := ss / 4 // entries per FAT sector
	root := &cfbNode{name: "Root Entry", storage: true}
	for _, s := range streams {
		parts := strings.Split(s.Path, "/")
		n := root
		for i, p := range parts {
			if len(utf16.Encode([]rune(p))) > 31 || p == "" {
				panic(fmt.Sprintf("docfixtures.CFB: bad name %q in %q", p, s.Path))
			}
			var next *cfbNode
			for _, k := range n.kids {
				if k.name == p {
					next = k
				}
			}
			last := i == len(parts)-1
			if next == nil {
				next = &cfbNode{name: p, storage: !last}
				n.kids = append(n.kids, next)
			} else if last || !next.storage {
				panic(fmt.Sprintf("docfixtures.CFB: %q clashes with another path", s.Path))
			}
			if last {
				next.data = s.Data
			}
			n = next
		}
	}

	// Directory ids, breadth first; each storage's children as a balanced
	// binary search tree by the MS-CFB order.
	var nodes []*cfbNode
	queue := []*cfbNode{root}
	for len(queue) > 0 {
		n := queue[0]
		queue = queue[1:]
		n.id = uint32(len(nodes))
		nodes = append(nodes, n)
		slices.SortFunc(n.kids, func(a, b *cfbNode) int { return cfbCompare(a.name, b.name) })
		queue = append(queue, n.kids...)
	}
	var tree func(kids []*cfbNode) uint32
	tree = func(kids []*cfbNode) uint32 {
		if len(kids) == 0 {
			return cfbNoStream
		}
		m := len(kids) / 2
		kids[m].left = tree(kids[:m])
		kids[m].right = tree(kids[m+1:])
		return kids[m].id
	}
	for _, n := range nodes {
		n.left, n.right = cfbNoStream, cfbNoStream
	}
	for _, n := range nodes {
		n.child = tree(n.kids)
	}

	// The mini stream and its FAT.
	var mini []byte
	var miniFAT []uint32
	var regular [][]byte // contents in regular sectors; the mini stream first
	var regNodes []*cfbNode
	for _, n := range nodes[1:] {
		if n.storage {
			continue
		}
		n.size = uint64(len(n.data))
		switch {
		case len(n.data) == 0:
			n.start = cfbEnd
		case len(n.data) < 4096:
			first := len(mini) / 64
			n.start = uint32(first)
			k := (len(n.data) + 63) / 64
			for i := range k {
				next := uint32(first + i + 1)
				if i == k-1 {
					next = cfbEnd
				}
				miniFAT = append(miniFAT, next)
			}
			mini = append(mini, n.data...)
			mini = append(mini, make([]byte, k*64-len(n.data))...)
		default:
			regNodes = append(regNodes, n)
		}
	}
	root.start, root.size = cfbEnd, uint64(len(mini))
	if len(mini) > 0 {
		regular = append(regular, mini)
		regNodes = append([]*cfbNode{root}, regNodes...)
	}
	for _, n := range regNodes[min(1, len(mini)):] {
		regular = append(regular, n.data)
	}

	secs := func(n int) int { return (n + ss - 1) / ss }
	dirSecs := secs(len(nodes) * 128)
	miniFATSecs := secs(len(miniFAT) * 4)
	dataSecs := 0
	for _, r := range regular {
		dataSecs += secs(len(r))
	}
	// FAT and DIFAT sectors cover every sector, themselves included.
	nFAT, nDIFAT := 1, 0
	for {
		total := nFAT + nDIFAT + dirSecs + miniFATSecs + dataSecs
		if nFAT*eps >= total {
			break
		}
		nFAT++
		if nFAT > 109 {
			nDIFAT = (nFAT - 109 + eps - 2) / (eps - 1)
		}
	}
	total := nFAT + nDIFAT + dirSecs + miniFATSecs + dataSecs
	fat := make([]uint32, nFAT*eps)
	for i := range fat {
		fat[i] = cfbFree
	}
	out := make([]byte, ss*(1+total))
	sector := func(s int) []byte { return out[ss*(s+1) : ss*(s+2)] }
	chain := func(first, count int) {
		for i := range count {
			fat[first+i] = uint32(first + i + 1)
		}
		fat[first+count-1] = cfbEnd
	}
	next := 0
	fatSecs := make([]uint32, nFAT)
	for i := range fatSecs {
		fatSecs[i] = uint32(next)
		fat[next] = cfbFATSect
		next++
	}
	difatStart := next
	for range nDIFAT {
		fat[next] = cfbDIFSect
		next++
	}
	dirStart := next
	chain(dirStart, dirSecs)
	next += dirSecs
	miniFATStart := uint32(cfbEnd)
	if miniFATSecs > 0 {
		miniFATStart = uint32(next)
		chain(next, miniFATSecs)
		for i, v := range miniFAT {
			le.PutUint32(out[ss*(next+1)+4*i:], v)
		}
		for i := len(miniFAT); i < miniFATSecs*eps; i++ {
			le.PutUint32(out[ss*(next+1)+4*i:], cfbFree)
		}
		next += miniFATSecs
	}

	// The regular streams: contiguous, or taken round robin a sector at a
	// time when fragmented.
	placed := make([][]int, len(regular)) // sectors of each stream
	if fragmented {
		for left := true; left; {
			left = false
			for i, r := range regular {
				if len(placed[i]) < secs(len(r)) {
					placed[i] = append(placed[i], next)
					next++
					left = true
				}
			}
		}
	} else {
		for i, r := range regular {
			for range secs(len(r)) {
				placed[i] = append(placed[i], next)
				next++
			}
		}
	}
	for i, r := range regular {
		run := placed[i]
		for j, s := range run {
			copy(sector(s), r[j*ss:min(len(r), (j+1)*ss)])
			if j+1 < len(run) {
				fat[s] = uint32(run[j+1])
			} else {
				fat[s] = cfbEnd
			}
		}
		regNodes[i].start = uint32(run[0])
	}

	// FAT, DIFAT, directory.
	for i, s := range fatSecs {
		b := sector(int(s))
		for j := range eps {
			le.PutUint32(b[4*j:], fat[i*eps+j])
		}
	}
	for d := range nDIFAT {
		b := sector(difatStart + d)
		for j := range eps - 1 {
			v := uint32(cfbFree)
			if k := 109 + d*(eps-1) + j; k < nFAT {
				v = fatSecs[k]
			}
			le.PutUint32(b[4*j:], v)
		}
		nextDIFAT := uint32(cfbEnd)
		if d+1 < nDIFAT {
			nextDIFAT = uint32(difatStart + d + 1)
		}
		le.PutUint32(b[4*(eps-1):], nextDIFAT)
	}
	dir := out[ss*(dirStart+1) : ss*(dirStart+1+dirSecs)]
	for i := range dirSecs * ss / 128 {
		e := dir[128*i : 128*(i+1)]
		le.PutUint32(e[68:], cfbNoStream)
		le.PutUint32(e[72:], cfbNoStream)
		le.PutUint32(e[76:], cfbNoStream)
		if i >= len(nodes) {
			continue
		}
		n := nodes[i]
		u := utf16.Encode([]rune(n.name))
		for j, c := range u {
			le.PutUint16(e[2*j:], c)
		}
		le.PutUint16(e[64:], uint16(2*len(u)+2))
		switch {
		case i == 0:
			e[66] = 5
		case n.storage:
			e[66] = 1
		default:
			e[66] = 2
		}
		e[67] = 1 // black
		le.PutUint32(e[68:], n.left)
		le.PutUint32(e[72:], n.right)
		le.PutUint32(e[76:], n.child)
		le.PutUint32(e[116:], n.start)
		le.PutUint64(e[120:], n.size)
	}

	// The header.
	h := out[:ss]
	copy(h, []byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1})
	le.PutUint16(h[24:], 0x3E)
	le.PutUint16(h[28:], 0xFFFE)
	if ss == 512 {
		le.PutUint16(h[26:], 3)
		le.PutUint16(h[30:], 9)
	} else {
		le.PutUint16(h[26:], 4)
		le.PutUint16(h[30:], 12)
		le.PutUint32(h[40:], uint32(dirSecs))
	}
	le.PutUint16(h[32:], 6)
	le.PutUint32(h[44:], uint32(nFAT))
	le.PutUint32(h[48:], uint32(dirStart))
	le.PutUint32(h[56:], 4096)
	le.PutUint32(h[60:], miniFATStart)
	le.PutUint32(h[64:], uint32(miniFATSecs))
	firstDIFAT := uint32(cfbEnd)
	if nDIFAT > 0 {
		firstDIFAT = uint32(difatStart)
	}
	le.PutUint32(h[68:], firstDIFAT)
	le.PutUint32(h[72:], uint32(nDIFAT))
	for i := range 109 {
		v := uint32(cfbFree)
		if i < nFAT {
			v = fatSecs[i]
		}
		le.PutUint32(h[76+4*i:], v)
	}
	return out
}
