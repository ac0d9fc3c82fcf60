package docs

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"

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
		for i, n := range fo.Messages {
			if err := ctx.Err(); err != nil {
				return err
			}
			if err := readPSTMessage(ctx, rd, pf.Message(n), loc, int64(i+1), f.Depth, sink); err != nil {
				return err
			}
		}
	}
	return nil
}

// readPSTMessage reads message m: its text as message number item of the
// folder at loc (or, with item 0, an attached message's, at loc), then
// its attachments.
func readPSTMessage(ctx context.Context, rd *files.Reader, m *pst.Message, loc sources.Location, item int64, depth int, sink sources.Sink) error {
	var err error
	if item > 0 {
		err = rd.ReadItemText(ctx, pstText(m), loc, item, sink)
		loc.Path += "/" + strconv.FormatInt(item, 10) // the message, for what is in it
	} else {
		err = rd.ReadText(ctx, pstText(m), loc, sink)
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
			if err := readPSTMessage(ctx, rd, a.Embedded, aloc, 0, depth+1, sink); err != nil {
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
		u := &sources.NamesUnit{Loc: sources.Location{Target: loc.Target, Path: loc.Path + "!"}, Names: names}
		return u.Read(ctx, sink)
	}
	return nil
}

// pstText is the text of a message's properties and its recipients', as
// mapiText reads a TNEF property list; the strings of a multi-valued
// string property (categories, a contact's other addresses) each.
func pstText(m *pst.Message) io.Reader {
	var t mapiText
	add := func(p pst.Prop) {
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
	rs := make([]io.Reader, 0, 2*len(t.texts))
	for _, r := range t.texts {
		rs = append(rs, r, strings.NewReader("\n"))
	}
	return io.MultiReader(rs...)
}
