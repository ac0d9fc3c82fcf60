package scanner

import (
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"testing"

	"github.com/piimap/piimap/detectors"
	"github.com/piimap/piimap/sources"
	"github.com/piimap/piimap/sources/files"
)

// sharedScan scans dir with every detector, no file read in ranges,
// chunks of 64 KiB and a value key, and returns the result and the number
// of chunks handed from one worker to another.
func sharedScan(t *testing.T, dir string, workers int) (*Result, int64) {
	t.Helper()
	var handed int64
	cfg := Config{
		Targets: []string{dir}, Detectors: detectors.All(), Workers: workers,
		ValueKey: []byte("share test value key, 32 bytes.."),
		Open: func(ctx context.Context, target string) (sources.Source, error) {
			return files.New(target, sources.Options{SplitSize: -1, ChunkSize: 64 << 10}, slog.New(slog.DiscardHandler))
		},
		handed: &handed,
	}
	res, err := Scan(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	return res, handed
}

// TestSharedChunksSameResult scans a gzipped log, a plain one, a CSV file
// and a JSON-lines log, each one unit read as a stream, with one worker and with three:
// the other two take chunks from the worker reading the unit (share.go).
// The result must be the same: findings with their first line numbers and
// examples, which come out wrong when a handed chunk's findings are
// merged out of order, counts, candidates, value fingerprints, bytes and
// files.
func TestSharedChunksSameResult(t *testing.T) {
	var z bytes.Buffer
	zw := gzip.NewWriter(&z)
	if _, err := zw.Write(corpusText(t, 3<<20, 11)); err != nil {
		t.Fatal(err)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	var csv bytes.Buffer
	csv.WriteString("id,navn,epost,telefon,notat\n")
	for i, line := range bytes.Split(corpusText(t, 2<<20, 13), []byte("\n")) {
		fmt.Fprintf(&csv, "%d,Kari Nordmann %d,kari.n%d@firma.no,+47 9%07d,\"%s\"\n", i, i, i, (i*7919)%10000000, bytes.ReplaceAll(line, []byte(`"`), []byte(`""`)))
	}
	for _, f := range []struct {
		name string
		data []byte
	}{{"app.log.1.gz", z.Bytes()}, {"app.log", corpusText(t, 2<<20, 12)}, {"kunder.csv", csv.Bytes()}, {"events.jsonl", jsonLines(t, corpusText(t, 2<<20, 14))}} {
		t.Run(f.name, func(t *testing.T) {
			dir := t.TempDir()
			writeFile(t, dir, f.name, f.data)
			alone, handed := sharedScan(t, dir, 1)
			if handed != 0 {
				t.Fatalf("one worker handed %d chunks to none", handed)
			}
			checkRich(t, alone)
			if alone.Files != 1 {
				t.Fatalf("files %d, want 1", alone.Files)
			}
			for round := range 2 {
				shared, handed := sharedScan(t, dir, 3)
				if handed == 0 {
					t.Fatalf("round %d: three workers, two of them idle, handed no chunk over", round)
				}
				sameResult(t, fmt.Sprintf("shared, round %d", round), alone, shared)
			}
		})
	}
}

// chunkSource is one unit that hands over its chunks, in order, with the
// line numbers they start at. After the chunk of index cancelAt (if
// cancel is set) it cancels the scan; after those of index failAt it
// reports the same failure of an archive member each time.
type chunkSource struct {
	chunks   [][]byte
	cancelAt int
	cancel   context.CancelFunc
	failAt   []int
}

func (s *chunkSource) Units(ctx context.Context, yield func(sources.Unit) bool) error {
	yield(s)
	return nil
}
func (s *chunkSource) Close() error               { return nil }
func (s *chunkSource) Location() sources.Location { return sources.Location{Path: "stream.log"} }
func (s *chunkSource) Size() int64                { return -1 }

func (s *chunkSource) Read(ctx context.Context, sink sources.Sink) error {
	loc := s.Location()
	line := int64(1)
	for i, c := range s.chunks {
		if s.cancel != nil && i == s.cancelAt {
			s.cancel()
		}
		if err := sink.Text(ctx, &sources.Chunk{Loc: loc, Data: c, Line: line}); err != nil {
			return err
		}
		if slices.Contains(s.failAt, i) {
			sink.Failed(sources.Location{Path: "stream.log!a"}, errors.New("member a is cut off"))
		}
		line += int64(bytes.Count(c, []byte("\n")))
		sink.Scanned(loc, int64(len(c)), 0)
	}
	return nil
}

// TestSharedChunksCancelled cancels a scan while the worker reading a
// stream hands its chunks to the others: the scan ends, with a partial
// result, and every chunk handed over was merged (or the scan would
// hang waiting for it).
func TestSharedChunksCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	text := corpusText(t, 128<<10, 13)
	src := &chunkSource{chunks: slices.Repeat([][]byte{text}, 200), cancelAt: 40, cancel: cancel}
	var handed int64
	cfg := Config{
		Targets: []string{"stream"}, Detectors: detectors.All(), Workers: 3,
		Open:   func(context.Context, string) (sources.Source, error) { return src, nil },
		handed: &handed,
	}
	res, err := Scan(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	if !res.Incomplete || len(res.Findings) == 0 || res.Bytes == 0 || res.Bytes >= int64(200*len(text)) {
		t.Fatalf("incomplete %v, %d findings, %d bytes: want a partial result", res.Incomplete, len(res.Findings), res.Bytes)
	}
	if handed == 0 {
		t.Fatal("no chunk handed over")
	}
}

// failingDetector reports every "XYZ123" and fails (as a custom pattern
// past its timeout does) on any input that holds "FAILHERE".
type failingDetector struct{}

func (failingDetector) ID() string                     { return "failing" }
func (failingDetector) Category() detectors.Category   { return detectors.Category("test_failing") }
func (failingDetector) Description() string            { return "test detector" }
func (failingDetector) Positives() []detectors.Example { return nil }
func (failingDetector) Negatives() []detectors.Example { return nil }
func (failingDetector) ContextWords() []string         { return nil }
func (failingDetector) Find(in *detectors.Input, emit func(detectors.Match)) {
	if bytes.Contains(in.Buf, []byte("FAILHERE")) {
		in.Fail(errors.New("pattern timed out"))
		return
	}
	for i := 0; ; {
		j := bytes.Index(in.Buf[i:], []byte("XYZ123"))
		if j < 0 {
			return
		}
		emit(detectors.Match{Detector: "failing", Category: "test_failing", Start: i + j, End: i + j + 6, Value: "XYZ123", Confidence: detectors.Medium})
		i += j + 6
	}
}

// TestSharedChunksDetectorFailure: a detector that fails on the chunks of a
// stream from its second on (the first chunk is never handed over) is
// reported failing once, whether the chunks are scanned by the worker
// reading the stream alone or also by the others, each of which finds the
// failure anew (dedupFailures): so every chunk handed over repeats it. Two
// failures the source reports alike are both kept, as the source reported
// them.
func TestSharedChunksDetectorFailure(t *testing.T) {
	line := []byte("2026-03-01T10:00:00 INFO ref XYZ123 ok\n")
	var chunks [][]byte
	for i := range 60 {
		c := bytes.Repeat(line, (64<<10)/len(line)+1)
		if i >= 1 {
			c = append(c, "FAILHERE\n"...)
		}
		chunks = append(chunks, c)
	}
	for _, workers := range []int{1, 3} {
		var handed int64
		cfg := Config{
			Targets: []string{"stream"}, Detectors: []detectors.Detector{failingDetector{}}, Workers: workers,
			Open: func(context.Context, string) (sources.Source, error) {
				// Two members of an archive of the same name, both cut off.
				return &chunkSource{chunks: chunks, failAt: []int{20, 30}}, nil
			},
			handed: &handed,
		}
		res, err := Scan(context.Background(), cfg)
		if err != nil {
			t.Fatal(err)
		}
		var detector, source int
		for _, f := range res.Failures {
			switch f.Error {
			case "pattern timed out":
				detector++
			case "member a is cut off":
				source++
			}
		}
		if detector != 1 || source != 2 || len(res.Failures) != 3 {
			t.Errorf("workers=%d: failures %+v, want the detector's once and the source's two", workers, res.Failures)
		}
		if len(res.Findings) != 1 || res.Findings[0].Count != int64((64<<10)/len(line)+1) {
			t.Errorf("workers=%d: findings %+v, want the first chunk's matches", workers, res.Findings)
		}
		if workers > 1 && handed == 0 {
			t.Errorf("workers=%d: no chunk handed over", workers)
		}
	}
}
