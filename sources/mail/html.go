package mail

import (
	"bytes"
	"errors"
	"io"
	"strings"

	"golang.org/x/net/html"
)

// maxHTMLToken bounds the memory one HTML token takes (a text node, a tag
// with its attributes).
const maxHTMLToken = 1 << 20

// htmlText reads an HTML part as the text a mail reader shows: tags
// dropped, character references decoded ("912&nbsp;34&nbsp;567",
// "kari&#64;example.no"), a line per block (paragraph, line break, row,
// item), table cells separated by tabs, scripts and styles left out, and
// the addresses of mailto: and tel: links kept ("Send e-post" may hide
// one). Outlook writes bodies so, often with no plain-text alternative.
type htmlText struct {
	z    *html.Tokenizer
	out  []byte
	skip int // inside script or style
	done bool
	err  error
}

func newHTMLText(r io.Reader) *htmlText {
	z := html.NewTokenizer(r)
	z.SetMaxBuf(maxHTMLToken)
	return &htmlText{z: z}
}

// htmlBlocks are the elements that start a new line.
var htmlBlocks = map[string]bool{
	"p": true, "div": true, "br": true, "tr": true, "li": true, "h1": true, "h2": true, "h3": true, "h4": true,
	"h5": true, "h6": true, "table": true, "ul": true, "ol": true, "blockquote": true, "pre": true, "hr": true,
	"address": true, "dt": true, "dd": true, "section": true, "article": true, "header": true, "footer": true,
}

func (h *htmlText) Read(p []byte) (int, error) {
	for len(h.out) == 0 {
		if h.done {
			return 0, h.err
		}
		h.token()
	}
	n := copy(p, h.out)
	h.out = h.out[n:]
	if len(h.out) == 0 {
		h.out = h.out[:0:cap(h.out)]
	}
	return n, nil
}

// token reads one token.
func (h *htmlText) token() {
	switch h.z.Next() {
	case html.ErrorToken:
		h.done = true
		h.out = append(h.out, '\n')
		if err := h.z.Err(); err != io.EOF {
			if errors.Is(err, html.ErrBufferExceeded) {
				err = decodeError{errors.New("an HTML token longer than 1 MiB")}
			}
			h.err = err
		} else {
			h.err = io.EOF
		}
	case html.TextToken:
		if h.skip == 0 {
			h.out = append(h.out, bytes.ReplaceAll(h.z.Text(), []byte("\u00a0"), []byte(" "))...)
		}
	case html.StartTagToken, html.SelfClosingTagToken:
		name, hasAttr := h.z.TagName()
		tag := string(name)
		switch {
		case tag == "script" || tag == "style":
			if h.skip < 1<<20 {
				h.skip++
			}
		case tag == "td" || tag == "th":
			h.out = append(h.out, '\t')
		case htmlBlocks[tag]:
			h.out = append(h.out, '\n')
		case tag == "a" && hasAttr:
			for {
				k, v, more := h.z.TagAttr()
				if string(k) == "href" {
					if s := string(v); strings.HasPrefix(strings.ToLower(s), "mailto:") || strings.HasPrefix(strings.ToLower(s), "tel:") {
						h.out = append(h.out, ' ')
						h.out = append(h.out, s[strings.IndexByte(s, ':')+1:]...)
						h.out = append(h.out, ' ')
					}
				}
				if !more {
					break
				}
			}
		}
	case html.EndTagToken:
		name, _ := h.z.TagName()
		tag := string(name)
		switch {
		case tag == "script" || tag == "style":
			h.skip = max(h.skip-1, 0)
		case htmlBlocks[tag]:
			h.out = append(h.out, '\n')
		}
	}
}
