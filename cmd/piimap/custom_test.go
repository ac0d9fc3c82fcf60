package main

import (
	"bufio"
	"encoding/json"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/piimap/piimap/detectors"
	"github.com/piimap/piimap/report"
)

// TestDemoCustomDetectorEverywhere: the demo's custom detector is listed by
// `piimap detectors`, is a SARIF rule, and its examples pass the same check
// the registry test runs for the built-in detectors.
func TestDemoCustomDetectorEverywhere(t *testing.T) {
	code, out, stderr := runCLI(t, "detectors", "-d", demo+"/piimap.yaml")
	if code != 0 || !strings.Contains(out, "fjordkaffe_customer_number  [customer_number]  (custom, ") ||
		!strings.Contains(out, "Custom categories: customer_number") || !strings.Contains(out, "dk_cpr  [national_id]") {
		t.Errorf("detectors: exit %d, stderr %s\n%s", code, stderr, out)
	}
	// --sarif-all: the demo's customer numbers are declared, and declared
	// findings are SARIF results only when asked for.
	_, sarif, _ := runCLI(t, "scan", demo, "-d", demo+"/piimap.yaml", "-f", "sarif", "--sarif-all")
	var doc struct {
		Runs []struct {
			Tool struct {
				Driver struct {
					Rules []struct{ ID string } `json:"rules"`
				} `json:"driver"`
			} `json:"tool"`
			Results []struct {
				RuleID string `json:"ruleId"`
			} `json:"results"`
		} `json:"runs"`
	}
	if err := json.Unmarshal([]byte(sarif), &doc); err != nil || len(doc.Runs) != 1 {
		t.Fatalf("sarif: %v", err)
	}
	rules, results := map[string]bool{}, map[string]bool{}
	for _, r := range doc.Runs[0].Tool.Driver.Rules {
		rules[r.ID] = true
	}
	for _, r := range doc.Runs[0].Results {
		results[r.RuleID] = true
	}
	for _, id := range []string{"fjordkaffe_customer_number", "no_bank_account", "iban", "dk_cpr", "fi_hetu", "column_name"} {
		if !rules[id] {
			t.Errorf("SARIF has no rule %s", id)
		}
	}
	if !results["fjordkaffe_customer_number"] {
		t.Error("SARIF has no result of the custom detector")
	}
	decl, err := report.LoadDeclaration(demo + "/piimap.yaml")
	if err != nil || decl.Custom == nil {
		t.Fatal(err)
	}
	for _, d := range decl.Custom.Detectors {
		if fs := detectors.CheckExamples(d); len(fs) != 0 || len(d.Positives()) == 0 || len(d.Negatives()) == 0 {
			t.Errorf("%s: examples %v", d.ID(), fs)
		}
	}
}

// TestRulesFile: --rules adds detectors and categories; the declaration may
// declare a category a rules file defines; a rule whose example fails is
// refused with file:line:col; a duplicate id is refused.
func TestRulesFile(t *testing.T) {
	dir := t.TempDir()
	data := filepath.Join(dir, "data")
	os.Mkdir(data, 0o755)
	os.WriteFile(filepath.Join(data, "journal.txt"), []byte("Pasient innlagt, journalnr: J123456 (avd. 3)\nbestilling J999999\n"), 0o644)
	rules := filepath.Join(dir, "rules.yaml")
	os.WriteFile(rules, []byte(`detectors:
  - id: journal_number
    category: health_record
    pattern: '(?<=journal(nr)?[: ]+)J\d{6}(?!\d)'
    context: [pasient]
    examples:
      match: ["journalnr: J123456"]
      no_match: ["J123456", "journal J1234567"]
`), 0o644)
	decl := filepath.Join(dir, "piimap.yaml")
	os.WriteFile(decl, []byte("declared:\n  health_record:\n    where: [\"file:other/**\"]\n"), 0o644)
	code, js, stderr := runCLI(t, "scan", data, "-d", decl, "--rules", rules, "-f", "json")
	if code != 1 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	var r report.Report
	if err := json.Unmarshal([]byte(js), &r); err != nil {
		t.Fatal(err)
	}
	if len(r.Findings) != 1 || r.Findings[0].Category != "health_record" || r.Findings[0].Verdict != report.Misplaced || r.Findings[0].Count != 1 {
		t.Errorf("findings %+v", r.Findings)
	}
	if len(r.CustomDetectors) != 1 || r.CustomDetectors[0].Source != rules {
		t.Errorf("custom detectors %+v", r.CustomDetectors)
	}
	// Without the rules file the category is unknown.
	if code, _, stderr := runCLI(t, "scan", data, "-d", decl); code != 2 || !strings.Contains(stderr, `unknown category "health_record"`) {
		t.Errorf("without --rules: exit %d, %s", code, stderr)
	}
	// A failing example is refused with its position.
	bad := filepath.Join(dir, "bad.yaml")
	os.WriteFile(bad, []byte(`detectors:
  - id: ticket
    category: ticket
    pattern: 'TCK-\d{4}'
    examples:
      match:
        - "TCK-1234"
        - "TCK-12"
`), 0o644)
	if code, _, stderr := runCLI(t, "scan", data, "--rules", bad); code != 2 || !strings.Contains(stderr, "bad.yaml:8:11: detector \"ticket\": examples.match.1") {
		t.Errorf("failing example: exit %d, stderr %q", code, stderr)
	}
	// The same id twice.
	if code, _, stderr := runCLI(t, "scan", data, "--rules", rules, "--rules", rules); code != 2 || !strings.Contains(stderr, "defined twice") {
		t.Errorf("duplicate id: exit %d, stderr %q", code, stderr)
	}
	// Unknown fields are refused with their position.
	typo := filepath.Join(dir, "typo.yaml")
	os.WriteFile(typo, []byte("detectors:\n  - id: x1\n    categroy: x\n"), 0o644)
	if code, _, stderr := runCLI(t, "scan", data, "--rules", typo); code != 2 || !strings.Contains(stderr, "typo.yaml:3:") {
		t.Errorf("unknown field: exit %d, stderr %q", code, stderr)
	}
}

// TestExcludeColumnName: --exclude-detectors column_name is accepted and
// drops the findings that come from column names alone.
func TestExcludeColumnName(t *testing.T) {
	count := func(args ...string) (n int) {
		t.Helper()
		code, js, stderr := runCLI(t, append([]string{"scan", demo, "-f", "json", "--fail-on", "never"}, args...)...)
		if code != 0 {
			t.Fatalf("%v: exit %d: %s", args, code, stderr)
		}
		var r report.Report
		if err := json.Unmarshal([]byte(js), &r); err != nil {
			t.Fatal(err)
		}
		for _, f := range r.Findings {
			for _, d := range f.Detectors {
				if d == "column_name" {
					n++
				}
			}
		}
		return n
	}
	if n := count(); n == 0 {
		t.Fatal("the demo has no column_name findings")
	}
	if n := count("--exclude-detectors", "column_name"); n != 0 {
		t.Errorf("%d column_name findings with --exclude-detectors column_name", n)
	}
	if n := count("--detectors", "email"); n != 0 {
		t.Errorf("%d column_name findings with --detectors email", n)
	}
	if n := count("--detectors", "column_name"); n == 0 {
		t.Error("--detectors column_name found nothing")
	}
}

// TestCatastrophicPatternBigFile: a custom pattern with catastrophic
// backtracking on a 100 MB file stops at its timeout on the first input,
// reports the file as a failure without quoting it, sits out the rest of
// the file, and the scan goes on (the other file's finding is reported).
func TestCatastrophicPatternBigFile(t *testing.T) {
	if testing.Short() {
		t.Skip("100 MB file: skipped with -short")
	}
	dir := t.TempDir()
	data := filepath.Join(dir, "data")
	os.Mkdir(data, 0o755)
	f, err := os.Create(filepath.Join(data, "big.txt"))
	if err != nil {
		t.Fatal(err)
	}
	w := bufio.NewWriterSize(f, 1<<20)
	line := strings.Repeat("a", 4095) + "\n"
	for written := 0; written < 100<<20; written += len(line) {
		w.WriteString(line)
	}
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	f.Close()
	os.WriteFile(filepath.Join(data, "small.txt"), []byte("kontakt: ola.nordmann@fjordpost.no\n"), 0o644)
	rules := filepath.Join(dir, "rules.yaml")
	os.WriteFile(rules, []byte(`detectors:
  - id: evil
    category: evil_thing
    pattern: '^(a+)+b?$(?<=b)'
    timeout: 100ms
    examples:
      match: ["aab"]
      no_match: ["aac"]
`), 0o644)
	start := time.Now()
	code, js, stderr := runCLI(t, "scan", data, "--rules", rules, "-f", "json", "--workers", "2")
	t.Logf("100 MB with a catastrophic pattern: %v", time.Since(start))
	var r report.Report
	if err := json.Unmarshal([]byte(js), &r); err != nil {
		t.Fatalf("exit %d: %v: %s", code, err, stderr)
	}
	if code != 3 {
		t.Errorf("exit %d, want 3 (a location could not be fully read)", code)
	}
	if len(r.Failures) != 1 || r.Failures[0].Location != "file:big.txt" || !strings.Contains(r.Failures[0].Error, "custom detector evil: pattern timed out after 100ms") {
		t.Fatalf("failures %+v", r.Failures)
	}
	if strings.Contains(js+stderr, "aaaaaaaa") {
		t.Error("the input is quoted in the output")
	}
	if r.Summary.Bytes < 100<<20 {
		t.Errorf("scanned %d bytes: the file was not read to its end", r.Summary.Bytes)
	}
	found := false
	for _, fd := range r.Findings {
		found = found || (fd.Location == "file:small.txt" && fd.Category == "email")
	}
	if !found {
		t.Errorf("the scan did not go on: findings %+v", r.Findings)
	}
}

// TestBankAccountsEndToEnd: kontonummer in a CSV column, a JSON key and
// free text with context are bank_account findings; without context the
// bare number is a person (it is a valid fødselsnummer) and nothing is
// reported twice; IBANs and a Danish CPR are found in their files.
func TestBankAccountsEndToEnd(t *testing.T) {
	dir := t.TempDir()
	write := func(name, text string) {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("utbetaling.csv", "navn;kontonummer;bankkonto\nKari;12345678903;1551 0012345678\nOla;30001234567;9570 0005551234\n")
	write("events.jsonl", `{"user":{"kontonr":"05301234564"}}`+"\n")
	write("faktura.txt", "Betal til konto 1503.87.12486 innen 14 dager.\nkunde 31129948178 ringte\n")
	write("iban.txt", "IBAN: NO93 8601 1117 947, BIC DNBANOKKXXX\nSE3550000000054910000003\n")
	write("kunde-dk.txt", "CPR-nr.: 260683-1176\n")
	code, js, stderr := runCLI(t, "scan", dir, "-f", "json", "--fail-on", "never")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	var r report.Report
	if err := json.Unmarshal([]byte(js), &r); err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, f := range r.Findings {
		got[f.Location+" "+f.Category] = strings.Join(f.Detectors, ",") + " " + f.Confidence + " " + strconv.FormatInt(f.Count, 10)
	}
	for k, want := range map[string]string{
		"file:utbetaling.csv#kontonummer bank_account": "no_bank_account high 2",
		"file:utbetaling.csv#bankkonto bank_account":   "column_name high 2", // Danish accounts: the name says it
		"file:utbetaling.csv#navn name":                "column_name medium 2",
		"file:events.jsonl#user.kontonr bank_account":  "no_bank_account high 1",
		"file:faktura.txt bank_account":                "no_bank_account high 1",
		"file:faktura.txt national_id":                 "no_fnr medium 1",
		"file:iban.txt bank_account":                   "iban high 2",
		"file:kunde-dk.txt national_id":                "dk_cpr high 1",
	} {
		if got[k] != want {
			t.Errorf("%s: %q, want %q", k, got[k], want)
		}
	}
	if len(got) != 8 {
		t.Errorf("findings %v", got)
	}
}
