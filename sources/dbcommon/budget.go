package dbcommon

import (
	"context"
	"time"
)

// Budget paces the reading of a table after its sample (--budget): it
// says when the time is up, and holds the rate under a number of rows per
// second by sleeping between batches.
type Budget struct {
	start    time.Time
	deadline time.Time
	perSec   int
	rows     int64
}

// NewBudget starts a budget of d from now at most perSec rows per second
// (0: no limit). A zero d gives a nil Budget: no reading beyond the sample.
func NewBudget(d time.Duration, perSec int) *Budget {
	if d <= 0 {
		return nil
	}
	now := time.Now()
	return &Budget{start: now, deadline: now.Add(d), perSec: perSec}
}

// Next accounts for rows just read and waits as long as the rate needs;
// it reports whether another batch may start. It returns ctx's error when
// ctx ends.
func (b *Budget) Next(ctx context.Context, rows int64) (bool, error) {
	b.rows += rows
	if b.perSec > 0 {
		due := b.start.Add(time.Duration(float64(b.rows) / float64(b.perSec) * float64(time.Second)))
		if wait := time.Until(due); wait > 0 {
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
	if b.perSec <= 0 {
		return 10_000
	}
	return min(10_000, max(100, int64(b.perSec)/10))
}
