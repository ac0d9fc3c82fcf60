package dbcommon

import (
	"context"
	"sync"
	"testing"
	"time"
)

// TestBudgetPaces: the throttle holds the rate (reading 2,000 rows at
// 10,000 rows/s cannot end before 0.2 s), the budget ends, and a zero
// budget is none.
func TestBudgetPaces(t *testing.T) {
	if NewPacer(0, 0, 100).Budget() != nil {
		t.Error("a zero budget is not nil")
	}
	ctx := context.Background()
	b := NewPacer(time.Minute, 0, 10_000).Budget()
	start := time.Now()
	for range 4 {
		if more, err := b.Next(ctx, 500); !more || err != nil {
			t.Fatalf("budget ended early: %v", err)
		}
	}
	if d := time.Since(start); d < 190*time.Millisecond {
		t.Errorf("2,000 rows at 10,000 rows/s took %v", d)
	}
	if n := b.BatchRows(); n != 1000 {
		t.Errorf("batch %d rows, want a tenth of a second's worth", n)
	}
	short := NewPacer(50*time.Millisecond, 0, 0).Budget()
	time.Sleep(60 * time.Millisecond)
	if more, _ := short.Next(ctx, 1); more {
		t.Error("an expired budget allows another batch")
	}
	// A wait that would pass the deadline ends the budget at once.
	slow := NewPacer(100*time.Millisecond, 0, 10).Budget()
	if more, _ := slow.Next(ctx, 100); more {
		t.Error("10 s of rows at 10 rows/s fit a budget of 0.1 s")
	}
	cctx, cancel := context.WithCancel(ctx)
	cancel()
	if _, err := NewPacer(time.Minute, 0, 0).Budget().Next(cctx, 1); err == nil {
		t.Error("a cancelled context does not end the budget")
	}
}

// TestPacerSharesRateAndDatabaseBudget: two tables read at once share the
// database's rate (4,000 rows at 10,000 rows/s cannot end before 0.4 s,
// where two budgets of their own would take 0.2 s); the database budget
// ends every table's reading and then starts none; Describe names the
// budgets.
func TestPacerSharesRateAndDatabaseBudget(t *testing.T) {
	p := NewPacer(time.Minute, 0, 10_000)
	start := time.Now()
	var wg sync.WaitGroup
	for range 2 {
		b := p.Budget()
		wg.Go(func() {
			for range 4 {
				if more, err := b.Next(context.Background(), 500); !more || err != nil {
					t.Errorf("budget ended early: %v", err)
					return
				}
			}
		})
	}
	wg.Wait()
	if d := time.Since(start); d < 390*time.Millisecond {
		t.Errorf("4,000 rows over two tables at 10,000 rows/s for the database took %v", d)
	}

	db := NewPacer(0, 80*time.Millisecond, 0)
	first := db.Budget()
	if first == nil || time.Until(first.deadline) > 80*time.Millisecond {
		t.Fatalf("first table's budget %+v; want the database's deadline", first)
	}
	time.Sleep(90 * time.Millisecond)
	if more, _ := first.Next(context.Background(), 1); more {
		t.Error("a table reads on past the database budget")
	}
	if b := db.Budget(); b != nil || !db.Budgeted() {
		t.Errorf("after the database budget: Budget() = %+v", b)
	}
	// A table budget shorter than what is left of the database's wins.
	both := NewPacer(20*time.Millisecond, time.Hour, 0)
	if b := both.Budget(); b == nil || time.Until(b.deadline) > 20*time.Millisecond {
		t.Errorf("table budget 20ms within a database budget of an hour: %+v", b)
	}
	for _, c := range []struct {
		p    *Pacer
		want string
	}{
		{NewPacer(30*time.Second, 0, 0), "--budget 30s"},
		{NewPacer(0, 10*time.Minute, 0), "--database-budget 10m0s"},
		{both, "--budget 20ms, --database-budget 1h0m0s"},
	} {
		if got := c.p.Describe(); got != c.want {
			t.Errorf("Describe = %q, want %q", got, c.want)
		}
	}
	if none := NewPacer(0, 0, 100); none.Budget() != nil || none.Budgeted() {
		t.Error("no budget gives a Budget")
	}
}
