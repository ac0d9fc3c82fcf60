package detectors

import (
	"strings"
	"unicode/utf8"
)

// Signal is what the context around a value says about it.
type Signal int8

// Context signals.
const (
	NoSignal Signal = 0
	Boost    Signal = 1  // a word for this kind of value (fnr, tlf, e-post, …)
	Against  Signal = -1 // a word for another kind of identifier (kontonr, ordrenr, KID, …)
)

// ContextWindow is how many bytes before a value are searched for context words.
const ContextWindow = 60

// WordSet is a set of context words, folded (lower case, æøåäö to ASCII) and
// matched as whole tokens or token sequences.
type WordSet struct {
	// tab holds the words by wordHash in open addressing (a power of two
	// long, at most a quarter full, "" for empty): a lookup hashes a short
	// token in a few instructions, where a map's costs more.
	tab      []string
	hasEmpty bool // "" is in the set (tab cannot hold it)
	max      int  // longest phrase in tokens
	// first and last are bitmaps over (length%32, first/last byte) of every
	// word: a token that misses either is not in the set, without hashing.
	first, last [32 * 256 / 64]uint64
}

func (ws *WordSet) mark(w string) {
	if w == "" {
		return
	}
	i := (len(w)%32)*256 + int(w[0])
	ws.first[i/64] |= 1 << (i % 64)
	i = (len(w)%32)*256 + int(w[len(w)-1])
	ws.last[i/64] |= 1 << (i % 64)
}

// mayHave is the cheap prefilter in front of the table.
func (ws *WordSet) mayHave(tok []byte) bool {
	if len(tok) == 0 {
		return false
	}
	return ws.mayHaveShape(len(tok), tok[0], tok[len(tok)-1])
}

// mayHaveShape is mayHave of a word of n bytes (n > 0) that starts with
// first and ends with last, for a phrase not yet built.
func (ws *WordSet) mayHaveShape(n int, first, last byte) bool {
	i := (n%32)*256 + int(first)
	if ws.first[i/64]&(1<<(i%64)) == 0 {
		return false
	}
	i = (n%32)*256 + int(last)
	return ws.last[i/64]&(1<<(i%64)) != 0
}

// mayHaveEither is mayHaveShape for either of two sets, nil ones left out.
func mayHaveEither(boost, against *WordSet, n int, first, last byte) bool {
	return boost != nil && boost.mayHaveShape(n, first, last) || against != nil && against.mayHaveShape(n, first, last)
}

// NewWordSet builds a set from words and phrases ("national identity number").
func NewWordSet(words ...string) *WordSet {
	ws := &WordSet{}
	set := make(map[string]bool, len(words))
	for _, w := range words {
		f := Fold(w)
		// "d-nummer" is also written "d nummer" (d_nummer as a column name).
		for _, v := range []string{f, strings.ReplaceAll(f, "-", " ")} {
			set[v] = true
			ws.mark(v)
			if n := strings.Count(v, " ") + 1; n > ws.max {
				ws.max = n
			}
		}
	}
	n := 16
	for n < 4*len(set) {
		n *= 2
	}
	ws.tab = make([]string, n)
	for w := range set {
		if w == "" {
			ws.hasEmpty = true
			continue
		}
		i := wordHash(w) & uint32(n-1)
		for ws.tab[i] != "" {
			i = (i + 1) & uint32(n-1)
		}
		ws.tab[i] = w
	}
	return ws
}

// wordHash is FNV-1a over the bytes of a word (a string or a []byte
// converted without a copy).
func wordHash[T ~string | ~[]byte](w T) uint32 {
	h := uint32(2166136261)
	for i := 0; i < len(w); i++ {
		h = (h ^ uint32(w[i])) * 16777619
	}
	return h
}

// inSet reports whether the folded token or phrase w is in ws.
func inSet[T ~string | ~[]byte](ws *WordSet, w T) bool {
	if len(w) == 0 {
		return ws.hasEmpty
	}
	if len(ws.tab) == 0 {
		return false // the zero WordSet
	}
	m := uint32(len(ws.tab) - 1)
	for i := wordHash(w) & m; ws.tab[i] != ""; i = (i + 1) & m {
		if ws.tab[i] == string(w) {
			return true
		}
	}
	return false
}

// has reports whether the folded token tok is in the set.
func (ws *WordSet) has(tok []byte) bool { return inSet(ws, tok) }

// Has reports whether the folded token or phrase t is in the set.
func (ws *WordSet) Has(t string) bool { return ws != nil && inSet(ws, t) }

// Words returns the set's words in no particular order.
func (ws *WordSet) Words() []string {
	var out []string
	if ws.hasEmpty {
		out = append(out, "")
	}
	for _, w := range ws.tab {
		if w != "" {
			out = append(out, w)
		}
	}
	return out
}

// Fold lower-cases s and maps Nordic letters to ASCII (ø→o, å→a, æ→ae, ä→a, ö→o).
func Fold(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s {
		switch r {
		case 'æ', 'Æ':
			b.WriteString("ae")
		case 'ø', 'Ø', 'ö', 'Ö', 'ó', 'ò', 'ô':
			b.WriteByte('o')
		case 'å', 'Å', 'ä', 'Ä', 'á', 'à', 'â':
			b.WriteByte('a')
		case 'é', 'è', 'ê', 'É':
			b.WriteByte('e')
		case 'ü', 'Ü', 'ú':
			b.WriteByte('u')
		default:
			if r < utf8.RuneSelf {
				if r >= 'A' && r <= 'Z' {
					r += 'a' - 'A'
				}
				b.WriteByte(byte(r))
			} else {
				b.WriteRune(r)
			}
		}
	}
	return b.String()
}

// tokenByte reports whether c belongs inside a context token. Dots and
// hyphens join ("f.nr", "d-nummer", "tel.nr"); they are trimmed at the ends.
func tokenByte(c byte) bool {
	return IsAlnum(c) || c == '.' || c == '-'
}

// tokenClass is tokenByte as a table: 0 for no token byte, 1 for one, 2
// for one that may end a Unicode space (spaceBefore). A constant lookup
// table.
var tokenClass = func() (t [256]byte) {
	for c := range 256 {
		if tokenByte(byte(c)) {
			t[c] = 1
		}
	}
	t[0x89], t[0xa0], t[0xaf] = 2, 2, 2
	return t
}()

// spaceBefore returns the length of a Unicode space that ends b[:i] (a
// no-break space U+00A0, a narrow one U+202F, a thin one U+2009, as word
// processors and typography put between a label and its value), or 0:
// its bytes are no token's, though tokenByte takes every byte beyond
// ASCII.
func spaceBefore(b []byte, i int) int {
	switch {
	case i >= 2 && b[i-1] == 0xa0 && b[i-2] == 0xc2:
		return 2
	case i >= 3 && b[i-3] == 0xe2 && b[i-2] == 0x80 && (b[i-1] == 0xaf || b[i-1] == 0x89):
		return 3
	}
	return 0
}

// wordStart returns where the words of a context window b[lo:hi] begin: lo,
// or past the tail of a word the window cut (syscall cut to "call" is not a
// phone word).
func wordStart(b []byte, lo, hi int) int {
	if lo > 0 && tokenByte(b[lo-1]) {
		for lo < hi && tokenByte(b[lo]) && (b[lo] < 0x80 || spaceBefore(b[:hi], min(lo+2, hi)) != 2 && spaceBefore(b[:hi], min(lo+3, hi)) != 3) {
			lo++
		}
	}
	return lo
}

// Tokens splits text into folded tokens, nearest last. Underscores, camelCase
// and punctuation separate tokens, so "customer_fnr" and "userEmail" yield
// their parts.
func Tokens(text string) []string {
	var toks []string
	i := 0
	for i < len(text) {
		for i < len(text) && !tokenByte(text[i]) {
			i++
		}
		s := i
		for i < len(text) && tokenByte(text[i]) {
			// camelCase boundary: lower followed by upper
			if i > s && text[i] >= 'A' && text[i] <= 'Z' && text[i-1] >= 'a' && text[i-1] <= 'z' {
				break
			}
			i++
		}
		if i > s {
			t := strings.Trim(text[s:i], ".-")
			if t != "" {
				toks = append(toks, Fold(t))
			}
		}
	}
	return toks
}

// classify looks at tokens from the nearest backwards and returns the first
// signal found; phrases of up to ws.max tokens are tried too. A token that
// is a bare number is skipped.
func classify(toks []string, boost, against *WordSet) Signal {
	for i := len(toks) - 1; i >= 0; i-- {
		// Longer phrases first: "national id" is a boost although "id"
		// alone argues against.
		for n := min(3, i+1); n >= 1; n-- {
			p := toks[i-n+1]
			if d := strings.LastIndexByte(p, '.'); d >= 0 && n > 1 {
				p = p[d+1:] // a key path's last part starts the phrase: customer.national id
			}
			joined := p
			for j := i - n + 2; j <= i; j++ {
				p += " " + toks[j]
				joined += toks[j]
			}
			// "national identity number", and split forms of one word: personNummer, fodsels_nr.
			if boost.Has(p) || (n > 1 && boost.Has(joined)) {
				return Boost
			}
			if against.Has(p) || (n > 1 && against.Has(joined)) {
				return Against
			}
			if n == 1 && strings.ContainsAny(p, ".-") {
				if sig := classifyJoined(p, boost, against); sig != NoSignal {
					return sig
				}
			}
		}
	}
	return NoSignal
}

// classifyJoined tries the forms of a token with dots or hyphens: joined
// ("tel.nr" → "telnr") and, nearest first, its parts ("user.fnr" → "fnr",
// a JSON key path).
func classifyJoined(tok string, boost, against *WordSet) Signal {
	q := dropDotsHyphens(tok)
	if boost.Has(q) {
		return Boost
	}
	if against.Has(q) {
		return Against
	}
	parts := strings.FieldsFunc(tok, func(r rune) bool { return r == '.' || r == '-' })
	for i := len(parts) - 1; i >= 0; i-- {
		if boost.Has(parts[i]) {
			return Boost
		}
		if against.Has(parts[i]) {
			return Against
		}
	}
	return NoSignal
}

// keyContext caches the classification of Input.Key per word-set pair.
type keyContext struct {
	boost, against *WordSet
	sig            Signal
	done           bool
}

// KeySignal classifies the key (column name, header, JSON key path) alone.
func KeySignal(key string, boost, against *WordSet) Signal {
	if key == "" {
		return NoSignal
	}
	return classify(Tokens(key), boost, against)
}

// Context returns what the words before Buf[start] (up to ContextWindow
// bytes, not across a line break) and the value's key say about it. Text
// before the value wins over the key when both speak.
func (in *Input) Context(start int, boost, against *WordSet) Signal {
	lo := max(start-ContextWindow, 0)
	cut := -1 // the line break in Buf[lo:start], from lo
	if at := in.lastLineBreak(lo, start); at >= 0 {
		cut = at - lo
	}
	key := ""
	if in.KeyAt != nil {
		key = in.KeyAt(start)
	}
	if key != "" && in.KeyCut != 0 {
		// Structured text: the words before a value inside its own
		// string are context ("msg": "fnr 15038712486"); the keys and
		// values before the string are not: the value's key path is.
		// Outside any key (an XML prolog, a comment before the root)
		// the text is free text.
		cut = max(cut, lastOpening(in.Buf[lo:start], in.KeyCut))
	}
	if cut < 0 {
		lo = wordStart(in.Buf, lo, start)
	} else {
		lo += cut + 1
	}
	if sig := classifyWindow(in.Buf[lo:start], boost, against); sig != NoSignal {
		return sig
	}
	if key != "" {
		return in.pathSignal(key, boost, against)
	}
	return in.keySignal(boost, against)
}

// pathSig is a key path and the word sets it is classified against.
type pathSig struct {
	path           string
	boost, against *WordSet
}

// maxPathSigs bounds Input.pathSigs.
const maxPathSigs = 4096

// lastPathSig is a key path's signal among those asked last (Input.lastSigs).
type lastPathSig struct {
	k   pathSig
	sig Signal
	set bool
}

// pathSignal is KeySignal of a key path, cached: first among the four
// asked last (a detector asks of one key's values again and again), then
// in a map, whose lookup hashes the path.
func (in *Input) pathSignal(path string, boost, against *WordSet) Signal {
	k := pathSig{path, boost, against}
	for i := range in.lastSigs {
		if e := &in.lastSigs[i]; e.set && e.k == k {
			return e.sig
		}
	}
	sig, ok := in.pathSigs[k]
	if !ok {
		if in.pathSigs == nil || len(in.pathSigs) >= maxPathSigs {
			in.pathSigs = make(map[pathSig]Signal)
		}
		sig = KeySignal(path, boost, against)
		in.pathSigs[k] = sig
	}
	in.lastSigs[in.lastSigAt] = lastPathSig{k, sig, true}
	in.lastSigAt = (in.lastSigAt + 1) % len(in.lastSigs)
	return sig
}

// lastOpening returns the index of the last c in b that opens a value: for
// JSON's quote, one not escaped (a HAR's postData holds JSON in a string,
// {\"tlf\": \"+47 …\"}: its escaped quotes are text). -1 when none.
func lastOpening(b []byte, c byte) int {
	for {
		i := lastIndexByte(b, c)
		if i <= 0 || c != '"' || b[i-1] != '\\' {
			return i
		}
		bs := 0
		for j := i - 1; j >= 0 && b[j] == '\\'; j-- {
			bs++
		}
		if bs%2 == 0 {
			return i // \\" : an escaped backslash, then the quote
		}
		b = b[:i-1]
	}
}

// keySignal is KeySignal of Input.Key, cached per word-set pair: in the
// chunk, and across chunks with the key paths' (pathSignal).
func (in *Input) keySignal(boost, against *WordSet) Signal {
	if in.Key == "" {
		return NoSignal
	}
	kc := &in.keyCtx
	if !kc.done || kc.boost != boost || kc.against != against {
		// A column's key is asked about again in each of its chunks (a
		// sheet's or a table's column comes a block of cells at a
		// time): kept with the key paths, across Reset.
		*kc = keyContext{boost: boost, against: against, sig: in.pathSignal(in.Key, boost, against), done: true}
	}
	return kc.sig
}

// KeyContext returns what Input.Key alone (the column name or CSV header,
// not a JSON key path) says, cached per word-set pair: the cheap test a
// detector can make before validating a candidate.
func (in *Input) KeyContext(boost, against *WordSet) Signal {
	if in.KeyAt != nil {
		return NoSignal
	}
	return in.keySignal(boost, against)
}

// nearestWord reports whether the token right before Buf[start] (past at
// most four separator bytes on the same line) is in ws: the cheap context
// test for bare numbers, which only count when a word names them directly
// ("cpr: 0707614285", {"cpr":"…"}).
func (in *Input) nearestWord(start int, ws *WordSet) bool {
	b := in.Buf
	e := start
	for k := 0; k < 4 && e > 0; k++ {
		if n := spaceBefore(b, e); n > 0 {
			e -= n // one separator
			continue
		}
		if tokenByte(b[e-1]) {
			break
		}
		if b[e-1] == '\n' {
			return false
		}
		e--
	}
	s := e
	for s > 0 && e-s < maxTok && tokenByte(b[s-1]) && (b[s-1] < 0x80 || spaceBefore(b, s) == 0) {
		s--
	}
	for s < e && (b[s] == '.' || b[s] == '-') {
		s++
	}
	for e > s && (b[e-1] == '.' || b[e-1] == '-') {
		e--
	}
	if s >= e || (s > 0 && tokenByte(b[s-1])) {
		return false
	}
	var t foldedTok
	foldInto(&t, b[s:e])
	if t.n <= 0 {
		return false
	}
	tok := t.b[:t.n]
	if lookup(tok, ws, nil) == Boost {
		return true
	}
	return bytesContainsAny(tok) && classifyJoinedBytes(tok, ws, nil) == Boost
}

// Adjust moves a base confidence by a context signal: Boost raises it one
// level (to at most High), Against lowers it one level (to at least Low).
func Adjust(c Confidence, s Signal) Confidence {
	switch {
	case s == Boost && c < High:
		return c + 1
	case s == Against && c > Low:
		return c - 1
	}
	return c
}

// maxTok is the longest token classifyWindow folds; longer tokens match nothing.
const maxTok = 40

// foldedTok is a token folded into a fixed buffer.
type foldedTok struct {
	b [maxTok]byte
	n int // -1: too long to be a word
	// cut is where the token's last part after a dot starts (a key
	// path's: customer.national → national), 0 without a dot; sep is
	// set when the token holds a '.' or a '-'.
	cut int
	sep bool
}

// foldInto folds src (one token) into t without allocating.
func foldInto(t *foldedTok, src []byte) {
	n := 0
	t.cut, t.sep = 0, false
	for i := 0; i < len(src); {
		c := src[i]
		if c < utf8.RuneSelf {
			if c >= 'A' && c <= 'Z' {
				c += 'a' - 'A'
			}
			if n >= maxTok {
				t.n = -1
				return
			}
			t.b[n] = c
			n++
			i++
			if c <= '.' && (c == '.' || c == '-') {
				t.sep = true
				if c == '.' {
					t.cut = n
				}
			}
			continue
		}
		r, size := utf8.DecodeRune(src[i:])
		i += size
		var rep string
		switch r {
		case 'æ', 'Æ':
			rep = "ae"
		case 'ø', 'Ø', 'ö', 'Ö', 'ó', 'ò', 'ô':
			rep = "o"
		case 'å', 'Å', 'ä', 'Ä', 'á', 'à', 'â':
			rep = "a"
		case 'é', 'è', 'ê', 'É':
			rep = "e"
		case 'ü', 'Ü', 'ú':
			rep = "u"
		default:
			rep = string(src[i-size : i])
		}
		if n+len(rep) > maxTok {
			t.n = -1
			return
		}
		n += copy(t.b[n:], rep)
	}
	t.n = n
}

// classifyWindow is classify(Tokens(window)) without allocating: it walks
// the tokens from the nearest backwards, trying each token alone, its joined
// and dotted forms, and the two- and three-token phrases it starts.
func classifyWindow(w []byte, boost, against *WordSet) Signal {
	var toks [3]foldedTok // toks[0] current, toks[1] the next nearer, toks[2] the one after
	have := 0
	pending := NoSignal // a single token argued against: the next may start a boost phrase
	var phrase [3*maxTok + 2]byte
	i := len(w)
	for i > 0 {
		for i > 0 {
			t := tokenClass[w[i-1]]
			if t == 0 {
				i--
				continue
			}
			n := 0
			if t == 2 {
				n = spaceBefore(w, i)
			}
			if n == 0 {
				break
			}
			i -= n
		}
		e := i
		for i > 0 {
			if t := tokenClass[w[i-1]]; t == 0 || t == 2 && spaceBefore(w, i) > 0 {
				break
			}
			// camelCase boundary: lower before upper
			if i < e && w[i] >= 'A' && w[i] <= 'Z' && w[i-1] >= 'a' && w[i-1] <= 'z' {
				break
			}
			i--
		}
		s := i
		for s < e && (w[s] == '.' || w[s] == '-') {
			s++
		}
		for e > s && (w[e-1] == '.' || w[e-1] == '-') {
			e--
		}
		if s >= e {
			continue
		}
		toks[2], toks[1] = toks[1], toks[0]
		foldInto(&toks[0], w[s:e])
		if have < 3 {
			have++
		}
		t := &toks[0]
		if t.n < 0 {
			continue
		}
		tok := t.b[:t.n]
		if pending != NoSignal {
			// The token after this one argued against on its own; a
			// phrase this token starts ("national id", "person id") wins.
			if phraseSignal(&toks, 2, &phrase, boost, against) == Boost {
				return Boost
			}
			return pending
		}
		if sig := lookup(tok, boost, against); sig == Against {
			// "id" argues against, "id number" and "national id" for:
			// phrases starting here, then one token farther, decide.
			for n := 2; n <= have; n++ {
				if phraseSignal(&toks, n, &phrase, boost, against) == Boost {
					return Boost
				}
			}
			pending = sig
			continue
		} else if sig != NoSignal {
			return sig
		}
		if t.sep {
			if sig := classifyJoinedBytes(tok, boost, against); sig != NoSignal {
				return sig
			}
		}
		// Phrases starting here: "national identity number", and split
		// forms of one word ("person nummer" → "personnummer").
		for n := 2; n <= have; n++ {
			sig := phraseSignal(&toks, n, &phrase, boost, against)
			if sig == phraseBroken {
				break
			}
			if sig != NoSignal {
				return sig
			}
		}
	}
	return pending
}

// phraseBroken is phraseSignal's answer when a token of the phrase was too
// long to be a word.
const phraseBroken Signal = 2

// phraseSignal looks up the phrase of the n tokens toks[0..n-1] (farthest
// first), spaced and joined.
func phraseSignal(toks *[3]foldedTok, n int, phrase *[3*maxTok + 2]byte, boost, against *WordSet) Signal {
	// The phrase's length and end bytes first: most phrases are in
	// neither set's prefilter (WordSet.mayHave), and need not be built.
	total := 0
	for k := 0; k < n; k++ {
		if toks[k].n < 0 {
			return phraseBroken
		}
		total += toks[k].n
	}
	// A key path's last part starts the phrase: customer.national id.
	w0 := toks[0].b[toks[0].cut:toks[0].n]
	total -= toks[0].cut
	// (An empty first part or last token, rare, skips the test.)
	if last := &toks[n-1]; len(w0) > 0 && last.n > 0 {
		if z := last.b[last.n-1]; !mayHaveEither(boost, against, total+n-1, w0[0], z) && !mayHaveEither(boost, against, total, w0[0], z) {
			return NoSignal
		}
	}
	sp, jn := 0, 0
	var joined [3 * maxTok]byte
	for k := 0; k < n; k++ {
		p := &toks[k]
		w := p.b[:p.n]
		if k == 0 {
			w = w0
		}
		if k > 0 {
			phrase[sp] = ' '
			sp++
		}
		sp += copy(phrase[sp:], w)
		jn += copy(joined[jn:], w)
	}
	if sig := lookup(phrase[:sp], boost, against); sig != NoSignal {
		return sig
	}
	return lookup(joined[:jn], boost, against)
}

func lookup(tok []byte, boost, against *WordSet) Signal {
	if boost != nil && boost.mayHave(tok) {
		if boost.has(tok) {
			return Boost
		}
	}
	if against != nil && against.mayHave(tok) {
		if against.has(tok) {
			return Against
		}
	}
	return NoSignal
}

func bytesContainsAny(tok []byte) bool {
	for _, c := range tok {
		if c == '.' || c == '-' {
			return true
		}
	}
	return false
}

// classifyJoinedBytes is classifyJoined without allocating.
func classifyJoinedBytes(tok []byte, boost, against *WordSet) Signal {
	var j [maxTok]byte
	n := 0
	for _, c := range tok {
		if c != '.' && c != '-' {
			j[n] = c
			n++
		}
	}
	if sig := lookup(j[:n], boost, against); sig != NoSignal {
		return sig
	}
	e := len(tok)
	for k := len(tok) - 1; k >= -1; k-- {
		if k == -1 || tok[k] == '.' || tok[k] == '-' {
			if part := tok[k+1 : e]; len(part) > 0 {
				if sig := lookup(part, boost, against); sig != NoSignal {
					return sig
				}
			}
			e = k
		}
	}
	return NoSignal
}

// dropDotsHyphens returns s without its '.' and '-' bytes ("tel.nr" →
// "telnr"), allocating only when it has any.
func dropDotsHyphens(s string) string {
	if !strings.ContainsAny(s, ".-") {
		return s
	}
	b := make([]byte, 0, len(s))
	for i := 0; i < len(s); i++ {
		if s[i] != '.' && s[i] != '-' {
			b = append(b, s[i])
		}
	}
	return string(b)
}
