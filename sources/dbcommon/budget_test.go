package dbcommon

import (
	"context"
	"testing"
	"time"
)

// TestBudgetPaces: the throttle holds the rate (reading 2,000 rows at
// 10,000 rows/s cannot end before 0.2 s), the budget ends, and a zero
// budget is none.
func TestBudgetPaces(t *testing.T) {
	if NewBudget(0, 100) != nil {
		t.Error("a zero budget is not nil")
	}
	ctx := context.Background()
	b := NewBudget(time.Minute, 10_000)
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
	short := NewBudget(50*time.Millisecond, 0)
	time.Sleep(60 * time.Millisecond)
	if more, _ := short.Next(ctx, 1); more {
		t.Error("an expired budget allows another batch")
	}
	// A wait that would pass the deadline ends the budget at once.
	slow := NewBudget(100*time.Millisecond, 10)
	if more, _ := slow.Next(ctx, 100); more {
		t.Error("10 s of rows at 10 rows/s fit a budget of 0.1 s")
	}
	cctx, cancel := context.WithCancel(ctx)
	cancel()
	if _, err := NewBudget(time.Minute, 0).Next(cctx, 1); err == nil {
		t.Error("a cancelled context does not end the budget")
	}
}
