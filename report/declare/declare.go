// Package declare drafts a piimap.yaml declaration from privacy-policy text
// (`piimap declare POLICY.txt …`).
//
// It reads a policy in Norwegian (bokmål, nynorsk), Swedish or English,
// plain text or HTML, and reports every category the policy says the
// organisation processes, with the sentence that says so as evidence, so
// that a person can review the draft. A category counts only where the
// text says the organisation processes, stores or collects it: a sentence
// that explains what personal data is in general, or one that negates the
// processing ("vi lagrer ikke kortnummer"), declares nothing.
//
// The reading runs in three steps:
//
//  1. Structure: the text (HTML is reduced to text first) is cut into
//     blocks: paragraphs (hard-wrapped lines joined), headings (short lines
//     that do not end a sentence, or questions) and list items (bullets,
//     "a)", "1.", indented or lower-case lines after a line ending in ":").
//     Paragraphs are split into sentences, minding abbreviations such as
//     "f.eks.", "bl.a.", "t.ex." and "e.g.".
//  2. Classification: each sentence is declaring (a verb such as
//     behandler, lagrer, samlar in, collect with the organisation as
//     subject, or a passive "lagres"; or it stands under a heading like
//     "Hvilke personopplysninger behandler vi?" or in a list introduced by
//     "Vi behandler følgende opplysninger:"), definitional ("Personopplysninger
//     er alle opplysninger som kan knyttes til deg, for eksempel navn") or
//     plain; negations are scoped to their clause ("vi lagrer navn, men ikke
//     personnummer").
//  3. Vocabulary: category terms are matched on folded whole words with
//     inflections (adresse, adressen, adresser), longest phrase first, so
//     that "e-postadresse" and "IP-adresse" are email and ip_address and not
//     also address.
//
// Every word the reader knows is data, in lexicon.tsv (embedded), not code.
package declare

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/piimap/piimap/detectors"
)

// MaxTextBytes is the largest policy text Draft reads (10 MiB). Privacy
// policies are a few tens of kilobytes; anything near this is not one.
const MaxTextBytes = 10 << 20

// maxEvidence is how many sentences are kept per category and kind.
const maxEvidence = 3

// maxHeading is the longest text (bytes) read as a Markdown heading; a
// longer "# …" line is a paragraph and is split into sentences.
const maxHeading = 500

// Quote lengths, in characters.
const (
	maxQuote   = 200
	maxContext = 100
)

// Source is one policy text.
type Source struct {
	// Name is how evidence refers to the text, e.g. the path given on the
	// command line.
	Name string
	// Text is the policy: plain text or HTML, in UTF-8, UTF-16 with a BOM,
	// or Windows-1252/Latin-1.
	Text []byte
}

// Reason says how a sentence that names a category was read.
type Reason string

// Reasons.
const (
	// Declares: the sentence says the organisation processes the category.
	Declares Reason = "declares"
	// Negated: the sentence says it does not ("vi lagrer ikke kortnummer").
	Negated Reason = "negated"
	// Definition: the sentence explains what personal data is in general.
	Definition Reason = "definition"
	// Mention: the sentence names the category without saying the
	// organisation processes it ("kontakt oss på e-post").
	Mention Reason = "mention"
)

// Evidence is one sentence that names a category.
type Evidence struct {
	Source string // Source.Name
	Line   int    // 1-based line of the term in the source
	Quote  string // the sentence, white space collapsed, cut around the term when long
	Term   string // the words that named the category, as written
	// Context is the heading or list intro that made the sentence
	// declaring (or negated), when the sentence alone does not say so.
	Context string
	Reason  Reason
}

// String renders evidence as `file:line: «quote»` (plus the context).
func (e Evidence) String() string {
	s := fmt.Sprintf("%s:%d: «%s»", e.Source, e.Line, e.Quote)
	if e.Context != "" {
		s += fmt.Sprintf(" (under «%s»)", e.Context)
	}
	return s
}

// CategoryDraft is what the policy says about one category.
type CategoryDraft struct {
	Category detectors.Category
	// Declared is true when at least one sentence declares the category.
	Declared bool
	// Evidence holds the declaring sentences (at most 3), first found first.
	Evidence []Evidence
	// Mentions holds sentences that name the category without declaring
	// it: negations, definitions, plain mentions (at most 3).
	Mentions []Evidence
}

// Result is a drafted declaration.
type Result struct {
	// Sources are the names of the texts that were read.
	Sources []string
	// Unread are the texts that could not be read, with the reason.
	Unread []string
	// Categories has one entry per known category, in detectors.Categories order.
	Categories []CategoryDraft
	// Organisation is the name the policy writes with a company form
	// (Milas AS) most often, and Mentions how often; "" when it names none.
	Organisation string
	Mentions     int
	orgs         orgNames
}

// Category returns the draft for one category, or nil for an unknown id.
func (r *Result) Category(c detectors.Category) *CategoryDraft {
	for i := range r.Categories {
		if r.Categories[i].Category == c {
			return &r.Categories[i]
		}
	}
	return nil
}

// Declared lists the declared categories in report order.
func (r *Result) Declared() []detectors.Category {
	var out []detectors.Category
	for _, c := range r.Categories {
		if c.Declared {
			out = append(out, c.Category)
		}
	}
	return out
}

// NotMentioned lists the categories the policy does not name at all.
func (r *Result) NotMentioned() []detectors.Category {
	var out []detectors.Category
	for _, c := range r.Categories {
		if !c.Declared && len(c.Mentions) == 0 {
			out = append(out, c.Category)
		}
	}
	return out
}

// Draft reads the policy texts and drafts a declaration. Texts that cannot
// be read (too large, binary) are listed in Result.Unread and reported in
// the returned error, which joins one error per such text; the others are
// still read. The Result is nil only when no text was given or the
// built-in vocabulary is broken.
func Draft(texts []Source) (*Result, error) {
	lx, err := loadLexicon()
	if err != nil {
		return nil, fmt.Errorf("declare: vocabulary: %w", err)
	}
	if len(texts) == 0 {
		return nil, errors.New("declare: no policy text given")
	}
	r := newResult()
	var errs []error
	for _, s := range texts {
		if err := r.read(lx, s); err != nil {
			errs = append(errs, err)
			r.Unread = append(r.Unread, err.Error())
		}
	}
	return r, errors.Join(errs...)
}

// DraftFiles reads policy files and drafts a declaration from them, like
// Draft. Each file is read up to MaxTextBytes and processed before the
// next is opened; ctx stops the work between files.
func DraftFiles(ctx context.Context, paths []string) (*Result, error) {
	lx, err := loadLexicon()
	if err != nil {
		return nil, fmt.Errorf("declare: vocabulary: %w", err)
	}
	if len(paths) == 0 {
		return nil, errors.New("declare: no policy file given")
	}
	r := newResult()
	var errs []error
	for _, p := range paths {
		if err := ctx.Err(); err != nil {
			return r, errors.Join(append(errs, fmt.Errorf("declare: %w", err))...)
		}
		src, err := ReadSource(p)
		if err == nil {
			err = r.read(lx, src)
		}
		if err != nil {
			errs = append(errs, err)
			r.Unread = append(r.Unread, err.Error())
		}
	}
	return r, errors.Join(errs...)
}

// ReadSource reads a policy file, refusing one larger than MaxTextBytes
// without reading all of it.
func ReadSource(path string) (Source, error) {
	f, err := os.Open(path)
	if err != nil {
		return Source{}, fmt.Errorf("read policy: %w", err)
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, MaxTextBytes+1))
	if err != nil {
		return Source{}, fmt.Errorf("read policy %s: %w", path, err)
	}
	if len(data) > MaxTextBytes {
		return Source{}, tooLarge(path, -1)
	}
	return Source{Name: path, Text: data}, nil
}

func tooLarge(name string, size int) error {
	what := "more than"
	if size >= 0 {
		what = fmt.Sprintf("%d bytes, more than", size)
	}
	return fmt.Errorf("%s: policy text is %s the %d MiB limit; give the policy text itself", name, what, MaxTextBytes>>20)
}

func newResult() *Result {
	r := &Result{Categories: make([]CategoryDraft, len(detectors.Categories))}
	for i, c := range detectors.Categories {
		r.Categories[i].Category = c
	}
	return r
}

// read drafts from one source into r.
func (r *Result) read(lx *lexicon, s Source) error {
	name := s.Name
	if name == "" {
		name = "policy"
	}
	if len(s.Text) > MaxTextBytes {
		return tooLarge(name, len(s.Text))
	}
	text, err := decode(s.Text)
	if err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	var lines []line
	if looksHTML(name, text) {
		lines = htmlLines(text)
	} else {
		lines = plainLines(text)
	}
	for _, l := range lines {
		r.orgs.read(l.text)
	}
	r.Organisation, r.Mentions = r.orgs.best()
	blocks := buildBlocks(lines)
	w := walker{lx: lx, r: r, name: name}
	w.docLang = w.documentLanguage(blocks)
	w.run(blocks)
	r.Sources = append(r.Sources, name)
	return nil
}

// ctxState is what a heading or a list intro says about the sentences
// under it.
type ctxState uint8

const (
	ctxNone ctxState = iota
	ctxDeclaring
	ctxNegated
	ctxDefinition
)

type blockKind uint8

const (
	kindPara blockKind = iota
	kindHeading
	kindItem
)

// walker reads the blocks of one source in order, keeping the heading
// and list context.
type walker struct {
	lx      *lexicon
	r       *Result
	name    string
	docLang langGroup
	buf     []token

	ctx     ctxState // from the last heading that opened or closed a section
	ctxText string

	listOn     bool // items follow a line ending in ":"
	listState  ctxState
	listIntro  string
	listMarker markerKind // marker of the list's first item
	listItems  int
}

// documentLanguage guesses the language of the whole text from its first
// few thousand words; it decides for sentences too short to tell.
func (w *walker) documentLanguage(blocks []block) langGroup {
	en, sc, seen := 0, 0, 0
	for i := range blocks {
		w.buf = tokenize(blocks[i].text, w.buf)
		for _, t := range w.buf {
			if w.lx.en.has(t.w, langAll) {
				en++
			}
			if w.lx.scand.has(t.w, langAll) {
				sc++
			}
		}
		if seen += len(w.buf); seen > 5000 {
			break
		}
	}
	if en > sc {
		return langEnglish
	}
	return langScand
}

// classify decides whether a block is a heading, a list item or a paragraph.
func (w *walker) classify(b *block) blockKind {
	if b.forced && len(b.text) <= maxHeading {
		return kindHeading
	}
	shape := headingShaped(b)
	if b.marker != markerNone {
		if b.marker == markerNumber && shape &&
			(!w.listOn || w.listMarker != markerNumber || lastRune(b.text) == '?') {
			return kindHeading // "2- HVILKE PERSONOPPLYSNINGER BEHANDLER VI?"
		}
		return kindItem
	}
	lower := unicode.IsLower(firstRune(b.text))
	if w.listOn && (b.indent > 0 || lower || (!b.blankBefore && shape)) {
		return kindItem
	}
	if shape && !lower {
		return kindHeading
	}
	return kindPara
}

func (w *walker) run(blocks []block) {
	for i := range blocks {
		b := &blocks[i]
		switch w.classify(b) {
		case kindHeading:
			w.heading(b)
		case kindItem:
			w.paragraph(b, true)
		default:
			w.paragraph(b, false)
		}
	}
}

func (w *walker) heading(b *block) {
	var cls headingClass
	cls, w.buf = w.lx.classifyHeading(b.text, w.docLang, w.buf)
	own := ctxNone // what the heading's own words are read as
	context := ""
	switch cls {
	case headDeclaring:
		w.ctx, w.ctxText = ctxDeclaring, b.text
		own = ctxDeclaring
	case headNegating:
		w.ctx, w.ctxText = ctxNegated, b.text
		own = ctxNegated
	case headDefinition:
		w.ctx, w.ctxText = ctxDefinition, b.text
		own = ctxDefinition
	case headReset:
		w.ctx, w.ctxText = ctxNone, ""
	case headNeutral:
		own, context = w.ctx, w.ctxText
	}
	w.listOn = false
	var info sentenceInfo
	info, w.buf = w.lx.analyse(b.text, w.docLang, w.buf)
	w.record(b, span{0, len(b.text)}, info, own, context)
}

func (w *walker) paragraph(b *block, item bool) {
	inherited, context := w.ctx, w.ctxText
	if item && w.listOn {
		w.listItems++
		if w.listItems == 1 {
			w.listMarker = b.marker
		}
		if w.listState != ctxNone {
			inherited, context = w.listState, w.listIntro
		}
	}
	spans := w.lx.sentences(b.text)
	var info sentenceInfo
	for k, sp := range spans {
		info, w.buf = w.lx.analyse(b.text[sp.start:sp.end], w.docLang, w.buf)
		w.record(b, sp, info, inherited, context)
		if k == len(spans)-1 && lastRune(strings.TrimRight(b.text[sp.start:sp.end], " ")) == ':' {
			// a list intro: "Vi behandler følgende personopplysninger:"
			w.listOn, w.listItems, w.listMarker = true, 0, markerNone
			w.listIntro = clip(b.text[sp.start:sp.end], maxContext)
			switch {
			case info.definitional:
				w.listState = ctxDefinition
			case info.declVerb && info.verbNeg:
				w.listState = ctxNegated
			case info.declVerb:
				w.listState = ctxDeclaring
			default:
				w.listState = ctxNone // the items take the heading's context
			}
			return
		}
	}
	if !item {
		w.listOn = false
	}
}

// record files every term of one sentence under its category.
func (w *walker) record(b *block, sp span, info sentenceInfo, inherited ctxState, context string) {
	sentence := b.text[sp.start:sp.end]
	var seen [2]map[detectors.Category]bool // per list: one entry per category and sentence
	for _, h := range info.hits {
		reason, ctx := Mention, ""
		switch {
		case info.definitional:
			reason = Definition
		case h.negated:
			reason = Negated
		case info.declVerb:
			reason = Declares
		case inherited == ctxDeclaring:
			reason, ctx = Declares, context
		case inherited == ctxNegated:
			reason, ctx = Negated, context
		case inherited == ctxDefinition:
			reason, ctx = Definition, context
		}
		cd := w.r.Category(h.cat)
		if cd == nil {
			continue
		}
		list, which := &cd.Mentions, 0
		if reason == Declares {
			list, which = &cd.Evidence, 1
			cd.Declared = true
		}
		if seen[which][h.cat] || len(*list) >= maxEvidence {
			continue
		}
		if seen[which] == nil {
			seen[which] = map[detectors.Category]bool{}
		}
		seen[which][h.cat] = true
		ev := Evidence{
			Source:  w.name,
			Line:    lineAt(b.marks, sp.start+h.start),
			Quote:   quote(sentence, h.start, h.end),
			Term:    sentence[h.start:h.end],
			Context: clip(ctx, maxContext),
			Reason:  reason,
		}
		dup := false
		for _, e := range *list {
			if e.Source == ev.Source && e.Line == ev.Line && e.Quote == ev.Quote {
				dup = true
				break
			}
		}
		if !dup {
			*list = append(*list, ev)
		}
	}
}

// clip shortens s to at most n characters, ending in "…" when cut.
func clip(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	cut := 0
	for i := range s {
		if n == 1 {
			cut = i
			break
		}
		n--
	}
	s = s[:cut]
	if k := strings.LastIndexByte(s, ' '); k > len(s)/2 {
		s = s[:k]
	}
	return strings.TrimRight(s, " ,;:") + " …"
}

// quote returns the sentence, or when it is long a window of maxQuote
// characters around the term [start, end), cut at spaces and marked with "…".
func quote(s string, start, end int) string {
	if utf8.RuneCountInString(s) <= maxQuote {
		return s
	}
	// start the window up to a third of its length before the term
	from := start
	for n := 0; from > 0 && n < maxQuote/3; n++ {
		_, size := utf8.DecodeLastRuneInString(s[:from])
		from -= size
	}
	if from > 0 {
		if k := strings.IndexByte(s[from:start], ' '); k >= 0 {
			from += k + 1
		}
	}
	to := from
	for n := 0; to < len(s) && n < maxQuote; n++ {
		_, size := utf8.DecodeRuneInString(s[to:])
		to += size
	}
	// The window holds the term, unless the term alone is longer than a
	// quote (a "word" of hundreds of letters): then it is cut.
	if to < len(s) && to > end {
		if k := strings.LastIndexByte(s[end:to], ' '); k >= 0 {
			to = end + k
		}
	}
	out := strings.TrimSpace(s[from:to])
	if from > 0 {
		out = "… " + out
	}
	if to < len(s) {
		out += " …"
	}
	return out
}
