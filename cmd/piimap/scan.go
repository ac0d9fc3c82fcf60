package main

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/piimap/piimap/detectors"
	"github.com/piimap/piimap/report"
	"github.com/piimap/piimap/scanner"
	"github.com/piimap/piimap/sources"
)

// ScanCmd is `piimap scan`.
type ScanCmd struct {
	Targets []string `arg:"" optional:"" help:"Paths, postgres://, mysql://, mariadb://, smb://, sqlite: targets. Default: the current directory." env:"PIIMAP_TARGETS"`

	Declared       string   `short:"d" help:"Declaration file (default: ./piimap.yaml when it exists)." type:"path" env:"PIIMAP_DECLARED"`
	Format         string   `short:"f" help:"Report format: ${enum}." default:"table" enum:"table,json" env:"PIIMAP_FORMAT"`
	Output         string   `short:"o" help:"Write the report to FILE (mode 0600) instead of stdout." type:"path" env:"PIIMAP_OUTPUT"`
	FailOn         string   `help:"Which verdicts fail the run (exit 1): undeclared (undeclared and misplaced), any (every finding not ignored), never." default:"undeclared" enum:"undeclared,any,never" env:"PIIMAP_FAIL_ON"`
	MinConfidence  string   `help:"Report only findings at or above: low, medium, high." default:"low" enum:"low,medium,high" env:"PIIMAP_MIN_CONFIDENCE"`
	Include        []string `help:"Only scan files whose relative path or name matches a glob (**, *, ?, [..]); repeatable." env:"PIIMAP_INCLUDE"`
	Exclude        []string `help:"Skip files whose relative path or name matches a glob; repeatable." env:"PIIMAP_EXCLUDE"`
	MaxFileSize    string   `help:"Skip files larger than this (e.g. 500MB, 2GiB; 0 = no limit)." default:"0" env:"PIIMAP_MAX_FILE_SIZE"`
	FollowSymlinks bool     `help:"Follow symlinks that point out of the scanned tree." env:"PIIMAP_FOLLOW_SYMLINKS"`

	Tables        []string      `help:"Only scan tables matching schema.table globs (public.*); repeatable." env:"PIIMAP_TABLES"`
	ExcludeTables []string      `help:"Skip tables matching schema.table globs (*.audit_*); repeatable." env:"PIIMAP_EXCLUDE_TABLES"`
	Views         bool          `help:"Scan views too." env:"PIIMAP_VIEWS"`
	SampleRows    int           `help:"Rows sampled per table." default:"10000" env:"PIIMAP_SAMPLE_ROWS"`
	Full          bool          `help:"Read every row of every table (streamed) instead of sampling." env:"PIIMAP_FULL"`
	DBConnections int           `help:"Connections per database." default:"2" env:"PIIMAP_DB_CONNECTIONS"`
	Timeout       time.Duration `help:"Statement timeout for database queries." default:"30s" env:"PIIMAP_TIMEOUT"`
	Binary        bool          `help:"Scan binary database columns too." env:"PIIMAP_BINARY"`

	Detectors        []string `help:"Only run these detector ids (see 'piimap detectors'); repeatable." env:"PIIMAP_DETECTORS"`
	ExcludeDetectors []string `help:"Do not run these detector ids; repeatable." env:"PIIMAP_EXCLUDE_DETECTORS"`
	Workers          int      `help:"Units (files, tables) read in parallel; 0 = number of CPUs." default:"0" env:"PIIMAP_WORKERS"`
	ShowValues       bool     `help:"Show found values unmasked in the report. Off by default: reports are masked." env:"PIIMAP_SHOW_VALUES"`
	Quiet            bool     `short:"q" help:"Print nothing but the report." env:"PIIMAP_QUIET"`
}

// Run runs the scan.
func (c *ScanCmd) Run(env *Env) error {
	decl, err := c.declaration(env)
	if err != nil {
		return &exitError{code: report.ExitUsage, err: err}
	}
	maxSize, err := parseSize(c.MaxFileSize)
	if err != nil {
		return &exitError{code: report.ExitUsage, err: fmt.Errorf("--max-file-size: %w", err)}
	}
	minConf, _ := detectors.ParseConfidence(c.MinConfidence)
	dets, unknown := detectors.Select(detectors.All(), c.Detectors, c.ExcludeDetectors)
	if len(unknown) > 0 {
		return &exitError{code: report.ExitUsage, err: fmt.Errorf("unknown detector ids %s (see 'piimap detectors')", strings.Join(unknown, ", "))}
	}
	if err := checkGlobs(c.Include, c.Exclude, c.Tables, c.ExcludeTables); err != nil {
		return &exitError{code: report.ExitUsage, err: err}
	}
	targets := c.Targets
	if len(targets) == 0 {
		targets = []string{"."}
	}
	opt := sources.Options{
		Include: c.Include, Exclude: c.Exclude, MaxFileSize: maxSize, FollowSymlinks: c.FollowSymlinks,
		Tables: c.Tables, ExcludeTables: c.ExcludeTables, Views: c.Views, Binary: c.Binary,
		SampleRows: c.SampleRows, Full: c.Full, Timeout: c.Timeout, DBConnections: c.DBConnections,
	}
	cfg := scanner.Config{
		Targets: targets, Detectors: dets, Workers: c.Workers, MinConfidence: minConf,
		ShowValues: c.ShowValues, Logger: env.Logger, Open: opener(opt, env.Logger),
	}
	if k := os.Getenv("PIIMAP_FINGERPRINT_KEY"); k != "" {
		cfg.FingerprintKey = []byte(k)
	}
	res, err := scanner.Scan(env.Ctx, cfg)
	if err != nil {
		return &exitError{code: report.ExitUsage, err: err}
	}
	rep := report.Build(res, decl, report.Options{Version: env.Version, FailOn: c.FailOn, ShowValues: c.ShowValues})
	if err := c.write(env, rep); err != nil {
		return &exitError{code: report.ExitUnread, err: err}
	}
	if !c.Quiet && (c.Output != "" || c.Format != "table") {
		// The table already ends with the summary; other formats get it on stderr.
		_ = report.Summarize(env.Stderr, rep)
	}
	return &exitError{code: rep.Summary.ExitCode}
}

func (c *ScanCmd) declaration(env *Env) (*report.Declaration, error) {
	path := c.Declared
	if path == "" {
		if _, err := os.Stat("piimap.yaml"); err != nil {
			return nil, nil
		}
		path = "piimap.yaml"
		env.Logger.Info("using declaration", "file", path)
	}
	return report.LoadDeclaration(path)
}

func (c *ScanCmd) write(env *Env, rep *report.Report) error {
	render := report.Formats()[c.Format]
	if render == nil {
		return fmt.Errorf("unknown format %q", c.Format)
	}
	if c.Output == "" {
		return render(env.Stdout, rep)
	}
	return writeFile(c.Output, func(w io.Writer) error { return render(w, rep) })
}

// writeFile writes a report file readable by its owner only.
func writeFile(path string, fill func(io.Writer) error) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o600)
	if err != nil {
		return fmt.Errorf("write report: %w", err)
	}
	if err := f.Chmod(0o600); err != nil {
		f.Close()
		return fmt.Errorf("write report: %w", err)
	}
	bw := bufio.NewWriter(f)
	if err := fill(bw); err != nil {
		f.Close()
		return fmt.Errorf("write report %s: %w", path, err)
	}
	if err := bw.Flush(); err != nil {
		f.Close()
		return fmt.Errorf("write report %s: %w", path, err)
	}
	return f.Close()
}

func checkGlobs(lists ...[]string) error {
	for _, l := range lists {
		for _, g := range l {
			if _, err := sources.MatchGlob(g, ""); err != nil {
				return fmt.Errorf("bad glob %q: %w", g, err)
			}
		}
	}
	return nil
}

// parseSize reads sizes like 0, 1500, 500MB, 2GiB, 10k.
func parseSize(s string) (int64, error) {
	s = strings.TrimSpace(strings.ToLower(s))
	mult := int64(1)
	for _, u := range []struct {
		suffix string
		m      int64
	}{{"kib", 1 << 10}, {"mib", 1 << 20}, {"gib", 1 << 30}, {"tib", 1 << 40}, {"kb", 1e3}, {"mb", 1e6}, {"gb", 1e9}, {"tb", 1e12}, {"k", 1 << 10}, {"m", 1 << 20}, {"g", 1 << 30}, {"b", 1}} {
		if strings.HasSuffix(s, u.suffix) {
			s, mult = strings.TrimSpace(strings.TrimSuffix(s, u.suffix)), u.m
			break
		}
	}
	n, err := strconv.ParseFloat(s, 64)
	if err != nil || n < 0 {
		return 0, fmt.Errorf("not a size: %q", s)
	}
	return int64(n * float64(mult)), nil
}
