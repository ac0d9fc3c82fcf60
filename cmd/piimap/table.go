package main

import (
	"fmt"
	"os"
	"strconv"

	"golang.org/x/term"

	"github.com/piimap/piimap/report"
)

// renderer returns the renderer of a report format for scan and merge:
// the table sized for where it goes (output is the --output file, or ""),
// SARIF with declared and ignored findings when sarifAll is set.
func renderer(env *Env, format, output string, sarifAll bool) (report.Renderer, error) {
	switch format {
	case "table":
		return tableRenderer(env, output != ""), nil
	case "sarif":
		return report.SARIFRenderer(report.SARIFOptions{All: sarifAll}), nil
	}
	if render := report.Formats()[format]; render != nil {
		return render, nil
	}
	return nil, &exitError{code: report.ExitUsage, err: fmt.Errorf("unknown format %q", format)}
}

// tableRenderer sizes the table for where it goes: on a terminal its
// width, colours unless NO_COLOR is set (or TERM=dumb) and a row cap; in a
// pipe $COLUMNS or the default width and the row cap; in a file (--output)
// every row.
func tableRenderer(env *Env, toFile bool) report.Renderer {
	opt := report.TableOptions{}
	if f, ok := env.Stdout.(*os.File); ok && !toFile && isTerminal(f) {
		if w, _, err := term.GetSize(int(f.Fd())); err == nil && w > 0 {
			opt.Width = w
		}
		opt.Color = os.Getenv("NO_COLOR") == "" && os.Getenv("TERM") != "dumb"
	}
	if opt.Width == 0 {
		if n, err := strconv.Atoi(os.Getenv("COLUMNS")); err == nil && n > 0 {
			opt.Width = n
		}
	}
	if !toFile {
		opt.MaxRows = report.DefaultTableRows
	}
	return report.TableRenderer(opt)
}
