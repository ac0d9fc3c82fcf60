package detectors

import (
	"fmt"
	"strings"
)

// ExampleFailure is one documented example a detector gets wrong.
type ExampleFailure struct {
	Positive bool   // a true-positive example (else a false-positive one)
	Index    int    // its index in Positives() or Negatives()
	Text     string // the example text
	Msg      string // what went wrong
}

func (f ExampleFailure) Error() string {
	kind := "no_match"
	if f.Positive {
		kind = "match"
	}
	return fmt.Sprintf("%s example %d: %s", kind, f.Index+1, f.Msg)
}

// CheckExamples runs a detector over each of its own examples, as the
// registry test does for every built-in detector and the rule loader for
// every user-defined one. A positive must yield a match (with the value
// Want when Want is set); a negative must yield none, or only matches at
// Low when its Note says it is reported at Low.
func CheckExamples(d Detector) []ExampleFailure {
	var out []ExampleFailure
	var in Input
	find := func(text string) []Match {
		in.Reset([]byte(text), "")
		var ms []Match
		d.Find(&in, func(m Match) { ms = append(ms, m) })
		return ms
	}
	for i, ex := range d.Positives() {
		ms := find(ex.Text)
		ok := false
		for _, m := range ms {
			if ex.Want == "" || m.Value == ex.Want {
				ok = true
			}
		}
		if !ok {
			msg := "not matched"
			if ex.Want != "" && len(ms) > 0 {
				msg = fmt.Sprintf("matched %d values, but not the expected one", len(ms))
			}
			if err := in.Failure(); err != nil {
				msg = err.Error()
			}
			out = append(out, ExampleFailure{Positive: true, Index: i, Text: ex.Text, Msg: msg})
		}
	}
	for i, ex := range d.Negatives() {
		lowOK := strings.Contains(ex.Note, "Low")
		for _, m := range find(ex.Text) {
			if !lowOK || m.Confidence > Low {
				out = append(out, ExampleFailure{Index: i, Text: ex.Text,
					Msg: fmt.Sprintf("matched at %s (bytes %d–%d)", m.Confidence, m.Start, m.End)})
				break
			}
		}
		if err := in.Failure(); err != nil {
			out = append(out, ExampleFailure{Index: i, Text: ex.Text, Msg: err.Error()})
		}
	}
	return out
}
