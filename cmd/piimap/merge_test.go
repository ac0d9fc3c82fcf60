package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/piimap/piimap/internal/testdb"
	"github.com/piimap/piimap/report"
)

// shardTree writes a tree of many small files (fødselsnummer and e-mails in
// logs, CSV exports with telling headers, one corrupt archive) so that three
// shards all get work.
func shardTree(t *testing.T) string {
	t.Helper()
	root := filepath.Join(t.TempDir(), "tree")
	fnrs := testdb.Fnrs(40, 7)
	write := func(rel, content string) {
		p := filepath.Join(root, rel)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	for i := 0; i < 30; i++ {
		var b strings.Builder
		for j := 0; j < 1+i%4; j++ {
			fmt.Fprintf(&b, "2026-03-02T09:%02d:00 INFO request id=%d user=kunde%d@fjordpost.no\n", j, i*10+j, i)
			if (i+j)%3 == 0 {
				fmt.Fprintf(&b, "2026-03-02T09:%02d:30 ERROR kyc failed fnr=%s\n", j, fnrs[i])
			}
		}
		write(fmt.Sprintf("logs/svc%d/app-%02d.log", i%4, i), b.String())
	}
	for i := 0; i < 6; i++ {
		write(fmt.Sprintf("exports/kunder-%d.csv", i), fmt.Sprintf("fornavn;etternavn;fødselsnummer\nOla;Nordmann;%s\nKari;Nordmann;%s\n", fnrs[30+i], fnrs[31+i]))
	}
	write("logs/old.log.gz", "this is not gzip")
	return root
}

// TestShardedMergeEqualsUnsharded scans the demo and a generated tree whole
// and as shards 1/3, 2/3, 3/3, merges the shard reports with 'piimap
// merge', and compares: the same report but for durations and timestamps.
func TestShardedMergeEqualsUnsharded(t *testing.T) {
	for _, tc := range []struct{ name, tree, decl string }{
		{"demo", demo, demo + "/piimap.yaml"},
		{"generated", shardTree(t), demo + "/piimap.yaml"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			whole := filepath.Join(dir, "whole.json")
			wantCode, _, stderr := runCLI(t, "scan", tc.tree, "-d", tc.decl, "-f", "json", "-o", whole, "-q")
			if wantCode != report.ExitFindings && wantCode != report.ExitUnread {
				t.Fatalf("unsharded: exit %d: %s", wantCode, stderr)
			}
			args := []string{"merge", "-d", tc.decl, "-o", filepath.Join(dir, "merged.json"), "-q"}
			var files int64
			for k := 1; k <= 3; k++ {
				out := filepath.Join(dir, fmt.Sprintf("shard-%d.json", k))
				runCLI(t, "scan", tc.tree, "-d", tc.decl, "-f", "json", "-o", out, "-q", "--shard", fmt.Sprintf("%d/3", k))
				s, err := report.ReadJSON(out)
				if err != nil {
					t.Fatal(err)
				}
				if s.Shard != fmt.Sprintf("%d/3", k) || s.Summary.Files == 0 {
					t.Errorf("shard %d: shard %q, %d files", k, s.Shard, s.Summary.Files)
				}
				files += s.Summary.Files
				args = append(args, out)
			}
			code, _, stderr := runSub(t, args...)
			if code != wantCode {
				t.Errorf("merge: exit %d, want %d as unsharded: %s", code, wantCode, stderr)
			}
			want, err := report.ReadJSON(whole)
			if err != nil {
				t.Fatal(err)
			}
			got, err := report.ReadJSON(filepath.Join(dir, "merged.json"))
			if err != nil {
				t.Fatal(err)
			}
			if files != want.Summary.Files {
				t.Errorf("shards read %d files, the whole scan %d", files, want.Summary.Files)
			}
			if len(want.Findings) < 5 {
				t.Fatalf("only %d findings: the comparison would say little", len(want.Findings))
			}
			for _, r := range []*report.Report{want, got} {
				r.Started, r.Duration = time.Time{}, 0
			}
			if d := cmp.Diff(want, got); d != "" {
				t.Errorf("merged shards differ from the unsharded report (-whole +merged):\n%s", d)
			}
		})
	}
}

func TestMergeUsage(t *testing.T) {
	dir := t.TempDir()
	// Shards of one run: a missing one makes exit 3; the same one twice is a usage error.
	var shards []string
	for k := 1; k <= 2; k++ {
		out := filepath.Join(dir, fmt.Sprintf("s%d.json", k))
		runCLI(t, "scan", demo, "-f", "json", "-o", out, "-q", "--shard", fmt.Sprintf("%d/2", k))
		shards = append(shards, out)
	}
	code, out, stderr := runSub(t, "merge", shards[0], "--fail-on", "never", "-f", "markdown")
	if code != report.ExitUnread || !strings.Contains(out, "shard 2/2") {
		t.Errorf("missing shard: exit %d, stderr %s\n%s", code, stderr, out)
	}
	if code, _, stderr := runSub(t, "merge", shards[0], shards[0]); code != report.ExitUsage || !strings.Contains(stderr, "both shard 1/2") {
		t.Errorf("duplicate shard: exit %d, %s", code, stderr)
	}
	if code, _, _ := runSub(t, "merge", shards[0], shards[1], "--fail-on", "never"); code != report.ExitOK {
		t.Errorf("complete, fail-on never: exit %d", code)
	}
	notReport := filepath.Join(dir, "x.json")
	os.WriteFile(notReport, []byte(`{"schema":"piimap.baseline/v1"}`), 0o600)
	if code, _, _ := runSub(t, "merge", notReport); code != report.ExitUsage {
		t.Errorf("merging a non-report: exit %d, want 2", code)
	}
	if code, _, _ := runSub(t, "merge", filepath.Join(dir, "missing.json")); code != report.ExitUsage {
		t.Errorf("merging a missing file: exit %d, want 2", code)
	}
	// A baseline applies to the merged report.
	if code, _, _ := runSub(t, "merge", "-d", demo+"/piimap.yaml", shards[0], shards[1]); code != report.ExitFindings {
		t.Errorf("merge without a baseline: exit %d, want 1", code)
	}
	all := filepath.Join(dir, "all.json")
	runCLI(t, "scan", demo, "-d", demo+"/piimap.yaml", "-f", "json", "-o", all, "-q")
	if code, _, stderr := runSub(t, "merge", "-d", demo+"/piimap.yaml", "--baseline", all, shards[0], shards[1]); code != report.ExitOK {
		t.Errorf("merge with a baseline of everything: exit %d: %s", code, stderr)
	}
}

func TestShardFlag(t *testing.T) {
	for _, bad := range []string{"0/3", "4/3", "a/b", "3", "1/0", "-1/2"} {
		code, _, stderr := runCLI(t, "scan", demo, "--shard", bad, "-q")
		if code != report.ExitUsage || !strings.Contains(stderr, "--shard") {
			t.Errorf("--shard %s: exit %d, stderr %q; want 2", bad, code, stderr)
		}
	}
	if code, _, stderr := runCLI(t, "scan", demo, "--shard", "1/1", "-q", "-f", "json"); code == report.ExitUsage {
		t.Errorf("--shard 1/1: exit %d: %s", code, stderr)
	}
}

// TestMergeNamesFindingsLeftOut: separate scans of two trees that each
// have logs/app.log locate both as file:logs/app.log; merging them keeps
// the first report's finding and says on stderr that the other's was left
// out, unless --quiet.
func TestMergeNamesFindingsLeftOut(t *testing.T) {
	dir := t.TempDir()
	var reports []string
	for i, email := range []string{"kari.nordmann@firma.no", "ola.hansen@firma.no ola.hansen@firma.no"} {
		tree := filepath.Join(dir, fmt.Sprintf("srv%d", i))
		if err := os.MkdirAll(filepath.Join(tree, "logs"), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(tree, "logs", "app.log"), []byte("2026-03-01T10:00:00 INFO login "+email+"\n"), 0o644); err != nil {
			t.Fatal(err)
		}
		out := filepath.Join(dir, fmt.Sprintf("srv%d.json", i))
		runCLI(t, "scan", tree, "-f", "json", "-o", out, "-q", "--fail-on", "never")
		reports = append(reports, out)
	}
	_, _, stderr := runCLI(t, append([]string{"merge", "-o", filepath.Join(dir, "merged.json"), "--fail-on", "never"}, reports...)...)
	if !strings.Contains(stderr, "srv1.json: its finding file:logs/app.log (email, count 2) is left out") || !strings.Contains(stderr, "srv0.json") {
		t.Errorf("stderr does not name the finding left out:\n%s", stderr)
	}
	if _, _, stderr := runCLI(t, append([]string{"merge", "-o", filepath.Join(dir, "merged.json"), "--fail-on", "never", "-q"}, reports...)...); strings.Contains(stderr, "left out") {
		t.Errorf("--quiet: %s", stderr)
	}
	// The same report twice is one scan seen twice: nothing to say.
	if _, _, stderr := runCLI(t, "merge", "-o", filepath.Join(dir, "merged.json"), "--fail-on", "never", reports[0], reports[0]); strings.Contains(stderr, "left out") {
		t.Errorf("the same report twice: %s", stderr)
	}
}
