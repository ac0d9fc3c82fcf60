package dbcommon

import (
	"context"
	"fmt"
	"log/slog"

	"github.com/piimap/piimap/sources"
)

// Errorf formats an error about a database target, "kind target: …",
// with every error argument scrubbed of the secrets (see Scrub).
func Errorf(kind, target string, secrets []string, format string, args ...any) error {
	for i, a := range args {
		if err, ok := a.(error); ok {
			args[i] = Scrub(err, secrets...)
		}
	}
	return fmt.Errorf(kind+" %s: "+format, append([]any{target}, args...)...)
}

// YieldTables ends the Units of a database source. listErr is the error
// of listing the tables: when set, it returns ctx's error if ctx ended and
// otherwise errorf("list tables: %w", listErr). Else it logs how many
// tables target has and hands them to yield in order, stopping when yield
// returns false (nil) or when ctx ends (ctx's error).
func YieldTables[U sources.Unit](ctx context.Context, log *slog.Logger, target string, errorf func(format string, args ...any) error,
	tables []U, listErr error, yield func(sources.Unit) bool) error {
	if listErr != nil {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		return errorf("list tables: %w", listErr)
	}
	log.Debug("listed tables", "target", target, "tables", len(tables))
	for _, t := range tables {
		if err := ctx.Err(); err != nil {
			return err
		}
		if !yield(t) {
			return nil
		}
	}
	return nil
}

// StartRead returns the Reader of the table at loc with columns cols and
// reports the binary columns that are not scanned as skipped.
func StartRead(sink sources.Sink, loc sources.Location, cols []Col, chunkSize int) *Reader {
	for _, c := range cols {
		if c.Class == Binary && !c.Scan {
			sink.Skipped(c.Loc, "binary column")
		}
	}
	return NewReader(sink, loc, cols, chunkSize)
}

// EndRead announces what rd read (see Reader.Finish), with method "failed"
// when the read chose none. A nil rd (the read failed before its columns
// were known) announces nothing.
func EndRead(rd *Reader, method string, estimated int64, failed bool) {
	if rd == nil {
		return
	}
	if method == "" {
		method = "failed"
	}
	rd.Finish(method, estimated, failed)
}
