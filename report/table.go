package report

import (
	"bytes"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/olekukonko/tablewriter"
	"github.com/olekukonko/tablewriter/pkg/twwidth"
	"github.com/olekukonko/tablewriter/renderer"
	"github.com/olekukonko/tablewriter/tw"

	"github.com/piimap/piimap/internal/textfmt"
)

// DefaultTableWidth is the width of the table when no terminal says
// otherwise (output to a file or pipe, no $COLUMNS).
const DefaultTableWidth = 100

// DefaultTableRows is how many findings the table shows on a terminal; the
// rest are counted and are in the other formats.
const DefaultTableRows = 50

// TableOptions shape the terminal table.
type TableOptions struct {
	// Width is the width in columns every line fits in; 0 = DefaultTableWidth.
	Width int
	// Color marks verdicts with ANSI colours (only for a terminal, and not
	// when NO_COLOR is set: the caller decides).
	Color bool
	// MaxRows caps the findings shown; 0 = all.
	MaxRows int
}

// RenderTable writes the report for a person at a terminal, at
// DefaultTableWidth, without colours or a row cap.
func RenderTable(w io.Writer, r *Report) error {
	return TableRenderer(TableOptions{})(w, r)
}

// TableRenderer returns the table renderer for opt. Findings are grouped
// by location (the location printed once per group), the groups that fail
// the run first; long locations are shortened in the middle, examples and
// line numbers shown as the width allows, and every line, the summary
// included, fits in opt.Width.
func TableRenderer(opt TableOptions) Renderer {
	if opt.Width <= 0 {
		opt.Width = DefaultTableWidth
	}
	opt.Width = max(opt.Width, minTableWidth)
	return func(w io.Writer, r *Report) error {
		var b bytes.Buffer
		if err := renderTable(&b, r, opt); err != nil {
			return err
		}
		_, err := w.Write(b.Bytes())
		return err
	}
}

// minTableWidth is the narrowest table laid out; narrower terminals wrap
// its lines.
const minTableWidth = 50

// Column indexes of the findings table.
const (
	colLoc = iota
	colCat
	colCount
	colConf
	colVerdict
	colExamples
	colLines
	numCols
)

var tableHeaders = [numCols]string{"Location", "Category", "Count", "Conf", "Verdict", "Examples", "Lines"}

func renderTable(w *bytes.Buffer, r *Report, opt TableOptions) error {
	width := opt.Width
	para := func(s string) { wrapText(w, s, width) }
	if len(r.Findings) == 0 {
		switch {
		case len(r.Failures) > 0 && r.Summary.Files == 0 && r.Summary.Tables == 0:
			para("Nothing could be read, so nothing was checked: see below.")
		case len(r.Failures) > 0:
			para("No personal data found in what could be read; some locations could not be read (below).")
		case r.Incomplete:
			para("No personal data found before the scan was interrupted.")
		default:
			para("No personal data found.")
		}
	} else {
		fs := GroupedFindings(r)
		shown := fs
		if opt.MaxRows > 0 && len(fs) > opt.MaxRows {
			shown = fs[:opt.MaxRows]
		}
		rows := make([][numCols]string, len(shown))
		prev := ""
		for i, f := range shown {
			row := &rows[i]
			if f.Location != prev {
				row[colLoc] = f.Location
			}
			prev = f.Location
			row[colCat] = f.Category
			row[colCount] = strconv.FormatInt(f.Count, 10)
			row[colConf] = f.Confidence
			row[colVerdict] = VerdictLabel(f, r.Summary)
			ex := strings.Join(f.Examples, ", ")
			if len(f.Labels) > 0 {
				ex = strings.TrimSpace(ex + " (" + strings.Join(f.Labels, ", ") + ")")
			}
			row[colExamples] = ex
			row[colLines] = positions(f)
		}
		cols, widths := tableLayout(rows, width)
		t := tablewriter.NewTable(w,
			tablewriter.WithRenderer(renderer.NewBlueprint(tw.Rendition{
				Borders: tw.BorderNone,
				Symbols: tw.NewSymbols(tw.StyleLight),
				Settings: tw.Settings{
					Separators: tw.Separators{BetweenColumns: tw.On, BetweenRows: tw.Off, ShowHeader: tw.On},
					Lines:      tw.Lines{ShowHeaderLine: tw.On},
				},
			})),
			tablewriter.WithRowAutoWrap(tw.WrapNone),
			tablewriter.WithHeaderAutoWrap(tw.WrapNone),
			tablewriter.WithHeaderAutoFormat(tw.On),
			tablewriter.WithHeaderAlignment(tw.AlignLeft),
			tablewriter.WithRowAlignment(tw.AlignLeft),
			tablewriter.WithTrimSpace(tw.Off),
		)
		header := make([]string, len(cols))
		for i, c := range cols {
			header[i] = fit(tableHeaders[c], widths[i], false)
		}
		t.Header(header)
		for ri, row := range rows {
			cells := make([]string, len(cols))
			for i, c := range cols {
				cells[i] = fit(row[c], widths[i], c == colLoc)
				if c == colVerdict && opt.Color {
					cells[i] = colorVerdict(shown[ri], cells[i])
				}
			}
			if err := t.Append(cells); err != nil {
				return fmt.Errorf("table: %w", err)
			}
		}
		if err := t.Render(); err != nil {
			return fmt.Errorf("table: %w", err)
		}
		if more := len(fs) - len(shown); more > 0 {
			para(fmt.Sprintf("… %d more (use --format json or --output)", more))
		}
		para(FailRule(r.Summary))
	}
	if len(r.NotFound) > 0 {
		names := make([]string, len(r.NotFound))
		for i, n := range r.NotFound {
			names[i] = n.Category
		}
		w.WriteString("\n")
		para("Declared but not found: " + strings.Join(names, ", "))
	}
	if len(r.Tables) > 0 {
		w.WriteString("\nTables:\n")
		for _, t := range r.Tables {
			est := "unknown"
			if t.Estimated >= 0 {
				est = "~" + strconv.FormatInt(t.Estimated, 10)
			}
			para(fmt.Sprintf("  %s: %d of %s rows (%s); %s", t.Location, t.Rows, est, t.Method, t.Coverage))
		}
	}
	if len(r.Failures) > 0 {
		w.WriteString("\nCould not read:\n")
		for i, f := range r.Failures {
			if i == maxTableFailures && len(r.Failures) > maxTableFailures+1 {
				para(fmt.Sprintf("  … %s more (use --format json or --output for the full list)", textfmt.Thousands(int64(len(r.Failures)-i))))
				break
			}
			para(fmt.Sprintf("  %s: %s", f.Location, f.Error))
		}
	}
	w.WriteString("\n")
	var sum bytes.Buffer
	if err := Summarize(&sum, r); err != nil {
		return err
	}
	for _, line := range strings.Split(strings.TrimRight(sum.String(), "\n"), "\n") {
		para(line)
	}
	return nil
}

// tableLayout picks the columns that fit in width and their widths. The
// location, category, count, confidence and verdict are always shown
// (the location shortened first, down to a minimum); examples and then
// line numbers are added while the location keeps a useful width.
func tableLayout(rows [][numCols]string, width int) ([]int, []int) {
	var natural [numCols]int
	for c := range numCols {
		natural[c] = twwidth.Width(strings.ToUpper(tableHeaders[c]))
	}
	for _, row := range rows {
		for c := range numCols {
			natural[c] = max(natural[c], twwidth.Width(row[c]))
		}
	}
	caps := [numCols]int{colLoc: natural[colLoc], colCat: 16, colCount: 12, colConf: 6, colVerdict: 28, colExamples: 40, colLines: 16}
	want := func(c int) int { return min(natural[c], caps[c]) }
	try := func(cols []int, verdict int) ([]int, int) {
		ws := make([]int, len(cols))
		used := 3*len(cols) + 1 // padding and separators, with a margin
		for i, c := range cols {
			if c == colLoc || c == colExamples {
				continue
			}
			ws[i] = want(c)
			if c == colVerdict {
				ws[i] = min(ws[i], verdict)
			}
			used += ws[i]
		}
		ws[0] = min(natural[colLoc], width-used)
		return ws, width - used
	}
	base := []int{colLoc, colCat, colCount, colConf, colVerdict}
	hasEx, hasLines := false, false
	for _, row := range rows {
		hasEx = hasEx || row[colExamples] != ""
		hasLines = hasLines || row[colLines] != ""
	}
	goodLoc := min(natural[colLoc], 28)
	for _, cols := range [][]int{
		{colLoc, colCat, colCount, colConf, colVerdict, colExamples, colLines},
		{colLoc, colCat, colCount, colConf, colVerdict, colExamples},
	} {
		if !hasEx || (len(cols) == numCols && !hasLines) {
			continue
		}
		ws, room := try(cols, 28)
		// The location first (whole if it fits), the examples in the rest.
		loc := min(natural[colLoc], room-12)
		if loc < goodLoc {
			continue
		}
		ws[slicesIndex(cols, colExamples)] = min(want(colExamples), room-loc)
		ws[0] = loc
		return cols, ws
	}
	for _, v := range []int{28, 22, 16} {
		if ws, room := try(base, v); room >= min(natural[colLoc], 24) {
			return base, ws
		}
	}
	// Narrow terminals: the confidence, then the count, give way.
	for _, cols := range [][]int{{colLoc, colCat, colCount, colVerdict}, {colLoc, colCat, colVerdict}} {
		ws, room := try(cols, 16)
		if room >= min(natural[colLoc], 12) || len(cols) == 3 {
			ws[0] = max(ws[0], 8)
			return cols, ws
		}
	}
	return base, nil // unreachable
}

// fit shortens s to width display columns: in the middle for locations
// (both the start and the file name stay readable), else at the end.
func fit(s string, width int, middle bool) string {
	if width <= 0 {
		return ""
	}
	if twwidth.Width(s) <= width {
		return s
	}
	if width == 1 {
		return "…"
	}
	runes := []rune(s)
	if !middle {
		return takeWidth(runes, width-1) + "…"
	}
	tail := (width - 1) / 2
	head := width - 1 - tail
	// The tail, taken from the end.
	var tb []rune
	tw := 0
	for i := len(runes) - 1; i >= 0; i-- {
		rw := twwidth.Width(string(runes[i]))
		if tw+rw > tail {
			break
		}
		tw += rw
		tb = append([]rune{runes[i]}, tb...)
	}
	return takeWidth(runes, head+tail-tw) + "…" + string(tb)
}

// takeWidth returns the longest prefix of runes at most width columns wide.
func takeWidth(runes []rune, width int) string {
	n := 0
	for i, r := range runes {
		rw := twwidth.Width(string(r))
		if n+rw > width {
			return string(runes[:i])
		}
		n += rw
	}
	return string(runes)
}

// wrapText writes s followed by a newline, wrapped at spaces to width
// (continuation lines indented by two spaces more than the first), and
// words longer than a line shortened in the middle.
func wrapText(w *bytes.Buffer, s string, width int) {
	indent := len(s) - len(strings.TrimLeft(s, " "))
	cont := strings.Repeat(" ", min(indent+2, width/2))
	line := strings.Repeat(" ", indent)
	lineW := indent
	first := true
	for _, word := range strings.Fields(s) {
		ww := twwidth.Width(word)
		if lineW > len(line)-len(strings.TrimLeft(line, " ")) && !first && lineW+1+ww > width {
			w.WriteString(line + "\n")
			line, lineW = cont, len(cont)
			first = true
		}
		if !first {
			line += " "
			lineW++
		}
		if lineW+ww > width {
			word = fit(word, width-lineW, true)
			ww = twwidth.Width(word)
		}
		line += word
		lineW += ww
		first = false
	}
	w.WriteString(line + "\n")
}

// ANSI colours of the verdicts.
const (
	ansiReset  = "\x1b[0m"
	ansiRed    = "\x1b[1;31m"
	ansiYellow = "\x1b[33m"
	ansiGreen  = "\x1b[32m"
	ansiDim    = "\x1b[2m"
)

func colorVerdict(f Finding, cell string) string {
	c := ansiGreen
	switch {
	case f.Failing:
		c = ansiRed
	case f.Verdict == Undeclared || f.Verdict == Misplaced:
		c = ansiYellow
	case f.Verdict == Ignored:
		c = ansiDim
	}
	return c + cell + ansiReset
}

func slicesIndex(s []int, v int) int {
	for i, x := range s {
		if x == v {
			return i
		}
	}
	return -1
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
