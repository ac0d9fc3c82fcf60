//go:build unix

package files

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/piimap/piimap/sources"
)

// configPaths returns what the CLI puts in Options.SkipFiles for paths:
// each absolute, and with symbolic links resolved when that differs.
func configPaths(t *testing.T, paths ...string) []string {
	t.Helper()
	var out []string
	for _, p := range paths {
		abs, err := filepath.Abs(p)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, abs)
		if real, err := filepath.EvalSymlinks(abs); err == nil && real != abs {
			out = append(out, real)
		}
	}
	return out
}

// declContent is a declaration whose rule examples would be findings.
var declContent = []byte("declared:\n  email:\n    where: [\"file:**\"]\n# e.g. ola.nordmann@example.no\n")

// TestSkipFiles: piimap's own configuration (Options.SkipFiles) inside a
// scanned tree is skipped and reported with its reason: the declaration,
// a rules file, a symbolic link to the declaration in the tree and, with
// --follow-symlinks, one to a rules file outside it; a file of the same
// name in another directory is read.
func TestSkipFiles(t *testing.T) {
	root := t.TempDir()
	outside := t.TempDir()
	decl := write(t, root, "piimap.yaml", declContent)
	rules := write(t, root, "conf/rules.yaml", declContent)
	outRules := write(t, outside, "rules.yaml", declContent)
	write(t, root, "other/piimap.yaml", declContent)
	write(t, root, "conf/piimap.yaml", declContent)
	if err := os.Symlink(decl, filepath.Join(root, "link.yaml")); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink("../piimap.yaml", filepath.Join(root, "other/relative-link.yaml")); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(outRules, filepath.Join(root, "out-rules.yaml")); err != nil {
		t.Fatal(err)
	}
	opt := sources.Options{SkipFiles: configPaths(t, decl, rules, outRules), FollowSymlinks: true}
	sink := scan(t, root, opt)
	for _, p := range []string{"piimap.yaml", "conf/rules.yaml", "link.yaml", "other/relative-link.yaml", "out-rules.yaml"} {
		if r := sink.skipped[p]; r != SkipConfigReason {
			t.Errorf("%s: skipped %q, want %q", p, r, SkipConfigReason)
		}
		if _, ok := sink.scanned[p]; ok || len(sink.chunksOf(p)) > 0 {
			t.Errorf("%s: read", p)
		}
	}
	for _, p := range []string{"other/piimap.yaml", "conf/piimap.yaml"} {
		if r, ok := sink.skipped[p]; ok {
			t.Errorf("%s (another file of the same name): skipped %q", p, r)
		}
		if sink.text(p) != string(declContent) {
			t.Errorf("%s: not read", p)
		}
	}
	if len(sink.skipped) != 5 || len(sink.failed) > 0 {
		t.Errorf("skipped %v, failed %v", keys(sink.skipped), keys(sink.failed))
	}
}

// TestSkipFilesThroughLinkedRoot: the tree is scanned through a symbolic
// link to its directory while the declaration is named by its real path
// (piimap scan ~/link --declared ~/repo/piimap.yaml), and the other way
// round: the declaration is skipped either way.
func TestSkipFilesThroughLinkedRoot(t *testing.T) {
	base := t.TempDir()
	real := filepath.Join(base, "repo")
	decl := write(t, real, "piimap.yaml", declContent)
	link := filepath.Join(base, "link")
	if err := os.Symlink(real, link); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct{ name, root, decl string }{
		{"root by link, declaration by real path", link, decl},
		{"root by real path, declaration by link", real, filepath.Join(link, "piimap.yaml")},
	} {
		t.Run(c.name, func(t *testing.T) {
			sink := scan(t, c.root, sources.Options{SkipFiles: configPaths(t, c.decl)})
			if r := sink.skipped["piimap.yaml"]; r != SkipConfigReason {
				t.Errorf("piimap.yaml: skipped %q, want %q", r, SkipConfigReason)
			}
			if len(sink.chunksOf("piimap.yaml")) > 0 {
				t.Error("piimap.yaml: read")
			}
		})
	}
}
