package files

import (
	"bytes"
	"cmp"
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/piimap/piimap/sources"
)

// chunkRec is a copy of what Sink.Text received.
type chunkRec struct {
	loc         sources.Location
	data        []byte
	line, row   int64
	skip, limit int
	json        bool
	doc         bool // a JSON document's chunk: JSONDoc set
	xml         bool // an XML document's chunk: XMLDoc set
	yaml        bool // a YAML document's or a configuration file's chunk: YAMLDoc set
	col         int  // a field's column (Field.Column), -1 for text
}

// owned is the part of the chunk whose match starts it owns.
func (c chunkRec) owned() []byte {
	l := c.limit
	if l == 0 {
		l = len(c.data)
	}
	return c.data[c.skip:l]
}

// recSink records everything a source reports. It checks the Chunk
// contract as it goes (Skip ≤ Limit ≤ len(Data)).
type recSink struct {
	t       testing.TB
	mu      sync.Mutex
	chunks  []chunkRec
	columns []sources.Column
	failed  map[string][]error
	skipped map[string]string
	scanned map[string]int64
	onText  func(c *sources.Chunk) error
	// A block of fields comes one chunk per column (csvBlock.flush):
	// its fields are recorded in row order, then column order, as the
	// block's records are. block is where the block being recorded starts
	// in chunks, lastCol the column of its last chunk and blockEnd the end
	// of its fields in chunks.
	block, lastCol, blockEnd int
}

func newRecSink(t testing.TB) *recSink {
	return &recSink{t: t, failed: map[string][]error{}, skipped: map[string]string{}, scanned: map[string]int64{}}
}

func (s *recSink) Text(ctx context.Context, c *sources.Chunk) error {
	if len(c.Fields) == 0 {
		return s.text1(ctx, c)
	}
	col := c.Fields[0].Column
	s.mu.Lock()
	if len(s.chunks) != s.blockEnd || col <= s.lastCol {
		s.block = len(s.chunks) // a new block: the last one ended
	}
	s.mu.Unlock()
	err := sources.EachField(c, func(f *sources.Chunk) error {
		err := s.text1(ctx, f)
		s.mu.Lock()
		s.chunks[len(s.chunks)-1].col = col
		s.mu.Unlock()
		return err
	})
	s.mu.Lock()
	defer s.mu.Unlock()
	slices.SortStableFunc(s.chunks[s.block:], func(a, b chunkRec) int { return cmp.Or(cmp.Compare(a.row, b.row), cmp.Compare(a.col, b.col)) })
	s.lastCol, s.blockEnd = col, len(s.chunks)
	return err
}

func (s *recSink) text1(_ context.Context, c *sources.Chunk) error {
	lim := c.Limit
	if lim == 0 {
		lim = len(c.Data)
	}
	if c.Skip < 0 || c.Skip > lim || lim > len(c.Data) {
		s.t.Errorf("%s: bad chunk bounds skip=%d limit=%d len=%d", c.Loc, c.Skip, c.Limit, len(c.Data))
	}
	s.mu.Lock()
	s.chunks = append(s.chunks, chunkRec{c.Loc, bytes.Clone(c.Data), c.Line, c.Row, c.Skip, c.Limit, c.JSON, c.JSONDoc != nil, c.XMLDoc != nil, c.YAMLDoc != nil, -1})
	s.mu.Unlock()
	if s.onText != nil {
		return s.onText(c)
	}
	return nil
}

func (s *recSink) Column(c sources.Column) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.columns = append(s.columns, c)
}

func (s *recSink) Table(sources.Table) { s.t.Error("files source announced a table") }

func (s *recSink) Failed(loc sources.Location, err error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.failed[loc.Path] = append(s.failed[loc.Path], err)
}

func (s *recSink) Skipped(loc sources.Location, reason string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, dup := s.skipped[loc.Path]; dup {
		s.t.Errorf("%s skipped twice", loc.Path)
	}
	s.skipped[loc.Path] = reason
}

func (s *recSink) Scanned(loc sources.Location, n, rows int64) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, dup := s.scanned[loc.Path]; dup {
		s.t.Errorf("%s scanned twice", loc.Path)
	}
	if rows != 0 {
		s.t.Errorf("%s: files report rows %d", loc.Path, rows)
	}
	s.scanned[loc.Path] = n
}

// chunksOf returns the chunks of path, in order.
func (s *recSink) chunksOf(path string) []chunkRec {
	var out []chunkRec
	for _, c := range s.chunks {
		if c.loc.Path == path {
			out = append(out, c)
		}
	}
	return out
}

// text reassembles the owned ranges of path's chunks: the content as the
// detectors see it, each byte once.
func (s *recSink) text(path string) string {
	var b strings.Builder
	for _, c := range s.chunksOf(path) {
		b.Write(c.owned())
	}
	return b.String()
}

// checkTiling verifies that path's chunks are consecutive windows of
// content: each Data is content at its offset, the owned ranges tile
// content exactly, consecutive chunks overlap by Overlap bytes, and Line is
// the line number of Data[0].
func (s *recSink) checkTiling(t *testing.T, path, content string) {
	t.Helper()
	chunks := s.chunksOf(path)
	owned := 0 // content offset where the next owned range must start
	prevEnd := -1
	for i, c := range chunks {
		start := owned - c.skip // content offset of Data[0]
		if start < 0 || start+len(c.data) > len(content) || string(c.data) != content[start:start+len(c.data)] {
			t.Fatalf("%s chunk %d (start %d, %d bytes) is not the content at its offset", path, i, start, len(c.data))
		}
		if prevEnd >= 0 && prevEnd-start != sources.Overlap {
			t.Errorf("%s chunk %d overlaps the previous one by %d bytes, want %d", path, i, prevEnd-start, sources.Overlap)
		}
		if want := int64(1 + strings.Count(content[:start], "\n")); c.line != want {
			t.Errorf("%s chunk %d: Line %d, want %d", path, i, c.line, want)
		}
		owned += len(c.owned())
		prevEnd = start + len(c.data)
	}
	if owned != len(content) {
		t.Errorf("%s: owned ranges cover %d bytes, content has %d", path, owned, len(content))
	}
}

// scan reads every unit of root into a new recSink.
func scan(t testing.TB, root string, opt sources.Options, opts ...Option) *recSink {
	t.Helper()
	src, err := New(root, opt, nil, opts...)
	if err != nil {
		t.Fatalf("New(%s): %v", root, err)
	}
	defer func() { _ = src.Close() }()
	sink := newRecSink(t)
	ctx := context.Background()
	var units []sources.Unit
	if err := src.Units(ctx, func(u sources.Unit) bool { units = append(units, u); return true }); err != nil {
		t.Fatalf("Units: %v", err)
	}
	for _, u := range units {
		if err := u.Read(ctx, sink); err != nil {
			t.Fatalf("Read %s: %v", u.Location(), err)
		}
	}
	return sink
}

// write creates rel under dir with content, making parent directories.
func write(t testing.TB, dir, rel string, content []byte) string {
	t.Helper()
	p := filepath.Join(dir, filepath.FromSlash(rel))
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, content, 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func keys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}
