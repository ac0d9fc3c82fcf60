package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"strings"

	"golang.org/x/term"

	"github.com/piimap/piimap/scanner"
	"github.com/piimap/piimap/sources"
	"github.com/piimap/piimap/sources/files"
	"github.com/piimap/piimap/sources/formats"
	"github.com/piimap/piimap/sources/mysql"
	"github.com/piimap/piimap/sources/postgres"
	"github.com/piimap/piimap/sources/smb"
	"github.com/piimap/piimap/sources/sqlite"
)

// opener picks the source for a target by its scheme: postgres://,
// mysql:// and mariadb://, smb://, sqlite:PATH, else a local path. Local
// trees and shares read archives, documents and SQLite files they contain.
//
// The target "-" is standard input (stdin), named stdinName in the report.
func opener(opt sources.Options, log *slog.Logger, stdin io.Reader, stdinName string) scanner.OpenFunc {
	return func(ctx context.Context, target string) (sources.Source, error) {
		if target == files.StdinTarget {
			if stdin == nil {
				return nil, errors.New("standard input: none to read")
			}
			return files.NewStreamSource(stdin, stdinName, opt, log, formats.Options()...), nil
		}
		switch scheme(target) {
		case "postgres", "postgresql":
			return postgres.New(ctx, target, opt, log)
		case "mysql", "mariadb":
			return mysql.New(ctx, target, opt, log)
		case "smb":
			return smb.New(ctx, target, opt, log, promptPassword, formats.Options()...)
		}
		if len(target) > len(sqlite.Scheme) && strings.EqualFold(target[:len(sqlite.Scheme)], sqlite.Scheme) {
			return sqlite.New(ctx, target, opt, log)
		}
		return files.New(target, opt, log, formats.Options()...)
	}
}

// scheme returns the lower-case URL scheme of target, or "" for a path.
func scheme(target string) string {
	i := strings.Index(target, "://")
	if i <= 0 {
		return ""
	}
	return strings.ToLower(target[:i])
}

// errNoTerminal: a password is needed and there is no terminal to ask on.
var errNoTerminal = errors.New("no password given (set " + smb.PasswordEnv + " or put it in the URL) and no terminal to ask on")

// promptPassword asks for a password on the terminal, without echo. It
// fails when stdin is not a terminal (CI, pipes): a scan never hangs
// waiting for input.
func promptPassword(prompt string) (string, error) {
	fd := int(os.Stdin.Fd())
	if !term.IsTerminal(fd) {
		return "", errNoTerminal
	}
	fmt.Fprint(os.Stderr, prompt)
	b, err := term.ReadPassword(fd)
	fmt.Fprintln(os.Stderr)
	if err != nil {
		return "", fmt.Errorf("read password: %w", err)
	}
	return string(b), nil
}
