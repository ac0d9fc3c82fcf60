package sources

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"testing"
)

// at marks the position with "⟨": the key path of the value there.
var jsonKeyCases = []struct {
	line string
	want string
}{
	{`{"user":{"email":"⟨ola@example.no"}}`, "user.email"},
	{`{"user":{"email":⟨"ola@example.no"}}`, "user.email"},
	{`{"user":{"email":"ola@example.no⟨"}}`, "user.email"},
	{`{"user":{"email":"ola@example.no"⟨}}`, "user"},
	{`{"user":{"email":"ola@example.no"}⟨}`, ""},
	{`{"a":1,"fnr":"⟨01010112345"}`, "fnr"},
	{`{"a":1,"fnr":⟨1010112345}`, "fnr"},
	{`{"a":1, "fnr" : ⟨1010112345}`, "fnr"},
	{`{"a":"x","b":⟨2}`, "b"},
	{`{"items":[{"tlf":"⟨99999999"}]}`, "items[].tlf"},
	{`{"items":[1,2,⟨3]}`, "items[]"},
	{`{"m":[[1,⟨2]]}`, "m[][]"},
	{`[{"fnr":"⟨x"}]`, "[].fnr"},
	{`[⟨1]`, "[]"},
	{`⟨{"a":1}`, ""},
	{`{"a":1}⟨ trailing`, ""},
	{`"top⟨level"`, ""},
	// Inside a key: the enclosing object's path; keys can be data.
	{`{"user":{"ola@⟨example.no":1}}`, "user"},
	{`{"user":{⟨"ola@example.no":1}}`, "user"},
	{`{"user":{"k"⟨:1}}`, "user"},
	// Keys written like values (ids, versions, dates, addresses) are
	// dynamic: "*", never the value itself.
	{`{"users":{"kari@example.no":{"tlf":"⟨99999999"}}}`, "users.*.tlf"},
	{`{"users":{"kari@example.no":{"tlf":"⟨99999999"}}}`, "users.*.tlf"},
	{`{"users":{"01019012345":⟨{"tlf":1}}}`, "users.*"},
	{`{"versions":{"2.6.1":{"author":"⟨i@izs.me"}}}`, "versions.*.author"},
	{`{"by_day":{"2024-01-31":[⟨1]}}`, "by_day.*[]"},
	{`{"e19f3298-1f13-9031-0dcb-40dd742cc49c":{"ip":"⟨10.0.0.1"}}`, "*.ip"},
	{`{"2024":{"sum":⟨1}}`, "2024.sum"},
	{`{"@timestamp":"⟨x"}`, "@timestamp"},
	// Escapes in keys are decoded; escaped quotes do not end strings.
	{`{"f\u00f8dselsnummer":"⟨x"}`, "fødselsnummer"},
	{`{"a\"b":"⟨x"}`, `a"b`},
	{`{"a\\":"⟨x"}`, `a\`},
	{`{"a":"x\",\"b\":\"y","c":⟨1}`, "c"},
	{`{"a":"x\\","c":⟨1}`, "c"},
	{`{"\ud83d\ude00":⟨1}`, "😀"},
	{`{"\ud83d":⟨1}`, "\uFFFD"},
	{`{"\q":⟨1}`, `\q`},
	// Invalid and truncated JSON: best effort, never a crash.
	{`{"a":{"b":"⟨x`, "a.b"},
	{`{"a":{"b":"x`, ""}, // no marker: position 0
	{`}}]]{"a":⟨1`, "a"},
	{`{"a" "b":⟨1`, "b"},
	{`{:⟨1}`, ""},
	{`{"a":[}⟨]`, ""},
	// A bracket inside a string is text, not the container's end.
	{`{"a":"⟨}"}`, "a"},
	{`{"a":["⟨]"]}`, "a[]"},
	{`time=12:00 {"msg":"⟨x"}`, "msg"},
}

func splitMarker(s string) ([]byte, int) {
	i := strings.Index(s, "⟨")
	if i < 0 {
		return []byte(s), 0
	}
	return []byte(s[:i] + s[i+len("⟨"):]), i
}

func TestJSONKeyAt(t *testing.T) {
	for _, c := range jsonKeyCases {
		line, pos := splitMarker(c.line)
		if got := JSONKeyAt(line, pos); got != c.want {
			t.Errorf("JSONKeyAt(%s, %d) = %q, want %q", line, pos, got, c.want)
		}
	}
	for _, pos := range []int{-1, 7, 100} {
		if got := JSONKeyAt([]byte(`{"a":1}`), pos); got != "" {
			t.Errorf("JSONKeyAt at %d outside the line = %q", pos, got)
		}
	}
}

func TestJSONKeyAtDepth(t *testing.T) {
	var b strings.Builder
	for range JSONMaxDepth + 5 {
		b.WriteString(`{"k":`)
	}
	b.WriteString(`1`)
	deep := b.String()
	got := JSONKeyAt([]byte(deep), len(deep)-1)
	if want := strings.Repeat("k.", JSONMaxDepth-1) + "k"; got != want {
		t.Errorf("deep path = %q, want %q", got, want)
	}
	line := []byte(deep + strings.Repeat("}", JSONMaxDepth+5) + `,"x":2`)
	_ = JSONKeyAt(line, len(line)-1) // unbalanced after the deep part: must not crash
}

func TestJSONKeyAtAllocs(t *testing.T) {
	line := []byte(`{"ts":"2024-01-01","user":{"id":7,"email":"ola@example.no","tags":["a","b"]}}`)
	pos := bytes.Index(line, []byte("ola@"))
	if n := testing.AllocsPerRun(100, func() { _ = JSONKeyAt(line, pos) }); n > 1 {
		t.Errorf("JSONKeyAt allocates %v times, want at most 1 (the result)", n)
	}
	if n := testing.AllocsPerRun(100, func() { _ = JSONKeyAt(line, 3) }); n > 0 {
		t.Errorf("JSONKeyAt with an empty result allocates %v times", n)
	}
}

// refJSONPaths walks a valid JSON line with encoding/json and calls check
// for the first and last byte of every token with the path JSONKeyAt must
// return there.
func refJSONPaths(t *testing.T, line []byte, check func(pos int, want string)) {
	type frame struct {
		obj       bool
		expectKey bool
		key       string
		rawLen    int // the key's length as written, escapes and all
	}
	var stack []frame
	path := func(fs []frame) string {
		var b strings.Builder
		for _, f := range fs {
			if !f.obj {
				b.WriteString("[]")
			} else if !f.expectKey {
				if b.Len() > 0 {
					b.WriteByte('.')
				}
				if DataLike([]byte(f.key)) || f.rawLen > jsonMaxKey {
					b.WriteByte('*') // a dynamic key, or one too long to be a name
				} else {
					b.WriteString(f.key)
				}
			}
		}
		return b.String()
	}
	dec := json.NewDecoder(bytes.NewReader(line))
	dec.UseNumber()
	for {
		start := int(dec.InputOffset())
		for start < len(line) && strings.IndexByte(" \t\r\n,:", line[start]) >= 0 {
			start++
		}
		tok, err := dec.Token()
		if errors.Is(err, io.EOF) {
			return
		}
		if err != nil {
			t.Fatalf("reference decoder: %v", err)
		}
		end := int(dec.InputOffset())
		deep := len(stack) >= JSONMaxDepth
		switch v := tok.(type) {
		case json.Delim:
			switch v {
			case '{', '[':
				if !deep {
					check(start, path(stack))
				}
				stack = append(stack, frame{obj: v == '{', expectKey: true})
			default:
				if !deep {
					check(start, path(stack[:len(stack)-1]))
				}
				stack = stack[:len(stack)-1]
			}
		default:
			top := len(stack) - 1
			if top >= 0 && stack[top].obj && stack[top].expectKey {
				if !deep {
					check(start, path(stack))
					check(end-1, path(stack))
				}
				stack[top].key, _ = v.(string)
				stack[top].rawLen = end - start - 2 // without its quotes
				stack[top].expectKey = false
				continue
			}
			if !deep {
				check(start, path(stack))
				check(end-1, path(stack))
			}
		}
		if top := len(stack) - 1; top >= 0 && stack[top].obj {
			if _, isDelim := tok.(json.Delim); !isDelim || tok == json.Delim('}') || tok == json.Delim(']') {
				stack[top].expectKey = true
			}
		}
	}
}

func TestJSONKeyAtAgainstDecoder(t *testing.T) {
	lines := []string{
		`{"ts":"2024-01-01T00:00:00Z","level":"info","user":{"id":7,"email":"ola@example.no","phones":["+47 99999999",{"work":"22222222"}]},"n":null,"ok":true}`,
		`[1,{"a":[{"b":{"c":[[],{}]}}]},"x\"y",{"k\u00e6y":{"z":-1.5e3}}]`,
		` { "a" : { } , "b" : [ ] , "c" : { "d" : [ 1 , 2 ] } } `,
	}
	for _, l := range lines {
		line := []byte(l)
		if !json.Valid(line) {
			t.Fatalf("test line is not valid JSON: %s", l)
		}
		// One reader reused over the positions in the decoder's order
		// (reading on), and again backwards (reading from the start).
		var r JSONKeyReader
		r.Reset(line)
		var ps []int
		var ws []string
		refJSONPaths(t, line, func(pos int, want string) {
			if got := JSONKeyAt(line, pos); got != want {
				t.Errorf("%s at %d (%q): got %q, want %q", l, pos, line[pos], got, want)
			}
			if got := r.At(pos); got != want {
				t.Errorf("%s at %d (%q): reader got %q, want %q", l, pos, line[pos], got, want)
			}
			ps, ws = append(ps, pos), append(ws, want)
		})
		for i := len(ps) - 1; i >= 0; i-- {
			if got := r.At(ps[i]); got != ws[i] {
				t.Errorf("%s at %d backwards: reader got %q, want %q", l, ps[i], got, ws[i])
			}
		}
	}
}

func FuzzJSONKeyAt(f *testing.F) {
	for _, c := range jsonKeyCases {
		line, pos := splitMarker(c.line)
		f.Add(line, pos)
	}
	f.Add([]byte(`{"a":[{"b":1},{"c":"d"}],"e":{"f":{"g":[true,false,null]}}}`), 20)
	f.Fuzz(func(t *testing.T, line []byte, pos int) {
		got := JSONKeyAt(line, pos)
		if pos < 0 || pos >= len(line) {
			if got != "" {
				t.Fatalf("non-empty path %q outside the line", got)
			}
			return
		}
		if len(got) > 3*len(line)+2*JSONMaxDepth { // U+FFFD is 3 bytes
			t.Fatalf("path %q longer than its line allows", got)
		}
		if json.Valid(line) {
			refJSONPaths(t, line, func(p int, want string) {
				if got := JSONKeyAt(line, p); got != want {
					t.Fatalf("%q at %d: got %q, want %q", line, p, got, want)
				}
			})
		}
		// EachValue reports strings within the line, quoted, in order,
		// with the path At gives inside them.
		var ev JSONKeyReader
		ev.Reset(line)
		last := -1
		ev.EachValue(0, len(line), func(key []byte, s, e int) {
			if s < 1 || e >= len(line) || s > e || line[s-1] != '"' || line[e] != '"' || s <= last {
				t.Fatalf("%q: EachValue reported [%d, %d)", line, s, e)
			}
			last = e
			if p := ev.CurrentPath(); s < e && p != JSONKeyAt(line, s) {
				t.Fatalf("%q: EachValue at %d: path %q, At %q", line, s, p, JSONKeyAt(line, s))
			}
		})
		// A reader reading on from pos gives what reading each position
		// from the start gives, valid JSON or not; the strings it tells
		// of as it reads (OnString), once each, have what Span gives at
		// their first and last positions.
		var r JSONKeyReader
		var strs []toldSpan
		r.OnString(func(lo, hi int, path string) { strs = append(strs, toldSpan{lo, hi, path}) })
		r.Reset(line)
		for p := pos; p < len(line); p++ {
			if got, want := r.At(p), JSONKeyAt(line, p); got != want {
				t.Fatalf("%q at %d, reading on from %d: got %q, want %q", line, p, pos, got, want)
			}
		}
		r.At(0) // back to the start: the strings are not told again
		r.At(len(line) - 1)
		checkTold(t, line, strs, func(p int) (string, int, int) {
			var f JSONKeyReader
			f.Reset(line)
			return f.Span(p)
		})
	})
}

func BenchmarkJSONKeyAt(b *testing.B) {
	line := []byte(`{"ts":"2024-01-01T00:00:00Z","level":"info","msg":"login ok","user":{"id":7,"name":"Ola","email":"ola@example.no"},"req":{"ip":"10.0.0.1"}}`)
	pos := bytes.Index(line, []byte("10.0.0.1"))
	b.SetBytes(int64(pos))
	b.ReportAllocs()
	for b.Loop() {
		_ = JSONKeyAt(line, pos)
	}
}

// chunkReader is what checkChunks needs of a key-path reader whose state
// S carries a document from chunk to chunk (JSONKeyReader, XMLKeyReader).
type chunkReader[S any] interface {
	ResetState(line []byte, st *S)
	SetCheckpoints(every int)
	At(pos int) string
	StateAt(pos int, st *S)
}

// checkChunks reads doc in overlapping chunks, as the files reader cuts a
// document, each chunk's reader started in the state its predecessor left
// at the chunk's start (StateAt), and checks every position of every chunk
// against one reader of the whole document, read both in order and, with
// checkpoints, out of order.
func checkChunks[S any](t *testing.T, whole, r chunkReader[S], doc []byte, starts []int, overlap int) {
	t.Helper()
	checkChunksCut(t, whole, r, doc, starts, overlap, false)
}

// checkChunksCut is checkChunks; with lines, each chunk ends at a line's
// end, as the files reader cuts text where it can (a line-based reader,
// YAML's, needs its lines whole).
func checkChunksCut[S any](t *testing.T, whole, r chunkReader[S], doc []byte, starts []int, overlap int, lines bool) {
	t.Helper()
	orig := string(doc)
	defer func() {
		if string(doc) != orig {
			t.Fatalf("%q: the reader changed the text to %q", orig, doc)
		}
	}()
	whole.ResetState(doc, nil)
	want := make([]string, len(doc))
	for p := range doc {
		want[p] = whole.At(p)
	}
	var st, next S
	r.SetCheckpoints(7)
	for k, s := range starts {
		e := len(doc)
		if k+1 < len(starts) {
			e = min(len(doc), starts[k+1]+overlap)
			if i := bytes.IndexByte(doc[e:], '\n'); lines && i >= 0 {
				e += i + 1
			} else if lines {
				e = len(doc)
			}
		}
		seed := &st
		if k == 0 {
			seed = nil
		}
		r.ResetState(doc[s:e], seed)
		for p := s; p < e; p++ {
			if got := r.At(p - s); got != want[p] {
				t.Fatalf("%q cut at %v: chunk %d at %d (%q): got %q, want %q", doc, starts, k, p, doc[p], got, want[p])
			}
		}
		for p := e - 1; p >= s; p -= 3 {
			if got := r.At(p - s); got != want[p] {
				t.Fatalf("%q cut at %v: chunk %d at %d backwards: got %q, want %q", doc, starts, k, p, got, want[p])
			}
		}
		if k+1 < len(starts) {
			r.StateAt(starts[k+1]-s, &next)
			st, next = next, st
		}
	}
}

// everyCut calls check with the starts of two or three chunks of doc, for
// every second chunk's start and a third's every step bytes after it.
func everyCut(doc []byte, step int, check func(starts []int)) {
	for a := 1; a < len(doc); a++ {
		for b := a; b < len(doc); b += step {
			starts := []int{0, a}
			if b > a {
				starts = append(starts, b)
			}
			check(starts)
		}
	}
}

// fuzzCuts returns the starts of random chunks of doc: 0, then positions
// a pseudo-random step apart, from seed.
func fuzzCuts(doc []byte, seed uint64) []int {
	starts := []int{0}
	for p := 0; len(doc) > 0; {
		seed = seed*6364136223846793005 + 1442695040888963407
		p += 1 + int(seed>>33)%max(1, len(doc)/3+1)
		if p >= len(doc) {
			break
		}
		starts = append(starts, p)
	}
	return starts
}

// pathAt returns the path r gives at doc[pos], reading doc from its start.
func pathAt[S any](r chunkReader[S], doc []byte, pos int) string {
	r.ResetState(doc, nil)
	return r.At(pos)
}

func checkJSONChunks(t *testing.T, doc []byte, starts []int, overlap int) {
	t.Helper()
	checkChunks[JSONState](t, &JSONKeyReader{}, &JSONKeyReader{}, doc, starts, overlap)
}

func TestJSONState(t *testing.T) {
	docs := []string{
		"{\n  \"users\": [\n    {\"navn\": \"Kari\", \"kontakt\": {\"epost\": \"kari@firma.no\"}},\n    {\"navn\": \"Ola\", \"tlf\": [\"+47 912 34 567\", \"22 22 22 22\"]}\n  ],\n  \"n\": 2\n}\n",
		`[{"a":"x\\\"y","b\"c":{"d":[1,2,{"e":"f"}]}},{"g":"h"}]`,
		`{"a\\\\":"\\\\","k\\"ey":{"x":"y\\\\\\"z"}}`,
		"{\"broken\": \"no end\n, \"next\": 1}",
		`{"users":{"kari@example.no":{"tlf":"99999999"}}}`,
	}
	for _, d := range docs {
		doc := []byte(d)
		// Every pair of cuts, with no overlap and with a little.
		everyCut(doc, 5, func(starts []int) {
			checkJSONChunks(t, doc, starts, 0)
			checkJSONChunks(t, doc, starts, 3)
		})
	}
}

func TestJSONStateOwnsKeys(t *testing.T) {
	doc := []byte(`{"kontakt":{"epost":"kari@firma.no","tlf":"912"}}`)
	var r JSONKeyReader
	r.Reset(doc)
	var st JSONState
	cut := bytes.Index(doc, []byte("kari"))
	r.StateAt(cut, &st)
	for i := range doc {
		doc[i] = 'x' // the state must not refer to the bytes read
	}
	rest := []byte(`kari@firma.no","tlf":"912"}}`)
	r.ResetState(rest, &st)
	if got := r.At(0); got != "kontakt.epost" {
		t.Errorf("after the cut: %q, want kontakt.epost", got)
	}
	if got := r.At(len(rest) - 4); got != "kontakt.tlf" {
		t.Errorf("further on: %q, want kontakt.tlf", got)
	}
}

func FuzzJSONState(f *testing.F) {
	f.Add([]byte(`{"a":[{"b":"c\\"d"},{"e":{"f":1}}],"g\"h":"i"}`), uint64(12345), uint8(2))
	f.Add([]byte("{\n \"k\": \"v\n\", \"x\": [1]}"), uint64(7), uint8(0))
	f.Fuzz(func(t *testing.T, doc []byte, seed uint64, overlap uint8) {
		if len(doc) > 512 {
			return
		}
		starts := fuzzCuts(doc, seed)
		checkJSONChunks(t, doc, starts, int(overlap%8))
		checkOnValue[JSONState](t, doc, &JSONKeyReader{}, &JSONKeyReader{}, seed)
	})
}

func TestJSONEachValue(t *testing.T) {
	doc := []byte("{\"kunder\": [\n {\"navn\": \"Kari Nordmann\", \"tlf\": [\"1\", \"2\"], \"adr\": {\"gate\": \"Storgata 1\"}},\n {\"navn\": \"Bj\\u00f8rn\", \"x\": 1, \"y\": \"unterminated\n}]}")
	var r JSONKeyReader
	r.Reset(doc)
	var got []string
	r.EachValue(0, len(doc), func(key []byte, s, e int) {
		got = append(got, string(key)+"="+UnescapeJSON(doc[s:e])+"@"+r.CurrentPath())
	})
	want := []string{"navn=Kari Nordmann@kunder[].navn", "gate=Storgata 1@kunder[].adr.gate", "navn=Bjørn@kunder[].navn"}
	if !slices.Equal(got, want) {
		t.Errorf("values %q, want %q", got, want)
	}
	// Only the strings that open in [from, to).
	from := bytes.Index(doc, []byte(`"Storgata`))
	got = got[:0]
	r.Reset(doc)
	r.EachValue(from, from+1, func(key []byte, s, e int) { got = append(got, string(doc[s:e])) })
	if !slices.Equal(got, []string{"Storgata 1"}) {
		t.Errorf("in [from, to): %q", got)
	}
}

// TestJSONLongKey: a key longer than jsonMaxKey is written "*", whole or
// cut into chunks anywhere, and a state keeps a bounded part of it.
func TestJSONLongKey(t *testing.T) {
	long := strings.Repeat("k", 5000)
	doc := []byte(`{"` + long + `": {"epost": "kari@example.no"}, "b": {"` + long + `x": 1}}`)
	pos := bytes.Index(doc, []byte("kari"))
	if got := JSONKeyAt(doc, pos); got != "*.epost" {
		t.Errorf("whole: %q, want *.epost", got)
	}
	for _, cut := range []int{1, 2, 3, 100, 2500, 4999, 5002, 5003, 5005, pos} {
		checkJSONChunks(t, doc, []int{0, cut}, 5)
		var r JSONKeyReader
		r.Reset(doc)
		var st JSONState
		r.StateAt(cut, &st)
		size := len(st.key)
		for _, f := range st.frames {
			size += len(f.ownKey)
		}
		if size > 2*(jsonMaxKey+1) {
			t.Errorf("cut at %d: the state keeps %d bytes of keys", cut, size)
		}
	}
}

// OnString tells each string that is not a key once, with its key path
// and the bounds Span gives inside it.
func TestJSONOnString(t *testing.T) {
	line := []byte(`{"a":"bc","d":["e"],"f":{"g":"h"}}`)
	var got []string
	var r JSONKeyReader
	r.OnString(func(lo, hi int, path string) { got = append(got, fmt.Sprintf("%s=%q", line[lo:hi], path)) })
	r.Reset(line)
	r.At(len(line) - 1)
	r.At(3) // back: told already
	r.At(len(line) - 1)
	want := []string{`bc"="a"`, `e"="d[]"`, `h"="f.g"`} // values, not keys
	if strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("told %v, want %v", got, want)
	}
}
