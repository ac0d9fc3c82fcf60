package sources

import "encoding/binary"

// pathCache keeps the key paths a reader built, by a signature of what it
// built them from (exactly what the path is a function of): the values of
// a document's records ask for the same few paths, and building one
// (unescaping keys, telling dynamic ones) costs more than spelling its
// signature. A reader used once (JSONKeyAt) builds its paths without it.
type pathCache struct {
	paths map[string]string
	// front holds the signatures last added to paths by a hash of their
	// last bytes (frontSlot): most lookups are answered there with one
	// comparison, without hashing the whole signature for the map.
	front [1 << frontBits]frontPath
	sig   []byte // scratch for the signature being spelled
	built int    // paths built before the cache was used
	// hits and misses count the lookups since the cache last filled;
	// skip is how many paths are still to be built without it.
	hits, misses, skip int
}

// maxCachedPaths bounds a pathCache; it starts over when full (a document
// whose keys are data has paths without end).
const maxCachedPaths = 1024

// skipPaths is how many paths are built without the cache after it filled
// up with more misses than hits: a document whose keys are data (a map of
// ids, a test suite's cases) asks for a new path nearly every time, and
// keeping them all cost a string and a map slot each, and a new map per
// thousand. The cache is tried again after them.
const skipPaths = 16 * maxCachedPaths

// on reports whether to use the cache: from the third path a reader
// builds on, and not while it skips.
func (c *pathCache) on() bool {
	if c.skip > 0 {
		c.skip--
		return false
	}
	if c.paths != nil {
		return true
	}
	c.built++
	return c.built > 2
}

// frontBits is the log2 of pathCache.front's size.
const frontBits = 6

// frontPath is a signature and its path.
type frontPath struct{ sig, path string }

// frontSlot returns sig's slot in pathCache.front: a hash of its length and
// its last eight bytes, where the signatures of one document's paths
// differ (their last keys).
func frontSlot(sig []byte) int {
	var x uint64
	if n := len(sig); n >= 8 {
		x = binary.LittleEndian.Uint64(sig[n-8:])
	} else {
		for _, b := range sig {
			x = x<<8 | uint64(b)
		}
	}
	x ^= uint64(len(sig)) << 59
	return int(x * 0x9E3779B97F4A7C15 >> (64 - frontBits))
}

// get returns the path of signature sig, built by build when it is not
// kept yet.
func (c *pathCache) get(sig []byte, build func() string) string {
	c.sig = sig
	slot := &c.front[frontSlot(sig)]
	if slot.sig == string(sig) && slot.path != "" {
		c.hits++
		return slot.path
	}
	if p, ok := c.paths[string(sig)]; ok {
		c.hits++
		return p
	}
	c.misses++
	p := build()
	switch {
	case c.paths == nil:
		c.paths = make(map[string]string)
	case len(c.paths) >= maxCachedPaths:
		// Full: start over, in the same map; and when most lookups
		// missed, build the next paths without it.
		clear(c.paths)
		if c.hits < c.misses {
			c.skip = skipPaths
		}
		c.hits, c.misses = 0, 0
	}
	k := string(sig)
	c.paths[k] = p
	*slot = frontPath{k, p}
	return p
}
