package declare

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/goccy/go-yaml"
)

// FuzzDraft: no panic, no hang, and a result that holds together for any
// input, as text or as HTML.
func FuzzDraft(f *testing.F) {
	files, _ := filepath.Glob(filepath.Join(fixtures, "*"))
	for _, p := range files {
		if data, err := os.ReadFile(p); err == nil {
			f.Add(data, strings.HasSuffix(p, ".html"))
		}
	}
	for _, s := range []string{
		"", ".", "a)\n\n", "•", "# ", "Vi lagrer:\n\n", "f.eks.", "<", "<nav>", "<svg><svg></svg>", "<pre>\n\n</pre>",
		"Hvilke opplysninger behandler vi?\n• navn\n", "\xff\xfe\x00", "\xef\xbb\xbf", "\r\r\n\n\r",
		"Vi lagrer ikke", "ikke ikke ikke navn", "e- post", "-e-post-", "’’’", "IP-", "§", "(a", "1-", "§ 12345",
		"Vi lagrer navn\u2028og adresse\u0085.", "\x01\x02 e-post \x7f",
	} {
		f.Add([]byte(s), false)
		f.Add([]byte(s), true)
	}
	f.Fuzz(func(t *testing.T, data []byte, html bool) {
		name := "fuzz.txt"
		if html {
			name = "fuzz.html"
		}
		r, err := Draft([]Source{{Name: name, Text: data}})
		if err != nil {
			if bytes.IndexByte(data, 0) < 0 && len(data) <= MaxTextBytes {
				// only NUL bytes (also from UTF-16) or size make a text unreadable
				if !strings.Contains(err.Error(), "not text") && !strings.Contains(err.Error(), "UTF-16") {
					t.Fatalf("unexpected error: %v", err)
				}
			}
			return
		}
		lines := bytes.Count(data, []byte{'\n'}) + bytes.Count(data, []byte{'\r'}) + 1
		for _, c := range r.Categories {
			if c.Declared != (len(c.Evidence) > 0) || len(c.Evidence) > maxEvidence || len(c.Mentions) > maxEvidence {
				t.Fatalf("%s: inconsistent draft %+v", c.Category, c)
			}
			for _, e := range append(c.Evidence, c.Mentions...) {
				if e.Line < 1 || e.Line > lines || e.Term == "" {
					t.Fatalf("%s: evidence %+v (input has %d lines)", c.Category, e, lines)
				}
				if n := len([]rune(e.Quote)); n > maxQuote+200 {
					t.Fatalf("quote of %d characters", n)
				}
			}
		}
		out := r.YAML()
		var d yamlDeclaration
		if err := yaml.UnmarshalWithOptions(out, &d, yaml.DisallowUnknownField()); err != nil {
			t.Fatalf("YAML does not parse: %v\n%s", err, out)
		}
		if len(d.Declared) != len(r.Declared()) {
			t.Fatalf("YAML declares %d, draft %d", len(d.Declared), len(r.Declared()))
		}
		for _, c := range r.Declared() {
			if got, want := d.Declared[string(c)].Note, r.Category(c).Evidence[0].String(); got != want {
				t.Fatalf("%s: note %q, want %q", c, got, want)
			}
		}
	})
}

// BenchmarkDraft reads a policy of about 1 MB (the fixtures repeated).
func BenchmarkDraft(b *testing.B) {
	var text []byte
	for len(text) < 1<<20 {
		for _, fx := range []string{"nb_fjordbakst.txt", "sv_integritet.txt", "en_policy.txt", "nn_snippet.txt"} {
			text = append(text, readFixture(b, fx).Text...)
			text = append(text, "\n\n"...)
		}
	}
	src := []Source{{Name: "big.txt", Text: text}}
	b.SetBytes(int64(len(text)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Draft(src); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkDraftHTML reads the HTML fixture repeated to about 1 MB.
func BenchmarkDraftHTML(b *testing.B) {
	page := readFixture(b, "nb_kafe.html").Text
	text := bytes.Repeat(page, (1<<20)/len(page)+1)
	src := []Source{{Name: "big.html", Text: text}}
	b.SetBytes(int64(len(text)))
	for b.Loop() {
		if _, err := Draft(src); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkDraftPathological reads inputs built to defeat the reader's
// bounds: one 4 MB line without spaces, a wall of negated verbs, a
// Markdown heading of 4 MB, thousands of list items and an HTML paragraph
// over 100 000 source lines.
func BenchmarkDraftPathological(b *testing.B) {
	inputs := map[string]string{
		"nospace.txt":  strings.Repeat("navn.lagres.ikke.", 4<<20/17),
		"commas.txt":   strings.Repeat("lagres,ikke,navn,", 4<<20/17),
		"negated.txt":  strings.Repeat("navn lagres ikke ", 4<<20/17),
		"heading.txt":  "# " + strings.Repeat("navn lagres ikke ", 4<<20/17),
		"items.txt":    "Vi lagrer:\n" + strings.Repeat("• navn\n", 4<<20/7),
		"para.html":    "<p>" + strings.Repeat("navn\n", 100000) + "</p>",
		"wrapped.txt":  strings.Repeat("vi lagrer navn og\n", 4<<20/18),
		"abbr.txt":     strings.Repeat("f.eks. ", 4<<20/7),
		"markers.txt":  strings.Repeat("a)\n", 4<<20/3),
		"headings.txt": strings.Repeat("Hvilke opplysninger lagrer vi?\n", 4<<20/31),
	}
	for name, text := range inputs {
		b.Run(name, func(b *testing.B) {
			src := []Source{{Name: name, Text: []byte(text)}}
			b.SetBytes(int64(len(text)))
			for b.Loop() {
				if _, err := Draft(src); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
