package declare

import (
	"bytes"
	"errors"
	"fmt"
	"path/filepath"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/net/html"
	"golang.org/x/text/encoding/charmap"
	xunicode "golang.org/x/text/encoding/unicode"
)

// mark says that the text from byte off on came from source line num.
type mark struct{ off, num int }

// line is one line of plain text with the source line(s) it came from. For a
// plain-text policy a line has one mark; a line made from an HTML paragraph
// has one per source line it spans.
type line struct {
	text  string
	marks []mark
}

// lineAt returns the source line of byte off (marks are sorted by off).
func lineAt(marks []mark, off int) int {
	k := sort.Search(len(marks), func(i int) bool { return marks[i].off > off })
	if k == 0 {
		return 0
	}
	return marks[k-1].num
}

// errBinary is returned for input that is not text.
var errBinary = errors.New("not text (it contains NUL bytes); give the policy as plain text or HTML, and extract the text of a PDF or DOCX first")

// decode turns raw bytes into UTF-8: a UTF-8 BOM is dropped, UTF-16 with a
// BOM is decoded, and anything that is not valid UTF-8 is read as
// Windows-1252 (which covers Latin-1), the usual encoding of old Nordic
// text files.
func decode(raw []byte) (string, error) {
	switch {
	case bytes.HasPrefix(raw, []byte{0xEF, 0xBB, 0xBF}):
		raw = raw[3:]
	case bytes.HasPrefix(raw, []byte{0xFF, 0xFE}), bytes.HasPrefix(raw, []byte{0xFE, 0xFF}):
		dec := xunicode.UTF16(xunicode.LittleEndian, xunicode.ExpectBOM).NewDecoder()
		out, err := dec.Bytes(raw)
		if err != nil {
			return "", fmt.Errorf("decode UTF-16: %w", err)
		}
		raw = out
	}
	if bytes.IndexByte(raw, 0) >= 0 {
		return "", errBinary
	}
	if utf8.Valid(raw) {
		return string(raw), nil
	}
	out, err := charmap.Windows1252.NewDecoder().Bytes(raw)
	if err != nil {
		return "", fmt.Errorf("decode Windows-1252: %w", err)
	}
	return string(out), nil
}

// looksHTML says whether a source is HTML: by its file name, or by a start
// that only HTML has.
func looksHTML(name, text string) bool {
	switch strings.ToLower(filepath.Ext(name)) {
	case ".html", ".htm", ".xhtml":
		return true
	case ".txt", ".md", ".text":
		return false
	}
	head := strings.TrimLeftFunc(text, unicode.IsSpace)
	if len(head) > 512 {
		head = head[:512]
	}
	head = strings.ToLower(head)
	for _, p := range []string{"<!doctype html", "<html", "<head", "<body", "<!--", "<meta", "<title", "<div", "<p>", "<p ", "<h1", "<h2", "<section", "<article", "<main", "<table", "<ul"} {
		if strings.HasPrefix(head, p) {
			return true
		}
	}
	return false
}

// plainLines splits text at \n, \r\n and \r.
func plainLines(text string) []line {
	var out []line
	num := 1
	for len(text) > 0 {
		i := strings.IndexAny(text, "\r\n")
		if i < 0 {
			out = append(out, line{text: text, marks: []mark{{0, num}}})
			break
		}
		out = append(out, line{text: text[:i], marks: []mark{{0, num}}})
		if text[i] == '\r' && i+1 < len(text) && text[i+1] == '\n' {
			i++
		}
		text = text[i+1:]
		num++
	}
	return out
}

// Elements whose content is not policy text.
var htmlSkip = map[string]bool{
	"script": true, "style": true, "noscript": true, "template": true, "svg": true, "math": true,
	"nav": true, "iframe": true, "object": true, "canvas": true, "button": true, "select": true,
	"option": true, "datalist": true, "textarea": true,
}

// Elements that start a new line.
var htmlBlock = map[string]bool{
	"p": true, "div": true, "br": true, "ul": true, "ol": true, "dl": true, "dt": true, "dd": true,
	"table": true, "tr": true, "td": true, "th": true, "thead": true, "tbody": true, "tfoot": true,
	"section": true, "article": true, "header": true, "footer": true, "main": true, "aside": true,
	"blockquote": true, "pre": true, "hr": true, "form": true, "figure": true, "figcaption": true,
	"address": true, "title": true, "body": true, "html": true, "head": true, "caption": true,
	"fieldset": true, "legend": true, "details": true, "summary": true, "label": true,
}

// htmlText collects the text of an HTML document as lines.
type htmlText struct {
	out   []line
	cur   strings.Builder
	marks []mark
	space bool // a space is owed before the next word
}

func (h *htmlText) flush() {
	if h.cur.Len() > 0 {
		h.out = append(h.out, line{text: h.cur.String(), marks: h.marks})
	}
	h.cur.Reset()
	h.marks = nil
	h.space = false
}

func (h *htmlText) blank() {
	h.flush()
	if n := len(h.out); n > 0 && h.out[n-1].text != "" {
		h.out = append(h.out, line{marks: []mark{{0, h.out[n-1].marks[0].num}}})
	}
}

// write adds text that started on source line num; newlines in it advance
// the line. pre keeps line breaks, otherwise white space collapses.
func (h *htmlText) write(text string, num int, pre bool) {
	for _, r := range text {
		switch {
		case r == '\n':
			if pre {
				h.flush()
			} else {
				h.space = true
			}
			num++
		case unicode.IsSpace(r):
			h.space = true
		default:
			if h.cur.Len() == 0 || len(h.marks) == 0 || h.marks[len(h.marks)-1].num != num {
				if h.space && h.cur.Len() > 0 {
					h.cur.WriteByte(' ')
				}
				h.space = false
				h.marks = append(h.marks, mark{h.cur.Len(), num})
			} else if h.space {
				h.cur.WriteByte(' ')
				h.space = false
			}
			h.cur.WriteRune(r)
		}
	}
}

// htmlLines turns HTML into lines of text: scripts, styles and navigation
// are dropped, entities decoded, block elements start new lines, headings
// stand alone between blank lines and list items start with a bullet, so
// that the plain-text reader sees the document's structure.
func htmlLines(src string) []line {
	z := html.NewTokenizer(strings.NewReader(src))
	var h htmlText
	num := 1
	skip, skipNest := "", 0
	pre := 0
	for {
		tt := z.Next()
		if tt == html.ErrorToken {
			break
		}
		raw := z.Raw()
		start := num
		num += bytes.Count(raw, []byte{'\n'})
		switch tt {
		case html.StartTagToken, html.EndTagToken, html.SelfClosingTagToken:
			nb, _ := z.TagName()
			name := string(nb)
			if skip != "" {
				if name == skip {
					switch tt {
					case html.StartTagToken:
						skipNest++
					case html.EndTagToken:
						skipNest--
						if skipNest == 0 {
							skip = ""
						}
					}
				}
				continue
			}
			if tt == html.StartTagToken && htmlSkip[name] {
				skip, skipNest = name, 1
				continue
			}
			switch {
			case len(name) == 2 && name[0] == 'h' && name[1] >= '1' && name[1] <= '6':
				h.blank()
			case name == "li":
				h.flush()
				if tt == html.StartTagToken {
					h.write("• ", start, false)
				}
			case name == "pre":
				h.flush()
				if tt == html.StartTagToken {
					pre++
				} else if pre > 0 {
					pre--
				}
			case name == "p":
				h.blank()
			case htmlBlock[name]:
				h.flush()
			}
		case html.TextToken:
			if skip != "" {
				continue
			}
			h.write(string(z.Text()), start, pre > 0)
		}
	}
	h.flush()
	return h.out
}
