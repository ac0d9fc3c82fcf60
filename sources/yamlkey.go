package sources

import (
	"bytes"
	"encoding/binary"
	"strings"
)

// YAMLMaxDepth is how many levels of keys a YAMLKeyReader follows.
const YAMLMaxDepth = 32

// yamlMaxKey is the longest key a path spells out; a longer one is "*".
const yamlMaxKey = 128

// yamlEntry is an open level of a YAML document: a mapping key, or a
// sequence's item ("-").
type yamlEntry struct {
	indent int
	key    []byte // nil for a sequence item
	parent bool   // a key without a value on its line: a block may follow
}

// YAMLState is where a YAML document stands at a position: the keys and
// sequence items open there with their indentation, whether a block scalar
// (| or >) is being read, and whether the position is inside a line whose
// start was read before. The zero value is a YAML document's start;
// ConfigState is a configuration file's.
type YAMLState struct {
	stack   []yamlEntry // at most YAMLMaxDepth, keys owned and capped
	block   int         // with inBlock: the block scalar's lines are indented more than block (a configuration file's multi-line string: its quote byte)
	inBlock bool        // reading a block scalar (a TOML multi-line string in a configuration file)
	mid     bool        // the position is inside a line already read
	config  bool        // a configuration file of key = value lines (readConfigLine), not YAML
}

// ConfigState returns the state at the start of a configuration file of
// "key = value" lines under "[section]" headers: INI files (.ini, .cfg,
// .conf, MySQL's .cnf, .gitconfig), Java .properties, .env files and
// TOML. A YAMLKeyReader seeded with it gives a value the path of its
// section and key ("client.password", "spring.datasource.password",
// "tool.poetry.authors"), and EachValue reports the values under their
// keys, as for YAML.
func ConfigState() YAMLState { return YAMLState{config: true} }

// YAMLKeyReader gives the key path of positions in YAML text, block style
// as configuration, fixtures and data files write it: the keys of the open
// mappings joined with ".", a sequence's items written "[]"
// ("authors[].email"). A line's values have the path of its key. Flow
// collections ({a: 1}, [x, y]) are values of their key (EachValue reads a
// one-line flow mapping's values under their keys). It reads a line at
// a time, on from the last position asked for (from a checkpoint for one
// behind it), in memory bounded by YAMLMaxDepth and yamlMaxKey; it never
// fails on what is not YAML.
type YAMLKeyReader struct {
	line []byte
	seed *YAMLState
	st   YAMLState
	next int // line[:next] is read; next is a line's start unless st.mid
	cps  checkpoints[YAMLState]
	// The last line applied: [lineLo, lineHi); open: it has no line
	// break (the line goes on after this part).
	lineLo, lineHi int
	open           bool
	each           func(key []byte, s, e int)
	flowKey        []byte // the key of a flow mapping's value, or the variable of an environment item, being reported
	eachFrom       int
	eachTo         int
	pc             pathCache
	// onLine, when set (OnLine), receives each line applyBefore reads,
	// from recHi on.
	onLine func(lo, hi int, path string)
	recHi  int
}

// OnLine makes the reader tell fn, as it reads each line, what Span gives
// for the positions in it: the line's start, one past its end (its line
// break), and its key path. A line is told once however often the reader
// goes back over it, so that several detectors' readings of one document
// can be shared (the scanner keeps the spans).
func (r *YAMLKeyReader) OnLine(fn func(lo, hi int, path string)) { r.onLine = fn }

// ResetState starts reading line, whose first byte follows a document's
// part that left st (nil: the document's start).
func (r *YAMLKeyReader) ResetState(line []byte, st *YAMLState) {
	r.line, r.seed = line, st
	r.recHi = 0
	r.cps.reset()
	r.restart()
}

// SetCheckpoints makes the reader keep its state every bytes (0: never).
func (r *YAMLKeyReader) SetCheckpoints(every int) { r.cps.every = every }

func (r *YAMLKeyReader) restart() {
	r.next, r.lineLo, r.lineHi, r.open = 0, 0, 0, false
	if r.seed != nil {
		r.st.copyFrom(r.seed)
	} else {
		r.st.copyFrom(&YAMLState{})
	}
}

func (s *YAMLState) copyFrom(o *YAMLState) {
	s.stack = s.stack[:0]
	for _, e := range o.stack {
		s.stack = append(s.stack, yamlEntry{indent: e.indent, parent: e.parent})
		if e.key != nil {
			s.stack[len(s.stack)-1].key = append([]byte{}, e.key...)
		}
	}
	s.block, s.inBlock, s.mid, s.config = o.block, o.inBlock, o.mid, o.config
}

// At returns the key path at line[pos].
func (r *YAMLKeyReader) At(pos int) string {
	p, _, _ := r.Span(pos)
	return p
}

// Span returns the key path at line[pos] and the line around it, which has
// the same path.
func (r *YAMLKeyReader) Span(pos int) (path string, lo, hi int) {
	if pos < 0 || pos >= len(r.line) {
		return "", pos, pos + 1
	}
	r.applyBefore(pos + 1)
	return r.path(), r.lineLo, r.lineHi + 1
}

// CurrentPath returns the path of the value being reported (EachValue).
func (r *YAMLKeyReader) CurrentPath() string {
	p := r.path()
	if r.flowKey != nil {
		var b strings.Builder
		b.WriteString(p)
		b.WriteByte('.')
		writeKey(&b, r.flowKey, yamlMaxKey)
		return b.String()
	}
	return p
}

func (r *YAMLKeyReader) path() string {
	if !r.pc.on() {
		return r.buildPath()
	}
	// The signature: a sequence's mark or a key with its length for each
	// level, all buildPath reads.
	sig := r.pc.sig[:0]
	for _, e := range r.st.stack {
		if e.key == nil {
			sig = append(sig, '[')
			continue
		}
		sig = binary.AppendUvarint(append(sig, '.'), uint64(len(e.key)))
		sig = append(sig, e.key...)
	}
	return r.pc.get(sig, r.buildPath)
}

// buildPath joins the levels' keys.
func (r *YAMLKeyReader) buildPath() string {
	var b strings.Builder
	n := 0 // the path's length, as the keys are (one allocation, not one per doubling)
	for _, e := range r.st.stack {
		n += len(e.key) + 2
	}
	b.Grow(n)
	for i, e := range r.st.stack {
		if e.key == nil {
			b.WriteString("[]")
			continue
		}
		if i > 0 {
			b.WriteByte('.')
		}
		writeKey(&b, e.key, yamlMaxKey)
	}
	return b.String()
}

// EachValue reads the whole line and calls fn for every scalar value of a
// mapping key ("name: Kari Nordmann") whose line starts in line[from:to],
// with the key and the value (quotes and a trailing comment dropped) as
// line[s:e].
func (r *YAMLKeyReader) EachValue(from, to int, fn func(key []byte, s, e int)) {
	r.each, r.eachFrom, r.eachTo = fn, from, to
	r.applyBefore(len(r.line))
	r.each = nil
}

// StateAt sets st to the state at line[pos] (0 ≤ pos ≤ len(line)): after
// the lines that start before pos, inside a line (mid) unless pos starts
// one.
func (r *YAMLKeyReader) StateAt(pos int, st *YAMLState) {
	pos = max(0, min(pos, len(r.line)))
	r.applyBefore(pos)
	st.copyFrom(&r.st)
	st.mid = r.next > pos || r.next == pos && r.open || r.next == 0 && r.st.mid
}

// applyBefore applies every line that starts before limit: afterwards the
// last line applied is line[lineLo:lineHi] (lineHi its line break or the
// end), and next is where the line after it starts.
func (r *YAMLKeyReader) applyBefore(limit int) {
	if r.next > 0 && r.lineLo >= limit {
		if cp := r.cps.before(limit); cp == nil {
			r.restart()
		} else {
			r.next = cp.off
			r.st.copyFrom(&cp.st)
			r.lineLo, r.lineHi, r.open = r.next, r.next, false
		}
	}
	for r.next < limit && r.next < len(r.line) {
		if r.cps.due(r.next) && !r.st.mid && r.next > 0 {
			r.cps.slot(r.next).copyFrom(&r.st)
		}
		lo := r.next
		hi := len(r.line)
		if i := bytes.IndexByte(r.line[lo:], '\n'); i >= 0 {
			hi = lo + i
		}
		r.lineLo, r.lineHi = lo, hi
		if r.st.mid {
			r.st.mid = false // the rest of a line read before
		} else {
			r.readLine(r.line[lo:hi], lo)
		}
		if r.onLine != nil && lo >= r.recHi {
			r.onLine(lo, hi+1, r.path())
			r.recHi = hi + 1
		}
		r.next, r.open = hi+1, hi == len(r.line)
	}
}

// readLine applies one line (without its line break) that starts at off.
func (r *YAMLKeyReader) readLine(l []byte, off int) {
	st := &r.st
	if st.config {
		r.readConfigLine(l, off)
		return
	}
	n := 0
	for n < len(l) && l[n] == ' ' {
		n++
	}
	rest := bytes.TrimRight(l[n:], " \t\r")
	if st.inBlock {
		if len(rest) == 0 || n > st.block {
			return // a block scalar's line, or a blank one in it
		}
		st.inBlock = false
	}
	if len(rest) == 0 || rest[0] == '#' {
		return
	}
	if n == 0 && (bytes.HasPrefix(rest, []byte("---")) || bytes.HasPrefix(rest, []byte("..."))) {
		st.stack = st.stack[:0] // a new document
		return
	}
	// Close what this line is not inside of.
	for len(st.stack) > 0 {
		top := st.stack[len(st.stack)-1]
		if top.indent < n || top.indent == n && rest[0] == '-' && top.key != nil && top.parent {
			break // a sequence under a key at the key's indentation
		}
		st.stack = st.stack[:len(st.stack)-1]
	}
	col := n
	// Sequence items: "- ", maybe nested ("- - x").
	for len(rest) > 0 && rest[0] == '-' && (len(rest) == 1 || rest[1] == ' ') {
		r.push(yamlEntry{indent: col})
		k := 1
		for k < len(rest) && rest[k] == ' ' {
			k++
		}
		col += k
		rest = rest[k:]
	}
	report := r.each != nil && off >= r.eachFrom && off < r.eachTo
	key, value, ok := yamlKey(rest)
	if !ok {
		switch {
		case !report || len(rest) < 2:
		case rest[0] == '{' && rest[len(rest)-1] == '}':
			r.flowValues(l, off, rest) // - {name: Kari Nordmann, email: …}
		case col > n:
			// - POSTGRES_PASSWORD=secret: a compose file's environment
			// as a list, a value under its variable's name.
			if k, v := envItem(yamlScalar(rest)); k != nil {
				s := off + cap(l) - cap(v)
				r.flowKey = k
				r.each(k, s, s+len(v))
				r.flowKey = nil
			}
		}
		return // a scalar item, a continuation line
	}
	r.push(yamlEntry{indent: col, key: key, parent: len(value) == 0})
	switch {
	case len(value) == 0:
	case value[0] == '|' || value[0] == '>':
		st.block, st.inBlock = col, true
	case report && len(value) > 1 && value[0] == '{' && value[len(value)-1] == '}':
		r.flowValues(l, off, value) // key: {a: b, c: d}
	case report:
		if v := yamlScalar(value); len(v) > 0 {
			s := off + cap(l) - cap(v) // v is a part of l
			r.each(key, s, s+len(v))
		}
	}
}

// flowValues reports the scalar values of a flow mapping on one line
// ({name: Kari Nordmann, "email": kari@firma.no}) as values of their keys,
// their path the line's and the key (EachValue). Nested collections in it
// are left alone.
func (r *YAMLKeyReader) flowValues(l []byte, off int, m []byte) {
	body := m[1 : len(m)-1]
	for len(body) > 0 {
		// One "k: v" up to a comma outside quotes.
		end, q := 0, byte(0)
		for ; end < len(body); end++ {
			c := body[end]
			switch {
			case q != 0:
				if c == q {
					q = 0
				}
			case c == '"' || c == '\'':
				q = c
			case c == ',':
			default:
				continue
			}
			if c == ',' && q == 0 {
				break
			}
		}
		pair := bytes.TrimSpace(body[:end])
		if end < len(body) {
			body = body[end+1:]
		} else {
			body = nil
		}
		key, value, ok := yamlKey(pair)
		if !ok || len(value) == 0 || value[0] == '{' || value[0] == '[' {
			continue
		}
		if v := yamlScalar(value); len(v) > 0 {
			s := off + cap(l) - cap(v)
			r.flowKey = key
			r.each(key, s, s+len(v))
			r.flowKey = nil
		}
	}
}

func (r *YAMLKeyReader) push(e yamlEntry) {
	st := &r.st
	if len(st.stack) >= YAMLMaxDepth {
		return
	}
	if e.key != nil && len(e.key) > yamlMaxKey+1 {
		e.key = e.key[:yamlMaxKey+1]
	}
	if e.key != nil {
		e.key = append([]byte{}, e.key...)
	}
	st.stack = append(st.stack, e)
}

// yamlKey splits "key: value" (the key maybe quoted), or reports no key.
func yamlKey(b []byte) (key, value []byte, ok bool) {
	if len(b) == 0 {
		return nil, nil, false
	}
	switch b[0] {
	case '"', '\'':
		end := bytes.IndexByte(b[1:], b[0])
		if end < 0 || 2+end >= len(b) || b[2+end] != ':' {
			return nil, nil, false
		}
		key, b = b[1:1+end], b[2+end:]
		if len(key) == 0 {
			return nil, nil, false
		}
	case '{', '[', '&', '*', '!', '|', '>', '%', '@', '`', '#':
		return nil, nil, false
	default:
		i := bytes.Index(b, []byte(": "))
		if i < 0 {
			if b[len(b)-1] != ':' {
				return nil, nil, false
			}
			i = len(b) - 1
		}
		key, b = bytes.TrimRight(b[:i], " \t"), b[i:]
		if len(key) == 0 || bytes.IndexByte(key, '#') >= 0 && bytes.Contains(key, []byte(" #")) {
			return nil, nil, false
		}
	}
	return key, bytes.TrimSpace(b[1:]), true
}

// yamlScalar returns a value's scalar: its content when quoted, without a
// trailing comment when plain.
// envItem splits a sequence item written as a variable's assignment
// (NAME=value, NAME a letter or '_' and then letters, digits and '_') into
// the name and the value, or returns nil.
func envItem(item []byte) (name, value []byte) {
	eq := bytes.IndexByte(item, '=')
	if eq < 1 || eq == len(item)-1 {
		return nil, nil
	}
	for i, c := range item[:eq] {
		if !(c == '_' || c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || i > 0 && c >= '0' && c <= '9') {
			return nil, nil
		}
	}
	value = item[eq+1:]
	if q := value[0]; len(value) > 1 && (q == '"' || q == '\'') && value[len(value)-1] == q {
		value = value[1 : len(value)-1] // NAME="a value"
	}
	if len(value) == 0 {
		return nil, nil // NAME="": no value
	}
	return item[:eq], value
}

func yamlScalar(v []byte) []byte {
	if len(v) == 0 {
		return v
	}
	switch v[0] {
	case '"', '\'':
		if end := bytes.LastIndexByte(v, v[0]); end > 0 {
			return v[1:end]
		}
		return v[1:]
	case '{', '[', '&', '*', '!':
		return nil // a flow collection, an anchor, an alias, a tag
	}
	if i := bytes.Index(v, []byte(" #")); i >= 0 {
		v = bytes.TrimRight(v[:i], " \t")
	}
	return v
}
