package inflate

import (
	"bufio"
	"bytes"
	"compress/flate"
	"errors"
	"io"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	kflate "github.com/klauspost/compress/flate"

	"github.com/piimap/piimap/internal/corpus"
)

// samples returns inputs of the kinds a scan decompresses: text with
// repeats, random bytes (stored blocks), runs of one byte (distance 1), a
// short period (distances under 8), and empty.
func samples() map[string][]byte {
	rnd := rand.New(rand.NewPCG(1, 2))
	text := make([]byte, 0, 600<<10)
	words := []string{"kunde ", "ordre ", "kari.nordmann@example.no ", "+47 912 34 567 ", "\n", "2026-03-01T16:09:54 ", "GET /api/v1/orders HTTP/1.1 "}
	for len(text) < 600<<10 {
		text = append(text, words[rnd.IntN(len(words))]...)
		if rnd.IntN(10) == 0 {
			text = append(text, byte('a'+rnd.IntN(26)), byte('0'+rnd.IntN(10)))
		}
	}
	random := make([]byte, 300<<10)
	for i := range random {
		random[i] = byte(rnd.Uint32())
	}
	period := bytes.Repeat([]byte("abcde"), 100<<10)
	return map[string][]byte{
		"text": text, "random": random, "zeros": make([]byte, 1<<20), "period": period,
		"empty": nil, "one": []byte("x"), "mixed": append(append(append([]byte{}, text[:70<<10]...), random[:70<<10]...), text[:70<<10]...),
	}
}

// compressed returns data deflated at every level of the standard
// library and of klauspost/compress, and in Huffman-only mode.
func compressed(t testing.TB, data []byte) map[string][]byte {
	out := map[string][]byte{}
	writers := map[string]func(io.Writer, int) (io.WriteCloser, error){
		"std":       func(w io.Writer, l int) (io.WriteCloser, error) { return flate.NewWriter(w, l) },
		"klauspost": func(w io.Writer, l int) (io.WriteCloser, error) { return kflate.NewWriter(w, l) },
	}
	for _, level := range []int{flate.NoCompression, flate.BestSpeed, 5, flate.BestCompression, flate.HuffmanOnly} {
		for name, newWriter := range writers {
			var buf bytes.Buffer
			w, err := newWriter(&buf, level)
			if err != nil {
				t.Fatal(err)
			}
			w.Write(data)
			w.Close()
			out[name+string(rune('0'+level+2))] = buf.Bytes()
		}
	}
	return out
}

// fuzzSteps returns the sizes of the pieces a fuzzed input is read in:
// all at once for 0, else sizes taken from step.
func fuzzSteps(step uint8) []int {
	if step == 0 {
		return nil
	}
	return []int{int(step%7) + 1, int(step%13) + 1, 64}
}

// agree fails t unless our decoder agrees with the standard library's
// (lib) on one input: an error where it fails, the same output where it
// succeeds. Where both fail, compress/flate may stop a code short of the
// end of a cut stream (it reads ahead for a whole code where zlib does
// not): its output is then a prefix of ours.
func agree(t *testing.T, lib string, got []byte, err error, want []byte, werr error) {
	t.Helper()
	if (err != nil) != (werr != nil) {
		t.Fatalf("error %v, %s's %v", err, lib, werr)
	}
	if werr == nil && !bytes.Equal(got, want) || !bytes.HasPrefix(got, want) {
		t.Fatalf("%d bytes, %s %d (errors %v, %v)", len(got), lib, len(want), err, werr)
	}
}

func TestInflate(t *testing.T) {
	z := NewReader(nil)
	for name, data := range samples() {
		for how, c := range compressed(t, data) {
			z.Reset(bytes.NewReader(c))
			got, err := io.ReadAll(z)
			if err != nil || !bytes.Equal(got, data) {
				t.Errorf("%s %s: %d bytes, want %d; err %v", name, how, len(got), len(data), err)
			}
			// The stream ends where the compressor ended it.
			if u := z.Unread(); len(u) != 0 {
				t.Errorf("%s %s: %d bytes unread", name, how, len(u))
			}
		}
	}
}

// TestUnread checks that what a Reader gives back after a stream, and
// what its input has left, are exactly the bytes after the stream (a
// zip member read by its local header is found after the one before).
func TestUnread(t *testing.T) {
	z := NewReader(nil)
	after := []byte("PK\x03\x04 the next member")
	for name, data := range samples() {
		for how, c := range compressed(t, data) {
			for _, steps := range [][]int{nil, {3, 1, 5000}} {
				in := &chunkReader{data: append(bytes.Clone(c), after...), steps: steps}
				z.Reset(in)
				got, err := io.ReadAll(z)
				if err != nil || !bytes.Equal(got, data) {
					t.Fatalf("%s %s: %d bytes, want %d; err %v", name, how, len(got), len(data), err)
				}
				if rest := append(bytes.Clone(z.Unread()), in.data...); !bytes.Equal(rest, after) {
					t.Errorf("%s %s %v: %q after the stream, want %q", name, how, steps, rest, after)
				}
			}
		}
	}
}

// chunkReader returns its data in pieces of the sizes in steps, in turn:
// reads that end anywhere, also inside a code.
type chunkReader struct {
	data  []byte
	steps []int
	i     int
}

func (c *chunkReader) Read(p []byte) (int, error) {
	if len(c.data) == 0 {
		return 0, io.EOF
	}
	n := len(p)
	if len(c.steps) > 0 {
		n = min(n, c.steps[c.i%len(c.steps)])
		c.i++
	}
	n = copy(p, c.data[:min(n, len(c.data))])
	c.data = c.data[n:]
	return n, nil
}

// inflateStd and inflateOwn decompress c with the standard library and
// with a Reader reading it in pieces of the sizes steps.
func inflateStd(c []byte) ([]byte, error) {
	return io.ReadAll(flate.NewReader(bytes.NewReader(c)))
}

func inflateOwn(z *Reader, c []byte, steps []int) ([]byte, error) {
	z.Reset(&chunkReader{data: c, steps: steps})
	return io.ReadAll(z)
}

// FuzzInflate checks a Reader against compress/flate on any input (agree):
// the same output where that succeeds; an error where it fails, never an
// unexpected EOF where it says the stream is corrupt, and at least its
// output before the error. The input is read in pieces of sizes taken from the
// fuzzer's first byte.
func FuzzInflate(f *testing.F) {
	for _, data := range [][]byte{[]byte("kari.nordmann@example.no +47 912 34 567 kari.nordmann@example.no"), bytes.Repeat([]byte("ab"), 300), make([]byte, 100)} {
		for _, c := range compressed(f, data) {
			f.Add(uint8(0), c)
			f.Add(uint8(3), c)
			if len(c) > 4 {
				f.Add(uint8(1), c[:len(c)/2]) // cut short
				bad := bytes.Clone(c)
				bad[len(bad)/3] ^= 0x10
				f.Add(uint8(2), bad)
			}
		}
	}
	z := NewReader(nil)
	f.Fuzz(func(t *testing.T, step uint8, c []byte) {
		want, werr := inflateStd(c)
		got, err := inflateOwn(z, c, fuzzSteps(step))
		agree(t, "compress/flate", got, err, want, werr)
		// compress/flate reads ahead of a code for its extra bits and
		// may call a stream cut where the bits there already show it
		// corrupt (zlib agrees with us: testdata's dbc58244a3d21d19);
		// a stream it calls corrupt must never be called cut.
		if errors.Is(err, io.ErrUnexpectedEOF) && !errors.Is(werr, io.ErrUnexpectedEOF) {
			t.Fatalf("error %v, compress/flate's %v", err, werr)
		}
	})
}

// BenchmarkInflate decompresses, deflated at the default level, a
// generated 16 MB log (the corpus of the scanner's benchmarks), real text
// nobody here wrote (the Go sources of net/http in GOROOT), a run of zeros
// (matches of a short distance) and random bytes (stored), with a Reader, with klauspost/compress's inflater and
// with the standard library's, through a buffered reader as the zip and
// gzip readers gave them: MB/s of output.
func BenchmarkInflate(b *testing.B) {
	var logText bytes.Buffer
	if _, _, err := corpus.Write(&logText, 16<<20, corpus.Options{Seed: 1, PIIEvery: 200}); err != nil {
		b.Fatal(err)
	}
	goroot, err := exec.Command("go", "env", "GOROOT").Output()
	if err != nil {
		b.Fatalf("go env GOROOT: %v", err)
	}
	srcs, err := filepath.Glob(filepath.Join(strings.TrimSpace(string(goroot)), "src", "net", "http", "*.go"))
	if err != nil || len(srcs) < 10 {
		b.Fatalf("Go sources of net/http: %d files, %v", len(srcs), err)
	}
	var goText []byte
	for _, f := range srcs {
		data, err := os.ReadFile(f)
		if err != nil {
			b.Fatal(err)
		}
		goText = append(goText, data...)
	}
	for _, sample := range []struct {
		name string
		data []byte
	}{{"log", logText.Bytes()}, {"gosrc", goText}, {"zeros", samples()["zeros"]}, {"random", samples()["random"]}} {
		name, data := sample.name, sample.data
		var buf bytes.Buffer
		w, _ := kflate.NewWriter(&buf, 6)
		w.Write(data)
		w.Close()
		c := buf.Bytes()
		out := make([]byte, 64<<10)
		drain := func(b *testing.B, r io.Reader) {
			n := 0
			for {
				m, err := r.Read(out)
				n += m
				if err != nil {
					break
				}
			}
			if n != len(data) {
				b.Fatalf("%d bytes, want %d", n, len(data))
			}
		}
		// Each decoder is made once and reset for each run: reset
		// points it at the compressed bytes.
		own := NewReader(nil)
		br := bufio.NewReader(nil)
		kz, sz := kflate.NewReader(nil), flate.NewReader(nil)
		for _, dec := range []struct {
			name  string
			reset func(r io.Reader) io.Reader
		}{
			{"own", func(r io.Reader) io.Reader { own.Reset(r); return own }},
			{"klauspost", func(r io.Reader) io.Reader { br.Reset(r); kz.(kflate.Resetter).Reset(br, nil); return kz }},
			{"stdlib", func(r io.Reader) io.Reader { br.Reset(r); sz.(flate.Resetter).Reset(br, nil); return sz }},
		} {
			b.Run(name+"/"+dec.name, func(b *testing.B) {
				b.SetBytes(int64(len(data)))
				for b.Loop() {
					drain(b, dec.reset(bytes.NewReader(c)))
				}
			})
		}
	}
}
