package dbtest

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/piimap/piimap/sources"
)

// CheckColumns asserts that every column in want (keyed by path) was
// announced at loc(path) as a table column with want's type, rows and
// non-null count.
func CheckColumns(t testing.TB, rec *Recorder, loc func(path string) string, want map[string]sources.Column) {
	t.Helper()
	for path, w := range want {
		c, ok := rec.Columns[loc(path)]
		if !ok {
			t.Errorf("column %s not announced", path)
			continue
		}
		if c.Type != w.Type || c.Rows != w.Rows || c.NonNull != w.NonNull || c.Loc.Field == "" || !c.Loc.Table {
			t.Errorf("column %s = %+v, want type %q rows %d nonnull %d", path, c, w.Type, w.Rows, w.NonNull)
		}
	}
}

// CheckTables asserts the statistics of every table in want (keyed by
// path) at loc(path): method, rows and estimate, and that it was reported
// scanned with those rows.
func CheckTables(t testing.TB, rec *Recorder, loc func(path string) string, want map[string]sources.Table) {
	t.Helper()
	for path, w := range want {
		tb := rec.Tables[loc(path)]
		if tb.Method != w.Method || tb.Rows != w.Rows || tb.Estimated != w.Estimated {
			t.Errorf("table %s = %+v, want %+v", path, tb, w)
		}
		if rows, ok := rec.ScannedRows[loc(path)]; !ok || rows != w.Rows {
			t.Errorf("Scanned(%s) = %d, %v", path, rows, ok)
		}
	}
}

// Spread counts the integer ids below total/4 (lo) and above total×3/4
// (hi): a sample spread over the table has both. An id that does not
// parse counts in neither.
func Spread(ids []string, total int) (lo, hi int) {
	for _, v := range ids {
		var id int
		if _, err := fmt.Sscan(v, &id); err != nil {
			continue
		}
		if id < total/4 {
			lo++
		}
		if id > total*3/4 {
			hi++
		}
	}
	return lo, hi
}

// OpenFails asserts that opening rawURL with opt fails with an error that
// names target and cause (either may be empty) and contains none of the
// secrets.
func OpenFails(t testing.TB, open Opener, rawURL string, opt sources.Options, target, cause string, secrets ...string) {
	t.Helper()
	src, err := open(context.Background(), rawURL, opt, nil)
	if err == nil {
		src.Close()
		t.Fatalf("opening %s did not fail", target)
	}
	msg := err.Error()
	for _, s := range secrets {
		if strings.Contains(msg, s) {
			t.Errorf("error leaks a password: %s", msg)
		}
	}
	if !strings.Contains(msg, target) || !strings.Contains(msg, cause) {
		t.Errorf("error does not name the target %q or the cause %q: %s", target, cause, msg)
	}
}

// MustOpen opens rawURL with opt, failing the test fatally with how (what
// should have made it work) when it does not; the source is closed when
// the test ends.
func MustOpen(t testing.TB, open Opener, rawURL string, opt sources.Options, how string) sources.Source {
	t.Helper()
	src, err := open(context.Background(), rawURL, opt, nil)
	if err != nil {
		t.Fatalf("%s: %v", how, err)
	}
	t.Cleanup(func() { src.Close() })
	return src
}

// Unchanged asserts that every checksum in before is the same in after:
// the scan wrote nothing.
func Unchanged(t testing.TB, before, after map[string]string) {
	t.Helper()
	for k, v := range before {
		if after[k] != v {
			t.Errorf("%s changed by the scan", k)
		}
	}
}
