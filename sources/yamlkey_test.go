package sources

import (
	"fmt"
	"slices"
	"strings"
	"testing"
)

func TestYAMLKeyAt(t *testing.T) {
	for _, c := range []struct{ doc, want string }{
		{"name: ⟨Kari\n", "name"},
		{"kunde:\n  navn: ⟨Kari Nordmann\n  tlf: 1\n", "kunde.navn"},
		{"kunde:\n  navn: Kari\n  tlf: ⟨1\n", "kunde.tlf"},
		{"authors:\n  - name: ⟨Kari\n    email: k@x.no\n", "authors[].name"},
		{"authors:\n  - name: Kari\n    email: ⟨k@x.no\n  - name: Ola\n", "authors[].email"},
		{"authors:\n- name: Kari\n- name: ⟨Ola\nnext: 1\n", "authors[].name"},
		{"authors:\n- name: Kari\nnext: ⟨1\n", "next"},
		{"a:\n  b: |\n    text ⟨here\n    more\n  c: 1\n", "a.b"},
		{"a:\n  b: |\n    text\n  c: ⟨1\n", "a.c"},
		{"a:\n  # comment\n\n  b: ⟨1\n", "a.b"},
		{"a: 1\n---\nb: ⟨2\n", "b"},
		{"\"quoted key\": ⟨v\n", "quoted key"},
		{"users:\n  kari@example.no:\n    tlf: ⟨1\n", "users.*.tlf"},
		{"list:\n  - - ⟨x\n", "list[][]"},
		{"url: http://x.no:8080/⟨p\n", "url"},
		// Flow collections: a scalar has the path of the keys and
		// sequences around it; a key, a bracket or a comma the line's.
		{"kunde: {navn: Kari, tlf: ⟨912}\n", "kunde.tlf"},
		{"kunde: {navn: ⟨Kari Nordmann, tlf: 912}\n", "kunde.navn"},
		{"kunde: {navn: Kari, ⟨tlf: 912}\n", "kunde"},
		{"kunde: ⟨{navn: Kari}\n", "kunde"},
		{"kunder:\n  - {navn: Ola, \"epost\": 'ola⟨@firma.no'}\n", "kunder[].epost"},
		{"tags: [a, ⟨b]\n", "tags[]"},
		{"Pet: {properties: {name: {type: ⟨string}}, required: [name]}\n", "Pet.properties.name.type"},
		{"Pet: {properties: {name: {type: string}}, required: [⟨name]}\n", "Pet.required[]"},
		{"x: [{a: 1}, {b: ⟨2}]\n", "x[].b"},
		{"{a: ⟨1}\n", "a"},
		{"k: {a: 'it''s ⟨x', b: 1}\n", "k.a"},
		{"k: {a: 'it''s x', b: ⟨1}\n", "k.b"},
		{"k: {a: \"q\\\"⟨x, y\", b: 1}\n", "k.a"},
		{"k: {u: http://x.no:8080/⟨p}\n", "k.u"},
		{"k: {a: [1, ⟨2}\n", "k.a[]"},
		{"k: {a: 1}⟨ \n", "k"},
		{"k: {a: 1} # not a flow ⟨mapping\n", "k"},
	} {
		doc, pos := splitMarker(c.doc)
		if got := pathAt[YAMLState](&YAMLKeyReader{}, doc, pos); got != c.want {
			t.Errorf("%q: %q, want %q", c.doc, got, c.want)
		}
	}
}

func TestYAMLState(t *testing.T) {
	docs := []string{
		"kunder:\n  - navn: Kari Nordmann\n    epost: kari@firma.no\n    adresse:\n      gate: Storgata 1\n  - navn: Ola\n    notat: |\n      linje en\n      linje to\n    tlf: '912'\nneste: 1\n",
		"a:\n- b: 1\n- - c\n  - d: e\n---\nx: y # kommentar\n",
		"kunde: {navn: Kari, tlf: '912'}\nliste:\n  - {a: [1, {b: x}], c: \"q, r\"}\nneste: [x, 'it''s']\n",
	}
	for _, d := range docs {
		doc := []byte(d)
		everyCut(doc, 7, func(starts []int) {
			checkChunksCut[YAMLState](t, &YAMLKeyReader{}, &YAMLKeyReader{}, doc, starts, 0, true)
			checkChunksCut[YAMLState](t, &YAMLKeyReader{}, &YAMLKeyReader{}, doc, starts, 4, true)
		})
	}
}

func TestYAMLEachValue(t *testing.T) {
	doc := []byte("kunder:\n  - navn: \"Kari Nordmann\"\n    epost: kari@firma.no # privat\n    tom:\n    notat: |\n      navn: ikke en nøkkel\n    flow: {a: 1, b: [x, y]}\n  - {navn: Ola Hansen, \"epost\": 'ola@firma.no', tekst: \"a, b\"}\n")
	var r YAMLKeyReader
	r.ResetState(doc, nil)
	var got []string
	r.EachValue(0, len(doc), func(key []byte, s, e int) {
		got = append(got, string(key)+"="+string(doc[s:e])+"@"+r.CurrentPath())
	})
	want := []string{"navn=Kari Nordmann@kunder[].navn", "epost=kari@firma.no@kunder[].epost", "a=1@kunder[].flow.a",
		"navn=Ola Hansen@kunder[].navn", "epost=ola@firma.no@kunder[].epost", "tekst=a, b@kunder[].tekst"}
	if !slices.Equal(got, want) {
		t.Errorf("values %q, want %q", got, want)
	}
}

func FuzzYAMLState(f *testing.F) {
	f.Add([]byte("a:\n  - b: 1\n    c: |\n      x\n  d: 'e'\n---\nf: g\n"), uint64(3), uint8(2))
	f.Add([]byte("k: {a: [1, {b: x}], c: \"q, r\"}\n- {d: 'it''s'}\n"), uint64(5), uint8(1))
	f.Fuzz(func(t *testing.T, doc []byte, seed uint64, overlap uint8) {
		if len(doc) > 512 {
			return
		}
		starts := fuzzCuts(doc, seed)
		checkChunksCut[YAMLState](t, &YAMLKeyReader{}, &YAMLKeyReader{}, doc, starts, int(overlap%8), true)
		var r YAMLKeyReader
		r.ResetState(doc, nil)
		r.EachValue(0, len(doc), func(key []byte, s, e int) {
			if s >= e || e > len(doc) || r.CurrentPath() == "" {
				t.Fatalf("%q: EachValue reported %q [%d, %d)", doc, key, s, e)
			}
		})
		// The lines a reader tells of as it reads (OnLine), once each,
		// have what a new reader's Span gives at their first and last
		// positions.
		var tr YAMLKeyReader
		checkToldReading[YAMLState](t, doc, &tr, tr.OnLine, func() spanReader[YAMLState] { return &YAMLKeyReader{} })
	})
}

// OnLine tells each line once, with its key path; of a line with a flow
// collection, only the part before it, which has the line's path.
func TestYAMLOnLine(t *testing.T) {
	doc := []byte("kunde:\n  navn: Kari\n  tlf:\n    - 912\nneste: 1\nflyt: {a: 1}\n")
	var got []string
	var r YAMLKeyReader
	r.OnLine(func(lo, hi int, path string) {
		got = append(got, fmt.Sprintf("%q=%s", doc[lo:min(hi, len(doc))], path))
	})
	r.ResetState(doc, nil)
	r.At(len(doc) - 1)
	r.At(3)
	r.At(len(doc) - 1)
	want := `"kunde:\n"=kunde "  navn: Kari\n"=kunde.navn "  tlf:\n"=kunde.tlf "    - 912\n"=kunde.tlf[] "neste: 1\n"=neste "flyt: "=flyt`
	if g := strings.Join(got, " "); g != want {
		t.Errorf("told %s\nwant %s", g, want)
	}
}
