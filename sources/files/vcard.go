package files

import (
	"bufio"
	"bytes"
	"context"
	"io"
	"mime/quotedprintable"
	"strings"

	"golang.org/x/text/encoding/charmap"

	"github.com/piimap/piimap/sources"
)

// vCards (RFC 6350, and the 2.1 and 3.0 versions phones and Outlook still
// write): contacts exported to a file share (.vcf, .vcard, or text that
// starts with BEGIN:VCARD). They are read as a table is: each card a row,
// the properties of a person its columns (vcardColumns), so that a card's
// name, address and birthday are judged as a CSV's columns are, and a
// telephone number or an address in its column. Calendars (iCalendar,
// RFC 5545: .ics, text that starts with BEGIN:VCALENDAR) are written the
// same way and read so too: each event or task a row, its organizer's and
// attendees' names (their CN) and addresses, its summary, description
// and location columns.
var vcardColumns = []string{
	"FullName", "Surname", "GivenName", "Nickname", "Telephone", "Email", "StreetAddress", "City", "PostalCode",
	"Birthday", "Organization", "Title", "Note", "OrganizerName", "AttendeeName", "Summary", "Description", "Location",
	"Other",
}

// Column indexes into vcardColumns.
const (
	vcFullName = iota
	vcSurname
	vcGivenName
	vcNickname
	vcTelephone
	vcEmail
	vcStreet
	vcCity
	vcPostalCode
	vcBirthday
	vcOrganization
	vcTitle
	vcNote
	vcOrganizerName
	vcAttendeeName
	vcSummary
	vcDescription
	vcLocation
	vcOther // every other property's value, read as text is
)

// vcardText1 are the properties of one text value and their columns.
var vcardText1 = map[string]int{
	"FN": vcFullName, "NICKNAME": vcNickname, "EMAIL": vcEmail, "BDAY": vcBirthday, "TITLE": vcTitle, "NOTE": vcNote,
	"SUMMARY": vcSummary, "DESCRIPTION": vcDescription, "LOCATION": vcLocation,
}

// vcardSkip are properties whose values are no one's: versions, ids,
// times, rules, binary media.
var vcardSkip = map[string]bool{
	"VERSION": true, "PRODID": true, "END": true, "PHOTO": true, "LOGO": true, "SOUND": true, "KEY": true,
	"UID": true, "REV": true, "DTSTAMP": true, "DTSTART": true, "DTEND": true, "DUE": true, "CREATED": true,
	"LAST-MODIFIED": true, "SEQUENCE": true, "RRULE": true, "EXDATE": true, "RDATE": true, "TZID": true,
	"TZOFFSETFROM": true, "TZOFFSETTO": true, "TZNAME": true, "METHOD": true, "CALSCALE": true, "STATUS": true,
	"CLASS": true, "TRANSP": true, "PRIORITY": true, "TRIGGER": true, "ACTION": true, "DURATION": true,
	"GEO": true, "KIND": true, "GENDER": true, "LANG": true, "TZ": true, "CATEGORIES": true, "X-WR-TIMEZONE": true,
}

// vcardMaxLine caps a logical line (a property with its folded lines): a
// photo in base64 is longer, and is not read.
const vcardMaxLine = 64 << 10

// readVCard reads the vCards of r at loc as rows of a table whose columns
// are vcardColumns (see vcardColumns), and announces the columns.
func (x *Reader) readVCard(ctx context.Context, r io.Reader, loc sources.Location, b *buffers, sink sources.Sink) (rerr, err error) {
	br := bufio.NewReaderSize(r, 64<<10)
	var k csvBlock
	nonNull := make([]int64, len(vcardColumns))
	var row int64
	flush := func() error { return k.flush(ctx, &b.c, loc, vcardColumns, sink) }
	add := func(col int, v string, line int64) {
		if v = strings.TrimSpace(v); v != "" {
			nonNull[col]++
			k.add(col, []byte(v), line, max(row, 1)) // (what comes before a BEGIN is of the first row)
		}
	}
	lines := vcardLines{r: br}
	for {
		if row&255 == 0 {
			if err := ctx.Err(); err != nil {
				return nil, err
			}
		}
		prop, line, rerr := lines.next()
		if prop == nil {
			if rerr == io.EOF {
				rerr = nil
			}
			if err := flush(); err != nil {
				return nil, err
			}
			for i, name := range vcardColumns {
				if nonNull[i] > 0 {
					l := loc
					l.Field = name
					sink.Column(sources.Column{Loc: l, Type: "vCard property", Rows: max(row, 1), NonNull: nonNull[i]})
				}
			}
			return rerr, nil
		}
		if k.bytes >= textChunkSize {
			// A block of rows (or of one card's many properties: memory
			// stays bounded however long a card is).
			if err := flush(); err != nil {
				return nil, err
			}
		}
		name, params, value := vcardProperty(prop)
		switch name {
		case "BEGIN":
			switch strings.ToUpper(value) {
			case "VCARD", "VEVENT", "VTODO", "VJOURNAL":
				row++
			}
		case "ORGANIZER", "ATTENDEE":
			col := vcOrganizerName
			if name == "ATTENDEE" {
				col = vcAttendeeName
			}
			add(col, vcardParam(params, "CN"), line)
			if v := vcardText(value, params); len(v) > 7 && strings.EqualFold(v[:7], "mailto:") {
				add(vcEmail, v[7:], line)
			}
		case "N":
			parts := vcardParts(value, params)
			add(vcSurname, part(parts, 0), line)
			add(vcGivenName, strings.TrimSpace(part(parts, 1)+" "+part(parts, 2)), line)
		case "TEL":
			add(vcTelephone, strings.TrimPrefix(vcardText(value, params), "tel:"), line)
		case "ADR":
			parts := vcardParts(value, params)
			add(vcStreet, strings.TrimSpace(part(parts, 1)+" "+part(parts, 2)), line)
			add(vcCity, part(parts, 3), line)
			add(vcPostalCode, part(parts, 5), line)
		case "ORG":
			add(vcOrganization, strings.Join(vcardParts(value, params), " "), line)
		default:
			if col, ok := vcardText1[name]; ok {
				add(col, vcardText(value, params), line)
			} else if !vcardSkip[name] {
				add(vcOther, vcardText(value, params), line)
			}
		}
	}
}

// part returns parts[i], or "".
func part(parts []string, i int) string {
	if i < len(parts) {
		return parts[i]
	}
	return ""
}

// vcardLines reads the logical lines of vCards: a line that starts with a
// space or a tab goes on the line before it (RFC 6350 3.2), and in a
// quoted-printable value (vCard 2.1) a line that ends with '=' goes on
// with the next.
type vcardLines struct {
	r    *bufio.Reader
	line int64 // the physical line last read
	buf  []byte
	peek []byte // a line read ahead, not yet returned
	has  bool
}

// next returns the next logical line and the physical line it starts on;
// nil at the end, with what reading ended with.
func (v *vcardLines) next() ([]byte, int64, error) {
	first, err := v.physical()
	if first == nil {
		return nil, 0, err
	}
	start := v.line
	v.buf = append(v.buf[:0], first...)
	head := v.buf
	if i := bytes.IndexByte(head, ':'); i >= 0 {
		head = head[:i]
	}
	qp := bytes.Contains(bytes.ToUpper(head), []byte("QUOTED-PRINTABLE"))
	for {
		if qp && bytes.HasSuffix(v.buf, []byte("=")) {
			l, _ := v.physical()
			if l == nil {
				break
			}
			v.buf = append(v.buf, '\n') // the soft line break, undone by the decoder
			v.buf = vcardAppend(v.buf, l)
			continue
		}
		l, _ := v.physical()
		if l == nil {
			break
		}
		if len(l) > 0 && (l[0] == ' ' || l[0] == '\t') {
			v.buf = vcardAppend(v.buf, l[1:])
			continue
		}
		v.peek, v.has = l, true
		v.line--
		break
	}
	return v.buf, start, nil
}

// vcardAppend appends l to b within vcardMaxLine.
func vcardAppend(b, l []byte) []byte {
	return append(b, l[:min(len(l), max(0, vcardMaxLine-len(b)))]...)
}

// physical returns the next physical line without its line break (at
// most vcardMaxLine bytes of it; nil at the end).
func (v *vcardLines) physical() ([]byte, error) {
	if v.has {
		v.has = false
		v.line++
		return v.peek, nil
	}
	var line []byte
	for {
		part, err := v.r.ReadSlice('\n')
		line = append(line, part[:min(len(part), max(0, vcardMaxLine-len(line)))]...)
		if err == bufio.ErrBufferFull {
			continue
		}
		if len(line) == 0 && err != nil {
			return nil, err
		}
		v.line++
		return bytes.TrimRight(line, "\r\n"), nil
	}
}

// vcardProperty splits "group.NAME;PARAM=x;TYPE=cell:value" into the
// upper-cased name without its group, the parameters and the value.
func vcardProperty(l []byte) (name, params, value string) {
	colon, q := -1, false
	for i, c := range l {
		if c == '"' {
			q = !q
		} else if c == ':' && !q {
			colon = i
			break
		}
	}
	if colon < 0 {
		return "", "", ""
	}
	head := string(l[:colon])
	name, params, _ = strings.Cut(head, ";")
	if i := strings.LastIndexByte(name, '.'); i >= 0 {
		name = name[i+1:]
	}
	return strings.ToUpper(name), params, string(l[colon+1:])
}

// vcardParam returns the value of the parameter key (CN="Kari Nordmann")
// of params, unquoted, or "".
func vcardParam(params, key string) string {
	for len(params) > 0 {
		var p string
		p, params = vcardNextParam(params)
		k, v, ok := strings.Cut(p, "=")
		if ok && strings.EqualFold(k, key) {
			return strings.Trim(v, `"`)
		}
	}
	return ""
}

// vcardNextParam splits the first parameter off params at a ';' outside
// quotes.
func vcardNextParam(params string) (p, rest string) {
	q := false
	for i := 0; i < len(params); i++ {
		switch params[i] {
		case '"':
			q = !q
		case ';':
			if !q {
				return params[:i], params[i+1:]
			}
		}
	}
	return params, ""
}

// vcardText undoes a value's encoding (quoted-printable in vCard 2.1), its
// charset (Latin-1 and Windows-1252; UTF-8 otherwise) and its escapes
// (\n, \, and \;).
func vcardText(v, params string) string {
	params = strings.ToUpper(params)
	if strings.Contains(params, "QUOTED-PRINTABLE") {
		if b, err := io.ReadAll(quotedprintable.NewReader(strings.NewReader(v))); err == nil {
			v = string(b)
		}
	}
	if strings.Contains(params, "CHARSET=ISO-8859-1") || strings.Contains(params, "CHARSET=WINDOWS-1252") {
		if s, err := charmap.Windows1252.NewDecoder().String(v); err == nil {
			v = s
		}
	}
	if !strings.Contains(v, `\`) {
		return v
	}
	return strings.NewReplacer(`\n`, "\n", `\N`, "\n", `\,`, ",", `\;`, ";", `\\`, `\`).Replace(v)
}

// vcardParts splits a structured value (N, ADR, ORG) at its unescaped
// semicolons, each part's escapes undone.
func vcardParts(v, params string) []string {
	var parts []string
	start := 0
	for i := 0; i < len(v); i++ {
		switch v[i] {
		case '\\':
			i++
		case ';':
			parts = append(parts, vcardText(v[start:i], params))
			start = i + 1
		}
	}
	return append(parts, vcardText(v[start:], params))
}
