package report

import (
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"golang.org/x/net/html"

	"github.com/piimap/piimap/scanner"
)

func renderHTML(t *testing.T, r *Report) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := RenderHTML(&buf, r); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// domNode is a parsed HTML node with helpers for the tests.
type domNode struct{ *html.Node }

func parseDOM(t *testing.T, data []byte) domNode {
	t.Helper()
	n, err := html.Parse(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	return domNode{n}
}

func (d domNode) attr(name string) (string, bool) {
	for _, a := range d.Attr {
		if a.Key == name {
			return a.Val, true
		}
	}
	return "", false
}

func (d domNode) hasClass(c string) bool {
	v, _ := d.attr("class")
	for _, f := range strings.Fields(v) {
		if f == c {
			return true
		}
	}
	return false
}

func (d domNode) text() string {
	var b strings.Builder
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.TextNode {
			b.WriteString(n.Data)
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(d.Node)
	return b.String()
}

// all returns the elements with tag (any tag when "") for which keep is true.
func (d domNode) all(tag string, keep func(domNode) bool) []domNode {
	var out []domNode
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode && (tag == "" || n.Data == tag) && (keep == nil || keep(domNode{n})) {
			out = append(out, domNode{n})
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(d.Node)
	return out
}

func (d domNode) byID(id string) (domNode, bool) {
	els := d.all("", func(n domNode) bool { v, _ := n.attr("id"); return v == id })
	if len(els) == 0 {
		return domNode{}, false
	}
	return els[0], true
}

func cspHashOf(s string) string {
	sum := sha256.Sum256([]byte(s))
	return "'sha256-" + base64.StdEncoding.EncodeToString(sum[:]) + "'"
}

// externalRef finds URLs with a network scheme where a page would load them.
var externalRef = regexp.MustCompile(`(?i)(?:src|href|action|poster|data)\s*=\s*["']?\s*(?:https?:|ftp:|ws:|wss:)?//|url\(\s*["']?\s*(?:https?:)?//|@import`)

func TestHTMLSelfContainedAndEscaped(t *testing.T) {
	r := sampleReport(t, Options{})
	out := renderHTML(t, r)
	doc := parseDOM(t, out)

	// A strict CSP whose hashes allow exactly the inline style and script.
	metas := doc.all("meta", func(n domNode) bool {
		v, _ := n.attr("http-equiv")
		return strings.EqualFold(v, "Content-Security-Policy")
	})
	if len(metas) != 1 {
		t.Fatalf("%d CSP meta tags", len(metas))
	}
	csp, _ := metas[0].attr("content")
	styles, scripts := doc.all("style", nil), doc.all("script", nil)
	if len(styles) != 1 || len(scripts) != 1 {
		t.Fatalf("%d style and %d script elements, want one each", len(styles), len(scripts))
	}
	for _, want := range []string{"default-src 'none'", "style-src " + cspHashOf(styles[0].text()), "script-src " + cspHashOf(scripts[0].text())} {
		if !strings.Contains(csp, want) {
			t.Errorf("CSP %q lacks %q", csp, want)
		}
	}
	if strings.Contains(csp, "unsafe") || strings.Contains(csp, "http") {
		t.Errorf("CSP %q is not strict", csp)
	}
	for _, bad := range []string{`<img src="https://x/y.png">`, `<link href='//cdn.example/x.css'>`, `a{background:url( http://x/y)}`, `@import "x.css";`} {
		if !externalRef.MatchString(bad) {
			t.Fatalf("the external-reference check misses %s", bad)
		}
	}
	if m := externalRef.Find(out); m != nil {
		t.Errorf("external reference in the HTML: %q", m)
	}
	if len(doc.all("", func(n domNode) bool { _, ok := n.attr("style"); return ok })) > 0 {
		t.Error("inline style attributes (not covered by the CSP hash)")
	}
	if len(doc.all("", func(n domNode) bool {
		for _, a := range n.Attr {
			if strings.HasPrefix(a.Key, "on") {
				return true
			}
		}
		return false
	})) > 0 {
		t.Error("inline event handlers (blocked by the CSP)")
	}

	// Escaping: the hostile path is text, never markup.
	if bytes.Contains(out, []byte("<script>alert(1)")) {
		t.Error("unescaped markup from a location")
	}
	var found bool
	for _, td := range doc.all("td", func(n domNode) bool { return n.hasClass("loc") }) {
		found = found || strings.Contains(td.text(), "<script>alert(1)</script>|=HYPERLINK")
	}
	if !found {
		t.Error("the hostile location is not shown as text")
	}

	// The grid: one coloured cell per finding with its verdict and count, on
	// a field row, or on the resource row for findings without a field.
	cells := doc.all("td", func(n domNode) bool { return n.hasClass("cell") })
	for _, f := range r.Findings {
		var hit bool
		for _, c := range cells {
			loc, _ := c.attr("data-loc")
			cat, _ := c.attr("data-category")
			v, _ := c.attr("data-verdict")
			if loc == f.Location && cat == f.Category {
				hit = true
				if v != f.Verdict || !c.hasClass("v-"+f.Verdict) || !strings.HasPrefix(c.text(), strconv.FormatInt(f.Count, 10)) {
					t.Errorf("cell %s %s: verdict %s, text %q; want %s, %d", f.Location, f.Category, v, c.text(), f.Verdict, f.Count)
				}
			}
		}
		if !hit {
			t.Errorf("no map cell for %s %s", f.Location, f.Category)
		}
	}
	// Resource rows sum their fields and take the worst verdict.
	for _, c := range cells {
		if loc, _ := c.attr("data-loc"); loc == "postgres://db.example:5432/shop/public.customers" {
			cat, _ := c.attr("data-category")
			if cat == "email" && (c.text() != "980Dh" || !c.hasClass("v-declared") || !c.hasClass("conf-high")) {
				t.Errorf("table row email cell %q", c.text())
			}
		}
	}
	// Sections.
	for _, id := range []string{"summary", "map", "notfound", "unread", "list", "findings", "filter-text", "filter-verdict", "selftest-result"} {
		if _, ok := doc.byID(id); !ok {
			t.Errorf("no #%s", id)
		}
	}
	nf, _ := doc.byID("notfound")
	if !strings.Contains(nf.text(), "date_of_birth") || !strings.Contains(nf.text(), "§2: fødselsdato") {
		t.Errorf("not-found section: %q", nf.text())
	}
	ur, _ := doc.byID("unread")
	if !strings.Contains(ur.text(), "logs/old.log.gz") || !strings.Contains(ur.text(), "tablesample system") || !strings.Contains(ur.text(), "1 binary") {
		t.Errorf("unread section: %q", ur.text())
	}
	rows := doc.all("tr", func(n domNode) bool { _, ok := n.attr("data-verdict"); return ok })
	if len(rows) != len(r.Findings) {
		t.Errorf("%d findings rows, want %d", len(rows), len(r.Findings))
	}
}

func TestHTMLEmptyReport(t *testing.T) {
	r := Build(&scanner.Result{}, nil, Options{})
	doc := parseDOM(t, renderHTML(t, r))
	m, _ := doc.byID("map")
	if !strings.Contains(m.text(), "No personal data found") {
		t.Errorf("empty map section: %q", m.text())
	}
}
