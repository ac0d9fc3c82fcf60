package report

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"slices"
	"strconv"
	"strings"

	"github.com/olekukonko/tablewriter"
	"github.com/olekukonko/tablewriter/tw"
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

// RenderJSON writes the report as one indented JSON document.
func RenderJSON(w io.Writer, r *Report) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(r)
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

// SortedFindings returns the findings with failing verdicts first, then by location.
func SortedFindings(r *Report) []Finding {
	fs := slices.Clone(r.Findings)
	slices.SortStableFunc(fs, func(a, b Finding) int {
		if d := verdictOrder[a.Verdict] - verdictOrder[b.Verdict]; d != 0 {
			return d
		}
		return strings.Compare(a.Location, b.Location)
	})
	return fs
}

// RenderTable writes the report for a person at a terminal.
func RenderTable(w io.Writer, r *Report) error {
	if len(r.Findings) > 0 {
		t := tablewriter.NewTable(w,
			tablewriter.WithRowAutoWrap(tw.WrapNormal),
			tablewriter.WithHeaderAutoFormat(tw.On),
		)
		t.Header("Location", "Category", "Count", "Confidence", "Verdict", "Examples", "Lines")
		for _, f := range SortedFindings(r) {
			where := f.Location
			ex := strings.Join(f.Examples, "\n")
			if len(f.Labels) > 0 {
				ex += "\n(" + strings.Join(f.Labels, ", ") + ")"
			}
			if err := t.Append([]string{where, f.Category, strconv.FormatInt(f.Count, 10), f.Confidence,
				strings.ToUpper(f.Verdict[:1]) + f.Verdict[1:], strings.TrimSpace(ex), positions(f)}); err != nil {
				return err
			}
		}
		if err := t.Render(); err != nil {
			return err
		}
	} else {
		fmt.Fprintln(w, "No personal data found.")
	}
	if len(r.NotFound) > 0 {
		names := make([]string, len(r.NotFound))
		for i, n := range r.NotFound {
			names[i] = n.Category
		}
		fmt.Fprintf(w, "\nDeclared but not found: %s\n", strings.Join(names, ", "))
	}
	if len(r.Tables) > 0 {
		fmt.Fprintln(w, "\nTables:")
		for _, t := range r.Tables {
			est := "unknown"
			if t.Estimated >= 0 {
				est = "~" + strconv.FormatInt(t.Estimated, 10)
			}
			fmt.Fprintf(w, "  %s: %d of %s rows (%s); %s\n", t.Location, t.Rows, est, t.Method, t.Coverage)
		}
	}
	if len(r.Failures) > 0 {
		fmt.Fprintln(w, "\nCould not read:")
		for _, f := range r.Failures {
			fmt.Fprintf(w, "  %s: %s\n", f.Location, f.Error)
		}
	}
	fmt.Fprintln(w)
	return Summarize(w, r)
}

func positions(f Finding) string {
	var parts []string
	for _, l := range f.Lines {
		parts = append(parts, strconv.FormatInt(l, 10))
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
	return err
}

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
