package detectors

import (
	"bytes"
	"math/rand/v2"
	"strings"
	"testing"
)

func TestContextSignals(t *testing.T) {
	boost, against := NationalIDWords(), NationalIDAgainst()
	cases := []struct {
		before, key string
		want        Signal
	}{
		{"kunde fnr: ", "", Boost},
		{"Fødselsnummer ", "", Boost},
		{"f.nr. ", "", Boost},
		{"kontonr ", "", Against},
		{"fnr 01019012345 ordrenr ", "", Against}, // nearest word wins
		{"ordrenr 1, fnr=", "", Boost},
		{"", "fodselsnummer", Boost},
		{"", "customer_fnr", Boost},
		{"", "user.fnr", Boost}, // JSON key path
		{"", "d_nummer", Boost},
		{"", "personNummer", Boost},
		{"", "order.id", Against},
		{"previous line fnr\n", "", NoSignal}, // not across a line break
		{"nothing to see: ", "", NoSignal},
	}
	for _, c := range cases {
		var in Input
		buf := []byte(c.before + "01019012345")
		in.Reset(buf, c.key)
		if got := in.Context(len(c.before), boost, against); got != c.want {
			t.Errorf("Context(%q, key %q) = %d, want %d", c.before, c.key, got, c.want)
		}
	}
}

// TestContextWindowCutsNoWord: a word cut by the start of the context
// window is not read as the word its tail spells (a Go API listing:
// "syscall" cut to "call", a phone word, made 94 constants phone numbers
// at medium).
func TestContextWindowCutsNoWord(t *testing.T) {
	boost, against := PhoneWords(), PhoneAgainst()
	for _, c := range []struct {
		text string
		want Signal
	}{
		{"pkg syscall (windows-386), const CERT_TRUST_IS_EXPLICIT_DISTRUST = ", NoSignal},
		{"syscall" + string(bytesOf(' ', ContextWindow-4)), NoSignal},   // the window starts at "call"
		{"x " + "call" + string(bytesOf(' ', ContextWindow-4)), Boost},  // the window starts at a whole "call"
		{"call " + string(bytesOf('x', ContextWindow)) + " ", NoSignal}, // beyond the window
	} {
		var in Input
		buf := []byte(c.text + "67108864")
		in.Reset(buf, "")
		if got := in.Context(len(c.text), boost, against); got != c.want {
			t.Errorf("Context(%q) = %d, want %d", c.text, got, c.want)
		}
	}
	var in Input
	in.Reset([]byte("resample"+string(bytesOf(' ', exampleWindow-6))+"22 33 44 55"), "")
	if in.ExampleBefore(len(in.Buf) - len("22 33 44 55")) {
		t.Error(`ExampleBefore reads the tail of "resample" as "sample"`)
	}
}

func bytesOf(c byte, n int) []byte {
	b := make([]byte, n)
	for i := range b {
		b[i] = c
	}
	return b
}

func TestFold(t *testing.T) {
	for in, want := range map[string]string{"Fødselsnummer": "fodselsnummer", "ÆRLIG": "aerlig", "Förnamn": "fornamn", "e-POST": "e-post"} {
		if got := Fold(in); got != want {
			t.Errorf("Fold(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestClassifyWindowMatchesTokens: the allocation-free window classifier
// agrees with classify(Tokens(...)) on words, phrases and split forms.
func TestClassifyWindowMatchesTokens(t *testing.T) {
	boost, against := NationalIDWords(), NationalIDAgainst()
	texts := []string{
		"kunde fnr: ", "Fødselsnummer ", "f.nr. ", "kontonr ", "national identity number ",
		"personNummer=", "d-nummer: ", "user.fnr=", "ordre id ", "ordrenr 1, fnr=", "x y z ",
		"kunde.kontonr.fnr ", "en veldig lang tekst uten noen ord som betyr noe som helst ",
		"SAMORDNINGSNUMMER ", "pers.nr ", "p-nr ",
	}
	for _, s := range texts {
		want := classify(Tokens(s), boost, against)
		if got := classifyWindow([]byte(s), boost, against); got != want {
			t.Errorf("classifyWindow(%q) = %d, classify(Tokens) = %d", s, got, want)
		}
	}
	allocs := testing.AllocsPerRun(100, func() {
		classifyWindow([]byte("2026-03-02T09:16:32 ERROR kyc: validation failed for customer id "), boost, against)
	})
	if allocs != 0 {
		t.Errorf("classifyWindow allocates %v times per call", allocs)
	}
}

// BenchmarkClassifyWindow measures the context lookup detectors make for
// every candidate: a log line's window with no word, one with a word far
// back, and one with a phrase right before the value.
func BenchmarkClassifyWindow(b *testing.B) {
	boost, against := NationalIDWords(), NationalIDAgainst()
	for _, c := range []struct{ name, text string }{
		{"none", "2026-03-02T09:16:32 INFO worker-3 handled request in 12ms status "},
		{"far", "fnr 2026-03-02T09:16:32 INFO worker-3 handled request in 12ms "},
		{"phrase", "2026-03-02T09:16:32 kyc: customer national identity number "},
		{"key_path", "2026-03-02T09:16:32 payload customer.national_id="},
	} {
		w := []byte(c.text)
		b.Run(c.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				classifyWindow(w, boost, against)
			}
		})
	}
}

// BenchmarkKeySignal measures classifying a column name or key path once.
func BenchmarkKeySignal(b *testing.B) {
	boost, against := NationalIDWords(), NationalIDAgainst()
	b.ReportAllocs()
	for b.Loop() {
		KeySignal("customer.national_id", boost, against)
	}
}

// TestContextKeyCut: in structured text the words before a value count
// back to the byte that opens it (KeyCut): JSON's quote keeps another
// key's word out; YAML (no cut) keeps the line's own key and words.
func TestContextKeyCut(t *testing.T) {
	boost, against := PhoneWords(), PhoneAgainst()
	for _, c := range []struct {
		text string
		cut  byte
		want Signal
	}{
		{`{"tlf":"x","id":"`, '"', NoSignal},  // "tlf" is another value's key
		{`{"note":"ring tlf `, '"', Boost},    // words inside the value's own string
		{`labels: '{"tlf":"`, 0, Boost},       // YAML: the line holds JSON in a string
		{`kontakt: ring mobil `, 0, Boost},    // YAML: the line's words
		{`<notat>ring tlf `, '>', Boost},      // XML: the element's words
		{`<tlf>1</tlf><id>`, '>', NoSignal},   // XML: another element's name
		{`"text":"{\"tlf\": \"`, '"', Boost},  // JSON in a JSON string: its escaped quotes are text
		{`"tlf":"x\\","id":"`, '"', NoSignal}, // an escaped backslash, then the quote that ends tlf's value
	} {
		var in Input
		buf := []byte(c.text + "91234567")
		in.Reset(buf, "")
		in.KeyAt = func(int) string { return "x" }
		in.KeyCut = c.cut
		if got := in.Context(len(c.text), boost, against); got != c.want {
			t.Errorf("Context(%q, cut %q) = %d, want %d", c.text, c.cut, got, c.want)
		}
	}
}

// The open-addressing table finds exactly the set's words: every word and
// phrase of random sets (against the words as given, with their dashes
// also as spaces), of every detector's word sets and the example words,
// and no other token (prefixes, suffixes, near misses, random strings);
// a lookup allocates nothing.
func TestWordSetTable(t *testing.T) {
	r := rand.New(rand.NewPCG(10, 11))
	randWord := func() string {
		b := make([]byte, 1+r.IntN(12))
		for i := range b {
			b[i] = "abcdeo -.z"[r.IntN(10)]
		}
		return string(b)
	}
	check := func(ws *WordSet, want map[string]bool, extra []string) {
		t.Helper()
		for w := range want {
			extra = append(extra, w)
		}
		for _, w := range extra {
			for _, tok := range []string{w, w + "s", "x" + w, w[:len(w)-1]} {
				if got := ws.has([]byte(tok)); got != want[tok] {
					t.Fatalf("has(%q) = %v, want %v (set %v)", tok, got, want[tok], ws.Words())
				}
				if got := ws.Has(tok); got != want[tok] {
					t.Fatalf("Has(%q) = %v, want %v", tok, got, want[tok])
				}
			}
		}
		if len(ws.Words()) != len(want) {
			t.Fatalf("Words() = %v, want %d words", ws.Words(), len(want))
		}
	}
	for range 300 {
		var words, others []string
		want := map[string]bool{}
		for range r.IntN(40) {
			w := randWord()
			words = append(words, w)
			want[w], want[strings.ReplaceAll(w, "-", " ")] = true, true
		}
		for range 100 {
			others = append(others, randWord())
		}
		check(NewWordSet(words...), want, others)
	}
	for _, d := range All() {
		ws := NewWordSet(d.ContextWords()...)
		want := map[string]bool{}
		for _, w := range d.ContextWords() {
			want[w], want[strings.ReplaceAll(w, "-", " ")] = true, true
		}
		check(ws, want, []string{"to", "from", "ip", "client", "tlf"})
	}
	if !NewWordSet("", "a").Has("") || NewWordSet("a").Has("") {
		t.Error("the empty word")
	}
	var zero WordSet
	if zero.has([]byte("ip")) {
		t.Fatal("the zero WordSet has a word")
	}
	tok := []byte("fodselsnummer")
	if n := testing.AllocsPerRun(100, func() { exampleWords.has(tok) }); n != 0 {
		t.Errorf("has allocates %v times", n)
	}
}

// TestPhraseSignalPrefilter checks that phraseSignal's test of a phrase's
// length and end bytes turns no answer: on random tokens made of the sets'
// words, their parts and other words (key paths, empty last parts, tokens
// too long), it answers what building the phrase and looking it up
// answers (phraseSignalBuilt), for three pairs of sets.
func TestPhraseSignalPrefilter(t *testing.T) {
	sets := [][2]*WordSet{{NationalIDWords(), NationalIDAgainst()}, {BankWords(), BankAgainst()}, {PhoneWords(), PhoneAgainst()}}
	var vocab []string
	for _, p := range sets {
		for _, ws := range p {
			for _, w := range ws.Words() {
				vocab = append(vocab, w)
				vocab = append(vocab, strings.Fields(w)...)
				if len(w) > 4 {
					vocab = append(vocab, w[:len(w)/2], w[len(w)/2:])
				}
			}
		}
	}
	vocab = append(vocab, "kunde", "ordre", "x", "customer.", "customer.fnr", "a.b.", "id", strings.Repeat("z", maxTok+1))
	r := rand.New(rand.NewPCG(11, 12))
	signals := 0
	for range 100000 {
		p := sets[r.IntN(len(sets))]
		n := 2 + r.IntN(2)
		parts := make([]string, 3)
		for k := range parts {
			parts[k] = vocab[r.IntN(len(vocab))]
		}
		if r.IntN(2) == 0 {
			// A word of the sets cut into n parts, spaced or joined.
			words := p[r.IntN(2)].Words()
			w := words[r.IntN(len(words))]
			if f := strings.Fields(w); len(f) == n {
				copy(parts, f)
			} else if len(w) >= n {
				cut := 1 + r.IntN(len(w)-n+1)
				parts[0], parts[1] = w[:cut], w[cut:]
				if n == 3 && len(parts[1]) >= 2 {
					parts[1], parts[2] = parts[1][:1], parts[1][1:]
				}
			}
		}
		if r.IntN(4) == 0 {
			parts[0] = "kunde." + parts[0] // a key path's last part starts the phrase
		}
		var toks [3]foldedTok
		for k := range toks {
			foldInto(&toks[k], []byte(parts[k]))
		}
		var phrase [3*maxTok + 2]byte
		want := phraseSignalBuilt(&toks, n, p[0], p[1])
		if got := phraseSignal(&toks, n, &phrase, p[0], p[1]); got != want {
			var words []string
			for _, tok := range toks[:n] {
				words = append(words, string(tok.b[:max(tok.n, 0)]))
			}
			t.Fatalf("phraseSignal(%q) = %d, built and looked up: %d", words, got, want)
		}
		if want == Boost || want == Against {
			signals++
		}
	}
	if signals < 1000 {
		t.Fatalf("only %d phrases with a signal: the comparison proves little", signals)
	}
}

// phraseSignalBuilt is phraseSignal without its prefilter: the phrase is
// built, spaced and joined, and looked up.
func phraseSignalBuilt(toks *[3]foldedTok, n int, boost, against *WordSet) Signal {
	var spaced, joined []byte
	for k := 0; k < n; k++ {
		if toks[k].n < 0 {
			return phraseBroken
		}
		w := toks[k].b[:toks[k].n]
		if k == 0 {
			if d := bytes.LastIndexByte(w, '.'); d >= 0 {
				w = w[d+1:]
			}
		} else {
			spaced = append(spaced, ' ')
		}
		spaced = append(spaced, w...)
		joined = append(joined, w...)
	}
	if sig := lookup(spaced, boost, against); sig != NoSignal {
		return sig
	}
	return lookup(joined, boost, against)
}

// TestPathSignalCache asks for the signals of key paths under several
// detectors' word sets, in runs and interleaved, more pairs than the
// last-asked cache holds: each is KeySignal's, and the pairs that differ
// only in their word sets get their own.
func TestPathSignalCache(t *testing.T) {
	sets := [][2]*WordSet{{PhoneWords(), PhoneAgainst()}, {BankWords(), BankAgainst()}, {NationalIDWords(), NationalIDAgainst()}, {IPWords(), IPAgainst()}, {EmailWords(), nil}}
	paths := []string{"kunder[].telefon", "kunder[].kontonummer", "kunder[].fnr", "client.ip", "kunder[].epost", "ordre[].ref", "konto", "mobil"}
	var in Input
	r := rand.New(rand.NewPCG(5, 6))
	distinct := map[Signal]bool{}
	for k := range 3000 {
		p, ws := paths[r.IntN(len(paths))], sets[r.IntN(len(sets))]
		if k%3 != 0 { // runs of one pair, as a detector asks
			p, ws = paths[k/30%len(paths)], sets[k/90%len(sets)]
		}
		want := KeySignal(p, ws[0], ws[1])
		if got := in.pathSignal(p, ws[0], ws[1]); got != want {
			t.Fatalf("pathSignal(%q) under set %v = %v, want %v", p, ws[0] == sets[1][0], got, want)
		}
		distinct[want] = true
	}
	if len(distinct) < 2 {
		t.Fatal("every signal the same: the test proves little")
	}
}

// TestKeySignalAcrossChunks: a column's key, asked about in chunk after
// chunk by detector after detector, is classified once per word-set pair
// (kept across Reset with the key paths), and answers as KeySignal does.
func TestKeySignalAcrossChunks(t *testing.T) {
	sets := [][2]*WordSet{{PhoneWords(), PhoneAgainst()}, {BankWords(), BankAgainst()}, {NationalIDWords(), NationalIDAgainst()}, {EmailWords(), nil}}
	keys := []string{"Mobiltelefon", "Kontonummer", "Fødselsnummer", "E-postadresse", "Ordrenummer"}
	var in Input
	ask := func() {
		for _, k := range keys {
			in.Reset([]byte("x"), k) // the column's next chunk
			for _, ws := range sets {
				if got, want := in.KeyContext(ws[0], ws[1]), KeySignal(k, ws[0], ws[1]); got != want {
					t.Fatalf("KeyContext of %q = %v, want %v", k, got, want)
				}
			}
		}
	}
	ask()
	in.pathSigs = nil // the classifications counted from here
	in.lastSigs = [4]lastPathSig{}
	ask()
	if n := len(in.pathSigs); n != len(keys)*len(sets) {
		t.Fatalf("%d classifications kept, want %d", n, len(keys)*len(sets))
	}
	for k := range in.pathSigs {
		in.pathSigs[k] = Boost + Against + 7 // marked: an answer from here is the cache's
	}
	in.Reset([]byte("x"), keys[0])
	if got := in.KeyContext(sets[0][0], sets[0][1]); got != Boost+Against+7 {
		t.Errorf("a column's key in its next chunk was classified again (%v), not taken from the cache", got)
	}
}

// TestContextUnicodeSpace: a no-break, narrow or thin space between a
// word and its value (as word processors write "tlf 912 34 567") reads as
// a space: every detector grades the value as after an ASCII space, where
// the space's bytes (beyond ASCII, so token bytes) joined the word to it.
func TestContextUnicodeSpace(t *testing.T) {
	for _, tc := range []struct {
		d          Detector
		word, text string
	}{
		{NewPhone(), "tlf", "912 34 567"},
		{NewNoFnr(), "fnr", "08116315417"},
		{NewEmail(), "e-post", "kari@firma.no"},
		{NewDateOfBirth(fixedClock), "født", "15.03.1987"},
		{NewSePersonnummer(fixedClock), "personnummer", "850709-2388"},
		{NewNoBankAccount(), "kontonr", "12345678903"},
	} {
		want := genericFind(tc.d, "10:00:00 "+tc.word+" "+tc.text, "")
		if len(want) != 1 {
			t.Fatalf("%s: %q: %d matches", tc.d.ID(), tc.word+" "+tc.text, len(want))
		}
		for _, sp := range []string{"\u00a0", "\u202f", "\u2009", ":\u00a0", " \u00a0"} {
			got := genericFind(tc.d, "10:00:00 "+tc.word+sp+tc.text, "")
			if len(got) != 1 || got[0].Value != want[0].Value || got[0].Confidence != want[0].Confidence {
				t.Errorf("%s: %q: got %+v, want %v at %v", tc.d.ID(), tc.word+sp+tc.text, got, want[0].Value, want[0].Confidence)
			}
		}
	}
}
