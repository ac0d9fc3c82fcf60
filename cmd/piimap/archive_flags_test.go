package main

import (
	"archive/zip"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/piimap/piimap/report"
)

// TestArchiveLimitFlags: the archive limits are settable from the command
// line, a tripped limit is a named failure (exit 3), and a bad value is a
// usage error.
func TestArchiveLimitFlags(t *testing.T) {
	dir := t.TempDir()
	f, err := os.Create(filepath.Join(dir, "export.zip"))
	if err != nil {
		t.Fatal(err)
	}
	zw := zip.NewWriter(f)
	for i := 0; i < 3; i++ {
		w, _ := zw.Create(fmt.Sprintf("kunder-%d.txt", i))
		fmt.Fprintf(w, "e-post: kunde%d@fjordpost.no\n", i)
	}
	zw.Close()
	f.Close()

	code, _, stderr := runCLI(t, "scan", dir, "--format", "json", "--fail-on", "never")
	if code != 0 {
		t.Fatalf("default limits: exit %d, stderr %s", code, stderr)
	}
	code, out, _ := runCLI(t, "scan", dir, "--format", "json", "--fail-on", "never", "--max-archive-entries", "2")
	if code != report.ExitUnread {
		t.Fatalf("--max-archive-entries 2: exit %d, want 3", code)
	}
	var r report.Report
	if err := json.Unmarshal([]byte(out), &r); err != nil {
		t.Fatal(err)
	}
	if len(r.Failures) != 1 || !strings.Contains(r.Failures[0].Location, "export.zip") {
		t.Errorf("failures = %+v, want one naming export.zip", r.Failures)
	}
	if code, _, _ := runCLI(t, "scan", dir, "--max-archive-bytes", "0"); code != report.ExitUsage {
		t.Errorf("--max-archive-bytes 0: exit %d, want 2", code)
	}
}
