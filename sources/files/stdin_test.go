package files

import (
	"bytes"
	"compress/gzip"
	"context"
	"log/slog"
	"strings"
	"testing"

	"github.com/piimap/piimap/internal/dbtest"
	"github.com/piimap/piimap/sources"
)

// TestStreamSource: standard input is one unit at file:NAME, read by
// content (gzip decompressed), once.
func TestStreamSource(t *testing.T) {
	var gz bytes.Buffer
	zw := gzip.NewWriter(&gz)
	zw.Write([]byte("line one\nkunde kari@example.no\n"))
	zw.Close()
	src := NewStreamSource(&gz, "logs/../piped.log.gz", sources.Options{}, slog.New(slog.DiscardHandler))
	var units []sources.Unit
	if err := src.Units(context.Background(), func(u sources.Unit) bool { units = append(units, u); return true }); err != nil {
		t.Fatal(err)
	}
	if len(units) != 1 || units[0].Location().String() != "file:piped.log.gz" || units[0].Size() != -1 {
		t.Fatalf("units %v", units)
	}
	rec := dbtest.NewRecorder()
	if err := units[0].Read(context.Background(), rec); err != nil {
		t.Fatal(err)
	}
	got := strings.Join(rec.Values["file:piped.log.gz"], "")
	if !strings.Contains(got, "kari@example.no") || len(rec.Failures) != 0 {
		t.Errorf("read %q, failures %v", got, rec.Failures)
	}
	// A second read reads nothing (the stream is consumed), without error.
	rec2 := dbtest.NewRecorder()
	if err := units[0].Read(context.Background(), rec2); err != nil || len(rec2.Values) != 0 {
		t.Errorf("second read: %v, %v", err, rec2.Values)
	}
	// No name: file:stdin.
	if loc := NewStreamSource(strings.NewReader(""), "", sources.Options{}, nil).(*streamSource).loc.String(); loc != "file:stdin" {
		t.Errorf("default name %q", loc)
	}
}
