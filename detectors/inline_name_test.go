package detectors

import (
	"strings"
	"testing"
)

// TestInlineName: the names of a log record's keys, in order, and what is
// no name (a key of another kind, a value not written as a name, a line
// that is no record, structured text).
func TestInlineName(t *testing.T) {
	d := NewInlineName()
	text := strings.Join([]string{
		`2026-03-01T10:00:00Z level=INFO msg="signup" first_name=Kari last_name=Nordmann email=kari@firma.no`,
		`2026-03-01T10:00:01Z fornavn="Ola Johan" etternavn=Hansen-Berg kundenavn=Fjordbakst`,
		`2026-03-01T10:00:02Z {"givenName":"Åse","familyName":"Ødegård","displayName":"Åse Ø."}`,
		`2026-03-01T10:00:03Z name=Espresso app_name=Shop username=Kari first_name=kari surname=`,
		`2026-03-01T10:00:04Z e.g. first_name=Per`,
		`first_name=Kari last_name=Nordmann`,
	}, "\n")
	var got []string
	prev := 0
	for _, m := range genericFind(d, text, "") {
		if m.Start < prev || text[m.Start:m.End] != m.Value || m.Category != Name {
			t.Errorf("bad match %+v", m)
		}
		prev = m.Start
		got = append(got, m.Value+"/"+m.Confidence.String())
	}
	want := "Kari/high Nordmann/high Ola Johan/high Hansen-Berg/high Åse/high Ødegård/high Per/low"
	if strings.Join(got, " ") != want {
		t.Errorf("got  %q\nwant %q", strings.Join(got, " "), want)
	}
	// Structured text: column_name's.
	if ms := genericFind(d, "10:00:00 first_name=Kari", "kommentar"); len(ms) != 0 {
		t.Errorf("a column's value: %+v", ms)
	}
}

// TestInlineNameZeroAllocsOnRejected: the keys that end as a name's but
// name none (name, hostname, username, app_name) cost no allocation.
func TestInlineNameZeroAllocsOnRejected(t *testing.T) {
	genericZeroAllocs(t, NewInlineName(), strings.Repeat("2026-03-01T10:00:00 INFO hostname=web01 name=x username=kari app_name=shop "+
		"first_name=kari\n", 20))
}

func FuzzInlineName(f *testing.F) {
	d := NewInlineName()
	for _, x := range append(d.Positives(), d.Negatives()...) {
		f.Add([]byte(x.Text))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		ms := genericFind(d, string(data), "")
		genericCheckMatches(t, d, data, ms)
		for _, m := range ms {
			if string(data[m.Start:m.End]) != m.Value || !NameShaped([]byte(m.Value)) {
				t.Fatalf("value %q at %q", m.Value, data[m.Start:m.End])
			}
		}
	})
}
