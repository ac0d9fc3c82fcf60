package report

import (
	"errors"
	"fmt"
	"os"
	"slices"
	"strconv"
	"strings"

	"github.com/goccy/go-yaml"
	"github.com/goccy/go-yaml/ast"
	"github.com/goccy/go-yaml/parser"

	"github.com/piimap/piimap/detectors"
)

// CustomDetector describes a user-defined detector in the report.
type CustomDetector struct {
	ID          string `json:"id"`
	Category    string `json:"category"`
	Description string `json:"description"`
	// Source is the file that defined it (piimap.yaml or a --rules file).
	Source string `json:"source"`
}

// Rules are the user-defined detectors of one file, compiled.
type Rules struct {
	Path      string
	Detectors []detectors.Detector
}

// Info describes the rules' detectors for a report.
func (r *Rules) Info() []CustomDetector {
	if r == nil {
		return nil
	}
	out := make([]CustomDetector, len(r.Detectors))
	for i, d := range r.Detectors {
		out[i] = CustomDetector{ID: d.ID(), Category: string(d.Category()), Description: d.Description(), Source: r.Path}
	}
	return out
}

// rulesFile is the format of a --rules file: the `detectors:` section of
// piimap.yaml on its own.
type rulesFile struct {
	Detectors []detectors.Rule `yaml:"detectors"`
}

// LoadRules reads a --rules file (a `detectors:` list, the same format as
// in piimap.yaml). taken holds detector ids already defined elsewhere
// (built-in ids are refused by the rules themselves); errors name
// file:line:col.
func LoadRules(path string, taken []detectors.Detector) (*Rules, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read rules: %w", err)
	}
	return ParseRules(path, data, taken)
}

// ParseRules parses and compiles rules text; name is used in errors.
func ParseRules(name string, data []byte, taken []detectors.Detector) (*Rules, error) {
	var f rulesFile
	if err := yaml.UnmarshalWithOptions(data, &f, yaml.DisallowUnknownField()); err != nil {
		return nil, yamlDeclError(name, err)
	}
	file, _ := parser.ParseBytes(data, 0)
	if len(f.Detectors) == 0 {
		return nil, &DeclarationError{File: name, Msg: "no detectors: the file needs a `detectors:` list of rules"}
	}
	dets, err := compileRules(name, file, f.Detectors, taken)
	if err != nil {
		return nil, err
	}
	return &Rules{Path: name, Detectors: dets}, nil
}

// yamlDeclError turns a go-yaml error into a DeclarationError with its position.
func yamlDeclError(name string, err error) error {
	var ye yamlError
	if errors.As(err, &ye) && ye.GetToken() != nil && ye.GetToken().Position != nil {
		p := ye.GetToken().Position
		return &DeclarationError{File: name, Line: p.Line, Column: p.Column, Msg: ye.GetMessage()}
	}
	return &DeclarationError{File: name, Msg: err.Error()}
}

// compileRules compiles each rule; an error points at the rule's field.
func compileRules(name string, file *ast.File, rules []detectors.Rule, taken []detectors.Detector) ([]detectors.Detector, error) {
	seen := map[string]bool{}
	for _, d := range taken {
		seen[d.ID()] = true
	}
	var out []detectors.Detector
	for i, r := range rules {
		at := func(field string) (int, int) {
			path := []string{"detectors", strconv.Itoa(i)}
			if field != "" {
				path = append(path, strings.Split(field, ".")...)
			}
			return nodePosition(file, path)
		}
		d, err := detectors.NewCustom(r)
		if err != nil {
			var re *detectors.RuleError
			field := ""
			if errors.As(err, &re) {
				field = re.Field
			}
			l, c := at(field)
			return nil, &DeclarationError{File: name, Line: l, Column: c, Msg: fmt.Sprintf("detector %q: %v", r.ID, err)}
		}
		if seen[r.ID] {
			l, c := at("id")
			return nil, &DeclarationError{File: name, Line: l, Column: c, Msg: fmt.Sprintf("detector %q is defined twice", r.ID)}
		}
		seen[r.ID] = true
		out = append(out, d)
	}
	return out, nil
}

// customCategories returns the categories of custom detectors that are
// not built in, sorted.
func customCategories(dets ...[]detectors.Detector) []string {
	var out []string
	for _, list := range dets {
		for _, d := range list {
			if c := string(d.Category()); !detectors.IsBuiltin(d.Category()) && !slices.Contains(out, c) {
				out = append(out, c)
			}
		}
	}
	slices.Sort(out)
	return out
}
