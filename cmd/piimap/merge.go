package main

import (
	"fmt"

	"github.com/piimap/piimap/report"
)

// MergeCmd is `piimap merge`: it combines JSON reports (one per shard of a
// scan split with --shard K/N, or of separate scans) into one report and
// judges it again under one declaration.
type MergeCmd struct {
	Reports []string `arg:"" help:"JSON reports (piimap scan --format json) to combine, e.g. one per shard." type:"existingfile"`

	Declared       string   `short:"d" help:"Declaration file (default: ./piimap.yaml when it exists)." type:"path" env:"PIIMAP_DECLARED"`
	Rules          []string `help:"Rules files the scans used (their custom categories may be declared); repeatable." type:"path" placeholder:"FILE" env:"PIIMAP_RULES"`
	Format         string   `short:"f" help:"Report format: ${enum}." default:"json" enum:"table,json,ndjson,csv,sarif,markdown,html" env:"PIIMAP_MERGE_FORMAT"`
	Output         string   `short:"o" help:"Write the report to FILE (mode 0600) instead of stdout (- for stdout)." type:"path" env:"PIIMAP_MERGE_OUTPUT"`
	FailOn         string   `help:"Which verdicts fail the run (exit 1): undeclared, any, never." default:"undeclared" enum:"undeclared,any,never" env:"PIIMAP_FAIL_ON"`
	FailConfidence string   `help:"Findings below this confidence are reported with their verdict but do not fail the run: low, medium, high." default:"medium" enum:"low,medium,high" env:"PIIMAP_FAIL_CONFIDENCE"`
	Baseline       string   `help:"Accept the findings of a baseline (a JSON report or a baseline file)." type:"path" env:"PIIMAP_BASELINE"`
	Quiet          bool     `short:"q" help:"Print nothing but the report." env:"PIIMAP_QUIET"`
	Compare        string   `help:"Compare with an earlier JSON report (new, gone, changed) in the JSON, Markdown and HTML reports." type:"existingfile" placeholder:"OLD.json" env:"PIIMAP_COMPARE"`
	SARIFAll       bool     `name:"sarif-all" help:"SARIF: also write declared findings (as passes) and ignored ones (suppressed)." env:"PIIMAP_SARIF_ALL"`
}

// maxMergeWarnings bounds the findings left out that merge names one by one.
const maxMergeWarnings = 10

// Run merges the reports; the exit code is the merged report's, as for scan.
func (c *MergeCmd) Run(env *Env) error {
	c.Output = stdoutDash(c.Output)
	decl, _, err := loadDeclarationAndRules(env, c.Declared, c.Rules)
	if err != nil {
		return err
	}
	var baseline *report.BaselineSet
	if c.Baseline != "" {
		if baseline, err = report.LoadBaseline(c.Baseline); err != nil {
			return &exitError{code: report.ExitUsage, err: err}
		}
	}
	render, err := renderer(env, c.Format, c.Output, c.SARIFAll)
	if err != nil {
		return err
	}
	srcs := make([]report.MergeSource, 0, len(c.Reports))
	for _, p := range c.Reports {
		r, err := report.ReadJSON(p)
		if err != nil {
			return &exitError{code: report.ExitUsage, err: err}
		}
		srcs = append(srcs, report.MergeSource{Name: p, Report: r})
	}
	warned := 0
	rep, err := report.MergeWith(srcs, func(msg string) {
		if warned++; !c.Quiet && warned <= maxMergeWarnings {
			fmt.Fprintf(env.Stderr, "piimap: merge: %s\n", msg)
		}
	})
	if !c.Quiet && warned > maxMergeWarnings {
		fmt.Fprintf(env.Stderr, "piimap: merge: %d more findings left out likewise\n", warned-maxMergeWarnings)
	}
	if err != nil {
		return &exitError{code: report.ExitUsage, err: err}
	}
	if baseline != nil && baseline.KeyID != "" && rep.ValueKeyID != "" && baseline.KeyID != rep.ValueKeyID {
		return &exitError{code: report.ExitUsage, err: fmt.Errorf("baseline %s was written with fingerprint key %s, the reports with %s: use the same key", c.Baseline, baseline.KeyID, rep.ValueKeyID)}
	}
	rep.Baseline = c.Baseline
	report.Judge(rep, decl, report.Options{FailOn: c.FailOn, FailConfidence: c.FailConfidence, Baseline: baseline, BaselinePath: c.Baseline, ShowValues: rep.ValuesShown})
	if c.Compare != "" {
		old, err := report.ReadJSON(c.Compare)
		if err != nil {
			return &exitError{code: report.ExitUsage, err: fmt.Errorf("--compare: %w", err)}
		}
		rep.Comparison = report.Compare(c.Compare, old, "this report", rep)
	}
	if err := writeReport(env, c.Output, render, rep); err != nil {
		return &exitError{code: report.ExitUnread, err: err}
	}
	if !c.Quiet && (c.Output != "" || c.Format != "table") {
		_ = report.Summarize(env.Stderr, rep)
	}
	return &exitError{code: rep.Summary.ExitCode}
}
