package main

import (
	"encoding/json"
	"fmt"
	"maps"
	"os"
	"path/filepath"
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

// TestPSTEndToEnd scans an Outlook .pst: a folder of contacts reports its
// names, addresses and birthdays as a table of them would (by the
// properties that hold them), its mobile numbers and addresses by their
// labelled properties, each on the line of the contact's number; an inbox
// reports its senders' and recipients' names and the fødselsnummer of an
// attachment at the message's number. No value is shown unmasked.
func TestPSTEndToEnd(t *testing.T) {
	dir := t.TempDir()
	first := []string{"Kari", "Ola", "Ingrid", "Per", "Anne"}
	var contacts []docfixtures.PSTMessage
	for i, name := range first {
		birthday := make([]byte, 8)
		// 1985-03-15 plus i days, as a FILETIME.
		ft := uint64(116444736000000000) + uint64((479692800+int64(i)*86400)*10_000_000)
		for k := range 8 {
			birthday[k] = byte(ft >> (8 * k))
		}
		contacts = append(contacts, docfixtures.PSTMessage{Props: []docfixtures.PSTProp{
			docfixtures.PSTString(0x001A, "IPM.Contact"),
			docfixtures.PSTString(0x3001, name+" Nordmann"),
			docfixtures.PSTString(0x3A06, name),
			docfixtures.PSTString(0x3A11, "Nordmann"),
			docfixtures.PSTString(0x3A5D, fmt.Sprintf("Storgata %d", i+1)),
			docfixtures.PSTString(0x3A1C, fmt.Sprintf("+47 415 55 %03d", 120+i)),
			docfixtures.PSTString(docfixtures.PSTEmail1, strings.ToLower(name)+".nordmann@firma.no"), // a named property
			{ID: 0x3A42, Type: 0x0040, Value: birthday},
		}})
	}
	mail := docfixtures.PSTMessage{
		Props: []docfixtures.PSTProp{
			docfixtures.PSTString(0x0037, "Lønnsslipp"),
			docfixtures.PSTString(0x0C1A, "Kari Nordmann"),
			docfixtures.PSTString(0x1000, "Se vedlegg."),
		},
		Recipients: [][]docfixtures.PSTProp{{docfixtures.PSTString(0x3001, "Ola Hansen"), docfixtures.PSTString(0x39FE, "ola.hansen@firma.no")}},
		Attachments: []docfixtures.PSTAttachment{{Props: []docfixtures.PSTProp{
			docfixtures.PSTInt32(0x3705, 1), docfixtures.PSTString(0x3707, "lonn.txt"),
			docfixtures.PSTBinary(0x3701, []byte("Ansatt: fnr 15038712486\n")),
		}}},
	}
	pst := docfixtures.PST(docfixtures.PSTFolder{Folders: []docfixtures.PSTFolder{{Name: "Top of Personal Folders", Folders: []docfixtures.PSTFolder{
		{Name: "Kontakter", Messages: contacts},
		{Name: "Innboks", Messages: []docfixtures.PSTMessage{mail, mail}},
	}}}}, docfixtures.PSTOptions{Crypt: 1})
	if err := os.WriteFile(filepath.Join(dir, "arkiv.pst"), pst, 0o600); err != nil {
		t.Fatal(err)
	}
	_, r, out := scanJSON(t, dir, "--fail-on", "never")
	got := map[string]report.Finding{}
	for _, f := range r.Findings {
		got[f.Where.Path+"#"+f.Where.Field+" "+string(f.Category)] = f
	}
	const top = "arkiv.pst!Top of Personal Folders/"
	for key, want := range map[string]struct {
		conf  string
		lines []int64
	}{
		top + "Kontakter#GivenName name":            {"high", nil},
		top + "Kontakter#Surname name":              {"high", nil},
		top + "Kontakter#HomeAddressStreet address": {"medium", nil},
		top + "Kontakter#Birthday date_of_birth":    {"high", nil},
		top + "Kontakter# phone":                    {"high", []int64{1, 2, 3, 4, 5}},
		top + "Kontakter# email":                    {"high", []int64{1, 2, 3, 4, 5}},
		top + "Innboks#SenderName name":             {"medium", nil},
		top + "Innboks#RecipientName name":          {"medium", nil},
		top + "Innboks/1!lonn.txt# national_id":     {"high", []int64{1}},
	} {
		f, ok := got[key]
		if !ok {
			t.Errorf("no finding %s; findings: %v", key, slices.Sorted(maps.Keys(got)))
			continue
		}
		// (A column's finding has no lines: the column is the finding.)
		if f.Confidence != want.conf || !slices.Equal(f.Lines, want.lines) {
			t.Errorf("%s: %s, lines %v; want %s, lines %v", key, f.Confidence, f.Lines, want.conf, want.lines)
		}
	}
	if f := got[top+"Kontakter#GivenName name"]; f.Column == nil || f.Column.Type != "MAPI property" || f.Column.Rows != 5 || f.Column.NonNull != 5 {
		t.Errorf("the given names' column: %+v", f.Column)
	}
	for _, v := range []string{"15038712486", "kari.nordmann@firma.no", "+47 415 55 120", "Storgata 1"} {
		if strings.Contains(out, v) {
			t.Errorf("output contains the unmasked value %q", v)
		}
	}
}
