package sources

import (
	"slices"
	"strings"
	"testing"
)

func TestXMLKeyAt(t *testing.T) {
	for _, c := range []struct{ doc, want string }{
		{`<Kunder><Kunde><Epost>⟨kari@example.no</Epost></Kunde></Kunder>`, "Kunder.Kunde.Epost"},
		{`<?xml version="1.0"?><a:Kunder xmlns:a="x"><a:Navn>⟨Kari</a:Navn></a:Kunder>`, "Kunder.Navn"},
		{`<a><b/><c>⟨x</c></a>`, "a.c"},
		{`<a><b x="1" y='/>'/>⟨t</a>`, "a"},
		{`<a><b x="⟨1"/></a>`, "a.b"},
		{`<a><!-- <b> --->⟨t</a>`, "a"},
		{`<a><![CDATA[<b>⟨x]]]></a>`, "a"},
		{`<a><![CDATA[x]]>⟨y</a>`, "a"},
		{`<!DOCTYPE a><a>⟨1</a>`, "a"},
		{`<!DOCTYPE a [ <!ENTITY e "<email>x</email>"> ]><a><b>⟨1</b></a>`, "a.b"},
		{`<!DOCTYPE a [ <!ENTITY e "]">] ><a>⟨1</a>`, "a"},
		{`<a><?php $x[0] > 1 ?><b>⟨1</b></a>`, "a.b"},
		{`<a>1 < 2 ⟨x</a>`, "a"},
		{`<a></a>⟨x`, ""},
		{`<a></a ><b>⟨x`, "b"},
		{`<users><e19f3298-1f13-9031-0dcb-40dd742cc49c>⟨x`, "users.*"},
		{`<a>` + strings.Repeat("<b>", 40) + `⟨x`, "a" + strings.Repeat(".b", XMLMaxDepth-1)},
	} {
		doc, pos := splitMarker(c.doc)
		if got := pathAt[XMLState](&XMLKeyReader{}, doc, pos); got != c.want {
			t.Errorf("%s: %q, want %q", c.doc, got, c.want)
		}
	}
}

func checkXMLChunks(t *testing.T, doc []byte, starts []int, overlap int) {
	t.Helper()
	checkChunks[XMLState](t, &XMLKeyReader{}, &XMLKeyReader{}, doc, starts, overlap)
}

func TestXMLState(t *testing.T) {
	docs := []string{
		"<?xml version=\"1.0\"?>\n<Kunder>\n  <Kunde id=\"1\">\n    <Navn>Kari Nordmann</Navn>\n    <Epost>kari@firma.no</Epost>\n  </Kunde>\n  <Kunde/>\n</Kunder>\n",
		`<a><!-- c -- d ---><b x='>' y="/"/><![CDATA[ ]]] ]]><c>t</c></a>`,
		`<!DOCTYPE x><n:a xmlns:n="u"><n:b>1 < 2</n:b></n:a>`,
	}
	for _, d := range docs {
		doc := []byte(d)
		everyCut(doc, 7, func(starts []int) {
			checkXMLChunks(t, doc, starts, 0)
			checkXMLChunks(t, doc, starts, 4)
		})
	}
}

func TestXMLEachValue(t *testing.T) {
	doc := []byte("<Kunder>\n <Kunde nr=\"1\">\n  <Navn> Kari Nordmann </Navn>\n  <Tom/>\n  <Epost>kari@firma.no</Epost><!-- x --><Notat><![CDATA[hei]]></Notat>\n </Kunde>\n <Ansatt xml:fornavn = 'Ola' etternavn=\"\" tlf=\"912\"/>\n</Kunder>")
	var r XMLKeyReader
	r.ResetState(doc, nil)
	var got []string
	r.EachValue(0, len(doc), func(key []byte, s, e int) {
		got = append(got, string(key)+"="+string(doc[s:e])+"@"+r.CurrentPath())
	})
	want := []string{"nr=1@Kunder.Kunde.@nr", "Navn=Kari Nordmann@Kunder.Kunde.Navn", "Epost=kari@firma.no@Kunder.Kunde.Epost", "Notat=hei@Kunder.Kunde.Notat",
		"fornavn=Ola@Kunder.Ansatt.@fornavn", "tlf=912@Kunder.Ansatt.@tlf"}
	if !slices.Equal(got, want) {
		t.Errorf("values %q, want %q", got, want)
	}
	if UnescapeXML([]byte("Bj&#248;rn &amp; Kari")) != "Bjørn & Kari" {
		t.Error("UnescapeXML")
	}
}

func FuzzXMLState(f *testing.F) {
	f.Add([]byte(`<?xml?><a x="1"><b>t</b><!-- c --><![CDATA[d]]><e/></a>`), uint64(3), uint8(2))
	f.Fuzz(func(t *testing.T, doc []byte, seed uint64, overlap uint8) {
		if len(doc) > 512 {
			return
		}
		starts := fuzzCuts(doc, seed)
		checkXMLChunks(t, doc, starts, int(overlap%8))
		// EachValue reports trimmed, non-empty values within the
		// document, in order, each with a path.
		var r XMLKeyReader
		r.ResetState(doc, nil)
		last := -1
		r.EachValue(0, len(doc), func(key []byte, s, e int) {
			if s <= last || s >= e || e > len(doc) || isXMLSpace(doc[s]) || isXMLSpace(doc[e-1]) || r.CurrentPath() == "" {
				t.Fatalf("%q: EachValue reported %q [%d, %d) at %q", doc, key, s, e, r.CurrentPath())
			}
			last = s
		})
		// The contents a reader tells of as it reads (OnText), once
		// each, have what a new reader's Span gives at their first and
		// last positions.
		var tr XMLKeyReader
		checkToldReading[XMLState](t, doc, &tr, tr.OnText, func() spanReader[XMLState] { return &XMLKeyReader{} })
		checkOnValue[XMLState](t, doc, &XMLKeyReader{}, &XMLKeyReader{}, seed)
	})
}

// OnText tells each element's content that is not blank once, with its
// path.
func TestXMLOnText(t *testing.T) {
	doc := []byte(`<a><b>kari</b> <c x="1">ola<d/>nn</c></a>`)
	var got []string
	var r XMLKeyReader
	r.OnText(func(lo, hi int, path string) { got = append(got, string(doc[lo:hi])+"="+path) })
	r.ResetState(doc, nil)
	r.At(len(doc) - 1)
	r.At(3)
	r.At(len(doc) - 1)
	want := "kari=a.b | ola=a.c | nn=a.c" // not the blank between </b> and <c
	if g := strings.Join(got, " | "); g != want {
		t.Errorf("told %q, want %q", g, want)
	}
}
