package report

import (
	"fmt"
	"io"
	"slices"
	"strings"
)

// Diff is what changed between two audits (JSON reports of the same
// targets): findings new in the later one, gone from it, and changed
// (verdict, count, confidence, new values). Findings are matched by their
// location fingerprint, so both reports must be made with the same
// fingerprint key.
type Diff struct {
	Old string `json:"old_report"` // report names (files)
	New string `json:"new_report"`
	// OldStarted and NewStarted are when the scans ran.
	OldStarted string       `json:"old_started"`
	NewStarted string       `json:"new_started"`
	Added      []Finding    `json:"new"`
	Gone       []Finding    `json:"gone"`
	Changed    []DiffChange `json:"changed"`
	Unchanged  int          `json:"unchanged"`
	// Note warns when the comparison is weak (different keys, targets).
	Note string `json:"note,omitempty"`
}

// DiffChange is a finding present in both reports that changed.
type DiffChange struct {
	Old     Finding  `json:"old"`
	New     Finding  `json:"new"`
	Changes []string `json:"changes"`
	// NewValues counts values of the later finding the earlier did not have
	// (by value fingerprint; both reports must share the key).
	NewValues int `json:"new_values,omitempty"`
}

// diffFinding is f without its examples and row keys: a diff names
// findings, and the earlier report may have been made with --show-values.
func diffFinding(f Finding) Finding {
	f.Examples, f.RowKeys = nil, nil
	return f
}

// Empty reports whether nothing changed.
func (d *Diff) Empty() bool { return len(d.Added) == 0 && len(d.Gone) == 0 && len(d.Changed) == 0 }

// Compare computes the diff from old to cur.
func Compare(oldName string, old *Report, curName string, cur *Report) *Diff {
	d := &Diff{Old: oldName, New: curName, OldStarted: old.Started.UTC().Format("2006-01-02 15:04"), NewStarted: cur.Started.UTC().Format("2006-01-02 15:04"),
		Added: []Finding{}, Gone: []Finding{}, Changed: []DiffChange{}}
	sameKey := old.ValueKeyID != "" && old.ValueKeyID == cur.ValueKeyID
	if old.ValueKeyID != cur.ValueKeyID {
		d.Note = "the reports were made with different fingerprint keys: new values cannot be compared"
	}
	before := map[string]Finding{}
	for _, f := range old.Findings {
		before[f.Fingerprint] = diffFinding(f)
	}
	seen := map[string]bool{}
	for _, f := range cur.Findings {
		f = diffFinding(f)
		o, ok := before[f.Fingerprint]
		if !ok {
			d.Added = append(d.Added, f)
			continue
		}
		seen[f.Fingerprint] = true
		var ch []string
		if o.Verdict != f.Verdict {
			ch = append(ch, "verdict "+o.Verdict+" → "+f.Verdict)
		}
		if o.Count != f.Count {
			ch = append(ch, fmt.Sprintf("count %d → %d", o.Count, f.Count))
		}
		if o.Confidence != f.Confidence {
			ch = append(ch, "confidence "+o.Confidence+" → "+f.Confidence)
		}
		if o.Failing != f.Failing {
			if f.Failing {
				ch = append(ch, "now fails the run")
			} else {
				ch = append(ch, "no longer fails the run")
			}
		}
		newVals := 0
		if sameKey {
			for _, v := range f.Values {
				if _, found := slices.BinarySearch(o.Values, v); !found {
					newVals++
				}
			}
			if newVals > 0 {
				ch = append(ch, fmt.Sprintf("%d new values", newVals))
			}
		}
		if len(ch) == 0 {
			d.Unchanged++
			continue
		}
		d.Changed = append(d.Changed, DiffChange{Old: o, New: f, Changes: ch, NewValues: newVals})
	}
	for _, f := range old.Findings {
		if !seen[f.Fingerprint] {
			d.Gone = append(d.Gone, diffFinding(f))
		}
	}
	byRank := func(a, b Finding) int {
		if r := findingRank(a) - findingRank(b); r != 0 {
			return r
		}
		return strings.Compare(a.Location, b.Location)
	}
	slices.SortStableFunc(d.Added, byRank)
	slices.SortStableFunc(d.Gone, byRank)
	slices.SortStableFunc(d.Changed, func(a, b DiffChange) int { return byRank(a.New, b.New) })
	return d
}

// WriteDiffText writes the diff for a terminal.
func WriteDiffText(w io.Writer, d *Diff) error {
	var b strings.Builder
	fmt.Fprintf(&b, "Comparing %s (%s) with %s (%s)\n", d.Old, d.OldStarted, d.New, d.NewStarted)
	if d.Note != "" {
		fmt.Fprintf(&b, "Note: %s.\n", d.Note)
	}
	fmt.Fprintf(&b, "%d new, %d gone, %d changed, %d unchanged.\n", len(d.Added), len(d.Gone), len(d.Changed), d.Unchanged)
	line := func(sign string, f Finding, extra string) {
		fmt.Fprintf(&b, "  %s %s  %s  %d values, %s confidence, %s%s\n", sign, f.Location, f.Category, f.Count, f.Confidence, f.Verdict, extra)
	}
	if len(d.Added) > 0 {
		b.WriteString("\nNew:\n")
		for _, f := range d.Added {
			extra := ""
			if f.Failing {
				extra = " (fails the run)"
			}
			line("+", f, extra)
		}
	}
	if len(d.Gone) > 0 {
		b.WriteString("\nGone:\n")
		for _, f := range d.Gone {
			line("-", f, "")
		}
	}
	if len(d.Changed) > 0 {
		b.WriteString("\nChanged:\n")
		for _, c := range d.Changed {
			fmt.Fprintf(&b, "  ~ %s  %s: %s\n", c.New.Location, c.New.Category, strings.Join(c.Changes, ", "))
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// WriteDiffMarkdown writes the diff as a Markdown section (for
// --compare and piimap diff --format markdown).
func WriteDiffMarkdown(w io.Writer, d *Diff) error {
	var b strings.Builder
	fmt.Fprintf(&b, "### Compared with %s (%s)\n\n", mdText(d.Old), mdText(d.OldStarted))
	if d.Note != "" {
		fmt.Fprintf(&b, "_Note: %s._\n\n", mdText(d.Note))
	}
	fmt.Fprintf(&b, "**%d new**, %d gone, %d changed, %d unchanged.\n\n", len(d.Added), len(d.Gone), len(d.Changed), d.Unchanged)
	if d.Empty() {
		_, err := io.WriteString(w, b.String())
		return err
	}
	b.WriteString("| | Location | Category | Verdict | Count | What changed |\n|---|---|---|---|---:|---|\n")
	n := 0
	row := func(sign string, f Finding, what string) {
		n++
		if n > MarkdownMaxRows {
			return
		}
		fmt.Fprintf(&b, "| %s | %s | %s | %s | %d | %s |\n", sign, mdText(f.Location), mdText(CategoryName(f.Category)), mdText(f.Verdict), f.Count, mdText(what))
	}
	for _, f := range d.Added {
		row("new", f, "new")
	}
	for _, c := range d.Changed {
		row("changed", c.New, strings.Join(c.Changes, ", "))
	}
	for _, f := range d.Gone {
		row("gone", f, "gone")
	}
	if n > MarkdownMaxRows {
		fmt.Fprintf(&b, "| … and %d more | | | | | |\n", n-MarkdownMaxRows)
	}
	b.WriteString("\n")
	_, err := io.WriteString(w, b.String())
	return err
}
