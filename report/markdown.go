package report

import (
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
)

// MarkdownMaxRows bounds each findings table of the Markdown report, so that
// a pull-request comment stays under the hosts' size limits (GitHub: 65,536
// characters). The rest is counted, and is in the JSON or HTML report.
const MarkdownMaxRows = 100

// RenderMarkdown writes the report for a pull-request comment: the summary,
// the failing verdicts first (undeclared, misplaced), then the declared and
// ignored findings collapsed in <details>, the declared categories not
// found, and what could not be read. Every cell is escaped.
func RenderMarkdown(w io.Writer, r *Report) error {
	var b strings.Builder
	s := r.Summary
	icon := "✅"
	switch {
	case s.ExitCode == ExitUnread:
		icon = "⚠️"
	case s.ExitCode != ExitOK:
		icon = "❌"
	}
	title := "piimap"
	if r.Organisation != "" {
		title += ": " + r.Organisation
	}
	fmt.Fprintf(&b, "## %s %s\n\n", icon, mdText(title))
	fmt.Fprintf(&b, "**%d undeclared**, **%d misplaced**, %d declared, %d ignored; %d declared categories not found; %d locations could not be read.\n\n",
		s.Verdicts[Undeclared], s.Verdicts[Misplaced], s.Verdicts[Declared], s.Verdicts[Ignored], len(r.NotFound), s.Failures)
	status := ""
	if r.Incomplete {
		status = " **Incomplete: the scan was interrupted.**"
	}
	fmt.Fprintf(&b, "Scanned %d files (%s) and %d tables (%d rows) in %.1f s%s. Exit %d: %s.\n\n",
		s.Files, humanBytes(s.Bytes), s.Tables, s.Rows, r.Duration, status, s.ExitCode, mdText(s.ExitCause))

	if r.ValuesShown {
		b.WriteString("**This report shows found values unmasked (--show-values): do not post it where others can read it.**\n\n")
	}
	var failing, other []Finding
	for _, f := range SortedFindings(r) {
		if f.Failing {
			failing = append(failing, f)
		} else {
			other = append(other, f)
		}
	}
	if len(failing) > 0 {
		fmt.Fprintf(&b, "### Failing the run (%d)\n\n", len(failing))
		mdFindings(&b, failing, r.Summary)
	} else if len(r.Findings) == 0 {
		if len(r.Failures) > 0 {
			b.WriteString("Nothing was found in what could be read; see what could not be read below.\n\n")
		} else {
			b.WriteString("No personal data found.\n\n")
		}
	} else {
		b.WriteString("No finding fails the run.\n\n")
	}
	fmt.Fprintf(&b, "<sub>%s</sub>\n\n", mdText(FailRule(r.Summary)))
	if len(other) > 0 {
		below := 0
		for _, f := range other {
			if f.Verdict == Undeclared || f.Verdict == Misplaced {
				below++
			}
		}
		fmt.Fprintf(&b, "<details>\n<summary>Not failing (%d): %d undeclared or misplaced below --fail-confidence, %d declared, %d ignored</summary>\n\n",
			len(other), below, s.Verdicts[Declared], s.Verdicts[Ignored])
		mdFindings(&b, other, r.Summary)
		b.WriteString("</details>\n\n")
	}
	if len(r.NotFound) > 0 {
		fmt.Fprintf(&b, "### Declared but not found (%d)\n\n", len(r.NotFound))
		for _, n := range r.NotFound {
			fmt.Fprintf(&b, "- %s", mdText(n.Category))
			if len(n.Where) > 0 {
				b.WriteString(" (where: " + mdText(strings.Join(n.Where, ", ")) + ")")
			}
			if n.Note != "" {
				b.WriteString(": " + mdText(n.Note))
			}
			b.WriteString("\n")
		}
		b.WriteString("\n")
	}
	if len(r.Tables) > 0 {
		fmt.Fprintf(&b, "### Tables (%d)\n\n| Table | Method | Rows read | Estimated rows | Coverage |\n|---|---|---|---|---|\n", len(r.Tables))
		for i, t := range r.Tables {
			if i == MarkdownMaxRows {
				fmt.Fprintf(&b, "| … and %d more | | | | |\n", len(r.Tables)-i)
				break
			}
			est := "unknown"
			if t.Estimated >= 0 {
				est = strconv.FormatInt(t.Estimated, 10)
			}
			fmt.Fprintf(&b, "| %s | %s | %d | %s | %s |\n", mdText(t.Location), mdText(t.Method), t.Rows, est, mdText(t.Coverage))
		}
		b.WriteString("\n")
	}
	if len(r.Failures) > 0 {
		fmt.Fprintf(&b, "### Could not read (%d)\n\n| Location | Error |\n|---|---|\n", len(r.Failures))
		for i, f := range r.Failures {
			if i == MarkdownMaxRows {
				fmt.Fprintf(&b, "| … and %d more | |\n", len(r.Failures)-i)
				break
			}
			fmt.Fprintf(&b, "| %s | %s |\n", mdText(f.Location), mdText(f.Error))
		}
		b.WriteString("\n")
	}
	if s.Skipped > 0 {
		var parts []string
		for _, reason := range sortedKeys(r.SkipCounts) {
			parts = append(parts, fmt.Sprintf("%d %s", r.SkipCounts[reason], reason))
		}
		fmt.Fprintf(&b, "Skipped: %s.\n\n", mdText(strings.Join(parts, ", ")))
	}
	if r.Comparison != nil {
		if err := WriteDiffMarkdown(&b, r.Comparison); err != nil {
			return err
		}
	}
	fmt.Fprintf(&b, "<sub>piimap %s", mdText(r.Version))
	if r.Declaration != "" {
		fmt.Fprintf(&b, " · declaration %s", mdText(r.Declaration))
	}
	if r.Baseline != "" {
		fmt.Fprintf(&b, " · baseline %s", mdText(r.Baseline))
	}
	fmt.Fprintf(&b, " · fail on %s</sub>\n", mdText(s.FailOn))
	_, err := io.WriteString(w, b.String())
	return err
}

func mdFindings(b *strings.Builder, fs []Finding, s Summary) {
	b.WriteString("| Location | Category | Verdict | Why | Count | Confidence | Examples | Lines or rows |\n")
	b.WriteString("|---|---|---|---|---:|---|---|---|\n")
	for i, f := range fs {
		if i == MarkdownMaxRows {
			fmt.Fprintf(b, "| … and %d more | | | | | | | |\n", len(fs)-i)
			break
		}
		ex := strings.Join(f.Examples, ", ")
		if len(f.Labels) > 0 {
			ex = strings.TrimSpace(ex + " (" + strings.Join(f.Labels, ", ") + ")")
		}
		verdict := VerdictLabel(f, s)
		if f.Failing {
			verdict = "**" + mdText(verdict) + "**"
		} else {
			verdict = mdText(verdict)
		}
		fmt.Fprintf(b, "| %s | %s | %s | %s | %s | %s | %s | %s |\n",
			mdText(f.Location), mdText(f.Category), verdict, mdText(Outcome(f, s)), strconv.FormatInt(f.Count, 10),
			mdText(f.Confidence), mdText(ex), mdText(positions(f)))
	}
	b.WriteString("\n")
}

// mdText escapes inline text (a table cell, the rest of a list item): the
// ASCII punctuation that Markdown or GitHub's extensions give meaning to
// inside a line (emphasis, code, links, HTML, entities, strikethrough, math,
// and | which would end the cell) is backslash-escaped, newlines become
// spaces, and an @ gets a zero-width space after it so that it mentions
// nobody.
func mdText(s string) string {
	var b strings.Builder
	b.Grow(len(s) + 8)
	for _, r := range s {
		switch r {
		case '\\', '`', '*', '_', '[', ']', '<', '>', '|', '~', '&', '$':
			b.WriteByte('\\')
			b.WriteRune(r)
		case '@':
			b.WriteString("@\u200b")
		case '\n', '\r', '\t':
			b.WriteByte(' ')
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

func sortedKeys(m map[string]int) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
