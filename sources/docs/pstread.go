package docs

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/piimap/piimap/sources"
	"github.com/piimap/piimap/sources/docs/pst"
	"github.com/piimap/piimap/sources/files"
)

// ReadPST is the files.FormatReader for Outlook data files: personal
// folders (.pst, ANSI and Unicode) and offline caches (.ost) that keep
// the same format. Every folder with messages is a location of its own
// ("arkiv.pst!Top of Personal Folders/Innboks"), and the line of what is
// found in a message (e-mail, contact, appointment, task, note) is the
// message's number in its folder (Chunk.OneLine). A message's text is
// its properties as the .msg reader reads them (subject, body as text,
// HTML and compressed RTF, sender, headers, every other string) and its
// recipients'. Its attachments are files of their own
// ("arkiv.pst!…/Innboks/12!kontrakt.pdf": message 12's), read by content
// within the archive depth limit, an attached message as a message, and
// their names are values. A message that cannot be read whole is read as
// far as it can, and the report says what failed; the file's other
// messages are read, and when its index of nodes breaks off, the messages
// listed before. Content without random access is spooled first (at most
// MaxArchiveBytes).
func ReadPST(ctx context.Context, f *files.Format, rd *files.Reader, sink sources.Sink) error {
	ra, size, release, err := f.RandomAccess(rd)
	if err != nil {
		return err
	}
	defer release()
	pf, err := pst.Open(ra, size)
	if err != nil {
		if errors.Is(err, errors.ErrUnsupported) {
			sink.Skipped(f.Loc, err.Error())
			return nil
		}
		return err
	}
	alias := pstAliases(pf.NamedProps())
	folders, err := pf.Folders(ctx)
	switch {
	case ctx.Err() != nil:
		return ctx.Err()
	case err != nil:
		// The messages found before the node B-tree broke off are read.
		sink.Failed(f.Loc, fmt.Errorf("read %s: %w", f.Loc.Path, err))
	}
	for _, fo := range folders {
		loc := f.Loc
		loc.Field = ""
		if loc.Path += "!" + fo.Path; fo.Path == "" {
			loc.Path += "(no folder)" // messages whose folder is not in the file
		}
		cols := map[string]int64{} // the property columns' values
		for i, n := range fo.Messages {
			if err := ctx.Err(); err != nil {
				return err
			}
			m := pf.Message(n)
			if err := readPSTColumns(ctx, m, loc, int64(i+1), cols, sink); err != nil {
				return err
			}
			if err := readPSTMessage(ctx, rd, m, alias, loc, int64(i+1), f.Depth, sink); err != nil {
				return err
			}
		}
		for name, n := range cols {
			l := loc
			l.Field = name
			sink.Column(sources.Column{Loc: l, Type: "MAPI property", Rows: int64(len(fo.Messages)), NonNull: n})
		}
	}
	return nil
}

// mapiColumns are the properties of people that a message holds as a
// table's columns would (their names as ClassifyColumn knows them): a
// contact's name, address and birthday, a message's sender and its
// recipients' names. A value of one is a cell of that column, on the
// line of the message's number, so that a folder of contacts reports its
// names, addresses and birthdays as a table of them does.
var mapiColumns = map[uint16]string{
	0x3A06: "GivenName", 0x3A11: "Surname", 0x3A44: "MiddleName", 0x3A48: "SpouseName",
	0x0C1A: "SenderName", 0x0042: "SentRepresentingName",
	0x3A29: "StreetAddress", 0x3A2A: "PostalCode", 0x3A5D: "HomeAddressStreet", 0x3A5B: "HomeAddressPostalCode",
	0x3A63: "OtherAddressStreet", 0x3A42: "Birthday",
}

// mapiRecipientColumn is the column of a recipient's display name.
const mapiRecipientColumn = "RecipientName"

// readPSTColumns hands over the people's properties of message m
// (mapiColumns) as cells of their columns at the folder loc, counting the
// values in cols.
func readPSTColumns(ctx context.Context, m *pst.Message, loc sources.Location, item int64, cols map[string]int64, sink sources.Sink) error {
	var cells []mapiCell
	for _, p := range m.Props {
		col := mapiColumns[p.ID]
		if col == "" {
			continue
		}
		v := p.String()
		if p.Type == 0x0040 && len(p.Value) == 8 { // PtypTime: a birthday
			v = fileTimeDate(binary.LittleEndian.Uint64(p.Value))
		}
		if v = strings.TrimSpace(v); v != "" {
			cells = append(cells, mapiCell{col, v})
		}
	}
	for _, row := range m.Recipients {
		for _, p := range row {
			if v := strings.TrimSpace(p.String()); p.ID == 0x3001 && v != "" { // PidTagDisplayName
				cells = append(cells, mapiCell{mapiRecipientColumn, v})
			}
		}
	}
	return sendCells(ctx, cells, loc, item, cols, sink)
}

// fileTimeDate renders a FILETIME (100 ns since 1601) as its date,
// YYYY-MM-DD, or "" when it is none (0, or Outlook's "none", 4501-01-01).
func fileTimeDate(ft uint64) string {
	const unixEpoch = 116444736000000000 // 1970-01-01 in FILETIME
	if ft == 0 || ft >= 1<<63 {
		return ""
	}
	t := time.Unix((int64(ft)-unixEpoch)/10_000_000, 0).UTC()
	if t.Year() > 3000 {
		return ""
	}
	return t.Format("2006-01-02")
}

// readPSTMessage reads message m: its text as message number item of the
// folder at loc (or, with item 0, an attached message's, at loc), then
// its attachments.
func readPSTMessage(ctx context.Context, rd *files.Reader, m *pst.Message, alias map[uint16]uint16, loc sources.Location, item int64, depth int, sink sources.Sink) error {
	var err error
	if item > 0 {
		err = rd.ReadItemText(ctx, pstText(m, alias), loc, item, sink)
		loc.Path += "/" + strconv.FormatInt(item, 10) // the message, for what is in it
	} else {
		err = rd.ReadText(ctx, pstText(m, alias), loc, sink)
	}
	if err != nil {
		return err
	}
	if m.Err != nil {
		sink.Failed(loc, fmt.Errorf("read %s: %w", loc.Path, m.Err))
	}
	var names []string
	for i, a := range m.Attachments {
		name := strings.ReplaceAll(strings.TrimSpace(a.Name), "!", "_")
		if name == "" {
			name = fmt.Sprintf("attachment %d", i+1)
		}
		names = append(names, name)
		aloc := loc
		aloc.Path += "!" + name
		if depth+1 > rd.Options().MaxArchiveDepth {
			sink.Skipped(aloc, fmt.Sprintf("attachment or embedded object nested deeper than %d", rd.Options().MaxArchiveDepth))
			continue
		}
		if a.Embedded != nil {
			if err := readPSTMessage(ctx, rd, a.Embedded, alias, aloc, 0, depth+1, sink); err != nil {
				return err
			}
			continue
		}
		r, err := a.Open()
		if err != nil {
			sink.Failed(aloc, fmt.Errorf("read %s: %w", aloc.Path, err))
			continue
		}
		if err := rd.ReadStream(ctx, files.Stream{Loc: aloc, Name: name, R: r, Size: a.Size, Depth: depth + 1}, sink); err != nil {
			return err
		}
	}
	if len(names) > 0 && rd.Options().Names {
		u := &sources.NamesUnit{Loc: sources.Location{Target: loc.Target, Path: loc.Path + "!"}, Names: sources.NameListOf(names...)}
		return u.Read(ctx, sink)
	}
	return nil
}

// pstAliases gives the named properties that are a contact's e-mail
// addresses (PidLidEmail1EmailAddress, 2 and 3 of PSETID_Address) the ID
// of the property they are (PidTagSmtpAddress), so that their values are
// labelled as its are (mapiLabels).
func pstAliases(named map[uint16]pst.NamedProp) map[uint16]uint16 {
	alias := map[uint16]uint16{}
	for id, p := range named {
		switch {
		case p.InAddressSet() && (p.LID == 0x8083 || p.LID == 0x8093 || p.LID == 0x80A3):
			alias[id] = 0x39FE
		}
	}
	return alias
}

// pstText is the text of a message's properties and its recipients', as
// mapiText reads a TNEF property list (a named property by the property
// alias gives it), its body once; the strings of a multi-valued string
// property (categories, a contact's other addresses) each.
func pstText(m *pst.Message, alias map[uint16]uint16) io.Reader {
	var t mapiText
	add := func(p pst.Prop) {
		if a, ok := alias[p.ID]; ok {
			p.ID = a
		}
		if p.Type == ptMulti|ptUnicode || p.Type == ptMulti|ptString8 {
			for _, v := range pst.MultiValues(p.Value) {
				t.add(uint32(p.ID), uint32(p.Type&^ptMulti), v)
			}
			return
		}
		t.add(uint32(p.ID), uint32(p.Type), p.Value)
	}
	for _, p := range m.Props {
		add(p)
	}
	for _, row := range m.Recipients {
		for _, p := range row {
			add(p)
		}
	}
	if r := t.body(); r != nil { // the body once (mapiText.body)
		t.texts = append(t.texts, r)
	}
	rs := make([]io.Reader, 0, 2*len(t.texts))
	for _, r := range t.texts {
		rs = append(rs, r, strings.NewReader("\n"))
	}
	return io.MultiReader(rs...)
}
