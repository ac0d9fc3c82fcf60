package scanner

import (
	"slices"

	"github.com/piimap/piimap/sources"
)

// parts merges the parts of resources read in parts (sources.Part: the
// ranges of a large file) in order, whatever order the workers finish them
// in, so that a resource's aggregate is what reading it whole gives: its
// first examples and lines (MaxExamples, MaxLines) are those of its first
// matches, it is counted once, and a failure is named once. A part numbers
// its lines on its own (sources.Part.Lines): merging it in order adds the
// lines of every part before it to its line numbers. Not safe for
// concurrent use.
type parts struct {
	groups map[*sources.Whole]*partGroup
}

// partGroup is one resource being read in parts.
type partGroup struct {
	agg  *aggregate         // parts 0 … next-1, merged
	next int                // the next part to merge
	read map[int]*aggregate // parts read, waiting for an earlier one
	last int                // index of the last part; -1 until it is read
	// lines is the number of newlines parts 0 … next-1 own; linesLost
	// that one of them did not know its own, so that the line numbers of
	// the parts after it are unknown.
	lines     int64
	linesLost bool
}

// add records part p, read into a. It returns the resource's aggregate once
// every part has been read and merged, else nil.
func (ps *parts) add(p sources.Part, a *aggregate) *aggregate {
	whole, index, last := p.PartOf()
	if ps.groups == nil {
		ps.groups = map[*sources.Whole]*partGroup{}
	}
	g := ps.groups[whole]
	if g == nil {
		g = &partGroup{agg: newAggregate(), read: map[int]*aggregate{}, last: -1}
		ps.groups[whole] = g
	}
	if last {
		g.last = index
	}
	g.read[index] = a
	for {
		a := g.read[g.next]
		if a == nil {
			return nil
		}
		delete(g.read, g.next)
		g.merge(a)
		if g.next == g.last {
			delete(ps.groups, whole)
			return g.agg
		}
		g.next++
	}
}

// merge folds the next part into the group: its line numbers become the
// resource's (or are dropped when they cannot be known), a failure already
// recorded for the resource (the same location and error) is not repeated,
// and the resource is counted as one file.
func (g *partGroup) merge(a *aggregate) {
	if g.linesLost {
		a.dropLines()
	} else {
		a.shiftLines(g.lines - a.lead)
	}
	if a.linesUnknown {
		g.linesLost = true
	} else {
		g.lines += a.ownedLines
	}
	a.failures = slices.DeleteFunc(a.failures, func(f Failure) bool { return slices.Contains(g.agg.failures, f) })
	if g.agg.files > 0 {
		a.files = 0
	}
	g.agg.merge(a)
}

// rest returns what was read of the resources not every part of which was
// read (the scan was interrupted), each resource's parts merged in order.
// The parts waiting here all follow a part that was not read (add merged
// every part up to the first one missing): how many lines come before
// them is unknown, so their findings are kept without line numbers rather
// than with wrong ones.
func (ps *parts) rest() []*aggregate {
	var out []*aggregate
	for _, g := range ps.groups {
		g.linesLost = true
		idx := make([]int, 0, len(g.read))
		for i := range g.read {
			idx = append(idx, i)
		}
		slices.Sort(idx)
		for _, i := range idx {
			g.merge(g.read[i])
		}
		out = append(out, g.agg)
	}
	ps.groups = nil
	return out
}
