package declare

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/piimap/piimap/detectors"
)

// token is one word of a sentence.
type token struct {
	w          string // folded: lower case, ’ as '
	start, end int    // byte offsets in the sentence
	sep        byte   // punctuation since the previous word: ',' (also ( ) : – /), ';', or 0
	upper      bool   // the word starts with a capital letter
}

// isJoiner reports characters that join two word parts into one token
// ("e-post", "IP-adresse", "don't").
func isJoiner(r rune) bool {
	switch r {
	case '-', '\u2010', '\u2011', '\'', '’':
		return true
	}
	return false
}

func isWordRune(r rune) bool {
	return unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.Mn, r)
}

// tokenize splits a sentence into words. buf is reused.
func tokenize(s string, buf []token) []token {
	toks := buf[:0]
	var sep byte
	var w strings.Builder
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		if !isWordRune(r) {
			switch r {
			case ';':
				sep = ';'
			case ',', '(', ')', ':', '–', '—', '/', '[', ']':
				if sep == 0 {
					sep = ','
				}
			}
			i += size
			continue
		}
		start := i
		w.Reset()
		upper := unicode.IsUpper(r)
		for i < len(s) {
			r, size = utf8.DecodeRuneInString(s[i:])
			switch {
			case isWordRune(r):
				w.WriteRune(unicode.ToLower(r))
				i += size
				continue
			case isJoiner(r):
				// only between two word characters
				r2, _ := utf8.DecodeRuneInString(s[i+size:])
				if i+size < len(s) && isWordRune(r2) {
					if r == '’' || r == '\'' {
						w.WriteByte('\'')
					} else {
						w.WriteByte('-')
					}
					i += size
					continue
				}
			case isInvisible(r):
				i += size
				continue
			}
			break
		}
		toks = append(toks, token{w: w.String(), start: start, end: i, sep: sep, upper: upper})
		sep = 0
	}
	return toks
}

// hit is a category term found in a sentence.
type hit struct {
	cat        detectors.Category
	start, end int // byte offsets of the term in the sentence
	negated    bool
}

// sentenceInfo is what a sentence says on its own.
type sentenceInfo struct {
	declVerb     bool // a declaring verb whose subject is the organisation (or passive)
	verbNeg      bool // a declaring verb is negated ("vi lagrer ikke")
	definitional bool // it explains what personal data is
	hits         []hit
}

// langOf guesses whether a sentence is English or Scandinavian; fallback
// decides a tie.
func (lx *lexicon) langOf(toks []token, fallback langGroup) langGroup {
	en, sc := 0, 0
	for i := range toks {
		if lx.en.has(toks[i].w, langAll) {
			en++
		}
		if lx.scand.has(toks[i].w, langAll) {
			sc++
		}
	}
	switch {
	case en > sc:
		return langEnglish
	case sc > en:
		return langScand
	}
	return fallback
}

// analyse reads one sentence: its declaring verbs, negations, whether it
// is a definition, and the category terms in it.
func (lx *lexicon) analyse(text string, docLang langGroup, buf []token) (sentenceInfo, []token) {
	toks := tokenize(text, buf)
	var info sentenceInfo
	if len(toks) == 0 {
		return info, toks
	}
	lang := lx.langOf(toks, docLang)

	// Does the sentence speak as the organisation (vi, we)?
	firstPerson := false
	for i := range toks {
		if lx.first.has(toks[i].w, lang) {
			firstPerson = true
			break
		}
	}
	blockedUntil := -1 // end of a phrase in which a verb is not one ("logger inn")

	commas := 0
	clauseStart := 0
	lastNeg, lastNegCommas := -1, 0
	lastVerb, lastVerbCommas := -1, 0
	genericAt, genericEnd := -1, -1
	copula, link := false, false

	for i := 0; i < len(toks); i++ {
		t := &toks[i]
		switch {
		case t.sep == ';':
			clauseStart = i
		case t.sep == ',' && lx.softBreak.has(t.w, lang):
			clauseStart = i
		case lx.breaker.has(t.w, lang):
			clauseStart = i
		}
		if t.sep != 0 {
			commas++
		}

		if _, n := lx.notVerbs.match(toks, i, lang); n > 0 {
			blockedUntil = i + n - 1
		}
		if lx.neg.has(t.w, lang) && !(i+1 < len(toks) && lx.negSkip.has(toks[i+1].w, lang)) {
			lastNeg, lastNegCommas = i, commas
		}
		if genericAt < 0 {
			if _, n := lx.generic.match(toks, i, lang); n > 0 {
				genericAt, genericEnd = i, i+n
			}
		}
		if lx.copula.has(t.w, lang) {
			copula = true
		}
		if _, n := lx.link.match(toks, i, lang); n > 0 {
			link = true
		}

		// Category terms first: a term is never also a verb.
		if idx, n := lx.terms.match(toks, i, langAll); n > 0 {
			key := lx.terms.phrases[idx].key
			if key != "-" {
				neg := lastNeg >= clauseStart && (lastVerb < clauseStart || lastNeg > lastVerb ||
					(lastVerb-lastNeg <= 4 && lastVerbCommas == lastNegCommas))
				info.hits = append(info.hits, hit{cat: detectors.Category(key), start: t.start, end: toks[i+n-1].end, negated: neg})
			}
			i += n - 1
			continue
		}

		if i <= blockedUntil {
			continue
		}
		idx, n := lx.verbs.match(toks, i, lang)
		if n == 0 {
			continue
		}
		if lx.validVerb(toks, i, n, lx.verbs.phrases[idx].key, lang, firstPerson) {
			info.declVerb = true
			lastVerb, lastVerbCommas = i, commas
			// negated verb: a negator just before it with no comma between,
			// or just after it ("lagres ikke", "sparar inte")
			negated := lastNeg >= clauseStart && i-lastNeg <= 4 && lastNegCommas == commas
			for k := i + n; !negated && k < len(toks) && k <= i+n+2 && toks[k].sep == 0; k++ {
				negated = lx.neg.has(toks[k].w, lang) && !(k+1 < len(toks) && lx.negSkip.has(toks[k+1].w, lang))
			}
			if negated {
				info.verbNeg = true
				// "Kortnummer lagres ikke", "Personnummer er noe vi aldri
				// lagrer": the clause's terms before the verb are negated too.
				for h := range info.hits {
					if info.hits[h].start >= toks[clauseStart].start && info.hits[h].start < t.start {
						info.hits[h].negated = true
					}
				}
			}
		}
		i += n - 1
	}

	// A definition: "Personopplysninger er opplysninger som kan knyttes til
	// deg, for eksempel navn" (general personal data + copula or "linked
	// to"), when it has no declaring verb and names no category before the
	// general word. Or, whatever verbs follow, a sentence that opens with
	// the general word and a copula ("Personal data is ..."), when it does
	// not speak as the organisation.
	if genericAt >= 0 {
		strong := genericAt <= 3 && !firstPerson && genericEnd < len(toks) &&
			(lx.copula.has(toks[genericEnd].w, lang) ||
				(genericEnd+1 < len(toks) && lx.copula.has(toks[genericEnd+1].w, lang)))
		weak := !info.declVerb && (copula || link) &&
			(len(info.hits) == 0 || info.hits[0].start > toks[genericAt].start)
		info.definitional = strong || weak
	}
	return info, toks
}

// validVerb says whether the verb at toks[i] (n tokens) declares: passive
// forms always; others when the subject is not "you": the sentence speaks
// as the organisation (vi, we), or a name stands before the verb
// ("Milas AS registrerer"), or an English participle follows is/are.
func (lx *lexicon) validVerb(toks []token, i, n int, kind string, lang langGroup, firstPerson bool) bool {
	// "du lagrer", "you store": the data subject does it, not the organisation
	lo, hi := max(0, i-2), min(len(toks)-1, i+n)
	second, first := false, false
	for k := lo; k <= hi; k++ {
		if k >= i && k < i+n {
			continue
		}
		if lx.second.has(toks[k].w, lang) {
			second = true
		}
		if lx.first.has(toks[k].w, lang) {
			first = true
		}
	}
	if second && !first {
		return false
	}
	if kind == "passive" {
		return true
	}
	if kind == "participle" {
		for k := max(0, i-3); k < i; k++ {
			if lx.be.has(toks[k].w, lang) {
				return true
			}
		}
	}
	if firstPerson {
		return true
	}
	j := i - 1
	if j > 0 && lx.company.has(toks[j].w, langAll) && toks[j].upper {
		j--
	}
	return j >= 0 && toks[j].upper && !lx.second.has(toks[j].w, lang) && !lx.first.has(toks[j].w, lang)
}

// headingClass is what a heading does to the section it opens.
type headingClass uint8

const (
	headNeutral    headingClass = iota // a sub-heading: the section goes on
	headDeclaring                      // "Hvilke personopplysninger behandler vi?"
	headNegating                       // "Opplysninger vi ikke samler inn"
	headReset                          // any other section: purpose, rights, cookies …
	headDefinition                     // "Hva er personopplysninger?"
)

// classifyHeading decides what a heading does.
func (lx *lexicon) classifyHeading(text string, docLang langGroup, buf []token) (headingClass, []token) {
	toks := tokenize(text, buf)
	if len(toks) == 0 {
		return headNeutral, toks
	}
	lang := lx.langOf(toks, docLang)
	var data, verb, ask, first, topic, neg, terms, copula bool
	for i := range toks {
		w := toks[i].w
		if _, n := lx.topic.match(toks, i, langAll); n > 0 {
			topic = true
		}
		if _, n := lx.terms.match(toks, i, langAll); n > 0 {
			terms = true
		}
		if _, n := lx.data.match(toks, i, langAll); n > 0 {
			data = true
		}
		if _, n := lx.verbs.match(toks, i, lang); n > 0 {
			verb = true
		}
		if lx.ask.has(w, langAll) {
			ask = true
		}
		if lx.first.has(w, lang) {
			first = true
		}
		if lx.neg.has(w, lang) {
			neg = true
		}
		if lx.copula.has(w, lang) {
			copula = true
		}
	}
	_, catFirst := lx.catWord.match(toks, 0, langAll)
	switch {
	case topic:
		return headReset, toks
	case ask && copula && data && !verb && !first:
		return headDefinition, toks
	case (data || verb) && (ask || first || (data && verb) || (catFirst > 0 && data)):
		if neg {
			return headNegating, toks
		}
		return headDeclaring, toks
	case terms:
		return headNeutral, toks
	case lastRune(text) == '?' || len(toks) >= 4:
		return headReset, toks
	}
	return headNeutral, toks
}
