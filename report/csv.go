package report

import (
	"encoding/csv"
	"fmt"
	"io"
	"strconv"
	"strings"
)

// CSVHeader is the header row of the CSV format, one row per finding.
var CSVHeader = []string{
	"location", "target", "path", "field", "category", "verdict", "reason", "count", "confidence",
	"detectors", "labels", "examples", "lines", "rows",
	"column_type", "column_rows", "column_non_null", "column_share", "fingerprint",
	"failing", "outcome", "new_values",
}

// csvListSep joins list cells (detectors, labels, examples, lines).
const csvListSep = "; "

// RenderCSV writes one row per finding (RFC 4180, via encoding/csv), the
// findings that fail the run first (column failing, and outcome saying
// why), for spreadsheets. Cells that a spreadsheet would read as a
// formula (starting with = + - @, tab or carriage return) get a leading '.
func RenderCSV(w io.Writer, r *Report) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(CSVHeader); err != nil {
		return fmt.Errorf("csv: %w", err)
	}
	row := make([]string, len(CSVHeader))
	for _, f := range SortedFindings(r) {
		var ctype, crows, cnonnull, cshare string
		if c := f.Column; c != nil {
			ctype = c.Type
			crows = strconv.FormatInt(c.Rows, 10)
			cnonnull = strconv.FormatInt(c.NonNull, 10)
			cshare = strconv.FormatFloat(c.Share, 'f', 4, 64)
		}
		vals := []string{
			f.Location, f.Where.Target, f.Where.Path, f.Where.Field, f.Category, f.Verdict, f.Reason,
			strconv.FormatInt(f.Count, 10), f.Confidence,
			strings.Join(f.Detectors, csvListSep), strings.Join(f.Labels, csvListSep),
			strings.Join(f.Examples, csvListSep), joinInts(f.Lines), joinInts(f.Rows),
			ctype, crows, cnonnull, cshare, f.Fingerprint,
			strconv.FormatBool(f.Failing), Outcome(f, r.Summary), strconv.FormatInt(f.NewValues, 10),
		}
		for i, v := range vals {
			row[i] = CSVCell(v)
		}
		if err := cw.Write(row); err != nil {
			return fmt.Errorf("csv: %w", err)
		}
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return fmt.Errorf("csv: %w", err)
	}
	return nil
}

// CSVCell guards a cell against formula injection: a spreadsheet evaluates
// a cell starting with = + - @ (or tab / carriage return, which some strip
// first) as a formula, so such cells get a leading apostrophe.
func CSVCell(s string) string {
	if s == "" {
		return s
	}
	switch s[0] {
	case '=', '+', '-', '@', '\t', '\r':
		return "'" + s
	}
	return s
}

func joinInts(v []int64) string {
	if len(v) == 0 {
		return ""
	}
	parts := make([]string, len(v))
	for i, n := range v {
		parts[i] = strconv.FormatInt(n, 10)
	}
	return strings.Join(parts, csvListSep)
}
