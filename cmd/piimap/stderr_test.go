package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestStderrStaysReadable: a tree with many unreadable files gives one
// summary line by reason on stderr (not a line per file), --quiet prints
// nothing but the report, and --log-level debug lists every failure once.
func TestStderrStaysReadable(t *testing.T) {
	dir := t.TempDir()
	for i := 0; i < 40; i++ {
		// gzip magic, then garbage: each is a failure of its own.
		if err := os.WriteFile(filepath.Join(dir, fmt.Sprintf("broken-%02d.log.gz", i)), []byte("\x1f\x8b\x08\x00garbage"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	code, _, stderr := runCLI(t, "scan", dir, "--format", "json", "--output", filepath.Join(t.TempDir(), "r.json"))
	if code != 3 {
		t.Fatalf("exit %d, want 3; stderr:\n%s", code, stderr)
	}
	if n := strings.Count(stderr, "broken-"); n != 0 {
		t.Errorf("stderr names %d failed files; want a summary by reason:\n%s", n, stderr)
	}
	if !strings.Contains(stderr, "40 files could not be read: 40 ") || !strings.Contains(stderr, "see the report") {
		t.Errorf("stderr lacks the failure summary:\n%s", stderr)
	}
	if lines := strings.Count(stderr, "\n"); lines > 6 {
		t.Errorf("stderr has %d lines:\n%s", lines, stderr)
	}

	code, out, stderr := runCLI(t, "scan", dir, "--format", "json", "--quiet")
	if code != 3 || stderr != "" || !strings.Contains(out, `"failures"`) {
		t.Errorf("--quiet: exit %d, stderr %q; want 3, nothing but the report", code, stderr)
	}

	_, _, stderr = runCLI(t, "--log-level", "debug", "scan", dir, "--format", "json", "--quiet")
	logged := map[string]int{}
	for _, l := range strings.Split(stderr, "\n") {
		if strings.Contains(l, `msg="could not read"`) {
			if i := strings.Index(l, "location=file:"); i >= 0 {
				logged[strings.Fields(l[i+len("location=file:"):])[0]]++
			}
		}
	}
	for i := 0; i < 40; i++ {
		if n := logged[fmt.Sprintf("broken-%02d.log.gz", i)]; n != 1 {
			t.Errorf("debug log names broken-%02d.log.gz as a failure %d times, want once", i, n)
		}
	}
}

// TestNoDeclarationNoteRedacts: a mistyped URL named as a target is
// repeated in the note without its password.
func TestNoDeclarationNoteRedacts(t *testing.T) {
	note := noDeclarationNote([]string{"smb:/kari:hemmelig@fs/hr", "logs"})
	if strings.Contains(note, "hemmelig") || !strings.Contains(note, "logs") {
		t.Errorf("note: %s", note)
	}
}
