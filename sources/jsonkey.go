package sources

import (
	"bytes"
	"encoding/binary"
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
	keyStart   int  // obj: the raw key is line[keyStart:keyEnd], without quotes; -1: it is ownKey
	keyEnd     int
	ownKey     []byte // obj, keyStart -1: the raw key, read before the line (JSONState)
}

// rawKey returns the frame's raw (escaped) key.
func (f *jsonFrame) rawKey(line []byte) []byte {
	if f.keyStart < 0 {
		return f.ownKey
	}
	return line[f.keyStart:f.keyEnd]
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
	seed   *JSONState
	// The end of the string whose content starts at memoStart (-1: none):
	// positions inside one long string are asked for again and again.
	memoStart, memoEnd int
	// each, when set, receives the member values advance reads that start
	// at or after eachFrom and before eachTo (EachValue, OnValue), and
	// after valHi: the end of the last string read past while it was set.
	each             func(key []byte, s, e int)
	eachFrom, eachTo int
	valHi            int
	// cps (SetCheckpoints) keeps the state now and then, outside strings.
	cps checkpoints[JSONState]
	// pc keeps the key paths built (cachedPath).
	pc pathCache
	// onString, when set (OnString), receives each string advance reads
	// past, from recHi on: what Span gives inside it.
	onString func(lo, hi int, path string)
	recHi    int
}

// OnString makes the reader tell fn, as it reads past each string of the
// line that is not an object's key, what Span would give for the
// positions inside it: the string's content starts at lo, hi is one past
// its closing quote, and path is its key path. A string is told once
// however often the reader goes back over it; the one the line starts in
// is not. (Keys are not told: a key path costs its building, and values,
// not keys, are what the detectors ask about.) Readers of the same line by
// several detectors can then share one reading (the scanner keeps the
// spans).
func (r *JSONKeyReader) OnString(fn func(lo, hi int, path string)) { r.onString = fn }

// JSONState is where a JSON document stands at a position: the containers
// open there, with their keys, and whether the position is inside a string.
// A JSONKeyReader started there (ResetState) gives the key paths that a
// reader of the whole document gives, so that a document cut into chunks
// is read chunk by chunk. The zero value is the top level, outside any
// value.
type JSONState struct {
	frames []jsonFrame // their keys owned (keyStart -1)
	depth  int
	str    bool   // inside a string, its opening quote before the position
	strKey bool   // str: the string is an object's key, key its raw bytes so far
	esc    bool   // str: the string's content so far ends in an unpaired backslash
	key    []byte // strKey: at most jsonMaxKey+1 bytes
}

// jsonMaxKey is the longest key a path spells out: a longer one is data
// (written "*"), and a JSONState keeps at most jsonMaxKey+1 bytes of a key,
// so that its memory is bounded whatever the document.
const jsonMaxKey = 1 << 10

// capKey returns k cut to jsonMaxKey+1 bytes: long enough to be written
// "*", as the whole key would be.
func capKey(k []byte) []byte { return k[:min(len(k), jsonMaxKey+1)] }

// Reset starts reading line.
func (r *JSONKeyReader) Reset(line []byte) { r.ResetState(line, nil) }

// ResetState starts reading line, whose first byte follows a document's
// part that left st (nil: the top level). The reader keeps st, which must
// not change while it reads line.
func (r *JSONKeyReader) ResetState(line []byte, st *JSONState) {
	r.line, r.seed = line, st
	r.memoStart = -1
	r.recHi, r.valHi = 0, 0
	r.cps.reset()
	r.restart()
}

// SetCheckpoints makes the reader keep its state every bytes of the line
// (0: never), so that positions asked for out of order cost a read from
// the nearest checkpoint: a long line read by several detectors, each in
// its own order.
func (r *JSONKeyReader) SetCheckpoints(every int) { r.cps.every = every }

// restart goes back to the line's start.
func (r *JSONKeyReader) restart() {
	r.next, r.depth = 0, 0
	if st := r.seed; st != nil {
		r.depth = st.depth
		copy(r.frames[:], st.frames)
	}
}

// rewind goes back to the last checkpoint at or before pos, or to the
// line's start.
func (r *JSONKeyReader) rewind(pos int) {
	cp := r.cps.before(pos + 1)
	if cp == nil {
		r.restart()
		return
	}
	r.next, r.depth = cp.off, cp.st.depth
	copy(r.frames[:], cp.st.frames)
}

// At returns the key path of the value that contains line[pos] (see
// JSONKeyAt).
func (r *JSONKeyReader) At(pos int) string {
	if pos < 0 || pos >= len(r.line) {
		return ""
	}
	strStart, _ := r.advance(pos)
	return r.path(pos, strStart >= 0)
}

// Span returns the key path at line[pos] as At does, and the positions
// [lo, hi) around pos that have the same path: the whole of a string
// (content and closing quote), or pos alone.
func (r *JSONKeyReader) Span(pos int) (path string, lo, hi int) {
	if pos < 0 || pos >= len(r.line) {
		return "", pos, pos + 1
	}
	strStart, _ := r.advance(pos)
	lo, hi = pos, pos+1
	if strStart >= 0 {
		lo, hi = strStart, len(r.line)
		if r.memoStart == strStart && r.memoEnd >= 0 {
			hi = r.memoEnd + 1
		}
	}
	return r.path(pos, strStart >= 0), lo, hi
}

// advance reads the line up to pos. Afterwards line[:r.next] is read, and
// r.next < pos only when pos is inside a string: one that opens at r.next
// (strStart r.next+1), or the string the line starts in (strStart 0, the
// seed's). strStart is -1 when pos is not inside a string.
func (r *JSONKeyReader) advance(pos int) (strStart int, inKey bool) {
	line := r.line
	if pos < r.next {
		r.rewind(pos) // behind
	}
	top := func() *jsonFrame {
		if r.depth == 0 || r.depth > JSONMaxDepth {
			return nil
		}
		return &r.frames[r.depth-1]
	}
	i := r.next
	if i == 0 && r.seed != nil && r.seed.str {
		// The line starts inside a string.
		st := r.seed
		end := r.stringEnd(0, st.esc)
		if end < 0 || end >= pos {
			return 0, st.strKey
		}
		if f := top(); st.strKey && f != nil && f.obj && !f.afterColon {
			k := append(append(make([]byte, 0, min(len(st.key)+end, jsonMaxKey+1)), st.key...), capKey(line[:end])...)
			f.hasKey, f.keyStart, f.ownKey = true, -1, capKey(k)
		}
		i = end + 1
	}
	for ; i < pos; i++ {
		if !jsonStructural[line[i]] {
			continue
		}
		if r.cps.due(i) {
			cp := r.cps.slot(i)
			cp.frames = append(cp.frames[:0], r.frames[:min(r.depth, JSONMaxDepth)]...)
			cp.depth = r.depth
		}
		switch line[i] {
		case '"':
			start := i + 1
			end := r.stringEnd(start, false)
			f := top()
			isKey := f != nil && f.obj && !f.afterColon
			if end < 0 || end >= pos {
				// pos is inside this string: the state stays before it.
				r.next = i
				return start, isKey
			}
			if r.onString != nil && start >= r.recHi && !isKey {
				r.onString(start, end+1, r.cachedPath(r.frames[:min(r.depth, JSONMaxDepth)]))
				r.recHi = end + 1
			}
			if isKey {
				f.hasKey, f.keyStart, f.keyEnd = true, start, end
			} else if r.each != nil && i >= r.valHi && i >= r.eachFrom && i < r.eachTo && f != nil && f.obj && f.hasKey && f.afterColon && line[end] == '"' {
				r.each(f.rawKey(line), start, end)
			}
			if r.each != nil {
				r.valHi = max(r.valHi, end+1)
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
	return -1, false
}

// EachValue reads the whole line and calls fn for every string that is an
// object member's value (not a key, not an array's element) and whose
// opening quote is in line[from:to]: key is the member's raw key, and
// line[s:e] the string's raw content. During fn, CurrentPath is the
// string's key path. An unterminated string is not a value.
func (r *JSONKeyReader) EachValue(from, to int, fn func(key []byte, s, e int)) {
	r.each, r.eachFrom, r.eachTo = fn, from, to
	r.advance(len(r.line))
	r.each = nil
}

// OnValue makes the reader call fn, as it reads past them, for the member
// values EachValue would call it for (those whose opening quote is in
// line[from:to]), each once however often the reader goes back over it;
// a nil fn stops it. Readers asked for key paths (At, Span) then tell the
// values they read past, and ReadRest the rest: one reading of a line for
// both.
func (r *JSONKeyReader) OnValue(fn func(key []byte, s, e int), from, to int) {
	r.each, r.eachFrom, r.eachTo = fn, from, to
}

// ReadRest reads on to the line's end from the furthest string read past
// since OnValue (from its nearest checkpoint, when the reader went back),
// so that OnValue's fn has been called for every value.
func (r *JSONKeyReader) ReadRest() {
	if cp := r.cps.before(r.valHi); cp != nil && cp.off > r.next {
		r.next, r.depth = cp.off, cp.st.depth
		copy(r.frames[:], cp.st.frames)
	}
	r.advance(len(r.line))
}

// CurrentPath returns the key path of the value being read: during
// EachValue's and OnValue's fn, the string's.
func (r *JSONKeyReader) CurrentPath() string {
	return r.cachedPath(r.frames[:min(r.depth, JSONMaxDepth)])
}

// UnescapeJSON returns the raw content of a JSON string with its escapes
// decoded; invalid UTF-8 becomes U+FFFD.
func UnescapeJSON(raw []byte) string {
	if bytes.IndexByte(raw, '\\') < 0 {
		return string(raw)
	}
	var b strings.Builder
	writeJSONKey(&b, raw)
	return b.String()
}

// StateAt sets st to the state at line[pos] (0 ≤ pos ≤ len(line)): where a
// reader of the line that follows line[:pos] starts (ResetState). st's
// storage is reused; it must not be the reader's own seed.
func (r *JSONKeyReader) StateAt(pos int, st *JSONState) {
	pos = max(0, min(pos, len(r.line)))
	strStart, inKey := r.advance(pos)
	line := r.line
	n := min(r.depth, JSONMaxDepth)
	st.depth = r.depth
	st.frames = append(st.frames[:0], r.frames[:n]...)
	for i := range st.frames {
		f := &st.frames[i]
		if f.obj && f.hasKey && f.keyStart >= 0 {
			f.ownKey = append([]byte(nil), capKey(line[f.keyStart:f.keyEnd])...)
			f.keyStart, f.keyEnd = -1, 0
		}
	}
	st.str, st.strKey, st.esc = strStart >= 0, false, false
	st.key = st.key[:0]
	if strStart < 0 {
		return
	}
	seeded := strStart == 0 // the string the line starts in
	st.strKey = inKey
	if inKey {
		if seeded {
			st.key = append(st.key, r.seed.key...)
		}
		st.key = append(st.key, capKey(line[strStart:pos])...)
		st.key = capKey(st.key)
	}
	bs := backslashesBefore(line, pos, strStart)
	st.esc = bs%2 == 1
	if bs == pos-strStart && seeded && r.seed.esc {
		st.esc = !st.esc // the run goes on from before the line
	}
}

// backslashesBefore counts the backslashes that end line[start:pos].
func backslashesBefore(line []byte, pos, start int) int {
	n := 0
	for b := pos - 1; b >= start && line[b] == '\\'; b-- {
		n++
	}
	return n
}

// stringEnd is stringEnd on the reader's line, remembering the last.
func (r *JSONKeyReader) stringEnd(start int, esc bool) int {
	if start != r.memoStart {
		r.memoStart, r.memoEnd = start, stringEnd(r.line, start, esc)
	}
	return r.memoEnd
}

// stringEnd returns the index of the quote that closes a string whose
// content starts at line[start], or of a line break before it: no JSON
// string holds one, and a string left open ends there (a best-effort
// reading of broken documents). esc says that the string's content before
// start ends in an unpaired backslash (a string the line starts in). It
// returns -1 when the line ends first.
func stringEnd(line []byte, start int, esc bool) int {
	j := start
	if esc && j < len(line) {
		if line[j] == '\n' {
			return j
		}
		j++
	}
	for j < len(line) {
		k := bytes.IndexByte(line[j:], '"')
		if k < 0 {
			if n := bytes.IndexByte(line[j:], '\n'); n >= 0 {
				return j + n
			}
			return -1
		}
		q := j + k
		if n := bytes.IndexByte(line[j:q], '\n'); n >= 0 {
			return j + n
		}
		// Escaped when preceded by an odd number of backslashes.
		bs := backslashesBefore(line, q, start)
		if bs == q-start && esc {
			bs++ // the run goes on from before the line
		}
		if bs%2 == 0 {
			return q
		}
		j = q + 1
	}
	return -1
}

// path is the key path of line[pos] from the frames read so far; inStr:
// pos is inside a string.
func (r *JSONKeyReader) path(pos int, inStr bool) string {
	n := min(r.depth, JSONMaxDepth)
	if c := r.line[pos]; !inStr && n > 0 && (c == '}' || c == ']') && r.depth <= JSONMaxDepth {
		// A closing bracket belongs to its container, not to the last member.
		n--
	}
	return r.cachedPath(r.frames[:n])
}

// cachedPath is jsonPath(r.line, frames), from the reader's cache when
// frames spell a path built before: the signature holds, for each frame,
// an array's mark or an object member's raw key with its length, which is
// all jsonPath reads of it.
func (r *JSONKeyReader) cachedPath(frames []jsonFrame) string {
	if !r.pc.on() {
		return jsonPath(r.line, frames)
	}
	sig := r.pc.sig[:0]
	for i := range frames {
		f := &frames[i]
		switch {
		case !f.obj:
			sig = append(sig, '[')
		case f.hasKey && f.afterColon:
			k := f.rawKey(r.line)
			sig = binary.AppendUvarint(append(sig, '.'), uint64(len(k)))
			sig = append(sig, k...)
		}
	}
	return r.pc.get(sig, func() string { return jsonPath(r.line, frames) })
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
			size += 1 + len(f.rawKey(line))
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
		if k := f.rawKey(line); dynamicKey(k) {
			b.WriteByte('*')
		} else {
			writeJSONKey(&b, k)
		}
	}
	return b.String()
}

// dynamicKey reports whether the raw (escaped) key k is written like a
// value (DataLike): an id, a version, a date or an address used as a key;
// or is longer than jsonMaxKey.
func dynamicKey(k []byte) bool {
	if len(k) > jsonMaxKey {
		return true // a key this long is data
	}
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
