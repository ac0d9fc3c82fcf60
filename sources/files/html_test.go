package files

import (
	"bytes"
	"io"
	"math/rand/v2"
	"strings"
	"testing"
	"testing/iotest"

	"github.com/piimap/piimap/sources"
)

func htmlString(t testing.TB, r io.Reader) string {
	t.Helper()
	return convString(t, HTMLText, r)
}

// checkConverter checks what conv (HTMLText, RoffText) makes of b: the
// same whether b comes whole or a byte at a time, with b's line breaks,
// and not much longer than b.
func checkConverter(t *testing.T, conv func(io.Reader) io.Reader, b []byte) {
	t.Helper()
	whole := convString(t, conv, bytes.NewReader(b))
	if one := convString(t, conv, iotest.OneByteReader(bytes.NewReader(b))); one != whole {
		t.Fatalf("whole %q, a byte at a time %q", whole, one)
	}
	if got, want := strings.Count(whole, "\n"), bytes.Count(b, []byte("\n")); got != want {
		t.Fatalf("%d line breaks, want %d: %q", got, want, whole)
	}
	if len(whole) > 4*len(b)+16 {
		t.Fatalf("%d bytes of text from %d", len(whole), len(b))
	}
}

// convString reads all that the converter conv (HTMLText, RoffText) makes
// of r.
func convString(t testing.TB, conv func(io.Reader) io.Reader, r io.Reader) string {
	t.Helper()
	b, err := io.ReadAll(conv(r))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestHTMLText(t *testing.T) {
	for in, want := range map[string]string{
		"<p>Ring <b>912</b>&nbsp;34&nbsp;567</p>":       " Ring 912 34 567 ",
		`fnr 1503<span class="x">8712486</span>`:        "fnr 15038712486",
		`<a href="mailto:kari&#64;example.no">send</a>`: " mailto:kari@example.no send",
		"<!-- Copyright Kari <kari@example.no> -->text": " Copyright Kari <kari@example.no>  text",
		"<!--a--->b": "a- b",
		"<script>var e = 'ola@example.no'; if (a < b) {}</script>x":     "var e = 'ola@example.no'; if (a < b) {}x",
		"<SCRIPT>x</scr</SCRIPT >y":                                     "x</scry",
		`<meta name="author" content="Kari Nordmann, kari@example.no">`: " author  Kari Nordmann, kari@example.no ",
		"a < b and c<3": "a < b and c<3",
		"&amp;lt; &unknown; &#x40; & alone &nbsp":                                 "&lt; &unknown; @ & alone  ",
		`<img src=logo.png alt='Kari Nordmann'>`:                                  " logo.png  Kari Nordmann  ",
		`<td style="color:red" data-tlf="+47 912 34 567">x</td><td>y`:             " +47 912 34 567 \tx\t\ty",
		"<!DOCTYPE html><html><head><title>T</title></head><body>B</body></html>": "!DOCTYPE html    T   B  ",
		`<?php $to = "kari@example.no"; if ($a->b) {} ?><p>x`:                     "?php $to = \"kari@example.no\"; if ($a- b) {} ?> x",
		"<!-x>y<!->z": "!-x y!- z",
		`<p onclick="alert('x')" aria-label="y">z`: " z",
	} {
		if got := htmlString(t, strings.NewReader(in)); got != want {
			t.Errorf("%q:\n got %q\nwant %q", in, got, want)
		}
	}
}

// TestHTMLLines: the text has the source's line breaks, wherever they are
// (in text, tags, values, comments, scripts), so that lines are the file's.
func TestHTMLLines(t *testing.T) {
	in := "a\n<p\nclass=\"x\"\ntitle='t\nu'>b\n<!--\nc\n-->\n<script>\nd\n</script\n>e &amp\nf"
	got := htmlString(t, strings.NewReader(in))
	if strings.Count(got, "\n") != strings.Count(in, "\n") {
		t.Errorf("%d line breaks, want %d: %q", strings.Count(got, "\n"), strings.Count(in, "\n"), got)
	}
}

// FuzzHTMLText: the same text read whole or a byte at a time, the source's
// line breaks kept, and no more text than source (but for references
// that decode to longer characters).
func FuzzHTMLText(f *testing.F) {
	f.Add([]byte(`<p>Ring <b>912</b>&nbsp;34&nbsp;567 <a href="mailto:kari@example.no">e-post</a></p><script>x</script>`))
	f.Add([]byte("<!-- a --->\n<table><tr><td a=b c='d\ne' f>a<td>b</table><style>\n"))
	f.Add([]byte("<!DOCTYPE html>\n<?xml a?>&#128512;&Aacute;&bogus"))
	f.Fuzz(func(t *testing.T, b []byte) { checkConverter(t, HTMLText, b) })
}

// BenchmarkHTMLText reads generated documentation-like HTML: tag-heavy
// markup (spans with classes, links), entities, a script.
func BenchmarkHTMLText(b *testing.B) {
	var page strings.Builder
	page.WriteString("<!DOCTYPE html><html><head><script>var x = 1 < 2;</script></head><body>\n")
	for page.Len() < 4<<20 {
		page.WriteString(`<div class="item"><a class="fn" href="fn.read.html" title="fn read">read</a><span class="where">where T: Read &amp; Write</span></div>` + "\n")
		page.WriteString("<p>Kontakt Kari Nordmann p&aring; telefon 912&nbsp;34&nbsp;567 eller kari.nordmann@example.no.</p>\n")
	}
	data := []byte(page.String())
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		if _, err := io.Copy(io.Discard, HTMLText(bytes.NewReader(data))); err != nil {
			b.Fatal(err)
		}
	}
}

// TestHTMLFastTag: tags read whole from the buffer (fastTag) give what
// the byte-at-a-time state machine gives, for random documents made of
// the awkward parts of tags (a byte at a time never has a whole tag).
func TestHTMLFastTag(t *testing.T) {
	parts := []string{
		"<a href=\"mailto:kari@example.no\">", "<a href='x y'>", "<a href=x>", "<a href = \"v\" >", "<A HREF=X>",
		"<p class=\"c\" title=\"T\">", "<br/>", "<br />", "<img alt=k src=s/>", "< p>", "<a =x>", "<a b=>", "<a b= >",
		"<a b c=d>", "<a b='&amp;'>", "<a b=\"x\ny\">", "<td\nclass=x>", "</p>", "</ p>", "<x-y:z q=\"1\">", "<script>s</script>",
		"<style>p{}</style>", "<!-- c -->", "<!DOCTYPE html>", "&nbsp;", "&amp;", "912", " ", "\n", "text", "<", ">", "'", "\"", "=",
		"<a title=\"a > b\">", "<meta content=\"Kari Nordmann\" name=author>", "<a data-x=\"" + strings.Repeat("v", 5000) + "\">",
	}
	r := rand.New(rand.NewPCG(7, 8))
	for n := 0; n < 3000; n++ {
		var b strings.Builder
		for k := r.IntN(12) + 1; k > 0; k-- {
			b.WriteString(parts[r.IntN(len(parts))])
		}
		in := b.String()
		whole := htmlString(t, strings.NewReader(in))
		if one := htmlString(t, iotest.OneByteReader(strings.NewReader(in))); one != whole {
			t.Fatalf("%q:\nwhole         %q\na byte a time %q", in, whole, one)
		}
	}
}

// TestHTMLFiles: .html files, and text that starts as an HTML document,
// are read through HTMLText, on their own lines; other text is not; and
// an HTML file is never split into ranges, whose cuts could fall inside a
// tag.
func TestHTMLFiles(t *testing.T) {
	page := "<p>Kari\n<b>kari&#64;example.no</b></p>\n"
	dir := t.TempDir()
	write(t, dir, "kontakt.html", []byte(page))
	write(t, dir, "side", []byte("<!DOCTYPE html>\n"+page))
	write(t, dir, "notes.txt", []byte(page))
	sink := scan(t, dir, sources.Options{})
	for p, html := range map[string]bool{"kontakt.html": true, "side": true, "notes.txt": false} {
		var text []byte
		for _, c := range sink.chunksOf(p) {
			text = append(text, c.owned()...)
		}
		if got := bytes.Contains(text, []byte("kari@example.no")); got != html {
			t.Errorf("%s read as HTML: %v, want %v (%q)", p, got, html, text)
		}
		if html && bytes.Count(text, []byte("\n")) != strings.Count(page, "\n")+strings.Count(p, "side") {
			t.Errorf("%s: the lines are not the file's: %q", p, text)
		}
	}
	big := []byte(strings.Repeat("<p>x</p>\n", 1000))
	if _, _, ok := splittable("big.html", big, false); ok {
		t.Error("an .html file may be split")
	}
	if _, _, ok := splittable("big.log", big, false); !ok {
		t.Error("the same text in a .log may not be split")
	}
}
