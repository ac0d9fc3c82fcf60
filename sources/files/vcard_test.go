package files

import (
	"bytes"
	"context"
	"fmt"
	"slices"
	"testing"

	"github.com/piimap/piimap/sources"
)

// testVCards are three contacts as phones and Outlook export them: vCard
// 3.0 with a folded note, 2.1 with quoted-printable values and a soft
// line break, 4.0 with a tel: URI and a grouped property.
const testVCards = "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Kari Nordmann\r\nN:Nordmann;Kari;;;\r\nTEL;TYPE=cell:+47 912 34 567\r\n" +
	"EMAIL;TYPE=INTERNET:kari.nordmann@firma.no\r\nADR;TYPE=home:;;Storgata 1;Oslo;;0155;Norge\r\nBDAY:1985-03-15\r\n" +
	"NOTE:Ringes etter kl. 16\\, helst\r\n  på mobil.\r\nPHOTO;ENCODING=b;TYPE=JPEG:/9j/4AAQSkZJRgABAQ\r\n =AAAQABAAD\r\nEND:VCARD\r\n" +
	"BEGIN:VCARD\r\nVERSION:2.1\r\nN;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:Hansen;Bj=C3=B8rn\r\n" +
	"FN;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:Bj=C3=B8rn =\r\nHansen\r\nTEL;HOME:22 33 44 55\r\nEND:VCARD\r\n" +
	"BEGIN:VCARD\r\nVERSION:4.0\r\nFN:Ingrid Bakke\r\nTEL;VALUE=uri;TYPE=cell:tel:+47-415-55-123\r\nitem1.EMAIL:ingrid@bakke.no\r\nEND:VCARD\r\n"

// TestVCard: each card is a row and each property of a person a column:
// names (the structured N's parts too), telephone numbers, addresses and
// the address's parts, birthdays, notes; folded lines and quoted-printable
// values are whole again; a photo is no column.
func TestVCard(t *testing.T) {
	dir := t.TempDir()
	write(t, dir, "kontakter.vcf", []byte(testVCards))
	write(t, dir, "export", []byte(testVCards)) // by content
	sink := scan(t, dir, sources.Options{})
	for _, path := range []string{"kontakter.vcf", "export"} {
		var got []string
		for _, c := range sink.chunksOf(path) {
			got = append(got, fmt.Sprintf("%d %d %s=%s", c.row, c.line, c.loc.Field, c.data))
		}
		slices.Sort(got)
		// Row: the card; line: the line its property starts on.
		want := []string{
			"1 9 Note=Ringes etter kl. 16, helst på mobil.", "1 3 FullName=Kari Nordmann", "1 4 GivenName=Kari", "1 4 Surname=Nordmann",
			"1 5 Telephone=+47 912 34 567", "1 6 Email=kari.nordmann@firma.no", "1 7 City=Oslo", "1 7 PostalCode=0155",
			"1 7 StreetAddress=Storgata 1", "1 8 Birthday=1985-03-15",
			"2 17 FullName=Bjørn Hansen", "2 16 GivenName=Bjørn", "2 16 Surname=Hansen", "2 19 Telephone=22 33 44 55",
			"3 23 FullName=Ingrid Bakke", "3 24 Telephone=+47-415-55-123", "3 25 Email=ingrid@bakke.no",
		}
		slices.Sort(want)
		if !slices.Equal(got, want) {
			t.Errorf("%s:\n got %q\nwant %q", path, got, want)
		}
	}
	cols := map[string]sources.Column{}
	for _, c := range sink.columns {
		if c.Loc.Path == "kontakter.vcf" {
			cols[c.Loc.Field] = c
		}
	}
	if c := cols["FullName"]; c.Rows != 3 || c.NonNull != 3 || c.Type != "vCard property" {
		t.Errorf("the FullName column: %+v", c)
	}
}

// FuzzVCard: no file of vCards, however broken, makes the reader panic or
// hang, and every value it hands over is a field of its chunk.
func FuzzVCard(f *testing.F) {
	f.Add([]byte(testVCards))
	f.Add([]byte("BEGIN:VCARD\nN;ENCODING=QUOTED-PRINTABLE:=\n=\nADR:;;\\;;\nEND:VCARD\n"))
	f.Add([]byte("BEGIN:VCALENDAR\nBEGIN:VEVENT\nATTENDEE;CN=\"a;b\";X=\"\":mailto:\nEND:VEVENT\n"))
	f.Fuzz(func(t *testing.T, b []byte) {
		sink := newRecSink(t)
		rd := NewReader(sources.Options{}, nil)
		if err := rd.ReadReaderAt(context.Background(), bytes.NewReader(b), int64(len(b)), sources.Location{Path: "a.vcf"}, sink); err != nil {
			t.Fatal(err)
		}
	})
}

// TestICalendar: a calendar is read as vCards are: each event a row, its
// organizer's and attendees' names (their CN, quoted or not) and
// addresses, its summary, description and location columns; another
// property's value (a folded one, as Mozilla writes) in the Other column,
// times and rules in none.
func TestICalendar(t *testing.T) {
	dir := t.TempDir()
	write(t, dir, "kalender.ics", []byte("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nBEGIN:VEVENT\r\nSUMMARY:Lønnssamtale\r\n"+
		"ORGANIZER;CN=Kari Nordmann:mailto:kari@firma.no\r\nATTENDEE;CN=\"Hansen, Ola\";RSVP=TRUE:mailto:ola@firma.no\r\n"+
		"DESCRIPTION:Ring +47 912 34 567 ved\r\n  forsinkelse.\r\nLOCATION:Møterom 2\r\nX\r\n ;MEMBER=AlarmEmailAddress\r\n :per@firma.no\r\nDTSTART:20260301T100000\r\nEND:VEVENT\r\n"+
		"BEGIN:VTODO\r\nSUMMARY:Send kontrakt\r\nEND:VTODO\r\nEND:VCALENDAR\r\n"))
	sink := scan(t, dir, sources.Options{})
	var got []string
	for _, c := range sink.chunksOf("kalender.ics") {
		got = append(got, fmt.Sprintf("%d %s=%s", c.row, c.loc.Field, c.data))
	}
	slices.Sort(got)
	want := []string{"1 AttendeeName=Hansen, Ola", "1 Description=Ring +47 912 34 567 ved forsinkelse.", "1 Email=kari@firma.no",
		"1 Email=ola@firma.no", "1 Location=Møterom 2", "1 OrganizerName=Kari Nordmann", "1 Other=per@firma.no", "1 Summary=Lønnssamtale",
		"2 Summary=Send kontrakt"}
	if !slices.Equal(got, want) {
		t.Errorf("\n got %q\nwant %q", got, want)
	}
}

// TestVCardBounded: a card of many properties is handed over in blocks,
// not held whole.
func TestVCardBounded(t *testing.T) {
	var b bytes.Buffer
	b.WriteString("BEGIN:VCARD\r\n")
	for i := range 100000 {
		fmt.Fprintf(&b, "NOTE:merknad nummer %d om kunden\r\n", i)
	}
	b.WriteString("END:VCARD\r\n")
	sink := &maxChunkSink{recSink: newRecSink(t)}
	rd := NewReader(sources.Options{}, nil)
	if err := rd.ReadReaderAt(context.Background(), bytes.NewReader(b.Bytes()), int64(b.Len()), sources.Location{Path: "a.vcf"}, sink); err != nil {
		t.Fatal(err)
	}
	if sink.max > 2*textChunkSize || sink.fields != 100000 {
		t.Errorf("largest block %d bytes (want at most %d), %d fields", sink.max, 2*textChunkSize, sink.fields)
	}
}

// maxChunkSink records the largest chunk and counts the fields.
type maxChunkSink struct {
	*recSink
	max, fields int
}

func (s *maxChunkSink) Text(ctx context.Context, c *sources.Chunk) error {
	s.max = max(s.max, len(c.Data))
	s.fields += len(c.Fields)
	return nil
}
