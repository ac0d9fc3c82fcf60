package main

import (
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/piimap/piimap/detectors"
	"github.com/piimap/piimap/scanner"
)

func TestShowProgressDecision(t *testing.T) {
	for _, tc := range []struct {
		mode            string
		quiet, terminal bool
		want            bool
	}{
		{"auto", false, true, true},
		{"auto", false, false, false}, // CI: stderr is a pipe or a file
		{"auto", true, true, false},   // --quiet
		{"always", false, false, true},
		{"always", true, false, true},
		{"never", false, true, false},
		{"never", true, true, false},
	} {
		if got := showProgress(tc.mode, tc.quiet, tc.terminal); got != tc.want {
			t.Errorf("showProgress(%q, quiet=%v, terminal=%v) = %v, want %v", tc.mode, tc.quiet, tc.terminal, got, tc.want)
		}
	}
	// Files and pipes are not terminals.
	f, err := os.Create(filepath.Join(t.TempDir(), "stderr"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if isTerminal(f) {
		t.Error("a regular file is a terminal")
	}
	if isTerminal(&strings.Builder{}) {
		t.Error("a strings.Builder is a terminal")
	}
}

// syncBuffer is a strings.Builder safe for the progress bar's own goroutine.
type syncBuffer struct {
	mu sync.Mutex
	b  strings.Builder
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

func TestProgressWritesToWriter(t *testing.T) {
	var w syncBuffer
	p := newProgress(&w, 0)
	p.update(scanner.Progress{Units: 3, Bytes: 3 << 20, Rows: 1200, Location: "file:logs/app.log"})
	p.update(scanner.Progress{Units: 4, Bytes: 5 << 20, Rows: 1200, Location: "file:logs/a-very-long-directory-name/with/a/deep/path/and/a-long-file-name.log"})
	p.finish()
	out := w.String()
	for _, want := range []string{"4 files/tables", "1200 rows", "MiB", "…"} {
		if !strings.Contains(out, want) {
			t.Errorf("progress output lacks %q: %q", want, out)
		}
	}
	var nilProgress *progress
	nilProgress.finish() // a scan without progress calls finish on nil
}

// TestProgressMasksPaths: the progress line shows the file being read with
// the personal data in its name masked, as the report does.
func TestProgressMasksPaths(t *testing.T) {
	var w syncBuffer
	p := newProgress(&w, 0)
	p.mask = scanner.NewPathMasker(detectors.All()).Mask
	p.update(scanner.Progress{Units: 1, Bytes: 1 << 10, Location: "file:hr/15038510190_kontrakt.pdf"})
	p.finish()
	out := w.String()
	if strings.Contains(out, "15038510190") || !strings.Contains(out, "hr/15038*****0_kontrakt.pdf") {
		t.Errorf("progress line: %q", out)
	}
}

// TestProgressOnlyWhenAsked runs scans with stderr not a terminal: auto
// writes nothing but the summary; always writes progress too.
func TestProgressOnlyWhenAsked(t *testing.T) {
	out := filepath.Join(t.TempDir(), "r.json")
	_, _, stderr := runCLI(t, "scan", demo, "-d", demo+"/piimap.yaml", "-f", "json", "-o", out)
	lines := strings.Split(strings.TrimSpace(stderr), "\n")
	if len(lines) != 3 || !strings.HasPrefix(lines[0], "Scanned ") || !strings.HasPrefix(lines[2], "Exit 1") || strings.Contains(stderr, "\r") {
		t.Errorf("auto progress without a terminal: stderr is not just the summary:\n%q", stderr)
	}
	_, _, stderr = runCLI(t, "scan", demo, "-d", demo+"/piimap.yaml", "-f", "json", "-o", out, "--progress", "always")
	if !strings.Contains(stderr, "\r") || !strings.Contains(stderr, "scanning") || !strings.Contains(stderr, "Scanned ") {
		t.Errorf("--progress always: no progress on stderr:\n%q", stderr)
	}
	_, _, stderr = runCLI(t, "scan", demo, "-d", demo+"/piimap.yaml", "-f", "json", "-o", out, "--progress", "never", "-q")
	if stderr != "" {
		t.Errorf("--progress never --quiet: stderr %q", stderr)
	}
}

func TestRemaining(t *testing.T) {
	cases := []struct {
		sp   scanner.Progress
		want time.Duration
		ok   bool
	}{
		{scanner.Progress{Units: 1, Bytes: 100, Listed: 4, ListedBytes: 400, Elapsed: time.Second}, 0, false}, // still listing
		{scanner.Progress{Units: 1, Bytes: 100, Listed: 4, ListedBytes: 400, ListingDone: true, Elapsed: time.Second}, 3 * time.Second, true},
		{scanner.Progress{Units: 2, Rows: 50, Listed: 8, ListingDone: true, Elapsed: 2 * time.Second}, 6 * time.Second, true}, // tables: by units
		{scanner.Progress{Units: 4, Bytes: 400, Listed: 4, ListedBytes: 400, ListingDone: true, Elapsed: time.Second}, 0, true},
	}
	for _, c := range cases {
		got, ok := remaining(c.sp)
		if ok != c.ok || got != c.want {
			t.Errorf("remaining(%+v) = %v, %v; want %v, %v", c.sp, got, ok, c.want, c.ok)
		}
	}
}
