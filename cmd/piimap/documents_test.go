package main

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/piimap/piimap/internal/docfixtures"
	"github.com/piimap/piimap/internal/testsmb"
	"github.com/piimap/piimap/report"
	"github.com/piimap/piimap/sources/smb"
)

// scanJSON runs `piimap scan --format json` and decodes the report.
func scanJSON(t *testing.T, args ...string) (int, *report.Report, string) {
	t.Helper()
	code, out, stderr := runCLI(t, append([]string{"scan", "--format", "json", "--quiet"}, args...)...)
	var r report.Report
	if err := json.Unmarshal([]byte(out), &r); err != nil {
		t.Fatalf("exit %d, report not JSON: %v\nstdout: %.2000s\nstderr: %s", code, err, out, stderr)
	}
	return code, &r, out + stderr
}

func assertNoFixtureValues(t *testing.T, vals docfixtures.Values, out string) {
	t.Helper()
	for _, v := range append(append([]string(nil), vals.Fnr...), vals.Emails...) {
		if strings.Contains(out, v) {
			t.Errorf("output contains the unmasked value %q", v)
		}
	}
}

// TestDocumentsEndToEnd scans a folder of documents, archives and
// databases next to a zip bomb, a truncated zip and a corrupt PDF: each
// bad file is a named failure (and the member the truncated zip cuts
// short), the exit code is 3, and every other file is
// still scanned, with member paths, sheets, columns and lines.
func TestDocumentsEndToEnd(t *testing.T) {
	dir := t.TempDir()
	want, vals, err := docfixtures.Tree(dir)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := docfixtures.Bad(dir); err != nil {
		t.Fatal(err)
	}
	code, r, out := scanJSON(t, dir)
	if code != report.ExitUnread || r.Summary.ExitCode != report.ExitUnread {
		t.Fatalf("exit %d (summary %d), want %d", code, r.Summary.ExitCode, report.ExitUnread)
	}
	assertNoFixtureValues(t, vals, out)
	failures := map[string]string{}
	for _, f := range r.Failures {
		failures[f.Location] = f.Error
	}
	for loc, words := range map[string][]string{
		"file:bad/bomb.zip":      {"bad/bomb.zip", "decompressed size exceeds the limit", "4294967296 bytes", "nuller.bin"},
		"file:bad/truncated.zip": {"bad/truncated.zip", "zip central directory missing", "1 member read by their local headers", `member "b.txt" is cut off`},
		// The member cut short: read up to the cut, and reported.
		"file:bad/truncated.zip!b.txt": {"unexpected EOF"},
		"file:bad/corrupt.pdf":         {"bad/corrupt.pdf", "malformed PDF"},
	} {
		msg, ok := failures[loc]
		if !ok {
			t.Errorf("no failure for %s; failures: %v", loc, failures)
			continue
		}
		for _, w := range words {
			if !strings.Contains(msg, w) {
				t.Errorf("%s: error %q lacks %q", loc, msg, w)
			}
		}
	}
	if len(failures) != 4 {
		t.Errorf("failures %v, want the 3 bad files and the member cut short", failures)
	}
	got := map[string]report.Finding{}
	for _, f := range r.Findings {
		got[docfixtures.Want{Path: f.Where.Path, Field: f.Where.Field, Category: f.Category}.Key()] = f
	}
	for _, w := range want {
		if _, ok := got[w.Key()]; !ok {
			t.Errorf("missing finding %s", w.Key())
		}
	}
	// Positions: sheet rows (cell C3 of the xlsx holds a fødselsnummer
	// stored as a number without its leading zero), text lines, CSV lines
	// inside archives, database rows.
	for key, lines := range map[string][]int64{
		"hr/ansatte.xlsx!Ark1#Fødselsnummer national_id":             {2, 3, 4},
		"hr/kontrakt.docx# national_id":                              {2, 6},
		"exports/2024.zip!kunder/2024.csv#fødselsnummer national_id": {2, 3, 4, 5, 6},
		"exports/logs.tar.gz!logs/app.log# national_id":              {3},
		"docs/rapport.pdf# national_id":                              {6},
		"legacy/latin1.csv#fødselsnummer national_id":                {2, 3},
	} {
		if f, ok := got[key]; ok && !slices.Equal(f.Lines, lines) {
			t.Errorf("%s: lines %v, want %v", key, f.Lines, lines)
		}
	}
	if f := got["hr/ansatte.xlsx!Ark1#Fødselsnummer national_id"]; f.Column == nil || f.Column.Type != "column B" || f.Count != 3 {
		t.Errorf("xlsx column finding %+v", f)
	}
	if f := got["data/app.db!customers#fnr_tall national_id"]; !slices.Equal(f.Rows, []int64{1, 2, 3, 4}) || !f.Where.Table {
		t.Errorf("sqlite finding %+v", f)
	}
	if r.Summary.Tables != 6 {
		t.Errorf("tables %d, want 6 (two per copy of the database)", r.Summary.Tables)
	}
	if r.SkipCounts["binary (png)"] != 1 {
		t.Errorf("skip counts %v", r.SkipCounts)
	}
}

// TestSMBAcceptance is the acceptance run: one scan of a local folder and
// of the same folder served over SMB; both report the same findings, with
// member paths, sheets, columns and lines, and no password anywhere.
func TestSMBAcceptance(t *testing.T) {
	srv := testsmb.Start(t)
	share := srv.ShareDir(t, "files")
	want, vals, err := docfixtures.Tree(share)
	if err != nil {
		t.Fatal(err)
	}
	pw := srv.Password(t)
	t.Setenv(smb.PasswordEnv, pw)
	url := srv.URL(t, "files")
	code, r, out := scanJSON(t, share, url)
	if code != report.ExitFindings {
		t.Fatalf("exit %d, want %d; failures %v", code, report.ExitFindings, r.Failures)
	}
	if strings.Contains(out, pw) {
		t.Error("the output contains the SMB password")
	}
	assertNoFixtureValues(t, vals, out)
	target := fmt.Sprintf("smb://127.0.0.1:%d/files", srv.Port(t))
	sets := map[string][]string{}
	for _, f := range r.Findings {
		k := fmt.Sprintf("%s#%s %s %d %v %v", f.Where.Path, f.Where.Field, f.Category, f.Count, f.Lines, f.Rows)
		sets[f.Where.Target] = append(sets[f.Where.Target], k)
		if f.Where.Target == target && !strings.HasPrefix(f.Location, target+"/") {
			t.Errorf("location %s does not start with %s", f.Location, target)
		}
	}
	local, remote := sets[""], sets[target]
	slices.Sort(local)
	slices.Sort(remote)
	if len(local) < len(want) || !slices.Equal(local, remote) {
		t.Errorf("local and SMB findings differ:\nlocal:\n%s\nsmb:\n%s", strings.Join(local, "\n"), strings.Join(remote, "\n"))
	}
	for _, w := range []string{
		target + "/hr/ansatte.xlsx!Ark1#Fødselsnummer",
		target + "/exports/2024.zip!kunder/2024.csv#fødselsnummer",
		target + "/data/app.db!customers.fnr",
		target + "/exports/logs.tar.gz!logs/arkiv.zip!gammel.csv#fnr",
	} {
		found := false
		for _, f := range r.Findings {
			found = found || f.Location == w
		}
		if !found {
			t.Errorf("no finding at %s", w)
		}
	}
}
