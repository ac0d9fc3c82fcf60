package scanner

import (
	"context"
	"fmt"
	"slices"
	"testing"

	"github.com/piimap/piimap/detectors"
	"github.com/piimap/piimap/sources"
)

// itemsUnit is a container of numbered items (a mailbox folder's
// messages), each read as one OneLine chunk whose Line is its number.
type itemsUnit struct {
	path  string
	items []string
}

func (u itemsUnit) Location() sources.Location { return sources.Location{Path: u.path} }
func (u itemsUnit) Size() int64                { return 1 }
func (u itemsUnit) Read(ctx context.Context, sink sources.Sink) error {
	for i, text := range u.items {
		c := &sources.Chunk{Loc: u.Location(), Data: []byte(text), Line: int64(i + 1), OneLine: true}
		if err := sink.Text(ctx, c); err != nil {
			return err
		}
	}
	return nil
}

// TestOneLineItems: what is found in an item (a message) is on the line
// of the item's number, however many lines its text has.
func TestOneLineItems(t *testing.T) {
	var items []string
	for i := range 3 {
		items = append(items, fmt.Sprintf("Emne: møte\n\nHei!\nSkriv til kari.nordmann%d@firma.no\n", i))
	}
	res := scan(t, Config{Detectors: detectors.All()}, itemsUnit{path: "arkiv.pst!Innboks", items: items})
	for _, f := range res.Findings {
		if f.Category == detectors.Email {
			if !slices.Equal(f.Lines, []int64{1, 2, 3}) {
				t.Errorf("lines %v, want the messages' numbers 1, 2, 3", f.Lines)
			}
			return
		}
	}
	t.Errorf("no e-mail finding in %+v", res.Findings)
}
