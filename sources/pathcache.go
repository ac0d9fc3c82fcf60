package sources

// pathCache keeps the key paths a reader built, by a signature of what it
// built them from (exactly what the path is a function of): the values of
// a document's records ask for the same few paths, and building one
// (unescaping keys, telling dynamic ones) costs more than spelling its
// signature. A reader used once (JSONKeyAt) builds its paths without it.
type pathCache struct {
	paths map[string]string
	sig   []byte // scratch for the signature being spelled
	built int    // paths built before the cache was used
}

// maxCachedPaths bounds a pathCache; it starts over when full (a document
// whose keys are data has paths without end).
const maxCachedPaths = 1024

// on reports whether to use the cache: from the third path a reader
// builds on.
func (c *pathCache) on() bool {
	if c.paths != nil {
		return true
	}
	c.built++
	return c.built > 2
}

// get returns the path of signature sig, built by build when it is not
// kept yet.
func (c *pathCache) get(sig []byte, build func() string) string {
	c.sig = sig
	if p, ok := c.paths[string(sig)]; ok {
		return p
	}
	p := build()
	if c.paths == nil || len(c.paths) >= maxCachedPaths {
		c.paths = make(map[string]string)
	}
	c.paths[string(sig)] = p
	return p
}
