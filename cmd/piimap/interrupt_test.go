package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"github.com/piimap/piimap/internal/corpus"
	"github.com/piimap/piimap/report"
)

// TestInterruptWritesPartialReport sends SIGINT to a running scan and checks
// that it stops promptly, writes a report marked incomplete, and exits 3.
func TestInterruptWritesPartialReport(t *testing.T) {
	dir := t.TempDir()
	bin := filepath.Join(dir, "piimap")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("build: %v\n%s", err, out)
	}
	data := filepath.Join(dir, "data")
	os.Mkdir(data, 0o755)
	for i := 0; i < 8; i++ {
		f, err := os.Create(filepath.Join(data, "big-"+string(rune('a'+i))+".log"))
		if err != nil {
			t.Fatal(err)
		}
		if _, _, err := corpus.Write(f, 40<<20, corpus.Options{Seed: uint64(i), PIIEvery: 200}); err != nil {
			t.Fatal(err)
		}
		f.Close()
	}
	out := filepath.Join(dir, "partial.json")
	cmd := exec.Command(bin, "scan", data, "--format", "json", "--output", out, "--workers", "1", "--quiet")
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	time.Sleep(300 * time.Millisecond)
	sent := time.Now()
	cmd.Process.Signal(syscall.SIGINT)
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		cmd.Process.Kill()
		t.Fatal("scan did not stop within 10 s of SIGINT")
	}
	t.Logf("stopped %v after SIGINT", time.Since(sent))
	if code := cmd.ProcessState.ExitCode(); code != report.ExitUnread {
		t.Errorf("exit %d, want %d", code, report.ExitUnread)
	}
	r, err := report.ReadJSON(out)
	if err != nil {
		t.Fatal(err)
	}
	if !r.Incomplete {
		t.Error("report not marked incomplete")
	}
	if r.Summary.Bytes >= 8*40<<20 {
		t.Errorf("scanned %d bytes: the whole corpus, so the interrupt came too late to test anything", r.Summary.Bytes)
	}
}
