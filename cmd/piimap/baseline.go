package main

import (
	"fmt"
	"io"
	"time"

	"github.com/piimap/piimap/report"
)

// BaselineCmd is `piimap baseline`: it turns a JSON report into a baseline,
// the findings that are not declared with the fingerprints of their
// values, for --baseline.
type BaselineCmd struct {
	Report string `arg:"" help:"JSON report (piimap scan --format json) whose findings to accept." type:"existingfile"`
	Output string `short:"o" help:"Write the baseline to FILE (mode 0600) instead of stdout (- for stdout)." type:"path" env:"PIIMAP_BASELINE_OUTPUT"`
}

// Run writes the baseline.
func (c *BaselineCmd) Run(env *Env) error {
	c.Output = stdoutDash(c.Output)
	r, err := report.ReadJSON(c.Report)
	if err != nil {
		return &exitError{code: report.ExitUsage, err: err}
	}
	b := report.NewBaseline(r, time.Now())
	if b.KeyID == "" && len(b.Findings) > 0 {
		fmt.Fprintf(env.Stderr, "piimap: %s has no value fingerprints (it was scanned without a fingerprint key): this baseline accepts locations, not values. Scan with %s set, or with --write-baseline, for an exact baseline.\n", c.Report, KeyEnv)
	}
	if c.Output == "" {
		return report.WriteBaseline(env.Stdout, b)
	}
	if err := writeFile(c.Output, func(w io.Writer) error { return report.WriteBaseline(w, b) }); err != nil {
		return &exitError{code: report.ExitUnread, err: err}
	}
	env.Logger.Info("baseline written", "file", c.Output, "findings", len(b.Findings))
	return nil
}
