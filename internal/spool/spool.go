// Package spool gives random access to content that can only be streamed,
// such as a zip archive inside a tar.gz or a PDF inside a deflated zip
// member: it copies the content into memory up to a threshold and, beyond
// it, into an unlinked temporary file (mode 0600, removed when closed or
// when the process ends), never more than a limit. Format readers that need
// an io.ReaderAt (zip, PDF, SQLite) use it when their content has none.
package spool

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
)

// ErrTooLarge is returned when the content is longer than the limit.
var ErrTooLarge = errors.New("content too large to buffer for random access")

// File is spooled content. It implements io.ReaderAt and Size.
type File struct {
	mem  []byte
	f    *os.File
	size int64
}

// ReadAt implements io.ReaderAt.
func (s *File) ReadAt(p []byte, off int64) (int, error) {
	if s.f != nil {
		return s.f.ReadAt(p, off)
	}
	if off < 0 {
		return 0, fmt.Errorf("spool: negative offset %d", off)
	}
	if off >= int64(len(s.mem)) {
		return 0, io.EOF
	}
	n := copy(p, s.mem[off:])
	if n < len(p) {
		return n, io.EOF
	}
	return n, nil
}

// Size is the content's length in bytes.
func (s *File) Size() int64 { return s.size }

// OnDisk reports whether the content went to a temporary file.
func (s *File) OnDisk() bool { return s.f != nil }

// Close releases the memory or closes (and so deletes) the temporary file.
func (s *File) Close() error {
	s.mem = nil
	if s.f == nil {
		return nil
	}
	err := s.f.Close()
	s.f = nil
	return err
}

// New reads r to its end: into memory while it is at most maxMem bytes,
// else into a temporary file in dir (os.TempDir() when empty). More than
// limit bytes fail with ErrTooLarge; a read error is returned as it is.
func New(r io.Reader, maxMem, limit int64, dir string) (*File, error) {
	return NewSized(r, -1, maxMem, limit, dir)
}

// NewSized is New for content expected to be size bytes long (-1 if
// unknown), such as an archive member that declares its size: content
// declared larger than maxMem goes straight to the temporary file, and
// smaller content is read into a buffer of its size instead of one grown
// by doubling. The size is a hint: content of another length is still
// read whole, within maxMem and limit.
func NewSized(r io.Reader, size, maxMem, limit int64, dir string) (*File, error) {
	var buf bytes.Buffer
	n := int64(0)
	if size <= maxMem {
		if size >= 0 {
			buf.Grow(int(size) + bytes.MinRead)
		}
		var err error
		n, err = io.Copy(&buf, io.LimitReader(r, min(maxMem, limit)+1))
		if err != nil {
			return nil, err
		}
		if n <= maxMem && n <= limit {
			return &File{mem: buf.Bytes(), size: n}, nil
		}
	}
	if n > limit {
		return nil, fmt.Errorf("%w (more than %d bytes)", ErrTooLarge, limit)
	}
	f, err := os.CreateTemp(dir, "piimap-spool-*")
	if err != nil {
		return nil, fmt.Errorf("spool: %w", err)
	}
	// Unlinked at once: the data is gone when the file is closed, even if
	// the process dies.
	if err := os.Remove(f.Name()); err != nil {
		_ = f.Close()
		return nil, fmt.Errorf("spool: %w", err)
	}
	s := &File{f: f}
	if _, err := f.Write(buf.Bytes()); err != nil {
		_ = s.Close()
		return nil, fmt.Errorf("spool: %w", err)
	}
	m, err := io.Copy(f, io.LimitReader(r, limit-n+1))
	if err != nil {
		_ = s.Close()
		return nil, err
	}
	s.size = n + m
	if s.size > limit {
		_ = s.Close()
		return nil, fmt.Errorf("%w (more than %d bytes)", ErrTooLarge, limit)
	}
	return s, nil
}
