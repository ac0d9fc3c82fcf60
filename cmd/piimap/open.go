package main

import (
	"context"
	"log/slog"

	"github.com/piimap/piimap/scanner"
	"github.com/piimap/piimap/sources"
	"github.com/piimap/piimap/sources/files"
)

// opener picks the source for a target by its scheme.
func opener(opt sources.Options, log *slog.Logger) scanner.OpenFunc {
	return func(ctx context.Context, target string) (sources.Source, error) {
		return files.New(target, opt, log)
	}
}
