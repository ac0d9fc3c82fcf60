// Command piimap finds personal data in files, logs, databases and file
// shares, and reports where it lives compared with the categories an
// organisation declares. This package is wiring only: the CLI (kong) on top
// of the scanner, sources, detectors and report packages.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"syscall"

	"github.com/alecthomas/kong"
)

// version is set at build time with -ldflags "-X main.version=…".
var version = "dev"

// CLI is the command line.
type CLI struct {
	Scan       ScanCmd       `cmd:"" help:"Scan targets: paths, postgres://, mysql://, smb://, sqlite: (default: the current directory)."`
	Declare    DeclareCmd    `cmd:"" help:"Draft a declaration (piimap.yaml) from privacy-policy text."`
	Merge      MergeCmd      `cmd:"" help:"Combine JSON reports (e.g. the shards of a --shard K/N scan) into one and judge it again."`
	Baseline   BaselineCmd   `cmd:"" help:"Write a baseline (accepted findings) from a JSON report, for --baseline."`
	Diff       DiffCmd       `cmd:"" help:"Compare two JSON reports (audits): what is new, gone and changed."`
	Detectors  DetectorsCmd  `cmd:"" help:"List detectors, categories, examples and context words."`
	Version    VersionCmd    `cmd:"" help:"Print the version, the module version and the VCS revision it was built from."`
	Completion CompletionCmd `cmd:"" help:"Print a shell completion script: bash, zsh or fish."`
	Help       HelpCmd       `cmd:"" help:"Explain a topic (baselines, declaration, formats, sarif, exit-codes, keys, ci, ignore, stdin) or a command."`

	VersionFlag kong.VersionFlag `name:"version" help:"Print the version and exit."`
	LogLevel    string           `help:"Diagnostics on stderr: debug, info, warn, error." default:"warn" enum:"debug,info,warn,error" env:"PIIMAP_LOG_LEVEL"`
}

// exitError carries an exit code out of a command.
type exitError struct {
	code int
	err  error
}

func (e *exitError) Error() string {
	if e.err == nil {
		return fmt.Sprintf("exit %d", e.code)
	}
	return e.err.Error()
}

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	governMemory(ctx)
	code := runWith(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// run parses args and runs the command with no standard input, returning
// the exit code.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	return runWith(ctx, args, strings.NewReader(""), stdout, stderr)
}

// newParser builds the kong parser of cli.
func newParser(cli *CLI, stdout, stderr io.Writer) (*kong.Kong, error) {
	return kong.New(cli,
		kong.Writers(stdout, stderr),
		kong.Name("piimap"),
		kong.Description("Find personal data in files, logs, databases and file shares, and compare it with what your privacy policy declares."),
		kong.UsageOnError(),
		kong.Exit(func(code int) { panic(exitPanic(code)) }),
		kong.Vars{"version": versionString(version)},
	)
}

// runWith is run with standard input (scanned by the target "-").
func runWith(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	var cli CLI
	parser, err := newParser(&cli, stdout, stderr)
	if err != nil {
		fmt.Fprintln(stderr, "piimap:", err)
		return 2
	}
	code := -1
	func() {
		defer func() {
			if r := recover(); r != nil {
				if c, ok := r.(exitPanic); ok {
					code = int(c)
					return
				}
				panic(r)
			}
		}()
		if len(args) == 0 {
			args = []string{"--help"} // bare piimap: the usage
		}
		kctx, perr := parser.Parse(args)
		if perr != nil {
			parser.Errorf("%s", perr)
			code = 2
			return
		}
		env := &Env{Ctx: ctx, Stdin: stdin, Stdout: stdout, Stderr: stderr, Version: version, Logger: newLogger(stderr, cli.LogLevel), parser: parser}
		err = kctx.Run(env)
	}()
	if code >= 0 {
		return code
	}
	if err != nil {
		var ee *exitError
		if errors.As(err, &ee) {
			if ee.err != nil {
				fmt.Fprintln(stderr, "piimap:", ee.err)
			}
			return ee.code
		}
		fmt.Fprintln(stderr, "piimap:", err)
		return 2
	}
	return 0
}

type exitPanic int
