package detectors

import (
	"reflect"
	"testing"
)

// checkAgainstRef fails when a detector's Find and its plain reference walk
// (the shortcut-free version it must agree with) report different matches.
func checkAgainstRef(t *testing.T, find, ref func(*Input, func(Match)), text []byte, key string) {
	t.Helper()
	var in Input
	in.Reset(text, key)
	var got, want []Match
	find(&in, func(m Match) { got = append(got, m) })
	in.Reset(text, key)
	ref(&in, func(m Match) { want = append(want, m) })
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("%q key %q:\nFind      %+v\nreference %+v", text, key, got, want)
	}
}
