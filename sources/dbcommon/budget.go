package dbcommon

import (
	"context"
	"sync"
	"time"
)

// Pacer holds what the tables of one database target share while they are
// read beyond their samples, possibly by several workers at once: the
// throttle (--max-rows-per-second holds for the database, so that two
// workers on two tables do not read at twice the rate) and the database's
// budget (--database-budget: reading beyond the samples ends for every
// table once it is spent, counted from the first table that reads beyond
// its sample). Each table's own budget (--budget) is started by Budget.
type Pacer struct {
	perTable, perDB time.Duration
	perSec          int

	mu       sync.Mutex
	due      time.Time // when the rows accounted so far are due at perSec
	deadline time.Time // the end of the database budget; zero until it starts
}

// NewPacer returns the pacer of one database: perTable and perDB are the
// table and database budgets (0: none), perSec the throttle (0: no limit).
func NewPacer(perTable, perDB time.Duration, perSec int) *Pacer {
	return &Pacer{perTable: perTable, perDB: perDB, perSec: perSec}
}

// Budgeted reports whether a table or database budget is set.
func (p *Pacer) Budgeted() bool { return p != nil && (p.perTable > 0 || p.perDB > 0) }

// Budget starts reading a table beyond its sample. It returns nil when no
// budget is set (see Budgeted), or when the database budget is spent: the
// table then keeps its sample.
func (p *Pacer) Budget() *Budget {
	if !p.Budgeted() {
		return nil
	}
	now := time.Now()
	deadline := now.Add(p.perTable)
	if p.perDB > 0 {
		p.mu.Lock()
		if p.deadline.IsZero() {
			p.deadline = now.Add(p.perDB)
		}
		if p.perTable <= 0 || p.deadline.Before(deadline) {
			deadline = p.deadline
		}
		p.mu.Unlock()
		if !time.Now().Before(deadline) {
			return nil
		}
	}
	return &Budget{pacer: p, deadline: deadline, since: now}
}

// ReadBeyond reads a sampled table on within the budgets: read reads its
// ranges (named by ranges: "page ranges", "pk ranges") under the Budget
// it is given and reports whether it covered the table. It returns the
// reading method and row estimate the table reports: the method names the
// budgets, or says the database budget was spent before the table began;
// a covered table is complete and its estimate is the rows read.
func (p *Pacer) ReadBeyond(rd *Reader, method, ranges string, est int64, read func(*Budget) (bool, error)) (string, int64, error) {
	b := p.Budget()
	if b == nil {
		return method + " (--database-budget spent)", est, nil
	}
	method += " + " + ranges + " (" + p.Describe() + ")"
	complete, err := read(b)
	if complete && err == nil {
		rd.Complete = true
		est = rd.Rows
	}
	return method, est, err
}

// Describe names the budgets in force, as a table's reading method shows
// them: "--budget 30s", "--database-budget 10m0s", or both.
func (p *Pacer) Describe() string {
	switch {
	case p.perTable > 0 && p.perDB > 0:
		return "--budget " + p.perTable.String() + ", --database-budget " + p.perDB.String()
	case p.perDB > 0:
		return "--database-budget " + p.perDB.String()
	}
	return "--budget " + p.perTable.String()
}

// reserve accounts for rows just read, in a batch that started at since,
// at the database's rate, and returns how long to wait before the next
// batch. Rows are due one after another from whichever is later, the
// batch's start or the rows other tables read before: a table read alone
// reads at the rate, and tables read at once share it.
func (p *Pacer) reserve(rows int64, since time.Time) time.Duration {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.due.Before(since) {
		p.due = since // no credit for idle time
	}
	p.due = p.due.Add(time.Duration(float64(rows) / float64(p.perSec) * float64(time.Second)))
	return time.Until(p.due)
}

// Budget paces the reading of one table after its sample: it says when
// the time is up, and holds the database's rate under its pacer's rows
// per second by sleeping between batches.
type Budget struct {
	pacer    *Pacer
	deadline time.Time
	since    time.Time // when the current batch started
}

// Next accounts for rows just read and waits as long as the rate needs;
// it reports whether another batch may start. It returns ctx's error when
// ctx ends.
func (b *Budget) Next(ctx context.Context, rows int64) (bool, error) {
	defer func() { b.since = time.Now() }()
	if b.pacer.perSec > 0 {
		if wait := b.pacer.reserve(rows, b.since); wait > 0 {
			if time.Now().Add(wait).After(b.deadline) {
				return false, nil
			}
			t := time.NewTimer(wait)
			select {
			case <-ctx.Done():
				t.Stop()
				return false, ctx.Err()
			case <-t.C:
			}
		}
	}
	if err := ctx.Err(); err != nil {
		return false, err
	}
	return time.Now().Before(b.deadline), nil
}

// BatchRows is how many rows one batch within a budget should read: a
// tenth of a second's worth at the throttle, within [100, 10,000].
func (b *Budget) BatchRows() int64 {
	if b.pacer.perSec <= 0 {
		return 10_000
	}
	return min(10_000, max(100, int64(b.pacer.perSec)/10))
}
