package main

import (
	"encoding/json"
	"fmt"
	"io"

	"github.com/piimap/piimap/report"
)

// DiffCmd is `piimap diff OLD.json NEW.json`.
type DiffCmd struct {
	Old    string `arg:"" help:"The earlier JSON report." type:"existingfile"`
	New    string `arg:"" help:"The later JSON report." type:"existingfile"`
	Format string `short:"f" help:"Output: ${enum}." default:"text" enum:"text,json,markdown" env:"PIIMAP_DIFF_FORMAT"`
	Output string `short:"o" help:"Write to FILE (mode 0600) instead of stdout (- for stdout)." type:"path"`
}

// Run compares the reports. Like diff(1) it exits 0 when nothing changed,
// 1 when something did, and 2 on errors.
func (c *DiffCmd) Run(env *Env) error {
	c.Output = stdoutDash(c.Output)
	old, err := report.ReadJSON(c.Old)
	if err != nil {
		return &exitError{code: report.ExitUsage, err: err}
	}
	cur, err := report.ReadJSON(c.New)
	if err != nil {
		return &exitError{code: report.ExitUsage, err: err}
	}
	d := report.Compare(c.Old, old, c.New, cur)
	write := func(w io.Writer) error {
		switch c.Format {
		case "json":
			enc := json.NewEncoder(w)
			enc.SetIndent("", "  ")
			return enc.Encode(d)
		case "markdown":
			return report.WriteDiffMarkdown(w, d)
		}
		return report.WriteDiffText(w, d)
	}
	if c.Output != "" {
		err = writeFile(c.Output, write)
	} else {
		err = write(env.Stdout)
	}
	if err != nil {
		return &exitError{code: report.ExitUnread, err: fmt.Errorf("diff: %w", err)}
	}
	if d.Empty() {
		return nil
	}
	return &exitError{code: 1}
}
