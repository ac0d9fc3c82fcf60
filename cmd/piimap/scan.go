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
	Format         string   `short:"f" help:"Report format: ${enum}." default:"table" enum:"table,json,ndjson,csv,sarif,markdown,html" env:"PIIMAP_FORMAT"`
	Output         string   `short:"o" help:"Write the report to FILE (mode 0600) instead of stdout." type:"path" env:"PIIMAP_OUTPUT"`
	FailOn         string   `help:"Which verdicts fail the run (exit 1): undeclared (undeclared and misplaced), any (every finding not ignored), never." default:"undeclared" enum:"undeclared,any,never" env:"PIIMAP_FAIL_ON"`
	FailConfidence string   `help:"Findings below this confidence are reported with their verdict but do not fail the run: low, medium, high." default:"medium" enum:"low,medium,high" env:"PIIMAP_FAIL_CONFIDENCE"`
	Baseline       string   `help:"Accept the findings of a baseline (a JSON report or a file from --write-baseline / 'piimap baseline'): they get the verdict ignored, so only new findings fail." type:"path" env:"PIIMAP_BASELINE"`
	WriteBaseline  string   `help:"Also write a baseline of this scan's findings (all but declared) to FILE, for --baseline in later runs." type:"path" env:"PIIMAP_WRITE_BASELINE"`
	MinConfidence  string   `help:"Report only findings at or above: low, medium, high." default:"low" enum:"low,medium,high" env:"PIIMAP_MIN_CONFIDENCE"`
	Include        []string `help:"Only scan files whose relative path or name matches a glob (**, *, ?, [..]); repeatable." env:"PIIMAP_INCLUDE"`
	Exclude        []string `help:"Skip files whose relative path or name matches a glob; repeatable." env:"PIIMAP_EXCLUDE"`
	MaxFileSize    string   `help:"Skip files larger than this (e.g. 500MB, 2GiB; 0 = no limit)." default:"0" env:"PIIMAP_MAX_FILE_SIZE"`
	FollowSymlinks bool     `help:"Follow symlinks that point out of the scanned tree." env:"PIIMAP_FOLLOW_SYMLINKS"`

	MaxArchiveBytes   string `help:"Decompression limit per archive or compressed file (against bombs)." default:"4GiB" env:"PIIMAP_MAX_ARCHIVE_BYTES"`
	MaxArchiveRatio   int    `help:"Limit on uncompressed/compressed size, checked past 64 MiB." default:"1000" env:"PIIMAP_MAX_ARCHIVE_RATIO"`
	MaxArchiveDepth   int    `help:"How deep archives nested in archives are read." default:"5" env:"PIIMAP_MAX_ARCHIVE_DEPTH"`
	MaxArchiveEntries int    `help:"Members read per archive (nested ones included)." default:"100000" env:"PIIMAP_MAX_ARCHIVE_ENTRIES"`

	Tables           []string      `help:"Only scan tables matching schema.table globs (public.*); repeatable." env:"PIIMAP_TABLES"`
	ExcludeTables    []string      `help:"Skip tables matching schema.table globs (*.audit_*); repeatable." env:"PIIMAP_EXCLUDE_TABLES"`
	Views            bool          `help:"Scan views too." env:"PIIMAP_VIEWS"`
	SampleRows       int           `help:"Rows sampled per table." default:"10000" env:"PIIMAP_SAMPLE_ROWS"`
	Full             bool          `help:"Read every row of every table (streamed) instead of sampling." env:"PIIMAP_FULL"`
	Budget           time.Duration `help:"After the sample, go on reading each table for up to this long (primary-key or page ranges), so that whole tables get covered; 0 = the sample only." default:"0s" env:"PIIMAP_BUDGET"`
	MaxRowsPerSecond int           `name:"max-rows-per-second" help:"Throttle for reading within --budget, per table (0 = no limit)." default:"100000" env:"PIIMAP_MAX_ROWS_PER_SECOND"`
	DBConnections    int           `help:"Connections per database." default:"2" env:"PIIMAP_DB_CONNECTIONS"`
	Timeout          time.Duration `help:"Statement timeout for database queries." default:"30s" env:"PIIMAP_TIMEOUT"`
	Binary           bool          `help:"Scan binary database columns too." env:"PIIMAP_BINARY"`

	Detectors        []string `help:"Only run these detector ids (see 'piimap detectors'); repeatable." env:"PIIMAP_DETECTORS"`
	ExcludeDetectors []string `help:"Do not run these detector ids; repeatable." env:"PIIMAP_EXCLUDE_DETECTORS"`
	Workers          int      `help:"Units (files, tables) read in parallel; 0 = number of CPUs." default:"0" env:"PIIMAP_WORKERS"`
	ShowValues       bool     `help:"Show found values unmasked in the report. Off by default: reports are masked." env:"PIIMAP_SHOW_VALUES"`
	Shard            string   `help:"Scan only shard K of N (e.g. 2/5): units are split by a hash of their location, so N runs with 1/N … N/N cover everything once; combine their JSON reports with 'piimap merge'." placeholder:"K/N" env:"PIIMAP_SHARD"`
	Progress         string   `help:"Progress on stderr: auto (only when stderr is a terminal and not --quiet), always, never." default:"auto" enum:"auto,always,never" env:"PIIMAP_PROGRESS"`
	Quiet            bool     `short:"q" help:"Print nothing but the report." env:"PIIMAP_QUIET"`
}

// Run runs the scan.
func (c *ScanCmd) Run(env *Env) error {
	decl, err := loadDeclaration(env, c.Declared)
	if err != nil {
		return &exitError{code: report.ExitUsage, err: err}
	}
	var shard, shards int
	if c.Shard != "" {
		if shard, shards, err = report.ParseShard(c.Shard); err != nil {
			return &exitError{code: report.ExitUsage, err: fmt.Errorf("--shard: %w", err)}
		}
	}
	var baseline map[string]bool
	if c.Baseline != "" {
		if baseline, err = report.LoadBaseline(c.Baseline); err != nil {
			return &exitError{code: report.ExitUsage, err: err}
		}
	}
	render := report.Formats()[c.Format]
	if render == nil {
		return &exitError{code: report.ExitUsage, err: fmt.Errorf("unknown format %q", c.Format)}
	}
	archiveBytes, err := parseSize(c.MaxArchiveBytes)
	if err != nil || archiveBytes <= 0 {
		return &exitError{code: report.ExitUsage, err: fmt.Errorf("--max-archive-bytes: %q is not a positive size", c.MaxArchiveBytes)}
	}
	if c.MaxArchiveRatio <= 0 || c.MaxArchiveDepth <= 0 || c.MaxArchiveEntries <= 0 {
		return &exitError{code: report.ExitUsage, err: fmt.Errorf("--max-archive-ratio, --max-archive-depth and --max-archive-entries must be positive")}
	}
	if c.Budget < 0 || c.MaxRowsPerSecond < 0 {
		return &exitError{code: report.ExitUsage, err: fmt.Errorf("--budget and --max-rows-per-second must not be negative")}
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
		MaxArchiveBytes: archiveBytes, MaxArchiveRatio: c.MaxArchiveRatio, MaxArchiveDepth: c.MaxArchiveDepth, MaxArchiveEntries: c.MaxArchiveEntries,
		Tables: c.Tables, ExcludeTables: c.ExcludeTables, Views: c.Views, Binary: c.Binary,
		SampleRows: c.SampleRows, Full: c.Full, Timeout: c.Timeout, DBConnections: c.DBConnections,
		Budget: c.Budget, MaxRowsPerSecond: c.MaxRowsPerSecond,
	}
	cfg := scanner.Config{
		Targets: targets, Detectors: dets, Workers: c.Workers, MinConfidence: minConf,
		ShowValues: c.ShowValues, Logger: env.Logger, Open: opener(opt, env.Logger),
		Shard: shard, Shards: shards,
	}
	if k := os.Getenv("PIIMAP_FINGERPRINT_KEY"); k != "" {
		cfg.FingerprintKey = []byte(k)
	}
	ropt := report.Options{Version: env.Version, FailOn: c.FailOn, FailConfidence: c.FailConfidence, ShowValues: c.ShowValues, Baseline: baseline, BaselinePath: c.Baseline}

	// NDJSON streams findings while the scan runs, so its output opens first.
	var stream *report.NDJSONStream
	var out *reportFile
	if c.Format == "ndjson" {
		if out, err = openReport(env, c.Output); err != nil {
			return &exitError{code: report.ExitUnread, err: err}
		}
		defer out.abort()
		stream = report.NewNDJSONStream(out.w, decl, ropt)
		cfg.Stream = stream.Findings
	}
	var prog *progress
	if showProgress(c.Progress, c.Quiet, isTerminal(env.Stderr)) {
		prog = newProgress(env.Stderr, progressThrottle)
		cfg.Progress = prog.update
	}
	res, err := scanner.Scan(env.Ctx, cfg)
	prog.finish()
	if err != nil {
		return &exitError{code: report.ExitUsage, err: err}
	}
	rep := report.Build(res, decl, ropt)
	if stream != nil {
		err = stream.Finish(rep)
		if cerr := out.close(); err == nil {
			err = cerr
		}
	} else {
		err = writeReport(env, c.Output, render, rep)
	}
	if err != nil {
		return &exitError{code: report.ExitUnread, err: err}
	}
	if c.WriteBaseline != "" {
		b := report.NewBaseline(rep, time.Now())
		if err := writeFile(c.WriteBaseline, func(w io.Writer) error { return report.WriteBaseline(w, b) }); err != nil {
			return &exitError{code: report.ExitUnread, err: err}
		}
	}
	if !c.Quiet && (c.Output != "" || c.Format != "table") {
		// The table already ends with the summary; other formats get it on stderr.
		_ = report.Summarize(env.Stderr, rep)
	}
	return &exitError{code: rep.Summary.ExitCode}
}

// loadDeclaration reads the declaration at path, or ./piimap.yaml when path
// is empty and that file exists; nil when there is none.
func loadDeclaration(env *Env, path string) (*report.Declaration, error) {
	if path == "" {
		if _, err := os.Stat("piimap.yaml"); err != nil {
			return nil, nil
		}
		path = "piimap.yaml"
		env.Logger.Info("using declaration", "file", path)
	}
	return report.LoadDeclaration(path)
}

// writeReport renders rep to path (owner-only) or, when path is empty, stdout.
func writeReport(env *Env, path string, render report.Renderer, rep *report.Report) error {
	if path == "" {
		return render(env.Stdout, rep)
	}
	return writeFile(path, func(w io.Writer) error { return render(w, rep) })
}

// reportFile is an open report output: stdout, or a file readable by its
// owner only, written through a buffer.
type reportFile struct {
	w    *bufio.Writer
	f    *os.File // nil for stdout
	path string
	done bool
}

func openReport(env *Env, path string) (*reportFile, error) {
	if path == "" {
		return &reportFile{w: bufio.NewWriter(env.Stdout)}, nil
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o600)
	if err != nil {
		return nil, fmt.Errorf("write report: %w", err)
	}
	// A report that already existed keeps its old mode on open: tighten it,
	// but only for a regular file (never chmod /dev/null or a pipe).
	if st, err := f.Stat(); err == nil && st.Mode().IsRegular() && st.Mode().Perm() != 0o600 {
		if err := f.Chmod(0o600); err != nil {
			f.Close()
			return nil, fmt.Errorf("write report: %w", err)
		}
	}
	return &reportFile{w: bufio.NewWriter(f), f: f, path: path}, nil
}

// close flushes and closes the output.
func (o *reportFile) close() error {
	o.done = true
	err := o.w.Flush()
	if o.f != nil {
		if cerr := o.f.Close(); err == nil {
			err = cerr
		}
	}
	if err != nil {
		return fmt.Errorf("write report %s: %w", o.name(), err)
	}
	return nil
}

// abort closes the output if close was not called (an early return).
func (o *reportFile) abort() {
	if !o.done {
		_ = o.close()
	}
}

func (o *reportFile) name() string {
	if o.f == nil {
		return "to stdout"
	}
	return o.path
}

// writeFile writes a report file readable by its owner only.
func writeFile(path string, fill func(io.Writer) error) error {
	if path == "" {
		return fmt.Errorf("write report: no file name")
	}
	o, err := openReport(nil, path)
	if err != nil {
		return err
	}
	if err := fill(o.w); err != nil {
		o.abort()
		return fmt.Errorf("write report %s: %w", path, err)
	}
	return o.close()
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
