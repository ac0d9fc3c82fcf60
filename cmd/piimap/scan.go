package main

import (
	"bufio"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
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
	Targets   []string `arg:"" optional:"" help:"Paths, postgres://, mysql://, mariadb://, smb://, sqlite: targets, or - for standard input. Default: the current directory." env:"PIIMAP_TARGETS"`
	StdinName string   `help:"Name of the content read from standard input (target -) in the report: file:NAME; its extension tells the format." default:"stdin" env:"PIIMAP_STDIN_NAME"`

	Declared       string   `short:"d" help:"Declaration file (default: ./piimap.yaml when it exists)." type:"path" env:"PIIMAP_DECLARED"`
	Rules          []string `help:"User-defined detectors: a YAML file with a 'detectors:' list (the same format as in piimap.yaml); repeatable." type:"path" placeholder:"FILE" env:"PIIMAP_RULES"`
	Format         string   `short:"f" help:"Report format: ${enum}." default:"table" enum:"table,json,ndjson,csv,sarif,markdown,html" env:"PIIMAP_FORMAT"`
	Output         string   `short:"o" help:"Write the report to FILE (mode 0600) instead of stdout (- for stdout)." type:"path" env:"PIIMAP_OUTPUT"`
	FailOn         string   `help:"Which verdicts fail the run (exit 1): undeclared (undeclared and misplaced), any (every finding not ignored), never." default:"undeclared" enum:"undeclared,any,never" env:"PIIMAP_FAIL_ON"`
	FailConfidence string   `help:"Findings below this confidence are reported with their verdict but do not fail the run: low, medium, high." default:"medium" enum:"low,medium,high" env:"PIIMAP_FAIL_CONFIDENCE"`
	Baseline       string   `help:"Accept the findings of a baseline (a JSON report or a file from --write-baseline / 'piimap baseline'): they get the verdict ignored, so only new findings fail." type:"path" env:"PIIMAP_BASELINE"`
	WriteBaseline  string   `help:"Also write a baseline of this scan's findings (all but declared) and of their values (keyed fingerprints, never the values) to FILE, for --baseline in later runs. Creates the fingerprint key file when no key exists." type:"path" env:"PIIMAP_WRITE_BASELINE"`
	KeyFile        string   `name:"fingerprint-key-file" help:"File holding the project's fingerprint key, used when PIIMAP_FINGERPRINT_KEY is not set (default: .piimap/fingerprint.key beside the declaration, else in the working directory)." type:"path" env:"PIIMAP_FINGERPRINT_KEY_FILE"`
	MinConfidence  string   `help:"Report only findings at or above: low, medium, high." default:"low" enum:"low,medium,high" env:"PIIMAP_MIN_CONFIDENCE"`
	Include        []string `help:"Only scan files whose relative path or name matches a glob (**, *, ?, [..]); repeatable." env:"PIIMAP_INCLUDE"`
	Exclude        []string `help:"Skip files whose relative path or name matches a glob; repeatable." env:"PIIMAP_EXCLUDE"`
	MaxFileSize    string   `help:"Skip files larger than this (e.g. 500MB, 2GiB; 0 = no limit)." default:"0" env:"PIIMAP_MAX_FILE_SIZE"`
	FollowSymlinks bool     `help:"Follow symlinks that point out of the scanned tree." env:"PIIMAP_FOLLOW_SYMLINKS"`
	NoNames        bool     `help:"Do not read the names of files and directories as values. By default each directory's entry names are scanned like a column ('file:hr/#(file names)'): contracts named by fødselsnummer are found." env:"PIIMAP_NO_NAMES"`
	KeepTestPaths  bool     `help:"Grade findings in test fixture paths (testdata/, fixtures/, tests/, *_test.go, …) like any other. By default they are labelled test_data and graded low." env:"PIIMAP_KEEP_TEST_PATHS"`

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
	DatabaseBudget   time.Duration `help:"Time for reading beyond the samples for all tables of one database target together (first come, first served); tables that start later keep their sample; 0 = no such limit." default:"0s" env:"PIIMAP_DATABASE_BUDGET"`
	MaxRowsPerSecond int           `name:"max-rows-per-second" help:"Throttle for reading within --budget or --database-budget, per database target: tables read at once share it (0 = no limit)." default:"100000" env:"PIIMAP_MAX_ROWS_PER_SECOND"`
	DBConnections    int           `help:"Connections per database." default:"2" env:"PIIMAP_DB_CONNECTIONS"`
	Timeout          time.Duration `help:"Statement timeout for database queries." default:"30s" env:"PIIMAP_TIMEOUT"`
	SMBTimeout       time.Duration `name:"smb-timeout" help:"Timeout for connecting to an SMB server (dial and log-in)." default:"30s" env:"PIIMAP_SMB_TIMEOUT"`
	Binary           bool          `help:"Scan binary database columns too." env:"PIIMAP_BINARY"`

	Detectors        []string `help:"Only run these detector ids (see 'piimap detectors', custom ones and column_name included); repeatable." env:"PIIMAP_DETECTORS"`
	ExcludeDetectors []string `help:"Do not run these detector ids (column_name: no findings from column names alone); repeatable." env:"PIIMAP_EXCLUDE_DETECTORS"`
	Workers          int      `help:"Units (files, tables) read in parallel; 0 = number of CPUs." default:"0" env:"PIIMAP_WORKERS"`
	ShowValues       bool     `help:"Show found values unmasked in the report. Off by default: reports are masked." env:"PIIMAP_SHOW_VALUES"`
	Shard            string   `help:"Scan only shard K of N (e.g. 2/5): units are split by a hash of their location, so N runs with 1/N … N/N cover everything once; combine their JSON reports with 'piimap merge'." placeholder:"K/N" env:"PIIMAP_SHARD"`
	Progress         string   `help:"Progress on stderr: auto (only when stderr is a terminal and not --quiet), always, never." default:"auto" enum:"auto,always,never" env:"PIIMAP_PROGRESS"`
	Quiet            bool     `short:"q" help:"Print nothing but the report." env:"PIIMAP_QUIET"`
	Compare          string   `help:"Compare with an earlier JSON report: what is new, gone and changed, in the JSON, Markdown and HTML reports (see also 'piimap diff')." type:"existingfile" placeholder:"OLD.json" env:"PIIMAP_COMPARE"`
	SARIFAll         bool     `name:"sarif-all" help:"SARIF: also write declared findings (as passes) and ignored ones (suppressed); by default only what needs action is a result." env:"PIIMAP_SARIF_ALL"`
}

// Run runs the scan.
func (c *ScanCmd) Run(env *Env) error {
	c.Output = stdoutDash(c.Output)
	if c.Quiet && !env.Logger.Enabled(env.Ctx, slog.LevelInfo) {
		// --quiet prints nothing but the report, unless diagnostics were
		// asked for with --log-level info or debug.
		e := *env
		e.Logger = slog.New(slog.DiscardHandler)
		env = &e
	}
	rules, err := loadRules(c.Rules)
	if err != nil {
		return &exitError{code: report.ExitUsage, err: err}
	}
	decl, err := findDeclaration(env, c.Declared, c.Targets, rules)
	if err != nil {
		return &exitError{code: report.ExitUsage, err: err}
	}
	if decl == nil && !c.Quiet {
		fmt.Fprintln(env.Stderr, noDeclarationNote(c.Targets))
	}
	var shard, shards int
	if c.Shard != "" {
		if shard, shards, err = report.ParseShard(c.Shard); err != nil {
			return &exitError{code: report.ExitUsage, err: fmt.Errorf("--shard: %w", err)}
		}
	}
	declPath := ""
	if decl != nil {
		declPath = decl.Path
	}
	keyPath := keyFilePath(c.KeyFile, declPath)
	key, err := loadProjectKey(env, keyPath, c.WriteBaseline != "")
	if err != nil {
		return &exitError{code: report.ExitUsage, err: err}
	}
	var baseline *report.BaselineSet
	if c.Baseline != "" {
		if baseline, err = report.LoadBaseline(c.Baseline); err != nil {
			return &exitError{code: report.ExitUsage, err: err}
		}
		if err := checkBaselineKey(baseline, c.Baseline, key); err != nil {
			return &exitError{code: report.ExitUsage, err: err}
		}
	}
	render, err := renderer(env, c.Format, c.Output, c.SARIFAll)
	if err != nil {
		return err
	}
	archiveBytes, err := parseSize(c.MaxArchiveBytes)
	if err != nil || archiveBytes <= 0 {
		return &exitError{code: report.ExitUsage, err: fmt.Errorf("--max-archive-bytes: %q is not a positive size", c.MaxArchiveBytes)}
	}
	if c.MaxArchiveRatio <= 0 || c.MaxArchiveDepth <= 0 || c.MaxArchiveEntries <= 0 {
		return &exitError{code: report.ExitUsage, err: fmt.Errorf("--max-archive-ratio, --max-archive-depth and --max-archive-entries must be positive")}
	}
	if c.Budget < 0 || c.DatabaseBudget < 0 || c.MaxRowsPerSecond < 0 {
		return &exitError{code: report.ExitUsage, err: fmt.Errorf("--budget, --database-budget and --max-rows-per-second must not be negative")}
	}
	maxSize, err := parseSize(c.MaxFileSize)
	if err != nil {
		return &exitError{code: report.ExitUsage, err: fmt.Errorf("--max-file-size: %w", err)}
	}
	minConf, _ := detectors.ParseConfidence(c.MinConfidence)
	dets, columnNames, unknown := selectDetectors(allDetectors(decl, rules), c.Detectors, c.ExcludeDetectors)
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
	// piimap's own directory (the fingerprint key) is never scanned.
	exclude := append(slices.Clone(c.Exclude), keyDirName)
	opt := sources.Options{
		Include: c.Include, Exclude: exclude, MaxFileSize: maxSize, FollowSymlinks: c.FollowSymlinks, Names: !c.NoNames,
		MaxArchiveBytes: archiveBytes, MaxArchiveRatio: c.MaxArchiveRatio, MaxArchiveDepth: c.MaxArchiveDepth, MaxArchiveEntries: c.MaxArchiveEntries,
		Tables: c.Tables, ExcludeTables: c.ExcludeTables, Views: c.Views, Binary: c.Binary,
		SampleRows: c.SampleRows, Full: c.Full, Timeout: c.Timeout, DBConnections: c.DBConnections, ConnectTimeout: c.SMBTimeout,
		SkipFiles: configFiles(decl, append(slices.Clone(c.Rules), keyPath)), // the key file too, wherever it is
		Budget:    c.Budget, DatabaseBudget: c.DatabaseBudget, MaxRowsPerSecond: c.MaxRowsPerSecond,
	}
	cfg := scanner.Config{
		Targets: targets, Detectors: dets, Workers: c.Workers, MinConfidence: minConf,
		ShowValues: c.ShowValues, Logger: env.Logger, Open: opener(opt, env.Logger, env.Stdin, c.StdinName, targets),
		Shard: shard, Shards: shards, KeepTestPaths: c.KeepTestPaths, NoColumnNames: !columnNames,
	}
	cfg.FingerprintKey, cfg.ValueKey = key.locationKey(), key.valueKey()
	ran := report.DetectorInfos(dets)
	if columnNames {
		ran = append(ran, report.ColumnNameDetector)
	}
	ropt := report.Options{Version: env.Version, FailOn: c.FailOn, FailConfidence: c.FailConfidence, ShowValues: c.ShowValues,
		Baseline: baseline, BaselinePath: c.Baseline, ValueKeyID: scanner.KeyID(cfg.ValueKey), Detectors: ran}
	for _, r := range rules {
		ropt.Custom = append(ropt.Custom, r.Info()...)
	}
	if !c.ShowValues {
		// Every built-in detector masks paths, also those --detectors
		// left out of the scan: a name must not show what a narrower scan
		// did not look for.
		maskers := detectors.All()
		for _, d := range dets {
			if !slices.ContainsFunc(maskers, func(b detectors.Detector) bool { return b.ID() == d.ID() }) {
				maskers = append(maskers, d)
			}
		}
		ropt.MaskPath = scanner.NewPathMasker(maskers).Mask
	}

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
		prog.mask = ropt.MaskPath
		cfg.Progress = prog.update
	}
	// The earlier report is read before the scan: a bad one fails at once,
	// not after a long database scan.
	var older *report.Report
	if c.Compare != "" {
		if older, err = report.ReadJSON(c.Compare); err != nil {
			return &exitError{code: report.ExitUsage, err: fmt.Errorf("--compare: %w", err)}
		}
	}
	res, err := scanner.Scan(env.Ctx, cfg)
	prog.finish()
	if err != nil {
		return &exitError{code: report.ExitUsage, err: err}
	}
	rep := report.Build(res, decl, ropt)
	if older != nil {
		rep.Comparison = report.Compare(c.Compare, older, "this scan", rep)
	}
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

// findDeclaration reads the declaration at path; when path is empty,
// ./piimap.yaml, else piimap.yaml in the scanned directory (the first local
// directory target that has one); nil when there is none.
func findDeclaration(env *Env, path string, targets []string, rules []*report.Rules) (*report.Declaration, error) {
	if path != "" {
		return loadDeclaration(env, path, rules)
	}
	if _, err := os.Stat("piimap.yaml"); err == nil {
		return loadDeclaration(env, "", rules)
	}
	for _, t := range targets {
		if t == "-" || strings.Contains(t, "://") || strings.HasPrefix(t, "sqlite:") {
			continue
		}
		p := filepath.Join(t, "piimap.yaml")
		if st, err := os.Stat(p); err == nil && st.Mode().IsRegular() {
			env.Logger.Info("using declaration", "file", p)
			return loadDeclaration(env, p, rules)
		}
	}
	return nil, nil
}

// isFile reports whether path names a regular file (not a folder to look
// for piimap.yaml in).
func isFile(path string) bool {
	st, err := os.Stat(path)
	return err == nil && st.Mode().IsRegular()
}

// noDeclarationNote is said once on stderr when no declaration was found.
func noDeclarationNote(targets []string) string {
	where := "the working directory"
	var local []string
	for _, t := range targets {
		if t != "-" && !strings.Contains(t, "://") && !strings.HasPrefix(t, "sqlite:") && t != "." && !isFile(t) {
			local = append(local, sources.Redact(t)) // a mistyped URL may hold a password
		}
	}
	if len(local) > 0 {
		where += " or in " + strings.Join(local, ", ")
	}
	return "piimap: no declaration: no piimap.yaml in " + where + ", so every finding is undeclared. " +
		"Next: draft one from your privacy policy with 'piimap declare POLICY.txt -o piimap.yaml' and review it, " +
		"or accept today's findings with '--write-baseline piimap-baseline.json' (then pass --baseline). See 'piimap help declaration'."
}

// loadDeclarationAndRules reads the --rules files and the declaration at
// path (or ./piimap.yaml) with them; a bad one is a usage error (exit 2).
func loadDeclarationAndRules(env *Env, path string, rulePaths []string) (*report.Declaration, []*report.Rules, error) {
	rules, err := loadRules(rulePaths)
	if err != nil {
		return nil, nil, &exitError{code: report.ExitUsage, err: err}
	}
	decl, err := loadDeclaration(env, path, rules)
	if err != nil {
		return nil, nil, &exitError{code: report.ExitUsage, err: err}
	}
	return decl, rules, nil
}

// loadDeclaration reads the declaration at path, or ./piimap.yaml when path
// is empty and that file exists; nil when there is none. Its categories may
// be those of the custom detectors in rules.
func loadDeclaration(env *Env, path string, rules []*report.Rules) (*report.Declaration, error) {
	if path == "" {
		if _, err := os.Stat("piimap.yaml"); err != nil {
			return nil, nil
		}
		path = "piimap.yaml"
		env.Logger.Info("using declaration", "file", path)
	}
	var extra []detectors.Detector
	for _, r := range rules {
		extra = append(extra, r.Detectors...)
	}
	return report.LoadDeclarationWith(path, extra)
}

// configFiles returns the absolute paths (as written and with symbolic
// links resolved) of the declaration, rules and key files, which a scan
// skips.
func configFiles(decl *report.Declaration, rules []string) []string {
	paths := rules
	if decl != nil {
		paths = append([]string{decl.Path}, rules...)
	}
	var out []string
	for _, p := range paths {
		if abs, err := filepath.Abs(p); err == nil {
			out = append(out, abs)
			if real, err := filepath.EvalSymlinks(abs); err == nil && real != abs {
				out = append(out, real)
			}
		}
	}
	return out
}

// loadRules reads the --rules files; a detector id may be defined once.
func loadRules(paths []string) ([]*report.Rules, error) {
	var out []*report.Rules
	var taken []detectors.Detector
	for _, p := range paths {
		r, err := report.LoadRules(p, taken)
		if err != nil {
			return nil, err
		}
		taken = append(taken, r.Detectors...)
		out = append(out, r)
	}
	return out, nil
}

// allDetectors returns the built-in detectors, then the declaration's
// custom ones, then those of the --rules files.
func allDetectors(decl *report.Declaration, rules []*report.Rules) []detectors.Detector {
	all := detectors.All()
	if decl != nil && decl.Custom != nil {
		all = append(all, decl.Custom.Detectors...)
	}
	for _, r := range rules {
		all = append(all, r.Detectors...)
	}
	return all
}

// selectDetectors is detectors.Select that also knows column_name, the
// rule that reports columns by their names: it runs when include is empty
// or names it, unless exclude names it.
func selectDetectors(all []detectors.Detector, include, exclude []string) (dets []detectors.Detector, columnNames bool, unknown []string) {
	strip := func(ids []string) (rest []string, had bool) {
		for _, id := range ids {
			if id == report.SARIFColumnRule {
				had = true
				continue
			}
			rest = append(rest, id)
		}
		return rest, had
	}
	inc, incCol := strip(include)
	exc, excCol := strip(exclude)
	columnNames = (len(include) == 0 || incCol) && !excCol
	if len(include) > 0 && len(inc) == 0 {
		return nil, columnNames, nil // only column_name
	}
	dets, unknown = detectors.Select(all, inc, exc)
	return dets, columnNames, unknown
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
// stdoutDash returns "" (standard output) for the output file "-", as
// other tools read it, and any other path as it is.
func stdoutDash(path string) string {
	if path == "-" {
		return ""
	}
	return path
}

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
