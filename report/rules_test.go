package report

import (
	"errors"
	"strings"
	"testing"

	"github.com/piimap/piimap/detectors"
	"github.com/piimap/piimap/scanner"
	"github.com/piimap/piimap/sources"
)

const declWithRules = `organisation: Test AS
declared:
  customer_number:
    where: ["file:crm/**"]
  email: {}
detectors:
  - id: customer_no
    category: customer_number
    pattern: '\bKND-(?P<value>\d{7})\b'
    validator: mod11
    examples:
      match: ["KND-3416720"]
      no_match: ["KND-3416721"]
`

func TestDeclarationDetectors(t *testing.T) {
	d, err := ParseDeclaration("piimap.yaml", []byte(declWithRules))
	if err != nil {
		t.Fatal(err)
	}
	if d.Custom == nil || len(d.Custom.Detectors) != 1 || d.Custom.Detectors[0].ID() != "customer_no" {
		t.Fatalf("custom %+v", d.Custom)
	}
	if info := d.Custom.Info(); info[0].Category != "customer_number" || info[0].Source != "piimap.yaml" {
		t.Errorf("info %+v", info)
	}
	// Declared but not found lists the custom category; a finding of it is judged.
	res := &scanner.Result{Findings: []scanner.Finding{{
		Location: sources.Location{Path: "logs/app.log"}, Category: "customer_number", Count: 2,
		Confidence: detectors.Medium, Detectors: []string{"customer_no"}, Fingerprint: "pm1:x",
	}}}
	r := Build(res, d, Options{})
	if len(r.Findings) != 1 || r.Findings[0].Verdict != Misplaced {
		t.Errorf("findings %+v", r.Findings)
	}
	if len(r.CustomDetectors) != 1 {
		t.Errorf("custom detectors %+v", r.CustomDetectors)
	}
	r = Build(&scanner.Result{}, d, Options{})
	var nf []string
	for _, n := range r.NotFound {
		nf = append(nf, n.Category)
	}
	if strings.Join(nf, ",") != "email,customer_number" {
		t.Errorf("not found %v", nf)
	}
	// SARIF lists the custom detector as a rule.
	rules, index := sarifRules(r)
	if i, ok := index["customer_no"]; !ok || !strings.Contains(rules[i].ShortDescription.Text, "custom detector from piimap.yaml") {
		t.Errorf("sarif rules %v", index)
	}
}

func TestDeclarationDetectorErrors(t *testing.T) {
	for _, c := range []struct {
		text, want string
	}{
		{strings.Replace(declWithRules, `no_match: ["KND-3416721"]`, `no_match: ["KND-3416720"]`, 1), "piimap.yaml:13:18: detector \"customer_no\": examples.no_match.0"},
		{strings.Replace(declWithRules, "validator: mod11", "validator: crc", 1), "piimap.yaml:10:5: detector \"customer_no\": validator"},
		{strings.Replace(declWithRules, "id: customer_no", "id: iban", 1), "piimap.yaml:7:5: detector \"iban\": id: \"iban\" is a built-in detector id"},
		{strings.Replace(declWithRules, "customer_number:\n    where", "customer_numbr:\n    where", 1), "unknown category \"customer_numbr\""},
		{strings.Replace(declWithRules, "    validator: mod11\n", "    validator: mod11\n    flavour: x\n", 1), "piimap.yaml:11:5:"},
	} {
		_, err := ParseDeclaration("piimap.yaml", []byte(c.text))
		var de *DeclarationError
		if !errors.As(err, &de) || !strings.Contains(err.Error(), c.want) {
			t.Errorf("want %q, got %v", c.want, err)
		}
	}
}

func TestParseRulesAndExtraCategories(t *testing.T) {
	rules, err := ParseRules("rules.yaml", []byte(`detectors:
  - id: journal_no
    category: health_record
    pattern: 'J\d{6}'
    examples:
      match: ["J123456"]
`), nil)
	if err != nil {
		t.Fatal(err)
	}
	decl := "declared:\n  health_record: {}\n"
	if _, err := ParseDeclaration("piimap.yaml", []byte(decl)); err == nil {
		t.Error("a custom category without its rules was accepted")
	}
	if _, err := ParseDeclarationWith("piimap.yaml", []byte(decl), rules.Detectors); err != nil {
		t.Errorf("custom category from --rules refused: %v", err)
	}
	// The declaration may not define an id a rules file has.
	dup := "detectors:\n  - id: journal_no\n    category: x\n    pattern: 'J\\d{6}'\n    examples:\n      match: [\"J123456\"]\n"
	if _, err := ParseDeclarationWith("piimap.yaml", []byte(dup), rules.Detectors); err == nil || !strings.Contains(err.Error(), "defined twice") {
		t.Errorf("duplicate id: %v", err)
	}
	if _, err := ParseRules("empty.yaml", []byte("detectors: []\n"), nil); err == nil {
		t.Error("an empty rules file was accepted")
	}
}
