// Package scanner orchestrates a scan: it opens each target's source, hands
// the source's units to a pool of workers, runs every detector over the
// content, and aggregates matches into findings per (location, category).
// The parts of a resource read in parts (sources.Part, the ranges of a large
// file) are read by whichever workers are free and merged in order; a unit
// read as one stream (a compressed log, a CSV file) hands chunks to the
// workers that have nothing else to do (share.go). Memory is bounded by
// workers × chunk size: findings keep counts and a few masked examples,
// never the values themselves.
package scanner

import (
	"context"
	"errors"
	"fmt"
	"hash/fnv"
	"log/slog"
	"runtime"
	"sync"
	"time"

	"github.com/piimap/piimap/detectors"
	"github.com/piimap/piimap/sources"
)

// OpenFunc opens the source for one target (a path or a URL).
type OpenFunc func(ctx context.Context, target string) (sources.Source, error)

// Config is everything a scan needs.
type Config struct {
	Targets   []string
	Open      OpenFunc
	Detectors []detectors.Detector
	// Workers is the number of units read concurrently, and of the
	// goroutines that read and scan; 0 = runtime.NumCPU().
	Workers int
	// NoColumnNames turns off the column_name rule (findings from column
	// names, CSV headers and JSON keys alone): --exclude-detectors column_name.
	NoColumnNames bool
	// MinConfidence drops findings below it (None keeps all).
	MinConfidence detectors.Confidence
	// KeepTestPaths keeps findings in test fixture paths (testdata/,
	// fixtures/, *_test.go, …) at their grade; by default they are labelled
	// test_data and graded Low.
	KeepTestPaths bool
	// ShowValues keeps examples unmasked. Off by default everywhere.
	ShowValues bool
	// FingerprintKey keys the finding fingerprints; empty = DefaultFingerprintKey.
	FingerprintKey []byte
	// ValueKey keys the per-value fingerprints (Finding.Values) that exact
	// baselines compare. Empty: no value fingerprints are computed. It must
	// be a secret: an unkeyed or publicly keyed hash of an 11-digit number
	// is inverted by trying all 10^11 candidates.
	ValueKey []byte
	// Shard and Shards split the units deterministically: this process
	// scans the units whose location hashes to Shard (1-based) of Shards.
	// Shards 0 or 1 scans everything.
	Shard, Shards int
	// Progress, when set, is told about each unit as it finishes.
	Progress func(p Progress)
	// Stream, when set, receives each unit's findings as soon as the unit is
	// read (for streamed formats such as NDJSON). Calls are serialised. The
	// final Result holds the same findings.
	Stream func(findings []Finding)
	Logger *slog.Logger
	// Now returns the current time; nil = time.Now.
	Now func() time.Time

	// handed, when set, receives the number of chunks handed from the
	// worker reading a unit to another (share.go), for tests.
	handed *int64
}

// Progress is one step of a scan, for progress display.
type Progress struct {
	Units, Bytes, Rows int64 // done so far
	Location           string
	// Listed is how many units have been queued so far, ListedBytes the sum
	// of their sizes in bytes (files; tables count rows and are left out).
	// Listing is done when every target has been listed: from then on
	// Listed is the total, so a remaining time can be estimated.
	Listed, ListedBytes int64
	ListingDone         bool
	Elapsed             time.Duration
}

// DefaultFingerprintKey keys fingerprints when no key is configured. Set
// PIIMAP_FINGERPRINT_KEY to an organisation secret to make fingerprints
// unguessable across organisations.
const DefaultFingerprintKey = "piimap-fingerprint-v1"

// Limits on what one finding keeps.
const (
	MaxExamples = 3
	MaxLines    = 5
	MaxSkipList = 200
)

// Scan runs the scan. It returns a result even when ctx is cancelled (marked
// Incomplete) or some targets failed (listed in Failures); the error is only
// for a configuration that cannot run at all.
func Scan(ctx context.Context, cfg Config) (*Result, error) {
	if cfg.Open == nil {
		return nil, errors.New("scanner: no source opener configured")
	}
	if cfg.Shards > 1 && (cfg.Shard < 1 || cfg.Shard > cfg.Shards) {
		return nil, fmt.Errorf("scanner: shard %d/%d out of range", cfg.Shard, cfg.Shards)
	}
	if cfg.Workers <= 0 {
		cfg.Workers = runtime.NumCPU()
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	now := cfg.Now
	if now == nil {
		now = time.Now
	}
	if len(cfg.FingerprintKey) == 0 {
		cfg.FingerprintKey = []byte(DefaultFingerprintKey)
	}
	started := now()
	total := newAggregate()

	units := make(chan []sources.Unit, cfg.Workers)
	var wg sync.WaitGroup
	var mu sync.Mutex // guards total, split and progress
	var prog Progress
	var split parts // resources read in parts, until every part is read
	// readUnit reads u with wk and merges what it found into total.
	readUnit := func(wk *worker, u sources.Unit) {
		wk.agg = newAggregate()
		wk.startUnit()
		wk.unitChunks = 0
		loc := u.Location()
		err := u.Read(ctx, wk)
		wk.joinShared(ctx)
		if err != nil {
			if ctx.Err() != nil && errors.Is(err, ctx.Err()) {
				wk.agg.incomplete = true
			} else {
				wk.Failed(loc, err)
			}
		}
		agg := wk.agg
		if p, ok := u.(sources.Part); ok {
			lead, owned, known := p.Lines()
			agg.lead, agg.ownedLines, agg.linesUnknown = lead, owned, !known
			mu.Lock()
			// The bytes count now, for progress; the rest once
			// every part of the resource is read.
			total.bytes += agg.bytes
			agg.bytes = 0
			agg = split.add(p, agg)
			if agg == nil {
				prog.Bytes = total.bytes
				prog.Elapsed = now().Sub(started)
				if cfg.Progress != nil {
					cfg.Progress(prog)
				}
				mu.Unlock()
				return
			}
			mu.Unlock()
		}
		var unitFindings []Finding
		if cfg.Stream != nil {
			unitFindings = agg.result(&cfg, false).Findings
		}
		mu.Lock()
		if len(unitFindings) > 0 {
			cfg.Stream(unitFindings)
		}
		total.merge(agg)
		if counted(u) {
			prog.Units++
			prog.Location = loc.String()
		}
		prog.Bytes, prog.Rows = total.bytes, total.rows
		prog.Elapsed = now().Sub(started)
		if cfg.Progress != nil {
			cfg.Progress(prog)
		}
		mu.Unlock()
	}
	share := newSharing(cfg.Workers)
	for w := 0; w < cfg.Workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			wk := newWorker(&cfg)
			wk.share = share
			share.serve(ctx, wk, units, readUnit)
		}()
	}

	batches := &unitBatcher{out: units}
	var targets []string
	for _, t := range cfg.Targets {
		if ctx.Err() != nil {
			break
		}
		name := sources.Redact(t)
		targets = append(targets, name)
		src, err := cfg.Open(ctx, t)
		if err != nil {
			mu.Lock()
			total.fail(sources.Location{Target: sources.CleanTarget(t)}, err)
			mu.Unlock()
			cfg.Logger.Warn("cannot open target", "target", name, "err", err)
			continue
		}
		err = src.Units(ctx, func(u sources.Unit) bool {
			if !inShard(u.Location().String(), cfg.Shard, cfg.Shards) {
				return true
			}
			if cfg.Progress != nil && !laterPart(u) && counted(u) {
				mu.Lock()
				prog.Listed++
				if !u.Location().Table {
					prog.ListedBytes += max(u.Size(), 0)
				}
				mu.Unlock()
			}
			return batches.add(ctx, u)
		})
		if err != nil && ctx.Err() == nil {
			mu.Lock()
			total.fail(sources.Location{Target: sources.CleanTarget(t)}, err)
			mu.Unlock()
			cfg.Logger.Warn("cannot list target", "target", name, "err", err)
		}
		// Close after the workers are done with its units.
		defer src.Close()
	}
	batches.flush(ctx)
	mu.Lock()
	prog.ListingDone = true
	mu.Unlock()
	close(units)
	wg.Wait()
	for _, a := range split.rest() {
		total.merge(a)
	}

	if cfg.handed != nil {
		*cfg.handed = share.handed.Load()
	}
	res := total.result(&cfg, true)
	res.Targets = targets
	res.Started = started
	res.Duration = now().Sub(started)
	if ctx.Err() != nil {
		res.Incomplete = true
	}
	if cfg.Shards > 1 {
		res.Shard = fmt.Sprintf("%d/%d", cfg.Shard, cfg.Shards)
	}
	return res, nil
}

// unitBatcher hands units to the workers, small files in batches when the
// workers are behind: with one unit per send, a directory of small files
// (man pages, a module cache) cost a goroutine wake-up and sleep per file,
// the lister waiting on a full channel, about a tenth of the time. A unit
// goes out at once while a worker can take it, so that no worker waits
// for a batch to fill; the others (tables, large files, the parts of one)
// go one by one, to spread across the workers.
type unitBatcher struct {
	out     chan<- []sources.Unit
	pending []sources.Unit
	bytes   int64 // the pending units' sizes
}

// Limits of a batch: its work stays small against a worker's share.
const (
	maxBatchUnits = 64
	maxBatchBytes = 1 << 20
	// maxBatchedSize is the largest file batched.
	maxBatchedSize = 64 << 10
)

// add hands u over, or keeps it for a batch; false when ctx ends.
func (b *unitBatcher) add(ctx context.Context, u sources.Unit) bool {
	size := u.Size()
	if u.Location().Table || size < 0 || size > maxBatchedSize {
		return b.flush(ctx) && b.send(ctx, []sources.Unit{u})
	}
	b.pending = append(b.pending, u)
	b.bytes += size
	if len(b.pending) >= maxBatchUnits || b.bytes >= maxBatchBytes {
		return b.flush(ctx)
	}
	select {
	case b.out <- b.pending:
		b.pending, b.bytes = nil, 0
	default: // the workers are busy: the batch grows
	}
	return true
}

// flush hands over the pending units; false when ctx ends.
func (b *unitBatcher) flush(ctx context.Context) bool {
	if len(b.pending) == 0 {
		return true
	}
	batch := b.pending
	b.pending, b.bytes = nil, 0
	return b.send(ctx, batch)
}

func (b *unitBatcher) send(ctx context.Context, batch []sources.Unit) bool {
	select {
	case b.out <- batch:
		return true
	case <-ctx.Done():
		return false
	}
}

// counted reports whether u counts as a file or table in the progress:
// the names of a directory's entries (sources.NamesUnit) do not.
func counted(u sources.Unit) bool {
	_, names := u.(*sources.NamesUnit)
	return !names
}

// laterPart reports whether u is a part of a resource other than its first,
// which listed the resource (Size is the resource's) for progress.
func laterPart(u sources.Unit) bool {
	p, ok := u.(sources.Part)
	if !ok {
		return false
	}
	_, index, _ := p.PartOf()
	return index > 0
}

// inShard reports whether the unit at loc belongs to shard k of n.
func inShard(loc string, k, n int) bool {
	if n <= 1 {
		return true
	}
	h := fnv.New64a()
	h.Write([]byte(loc))
	return int(h.Sum64()%uint64(n)) == k-1
}
