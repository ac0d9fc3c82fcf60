package smb_test

import (
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/piimap/piimap/detectors"
	"github.com/piimap/piimap/internal/docfixtures"
	"github.com/piimap/piimap/internal/testsmb"
	"github.com/piimap/piimap/scanner"
	"github.com/piimap/piimap/sources"
	"github.com/piimap/piimap/sources/files"
	"github.com/piimap/piimap/sources/formats"
	"github.com/piimap/piimap/sources/smb"
)

var server = testsmb.New()

func TestMain(m *testing.M) { os.Exit(testsmb.Main(m, server)) }

// opener opens local paths with the files source and smb:// URLs with the
// smb source, both with every format reader.
func opener(t testing.TB, opt sources.Options, password func(string) (string, error)) scanner.OpenFunc {
	return func(ctx context.Context, target string) (sources.Source, error) {
		if strings.HasPrefix(target, "smb://") {
			return smb.New(ctx, target, opt, nil, password, formats.Options()...)
		}
		return files.New(target, opt, nil, formats.Options()...)
	}
}

func scan(t testing.TB, opt sources.Options, targets ...string) *scanner.Result {
	t.Helper()
	t.Setenv(smb.PasswordEnv, server.Password(t))
	res, err := scanner.Scan(context.Background(), scanner.Config{
		Targets: targets, Detectors: detectors.All(), Workers: 2,
		Open: opener(t, opt, nil),
	})
	if err != nil {
		t.Fatal(err)
	}
	return res
}

// findingSet renders the findings of one target as "path#field category count".
func findingSet(res *scanner.Result, target string) []string {
	var out []string
	for _, f := range res.Findings {
		if f.Location.Target == target {
			out = append(out, fmt.Sprintf("%s#%s %s %d", f.Location.Path, f.Location.Field, f.Category, f.Count))
		}
	}
	slices.Sort(out)
	return out
}

func others(res *scanner.Result, target string) (failed, skipped []string) {
	for _, f := range res.Failures {
		if f.Location.Target == target {
			failed = append(failed, f.Location.Path)
		}
	}
	for _, s := range res.Skipped {
		if s.Location.Target == target {
			skipped = append(skipped, s.Location.Path+": "+s.Reason)
		}
	}
	slices.Sort(failed)
	slices.Sort(skipped)
	return failed, skipped
}

// treeHash hashes every file under dir, to show that scanning wrote nothing.
func treeHash(t testing.TB, dir string) string {
	h := sha256.New()
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		fi, _ := d.Info()
		fmt.Fprintf(h, "%s %d %v\n", p, len(b), fi.ModTime())
		h.Write(b)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return fmt.Sprintf("%x", h.Sum(nil))
}

// TestShareMatchesLocal scans the same folder locally and over SMB: the
// findings (location, field, category, count), failures and skips agree.
func TestShareMatchesLocal(t *testing.T) {
	local := filepath.Join(server.ShareDir(t, "files"), "mixed")
	want, _, err := docfixtures.Tree(local)
	if err != nil {
		t.Fatal(err)
	}
	bad, err := docfixtures.Bad(local)
	if err != nil {
		t.Fatal(err)
	}
	before := treeHash(t, local)
	url := server.URL(t, "files") + "/mixed"
	target := fmt.Sprintf("smb://127.0.0.1:%d/files/mixed", server.Port(t))
	res := scan(t, sources.Options{}, local, url)
	if got := treeHash(t, local); got != before {
		t.Error("the scan changed the scanned files")
	}
	l, s := findingSet(res, ""), findingSet(res, target)
	if len(l) < len(want) {
		t.Fatalf("local scan found only %d findings:\n%s", len(l), strings.Join(l, "\n"))
	}
	if !slices.Equal(l, s) {
		t.Errorf("SMB findings differ from local ones\nlocal:\n%s\nsmb:\n%s", strings.Join(l, "\n"), strings.Join(s, "\n"))
	}
	for _, w := range want {
		k := w.Path + "#" + w.Field + " " + w.Category + " "
		if !slices.ContainsFunc(s, func(x string) bool { return strings.HasPrefix(x, k) }) {
			t.Errorf("SMB scan lacks %s", w.Key())
		}
	}
	lf, ls := others(res, "")
	sf, ss := others(res, target)
	if !slices.Equal(lf, sf) || !slices.Equal(ls, ss) {
		t.Errorf("failures/skips differ:\nlocal %v %v\nsmb %v %v", lf, ls, sf, ss)
	}
	// The truncated zip is read up to its cut: its last member fails too.
	bad = append(bad, "bad/truncated.zip!b.txt")
	slices.Sort(bad)
	if !slices.Equal(sf, bad) {
		t.Errorf("SMB failures %v, want %v", sf, bad)
	}
	for _, f := range res.Findings {
		if f.Location.Target == target && strings.Contains(f.Location.String(), testsmb.User+"@") {
			t.Errorf("location %s names the user", f.Location)
		}
	}
	if res.Files < 2*int64(len(want)/4) {
		t.Errorf("only %d files scanned", res.Files)
	}
}

// TestNamesOnShare: with Options.Names the names of a share's files and
// folders are read as values, as locally: contracts named by fødselsnummer
// and a folder per customer address are found under the folder's
// "(file names)", the same over SMB as on the local disk, and no name is a
// finding's location.
func TestNamesOnShare(t *testing.T) {
	local := filepath.Join(server.ShareDir(t, "files"), "names")
	for _, p := range []string{
		"hr/15038510190_kontrakt.pdf", "hr/22079110098-lonnsslipp-2024.pdf", "hr/rutiner.txt",
		"kunder/kari.nordmann@firma.no/ordre.txt", "kunder/ola@firma.no/ordre.txt",
	} {
		if err := os.MkdirAll(filepath.Join(local, filepath.Dir(p)), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(local, p), []byte("x\n"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	target := fmt.Sprintf("smb://127.0.0.1:%d/files/names", server.Port(t))
	res := scan(t, sources.Options{Names: true}, local, server.URL(t, "files")+"/names")
	l, s := findingSet(res, ""), findingSet(res, target)
	want := []string{"hr/#(file names) national_id 2", "kunder/#(file names) email 2"}
	if !slices.Equal(l, want) {
		t.Errorf("local findings %v, want %v", l, want)
	}
	if !slices.Equal(s, want) {
		t.Errorf("SMB findings %v, want %v", s, want)
	}
	for _, f := range res.Findings {
		if strings.Contains(f.Location.String(), "@") || strings.Contains(f.Location.String(), "1503851") {
			t.Errorf("a name is in the location %s", f.Location)
		}
	}
	if off := scan(t, sources.Options{}, local); len(off.Findings) != 0 {
		t.Errorf("without Names: %d findings, want none", len(off.Findings))
	}
}

// TestLargeFolderOnShare: a folder of more entries than one listing batch
// (listBatch) is read whole, in name order, as the same folder on disk:
// every file scanned, and its names' findings at the same rows.
func TestLargeFolderOnShare(t *testing.T) {
	local := filepath.Join(server.ShareDir(t, "files"), "large")
	if err := os.MkdirAll(local, 0o755); err != nil {
		t.Fatal(err)
	}
	const n = 2600
	for i := range n {
		name := fmt.Sprintf("f%04d.txt", n-1-i) // created out of name order
		body := "x\n"
		switch i {
		case 7:
			name = "15038510190_kontrakt.pdf"
		case 1500:
			body = "kontakt kari.nordmann@firma.no\n"
		}
		if err := os.WriteFile(filepath.Join(local, name), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	target := fmt.Sprintf("smb://127.0.0.1:%d/files/large", server.Port(t))
	res := scan(t, sources.Options{Names: true}, local, server.URL(t, "files")+"/large")
	if res.Files != 2*n {
		t.Errorf("%d files scanned, want %d (%d on disk and on the share)", res.Files, 2*n, n)
	}
	l, s := findingSet(res, ""), findingSet(res, target)
	want := []string{"./#(file names) national_id 1", "f1099.txt# email 1"}
	if !slices.Equal(l, want) || !slices.Equal(s, want) {
		t.Errorf("findings on disk %v, on the share %v, want %v", l, s, want)
	}
	rows := map[string][]int64{}
	for _, f := range res.Findings {
		rows[f.Location.Target] = append(rows[f.Location.Target], f.Rows...)
	}
	if !slices.Equal(rows[""], rows[target]) || len(rows[""]) == 0 {
		t.Errorf("rows on disk %v, on the share %v: want the same", rows[""], rows[target])
	}
}

// TestServerWideScan lists the shares: the disk shares are scanned, the
// hidden one is not.
func TestServerWideScan(t *testing.T) {
	for _, sh := range []string{"docs", testsmb.HiddenShare} {
		d := filepath.Join(server.ShareDir(t, sh), "wide")
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(d, "note.txt"), []byte("e-post: lise.wide@fjordpost.no\n"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	res := scan(t, sources.Options{Include: []string{"wide/**"}}, server.URL(t, ""))
	targets := map[string]bool{}
	for _, f := range res.Findings {
		targets[f.Location.Target+" "+f.Location.Path] = true
	}
	port := server.Port(t)
	if !targets[fmt.Sprintf("smb://127.0.0.1:%d/docs wide/note.txt", port)] {
		t.Errorf("docs share not scanned: %v", targets)
	}
	for k := range targets {
		if strings.Contains(k, "hidden") {
			t.Errorf("hidden share scanned: %s", k)
		}
	}
	for _, f := range res.Failures {
		t.Errorf("failure %s: %s", f.Location, f.Error)
	}
}

func TestCredentials(t *testing.T) {
	pw := server.Password(t)
	base := server.URL(t, "files")
	ctx := context.Background()

	// From the URL: works, and the password shows nowhere.
	withPW := strings.Replace(base, testsmb.User+"@", testsmb.User+":"+pw+"@", 1)
	t.Setenv(smb.PasswordEnv, "")
	src, err := smb.New(ctx, withPW, sources.Options{}, nil, nil)
	if err != nil {
		t.Fatalf("password in URL: %v", err)
	}
	_ = src.Close()

	// From the environment.
	t.Setenv(smb.PasswordEnv, pw)
	src, err = smb.New(ctx, base, sources.Options{}, nil, func(string) (string, error) {
		t.Error("prompted although the environment has the password")
		return "", nil
	})
	if err != nil {
		t.Fatalf("password from %s: %v", smb.PasswordEnv, err)
	}
	_ = src.Close()

	// From the prompt.
	t.Setenv(smb.PasswordEnv, "")
	var asked string
	src, err = smb.New(ctx, base, sources.Options{}, nil, func(p string) (string, error) { asked = p; return pw, nil })
	if err != nil {
		t.Fatalf("password from prompt: %v", err)
	}
	_ = src.Close()
	if !strings.Contains(asked, testsmb.User+"@") || strings.Contains(asked, pw) {
		t.Errorf("prompt %q", asked)
	}

	// A wrong password is an error naming the server, never the password.
	wrong := "Wr0ng-" + pw
	_, err = smb.New(ctx, strings.Replace(base, testsmb.User+"@", testsmb.User+":"+wrong+"@", 1), sources.Options{}, nil, nil)
	if err == nil {
		t.Fatal("wrong password accepted")
	}
	if strings.Contains(err.Error(), wrong) || !strings.Contains(err.Error(), "127.0.0.1") {
		t.Errorf("error %q", err)
	}
	// A prompt that fails.
	_, err = smb.New(ctx, base, sources.Options{}, nil, func(string) (string, error) { return "", errors.New("no terminal") })
	if err == nil || !strings.Contains(err.Error(), "no terminal") {
		t.Errorf("failing prompt: %v", err)
	}
	// A missing share.
	t.Setenv(smb.PasswordEnv, pw)
	src, err = smb.New(ctx, server.URL(t, "nosuchshare"), sources.Options{}, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	err = src.Units(ctx, func(sources.Unit) bool { return true })
	_ = src.Close()
	if err == nil || !strings.Contains(err.Error(), "nosuchshare") {
		t.Errorf("missing share: %v", err)
	}
}

// TestFiltersAndLimits: globs and --max-file-size select the same files
// on a share as on disk, and a target naming one file reads that file.
func TestFiltersAndLimits(t *testing.T) {
	local := filepath.Join(server.ShareDir(t, "files"), "filters")
	for rel, content := range map[string]string{
		"a/keep.log":         "mail: a.keep@fjordpost.no\n",
		"a/skip.tmp":         "mail: a.skip@fjordpost.no\n",
		"node_modules/x.log": "mail: nm@fjordpost.no\n",
		"big.log":            strings.Repeat("x", 5000) + " big@fjordpost.no\n",
	} {
		p := filepath.Join(local, filepath.FromSlash(rel))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	opt := sources.Options{Include: []string{"*.log"}, Exclude: []string{"node_modules"}, MaxFileSize: 4096}
	url := server.URL(t, "files") + "/filters"
	target := fmt.Sprintf("smb://127.0.0.1:%d/files/filters", server.Port(t))
	res := scan(t, opt, local, url)
	l, s := findingSet(res, ""), findingSet(res, target)
	if !slices.Equal(l, s) || !slices.Equal(s, []string{"a/keep.log# email 1"}) {
		t.Errorf("local %v, smb %v", l, s)
	}
	_, ls := others(res, "")
	_, ss := others(res, target)
	if !slices.Equal(ls, ss) || len(ss) != 1 || !strings.HasPrefix(ss[0], "big.log: larger than") {
		t.Errorf("skips: local %v, smb %v", ls, ss)
	}

	// One file as the target.
	res = scan(t, sources.Options{}, url+"/a/keep.log")
	if got := findingSet(res, target+"/a"); !slices.Equal(got, []string{"keep.log# email 1"}) {
		t.Errorf("file target: %v (%v)", got, res.Findings)
	}
}

func TestParseURL(t *testing.T) {
	for _, c := range []struct {
		url, host, domain, user, share, dir, target string
		port                                        int
	}{
		{"smb://fs/hr", "fs", "", "", "hr", "", "smb://fs/hr", 445},
		{"smb://CORP;kari:pw@fs.example:1445/hr/a/b/", "fs.example", "CORP", "kari", "hr", "a/b", "smb://fs.example:1445/hr/a/b", 1445},
		{"smb://scan@10.0.0.1", "10.0.0.1", "", "scan", "", "", "smb://10.0.0.1", 445},
		{"smb://[::1]:445/x", "::1", "", "", "x", "", "smb://[::1]/x", 445},
	} {
		cfg, err := smb.ParseURL(c.url)
		if err != nil {
			t.Errorf("%s: %v", c.url, err)
			continue
		}
		if cfg.Host != c.host || cfg.Domain != c.domain || cfg.User != c.user || cfg.Share != c.share || cfg.Dir != c.dir || cfg.Port != c.port {
			t.Errorf("%s: %+v", c.url, cfg)
		}
		if got := smb.TargetOf(cfg); got != c.target {
			t.Errorf("%s: target %q, want %q", c.url, got, c.target)
		}
	}
	for _, bad := range []string{"smb://", "http://fs/x", "smb://fs:99999/x", "smb://u:s3cret@fs/share/../../etc"} {
		_, err := smb.ParseURL(bad)
		if err == nil {
			t.Errorf("%s accepted", bad)
		} else if strings.Contains(err.Error(), "s3cret") {
			t.Errorf("error shows the password: %v", err)
		}
	}
}

// BenchmarkShare scans the mixed benchmark folder (documents, archives, a
// database) over SMB from the loopback Samba server, with every detector:
// MB/s are bytes on the share per second. Compare with
// sources/formats BenchmarkMixedFolder/all for the same folder on disk.
func BenchmarkShare(b *testing.B) {
	dir := filepath.Join(server.ShareDir(b, "files"), "bench")
	size, err := docfixtures.Mixed(dir, 2)
	if err != nil {
		b.Fatal(err)
	}
	url := server.URL(b, "files") + "/bench"
	b.SetBytes(size)
	for b.Loop() {
		res := scan(b, sources.Options{}, url)
		if len(res.Failures) > 0 || len(res.Findings) < 10 {
			b.Fatalf("failures %v, %d findings", res.Failures, len(res.Findings))
		}
	}
}

func FuzzParseURL(f *testing.F) {
	f.Add("smb://CORP;kari:s3cret@fs.example:1445/hr/a/b/", "s3cret")
	f.Add("smb://u:s3cret@[::1]/x", "s3cret")
	f.Add("smb://%zz:s3cret@h/x", "s3cret")
	f.Fuzz(func(t *testing.T, raw, secret string) {
		cfg, err := smb.ParseURL(raw)
		if len(secret) < 4 || !strings.Contains(raw, ":"+secret+"@") {
			return
		}
		if err != nil {
			if strings.Contains(err.Error(), secret) {
				t.Fatalf("error shows the password: %v", err)
			}
			return
		}
		if strings.Contains(smb.TargetOf(cfg), secret) && !strings.Contains(strings.SplitN(raw, "@", 2)[1], secret) {
			t.Fatalf("target %q shows the password", smb.TargetOf(cfg))
		}
	})
}
