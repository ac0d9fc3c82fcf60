//go:build unix

package files

import (
	"context"
	"net"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/piimap/piimap/sources"
)

func TestSpecialFilesSkipped(t *testing.T) {
	dir := t.TempDir()
	write(t, dir, "ok.txt", []byte("ok\n"))
	if err := syscall.Mkfifo(filepath.Join(dir, "pipe"), 0o644); err != nil {
		t.Fatal(err)
	}
	l, err := net.Listen("unix", filepath.Join(dir, "sock"))
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = l.Close() }()

	done := make(chan *recSink)
	go func() { done <- scan(t, dir, sources.Options{}) }()
	var sink *recSink
	select {
	case sink = <-done:
	case <-time.After(10 * time.Second):
		t.Fatal("reading a directory with a FIFO hangs")
	}
	if got := keys(sink.scanned); !slices.Equal(got, []string{"ok.txt"}) {
		t.Errorf("scanned %v", got)
	}
	if r := sink.skipped["pipe"]; !strings.Contains(r, "named pipe") {
		t.Errorf("fifo: skipped %q", r)
	}
	if r := sink.skipped["sock"]; !strings.Contains(r, "socket") {
		t.Errorf("socket: skipped %q", r)
	}
	// Includes filter special files like any other.
	sink = scan(t, dir, sources.Options{Include: []string{"*.txt"}})
	if len(sink.skipped) != 0 {
		t.Errorf("skipped %v although not included", sink.skipped)
	}

	// A FIFO named as the root, or swapped in after listing, is not opened
	// for blocking reads either.
	sink = scan(t, filepath.Join(dir, "pipe"), sources.Options{})
	if len(sink.skipped) != 1 {
		t.Errorf("fifo root: skipped %v", sink.skipped)
	}
	rd := NewReader(sources.Options{}, nil)
	s2 := newRecSink(t)
	ch := make(chan error, 1)
	go func() {
		ch <- rd.ReadFile(context.Background(), filepath.Join(dir, "pipe"), sources.Location{Path: "pipe"}, s2)
	}()
	select {
	case err := <-ch:
		if err != nil || !strings.Contains(s2.skipped["pipe"], "named pipe") {
			t.Errorf("ReadFile on a FIFO: %v, skipped %v", err, s2.skipped)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("ReadFile on a FIFO hangs")
	}
}
