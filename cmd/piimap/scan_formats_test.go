package main

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/piimap/piimap/report"
)

// TestEveryFormatOnTheDemo writes the demo report in every format to a file:
// owner-only, no unmasked value, and each format's own shape (SARIF
// validated against the 2.1.0 schema).
func TestEveryFormatOnTheDemo(t *testing.T) {
	dir := t.TempDir()
	code, js, _ := runCLI(t, "scan", demo, "-d", demo+"/piimap.yaml", "-f", "json", "-q")
	if code != report.ExitFindings {
		t.Fatalf("json: exit %d", code)
	}
	var r report.Report
	if err := json.Unmarshal([]byte(js), &r); err != nil {
		t.Fatal(err)
	}
	for name := range report.Formats() {
		t.Run(name, func(t *testing.T) {
			out := filepath.Join(dir, "report."+name)
			code, stdout, stderr := runCLI(t, "scan", demo, "-d", demo+"/piimap.yaml", "-f", name, "-o", out)
			if code != report.ExitFindings || stdout != "" {
				t.Fatalf("exit %d, stdout %q, stderr %s", code, stdout, stderr)
			}
			if !strings.HasPrefix(stderr, "Scanned ") {
				t.Errorf("stderr is not the summary: %q", stderr)
			}
			st, err := os.Stat(out)
			if err != nil || st.Mode().Perm() != 0o600 || st.Size() == 0 {
				t.Fatalf("report file: %v %v", st, err)
			}
			data, _ := os.ReadFile(out)
			assertNoValues(t, name, string(data))
			switch name {
			case "sarif":
				// Only what needs action is a result (undeclared, misplaced, failing).
				want := 0
				for _, f := range r.Findings {
					if f.Failing || f.Verdict == report.Undeclared || f.Verdict == report.Misplaced {
						want++
					}
				}
				validateDemoSARIF(t, data, want)
			case "csv":
				recs, err := csv.NewReader(bytes.NewReader(data)).ReadAll()
				if err != nil || len(recs) != len(r.Findings)+1 || recs[0][0] != "location" {
					t.Errorf("csv: %d records, %v", len(recs), err)
				}
			case "ndjson":
				sc := bufio.NewScanner(bytes.NewReader(data))
				var types []string
				for sc.Scan() {
					var l struct{ Type string }
					if err := json.Unmarshal(sc.Bytes(), &l); err != nil {
						t.Fatalf("ndjson line %q: %v", sc.Text(), err)
					}
					types = append(types, l.Type)
				}
				if len(types) != len(r.Findings)+1 || types[len(types)-1] != "summary" || types[0] != "finding" {
					t.Errorf("ndjson line types %v", types)
				}
			case "markdown":
				if strings.Index(string(data), "Undeclared and misplaced") > strings.Index(string(data), "<details>") {
					t.Error("markdown: failing verdicts not first")
				}
			case "html":
				if !bytes.Contains(data, []byte(`http-equiv="Content-Security-Policy"`)) || !bytes.Contains(data, []byte("file:logs/app.log")) {
					t.Error("html: no CSP or no findings")
				}
			}
		})
	}
}

func validateDemoSARIF(t *testing.T, data []byte, findings int) {
	t.Helper()
	f, err := os.Open("../../testdata/sarif/sarif-schema-2.1.0.json")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	schemaDoc, err := jsonschema.UnmarshalJSON(f)
	if err != nil {
		t.Fatal(err)
	}
	c := jsonschema.NewCompiler()
	c.AssertFormat()
	if err := c.AddResource("sarif-schema-2.1.0.json", schemaDoc); err != nil {
		t.Fatal(err)
	}
	sch, err := c.Compile("sarif-schema-2.1.0.json")
	if err != nil {
		t.Fatal(err)
	}
	inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	if err := sch.Validate(inst); err != nil {
		t.Fatalf("demo SARIF does not validate: %v", err)
	}
	uris := sarifURIs(t, data)
	if len(uris) != findings {
		t.Errorf("%d results, want %d", len(uris), findings)
	}
	// Paths are relative to the directory piimap ran in, so they resolve.
	for _, uri := range uris {
		if _, err := os.Stat(filepath.FromSlash(uri)); err != nil {
			t.Errorf("result uri %q does not name a file from here: %v", uri, err)
		}
	}
}

func TestNDJSONToStdout(t *testing.T) {
	code, out, stderr := runCLI(t, "scan", demo, "-d", demo+"/piimap.yaml", "-f", "ndjson")
	if code != report.ExitFindings {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) < 5 || !strings.Contains(lines[len(lines)-1], `"type":"summary"`) || !strings.Contains(lines[0], `"type":"finding"`) {
		t.Errorf("ndjson on stdout:\n%s", out)
	}
	assertNoValues(t, "ndjson", out)
}

// TestSeveralTargetsKeepApart: two directories scanned together whose
// files have the same relative path give two locations, each the file's
// path as given, and SARIF URIs that name the files from here; one
// directory alone keeps its paths relative to it.
func TestSeveralTargetsKeepApart(t *testing.T) {
	dir := t.TempDir()
	for svc, email := range map[string]string{"svc-a": "kari.nordmann@firma.no", "svc-b": "ola.hansen@firma.no"} {
		p := filepath.Join(dir, svc, "logs", "app.log")
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte("2026-03-01T10:00:00 INFO login "+email+"\n"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	t.Chdir(dir)
	locations := func(args ...string) []string {
		t.Helper()
		_, r, out := scanJSON(t, append(args, "--fail-on", "never")...)
		var got []string
		for _, f := range r.Findings {
			if f.Category == "email" {
				got = append(got, fmt.Sprintf("%s %d", f.Location, f.Count))
			}
		}
		slices.Sort(got)
		if len(got) == 0 {
			t.Errorf("%v: no e-mail finding\n%s", args, out)
		}
		return got
	}
	if got, want := locations("svc-a", "./svc-b/"), []string{"file:svc-a/logs/app.log 1", "file:svc-b/logs/app.log 1"}; !slices.Equal(got, want) {
		t.Errorf("two targets: %q, want %q", got, want)
	}
	if got, want := locations("svc-a"), []string{"file:logs/app.log 1"}; !slices.Equal(got, want) {
		t.Errorf("one target: %q, want %q", got, want)
	}
	code, out, stderr := runCLI(t, "scan", "svc-a", "svc-b", "-f", "sarif", "--fail-on", "never")
	if code != report.ExitOK {
		t.Fatalf("sarif: exit %d: %s", code, stderr)
	}
	uris := sarifURIs(t, []byte(out))
	slices.Sort(uris)
	if want := []string{"svc-a/logs/app.log", "svc-b/logs/app.log"}; !slices.Equal(uris, want) {
		t.Errorf("sarif uris %q, want %q", uris, want)
	}
}

// sarifURIs returns the artifact URI of each result of a SARIF log's
// first run, in order.
func sarifURIs(t *testing.T, data []byte) []string {
	t.Helper()
	var doc struct {
		Runs []struct {
			Results []struct {
				Locations []struct {
					PhysicalLocation struct {
						ArtifactLocation struct{ URI string } `json:"artifactLocation"`
					} `json:"physicalLocation"`
				} `json:"locations"`
			} `json:"results"`
		} `json:"runs"`
	}
	if err := json.Unmarshal(data, &doc); err != nil || len(doc.Runs) == 0 {
		t.Fatalf("not a SARIF log with a run: %v", err)
	}
	var uris []string
	for _, res := range doc.Runs[0].Results {
		uris = append(uris, res.Locations[0].PhysicalLocation.ArtifactLocation.URI)
	}
	return uris
}
