package report

import (
	"errors"
	"strings"
	"testing"
)

func TestParseDeclarationErrors(t *testing.T) {
	cases := []struct {
		name, yaml string
		wantLine   int
		wantCol    int
		wantMsg    string
	}{
		{"unknown category", "declared:\n  email: {}\n  emial: {}\n", 3, 3, `did you mean "email"`},
		{"synonym suggestion", "declared:\n  fodselsnummer: {}\n", 2, 3, `did you mean "national_id"`},
		{"unknown key", "organisation: X\ndeclard:\n  email: {}\n", 2, 1, "unknown field"},
		{"unknown entry key", "declared:\n  email:\n    wher: [\"file:x\"]\n", 3, 5, "unknown field"},
		{"bad glob", "declared:\n  email:\n    where: [\"file:[a-\"]\n", 3, 5, "bad glob"},
		{"bad ignore glob", "ignore:\n  - where: \"file:[\"\n", 2, 5, "bad glob"},
		{"empty ignore", "ignore:\n  - note: nothing\n", 2, 0, "needs where or fingerprint"},
		{"syntax", "declared:\n  email: [\n", 2, 0, ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := ParseDeclaration("piimap.yaml", []byte(c.yaml))
			var de *DeclarationError
			if !errors.As(err, &de) {
				t.Fatalf("err = %v, want a DeclarationError", err)
			}
			if de.Line != c.wantLine || (c.wantCol > 0 && de.Column != c.wantCol) {
				t.Errorf("position %d:%d, want %d:%d (%v)", de.Line, de.Column, c.wantLine, c.wantCol, err)
			}
			if !strings.Contains(err.Error(), c.wantMsg) || !strings.HasPrefix(err.Error(), "piimap.yaml:") {
				t.Errorf("error %q, want it to name the file and contain %q", err, c.wantMsg)
			}
		})
	}
}

func TestParseDeclarationOK(t *testing.T) {
	d, err := ParseDeclaration("p.yaml", []byte(`
organisation: Lillemini AS
declared:
  name: {}
  address:
  email:
    where: ["postgres://*/shop/public.customers.*", "file:exports/**"]
    note: "§1"
ignore:
  - where: "file:testdata/**"
  - fingerprint: "pm1:abc"
`))
	if err != nil {
		t.Fatal(err)
	}
	if d.Organisation != "Lillemini AS" || len(d.Declared) != 3 || d.Declared["address"] == nil || len(d.Declared["email"].Where) != 2 || len(d.Ignore) != 2 {
		t.Errorf("parsed %+v", d)
	}
}
