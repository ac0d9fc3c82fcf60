package dbcommon

import (
	"context"
	"errors"
	"log/slog"
	"slices"
	"strings"
	"testing"

	"github.com/piimap/piimap/internal/dbtest"
	"github.com/piimap/piimap/sources"
)

func TestErrorf(t *testing.T) {
	cause := errors.New("login for scan:Pa%ss failed")
	err := Errorf("postgres", "postgres://h:5432/db%41", []string{"Pa%ss"}, "read %s: %w", "public.t", cause)
	want := "postgres postgres://h:5432/db%41: read public.t: login for scan:*** failed"
	if err.Error() != want {
		t.Errorf("Errorf = %q, want %q", err, want)
	}
	// Nothing scrubbed: the cause still unwraps.
	err = Errorf("mysql", "mysql://h:3306", []string{"absent"}, "connect: %w", cause)
	if !errors.Is(err, cause) || !strings.HasPrefix(err.Error(), "mysql mysql://h:3306: connect: ") {
		t.Errorf("Errorf = %v, want it to wrap the cause", err)
	}
}

// unit is a named unit that reads nothing.
type unit struct{ loc sources.Location }

func (u unit) Location() sources.Location               { return u.loc }
func (u unit) Size() int64                              { return -1 }
func (u unit) Read(context.Context, sources.Sink) error { return nil }

func TestYieldTables(t *testing.T) {
	log := slog.New(slog.DiscardHandler)
	var tables []unit
	for _, p := range []string{"a", "b", "c"} {
		tables = append(tables, unit{sources.Location{Target: "x", Path: p, Table: true}})
	}
	errorf := func(format string, args ...any) error {
		return Errorf("postgres", "x", []string{"pw"}, format, args...)
	}
	var got []string
	err := YieldTables(context.Background(), log, "x", errorf, tables, nil, func(u sources.Unit) bool {
		got = append(got, u.Location().Path)
		return len(got) < 2
	})
	if err != nil || !slices.Equal(got, []string{"a", "b"}) {
		t.Errorf("stopped by yield: %v, %v; want a, b and no error", got, err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	got = nil
	err = YieldTables(ctx, log, "x", errorf, tables, nil, func(u sources.Unit) bool {
		got = append(got, u.Location().Path)
		cancel()
		return true
	})
	if !errors.Is(err, context.Canceled) || !slices.Equal(got, []string{"a"}) {
		t.Errorf("cancelled: %v, %v; want a and context.Canceled", got, err)
	}
	// A failed listing yields nothing: the wrapped, scrubbed error, or
	// ctx's error once ctx ended.
	listErr := errors.New("denied for pw")
	yieldNone := func(u sources.Unit) bool { t.Errorf("yielded %s after a failed listing", u.Location()); return true }
	err = YieldTables(context.Background(), log, "x", errorf, tables, listErr, yieldNone)
	if err == nil || err.Error() != "postgres x: list tables: denied for ***" {
		t.Errorf("failed listing: %v", err)
	}
	if err := YieldTables(ctx, log, "x", errorf, tables, listErr, yieldNone); !errors.Is(err, context.Canceled) {
		t.Errorf("failed listing after cancel: %v, want context.Canceled", err)
	}
}

func TestStartEndRead(t *testing.T) {
	tbl := sources.Location{Target: "x", Path: "s.t", Table: true}
	rec := dbtest.NewRecorder()
	cols := []Col{
		NewCol(tbl, "doc", "bytea", Binary, false),
		NewCol(tbl, "name", "text", Text, false),
	}
	rd := StartRead(rec, tbl, cols, 0)
	if _, ok := rec.Skips[cols[0].Loc.String()]; !ok || len(rec.Skips) != 1 {
		t.Errorf("skipped %v, want only the binary column", rec.Skips)
	}
	if err := rd.Row(context.Background(), [][]byte{[]byte("\x00"), []byte("kari")}); err != nil {
		t.Fatal(err)
	}
	EndRead(rd, "", 7, true)
	if tb := rec.Tables[tbl.String()]; tb.Method != "failed" || tb.Rows != 1 || tb.Estimated != 7 {
		t.Errorf("table %+v, want failed, 1 row of 7", tb)
	}
	if _, ok := rec.ScannedRows[tbl.String()]; ok {
		t.Error("failed read reported scanned")
	}
	if c := rec.Columns[cols[0].Loc.String()]; c.Rows != 1 || c.NonNull != 1 {
		t.Errorf("doc column %+v", c)
	}

	rec = dbtest.NewRecorder()
	rd = StartRead(rec, tbl, cols[1:], 0)
	EndRead(rd, "whole table", 0, false)
	if tb := rec.Tables[tbl.String()]; tb.Method != "whole table" || rec.ScannedRows[tbl.String()] != 0 || len(rec.ScannedRows) != 1 {
		t.Errorf("table %+v, scanned %v", tb, rec.ScannedRows)
	}
	EndRead(nil, "", -1, true) // nothing to announce, no panic
}
