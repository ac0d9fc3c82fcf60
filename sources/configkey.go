package sources

import "bytes"

// readConfigLine applies one line of a configuration file (ConfigState)
// that starts at off: a "[section]" header (TOML's "[[table]]" an item of
// a sequence) opens the section; "key = value", "key: value", "key=value"
// and ".env"'s "export KEY=value" give the value the path of the section
// and the key. Comments (#, ;, !), blank lines and lines without a key
// (a value's continuation, a TOML array's items) keep the path of the key
// before them; a comment or a blank line ends the key. A TOML multi-line
// string (between three double or three single quotes) is read to its
// end.
func (r *YAMLKeyReader) readConfigLine(l []byte, off int) {
	st := &r.st
	rest := bytes.TrimSpace(l)
	if st.inBlock {
		if bytes.Contains(rest, configQuotes(st.block)) {
			st.inBlock = false
		}
		return
	}
	if len(rest) == 0 || rest[0] == '#' || rest[0] == ';' || rest[0] == '!' {
		r.popConfigKey()
		return
	}
	if rest[0] == '[' {
		if name, table, ok := configSection(rest); ok {
			st.stack = st.stack[:0]
			r.push(yamlEntry{key: name, parent: true})
			if table {
				r.push(yamlEntry{parent: true})
			}
			return
		}
	}
	key, value, ok := configKey(rest)
	if !ok {
		return
	}
	r.popConfigKey() // the key replaces the one before it
	r.push(yamlEntry{key: key})
	if q := multiLineQuote(value); q != 0 {
		st.block, st.inBlock = int(q), true
		return
	}
	if r.each != nil && off >= r.eachFrom && off < r.eachTo {
		if v := configScalar(value); len(v) > 0 {
			s := off + cap(l) - cap(v) // v is a part of l
			// A dotted key (spring.datasource.password) is nested
			// keys: the value is its last key's.
			if i := bytes.LastIndexByte(key, '.'); i >= 0 && i+1 < len(key) {
				key = key[i+1:]
			}
			r.each(key, s, s+len(v))
		}
	}
}

// popConfigKey closes the key open under the section.
func (r *YAMLKeyReader) popConfigKey() {
	st := &r.st
	for len(st.stack) > 0 && !st.stack[len(st.stack)-1].parent {
		st.stack = st.stack[:len(st.stack)-1]
	}
}

// configSection splits a section header: "[client]" gives client,
// "[[servers]]" servers and a table (a sequence's item), "[tool.poetry]"
// tool.poetry; a quoted name is unquoted ([remote "origin"] is
// remote.origin, as git writes it).
func configSection(b []byte) (name []byte, table, ok bool) {
	end := bytes.IndexByte(b, ']')
	if end < 0 {
		return nil, false, false
	}
	if table = len(b) > 1 && b[1] == '['; table {
		if end+1 >= len(b) || b[end+1] != ']' {
			return nil, false, false
		}
		name = b[2:end]
	} else {
		name = b[1:end]
	}
	if tail := bytes.TrimSpace(b[end+1+b2i(table):]); len(tail) > 0 && tail[0] != '#' && tail[0] != ';' {
		return nil, false, false // "[x] = y", a value
	}
	name = bytes.TrimSpace(name)
	if i := bytes.IndexByte(name, '"'); i > 0 && i < len(name)-1 && name[len(name)-1] == '"' {
		// [remote "origin"]: written remote.origin, in a new slice (an
		// append to the trimmed name would write the '.' into the text).
		head, quoted := bytes.TrimSpace(name[:i]), name[i+1:len(name)-1]
		joined := make([]byte, 0, len(head)+1+len(quoted))
		return append(append(append(joined, head...), '.'), quoted...), table, true
	}
	if len(name) == 0 {
		return nil, false, false
	}
	return name, table, true
}

// configKey splits "key = value", "key: value" and "export KEY=value" at
// the first '=' or ':'; the key is unquoted ("key" = v in TOML) and must
// not be empty or have more than three words ("First Name = Kari" has a
// key; "a b c d = e" is text), nor a space before a colon
// ("nameserver 2001:db8::1"), nor a colon between digits (a log line's
// time, "2026-03-01T10:00:00", in a .env file).
func configKey(b []byte) (key, value []byte, ok bool) {
	b = bytes.TrimPrefix(b, []byte("export "))
	i := bytes.IndexAny(b, "=:")
	if i <= 0 {
		return nil, nil, false
	}
	key, value = bytes.TrimSpace(b[:i]), bytes.TrimSpace(b[i+1:])
	if len(key) >= 2 && (key[0] == '"' || key[0] == '\'') && key[len(key)-1] == key[0] {
		key = key[1 : len(key)-1]
	}
	if len(key) == 0 || len(key) > yamlMaxKey || bytes.Count(key, []byte(" ")) > 2 {
		return nil, nil, false // a sentence with a colon
	}
	if b[i] == ':' && bytes.IndexByte(key, ' ') >= 0 {
		return nil, nil, false // "nameserver 2001:db8::1", "Note at 12:30": text
	}
	if b[i] == ':' && isDigit(b[i-1]) && i+1 < len(b) && isDigit(b[i+1]) {
		return nil, nil, false // "2026-03-01T10:00:00 …", "db:5432": a time, a port
	}
	for _, c := range key {
		if c < ' ' || c == '"' || c == '\'' || c == '[' || c == '{' || c == '<' || c == '(' || c == '/' {
			return nil, nil, false // a URL, a log line, a tag
		}
	}
	return key, value, true
}

// multiLineQuote returns '"' or '\” when value opens a TOML multi-line
// string that does not end on its line, else 0.
func multiLineQuote(value []byte) byte {
	for _, q := range []byte{'"', '\''} {
		delim := configQuotes(int(q))
		if bytes.HasPrefix(value, delim) && !bytes.Contains(value[3:], delim) {
			return q
		}
	}
	return 0
}

// configQuotes returns the delimiter of a TOML multi-line string quoted
// with q: """ or ”'.
func configQuotes(q int) []byte {
	if q == '\'' {
		return []byte("'''")
	}
	return []byte(`"""`)
}

// configScalar returns a value as written: its content when quoted, else
// without a comment after a space (" #", " ;").
func configScalar(v []byte) []byte {
	if len(v) >= 2 && (v[0] == '"' || v[0] == '\'') {
		if end := bytes.IndexByte(v[1:], v[0]); end >= 0 {
			return v[1 : 1+end]
		}
		return v[1:]
	}
	for _, c := range []string{" #", " ;", "\t#", "\t;"} {
		if i := bytes.Index(v, []byte(c)); i >= 0 {
			v = v[:i]
		}
	}
	return bytes.TrimSpace(v)
}
