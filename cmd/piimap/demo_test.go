package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/piimap/piimap/internal/corpus"
	"github.com/piimap/piimap/report"
)

const demo = "../../testdata/demo"

// rawDemoValues are personal data in the demo, as written there: none may
// appear in any output without --show-values.
var rawDemoValues = []string{
	"15038712486", "4571 8579 5959 3587", "4571857959593587", "ola.nordmann@fjordpost.no",
	"kari.nordmann@gmail.com", "kari.nordmann%40gmail.com", "912 34 567", "+4791234567", "84.212.77.14",
	"193.90.12.201", "2a01:79c:cebf:d688::1f", "91.186.77.3", "åse.ødegård@blåbærskogen.no", "98765432",
	"4242 4242 4242 4242", "1503.87.12486", "KND-3416720", "3416720", "1106848", "2143046",
	demoPassword,
}

// demoPassword is the database password in the demo's app log: no output
// holds it, with --show-values either.
const demoPassword = "Kaffe-Bryggeri-2026"

func runCLI(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	code := run(context.Background(), args, &out, &errb)
	return code, out.String(), errb.String()
}

func assertNoValues(t *testing.T, what, s string) {
	t.Helper()
	for _, v := range rawDemoValues {
		if strings.Contains(s, v) {
			t.Errorf("%s contains the unmasked value %q", what, v)
		}
	}
}

// TestDemoAcceptance is the core acceptance check: the fødselsnummer and the
// card number in the app log are undeclared, declared categories are
// declared, exit 1, and no unmasked value in table or JSON.
func TestDemoAcceptance(t *testing.T) {
	code, table, stderr := runCLI(t, "scan", demo, "--declared", demo+"/piimap.yaml")
	if code != 1 {
		t.Fatalf("exit %d, want 1; stderr: %s", code, stderr)
	}
	assertNoValues(t, "table output", table+stderr)
	for _, want := range []string{"file:logs/app.log", "FAIL undeclared", "Declared but not found: date_of_birth"} {
		if !strings.Contains(table, want) {
			t.Errorf("table lacks %q:\n%s", want, table)
		}
	}

	code, js, stderr := runCLI(t, "scan", demo, "--declared", demo+"/piimap.yaml", "--format", "json")
	if code != 1 {
		t.Fatalf("json: exit %d, want 1; stderr: %s", code, stderr)
	}
	assertNoValues(t, "JSON output", js+stderr)
	var r report.Report
	if err := json.Unmarshal([]byte(js), &r); err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, f := range r.Findings {
		got[f.Location+" "+f.Category] = f.Verdict
	}
	want := map[string]string{
		"file:logs/app.log national_id":           report.Undeclared,
		"file:logs/app.log payment_card":          report.Undeclared,
		"file:logs/events.jsonl#user.email email": report.Misplaced,
		"file:exports/kunder.csv#e-post email":    report.Declared,
		"file:exports/kunder.csv#fornavn name":    report.Declared,
		"file:exports/kunder.csv#etternavn name":  report.Declared,
		"file:exports/kunder.csv#telefon phone":   report.Declared,
		"file:exports/kunder.csv#adresse address": report.Declared,
		"file:logs/access.log ip_address":         report.Declared,
		"file:logs/access.log email":              report.Declared,
		"file:logs/access.log.1.gz ip_address":    report.Declared,
		"file:logs/events.jsonl#to.mobil phone":   report.Declared,
		"file:fixtures/testkort.txt payment_card": report.Ignored,
		// The shop's account number in an invoice line (1503.87.12486).
		"file:logs/app.log bank_account": report.Undeclared,
		// The database's password in a connection error's URL.
		"file:logs/app.log credentials": report.Undeclared,
		// The custom detector of piimap.yaml: KND- customer numbers.
		"file:exports/henvendelser.csv#kundenr customer_number": report.Declared,
	}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("%s: verdict %q, want %q", k, got[k], v)
		}
	}
	// Nothing else may be national_id, payment_card, bank_account or a
	// customer number: the KID, the timestamps and order ids in app.log are
	// not findings, and neither are the rule examples in piimap.yaml (the
	// declaration is skipped).
	for k := range got {
		for _, c := range []string{" national_id", " payment_card", " bank_account", " customer_number"} {
			if strings.HasSuffix(k, c) && want[k] == "" {
				t.Errorf("unexpected finding %s", k)
			}
		}
	}
	if len(r.CustomDetectors) != 1 || r.CustomDetectors[0].ID != "fjordkaffe_customer_number" {
		t.Errorf("custom detectors %+v", r.CustomDetectors)
	}
	if r.Summary.ExitCode != 1 || r.Schema != report.SchemaVersion || len(r.NotFound) != 1 {
		t.Errorf("summary %+v, not found %+v", r.Summary, r.NotFound)
	}
}

func TestOutputFileIsPrivate(t *testing.T) {
	out := filepath.Join(t.TempDir(), "r.json")
	code, stdout, _ := runCLI(t, "scan", demo, "--declared", demo+"/piimap.yaml", "--format", "json", "--output", out, "--quiet")
	if code != 1 || stdout != "" {
		t.Fatalf("exit %d, stdout %q", code, stdout)
	}
	st, err := os.Stat(out)
	if err != nil {
		t.Fatal(err)
	}
	if st.Mode().Perm() != 0o600 {
		t.Errorf("report mode %v, want 0600", st.Mode().Perm())
	}
}

func TestShowValuesIsOptIn(t *testing.T) {
	_, out, _ := runCLI(t, "scan", demo+"/logs/app.log", "--show-values", "--format", "json")
	if !strings.Contains(out, "15038712486") {
		t.Errorf("--show-values did not show the value")
	}
	if strings.Contains(out, demoPassword) || !strings.Contains(out, "postgres://shop_app:***@db.internal:5432") {
		t.Errorf("--show-values: the password is shown, or its URL is not:\n%s", out)
	}
}

func TestUsageErrors(t *testing.T) {
	bad := filepath.Join(t.TempDir(), "piimap.yaml")
	os.WriteFile(bad, []byte("declared:\n  emial: {}\n"), 0o644)
	code, _, stderr := runCLI(t, "scan", demo, "--declared", bad)
	if code != 2 || !strings.Contains(stderr, ":2:3: unknown category \"emial\" (did you mean \"email\"?)") {
		t.Errorf("bad declaration: exit %d, stderr %q", code, stderr)
	}
	if code, _, _ := runCLI(t, "scan", demo, "--detectors", "nope"); code != 2 {
		t.Errorf("unknown detector: exit %d, want 2", code)
	}
	if code, _, _ := runCLI(t, "scan", demo, "--format", "yaml"); code != 2 {
		t.Errorf("unknown format: exit %d, want 2", code)
	}
	if code, _, stderr := runCLI(t, "scan", filepath.Join(t.TempDir(), "missing")); code != 3 {
		t.Errorf("missing target: exit %d, want 3 (%s)", code, stderr)
	}
}

// TestGeneratedLogNoHighNationalID: a generated 100,000-line log full of
// random 11-digit numbers, 14-digit timestamps, UUIDs, account numbers
// written 1234.56.78903 and order ids yields no national_id finding at high
// confidence through the whole pipeline.
func TestGeneratedLogNoHighNationalID(t *testing.T) {
	dir := t.TempDir()
	f, err := os.Create(filepath.Join(dir, "noise.log"))
	if err != nil {
		t.Fatal(err)
	}
	// About 100 bytes a line.
	if _, _, err := corpus.Write(f, 100_000*100, corpus.Options{Seed: 7}); err != nil {
		t.Fatal(err)
	}
	f.Close()
	_, js, _ := runCLI(t, "scan", dir, "--format", "json", "--fail-on", "never")
	var r report.Report
	if err := json.Unmarshal([]byte(js), &r); err != nil {
		t.Fatal(err)
	}
	for _, fd := range r.Findings {
		if fd.Category == "national_id" && fd.Confidence == "high" {
			t.Errorf("national_id at high confidence in noise: %+v", fd)
		}
		if fd.Category == "payment_card" && fd.Confidence != "low" {
			t.Errorf("payment_card above low in noise: %+v", fd)
		}
	}
}

// TestSingleLineBoundedMemory scans a 300 MB file that is one line and checks
// the process's peak RSS stays under 100 MiB, and that values in the line are
// still found.
func TestSingleLineBoundedMemory(t *testing.T) {
	if testing.Short() {
		t.Skip("300 MB file: skipped with -short")
	}
	dir := t.TempDir()
	bin := buildPiimap(t)
	data := filepath.Join(dir, "data")
	os.Mkdir(data, 0o755)
	f, err := os.Create(filepath.Join(data, "one-line.log"))
	if err != nil {
		t.Fatal(err)
	}
	w := &newlineToSpace{w: f}
	if _, _, err := corpus.Write(w, 300<<20, corpus.Options{Seed: 3, PIIEvery: 2000}); err != nil {
		t.Fatal(err)
	}
	f.Close()
	r, rss := scanPeak(t, bin, data, "--workers", "2")
	t.Logf("peak RSS %d MB for a 300 MB single-line file", rss>>20)
	if rss > memoryBound {
		t.Errorf("peak RSS %d MiB, want < %d MiB", rss>>20, memoryBound>>20)
	}
	cats := map[string]int64{}
	for _, fd := range r.Findings {
		cats[fd.Category] += fd.Count
	}
	if cats["email"] == 0 || cats["national_id"] == 0 {
		t.Errorf("findings by category %v: the long line was not scanned", cats)
	}
	if r.Summary.Bytes < 300<<20 {
		t.Errorf("scanned %d bytes, want all of 300 MB", r.Summary.Bytes)
	}
}

type newlineToSpace struct{ w io.Writer }

func (n *newlineToSpace) Write(p []byte) (int, error) {
	q := bytes.ReplaceAll(p, []byte{'\n'}, []byte{' '})
	_, err := n.w.Write(q)
	return len(p), err
}

// TestOutputFileModes: an existing report file is tightened to 0600, and a
// device given as --output (/dev/null) is written but never chmodded.
func TestOutputFileModes(t *testing.T) {
	out := filepath.Join(t.TempDir(), "old.json")
	os.WriteFile(out, []byte("old"), 0o644)
	runCLI(t, "scan", demo, "--format", "json", "--output", out, "--quiet")
	if st, _ := os.Stat(out); st.Mode().Perm() != 0o600 {
		t.Errorf("existing report mode %v, want 0600", st.Mode().Perm())
	}
	before, err := os.Stat(os.DevNull)
	if err != nil {
		t.Fatal(err)
	}
	runCLI(t, "scan", demo, "--format", "json", "--output", os.DevNull, "--quiet")
	after, _ := os.Stat(os.DevNull)
	if before.Mode() != after.Mode() {
		t.Fatalf("--output /dev/null changed its mode from %v to %v", before.Mode(), after.Mode())
	}
}

// TestOutputDash: "-o -" is standard output, as for other tools, not a
// file named "-" in the working directory.
func TestOutputDash(t *testing.T) {
	dir, err := filepath.Abs(demo)
	if err != nil {
		t.Fatal(err)
	}
	t.Chdir(t.TempDir())
	code, js, stderr := runCLI(t, "scan", dir, "--declared", dir+"/piimap.yaml", "--format", "json", "-o", "-", "-q")
	if code != 1 || !strings.Contains(js, `"schema": "piimap.report/v1"`) {
		t.Fatalf("exit %d, stdout %q, stderr %s: want the JSON report on stdout", code, js, stderr)
	}
	if _, err := os.Stat("-"); err == nil {
		t.Fatal(`a file named "-" was written`)
	}
}
