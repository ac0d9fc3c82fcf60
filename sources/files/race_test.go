//go:build race

package files

// raceEnabled: the race detector is on. Its sync.Pool drops what is put
// at random, so tests of pooled buffers skip.
const raceEnabled = true
