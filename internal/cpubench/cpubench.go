// Package cpubench reports throughput per CPU-second in benchmarks: unlike
// MB/s of wall time, it barely moves when other processes share the CPU,
// so it is the figure to compare on a busy machine.
package cpubench

import (
	"syscall"
	"testing"
	"time"
)

// Time is the CPU time the process has used (user and system, every
// thread: the garbage collector's work counts).
func Time() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// Report reports MB per CPU-second since cpu0 for b.N runs over size bytes,
// as the metric "MB/cpu-s".
func Report(b *testing.B, cpu0 time.Duration, size int64) {
	if d := Time() - cpu0; d > 0 {
		b.ReportMetric(float64(size)*float64(b.N)/1e6/d.Seconds(), "MB/cpu-s")
	}
}
