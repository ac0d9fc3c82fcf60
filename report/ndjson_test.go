package report

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"strings"
	"sync"
	"testing"

	"github.com/piimap/piimap/detectors"
	"github.com/piimap/piimap/scanner"
	"github.com/piimap/piimap/sources"
	"github.com/piimap/piimap/sources/files"
)

type ndjsonLine struct {
	Type        string          `json:"type"`
	Fingerprint string          `json:"fingerprint"`
	Verdict     string          `json:"verdict"`
	Reason      string          `json:"reason"`
	Count       int64           `json:"count"`
	Location    string          `json:"location"`
	Summary     *Summary        `json:"summary"`
	Findings    json.RawMessage `json:"findings"`
	Schema      string          `json:"schema"`
	NotFound    []NotFound      `json:"not_found"`
}

func parseNDJSON(t *testing.T, data []byte) []ndjsonLine {
	t.Helper()
	var out []ndjsonLine
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		var l ndjsonLine
		if err := json.Unmarshal(sc.Bytes(), &l); err != nil {
			t.Fatalf("line %d is not JSON: %v: %s", len(out)+1, err, sc.Bytes())
		}
		out = append(out, l)
	}
	return out
}

// lockedBuffer is a bytes.Buffer safe to read while the scan writes.
type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *lockedBuffer) Lines() int {
	b.mu.Lock()
	defer b.mu.Unlock()
	return bytes.Count(b.buf.Bytes(), []byte("\n"))
}

// TestNDJSONStreamsJudgedFindings scans the demo with the real files source
// and detectors, streaming NDJSON, and checks that the lines come out while
// the scan runs, carry the same verdicts as the final report, and end with
// the summary.
func TestNDJSONStreamsJudgedFindings(t *testing.T) {
	decl, err := LoadDeclaration("../testdata/demo/piimap.yaml")
	if err != nil {
		t.Fatal(err)
	}
	opt := Options{Version: "test", Baseline: NewBaselineSet("", nil)}
	out := &lockedBuffer{}
	bw := bufio.NewWriter(out)
	stream := NewNDJSONStream(bw, decl, opt)
	var mu sync.Mutex
	maxSeen := 0
	cfg := scanner.Config{
		Targets: []string{"../testdata/demo"}, Detectors: detectors.All(), Workers: 2,
		Open: func(ctx context.Context, target string) (sources.Source, error) {
			return files.New(target, sources.Options{}, slog.New(slog.DiscardHandler))
		},
		Stream: stream.Findings,
		Progress: func(scanner.Progress) {
			// Lines are flushed to the writer as units finish, before the scan ends.
			mu.Lock()
			maxSeen = max(maxSeen, out.Lines())
			mu.Unlock()
		},
	}
	res, err := scanner.Scan(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	rep := Build(res, decl, opt)
	if maxSeen == 0 || maxSeen != stream.Lines() {
		t.Errorf("%d lines visible during the scan, %d written: findings were not streamed", maxSeen, stream.Lines())
	}
	if err := stream.Finish(rep); err != nil {
		t.Fatal(err)
	}
	if err := bw.Flush(); err != nil {
		t.Fatal(err)
	}
	lines := parseNDJSON(t, out.buf.Bytes())
	if len(rep.Findings) < 5 {
		t.Fatalf("the demo gave only %d findings", len(rep.Findings))
	}
	if len(lines) != len(rep.Findings)+1 {
		t.Fatalf("%d lines for %d findings + summary", len(lines), len(rep.Findings))
	}
	final := map[string]Finding{}
	for _, f := range rep.Findings {
		final[f.Fingerprint] = f
	}
	for i, l := range lines[:len(lines)-1] {
		f, ok := final[l.Fingerprint]
		if l.Type != NDJSONFinding || !ok {
			t.Errorf("line %d: type %q, fingerprint %q", i+1, l.Type, l.Fingerprint)
			continue
		}
		if l.Verdict != f.Verdict || l.Reason != f.Reason || l.Count != f.Count || l.Location != f.Location {
			t.Errorf("streamed %s: %s/%s/%d, final %s/%s/%d", l.Location, l.Verdict, l.Reason, l.Count, f.Verdict, f.Reason, f.Count)
		}
		delete(final, l.Fingerprint)
	}
	if len(final) > 0 {
		t.Errorf("findings not streamed: %v", final)
	}
	sum := lines[len(lines)-1]
	if sum.Type != NDJSONSummary || sum.Summary == nil || sum.Schema != SchemaVersion {
		t.Fatalf("last line is not the summary: %+v", sum)
	}
	if sum.Findings != nil {
		t.Errorf("summary line repeats the findings: %s", sum.Findings)
	}
	if sum.Summary.Findings != len(rep.Findings) || sum.Summary.ExitCode != rep.Summary.ExitCode ||
		sum.Summary.Verdicts[Undeclared] != rep.Summary.Verdicts[Undeclared] || len(sum.NotFound) != len(rep.NotFound) {
		t.Errorf("summary %+v, want %+v", sum.Summary, rep.Summary)
	}

	// RenderNDJSON (for merged reports) writes the same lines.
	var again bytes.Buffer
	if err := RenderNDJSON(&again, rep); err != nil {
		t.Fatal(err)
	}
	l2 := parseNDJSON(t, again.Bytes())
	if len(l2) != len(lines) || l2[len(l2)-1].Type != NDJSONSummary {
		t.Errorf("RenderNDJSON: %d lines, want %d", len(l2), len(lines))
	}
}

type failWriter struct{ n int }

func (w *failWriter) Write(p []byte) (int, error) {
	w.n++
	if w.n > 1 {
		return 0, errors.New("broken pipe")
	}
	return len(p), nil
}

func TestNDJSONStreamReportsWriteErrors(t *testing.T) {
	s := NewNDJSONStream(&failWriter{}, nil, Options{})
	res := sampleResult()
	s.Findings(res.Findings[:1])
	s.Findings(res.Findings[1:2])
	s.Findings(res.Findings[2:3])
	if s.Lines() != 1 {
		t.Errorf("%d lines written, want 1 before the error", s.Lines())
	}
	err := s.Finish(&Report{})
	if err == nil || !strings.Contains(err.Error(), "broken pipe") {
		t.Errorf("Finish error = %v, want the write error", err)
	}
}
