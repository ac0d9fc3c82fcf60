package main

import (
	"context"
	"log/slog"
	"strings"

	"github.com/piimap/piimap/scanner"
	"github.com/piimap/piimap/sources"
	"github.com/piimap/piimap/sources/files"
	"github.com/piimap/piimap/sources/mysql"
	"github.com/piimap/piimap/sources/postgres"
)

// opener picks the source for a target by its scheme.
func opener(opt sources.Options, log *slog.Logger) scanner.OpenFunc {
	return func(ctx context.Context, target string) (sources.Source, error) {
		switch scheme(target) {
		case "postgres", "postgresql":
			return postgres.New(ctx, target, opt, log)
		case "mysql", "mariadb":
			return mysql.New(ctx, target, opt, log)
		}
		return files.New(target, opt, log)
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
