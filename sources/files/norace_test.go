//go:build !race

package files

// raceEnabled: the race detector is on (see race_test.go).
const raceEnabled = false
