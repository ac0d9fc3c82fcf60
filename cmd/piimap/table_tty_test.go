//go:build linux

package main

import (
	"bytes"
	"context"
	"io"
	"os"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"

	"golang.org/x/sys/unix"
)

// openPTY opens a pseudo-terminal of the given width and returns its
// master and the terminal (slave) side.
func openPTY(t *testing.T, cols int) (master, tty *os.File) {
	t.Helper()
	m, err := os.OpenFile("/dev/ptmx", os.O_RDWR|unix.O_NOCTTY, 0)
	if err != nil {
		t.Skipf("no pseudo-terminals: %v", err)
	}
	if err := unix.IoctlSetPointerInt(int(m.Fd()), unix.TIOCSPTLCK, 0); err != nil {
		t.Fatal(err)
	}
	n, err := unix.IoctlGetInt(int(m.Fd()), unix.TIOCGPTN)
	if err != nil {
		t.Fatal(err)
	}
	s, err := os.OpenFile("/dev/pts/"+strconv.Itoa(n), os.O_RDWR|unix.O_NOCTTY, 0)
	if err != nil {
		t.Fatal(err)
	}
	if err := unix.IoctlSetWinsize(int(s.Fd()), unix.TIOCSWINSZ, &unix.Winsize{Row: 50, Col: uint16(cols)}); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close(); m.Close() })
	return m, s
}

// scanOnTTY runs the demo scan with stdout on a terminal of width cols and
// returns what the terminal received.
func scanOnTTY(t *testing.T, cols int) string {
	t.Helper()
	master, tty := openPTY(t, cols)
	// Raw output: no \n -> \r\n translation, so lines read back as written.
	termios, err := unix.IoctlGetTermios(int(tty.Fd()), unix.TCGETS)
	if err != nil {
		t.Fatal(err)
	}
	termios.Oflag &^= unix.OPOST
	if err := unix.IoctlSetTermios(int(tty.Fd()), unix.TCSETS, termios); err != nil {
		t.Fatal(err)
	}
	var got bytes.Buffer
	done := make(chan struct{})
	go func() { io.Copy(&got, master); close(done) }()
	var errb bytes.Buffer
	runWith(context.Background(), []string{"scan", demo, "-d", demo + "/piimap.yaml"}, strings.NewReader(""), tty, &errb)
	tty.Close()
	<-done
	return got.String()
}

// TestTableOnTerminal: on a terminal the table takes the terminal's width
// and colours the verdicts, unless NO_COLOR is set.
func TestTableOnTerminal(t *testing.T) {
	t.Setenv("COLUMNS", "")
	t.Setenv("NO_COLOR", "")
	t.Setenv("TERM", "xterm")
	out := scanOnTTY(t, 80)
	if !strings.Contains(out, "\x1b[1;31mFAIL undeclared") {
		t.Errorf("no coloured verdicts on a terminal:\n%q", out)
	}
	for _, line := range strings.Split(out, "\n") {
		plain := line
		for _, code := range []string{"\x1b[0m", "\x1b[1;31m", "\x1b[33m", "\x1b[32m", "\x1b[2m"} {
			plain = strings.ReplaceAll(plain, code, "")
		}
		if n := utf8.RuneCountInString(plain); n > 80 {
			t.Errorf("line of %d columns on an 80-column terminal: %q", n, plain)
		}
	}
	t.Setenv("NO_COLOR", "1")
	if out := scanOnTTY(t, 120); strings.Contains(out, "\x1b[") || !strings.Contains(out, "FAIL undeclared") {
		t.Errorf("NO_COLOR: %q", out)
	}
}
