package main

import (
	"context"
	"os"
	"runtime/debug"
	"runtime/metrics"
	"time"
)

// memoryFloor is the soft memory limit the Go runtime is held to while the
// live heap is small. Without it the heap grows to twice the live heap
// between collections (GOGC=100), and garbage from many short-lived
// decoders and buffers pushes the peak far above what is in use.
const memoryFloor = 64 << 20

// governMemory keeps the runtime's soft memory limit at one and a half
// times the live heap (as GOGC=50 would), but not under memoryFloor, until
// ctx ends: the collector works a little harder than by default, and never
// thrashes against a fixed limit when the live heap grows (a scan with very
// many locations). It does nothing when GOMEMLIMIT is set: the user's limit
// stands.
func governMemory(ctx context.Context) {
	if os.Getenv("GOMEMLIMIT") != "" {
		return
	}
	sample := []metrics.Sample{{Name: "/gc/heap/live:bytes"}}
	adjust := func() {
		metrics.Read(sample)
		limit := int64(memoryFloor)
		if sample[0].Value.Kind() == metrics.KindUint64 {
			limit = max(limit, int64(sample[0].Value.Uint64())*3/2)
		}
		debug.SetMemoryLimit(limit)
	}
	adjust()
	go func() {
		t := time.NewTicker(200 * time.Millisecond)
		defer t.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-t.C:
				adjust()
			}
		}
	}()
}
