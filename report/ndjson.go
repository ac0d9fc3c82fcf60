package report

import (
	"encoding/json"
	"fmt"
	"io"
	"sync"

	"github.com/piimap/piimap/scanner"
)

// NDJSON line types.
const (
	NDJSONFinding = "finding"
	NDJSONSummary = "summary"
)

// ndjsonFinding is one "finding" line: the finding's fields, as in the JSON
// report, plus "type".
type ndjsonFinding struct {
	Type string `json:"type"`
	Finding
}

// ndjsonSummary is the closing "summary" line: the report without its
// findings (they were the lines before it), plus "type".
type ndjsonSummary struct {
	Type string `json:"type"`
	*Report
	// Findings shadows Report.Findings (a shallower field wins in
	// encoding/json); nil, so it is omitted.
	Findings *struct{} `json:"findings,omitempty"`
}

// NDJSONStream writes findings as JSON lines while a scan runs, judging
// each one with the declaration as it comes, and the summary line at the
// end. Its Findings method is meant for scanner.Config.Stream.
type NDJSONStream struct {
	mu    sync.Mutex
	w     io.Writer
	enc   *json.Encoder
	decl  *Declaration
	opt   Options
	lines int
	err   error
}

// NewNDJSONStream returns a stream writing to w. When w has a Flush() error
// method (a bufio.Writer), it is flushed after every batch so that readers
// see findings as they are found.
func NewNDJSONStream(w io.Writer, decl *Declaration, opt Options) *NDJSONStream {
	return &NDJSONStream{w: w, enc: json.NewEncoder(w), decl: decl, opt: opt}
}

type flusher interface{ Flush() error }

// Findings judges and writes a batch of findings (one unit's). After a write
// error it writes nothing more; Finish reports the error.
func (s *NDJSONStream) Findings(fs []scanner.Finding) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.err != nil {
		return
	}
	for _, sf := range fs {
		f := FindingFrom(sf)
		JudgeFinding(&f, s.decl, s.opt)
		maskFinding(&f, s.opt.MaskPath)
		if err := s.enc.Encode(ndjsonFinding{Type: NDJSONFinding, Finding: f}); err != nil {
			s.err = fmt.Errorf("ndjson: %w", err)
			return
		}
		s.lines++
	}
	if fl, ok := s.w.(flusher); ok {
		if err := fl.Flush(); err != nil {
			s.err = fmt.Errorf("ndjson: %w", err)
		}
	}
}

// Lines is the number of finding lines written so far.
func (s *NDJSONStream) Lines() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.lines
}

// Finish writes the summary line of the judged report r and returns the
// first error met while streaming.
func (s *NDJSONStream) Finish(r *Report) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.err != nil {
		return s.err
	}
	if err := s.enc.Encode(ndjsonSummary{Type: NDJSONSummary, Report: r}); err != nil {
		return fmt.Errorf("ndjson: %w", err)
	}
	return nil
}

// RenderNDJSON writes a finished report as NDJSON: one "finding" line per
// finding, then the "summary" line. It is what the stream writes, for
// reports that were not streamed (piimap merge).
func RenderNDJSON(w io.Writer, r *Report) error {
	enc := json.NewEncoder(w)
	for _, f := range r.Findings {
		if err := enc.Encode(ndjsonFinding{Type: NDJSONFinding, Finding: f}); err != nil {
			return fmt.Errorf("ndjson: %w", err)
		}
	}
	if err := enc.Encode(ndjsonSummary{Type: NDJSONSummary, Report: r}); err != nil {
		return fmt.Errorf("ndjson: %w", err)
	}
	return nil
}
