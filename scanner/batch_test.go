package scanner

import (
	"context"
	"fmt"
	"slices"
	"testing"

	"github.com/piimap/piimap/sources"
)

// TestUnitBatcher: while a worker can take a unit it goes at once; while
// the workers are busy (the channel full), small files wait in a batch up
// to its limits; tables, files of unknown size and large files go alone,
// after the batch before them; every unit is handed over once, in order;
// and an ended context stops the handing over.
func TestUnitBatcher(t *testing.T) {
	small := func(i int) sources.Unit { return textUnit{path: fmt.Sprintf("f%d", i), text: "x"} }
	names := func(batch []sources.Unit) []string {
		var s []string
		for _, u := range batch {
			s = append(s, u.Location().Path)
		}
		return s
	}
	ctx := context.Background()

	// A free worker: each unit goes out alone.
	out := make(chan []sources.Unit, 1)
	b := &unitBatcher{out: out}
	for i := range 3 {
		if !b.add(ctx, small(i)) {
			t.Fatal("add: false")
		}
		if got := names(<-out); !slices.Equal(got, []string{fmt.Sprintf("f%d", i)}) {
			t.Fatalf("unit %d went out as %q", i, got)
		}
	}

	// Busy workers: after the first fills the channel, the rest wait, up
	// to maxBatchUnits; then the batch goes (the channel drained here by a
	// worker), and a table goes alone after the batch before it.
	out = make(chan []sources.Unit, 1)
	b = &unitBatcher{out: out}
	var got [][]string
	done := make(chan bool)
	go func() {
		for batch := range out {
			got = append(got, names(batch))
		}
		done <- true
	}()
	// The worker drains as it likes; what is checked is what any timing
	// gives: order, once each, the limits, and the table alone.
	n := 3*maxBatchUnits + 5
	var want []string
	for i := range n {
		b.add(ctx, small(i))
		want = append(want, fmt.Sprintf("f%d", i))
	}
	b.add(ctx, columnUnit{field: "epost", values: []string{"a"}})
	want = append(want, "public.t")
	b.add(ctx, small(n))
	want = append(want, fmt.Sprintf("f%d", n))
	b.flush(ctx)
	close(out)
	<-done
	var all []string
	for _, batch := range got {
		if len(batch) > maxBatchUnits {
			t.Errorf("a batch of %d units, want at most %d", len(batch), maxBatchUnits)
		}
		if slices.Contains(batch, "public.t") && len(batch) != 1 {
			t.Errorf("the table went out in a batch %q", batch)
		}
		all = append(all, batch...)
	}
	if !slices.Equal(all, want) {
		t.Errorf("handed over %q, want %q", all, want)
	}

	// A full channel, no worker, and a large file: the batch before it
	// is flushed first, which blocks until ctx ends.
	out = make(chan []sources.Unit, 1)
	out <- nil
	b = &unitBatcher{out: out}
	b.add(ctx, small(0))
	if len(b.pending) != 1 {
		t.Fatalf("%d pending with the channel full, want 1", len(b.pending))
	}
	cctx, cancel := context.WithCancel(ctx)
	cancel()
	big := textUnit{path: "big", text: string(make([]byte, maxBatchedSize+1))}
	if b.add(cctx, big) {
		t.Error("add after the context ended: true")
	}
}

// TestUnitBatcherLimits: with the workers busy (the channel full), the
// batch is handed over, which waits for a worker, when it reaches
// maxBatchUnits files or maxBatchBytes bytes, and not before: an add that
// hands over with no worker to take it returns false once ctx has ended.
func TestUnitBatcherLimits(t *testing.T) {
	ended, cancel := context.WithCancel(context.Background())
	cancel()
	for _, c := range []struct {
		name string
		size int
		n    int // files that fill a batch
	}{
		{"units", 1, maxBatchUnits},
		{"bytes", maxBatchedSize, maxBatchBytes / maxBatchedSize},
	} {
		out := make(chan []sources.Unit, 1)
		out <- nil // busy
		b := &unitBatcher{out: out}
		file := textUnit{path: "f", text: string(make([]byte, c.size))}
		for i := range c.n - 1 {
			if !b.add(ended, file) {
				t.Fatalf("%s: file %d handed over before the batch was full", c.name, i+1)
			}
		}
		if b.add(ended, file) {
			t.Errorf("%s: the full batch of %d files was not handed over", c.name, c.n)
		}
	}
}
