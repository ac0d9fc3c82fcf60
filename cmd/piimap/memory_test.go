package main

import (
	"archive/zip"
	"bufio"
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/klauspost/compress/gzip"
	"github.com/klauspost/compress/zstd"

	"github.com/piimap/piimap/report"
)

// memoryBound is the peak RSS a scan must stay under, whatever it reads.
const memoryBound = 100 << 20

// buildPiimap builds the binary into a temporary directory.
func buildPiimap(t testing.TB) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "piimap")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("build: %v\n%s", err, out)
	}
	return bin
}

// scanPeak runs `piimap scan` with args and a JSON report, and returns the
// report and the process's peak RSS in bytes. Exit codes other than 0 and 1
// fail the test.
//
// The peak is the VmHWM of the child's own memory, read from
// /proc/PID/status while it runs (it never decreases, so the last reading
// is the peak up to a few milliseconds before the exit). The kernel's rusage
// will not do: Go starts children with vfork, and a child's ru_maxrss
// starts from the parent's peak at exec, so after a test that held 128 MiB
// every child would seem to have used 128 MiB.
func scanPeak(t testing.TB, bin string, args ...string) (*report.Report, int64) {
	t.Helper()
	out := filepath.Join(t.TempDir(), "r.json")
	cmd := exec.Command(bin, append([]string{"scan", "--format", "json", "--output", out, "--quiet"}, args...)...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	status := fmt.Sprintf("/proc/%d/status", cmd.Process.Pid)
	done := make(chan struct{})
	peak := make(chan int64, 1)
	go func() {
		var hwm int64
		tick := time.NewTicker(2 * time.Millisecond)
		defer tick.Stop()
		for {
			if v := vmHWM(status); v > hwm {
				hwm = v
			}
			select {
			case <-done:
				peak <- hwm
				return
			case <-tick.C:
			}
		}
	}()
	err := cmd.Wait()
	close(done)
	hwm := <-peak
	if cmd.ProcessState == nil {
		t.Fatal(err)
	}
	if code := cmd.ProcessState.ExitCode(); code > 1 {
		t.Fatalf("exit %d: %s", code, stderr.Bytes())
	}
	if hwm == 0 {
		t.Fatalf("no VmHWM read from %s", status)
	}
	r, err := report.ReadJSON(out)
	if err != nil {
		t.Fatal(err)
	}
	return r, hwm
}

// vmHWM returns the VmHWM line of a /proc/PID/status file in bytes, or 0
// when it cannot be read (the process has gone).
func vmHWM(status string) int64 {
	b, err := os.ReadFile(status)
	if err != nil {
		return 0
	}
	for line := range strings.Lines(string(b)) {
		if rest, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			var kb int64
			fmt.Sscan(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(rest), "kB")), &kb)
			return kb << 10
		}
	}
	return 0
}

// emails counts the e-mail values found.
func emails(r *report.Report) int64 {
	var n int64
	for _, f := range r.Findings {
		if f.Category == "email" {
			n += f.Count
		}
	}
	return n
}

// writeManyMembers writes a zip of n tiny compressed members, one e-mail
// address each: stored .zst files (half of them declaring a 128 MiB window,
// as frames from other encoders may), stored .gz files, and members
// compressed with zip's own zstd and deflate methods.
func writeManyMembers(t testing.TB, path string, n int) {
	t.Helper()
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	zw := zip.NewWriter(bufio.NewWriter(f))
	zw.RegisterCompressor(93, zstd.ZipCompressor(zstd.WithEncoderConcurrency(1)))
	enc, err := zstd.NewWriter(nil, zstd.WithEncoderConcurrency(1), zstd.WithWindowSize(1<<20), zstd.WithSingleSegment(false))
	if err != nil {
		t.Fatal(err)
	}
	for i := range n {
		line := fmt.Appendf(nil, "%d kunde: kari.nordmann%d@example.no\n", i, i)
		var name string
		var data []byte
		method := zip.Store
		switch i % 3 {
		case 0:
			name = fmt.Sprintf("zst/%05d.log.zst", i)
			data = enc.EncodeAll(line, nil)
			if i%2 == 0 {
				data[5] = 17 << 3 // window descriptor: 2^(10+17) = 128 MiB
			}
		case 1:
			name = fmt.Sprintf("gz/%05d.log.gz", i)
			var buf bytes.Buffer
			gw := gzip.NewWriter(&buf)
			gw.Write(line)
			gw.Close()
			data = buf.Bytes()
		case 2:
			name = fmt.Sprintf("m93/%05d.log", i)
			data, method = line, 93
			if i%2 == 0 {
				name, method = fmt.Sprintf("deflate/%05d.log", i), zip.Deflate
			}
		}
		w, err := zw.CreateHeader(&zip.FileHeader{Name: name, Method: method})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.Write(data); err != nil {
			t.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
}

// TestManyMembersBoundedMemory scans a zip of 10,000 tiny zstd and gzip
// members: every member is read, and the peak RSS stays under 100 MiB
// (decoders are pooled, and a frame declaring a huge window does not get
// one allocated).
func TestManyMembersBoundedMemory(t *testing.T) {
	if testing.Short() {
		t.Skip("10,000-member zip: skipped with -short")
	}
	bin := buildPiimap(t)
	dir := t.TempDir()
	const n = 10_000
	writeManyMembers(t, filepath.Join(dir, "members.zip"), n)
	r, rss := scanPeak(t, bin, dir, "--workers", "2")
	t.Logf("peak RSS %d MiB for a zip of %d tiny compressed members", rss>>20, n)
	if rss > memoryBound {
		t.Errorf("peak RSS %d MiB, want < %d MiB", rss>>20, memoryBound>>20)
	}
	if len(r.Failures) > 0 {
		t.Errorf("%d failures, first %+v", len(r.Failures), r.Failures[0])
	}
	if got := emails(r); got != n {
		t.Errorf("%d e-mail addresses found, want %d (one per member)", got, n)
	}
}

// writeCSV writes a CSV of about size bytes with an e-mail column filled
// every 50th row, and returns how many e-mails it holds.
func writeCSV(t testing.TB, path string, size int64) int64 {
	t.Helper()
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	w := bufio.NewWriterSize(f, 1<<20)
	fmt.Fprintln(w, "id,navn,epost,kommentar,belop")
	var written, mails int64
	var line []byte
	for i := int64(0); written < size; i++ {
		line = fmt.Appendf(line[:0], "%d,\"Nordmann, Kari %d\",", i, i)
		if i%50 == 0 {
			line = fmt.Appendf(line, "kari%d@example.no", i)
			mails++
		}
		line = fmt.Appendf(line, ",\"ordre %d levert\",%d.50\n", i*7, i%1000)
		w.Write(line)
		written += int64(len(line))
	}
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	return mails
}

// csvPeak scans a generated CSV of size bytes and checks the peak RSS and
// that every e-mail was found.
func csvPeak(t testing.TB, size int64) int64 {
	bin := buildPiimap(t)
	dir := t.TempDir()
	mails := writeCSV(t, filepath.Join(dir, "kunder.csv"), size)
	r, rss := scanPeak(t, bin, dir, "--workers", "2")
	if rss > memoryBound {
		t.Errorf("peak RSS %d MiB for a %d MB CSV, want < %d MiB", rss>>20, size>>20, memoryBound>>20)
	}
	if got := emails(r); got != mails {
		t.Errorf("%d e-mail addresses found, want %d", got, mails)
	}
	if r.Summary.Bytes < size {
		t.Errorf("scanned %d bytes, want all of %d", r.Summary.Bytes, size)
	}
	return rss
}

// TestLargeCSVBoundedMemory scans a 256 MB CSV in bounded memory. The
// 2 GB run the issue asks for is BenchmarkCSV2GBMemory (too slow for
// every test run).
func TestLargeCSVBoundedMemory(t *testing.T) {
	if testing.Short() {
		t.Skip("256 MB CSV: skipped with -short")
	}
	rss := csvPeak(t, 256<<20)
	t.Logf("peak RSS %d MiB for a 256 MB CSV", rss>>20)
}

// BenchmarkCSV2GBMemory generates a 2 GB CSV into a temporary directory,
// scans it, and reports the peak RSS (peak-MiB) and MB/s of wall time; it
// fails if the peak reaches 100 MiB or an e-mail is missed. Run it with
// -run '^$' -bench CSV2GB -benchtime 1x.
func BenchmarkCSV2GBMemory(b *testing.B) {
	for b.Loop() {
		rss := csvPeak(b, 2<<30)
		b.ReportMetric(float64(rss>>20), "peak-MiB")
	}
	b.SetBytes(2 << 30)
}

// TestManyFindingsBoundedMemory scans 15,000 small log files with an
// e-mail address, a phone number and an IP address each: 45,000 findings,
// every one kept for the report. The peak RSS stays under the same
// 100 MiB: a finding costs about a kilobyte while the report is made (its
// accumulator is dropped as the finding is made, and the JSON report is
// written a finding at a time), where it cost twice that before.
func TestManyFindingsBoundedMemory(t *testing.T) {
	if testing.Short() {
		t.Skip("15,000 files: skipped with -short")
	}
	bin := buildPiimap(t)
	dir := t.TempDir()
	const dirs, files = 15, 1000
	for d := range dirs {
		sub := filepath.Join(dir, fmt.Sprintf("d%02d", d))
		if err := os.Mkdir(sub, 0o755); err != nil {
			t.Fatal(err)
		}
		for i := range files {
			line := fmt.Sprintf("2026-01-01 10:00:00 login user=kari.nordmann%dx%d@firma.no from 81.%d.%d.7 tlf 912%05d\n", d, i, d, i%250, (d*files+i)%100000)
			if err := os.WriteFile(filepath.Join(sub, fmt.Sprintf("f%04d.log", i)), []byte(line), 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}
	r, rss := scanPeak(t, bin, dir, "--workers", "2")
	t.Logf("peak RSS %d MiB for %d findings", rss>>20, len(r.Findings))
	if want := 3 * dirs * files; len(r.Findings) != want {
		t.Errorf("%d findings, want %d (an e-mail, a phone and an IP in each file)", len(r.Findings), want)
	}
	if rss > memoryBound {
		t.Errorf("peak RSS %d MiB, want < %d MiB", rss>>20, memoryBound>>20)
	}
}

// BenchmarkMillionEntryDirMemory scans one directory of 1,000,000 empty
// files, every name read as a value: the listing is packed into one
// buffer (sources.NameList) and the scanned entries are indices into it,
// so the peak RSS stays under 100 MiB (a string per name, twice, peaked
// at 98–111 MiB). It reports the peak RSS (peak-MiB) and fails when it
// reaches the bound or a file is not counted. Making the files takes about
// 15 seconds: run it with -run '^$' -bench MillionEntry -benchtime 1x.
func BenchmarkMillionEntryDirMemory(b *testing.B) {
	const n = 1_000_000
	bin := buildPiimap(b)
	dir := b.TempDir()
	for i := range n {
		f, err := os.Create(filepath.Join(dir, fmt.Sprintf("kunde_%07d.txt", i)))
		if err != nil {
			b.Fatal(err)
		}
		f.Close()
	}
	for b.Loop() {
		r, rss := scanPeak(b, bin, dir, "--fail-on", "never")
		if r.Summary.Files != n {
			b.Fatalf("%d files scanned, want %d", r.Summary.Files, n)
		}
		if rss >= memoryBound {
			b.Errorf("peak RSS %d MiB for %d entries, want < %d MiB", rss>>20, n, memoryBound>>20)
		}
		b.ReportMetric(float64(rss>>20), "peak-MiB")
	}
}
