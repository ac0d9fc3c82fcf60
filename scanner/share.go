package scanner

import (
	"context"
	"slices"
	"sync"
	"sync/atomic"

	"github.com/piimap/piimap/sources"
)

// Chunk sharing: a unit read as one stream (a compressed log, a CSV file,
// standard input, an archive member, a file on a share: whatever is not
// read in ranges) hands its chunks to workers that have nothing else to
// do, so that one such unit is not read at one core's speed while the
// others idle. The worker reading the unit queues a copy of a chunk while
// another worker is not reading a unit of its own, goes on reading
// (inflating) while the queue has room, and scans a chunk itself when it
// is full. The number of goroutines at work stays the number of workers.
//
// The unit's aggregate is made of segments in the order of its chunks:
// the reading worker's own aggregate up to a handed chunk, the handed
// chunk's (filled by the worker that took it), the reading worker's again,
// and so on. They are merged in that order (worker.mergeSegments, as they
// complete, and worker.joinShared at the unit's end), so that its first
// examples and line numbers are those of reading it alone: a chunk's line
// numbers are the unit's (sources.Chunk.Line, sources.Field.Line), and its
// detectors depend on nothing but the chunk. Free text, JSON lines and
// blocks of CSV fields are handed over; chunks of JSON, XML and YAML
// documents, whose readers carry the document's state from chunk to
// chunk, and database values with a row key are not.
// One difference remains: a custom detector that fails on a chunk (a
// pattern past its timeout) sits out the rest of the unit in the worker it
// failed in, while chunks already handed over still run it; its failure
// is named once.

// minSharedChunk is the smallest chunk handed to another worker: below
// it, copying the chunk and waking the worker cost more than a good
// share of scanning it. A stream's chunks are larger, but a block of CSV
// fields comes one column at a time, and a narrow column's chunk is a few
// KiB.
const minSharedChunk = 16 << 10

// sharing is what the workers of one scan share to hand chunks over.
type sharing struct {
	// tasks holds the chunks handed over and not yet taken, at most one
	// per worker: a worker that reads a stream faster than another scans
	// it goes on reading while the queue has room, and scans a chunk
	// itself when it is full.
	tasks   chan *chunkTask
	workers int32
	// reading counts the workers reading a unit of their own: while it is
	// below workers, one is waiting or taking chunks, and a chunk is
	// handed over (copied) only then.
	reading atomic.Int32
	// readers counts the workers still taking units; the last to run out
	// closes done, after which no chunk is handed over and the helpers
	// stop.
	readers atomic.Int32
	done    chan struct{}
	copies  sync.Pool // *chunkCopy
	// handed counts the chunks handed over (tests).
	handed atomic.Int64
}

func newSharing(workers int) *sharing {
	sh := &sharing{tasks: make(chan *chunkTask, workers), workers: int32(workers), done: make(chan struct{})}
	sh.readers.Store(int32(workers))
	return sh
}

// chunkTask is a chunk handed to another worker: a copy of it, and the
// aggregate the worker fills.
type chunkTask struct {
	chunk sources.Chunk
	copy  *chunkCopy
	agg   *aggregate
	wg    *sync.WaitGroup // of the worker that handed it over
	done  atomic.Bool     // agg is filled; copy went back to the pool
}

// segment is one piece of a unit's aggregate: the reading worker's own
// (agg) or a handed chunk's (task).
type segment struct {
	agg  *aggregate
	task *chunkTask
}

// offer hands the chunk c to a waiting worker and reports whether it did;
// the chunk is then no longer w's to scan.
func (w *worker) offer(c *sources.Chunk) bool {
	sh := w.share
	if sh == nil || c.JSONDoc != nil || c.XMLDoc != nil || c.YAMLDoc != nil || c.RowKey != nil || len(c.Data) < minSharedChunk || sh.reading.Load() >= sh.workers {
		return false
	}
	cp, _ := sh.copies.Get().(*chunkCopy)
	if cp == nil {
		cp = new(chunkCopy)
	}
	t := &chunkTask{chunk: cp.of(c), copy: cp, wg: &w.handedWG}
	w.handedWG.Add(1)
	select {
	case sh.tasks <- t:
	default: // the queue is full: w scans it
		w.handedWG.Done()
		sh.copies.Put(cp)
		return false
	}
	sh.handed.Add(1)
	w.segs = append(w.segs, segment{agg: w.agg}, segment{task: t})
	w.agg = newAggregate()
	w.mergeSegments()
	return true
}

// chunkCopy holds the copy of a handed chunk's content, fields and column
// names, reused from chunk to chunk.
type chunkCopy struct {
	data    []byte
	fields  []sources.Field
	columns []string
}

// of returns a copy of c that shares nothing with it.
func (cp *chunkCopy) of(c *sources.Chunk) sources.Chunk {
	out := *c
	cp.data = append(cp.data[:0], c.Data...)
	out.Data = cp.data
	if c.Fields != nil {
		cp.fields = append(cp.fields[:0], c.Fields...)
		cp.columns = append(cp.columns[:0], c.Columns...)
		out.Fields, out.Columns = cp.fields, cp.columns
	}
	return out
}

// help scans a chunk another worker handed over, into its own aggregate,
// and gives the chunk's copy back.
func (w *worker) help(ctx context.Context, t *chunkTask) {
	w.agg = newAggregate()
	w.startUnit()
	_ = w.text(ctx, &t.chunk) // an error is ctx's: the reading worker sees it too
	t.agg, w.agg = w.agg, nil
	t.chunk = sources.Chunk{}
	clear(t.copy.columns)
	w.share.copies.Put(t.copy)
	t.copy = nil
	t.done.Store(true)
	t.wg.Done()
}

// mergeSegments merges the segments at the head of w.segs that are
// complete (the reading worker's own, and handed chunks already scanned)
// into w.joined, in order: a long stream keeps a few segments at a time,
// not one per chunk it handed over.
func (w *worker) mergeSegments() {
	n := 0
	for _, s := range w.segs {
		a := s.agg
		if s.task != nil {
			if !s.task.done.Load() {
				break
			}
			a = s.task.agg
		}
		if w.joined == nil {
			w.joined = newAggregate()
		}
		if len(a.failures) > 0 {
			w.dedupFailures(a, s.task != nil)
		}
		w.joined.merge(a)
		n++
	}
	clear(w.segs[:n])
	w.segs = append(w.segs[:0], w.segs[n:]...)
}

// dedupFailures drops from a, the aggregate of a segment (handed: of a
// handed chunk), the failures that repeat one of a handed chunk's, or of
// any segment's for a handed chunk. Only a detector's failure (a custom
// pattern past its timeout) can repeat so: the worker reading the unit
// sits the detector out only from its own failure on, and a handed chunk
// does not know of it. Two failures the source reports alike (two
// members of an archive of the same name) are both kept, as when the
// unit is read alone.
func (w *worker) dedupFailures(a *aggregate, handed bool) {
	const seen, fromHanded = 1, 2
	if w.failSeen == nil {
		w.failSeen = map[Failure]uint8{}
	}
	a.failures = slices.DeleteFunc(a.failures, func(f Failure) bool {
		m := w.failSeen[f]
		if handed && m != 0 || !handed && m&fromHanded != 0 {
			return true
		}
		m |= seen
		if handed {
			m |= fromHanded
		}
		w.failSeen[f] = m
		return false
	})
}

// joinShared waits for the chunks w handed over while reading its unit
// and merges the unit's segments in order into w.agg. The chunks still
// queued it scans itself, rather than wait for a worker to take them. A
// failure the segments share (a custom detector's, reported per chunk) is
// named once.
func (w *worker) joinShared(ctx context.Context) {
	if w.joined == nil && len(w.segs) == 0 {
		return
	}
	own := w.agg
	for queued := true; queued; {
		select {
		case t := <-w.share.tasks:
			w.help(ctx, t)
		default:
			queued = false
		}
	}
	w.handedWG.Wait()
	w.segs = append(w.segs, segment{agg: own})
	w.mergeSegments()
	w.agg, w.joined = w.joined, nil
	clear(w.failSeen)
}

// serve runs one worker: it reads the units the lister sends and scans
// the chunks other workers hand over; once the units have run out it goes
// on taking chunks until every worker has.
func (sh *sharing) serve(ctx context.Context, w *worker, units <-chan []sources.Unit, read func(*worker, sources.Unit)) {
	for units != nil {
		select {
		case batch, ok := <-units:
			if !ok {
				units = nil
				break
			}
			sh.reading.Add(1)
			for _, u := range batch {
				if ctx.Err() != nil {
					break // drain
				}
				read(w, u)
			}
			sh.reading.Add(-1)
		case t := <-sh.tasks:
			w.help(ctx, t)
		}
	}
	if sh.readers.Add(-1) == 0 {
		close(sh.done)
	}
	for {
		select {
		case t := <-sh.tasks:
			w.help(ctx, t)
		case <-sh.done:
			return
		}
	}
}
