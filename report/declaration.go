// Package report judges findings against the organisation's declaration and
// renders the result. It reads piimap.yaml (with line:col errors), gives
// every finding a verdict (declared, misplaced, undeclared, ignored), lists
// declared categories that were never found, and writes the report as a
// table, JSON and the other formats. The JSON document (Report) is the
// stable schema; every other format is rendered from it.
package report

import (
	"errors"
	"fmt"
	"os"
	"slices"
	"strings"

	"github.com/goccy/go-yaml"
	"github.com/goccy/go-yaml/ast"
	"github.com/goccy/go-yaml/parser"
	"github.com/goccy/go-yaml/token"

	"github.com/piimap/piimap/detectors"
	"github.com/piimap/piimap/sources"
)

// Declaration is a parsed piimap.yaml: what the organisation says it
// processes, and where.
type Declaration struct {
	Organisation string                    `yaml:"organisation"`
	Policy       string                    `yaml:"policy"`
	Declared     map[string]*DeclaredEntry `yaml:"declared"`
	Ignore       []IgnoreRule              `yaml:"ignore"`
	// Rules are user-defined detectors (the `detectors:` section).
	Rules []detectors.Rule `yaml:"detectors"`
	// Path is the file the declaration was read from.
	Path string `yaml:"-"`
	// Custom are the compiled Rules.
	Custom *Rules `yaml:"-"`
}

// DeclaredEntry is one declared category.
type DeclaredEntry struct {
	// Where lists location globs the category may live in; empty = anywhere.
	Where []string `yaml:"where"`
	// Note is free text shown in reports (e.g. the policy paragraph).
	Note string `yaml:"note"`
}

// IgnoreRule accepts findings by location glob, by fingerprint, or both
// (then both must match). Category optionally narrows a where rule.
type IgnoreRule struct {
	Where       string `yaml:"where"`
	Fingerprint string `yaml:"fingerprint"`
	Category    string `yaml:"category"`
	Note        string `yaml:"note"`
}

// DeclarationError is a problem in a declaration file, with its position.
type DeclarationError struct {
	File         string
	Line, Column int
	Msg          string
}

func (e *DeclarationError) Error() string {
	if e.Line > 0 {
		return fmt.Sprintf("%s:%d:%d: %s", e.File, e.Line, e.Column, e.Msg)
	}
	return fmt.Sprintf("%s: %s", e.File, e.Msg)
}

// LoadDeclaration reads and validates a declaration file.
func LoadDeclaration(path string) (*Declaration, error) {
	return LoadDeclarationWith(path, nil)
}

// LoadDeclarationWith reads and validates a declaration file whose
// categories may also be those of extra, the custom detectors of --rules
// files (their ids must not be defined again).
func LoadDeclarationWith(path string, extra []detectors.Detector) (*Declaration, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read declaration: %w", err)
	}
	return ParseDeclarationWith(path, data, extra)
}

// yamlError is the interface goccy/go-yaml errors implement.
type yamlError interface {
	GetToken() *token.Token
	GetMessage() string
}

// ParseDeclaration parses and validates declaration text; name is used in errors.
func ParseDeclaration(name string, data []byte) (*Declaration, error) {
	return ParseDeclarationWith(name, data, nil)
}

// ParseDeclarationWith is ParseDeclaration with the custom detectors of
// --rules files: their categories may be declared too.
func ParseDeclarationWith(name string, data []byte, extra []detectors.Detector) (*Declaration, error) {
	var d Declaration
	if err := yaml.UnmarshalWithOptions(data, &d, yaml.DisallowUnknownField()); err != nil {
		return nil, yamlDeclError(name, err)
	}
	d.Path = name
	file, _ := parser.ParseBytes(data, 0)
	pos := func(path ...string) (int, int) {
		return nodePosition(file, path)
	}
	if len(d.Rules) > 0 {
		dets, err := compileRules(name, file, d.Rules, extra)
		if err != nil {
			return nil, err
		}
		d.Custom = &Rules{Path: name, Detectors: dets}
	}
	known := map[string]bool{}
	for _, c := range detectors.Categories {
		known[string(c)] = true
	}
	var own []detectors.Detector
	if d.Custom != nil {
		own = d.Custom.Detectors
	}
	custom := customCategories(own, extra)
	for _, c := range custom {
		known[c] = true
	}
	cats := make([]string, 0, len(d.Declared))
	for c := range d.Declared {
		cats = append(cats, c)
	}
	slices.Sort(cats)
	for _, c := range cats {
		if !known[c] {
			l, col := pos("declared", c)
			msg := fmt.Sprintf("unknown category %q", c)
			if s := suggest(c); s != "" {
				msg += fmt.Sprintf(" (did you mean %q?)", s)
			}
			msg += "; known: " + categoryList()
			if len(custom) > 0 {
				msg += "; custom: " + strings.Join(custom, ", ")
			}
			return nil, &DeclarationError{File: name, Line: l, Column: col, Msg: msg}
		}
		e := d.Declared[c]
		if e == nil {
			d.Declared[c] = &DeclaredEntry{}
			continue
		}
		for _, g := range e.Where {
			if err := checkGlob(g); err != nil {
				l, col := pos("declared", c, "where")
				return nil, &DeclarationError{File: name, Line: l, Column: col, Msg: fmt.Sprintf("category %s: bad glob %q: %v", c, g, err)}
			}
		}
	}
	for i, r := range d.Ignore {
		idx := fmt.Sprint(i)
		if r.Where == "" && r.Fingerprint == "" {
			l, col := pos("ignore", idx)
			return nil, &DeclarationError{File: name, Line: l, Column: col, Msg: "ignore rule needs where or fingerprint"}
		}
		if r.Where != "" {
			if err := checkGlob(r.Where); err != nil {
				l, col := pos("ignore", idx, "where")
				return nil, &DeclarationError{File: name, Line: l, Column: col, Msg: fmt.Sprintf("bad glob %q: %v", r.Where, err)}
			}
		}
		if r.Category != "" && !known[r.Category] {
			l, col := pos("ignore", idx, "category")
			msg := fmt.Sprintf("unknown category %q", r.Category)
			if s := suggest(r.Category); s != "" {
				msg += fmt.Sprintf(" (did you mean %q?)", s)
			}
			return nil, &DeclarationError{File: name, Line: l, Column: col, Msg: msg}
		}
	}
	return &d, nil
}

func checkGlob(g string) error {
	if g == "" {
		return errors.New("empty pattern")
	}
	_, err := sources.MatchGlob(g, "")
	return err
}

// nodePosition finds the line and column of the key at path in the YAML AST
// (map keys by name, sequence items by index), or 0, 0.
func nodePosition(f *ast.File, path []string) (int, int) {
	if f == nil || len(f.Docs) == 0 {
		return 0, 0
	}
	var node ast.Node = f.Docs[0].Body
	var tok *token.Token
	for _, p := range path {
		found := false
		switch n := node.(type) {
		case *ast.MappingNode:
			for _, v := range n.Values {
				if v.Key.String() == p || strings.Trim(v.Key.String(), `"'`) == p {
					node, tok, found = v.Value, v.Key.GetToken(), true
					break
				}
			}
		case *ast.MappingValueNode:
			if n.Key.String() == p {
				node, tok, found = n.Value, n.Key.GetToken(), true
			}
		case *ast.SequenceNode:
			var i int
			if _, err := fmt.Sscan(p, &i); err == nil && i < len(n.Values) {
				node, tok, found = n.Values[i], n.Values[i].GetToken(), true
			}
		}
		if !found {
			break
		}
	}
	if tok == nil || tok.Position == nil {
		return 0, 0
	}
	return tok.Position.Line, tok.Position.Column
}

func categoryList() string {
	s := make([]string, len(detectors.Categories))
	for i, c := range detectors.Categories {
		s[i] = string(c)
	}
	return strings.Join(s, ", ")
}

// suggest returns the known category closest to s, if it is close enough.
func suggest(s string) string {
	best, bestD := "", 1<<30
	for _, c := range detectors.Categories {
		if d := levenshtein(strings.ToLower(s), string(c)); d < bestD {
			best, bestD = string(c), d
		}
	}
	if bestD <= max(2, len(s)/3) {
		return best
	}
	// Common synonyms.
	switch strings.ToLower(strings.NewReplacer("-", "_", " ", "_").Replace(s)) {
	case "ip", "ip_adresse", "ipaddress":
		return "ip_address"
	case "fnr", "fodselsnummer", "fødselsnummer", "personnummer", "ssn", "national_id_number":
		return "national_id"
	case "card", "credit_card", "pan", "kortnummer":
		return "payment_card"
	case "telefon", "mobile", "tlf", "phone_number":
		return "phone"
	case "epost", "e_post", "mail", "e_mail":
		return "email"
	case "dob", "birth_date", "birthdate", "fodselsdato":
		return "date_of_birth"
	case "password", "passord", "username":
		return "credentials"
	case "navn", "namn":
		return "name"
	case "adresse", "adress":
		return "address"
	}
	return ""
}

func levenshtein(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(rb)]
}
