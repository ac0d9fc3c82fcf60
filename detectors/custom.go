package detectors

import (
	"bytes"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/dlclark/regexp2"
)

// Rule is a user-defined detector as written in the `detectors:` section of
// piimap.yaml or in a --rules file.
type Rule struct {
	// ID is the detector id (lower case letters, digits, '_'); it must not
	// be a built-in id.
	ID string `yaml:"id"`
	// Category is a built-in category or a new custom one (same syntax as ID).
	Category string `yaml:"category"`
	// Description is shown by `piimap detectors` and in SARIF rules.
	Description string `yaml:"description"`
	// Pattern is a regular expression in regexp2 (.NET) syntax. Patterns
	// Go's regexp accepts (no lookaround, no backreferences) run on Go's
	// linear-time engine; others on regexp2 with Timeout. A group named
	// "value" selects the value; otherwise the whole match is the value.
	Pattern string `yaml:"pattern"`
	// Validator checks the value: luhn, mod11, mod97 or none (default).
	Validator string `yaml:"validator"`
	// Weights are the mod11 weights, one per digit before the check digit,
	// first digit first. Default: 2, 3, 4, 5, 6, 7 repeated from the digit
	// next to the check digit leftwards.
	Weights []int `yaml:"weights"`
	// Keywords pre-filter inputs: the pattern only runs on an input that
	// contains one of them (ASCII letters in any case; other letters as
	// written). Empty: every input.
	Keywords []string `yaml:"keywords"`
	// Context words before a value (or in its column/key) raise its
	// confidence one level.
	Context []string `yaml:"context"`
	// MinConfidence drops matches below it: low (default), medium, high.
	MinConfidence string `yaml:"min_confidence"`
	// Timeout bounds the regexp2 engine per input (default 100ms, at most 10s).
	Timeout string `yaml:"timeout"`
	// Examples are checked when the rule loads: every match example must
	// be found, no no_match example may be.
	Examples RuleExamples `yaml:"examples"`
}

// RuleExamples are a rule's true- and false-positive examples.
type RuleExamples struct {
	Match   []string `yaml:"match"`
	NoMatch []string `yaml:"no_match"`
}

// RuleError is a problem with one field of a rule. Field is the path below
// the rule, e.g. "pattern" or "examples.match.1" (0-based index), so that
// the loader can point at its line and column.
type RuleError struct {
	Field string
	Msg   string
}

func (e *RuleError) Error() string { return e.Field + ": " + e.Msg }

// DefaultRuleTimeout bounds a regexp2 pattern per input when the rule sets none.
const DefaultRuleTimeout = 100 * time.Millisecond

// maxRuleTimeout is the largest timeout a rule may set.
const maxRuleTimeout = 10 * time.Second

// Rule validators.
const (
	ValidatorNone  = "none"
	ValidatorLuhn  = "luhn"
	ValidatorMod11 = "mod11"
	ValidatorMod97 = "mod97"
)

// custom is a compiled Rule.
type custom struct {
	rule     Rule
	cat      Category
	goRe     *regexp.Regexp  // when the pattern is RE2
	re2      *regexp2.Regexp // otherwise, with MatchTimeout
	group    int             // number of the "value" group (in goRe or re2), or 0
	keywords [][]byte        // folded to lower case
	boost    *WordSet        // context words, or nil
	minConf  Confidence
	timeout  time.Duration
	weights  []byte
}

var ruleIDSyntax = regexp.MustCompile(`^[a-z][a-z0-9_]{0,62}$`)

// NewCustom compiles a rule into a detector and checks its examples. The
// error is a *RuleError naming the field at fault.
func NewCustom(r Rule) (Detector, error) {
	d := &custom{rule: r, timeout: DefaultRuleTimeout, minConf: Low}
	switch {
	case r.ID == "":
		return nil, &RuleError{"id", "missing"}
	case !ruleIDSyntax.MatchString(r.ID):
		return nil, &RuleError{"id", fmt.Sprintf("%q: use lower-case letters, digits and _ (starting with a letter)", r.ID)}
	case r.ID == "column_name" || slices.ContainsFunc(All(), func(b Detector) bool { return b.ID() == r.ID }):
		return nil, &RuleError{"id", fmt.Sprintf("%q is a built-in detector id", r.ID)}
	}
	switch {
	case r.Category == "":
		return nil, &RuleError{"category", "missing (a built-in category such as national_id, or a new one such as customer_number)"}
	case !ruleIDSyntax.MatchString(r.Category):
		return nil, &RuleError{"category", fmt.Sprintf("%q: use lower-case letters, digits and _ (starting with a letter)", r.Category)}
	}
	d.cat = Category(r.Category)
	if r.Pattern == "" {
		return nil, &RuleError{"pattern", "missing"}
	}
	if r.Timeout != "" {
		t, err := time.ParseDuration(r.Timeout)
		if err != nil || t <= 0 || t > maxRuleTimeout {
			return nil, &RuleError{"timeout", fmt.Sprintf("%q: want a duration between 1ms and %v", r.Timeout, maxRuleTimeout)}
		}
		d.timeout = t
	}
	if re, err := regexp.Compile(r.Pattern); err == nil {
		d.goRe = re
		d.group = re.SubexpIndex("value")
		if d.group < 0 {
			d.group = 0
		}
	} else {
		re2, err2 := regexp2.Compile(r.Pattern, regexp2.None)
		if err2 != nil {
			return nil, &RuleError{"pattern", "does not compile: " + err2.Error()}
		}
		re2.MatchTimeout = d.timeout
		d.re2 = re2
		d.group = max(re2.GroupNumberFromName("value"), 0)
	}
	switch r.Validator {
	case "", ValidatorNone, ValidatorLuhn, ValidatorMod97:
		if len(r.Weights) > 0 {
			return nil, &RuleError{"weights", "weights are for the mod11 validator"}
		}
	case ValidatorMod11:
		for i, w := range r.Weights {
			if w < 1 || w > 99 {
				return nil, &RuleError{fmt.Sprintf("weights.%d", i), fmt.Sprintf("weight %d out of range 1–99", w)}
			}
			d.weights = append(d.weights, byte(w))
		}
	default:
		return nil, &RuleError{"validator", fmt.Sprintf("%q: want luhn, mod11, mod97 or none", r.Validator)}
	}
	for i, k := range r.Keywords {
		if strings.TrimSpace(k) == "" {
			return nil, &RuleError{fmt.Sprintf("keywords.%d", i), "empty keyword"}
		}
		d.keywords = append(d.keywords, asciiLower(k))
	}
	if len(r.Context) > 0 {
		d.boost = NewWordSet(r.Context...)
	}
	if r.MinConfidence != "" {
		c, ok := ParseConfidence(r.MinConfidence)
		if !ok {
			return nil, &RuleError{"min_confidence", fmt.Sprintf("%q: want low, medium or high", r.MinConfidence)}
		}
		d.minConf = c
	}
	if len(r.Examples.Match) == 0 {
		return nil, &RuleError{"examples", "a rule needs at least one match example (and should have no_match examples)"}
	}
	if fs := CheckExamples(d); len(fs) > 0 {
		f := fs[0] // the first failure, with its position
		kind := "no_match"
		if f.Positive {
			kind = "match"
		}
		return nil, &RuleError{fmt.Sprintf("examples.%s.%d", kind, f.Index), fmt.Sprintf("example %q: %s", f.Text, f.Msg)}
	}
	return d, nil
}

func (d *custom) ID() string         { return d.rule.ID }
func (d *custom) Category() Category { return d.cat }
func (d *custom) Description() string {
	if d.rule.Description != "" {
		return d.rule.Description
	}
	v := d.rule.Validator
	if v == "" {
		v = ValidatorNone
	}
	return fmt.Sprintf("custom detector: pattern %s, validator %s", d.rule.Pattern, v)
}

// Custom reports that the detector is user-defined.
func (d *custom) Custom() bool { return true }

func (d *custom) ContextWords() []string {
	w := slices.Clone(d.rule.Context)
	slices.Sort(w)
	return w
}

func (d *custom) Positives() []Example {
	out := make([]Example, len(d.rule.Examples.Match))
	for i, s := range d.rule.Examples.Match {
		out[i] = Example{Text: s, Note: "match example of rule " + d.rule.ID}
	}
	return out
}

func (d *custom) Negatives() []Example {
	out := make([]Example, len(d.rule.Examples.NoMatch))
	for i, s := range d.rule.Examples.NoMatch {
		out[i] = Example{Text: s, Note: "no_match example of rule " + d.rule.ID}
	}
	return out
}

// IsCustom reports whether d is a user-defined detector.
func IsCustom(d Detector) bool {
	c, ok := d.(interface{ Custom() bool })
	return ok && c.Custom()
}

// hasKeyword reports whether b contains one of the keywords, ignoring
// ASCII case.
func (d *custom) hasKeyword(b []byte) bool {
	for _, k := range d.keywords {
		if indexFold(b, k) >= 0 {
			return true
		}
	}
	return false
}

// indexFold is bytes.Index ignoring ASCII case; k is lower case. The next
// position of each case of k's first byte is remembered, so each byte of b
// is searched at most once per case.
func indexFold(b, k []byte) int {
	c0 := k[0]
	up := c0
	if c0 >= 'a' && c0 <= 'z' {
		up = c0 - ('a' - 'A')
	}
	lo, hi := -1, -1 // next positions of c0 and up at or after i; -2: none left
	for i := 0; i+len(k) <= len(b); {
		if lo != -2 && lo < i {
			if lo = bytes.IndexByte(b[i:], c0); lo >= 0 {
				lo += i
			} else {
				lo = -2
			}
		}
		if up != c0 && hi != -2 && hi < i {
			if hi = bytes.IndexByte(b[i:], up); hi >= 0 {
				hi += i
			} else {
				hi = -2
			}
		}
		j := lo
		if up != c0 && hi >= 0 && (j < 0 || hi < j) {
			j = hi
		}
		if j < 0 || j+len(k) > len(b) {
			return -1
		}
		if equalFold(b[j:j+len(k)], k) {
			return j
		}
		i = j + 1
	}
	return -1
}

// asciiLower returns k with its ASCII letters in lower case: indexFold
// folds only those, so a keyword's other letters must stay as written.
func asciiLower(k string) []byte {
	b := []byte(k)
	for i, c := range b {
		if c >= 'A' && c <= 'Z' {
			b[i] = c + 'a' - 'A'
		}
	}
	return b
}

func equalFold(a, k []byte) bool {
	for i, c := range a {
		if c >= 'A' && c <= 'Z' {
			c += 'a' - 'A'
		}
		if c != k[i] {
			return false
		}
	}
	return true
}

// ErrRuleTimeout is wrapped by the failure a custom detector reports when
// its pattern runs past its timeout on an input.
var ErrRuleTimeout = errors.New("pattern timed out")

func (d *custom) Find(in *Input, emit func(Match)) {
	b := in.Buf
	if len(d.keywords) > 0 && !d.hasKeyword(b) {
		return
	}
	if d.goRe != nil {
		for _, loc := range d.goRe.FindAllSubmatchIndex(b, -1) {
			s, e := loc[0], loc[1]
			if d.group > 0 {
				s, e = loc[2*d.group], loc[2*d.group+1]
			}
			if s < 0 || e <= s {
				continue
			}
			d.report(in, s, e, emit)
		}
		return
	}
	// regexp2 works on runes: run it line by line, so that memory and the
	// engine's work stay bounded by the longest line, and stop at the
	// timeout for the whole input.
	start := time.Now()
	var runes []rune
	var offs []int
	for ls := 0; ls < len(b); {
		le := bytes.IndexByte(b[ls:], '\n')
		if le < 0 {
			le = len(b)
		} else {
			le += ls
		}
		line := b[ls:le]
		if len(line) > 0 {
			runes, offs = runes[:0], offs[:0]
			for i := 0; i < len(line); {
				r, n := utf8.DecodeRune(line[i:])
				runes = append(runes, r)
				offs = append(offs, ls+i)
				i += n
			}
			offs = append(offs, le)
			m, err := d.re2.FindRunesMatch(runes)
			for err == nil && m != nil {
				g := &m.Group
				if vg := m.GroupByNumber(d.group); d.group > 0 && vg != nil && len(vg.Captures) > 0 {
					g = vg
				}
				if g.Length > 0 {
					d.report(in, offs[g.Index], offs[g.Index+g.Length], emit)
				}
				if time.Since(start) > d.timeout {
					err = ErrRuleTimeout
					break
				}
				m, err = d.re2.FindNextMatch(m)
			}
			if err != nil {
				// regexp2's error quotes the input: never pass it on.
				in.Fail(fmt.Errorf("custom detector %s: %w after %v; the rest of this input was not searched by it", d.rule.ID, ErrRuleTimeout, d.timeout))
				return
			}
			if time.Since(start) > d.timeout {
				in.Fail(fmt.Errorf("custom detector %s: %w after %v; the rest of this input was not searched by it", d.rule.ID, ErrRuleTimeout, d.timeout))
				return
			}
		}
		ls = le + 1
	}
}

// report validates the value at Buf[s:e] and emits it.
func (d *custom) report(in *Input, s, e int, emit func(Match)) {
	v := in.Buf[s:e]
	conf := Low
	switch d.rule.Validator {
	case ValidatorLuhn:
		in.CountCandidate(d.cat, s, 0.1)
		var buf [64]byte
		if !Luhn(appendDigits(buf[:0], v)) {
			return
		}
		conf = Medium
	case ValidatorMod11:
		in.CountCandidate(d.cat, s, 1.0/11)
		if !d.mod11(v) {
			return
		}
		conf = Medium
	case ValidatorMod97:
		in.CountCandidate(d.cat, s, 1.0/97)
		if !mod97(v) {
			return
		}
		conf = Medium
	}
	if d.boost != nil && in.Context(s, d.boost, nil) == Boost {
		conf = Adjust(conf, Boost)
	}
	if conf < d.minConf {
		return
	}
	emit(Match{Detector: d.rule.ID, Category: d.cat, Start: s, End: e, Value: in.valueString(v), Confidence: conf})
}

// appendDigits appends the ASCII digits of v to dst.
func appendDigits(dst, v []byte) []byte {
	for _, c := range v {
		if IsDigit(c) {
			dst = append(dst, c)
		}
	}
	return dst
}

// mod11 checks the last digit of v's digits as the MOD11 control digit of
// the others: with the rule's weights, or by default 2, 3, 4, 5, 6, 7, 2, …
// from the right.
func (d *custom) mod11(v []byte) bool {
	var dbuf, wbuf [64]byte
	digits := appendDigits(dbuf[:0], v)
	if len(digits) < 2 {
		return false
	}
	w := d.weights
	if len(w) == 0 {
		n := len(digits) - 1
		if n > len(wbuf) {
			return false
		}
		w = wbuf[:n]
		for i := range w {
			w[n-1-i] = byte(2 + i%6)
		}
	}
	if len(w) != len(digits)-1 {
		return false
	}
	return Mod11Valid(digits, w)
}

// mod97 reports whether the letters and digits of v, letters as 10 (A) …
// 35 (Z), form a number ≡ 1 (mod 97): ISO 7064 MOD 97-10. A value that
// starts with two letters and two check digits (IBAN, ISO 11649 RF
// creditor reference) has them moved to the end first, as those
// standards say; any other value carries its check digits at the end.
func mod97(v []byte) bool {
	// p is the offset after the fourth letter or digit; shape tells
	// whether those four are two letters and two digits.
	p, k, shape := 0, 0, true
	for ; p < len(v) && k < 4; p++ {
		c := v[p]
		digit, letter := IsDigit(c), c|0x20 >= 'a' && c|0x20 <= 'z'
		if !digit && !letter {
			continue
		}
		shape = shape && (k < 2 && letter || k >= 2 && digit)
		k++
	}
	r, n := mod97Of(0, v[p:])
	if k == 4 && shape && n > 0 {
		r, k = mod97Of(r, v[:p])
		return n+k >= 3 && r == 1
	}
	r, k = mod97Of(0, v)
	return k >= 3 && r == 1
}

// mod97Of continues the ISO 7064 MOD 97-10 remainder r over the letters and
// digits of s (letters in either case as 10 (A) … 35 (Z), other bytes
// skipped) and returns it with the number of letters and digits read.
func mod97Of(r int, s []byte) (int, int) {
	n := 0
	for _, c := range s {
		switch {
		case IsDigit(c):
			r = (r*10 + int(c-'0')) % 97
		case c|0x20 >= 'a' && c|0x20 <= 'z':
			r = (r*100 + int(c|0x20-'a') + 10) % 97
		default:
			continue
		}
		n++
	}
	return r, n
}
