package sources

// stateCopier is a reader's state that can be copied without sharing
// storage (XMLState, YAMLState).
type stateCopier[S any] interface {
	*S
	copyFrom(o *S)
}

// checkpoints keeps a reader's state every so many bytes of its line, so
// that a position behind the last one asked for is read from the nearest
// checkpoint, not from the line's start: each detector asks for the key
// paths of its own values, from the start of a chunk on.
type checkpoints[S any, P stateCopier[S]] struct {
	every int // 0: none are kept
	next  int // the offset from which the next is kept
	cps   []checkpoint[S]
}

type checkpoint[S any] struct {
	off int
	st  S
}

// reset forgets the checkpoints of the last line.
func (c *checkpoints[S, P]) reset() { c.cps, c.next = c.cps[:0], 0 }

// due reports whether a checkpoint is to be kept at off.
func (c *checkpoints[S, P]) due(off int) bool { return c.every > 0 && off >= c.next }

// keep keeps st as the state at off.
func (c *checkpoints[S, P]) keep(off int, st *S) {
	if len(c.cps) < cap(c.cps) {
		c.cps = c.cps[:len(c.cps)+1] // reuse the slot's storage
	} else {
		c.cps = append(c.cps, checkpoint[S]{})
	}
	cp := &c.cps[len(c.cps)-1]
	cp.off = off
	P(&cp.st).copyFrom(st)
	c.next = off + c.every
}

// before returns the last checkpoint at an offset below limit, or nil; the
// reader reads on from it, and keeps no checkpoint again before the last.
func (c *checkpoints[S, P]) before(limit int) *checkpoint[S] {
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
