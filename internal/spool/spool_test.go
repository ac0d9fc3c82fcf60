package spool

import (
	"bytes"
	"errors"
	"io"
	"os"
	"strings"
	"testing"
	"testing/iotest"
)

func check(t *testing.T, s *File, want []byte) {
	t.Helper()
	if s.Size() != int64(len(want)) {
		t.Fatalf("size %d, want %d", s.Size(), len(want))
	}
	got, err := io.ReadAll(io.NewSectionReader(s, 0, s.Size()))
	if err != nil || !bytes.Equal(got, want) {
		t.Fatalf("content differs (%v)", err)
	}
	if err := iotest.TestReader(io.NewSectionReader(s, 0, s.Size()), want); err != nil {
		t.Fatal(err)
	}
	buf := make([]byte, 10)
	if n, err := s.ReadAt(buf, s.Size()-3); n != 3 || err != io.EOF {
		t.Errorf("ReadAt at the end: %d %v", n, err)
	}
}

func TestMemoryAndDisk(t *testing.T) {
	data := bytes.Repeat([]byte("0123456789"), 1000)
	dir := t.TempDir()
	s, err := New(bytes.NewReader(data), 1<<20, 1<<20, dir)
	if err != nil {
		t.Fatal(err)
	}
	if s.OnDisk() {
		t.Error("small content went to disk")
	}
	check(t, s, data)
	_ = s.Close()

	s, err = New(iotest.HalfReader(bytes.NewReader(data)), 100, 1<<20, dir)
	if err != nil {
		t.Fatal(err)
	}
	if !s.OnDisk() {
		t.Error("content past maxMem stayed in memory")
	}
	check(t, s, data)
	// The temporary file is unlinked at once.
	if ents, _ := os.ReadDir(dir); len(ents) != 0 {
		t.Errorf("temporary files left visible: %v", ents)
	}
	if err := s.Close(); err != nil {
		t.Error(err)
	}
	// Exactly at the limit is fine, one byte more is not.
	for _, mem := range []int64{100, 1 << 20} {
		if _, err := New(bytes.NewReader(data), mem, int64(len(data)), dir); err != nil {
			t.Errorf("maxMem %d, content at the limit: %v", mem, err)
		}
		if _, err := New(bytes.NewReader(data), mem, int64(len(data))-1, dir); !errors.Is(err, ErrTooLarge) {
			t.Errorf("maxMem %d, content over the limit: %v", mem, err)
		}
	}
	// A read error is returned.
	bad := io.MultiReader(strings.NewReader("abc"), iotest.ErrReader(errors.New("disk on fire")))
	if _, err := New(bad, 1, 100, dir); err == nil || !strings.Contains(err.Error(), "disk on fire") {
		t.Errorf("read error: %v", err)
	}
}

// TestSized: a declared size over the memory threshold goes straight to
// disk; a wrong declaration still yields the whole content, in memory or
// on disk by its real size; the limit holds whatever the declaration.
func TestSized(t *testing.T) {
	data := bytes.Repeat([]byte("abcdefghij"), 1000) // 10,000 bytes
	dir := t.TempDir()
	cases := []struct {
		name       string
		size, mem  int64
		wantOnDisk bool
	}{
		{"declared large", 20_000, 15_000, true},
		{"declared exact, fits", 10_000, 15_000, false},
		{"declared small, fits", 10, 15_000, false},
		{"declared small, too big for memory", 10, 5_000, true},
		{"unknown, too big for memory", -1, 5_000, true},
	}
	for _, c := range cases {
		s, err := NewSized(iotest.HalfReader(bytes.NewReader(data)), c.size, c.mem, 1<<20, dir)
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		if s.OnDisk() != c.wantOnDisk {
			t.Errorf("%s: on disk %v, want %v", c.name, s.OnDisk(), c.wantOnDisk)
		}
		check(t, s, data)
		_ = s.Close()
	}
	if _, err := NewSized(bytes.NewReader(data), 100, 1<<20, 9_999, dir); !errors.Is(err, ErrTooLarge) {
		t.Errorf("declared small, over the limit: %v, want ErrTooLarge", err)
	}
	if _, err := NewSized(bytes.NewReader(data), 1<<30, 100, 9_999, dir); !errors.Is(err, ErrTooLarge) {
		t.Errorf("declared large, over the limit: %v, want ErrTooLarge", err)
	}
}
