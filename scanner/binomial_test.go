package scanner

import (
	"math"
	"testing"
)

// binomialTailRef is P(X ≥ k) summed over every term from k to n, in log
// space as binomialTail does, with no early stop.
func binomialTailRef(k, n int64, p float64) float64 {
	lgn, _ := math.Lgamma(float64(n) + 1)
	sum := 0.0
	for i := max(k, 0); i <= n; i++ {
		a, _ := math.Lgamma(float64(i) + 1)
		b, _ := math.Lgamma(float64(n-i) + 1)
		sum += math.Exp(lgn - a - b + float64(i)*math.Log(p) + float64(n-i)*math.Log1p(-p))
	}
	return min(sum, 1)
}

// TestBinomialTail checks the tail on both sides of the mean against the
// full sum, and the edge cases.
func TestBinomialTail(t *testing.T) {
	for _, n := range []int64{1, 2, 10, 100, 1000, 5000} {
		for _, p := range []float64{1e-6, 0.001, 0.038, 0.3, 0.5, 0.9} {
			for _, k := range []int64{1, 2, n / 100, n / 20, n / 4, n / 2, n - 1, n} {
				if k <= 0 {
					continue
				}
				got, want := binomialTail(k, n, p), binomialTailRef(k, n, p)
				if math.Abs(got-want) > 1e-9*max(want, 1e-300) && math.Abs(got-want) > 1e-12 {
					t.Errorf("binomialTail(%d, %d, %g) = %g, want %g", k, n, p, got, want)
				}
			}
		}
	}
	for _, c := range []struct {
		k, n int64
		p    float64
		want float64
	}{
		{0, 10, 0.5, 1}, {-1, 10, 0.5, 1}, {11, 10, 0.5, 0}, {3, 10, 0, 0}, {3, 10, 1, 1},
		{1, 1, 0.25, 0.25}, {2, 2, 0.5, 0.25}, {1, 2, 0.5, 0.75},
	} {
		if got := binomialTail(c.k, c.n, c.p); math.Abs(got-c.want) > 1e-12 {
			t.Errorf("binomialTail(%d, %d, %g) = %g, want %g", c.k, c.n, c.p, got, c.want)
		}
	}
	// A file's national-id candidates: 201 validated where chance expects
	// 3,186 of 83,226 is no evidence; 4,000 is.
	if got := binomialTail(201, 83226, 3185.7/83226); got < 0.999 {
		t.Errorf("201 of 83,226 below a mean of 3,186: tail %g, want about 1", got)
	}
	if got := binomialTail(4000, 83226, 3185.7/83226); got >= chanceAlpha {
		t.Errorf("4,000 of 83,226 above a mean of 3,186: tail %g, want below %g", got, chanceAlpha)
	}
}

// TestBinomialTailFarFromMean checks that a tail far from the mean, whose
// first term is too small for a float64, is summed in one term, not in
// one per value up to n or down to 0: 30,000 validated of a file's 83,226
// national-id candidates, where chance expects 3,186, took 53,000 terms;
// 20 validated took 20.
func TestBinomialTailFarFromMean(t *testing.T) {
	const n, p = 83226, 3185.7 / 83226
	for _, k := range []int64{20, 30000} {
		got, terms := binomialTailTerms(k, n, p)
		if want := binomialTailRef(k, n, p); math.Abs(got-want) > 1e-12 {
			t.Errorf("binomialTail(%d, %d, %g) = %g, want %g", k, n, p, got, want)
		}
		if terms > 1 {
			t.Errorf("binomialTail(%d, %d, %g) summed %d terms, want 1", k, n, p, terms)
		}
	}
}

// BenchmarkBinomialTail grades a log file's national-id finding: 201
// validated of 83,226 candidates where chance expects 3,186 (below the
// mean), 4,000 (above it) and 30,000 (far above it).
func BenchmarkBinomialTail(b *testing.B) {
	for b.Loop() {
		binomialTail(201, 83226, 3185.7/83226)
		binomialTail(4000, 83226, 3185.7/83226)
		binomialTail(30000, 83226, 3185.7/83226)
	}
}
