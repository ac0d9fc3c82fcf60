package main

import (
	"fmt"
	"io"
	"os"
	"time"

	"github.com/schollz/progressbar/v3"
	"golang.org/x/term"

	"github.com/piimap/piimap/scanner"
)

// showProgress decides whether a scan shows progress: always and never are
// explicit; auto shows it only on a terminal and not with --quiet, so that
// CI logs get nothing but the summary.
func showProgress(mode string, quiet, terminal bool) bool {
	switch mode {
	case "always":
		return true
	case "never":
		return false
	}
	return terminal && !quiet
}

// isTerminal reports whether w is a terminal.
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}

// progress shows a scan's progress on one line: units (files and tables)
// done, bytes and their rate, rows, elapsed time and the unit just read. The
// total is not known in advance, so there is a spinner rather than a bar.
type progress struct {
	bar *progressbar.ProgressBar
	// mask masks personal data in the location shown (report.Options.MaskPath), or is nil.
	mask func(string) string
}

// progressThrottle bounds how often the line is redrawn.
const progressThrottle = 100 * time.Millisecond

// newProgress starts a progress line on w, redrawn at most every throttle.
func newProgress(w io.Writer, throttle time.Duration) *progress {
	bar := progressbar.NewOptions64(-1,
		progressbar.OptionSetWriter(w),
		progressbar.OptionShowBytes(true),
		progressbar.OptionShowCount(),
		progressbar.OptionUseIECUnits(true),
		progressbar.OptionSetElapsedTime(true),
		progressbar.OptionThrottle(throttle),
		progressbar.OptionSpinnerType(14),
		progressbar.OptionSetDescription("scanning"),
		progressbar.OptionClearOnFinish(),
		progressbar.OptionSetRenderBlankState(true),
	)
	return &progress{bar: bar}
}

// update is the scanner's Progress callback.
func (p *progress) update(sp scanner.Progress) {
	desc := fmt.Sprintf("%d files/tables", sp.Units)
	if sp.ListingDone {
		desc = fmt.Sprintf("%d/%d files/tables", sp.Units, sp.Listed)
	}
	if sp.Rows > 0 {
		desc += fmt.Sprintf(", %d rows", sp.Rows)
	}
	if eta, ok := remaining(sp); ok {
		desc += ", ETA " + eta.Round(time.Second).String()
	}
	loc := sp.Location
	if p.mask != nil {
		loc = p.mask(loc)
	}
	desc += " · " + shorten(loc, 48)
	_ = p.bar.Set64(sp.Bytes)
	p.bar.Describe(desc)
}

// remaining estimates the time left once every target has been listed:
// from the bytes still to read when the work is files, else from the units
// still to read.
func remaining(sp scanner.Progress) (time.Duration, bool) {
	if !sp.ListingDone || sp.Elapsed <= 0 || sp.Units == 0 {
		return 0, false
	}
	done := float64(sp.Units) / float64(sp.Listed)
	if sp.ListedBytes > 0 && sp.Rows == 0 {
		done = float64(sp.Bytes) / float64(sp.ListedBytes)
	}
	if done <= 0 || done >= 1 {
		return 0, done >= 1
	}
	return time.Duration(float64(sp.Elapsed) * (1 - done) / done), true
}

// finish clears the progress line. A nil progress does nothing.
func (p *progress) finish() {
	if p == nil {
		return
	}
	_ = p.bar.Finish()
	_ = p.bar.Exit()
}

// shorten keeps the end of s (the file name) within n runes.
func shorten(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return "…" + string(r[len(r)-n+1:])
}
