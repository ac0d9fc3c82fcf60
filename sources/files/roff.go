package files

import (
	"bufio"
	"bytes"
	"errors"
	"io"
	"strconv"
	"unicode/utf8"

	"github.com/piimap/piimap/internal/pump"
)

// RoffText reads roff (man pages: man and mdoc macros) as text for the
// detectors: escapes decoded, so that what they split is whole again
// ("kzak\(atredhat.com", "matthias@tenstral\&.net", "dest\-unreach.org"),
// font and size changes dropped ("\fBkari\fR"), the arguments of macros
// read as text (".BR kari@ example.no" joins them, as roff prints them),
// comments read as text (the authors' addresses are often there), and the
// other requests (.ft, .sp, .ds) dropped. Each source line gives one line,
// so that a finding's line is the file's. It reads a line at a time in
// bounded memory: a line longer than the buffer (textBufSize) is read in
// parts.
func RoffText(r io.Reader) io.Reader {
	return &roffText{r: bufio.NewReaderSize(r, textBufSize), start: true}
}

type roffText struct {
	r *bufio.Reader
	pump.Buffer
	start bool // the next byte starts a line
	args  [][]byte
}

func (t *roffText) Read(p []byte) (int, error) { return t.Buffer.Read(p, t.step) }

// step converts lines until 8 KiB of text are out.
func (t *roffText) step() {
	for len(t.Out) < 8<<10 {
		line, err := t.r.ReadSlice('\n')
		if len(line) > 0 {
			t.line(line)
			t.start = line[len(line)-1] == '\n'
		}
		if err != nil && !errors.Is(err, bufio.ErrBufferFull) {
			t.Done = true
			if err != io.EOF {
				t.Err = err
			}
			return
		}
	}
}

// line converts one line, or a part of one (t.start: it starts a line).
func (t *roffText) line(line []byte) {
	body, nl := line, false
	if n := len(body); n > 0 && body[n-1] == '\n' {
		body, nl = body[:n-1], true
	}
	if t.start && len(body) > 0 && (body[0] == '.' || body[0] == '\'') {
		t.request(body[1:])
	} else {
		t.Out = roffDecode(t.Out, body)
	}
	if nl {
		t.Out = append(t.Out, '\n')
	}
}

// request converts a request or macro line (without its '.'): a
// comment's text, a macro's arguments; other requests give nothing.
func (t *roffText) request(b []byte) {
	b = bytes.TrimLeft(b, " \t")
	if bytes.HasPrefix(b, []byte(`\"`)) || bytes.HasPrefix(b, []byte(`\#`)) {
		t.Out = roffDecode(t.Out, b[2:]) // a comment
		return
	}
	i := 0
	for i < len(b) && b[i] != ' ' && b[i] != '\t' {
		i++
	}
	name := b[:i]
	switch string(name) {
	case "if", "ie", "el":
		t.conditional(b[i:], string(name) != "el")
		return
	}
	if len(name) == 0 || name[0] < 'A' || name[0] > 'Z' {
		return // a request (.ft, .sp, .ds …), or an escape
	}
	// Alternating font macros print their arguments without spaces.
	joined := len(name) == 2 && bytes.IndexByte([]byte("BIR"), name[0]) >= 0 && bytes.IndexByte([]byte("BIR"), name[1]) >= 0 && name[0] != name[1]
	t.args = roffArgs(t.args[:0], b[i:])
	for k, a := range t.args {
		if k > 0 && !joined {
			t.Out = append(t.Out, ' ')
		}
		t.Out = roffDecode(t.Out, a)
	}
}

// conditional converts the body of .if, .ie (after their condition, cond)
// and .el: text, or a request (".if n .ds lq \"\"", ".if !'po4a'hide' Kari
// (kari@example.no)."), read whatever the condition says.
func (t *roffText) conditional(b []byte, cond bool) {
	b = bytes.TrimLeft(b, " \t")
	if cond {
		if len(b) > 0 && b[0] == '!' {
			b = b[1:]
		}
		switch {
		case len(b) == 0:
		case b[0] == '\'' || b[0] == '"' || b[0] == '|' || b[0] == '/':
			// A string comparison: 'a'b'.
			d, k := b[0], 1
			for n := 0; k < len(b) && n < 2; k++ {
				if b[k] == d {
					n++
				}
			}
			b = b[k:]
		default:
			i := 0
			for i < len(b) && b[i] != ' ' && b[i] != '\t' {
				i++
			}
			b = b[i:]
		}
		b = bytes.TrimLeft(b, " \t")
	}
	b = bytes.TrimPrefix(b, []byte(`\{`))
	b = bytes.TrimLeft(b, " \t")
	if len(b) > 0 && (b[0] == '.' || b[0] == '\'') {
		t.request(b[1:])
		return
	}
	t.Out = roffDecode(t.Out, b)
}

// roffArgs splits a macro's arguments: separated by spaces, or quoted
// ("two words", with "" for a quote).
func roffArgs(args [][]byte, b []byte) [][]byte {
	for {
		b = bytes.TrimLeft(b, " \t")
		if len(b) == 0 {
			return args
		}
		if b[0] != '"' {
			i := 0
			for i < len(b) && b[i] != ' ' && b[i] != '\t' {
				if b[i] == '\\' && i+1 < len(b) {
					i++ // an escaped space does not end the argument
				}
				i++
			}
			args, b = append(args, b[:i]), b[i:]
			continue
		}
		i, doubled := 1, false
		for i < len(b) {
			if b[i] == '"' {
				if i+1 < len(b) && b[i+1] == '"' {
					i += 2
					doubled = true
					continue
				}
				break
			}
			i++
		}
		arg := b[1:i]
		if doubled { // a copy only for an argument with a quote in it
			arg = bytes.ReplaceAll(arg, []byte(`""`), []byte(`"`))
		}
		args = append(args, arg)
		if i < len(b) {
			i++
		}
		b = b[i:]
	}
}

// roffGlyphs are the special characters (\(xx, \[name]) that stand for
// what detectors read; the others are dropped.
var roffGlyphs = map[string]string{
	"at": "@", "dq": `"`, "aq": "'", "lq": `"`, "rq": `"`, "oq": "'", "cq": "'", "em": "-", "en": "-",
	"hy": "-", "mi": "-", "pl": "+", "sl": "/", "rs": `\`, "ti": "~", "ha": "^", "ul": "_", "ba": "|",
	"bv": "|", "co": "©", "rg": "®", "bu": "•", "de": "°", "mu": "×", "fo": "<", "fc": ">", "Fo": "«",
	"Fc": "»", "/o": "ø", "/O": "Ø", "ao": "å", "oA": "Å", "ae": "æ", "AE": "Æ", ":a": "ä", ":o": "ö",
	":u": "ü", ":A": "Ä", ":O": "Ö", ":U": "Ü", "'e": "é", "ss": "ß", "tm": "™", "lA": "<=", "rA": "=>",
	"<-": "<-", "->": "->", "eq": "=", "pc": "·", "nb": "", "zw": "",
}

// roffDecode appends b with its escapes decoded to out.
func roffDecode(out, b []byte) []byte {
	for len(b) > 0 {
		i := bytes.IndexByte(b, '\\')
		if i < 0 {
			return append(out, b...)
		}
		out = append(out, b[:i]...)
		b = b[i+1:]
		if len(b) == 0 {
			return out // a continuation: the line goes on
		}
		c := b[0]
		b = b[1:]
		switch c {
		case '&', ')', '%', ':', '|', '^', ',', '/', 'c', 'd', 'u', 'r', 'p', 'a', 't', 'z', '!', '{', '}':
			// zero-width, hyphenation points, motions: nothing
		case '-':
			out = append(out, '-')
		case 'e', '\\':
			out = append(out, '\\')
		case ' ', '~', '0':
			out = append(out, ' ')
		case '"', '#':
			// A comment to the end of the line: its text is read too.
			out = append(out, ' ')
		case '(':
			if len(b) >= 2 {
				out = append(out, roffGlyphs[string(b[:2])]...)
				b = b[2:]
			} else {
				b = nil
			}
		case '[':
			name, rest := roffBracket(b)
			b = rest
			out = roffNamed(out, name)
		case 'f', 's', '*', 'n', 'F', 'm', 'M', 'g', 'k', 'Y', 'V':
			// Fonts, sizes, strings, registers, colours: a name of
			// one character, (xx or [name]; sizes also ±N.
			if c == 's' && len(b) > 0 && (b[0] == '+' || b[0] == '-') {
				b = b[1:]
			}
			if c == 'n' && len(b) > 0 && (b[0] == '+' || b[0] == '-') {
				b = b[1:]
			}
			switch {
			case len(b) == 0:
			case b[0] == '(':
				b = b[min(3, len(b)):]
			case b[0] == '[':
				_, b = roffBracket(b[1:])
			case c == 's':
				for len(b) > 0 && b[0] >= '0' && b[0] <= '9' {
					b = b[1:]
				}
			default:
				b = b[1:]
			}
		case 'h', 'v', 'w', 'o', 'l', 'L', 'D', 'X', 'b', 'x', 'Z', 'A', 'B', 'C', 'N', 'R', 'S', 'H', 'j':
			// An argument in delimiters (\h'1m', \N'65'): dropped,
			// except a character by its code.
			if len(b) == 0 {
				break
			}
			d := b[0]
			end := bytes.IndexByte(b[1:], d)
			if end < 0 {
				b = nil
				break
			}
			arg := b[1 : 1+end]
			b = b[2+end:]
			if c == 'N' {
				if n, err := strconv.Atoi(string(arg)); err == nil && n > 0 && n < 0x110000 {
					out = utf8.AppendRune(out, rune(n))
				}
			}
		default:
			out = append(out, c) // \. \' \` and escaped characters
		}
	}
	return out
}

// roffBracket returns the name of a [name] escape (b starts after '[')
// and what follows it; an unclosed bracket takes the rest.
func roffBracket(b []byte) (name, rest []byte) {
	i := bytes.IndexByte(b, ']')
	if i < 0 {
		return b, nil
	}
	return b[:i], b[i+1:]
}

// roffNamed appends the glyph \[name] stands for: \[at], \[u00F8].
func roffNamed(out, name []byte) []byte {
	if g, ok := roffGlyphs[string(name)]; ok {
		return append(out, g...)
	}
	if len(name) >= 5 && name[0] == 'u' {
		if n, err := strconv.ParseUint(string(name[1:]), 16, 32); err == nil && n < 0x110000 {
			return utf8.AppendRune(out, rune(n))
		}
	}
	return out
}
