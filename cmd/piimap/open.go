package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/url"
	"os"
	"slices"
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
//
// A directory's files are located by their paths relative to it
// (file:logs/app.log for the target "."), unless targets holds more than
// one local path: then each is located by its path as given on the
// command line (file:svc-a/logs/app.log), as a file target is, so that
// two directories' files with the same relative path keep apart.
func opener(opt sources.Options, log *slog.Logger, stdin io.Reader, stdinName string, targets []string) scanner.OpenFunc {
	var fopts []files.Option
	if len(slices.DeleteFunc(slices.Clone(targets), func(t string) bool { return !localPath(t) })) > 1 {
		fopts = append(fopts, files.WithTargetPrefix())
	}
	fopts = append(fopts, formats.Options()...)
	return func(ctx context.Context, target string) (sources.Source, error) {
		if target == files.StdinTarget {
			if stdin == nil {
				return nil, errors.New("standard input: none to read")
			}
			return files.NewStreamSource(stdin, stdinName, opt, log, formats.Options()...), nil
		}
		switch scheme(target) {
		case "postgres", "postgresql":
			return withPasswordPrompt(target, []string{"PIIMAP_DB_PASSWORD", "PGPASSWORD"}, func(t string) (sources.Source, error) { return postgres.New(ctx, t, opt, log) }, promptPassword)
		case "mysql", "mariadb":
			return withPasswordPrompt(target, []string{"PIIMAP_DB_PASSWORD", "MYSQL_PWD"}, func(t string) (sources.Source, error) { return mysql.New(ctx, t, opt, log) }, promptPassword)
		case "smb":
			return smb.New(ctx, target, opt, log, promptPassword, formats.Options()...)
		}
		if isSQLite(target) {
			return sqlite.New(ctx, target, opt, log)
		}
		return files.New(target, opt, log, fopts...)
	}
}

// isSQLite reports whether target is a sqlite:PATH target.
func isSQLite(target string) bool {
	return len(target) > len(sqlite.Scheme) && strings.EqualFold(target[:len(sqlite.Scheme)], sqlite.Scheme)
}

// localPath reports whether target is a local file or directory: not
// standard input, a URL or a sqlite: target.
func localPath(target string) bool {
	return target != files.StdinTarget && scheme(target) == "" && !isSQLite(target)
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

// A database password is asked for only on a terminal; PostgreSQL also
// reads PGPASSWORD and ~/.pgpass.

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

// withPasswordPrompt opens a database target; when the server refuses it
// for want of a password, the URL has none (nor envVars), and a terminal is
// attached, it asks for the password, as for SMB, and tries once more. The
// password goes into the connection only, never into a location or a
// message.
func withPasswordPrompt(target string, envVars []string, open func(string) (sources.Source, error), prompt func(string) (string, error)) (sources.Source, error) {
	src, err := open(target)
	if err == nil || !needsPassword(err) {
		return src, err
	}
	u, perr := url.Parse(target)
	if perr != nil {
		return nil, err
	}
	if _, has := u.User.Password(); has {
		return nil, err
	}
	for _, v := range envVars {
		if os.Getenv(v) != "" {
			return nil, err
		}
	}
	user := u.User.Username()
	who := sources.CleanTarget(target)
	if user != "" {
		who = user + " at " + who
	}
	pw, perr := prompt("Password for " + who + ": ")
	if perr != nil {
		if errors.Is(perr, errNoTerminal) {
			return nil, err // CI: the server's refusal says it all
		}
		return nil, fmt.Errorf("%w (%v)", err, perr)
	}
	u.User = url.UserPassword(user, pw)
	return open(u.String())
}

// needsPassword reports whether a connection error is the server asking
// for a (right) password: PostgreSQL 28P01 / "no password supplied",
// MySQL/MariaDB 1045 "Access denied".
func needsPassword(err error) bool {
	s := strings.ToLower(err.Error())
	for _, k := range []string{"password authentication failed", "no password supplied", "28p01", "access denied for user", "error 1045"} {
		if strings.Contains(s, k) {
			return true
		}
	}
	return false
}
