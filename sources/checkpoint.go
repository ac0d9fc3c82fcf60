package sources

// checkpoints keeps a reader's state every so many bytes of its line, so
// that a position behind the last one asked for is read from the nearest
// checkpoint, not from the line's start: each detector asks for the key
// paths of its own values, from the start of a chunk on.
type checkpoints[S any] struct {
	every int // 0: none are kept
	next  int // the offset from which the next is kept
	cps   []checkpoint[S]
}

type checkpoint[S any] struct {
	off int
	st  S
}

// reset forgets the checkpoints of the last line.
func (c *checkpoints[S]) reset() { c.cps, c.next = c.cps[:0], 0 }

// due reports whether a checkpoint is to be kept at off.
func (c *checkpoints[S]) due(off int) bool { return c.every > 0 && off >= c.next }

// slot returns the state to keep at off, for the reader to fill (its
// storage is reused from checkpoints of earlier lines).
func (c *checkpoints[S]) slot(off int) *S {
	if len(c.cps) < cap(c.cps) {
		c.cps = c.cps[:len(c.cps)+1]
	} else {
		c.cps = append(c.cps, checkpoint[S]{})
	}
	cp := &c.cps[len(c.cps)-1]
	cp.off = off
	c.next = off + c.every
	return &cp.st
}

// before returns the last checkpoint at an offset below limit, or nil; the
// reader reads on from it, and keeps no checkpoint again before the last.
func (c *checkpoints[S]) before(limit int) *checkpoint[S] {
	if len(c.cps) > 0 {
		c.next = c.cps[len(c.cps)-1].off + c.every
	}
	for k := len(c.cps) - 1; k >= 0; k-- {
		if c.cps[k].off < limit {
			return &c.cps[k]
		}
	}
	return nil
}
