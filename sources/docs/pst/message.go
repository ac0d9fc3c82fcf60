package pst

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"unicode/utf16"

	"golang.org/x/text/encoding/charmap"
)

// Property ids the messaging layer reads.
const (
	propDisplayName    = 0x3001
	propAttachData     = 0x3701 // PidTagAttachDataBinary or, for an embedded message, PidTagAttachDataObject
	propAttachLongName = 0x3707
	propAttachName     = 0x3704
	typeBinary         = 0x0102
	typeObject         = 0x000D
	typeString         = 0x001F
	typeString8        = 0x001E
)

// maxFolderDepth bounds a folder's path.
const maxFolderDepth = 64

// maxEmbedded bounds messages attached to messages attached to messages.
const maxEmbedded = 4

// Message is a message object: an e-mail, a contact, an appointment, a
// task, a note.
type Message struct {
	NID         uint32
	Props       []Prop
	Recipients  [][]Prop
	Attachments []*Attachment
	// Err is the first error reading a part of the message (a value, the
	// recipients, an attachment); the parts read are there.
	Err error
}

// Attachment is an attachment of a message: its properties (without its
// data), its name, and either its data (Open) or, when it is a message
// itself, that message (Embedded).
type Attachment struct {
	Props    []Prop
	Name     string
	Size     int64 // the data's size; -1 when not known
	Embedded *Message
	h        *heap
	data     uint32 // the data's HNID; 0: none
}

// Open returns a reader of the attachment's data.
func (a *Attachment) Open() (io.Reader, error) {
	if a.data == 0 {
		return strings.NewReader(""), nil
	}
	if a.data&0x1F == 0 {
		b, err := a.h.alloc(a.data)
		if err != nil {
			return nil, err
		}
		return bytes.NewReader(b), nil
	}
	n, err := a.h.subnode(a.data)
	if err != nil {
		return nil, err
	}
	return a.h.f.dataReader(n.Data)
}

// Folder is a folder that holds messages: its path of display names
// ("Top of Personal Folders/Innboks/Prosjekt", "/" and "!" in a name
// written "_") and its messages' nodes in the order of their ids.
type Folder struct {
	Path     string
	Messages []Node
}

// Folders returns the folders that hold messages, in the order of their
// paths. When the node B-tree cannot be read to its end, it returns the
// folders and messages of what was read, and the error.
func (f *File) Folders(ctx context.Context) ([]Folder, error) {
	folders := map[uint32]Node{}
	var msgs []Node
	nodesErr := f.Nodes(func(n Node) error {
		switch n.NID & 0x1F {
		case nidTypeNormalFolder:
			folders[n.NID] = n
		case nidTypeNormalMessage:
			msgs = append(msgs, n)
		}
		return ctx.Err()
	})
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	names := map[uint32]string{}
	for nid, n := range folders {
		_, props, _ := f.props(n, func(id, typ uint16) bool { return id != propDisplayName })
		names[nid] = propString(props, propDisplayName)
	}
	path := func(nid uint32) string {
		var parts []string
		seen := map[uint32]bool{}
		for cur := nid; len(parts) < maxFolderDepth && !seen[cur]; {
			seen[cur] = true
			n, ok := folders[cur]
			if !ok {
				break
			}
			if name := names[cur]; name != "" {
				parts = append(parts, strings.NewReplacer("/", "_", "!", "_").Replace(name))
			}
			if cur == nidRootFolder || n.Parent == cur {
				break
			}
			cur = n.Parent
		}
		slices.Reverse(parts)
		return strings.Join(parts, "/")
	}
	byFolder := map[uint32]int{}
	var out []Folder
	for _, m := range msgs {
		i, ok := byFolder[m.Parent]
		if !ok {
			i = len(out)
			byFolder[m.Parent] = i
			out = append(out, Folder{Path: path(m.Parent)})
		}
		out[i].Messages = append(out[i].Messages, m)
	}
	slices.SortStableFunc(out, func(a, b Folder) int { return strings.Compare(a.Path, b.Path) })
	return out, nodesErr
}

// Message reads the message on node n (one of a Folder's Messages).
func (f *File) Message(n Node) *Message { return f.message(n, 0) }

// message reads the message on node n (a message node, or an embedded
// message's subnode at depth > 0).
func (f *File) message(n Node, depth int) *Message {
	m := &Message{NID: n.NID}
	h, props, err := f.props(n, nil)
	if h == nil {
		m.Err = fmt.Errorf("message %#x: %w", n.NID, err)
		return m
	}
	m.Props = props
	m.note(err)
	m.note(h.loadSubs())
	var atts []Node
	for nid, sn := range h.subs {
		switch {
		case nid == nidRecipientTable:
			rows, err := f.table(sn)
			m.note(err)
			m.Recipients = rows
		case nid&0x1F == nidTypeAttachment:
			atts = append(atts, sn)
		}
	}
	slices.SortFunc(atts, func(a, b Node) int { return int(a.NID>>5) - int(b.NID>>5) })
	for _, sn := range atts {
		a, err := f.attachment(sn, depth)
		m.note(err)
		if a != nil {
			m.Attachments = append(m.Attachments, a)
		}
	}
	return m
}

// note keeps err as the message's first error.
func (m *Message) note(err error) {
	if err != nil && m.Err == nil {
		m.Err = fmt.Errorf("message %#x: %w", m.NID, err)
	}
}

// attachment reads the attachment on subnode n.
func (f *File) attachment(n Node, depth int) (*Attachment, error) {
	h, entries, err := f.propContext(n)
	if err != nil {
		return nil, err
	}
	props, err := h.values(entries, func(id, typ uint16) bool { return id == propAttachData })
	a := &Attachment{Props: props, h: h, Size: -1}
	// The long file name, else the 8.3 one, else (an attached message)
	// the display name, its subject.
	for _, id := range []uint16{propAttachLongName, propAttachName, propDisplayName} {
		if a.Name = propString(props, id); a.Name != "" {
			break
		}
	}
	var data *pcEntry
	for i := range entries {
		if entries[i].id == propAttachData {
			data = &entries[i]
		}
	}
	switch {
	case data == nil:
	case data.typ == typeObject && depth < maxEmbedded:
		// An attached message: its value names the subnode that holds
		// it (PtypObject: the subnode's NID, then the size).
		nid := data.raw
		if b, err := h.value(data.raw); err == nil && len(b) >= 4 && data.raw&0x1F == 0 {
			nid = binary.LittleEndian.Uint32(b)
		}
		sn, serr := h.subnode(nid)
		if serr != nil {
			return a, serr
		}
		a.Embedded = f.message(sn, depth+1)
	case data.typ == typeBinary:
		a.data = data.raw
		if data.raw&0x1F != 0 {
			if sn, err := h.subnode(data.raw); err == nil {
				a.Size = f.dataSize(sn.Data)
			}
		} else if b, err := h.alloc(data.raw); err == nil {
			a.Size = int64(len(b))
		}
	}
	return a, err
}

// propString returns the string property id of props ("" when there is
// none).
func propString(props []Prop, id uint16) string {
	for _, p := range props {
		if p.ID == id {
			if s := p.String(); s != "" {
				return s
			}
		}
	}
	return ""
}

// String returns the value of a string property as text: PtypString is
// UTF-16LE, PtypString8 Windows-1252 (an ANSI file's), a trailing NUL
// dropped; "" for a property of another type.
func (p Prop) String() string {
	switch p.Type {
	case typeString:
		u := make([]uint16, len(p.Value)/2)
		for i := range u {
			u[i] = binary.LittleEndian.Uint16(p.Value[2*i:])
		}
		return strings.TrimRight(string(utf16.Decode(u)), "\x00")
	case typeString8:
		s, err := charmap.Windows1252.NewDecoder().Bytes(p.Value)
		if err != nil {
			s = p.Value
		}
		return strings.TrimRight(string(s), "\x00")
	}
	return ""
}

// dataSize returns the size of the data tree bid: its XBLOCK's total, or
// its one block's size; -1 when it cannot be read.
func (f *File) dataSize(bid uint64) int64 {
	b, err := f.block(bid)
	if err != nil {
		return -1
	}
	if bid&2 != 0 && len(b) >= 8 {
		return int64(binary.LittleEndian.Uint32(b[4:]))
	}
	return int64(len(b))
}

// dataReader streams the data tree bid a block at a time.
func (f *File) dataReader(bid uint64) (io.Reader, error) {
	leaves, err := f.leaves(bid)
	if err != nil {
		return nil, err
	}
	return &blockReader{f: f, bids: leaves}, nil
}

// blockReader reads data blocks one after the other.
type blockReader struct {
	f    *File
	bids []uint64
	cur  []byte
}

func (r *blockReader) Read(p []byte) (int, error) {
	for len(r.cur) == 0 {
		if len(r.bids) == 0 {
			return 0, io.EOF
		}
		b, err := r.f.block(r.bids[0])
		if err != nil {
			return 0, err
		}
		r.cur, r.bids = b, r.bids[1:]
	}
	n := copy(p, r.cur)
	r.cur = r.cur[n:]
	return n, nil
}

// NamedProp is what a named property's ID (0x8000 and above, different
// from file to file) stands for: a numeric property (a LID) of a property
// set.
type NamedProp struct {
	Set [16]byte // the property set's GUID, as stored (little-endian fields)
	LID uint32
}

// psetidAddress is the set of contacts' properties (e-mail addresses,
// postal addresses; [MS-OXPROPS] 1.3.2): {00062004-0000-0000-C000-000000000046},
// as stored.
var psetidAddress = [16]byte{0x04, 0x20, 0x06, 0x00, 0x00, 0x00, 0x00, 0x00, 0xC0, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x46}

// InAddressSet reports whether p is of PSETID_Address, the set of a
// contact's properties (PidLidEmail1EmailAddress is its LID 0x8083).
func (p NamedProp) InAddressSet() bool { return p.Set == psetidAddress }

// nidNameToIDMap is the node of the name-to-ID map ([MS-PST] 2.4.7).
const nidNameToIDMap = 0x61

// NamedProps reads the name-to-ID map: what each numeric named
// property's ID stands for. Named properties with string names are left
// out; so is what cannot be read.
func (f *File) NamedProps() map[uint16]NamedProp {
	out := map[uint16]NamedProp{}
	var n Node
	found := false
	_ = f.Nodes(func(nd Node) error {
		if nd.NID == nidNameToIDMap {
			n, found = nd, true
			return errStop
		}
		return nil
	})
	if !found {
		return out
	}
	_, props, _ := f.props(n, func(id, typ uint16) bool { return id != 0x0002 && id != 0x0003 })
	var guids, entries []byte
	for _, p := range props {
		switch p.ID {
		case 0x0002:
			guids = p.Value
		case 0x0003:
			entries = p.Value
		}
	}
	le := binary.LittleEndian
	for ; len(entries) >= 8; entries = entries[8:] {
		lid, guid, idx := le.Uint32(entries), le.Uint16(entries[4:]), le.Uint16(entries[6:])
		if guid&1 != 0 {
			continue // a string name
		}
		var set [16]byte
		switch k := int(guid >> 1); {
		case k >= 3 && 16*(k-3)+16 <= len(guids):
			copy(set[:], guids[16*(k-3):])
		default:
			continue // PS_MAPI, PS_PUBLIC_STRINGS: no set of ours
		}
		if int(idx) < 0x8000 {
			out[0x8000+idx] = NamedProp{Set: set, LID: lid}
		}
	}
	return out
}

// errStop ends a walk early.
var errStop = errors.New("stop")
