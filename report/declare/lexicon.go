package declare

import (
	_ "embed"
	"fmt"
	"strings"
	"sync"

	"github.com/piimap/piimap/detectors"
)

//go:embed lexicon.tsv
var lexiconTSV string

// langGroup is the language a sentence is read in: function words (verbs,
// negators, pronouns) only match in their own group.
type langGroup uint8

const (
	langScand   langGroup = 1 << iota // Norwegian bokmål, nynorsk, Swedish, Danish
	langEnglish                       // English
	langAll     = langScand | langEnglish
)

// phraseWord is one word of a phrase: exact, or a prefix when the table
// word ends in "*".
type phraseWord struct {
	text   string
	prefix bool
}

func (w phraseWord) matches(tok string) bool {
	if w.prefix {
		return strings.HasPrefix(tok, w.text)
	}
	return tok == w.text
}

// phrase is one table entry.
type phrase struct {
	words []phraseWord
	lang  langGroup
	key   string // category id, verb kind, or "-"
	line  int    // line in lexicon.tsv, for errors and tests
}

// textLen is the length of the phrase's literal text; an exact word counts
// one more than the same prefix.
func (p *phrase) textLen() int {
	n := 0
	for _, w := range p.words {
		n += 2 * len(w.text)
		if !w.prefix {
			n++
		}
	}
	return n
}

// phraseSet finds the longest entry starting at a token. Entries are
// indexed by their first word: exact first words in a map, prefix first
// words by their first byte, so a lookup costs a map probe and a short scan.
type phraseSet struct {
	phrases []phrase
	exact   map[string][]int
	prefix  [256][]int
}

func (s *phraseSet) add(p phrase) {
	if s.exact == nil {
		s.exact = map[string][]int{}
	}
	i := len(s.phrases)
	s.phrases = append(s.phrases, p)
	first := p.words[0]
	if first.prefix {
		s.prefix[first.text[0]] = append(s.prefix[first.text[0]], i)
		return
	}
	s.exact[first.text] = append(s.exact[first.text], i)
}

// match returns the index of the longest phrase that starts at toks[i] and
// applies to lang, and how many tokens it covers; n == 0 when none does.
func (s *phraseSet) match(toks []token, i int, lang langGroup) (idx, n int) {
	w := toks[i].w
	if w == "" {
		return -1, 0
	}
	idx = -1
	best := 0 // length of the best phrase's text: among equally long matches the most specific wins
	try := func(cands []int) {
		for _, c := range cands {
			p := &s.phrases[c]
			if p.lang&lang == 0 || len(p.words) < n || i+len(p.words) > len(toks) {
				continue
			}
			if len(p.words) == n && p.textLen() <= best {
				continue
			}
			ok := true
			for k, pw := range p.words {
				if !pw.matches(toks[i+k].w) {
					ok = false
					break
				}
			}
			if ok {
				idx, n, best = c, len(p.words), p.textLen()
			}
		}
	}
	try(s.exact[w])
	try(s.prefix[w[0]])
	return idx, n
}

// has reports whether the single word w is in the set (for one-word kinds).
func (s *phraseSet) has(w string, lang langGroup) bool {
	_, n := s.match([]token{{w: w}}, 0, lang)
	return n == 1
}

// lexicon is the parsed lexicon.tsv. It is built once and never changed.
type lexicon struct {
	terms     phraseSet // key: category id or "-"
	verbs     phraseSet // key: active, passive, participle
	notVerbs  phraseSet
	be        phraseSet
	first     phraseSet
	second    phraseSet
	company   phraseSet
	neg       phraseSet
	negSkip   phraseSet
	breaker   phraseSet
	softBreak phraseSet
	generic   phraseSet
	copula    phraseSet
	link      phraseSet
	data      phraseSet
	ask       phraseSet
	catWord   phraseSet
	topic     phraseSet
	en        phraseSet
	scand     phraseSet
	abbr      map[string]bool // no sentence end after it
	maybeEnd  map[string]bool // a sentence end when a capital follows
}

// loadLexicon is the parsed embedded table, shared read-only by every Draft.
var loadLexicon = sync.OnceValues(func() (*lexicon, error) { return parseLexicon(lexiconTSV) })

func parseLexicon(src string) (*lexicon, error) {
	lx := &lexicon{abbr: map[string]bool{}, maybeEnd: map[string]bool{}}
	sets := map[string]*phraseSet{
		"term": &lx.terms, "verb": &lx.verbs, "notverb": &lx.notVerbs, "be": &lx.be,
		"first": &lx.first, "second": &lx.second, "company": &lx.company,
		"neg": &lx.neg, "negskip": &lx.negSkip, "breaker": &lx.breaker, "softbreak": &lx.softBreak,
		"generic": &lx.generic, "copula": &lx.copula, "link": &lx.link,
		"data": &lx.data, "ask": &lx.ask, "catword": &lx.catWord, "topic": &lx.topic,
		"en": &lx.en, "scand": &lx.scand,
	}
	known := map[string]bool{"-": true}
	for _, c := range detectors.Categories {
		known[string(c)] = true
	}
	for n, ln := range strings.Split(src, "\n") {
		lineNo := n + 1
		ln = strings.TrimRight(ln, "\r")
		if strings.TrimSpace(ln) == "" || strings.HasPrefix(ln, "#") {
			continue
		}
		cols := strings.Split(ln, "\t")
		if len(cols) != 4 {
			return nil, fmt.Errorf("lexicon.tsv:%d: want 4 tab-separated columns, got %d", lineNo, len(cols))
		}
		kind, key, lang, text := cols[0], cols[1], cols[2], cols[3]
		var g langGroup
		switch lang {
		case "nb", "nn", "sv", "da":
			g = langScand
		case "en":
			g = langEnglish
		case "*":
			g = langAll
		default:
			return nil, fmt.Errorf("lexicon.tsv:%d: unknown language %q", lineNo, lang)
		}
		if text != strings.ToLower(text) || strings.TrimSpace(text) != text || strings.Contains(text, "  ") || text == "" {
			return nil, fmt.Errorf("lexicon.tsv:%d: phrase %q must be lower case words separated by single spaces", lineNo, text)
		}
		switch kind {
		case "abbr":
			lx.abbr[text] = true
			continue
		case "maybeend":
			lx.maybeEnd[text] = true
			continue
		case "term":
			if !known[key] {
				return nil, fmt.Errorf("lexicon.tsv:%d: unknown category %q", lineNo, key)
			}
			// Terms match in every language (see the file's header).
			g = langAll
		case "verb":
			if key != "active" && key != "passive" && key != "participle" {
				return nil, fmt.Errorf("lexicon.tsv:%d: verb kind %q is not active, passive or participle", lineNo, key)
			}
		}
		set, ok := sets[kind]
		if !ok {
			return nil, fmt.Errorf("lexicon.tsv:%d: unknown kind %q", lineNo, kind)
		}
		p := phrase{lang: g, key: key, line: lineNo}
		for _, w := range strings.Split(text, " ") {
			pw := phraseWord{text: strings.TrimSuffix(w, "*"), prefix: strings.HasSuffix(w, "*")}
			if pw.text == "" || strings.Contains(pw.text, "*") {
				return nil, fmt.Errorf("lexicon.tsv:%d: bad word %q", lineNo, w)
			}
			p.words = append(p.words, pw)
		}
		set.add(p)
	}
	return lx, nil
}
