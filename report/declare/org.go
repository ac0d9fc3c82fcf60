package declare

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// legalForm reports whether w is a company form that ends an
// organisation's name in Nordic and English policies (Milas AS, Omilon AB,
// Cykelværkstedet ApS, Northwind Cycles Ltd).
func legalForm(w string) bool {
	switch w {
	case "AS", "ASA", "AB", "A/S", "ApS", "Oy", "Oyj", "Ltd", "Limited", "Inc", "GmbH":
		return true
	}
	return false
}

// maxNameWords bounds the words of a name before its company form.
const maxNameWords = 4

// orgCount counts the mentions of one organisation name.
type orgCount struct {
	name   string // as first written other than in capitals
	words  int
	direct int // mentions of exactly this name
	within int // mentions of a longer name that ends with it ("Kontakt Milas AS")
	order  int
}

// orgNames collects the names written with a company form in a policy,
// to propose the declaration's organisation.
type orgNames struct {
	byKey map[string]*orgCount // lower-case name → count
}

// read counts the names in one line of text: the capitalised words (at most
// maxNameWords) before a company form, within one clause.
func (o *orgNames) read(text string) {
	words := strings.Fields(text)
	for i, w := range words {
		if i == 0 || !legalForm(formOf(w)) {
			continue
		}
		start := i
		for start > 0 && i-start < maxNameWords {
			p := words[start-1]
			if strings.ContainsAny(p[len(p)-1:], ".,;:!?)»\"'(«") || !capitalised(p) {
				break
			}
			start--
		}
		if start == i {
			continue
		}
		o.add(strings.Join(append(words[start:i:i], formOf(w)), " "), i-start+1)
	}
}

// formOf is a word without the punctuation after it and a genitive ending
// ("AB:s", "AS's", "AS’"): the company form it may be.
func formOf(w string) string {
	w = strings.TrimRight(w, ".,;:!?)»\"'’´")
	for _, g := range []string{":s", "'s", "’s", "´s"} {
		w = strings.TrimSuffix(w, g)
	}
	return w
}

func (o *orgNames) add(name string, words int) {
	if o.byKey == nil {
		o.byKey = map[string]*orgCount{}
	}
	key := strings.ToLower(name)
	c := o.byKey[key]
	if c == nil {
		c = &orgCount{name: name, words: words, order: len(o.byKey)}
		o.byKey[key] = c
	}
	if c.name == strings.ToUpper(c.name) && name != strings.ToUpper(name) {
		c.name = name // prefer "Easy Step AS" to "EASY STEP AS"
	}
	c.direct++
}

// best returns the name mentioned most often, counting a longer name that
// ends with it ("Kontakt Milas AS" for "Milas AS"), the shorter on a tie,
// and how many times; "" when there is none.
func (o *orgNames) best() (string, int) {
	for _, c := range o.byKey {
		c.within = 0
	}
	for long, lc := range o.byKey {
		for short, sc := range o.byKey {
			if len(short) < len(long) && strings.HasSuffix(long, " "+short) {
				sc.within += lc.direct
			}
		}
	}
	var best *orgCount
	for _, c := range o.byKey {
		n := c.direct + c.within
		if best == nil {
			best = c
			continue
		}
		bn := best.direct + best.within
		if n > bn || n == bn && (c.words < best.words || c.words == best.words && c.order < best.order) {
			best = c
		}
	}
	if best == nil {
		return "", 0
	}
	return best.name, best.direct + best.within
}

// capitalised reports whether w starts with an upper-case letter or a
// digit (Fjord 1 AS).
func capitalised(w string) bool {
	r, _ := utf8.DecodeRuneInString(w)
	return unicode.IsUpper(r) || unicode.IsDigit(r)
}
