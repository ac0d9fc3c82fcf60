package sources

import (
	"bytes"
	"strings"
	"unicode/utf16"
	"unicode/utf8"
)

// JSONMaxDepth is how many levels of nesting JSONKeyAt follows; deeper
// levels are passed over and do not appear in the path.
const JSONMaxDepth = 32

type jsonFrame struct {
	obj        bool
	hasKey     bool // obj: the current member's key is known
	afterColon bool // obj: the position is in the member's value
	keyStart   int  // obj: the raw key is line[keyStart:keyEnd], without quotes
	keyEnd     int
}

// JSONKeyAt returns the key path of the JSON value that contains byte offset
// pos of line, one JSON document on one line (a JSON-lines log record).
//
// Object members are joined with ".", and array elements are written "[]"
// without their index, so that every element reports the same field:
//
//	{"user":{"email":"a@b.no"}}            → "user.email"
//	{"items":[{"tlf":"99999999"}]}         → "items[].tlf"
//	[{"fnr":"…"}]                          → "[].fnr"
//	{"m":[[1,2]]}                          → "m[][]"
//
// Keys are unescaped ("f\u00f8dt" → "født"). A key written like a value
// (DataLike: an e-mail address, a number, a date, a version, a UUID) is a
// dynamic key, an id or a datum rather than a name, and is written "*",
// so that a location never carries a value and the values under a map of
// ids report one field:
//
//	{"users":{"kari@example.no":{"tlf":"…"}}}  → "users.*.tlf"
//	{"versions":{"2.6.1":{"author":"…"}}}       → "versions.*.author"
//
// An offset inside a key, or in
// the space around a top-level value, gets the path of the enclosing object
// (a key is never part of its own path: keys can be data). "" means the top
// level or a position outside line.
//
// It is tolerant of invalid and truncated JSON (it never fails, it does its
// best), it reads line[:pos] once (O(pos), no recursion), and the returned
// string is its only allocation.
func JSONKeyAt(line []byte, pos int) string {
	var r JSONKeyReader
	r.Reset(line)
	return r.At(pos)
}

// JSONKeyReader gives the key paths of positions in one JSON line as
// JSONKeyAt does, reading on from the last position asked for: positions
// asked for in increasing order cost one pass over the line in all, where
// JSONKeyAt reads from the line's start for each (a one-line document of
// many values). The zero value is a reader of an empty line.
type JSONKeyReader struct {
	line   []byte
	frames [JSONMaxDepth]jsonFrame
	depth  int // may exceed JSONMaxDepth; frames beyond it are not tracked
	next   int // line[:next] is read into frames and depth, never ending inside a string
}

// Reset starts reading line.
func (r *JSONKeyReader) Reset(line []byte) { r.line, r.depth, r.next = line, 0, 0 }

// At returns the key path of the value that contains line[pos] (see
// JSONKeyAt).
func (r *JSONKeyReader) At(pos int) string {
	line := r.line
	if pos < 0 || pos >= len(line) {
		return ""
	}
	if pos < r.next {
		r.depth, r.next = 0, 0 // behind: read again from the start
	}
	top := func() *jsonFrame {
		if r.depth == 0 || r.depth > JSONMaxDepth {
			return nil
		}
		return &r.frames[r.depth-1]
	}
	inKey := false
	i := r.next
	for ; i < pos; i++ {
		if !jsonStructural[line[i]] {
			continue
		}
		switch line[i] {
		case '"':
			// Find the closing quote: the first '"' preceded by an even
			// number of backslashes.
			start := i + 1
			end := -1
			for j := start; j < len(line); {
				k := bytes.IndexByte(line[j:], '"')
				if k < 0 {
					break
				}
				q := j + k
				bs := 0
				for b := q - 1; b >= start && line[b] == '\\'; b-- {
					bs++
				}
				if bs%2 == 0 {
					end = q
					break
				}
				j = q + 1
			}
			f := top()
			isKey := f != nil && f.obj && !f.afterColon
			if end < 0 || end >= pos {
				// pos is inside this string: the state stays before it.
				inKey = isKey
				r.next = i
				return r.path(pos, inKey)
			}
			if isKey {
				f.hasKey, f.keyStart, f.keyEnd = true, start, end
			}
			i = end
		case '{', '[':
			if r.depth < JSONMaxDepth {
				r.frames[r.depth] = jsonFrame{obj: line[i] == '{'}
			}
			r.depth++
		case '}', ']':
			if r.depth > 0 {
				r.depth--
			}
		case ':':
			if f := top(); f != nil && f.obj {
				f.afterColon = true
			}
		case ',':
			if f := top(); f != nil && f.obj {
				f.afterColon, f.hasKey = false, false
			}
		}
	}
	r.next = i
	return r.path(pos, inKey)
}

// path is the key path of line[pos] from the frames read so far.
func (r *JSONKeyReader) path(pos int, inKey bool) string {
	n := min(r.depth, JSONMaxDepth)
	if c := r.line[pos]; !inKey && n > 0 && (c == '}' || c == ']') && r.depth <= JSONMaxDepth {
		// A closing bracket belongs to its container, not to the last member.
		n--
	}
	return jsonPath(r.line, r.frames[:n])
}

// jsonStructural marks the bytes JSONKeyAt acts on.
var jsonStructural = [256]bool{'"': true, '{': true, '[': true, '}': true, ']': true, ':': true, ',': true}

// jsonPath joins the path segments of frames with one allocation.
func jsonPath(line []byte, frames []jsonFrame) string {
	size := 0
	for i := range frames {
		f := &frames[i]
		if !f.obj {
			size += 2
		} else if f.hasKey && f.afterColon {
			size += 1 + f.keyEnd - f.keyStart
		}
	}
	if size == 0 {
		return ""
	}
	var b strings.Builder
	b.Grow(size) // unescaping never lengthens a key
	for i := range frames {
		f := &frames[i]
		if !f.obj {
			b.WriteString("[]")
			continue
		}
		if !f.hasKey || !f.afterColon {
			continue
		}
		if b.Len() > 0 {
			b.WriteByte('.')
		}
		if k := line[f.keyStart:f.keyEnd]; dynamicKey(k) {
			b.WriteByte('*')
		} else {
			writeJSONKey(&b, k)
		}
	}
	return b.String()
}

// dynamicKey reports whether the raw (escaped) key k is written like a
// value (DataLike): an id, a version, a date or an address used as a key.
func dynamicKey(k []byte) bool {
	if bytes.IndexByte(k, '\\') < 0 {
		return DataLike(k)
	}
	var b strings.Builder
	writeJSONKey(&b, k)
	return DataLike([]byte(b.String()))
}

// writeJSONKey writes the raw (escaped) key k unescaped. Bad escapes are
// written as they are; invalid UTF-8 becomes U+FFFD.
func writeJSONKey(b *strings.Builder, k []byte) {
	for len(k) > 0 {
		i := bytes.IndexByte(k, '\\')
		if i < 0 {
			writeUTF8(b, k)
			return
		}
		writeUTF8(b, k[:i])
		k = k[i:]
		if len(k) < 2 {
			b.Write(k)
			return
		}
		switch c := k[1]; c {
		case '"', '\\', '/':
			b.WriteByte(c)
			k = k[2:]
		case 'b':
			b.WriteByte('\b')
			k = k[2:]
		case 'f':
			b.WriteByte('\f')
			k = k[2:]
		case 'n':
			b.WriteByte('\n')
			k = k[2:]
		case 'r':
			b.WriteByte('\r')
			k = k[2:]
		case 't':
			b.WriteByte('\t')
			k = k[2:]
		case 'u':
			r, ok := hex4(k[2:])
			if !ok {
				b.Write(k[:2])
				k = k[2:]
				continue
			}
			k = k[6:]
			if utf16.IsSurrogate(r) {
				if len(k) >= 6 && k[0] == '\\' && k[1] == 'u' {
					if r2, ok := hex4(k[2:]); ok {
						if d := utf16.DecodeRune(r, r2); d != utf8.RuneError {
							b.WriteRune(d)
							k = k[6:]
							continue
						}
					}
				}
				r = utf8.RuneError
			}
			b.WriteRune(r)
		default:
			b.Write(k[:2])
			k = k[2:]
		}
	}
}

// writeUTF8 writes s with invalid bytes replaced by U+FFFD, as encoding/json
// decodes them.
func writeUTF8(b *strings.Builder, s []byte) {
	if utf8.Valid(s) {
		b.Write(s)
		return
	}
	for len(s) > 0 {
		r, w := utf8.DecodeRune(s)
		if r == utf8.RuneError && w == 1 {
			b.WriteRune(utf8.RuneError)
		} else {
			b.Write(s[:w])
		}
		s = s[w:]
	}
}

func hex4(k []byte) (rune, bool) {
	if len(k) < 4 {
		return 0, false
	}
	var r rune
	for _, c := range k[:4] {
		switch {
		case c >= '0' && c <= '9':
			c -= '0'
		case c >= 'a' && c <= 'f':
			c = c - 'a' + 10
		case c >= 'A' && c <= 'F':
			c = c - 'A' + 10
		default:
			return 0, false
		}
		r = r<<4 | rune(c)
	}
	return r, true
}
