package sources

import (
	"bytes"
	"cmp"
	"encoding/binary"
	"slices"
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
	// With mid, flowOK says that the line holds a flow collection that
	// ends after the position (flowHi, from the position) and starts at
	// flowLo (negative: before it); flowHead are its bytes before the
	// position, for the next chunk to read the rest of it.
	flowOK         bool
	flowLo, flowHi int
	flowHead       []byte
}

// yamlMaxFlow is the longest flow collection whose scalars get key paths
// of their own (flowSpan); a longer one is a value of its key. It bounds
// the bytes of a collection that a chunk's start cuts, which the state
// carries to the next chunk (YAMLState.flowHead).
const yamlMaxFlow = 4 << 10

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
// ("authors[].email"). A line's values have the path of its key. A flow
// collection on one line ({a: 1}, [x, y], at most yamlMaxFlow bytes)
// gives each of its scalars the path of the keys and sequences around it
// ("kunde.tlf", "tags[]"), also where a chunk's start cuts the line; one
// over several lines is a value of its key. EachValue reads a one-line
// flow mapping's scalar values under their keys. It reads a line at a
// time, on from the last position asked for (from a checkpoint for one
// behind it), in memory bounded by YAMLMaxDepth, yamlMaxKey and
// yamlMaxFlow; it never fails on what is not YAML.
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
	// flowLo and flowHi bound the flow collection the last line applied
	// holds as its value or item ({name: Kari, tlf: 912}, [a, b]), whose
	// scalars have key paths of their own (flowSpan); flowHi is 0 when it
	// holds none.
	flowLo, flowHi int
	// flowBuf holds the collection's bytes when it starts in an earlier
	// chunk (flowLo < 0): those carried in the state, then this chunk's.
	flowBuf []byte
	// flowVals are the scalars of the flow collection of the line at
	// flowOf, when flowRead (flowSpan).
	flowVals []flowValue
	flowOf   int
	flowRead bool
	each     func(key []byte, s, e int)
	flowKey  []byte // the key of a flow mapping's value, or the variable of an environment item, being reported
	eachFrom int
	eachTo   int
	pc       pathCache
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
	s.flowOK, s.flowLo, s.flowHi = o.flowOK, o.flowLo, o.flowHi
	s.flowHead = append(s.flowHead[:0], o.flowHead...)
}

// At returns the key path at line[pos].
func (r *YAMLKeyReader) At(pos int) string {
	p, _, _ := r.Span(pos)
	return p
}

// Span returns the key path at line[pos] and the bytes around it that
// have the same path: its line, or on a line with a flow collection, the
// part before the collection, one of its scalars (flowSpan), or a byte.
func (r *YAMLKeyReader) Span(pos int) (path string, lo, hi int) {
	if pos < 0 || pos >= len(r.line) {
		return "", pos, pos + 1
	}
	r.applyBefore(pos + 1)
	lo, hi = r.lineLo, r.lineHi+1
	if r.flowHi > 0 {
		switch {
		case pos < r.flowLo:
			hi = r.flowLo
		case pos >= r.flowHi:
			lo = r.flowHi
		default:
			return r.flowSpan(pos)
		}
	}
	return r.path(), lo, hi
}

// flowSpan returns the key path at line[pos] inside the last line's flow
// collection, and the bytes around it that have it: the scalar value
// holding pos, under the keys of the mappings and the items of the
// sequences around it ("kunde.tlf" in kunde: {navn: Kari, tlf: 912},
// "kunder[].epost" in - {epost: kari@firma.no}, "tags[]" in tags: [a, b]),
// or the line's path and one byte. The collection's scalars are read once
// per line, on the first position asked for in it.
func (r *YAMLKeyReader) flowSpan(pos int) (path string, lo, hi int) {
	base := r.path()
	if !r.flowRead || r.flowOf != r.lineLo {
		r.flowRead, r.flowOf = true, r.lineLo
		r.flowVals = r.flowVals[:0]
		flowScalars(r.flowBytes(), func(s, e int, levels []flowLevel) bool {
			var b strings.Builder
			b.WriteString(base)
			for _, l := range levels {
				switch {
				case l.seq:
					b.WriteString("[]")
				case l.key != nil:
					if b.Len() > 0 {
						b.WriteByte('.')
					}
					writeKey(&b, l.key, yamlMaxKey)
				}
			}
			r.flowVals = append(r.flowVals, flowValue{max(r.flowLo+s, r.lineLo), r.flowLo + e, b.String()})
			return true
		})
	}
	// The first scalar that ends after pos.
	i, _ := slices.BinarySearchFunc(r.flowVals, pos, func(v flowValue, p int) int { return cmp.Compare(v.hi, p+1) })
	if i < len(r.flowVals) && r.flowVals[i].lo <= pos {
		v := r.flowVals[i]
		return v.path, v.lo, v.hi
	}
	return base, pos, pos + 1
}

// flowValue is a scalar of a flow collection (flowSpan): its bytes in
// the chunk and its key path.
type flowValue struct {
	lo, hi int
	path   string
}

// flowBytes returns the last line's flow collection.
func (r *YAMLKeyReader) flowBytes() []byte {
	if r.flowLo < 0 {
		return r.flowBuf
	}
	return r.line[r.flowLo:r.flowHi]
}

// flowLevel is a collection around a scalar of a flow collection: a
// sequence, or a mapping and the key of the scalar's pair (nil: none).
type flowLevel struct {
	seq bool
	key []byte
}

// flowScalars calls fn with the bounds in f of each scalar value of the
// flow collection f ({…} or […]; a quoted scalar without its quotes), in
// order, and the collections around it from the outermost, until fn
// returns false. It stops where f is not balanced, and at YAMLMaxDepth
// levels.
func flowScalars(f []byte, fn func(s, e int, levels []flowLevel) bool) {
	var stack [YAMLMaxDepth]flowLevel
	depth := 0
	for i := 0; i < len(f); {
		c := f[i]
		switch c {
		case '{', '[':
			if depth == len(stack) {
				return
			}
			stack[depth] = flowLevel{seq: c == '['}
			depth++
			i++
			continue
		case '}', ']':
			if depth == 0 || stack[depth-1].seq != (c == ']') {
				return
			}
			depth--
			i++
			continue
		case ',':
			if depth > 0 {
				stack[depth-1].key = nil
			}
			i++
			continue
		case ' ', '\t', ':':
			i++
			continue
		}
		s, e, next := flowScalar(f, i)
		j := next
		for j < len(f) && f[j] == ' ' {
			j++
		}
		if depth > 0 && !stack[depth-1].seq && j < len(f) && f[j] == ':' {
			stack[depth-1].key = f[s:e] // a key
			i = j + 1
			continue
		}
		if depth == 0 || !fn(s, e, stack[:depth]) {
			return
		}
		i = next
	}
}

// flowScalar returns the bounds of the scalar that starts at f[i] in a
// flow collection (a quoted one's content; a plain one without trailing
// spaces, up to a ',', '}', ']' or a ':' that ends a key) and where what
// follows it starts.
func flowScalar(f []byte, i int) (s, e, next int) {
	if q := f[i]; q == '"' || q == '\'' {
		k := i + 1
		for k < len(f) {
			if f[k] == q {
				if q == '\'' && k+1 < len(f) && f[k+1] == '\'' {
					k += 2 // '' in single quotes
					continue
				}
				break
			}
			if q == '"' && f[k] == '\\' {
				k++ // an escape
			}
			k++
		}
		return i + 1, min(k, len(f)), min(k+1, len(f))
	}
	k := i
	for k < len(f) {
		c := f[k]
		if c == ',' || c == '}' || c == ']' || c == ':' && (k+1 == len(f) || f[k+1] == ' ' || f[k+1] == ',' || f[k+1] == '}' || f[k+1] == ']') {
			break
		}
		k++
	}
	e = k
	for e > i && (f[e-1] == ' ' || f[e-1] == '\t') {
		e--
	}
	return i, e, k
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
	if st.mid && r.next > 0 && r.flowHi > pos {
		// Inside a line whose flow collection goes on after pos.
		f := r.flowBytes()
		st.flowHead = append(st.flowHead[:0], f[:max(0, pos-r.flowLo)]...)
		st.flowOK, st.flowLo, st.flowHi = true, r.flowLo-pos, r.flowHi-pos
	}
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
		r.flowLo, r.flowHi, r.flowRead = 0, 0, false
		if r.st.mid {
			r.st.mid = false // the rest of a line read before
			r.carriedFlow(lo, hi)
		} else {
			r.readLine(r.line[lo:hi], lo)
		}
		if hi == len(r.line) {
			// The line may go on in the next chunk: whether it ends
			// its flow collection is not known.
			r.flowLo, r.flowHi = 0, 0
		}
		if r.onLine != nil && lo >= r.recHi {
			// A line with a flow collection: only the part before it
			// has the line's path.
			if r.flowHi == 0 {
				r.onLine(lo, hi+1, r.path())
			} else if r.flowLo > lo {
				r.onLine(lo, r.flowLo, r.path())
			}
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
		r.flowAt(l, off, rest) // - {name: Kari Nordmann, email: …}
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
	r.flowAt(l, off, value) // key: {a: b, c: d}
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

// carriedFlow takes up the flow collection the state carries into the
// rest of a line read before, line[lo:hi] (StateAt), and clears it from
// the state. A state is inside a line only at a chunk's start (lo 0):
// checkpoints are kept at lines' starts.
func (r *YAMLKeyReader) carriedFlow(lo, hi int) {
	st := &r.st
	if st.flowOK && lo == 0 && st.flowHi <= hi {
		r.flowLo, r.flowHi = st.flowLo, st.flowHi
		if r.flowLo < 0 {
			r.flowBuf = append(append(r.flowBuf[:0], st.flowHead...), r.line[:r.flowHi]...)
		}
	}
	st.flowOK, st.flowHead = false, st.flowHead[:0]
}

// flowAt records v, a part of the line l that starts at off, as the
// line's flow collection when it is one ({…} or […], at most
// yamlMaxFlow bytes).
func (r *YAMLKeyReader) flowAt(l []byte, off int, v []byte) {
	if len(v) < 2 || len(v) > yamlMaxFlow || !(v[0] == '{' && v[len(v)-1] == '}' || v[0] == '[' && v[len(v)-1] == ']') {
		return
	}
	r.flowLo = off + cap(l) - cap(v) // v is a part of l
	r.flowHi = r.flowLo + len(v)
}

// flowValues reports the scalar values of a flow mapping on one line
// ({name: Kari Nordmann, "email": kari@firma.no}), m, a part of the line l
// that starts at off, as values of their keys, their path the line's and
// the key (EachValue). Nested collections in it are left alone.
func (r *YAMLKeyReader) flowValues(l []byte, off int, m []byte) {
	at := off + cap(l) - cap(m) // m is a part of l
	flowScalars(m, func(s, e int, levels []flowLevel) bool {
		if k := levels[0].key; len(levels) == 1 && !levels[0].seq && k != nil && e > s {
			r.flowKey = k
			r.each(k, at+s, at+e)
			r.flowKey = nil
		}
		return true
	})
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
