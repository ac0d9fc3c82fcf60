package report

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"strconv"
	"strings"
)

// Renderer writes a report in one format.
type Renderer func(w io.Writer, r *Report) error

// Formats maps --format names to renderers. Other formats register here.
func Formats() map[string]Renderer {
	return map[string]Renderer{
		"table":    RenderTable,
		"json":     RenderJSON,
		"ndjson":   RenderNDJSON,
		"csv":      RenderCSV,
		"sarif":    RenderSARIF,
		"markdown": RenderMarkdown,
		"html":     RenderHTML,
	}
}

// RenderJSON writes the report as one indented JSON document, the same
// bytes as encoding/json's Encoder with a two-space indent would write.
// The findings are encoded one at a time, so that a report of very many
// findings is never held in memory as one document (it is about four
// hundred bytes a finding): the rest of the report is encoded with the
// findings left out, and they are written where that encoding has them.
func RenderJSON(w io.Writer, r *Report) error {
	rest := *r
	rest.Findings = nil
	doc, err := json.MarshalIndent(&rest, "", "  ")
	if err != nil {
		return fmt.Errorf("encode report: %w", err)
	}
	// A newline inside a string is escaped: this is the top-level field.
	const marker = "\n  \"findings\": null"
	at := bytes.Index(doc, []byte(marker))
	if at < 0 {
		return errors.New("encode report: no findings field")
	}
	at += len(marker) - len("null")
	bw := bufio.NewWriterSize(w, 64<<10)
	bw.Write(doc[:at])
	switch {
	case r.Findings == nil:
		bw.WriteString("null")
	case len(r.Findings) == 0:
		bw.WriteString("[]")
	default:
		bw.WriteString("[")
		for i := range r.Findings {
			f, err := json.MarshalIndent(&r.Findings[i], "    ", "  ")
			if err != nil {
				return fmt.Errorf("encode finding %s: %w", r.Findings[i].Location, err)
			}
			if i > 0 {
				bw.WriteString(",")
			}
			bw.WriteString("\n    ")
			bw.Write(f)
		}
		bw.WriteString("\n  ]")
	}
	bw.Write(doc[at+len("null"):])
	bw.WriteString("\n")
	return bw.Flush()
}

// ReadJSON reads a report written by RenderJSON.
func ReadJSON(path string) (*Report, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read report: %w", err)
	}
	var r Report
	if err := json.Unmarshal(data, &r); err != nil {
		return nil, fmt.Errorf("read report %s: %w", path, err)
	}
	if r.Schema != SchemaVersion {
		return nil, fmt.Errorf("read report %s: schema %q, want %q", path, r.Schema, SchemaVersion)
	}
	return &r, nil
}

// verdictOrder puts failing verdicts first.
var verdictOrder = map[string]int{Undeclared: 0, Misplaced: 1, Declared: 2, Ignored: 3}

// SortedFindings returns the findings that fail the run first, then by
// verdict (undeclared, misplaced, declared, ignored), then by location.
func SortedFindings(r *Report) []Finding {
	fs := slices.Clone(r.Findings)
	slices.SortStableFunc(fs, func(a, b Finding) int {
		if d := findingRank(a) - findingRank(b); d != 0 {
			return d
		}
		return strings.Compare(a.Location, b.Location)
	})
	return fs
}

func positions(f Finding) string {
	var parts []string
	for _, l := range f.Lines {
		parts = append(parts, strconv.FormatInt(l, 10))
	}
	if len(parts) == 0 && len(f.RowKeys) > 0 {
		return strings.Join(f.RowKeys, "; ")
	}
	if len(parts) == 0 {
		for _, l := range f.Rows {
			parts = append(parts, "row "+strconv.FormatInt(l, 10))
		}
	}
	if len(parts) == 0 && f.Column != nil {
		return fmt.Sprintf("%d of %d values", f.Count, f.Column.NonNull)
	}
	return strings.Join(parts, ", ")
}

// Summarize writes the few lines every format's human summary shares.
func Summarize(w io.Writer, r *Report) error {
	s := r.Summary
	status := ""
	if r.Incomplete {
		status = " (INCOMPLETE: interrupted)"
	}
	var skipped []string
	for reason, n := range r.SkipCounts {
		skipped = append(skipped, fmt.Sprintf("%d %s", n, reason))
	}
	slices.Sort(skipped)
	_, err := fmt.Fprintf(w,
		"Scanned %d files and %d tables (%d rows), %s read, in %.2fs%s. piimap %s\n"+
			"Findings: %d (%d undeclared, %d misplaced, %d declared, %d ignored; %d failing); %d locations could not be read%s.\n"+
			"Exit %d: %s.\n",
		s.Files, s.Tables, s.Rows, humanBytes(s.Bytes), r.Duration, status, r.Version,
		s.Findings, s.Verdicts[Undeclared], s.Verdicts[Misplaced], s.Verdicts[Declared], s.Verdicts[Ignored], s.Failing,
		s.Failures, skippedText(skipped), s.ExitCode, s.ExitCause)
	if err == nil && len(r.Failures) > 0 {
		_, err = fmt.Fprintln(w, FailureSummary(r.Failures)+".")
	}
	return err
}

// maxTableFailures is how many failures the table lists one by one.
const maxTableFailures = 20

func skippedText(s []string) string {
	if len(s) == 0 {
		return ""
	}
	return "; skipped " + strings.Join(s, ", ")
}

func humanBytes(n int64) string {
	const unit = 1024
	if n < unit {
		return fmt.Sprintf("%d B", n)
	}
	div, exp := int64(unit), 0
	for m := n / unit; m >= unit; m /= unit {
		div *= unit
		exp++
	}
	return fmt.Sprintf("%.1f %ciB", float64(n)/float64(div), "KMGTPE"[exp])
}
