package detectors

import (
	"bytes"
	"errors"
	"strings"
	"testing"
	"time"
)

// customerRule is the demo's customer number: KND- and 7 digits, the last
// a MOD11 control digit (default weights 7 6 5 4 3 2).
func customerRule() Rule {
	return Rule{
		ID: "customer_number", Category: "customer_number", Pattern: `\bKND-(?P<value>\d{7})\b`,
		Validator: "mod11", Keywords: []string{"knd-"}, Context: []string{"kundenummer", "kundenr"},
		Examples: RuleExamples{Match: []string{"KND-1234560", "kundenr: KND-7654324"}, NoMatch: []string{"KND-1234561", "XKND-1234560", "KND-12345601"}},
	}
}

func mustCustom(t *testing.T, r Rule) Detector {
	t.Helper()
	d, err := NewCustom(r)
	if err != nil {
		t.Fatalf("NewCustom(%s): %v", r.ID, err)
	}
	return d
}

func TestCustomCustomerNumber(t *testing.T) {
	d := mustCustom(t, customerRule())
	if !IsCustom(d) || IsCustom(NewIBAN()) || d.Category() != "customer_number" {
		t.Fatal("IsCustom / Category")
	}
	for _, c := range []struct {
		text, want string
		conf       Confidence
	}{
		{"ordre 99 fra KND-1234560 i går", "1234560", Medium},
		{"Kundenummer KND-1234560", "1234560", High},
		{"knd-1234560", "", None}, // the pattern is case-sensitive; the keyword is not
		{"KND-1234561", "", None}, // control digit off by one
		{"KND-1234560", "1234560", Medium},
	} {
		ms := findAll(d, c.text, "")
		switch {
		case c.want == "" && len(ms) != 0:
			t.Errorf("%q: got %+v", c.text, ms)
		case c.want != "" && (len(ms) != 1 || ms[0].Value != c.want || ms[0].Confidence != c.conf):
			t.Errorf("%q: got %+v, want %s at %v", c.text, ms, c.want, c.conf)
		}
	}
	// Custom categories are counted as candidates without a panic.
	var in Input
	in.Reset([]byte("KND-1234560 KND-1234561"), "")
	d.Find(&in, func(Match) {})
	if in.Candidates("customer_number") != 2 {
		t.Errorf("candidates %d", in.Candidates("customer_number"))
	}
}

func TestCustomValidators(t *testing.T) {
	luhn := mustCustom(t, Rule{ID: "member", Category: "member_id", Pattern: `M\d{8}`, Validator: "luhn",
		Examples: RuleExamples{Match: []string{"M12345674"}, NoMatch: []string{"M12345675"}}})
	mod97r := mustCustom(t, Rule{ID: "ref97", Category: "creditor_reference", Pattern: `\bRF\d{2}[A-Z0-9]{4,21}\b`, Validator: "mod97",
		Examples: RuleExamples{Match: []string{"ref RF18539007547034"}, NoMatch: []string{"RF18539007547035"}}})
	plain97 := mustCustom(t, Rule{ID: "plain97", Category: "ref", Pattern: `\b\d{10,}\b`, Validator: "mod97",
		Examples: RuleExamples{Match: []string{"370400440532013000131489"}, NoMatch: []string{"370400440532013000131488"}}})
	if len(findAll(mod97r, "RF18 RF18539007547034", "")) != 1 || len(findAll(plain97, "1 370400440532013000131489", "")) != 1 {
		t.Error("mod97")
	}
	weights := mustCustom(t, Rule{ID: "emp", Category: "employee_id", Pattern: `\bE\d{5}\b`, Validator: "mod11", Weights: []int{5, 4, 3, 2},
		Examples: RuleExamples{Match: []string{"E12343"}, NoMatch: []string{"E12344"}}})
	if len(findAll(luhn, "id M12345674", "")) != 1 || len(findAll(weights, "E12343", "")) != 1 {
		t.Error("validators")
	}
	none := mustCustom(t, Rule{ID: "ticket", Category: "ticket", Pattern: `TCK-\d+`, MinConfidence: "low",
		Examples: RuleExamples{Match: []string{"TCK-1"}}})
	if ms := findAll(none, "TCK-42", ""); len(ms) != 1 || ms[0].Confidence != Low {
		t.Errorf("validator none: %+v", ms)
	}
	strict := mustCustom(t, Rule{ID: "ticket2", Category: "ticket", Pattern: `TCK-\d+`, MinConfidence: "medium", Context: []string{"sak"},
		Examples: RuleExamples{Match: []string{"sak TCK-1"}, NoMatch: []string{"TCK-1"}}})
	if len(findAll(strict, "TCK-42", "")) != 0 || len(findAll(strict, "TCK-42", "sak")) != 1 {
		t.Error("min_confidence with context")
	}
}

func TestCustomRuleErrors(t *testing.T) {
	ok := customerRule()
	for _, c := range []struct {
		edit  func(*Rule)
		field string
	}{
		{func(r *Rule) { r.ID = "" }, "id"},
		{func(r *Rule) { r.ID = "Bad-Id" }, "id"},
		{func(r *Rule) { r.ID = "iban" }, "id"},
		{func(r *Rule) { r.ID = "column_name" }, "id"},
		{func(r *Rule) { r.Category = "" }, "category"},
		{func(r *Rule) { r.Pattern = "" }, "pattern"},
		{func(r *Rule) { r.Pattern = `KND-(\d{7}` }, "pattern"},
		{func(r *Rule) { r.Validator = "crc32" }, "validator"},
		{func(r *Rule) { r.Validator = "luhn"; r.Weights = []int{1} }, "weights"},
		{func(r *Rule) { r.Weights = []int{1, 0} }, "weights.1"},
		{func(r *Rule) { r.MinConfidence = "certain" }, "min_confidence"},
		{func(r *Rule) { r.Timeout = "1h" }, "timeout"},
		{func(r *Rule) { r.Keywords = []string{"knd", " "} }, "keywords.1"},
		{func(r *Rule) { r.Examples.Match = nil }, "examples"},
		{func(r *Rule) { r.Examples.Match = []string{"KND-1234560", "KND-1234561"} }, "examples.match.1"},
		{func(r *Rule) { r.Examples.NoMatch = []string{"KND-7654324"} }, "examples.no_match.0"},
		{func(r *Rule) { r.Keywords = []string{"kunde"} }, "examples.match.0"}, // the keyword filters its own examples out
	} {
		r := ok
		r.Examples.Match = append([]string(nil), ok.Examples.Match...)
		c.edit(&r)
		_, err := NewCustom(r)
		var re *RuleError
		if !errors.As(err, &re) || re.Field != c.field {
			t.Errorf("want an error at %s, got %v", c.field, err)
		}
	}
}

// TestCustomLookaround: a pattern Go's regexp refuses runs on regexp2, with
// byte offsets right after multi-byte text.
func TestCustomLookaround(t *testing.T) {
	d := mustCustom(t, Rule{ID: "journal", Category: "health_record", Pattern: `(?<=journal(nr)?[: ]+)(?<value>J\d{6})(?!\d)`,
		Context:  []string{"pasient"},
		Examples: RuleExamples{Match: []string{"journalnr: J123456"}, NoMatch: []string{"J123456", "journal J1234567"}}})
	c := d.(*custom)
	if c.re2 == nil || c.goRe != nil {
		t.Fatal("lookaround pattern not on regexp2")
	}
	text := "Pasient Åse Ødegård, journal: J654321\nblåbær journal J111111 æ"
	ms := findAll(d, text, "")
	if len(ms) != 2 || text[ms[0].Start:ms[0].End] != "J654321" || ms[0].Confidence != Medium || text[ms[1].Start:ms[1].End] != "J111111" {
		t.Fatalf("got %+v", ms)
	}
	if plain := mustCustom(t, customerRule()).(*custom); plain.goRe == nil {
		t.Error("an RE2 pattern should run on Go's regexp")
	}
}

// TestCustomTimeout: a catastrophic pattern stops at its timeout, reports
// a failure that does not quote the input, and the detector finds nothing.
func TestCustomTimeout(t *testing.T) {
	d := mustCustom(t, Rule{ID: "slow", Category: "slow_thing", Pattern: `^(\w+\s?)*$(?<=secret)`, Timeout: "50ms",
		Examples: RuleExamples{Match: []string{"my secret"}}})
	line := strings.Repeat("abcdefgh ", 40) + "!"
	var in Input
	in.Reset([]byte(line+"\n"+line), "")
	start := time.Now()
	d.Find(&in, func(Match) { t.Error("match") })
	el := time.Since(start)
	err := in.Failure()
	if err == nil || !errors.Is(err, ErrRuleTimeout) {
		t.Fatalf("no timeout failure: %v (after %v)", err, el)
	}
	if strings.Contains(err.Error(), "abcdefgh") {
		t.Errorf("failure quotes the input: %v", err)
	}
	if el > 2*time.Second {
		t.Errorf("took %v with a 50ms timeout", el)
	}
	if in.Failure() != nil {
		t.Error("Failure does not clear")
	}
}

func TestIndexFold(t *testing.T) {
	for _, c := range []struct {
		b, k string
		want int
	}{{"abc KND-1", "knd-", 4}, {"abc knd-1", "knd-", 4}, {"KnD-", "knd-", 0}, {"kn", "knd-", -1}, {"xyz", "knd-", -1}, {"12#x", "#x", 2},
		{"kunde k Kunde KND-9", "knd-", 14}, {"Kunde kunde knd-", "knd-", 12},
		{"FØDSELSNUMMER Fødselsnummer", string(asciiLower("Fødselsnummer")), 15}} {
		if got := indexFold([]byte(c.b), []byte(c.k)); got != c.want {
			t.Errorf("indexFold(%q, %q) = %d, want %d", c.b, c.k, got, c.want)
		}
	}
	// A keyword keeps its other letters as written: "Fødsel" finds "fødsel" and "FØDSEL" finds itself.
	if string(asciiLower("FØDSEL")) != "fØdsel" {
		t.Errorf("asciiLower(FØDSEL) = %q", asciiLower("FØDSEL"))
	}
	// A text full of one case of the first letter and none of the other
	// (BenchmarkIndexFold shows it is read in one pass).
	text := bytes.Repeat([]byte("kunde ok; "), 100000)
	if indexFold(text, []byte("knd-")) != -1 {
		t.Error("found knd- in a text without it")
	}
}

// BenchmarkIndexFold reads 1 MB that holds only one case of the keyword's
// first letter: linear, not quadratic.
func BenchmarkIndexFold(b *testing.B) {
	text := bytes.Repeat([]byte("kunde ok; "), 100000)
	b.SetBytes(int64(len(text)))
	for b.Loop() {
		indexFold(text, []byte("knd-"))
	}
}

func FuzzCustom(f *testing.F) {
	for _, s := range []string{"KND-1234560", "kundenr KND-7654321 og KND-1234561", "journal: J123456", "Åse KND-", ""} {
		f.Add([]byte(s))
	}
	d := mustCustomF(f, customerRule())
	look := mustCustomF(f, Rule{ID: "journal", Category: "health_record", Pattern: `(?<=journal[: ]+)J\d{6}(?!\d)`,
		Examples: RuleExamples{Match: []string{"journal: J123456"}}})
	f.Fuzz(func(t *testing.T, data []byte) {
		for _, det := range []Detector{d, look} {
			fuzzDetector(t, det, data, "", func(m Match, written []byte) {
				if string(written) != m.Value {
					t.Fatalf("value %q is not the written %q", m.Value, written)
				}
			})
		}
	})
}

func mustCustomF(f *testing.F, r Rule) Detector {
	d, err := NewCustom(r)
	if err != nil {
		f.Fatal(err)
	}
	return d
}
