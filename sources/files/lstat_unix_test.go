//go:build linux || darwin || freebsd || netbsd || openbsd

package files

import (
	"errors"
	"net"
	"os"
	"path/filepath"
	"testing"

	"golang.org/x/sys/unix"
)

// TestLstatIn checks that lstatIn, relative to an open directory, gives
// each kind of entry the mode and size os.Lstat gives it by its path, and
// the error of a missing one.
func TestLstatIn(t *testing.T) {
	dir := t.TempDir()
	write(t, dir, "kunder.csv", []byte("navn;fnr\nOla;01010112345\n"))
	if err := os.Chmod(filepath.Join(dir, "kunder.csv"), 0o640|os.ModeSetuid); err != nil {
		t.Fatal(err)
	}
	if err := os.Mkdir(filepath.Join(dir, "sub"), 0o750); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(filepath.Join(dir, "sub"), 0o750|os.ModeSticky); err != nil {
		t.Fatal(err)
	}
	for link, target := range map[string]string{"to-file": "kunder.csv", "to-dir": "sub", "broken": "gone"} {
		if err := os.Symlink(target, filepath.Join(dir, link)); err != nil {
			t.Fatal(err)
		}
	}
	if err := unix.Mkfifo(filepath.Join(dir, "fifo"), 0o600); err != nil {
		t.Fatal(err)
	}
	l, err := net.Listen("unix", filepath.Join(dir, "sock"))
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	d, err := os.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	names, err := d.Readdirnames(-1)
	if err != nil || len(names) != 7 {
		t.Fatalf("%d names %v, %v", len(names), names, err)
	}
	for _, name := range append(names, "/dev/null") {
		abs := filepath.Join(dir, name)
		if name[0] == '/' {
			abs = name // an absolute name: fstatat ignores the directory
		}
		want, err := os.Lstat(abs)
		if err != nil {
			t.Fatal(err)
		}
		mode, size, err := lstatIn(d, name, abs)
		if err != nil || mode != want.Mode() || (mode.IsRegular() && size != want.Size()) {
			t.Errorf("%s: mode %v size %d err %v, os.Lstat: %v %d", name, mode, size, err, want.Mode(), want.Size())
		}
	}
	if _, _, err := lstatIn(d, "missing", filepath.Join(dir, "missing")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("missing: %v, want not exist", err)
	}
}
