package sources

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
)

// valueReader is a key-path reader that can tell the values it reads
// past (JSONKeyReader, XMLKeyReader).
type valueReader[S any] interface {
	ResetState(line []byte, st *S)
	SetCheckpoints(every int)
	At(pos int) string
	EachValue(from, to int, fn func(key []byte, s, e int))
	OnValue(fn func(key []byte, s, e int), from, to int)
	ReadRest()
	CurrentPath() string
}

// checkOnValue reads doc with r as the scanner's detectors do: paths
// looked up in runs from the start, each run at increasing positions
// (seed picks them), r telling the values it reads past (OnValue) with
// checkpoints every 16 bytes, then the rest (ReadRest). The values told,
// their keys and paths must be those a new reader's EachValue gives, each
// once and in order, for a range cut at from and to.
func checkOnValue[S any](t *testing.T, doc []byte, r, fresh valueReader[S], seed uint64) {
	t.Helper()
	rng := rand.New(rand.NewPCG(seed, 7))
	from, to := 0, len(doc)
	if len(doc) > 0 && seed%3 == 1 {
		from, to = rng.IntN(len(doc)), rng.IntN(len(doc)+1)
	}
	value := func(rd valueReader[S], out *[]string) func(key []byte, s, e int) {
		return func(key []byte, s, e int) {
			*out = append(*out, fmt.Sprintf("%q=%q@%q", key, doc[s:e], rd.CurrentPath()))
		}
	}
	var want, got []string
	fresh.ResetState(doc, nil)
	fresh.EachValue(from, to, value(fresh, &want))
	r.ResetState(doc, nil)
	r.SetCheckpoints(16)
	r.OnValue(value(r, &got), from, to)
	for range 3 {
		if len(doc) == 0 {
			break
		}
		for p := rng.IntN(len(doc)); p < len(doc); p += 1 + rng.IntN(40) {
			r.At(p)
		}
	}
	r.ReadRest()
	r.OnValue(nil, 0, 0)
	if !slices.Equal(got, want) {
		t.Fatalf("%q [%d, %d): values told\n%s\nwant\n%s", doc, from, to, strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

// TestOnValue checks the values told by JSON and XML readers that go back
// and forth, on documents with long strings and contents that checkpoints
// fall inside.
func TestOnValue(t *testing.T) {
	long := strings.Repeat("levert pakke ", 20)
	jsonDocs := []string{
		`{"kunder":[{"navn":"Kari","epost":"k@firma.no","n":1},{"navn":"` + long + `","x":{"y":"z"}}],"s":"a\"b"}`,
		"{\"a\": [\"x\", \"y\"], \"b\": {\"c\": \"" + long + "\", \"d\": 12, \"e\": \"f\"}}\n",
	}
	xmlDocs := []string{
		"<kunder>\n <kunde nr=\"1\"><navn>Kari</navn><notat>" + long + "</notat></kunde>\n <kunde><navn> " + long + " </navn><![CDATA[" + long + "]]></kunde>\n</kunder>",
		`<a x="1"><b>t</b><!-- ` + long + ` --><c>` + long + `<d/>` + long + `</c></a>`,
	}
	for seed := range uint64(60) {
		for _, d := range jsonDocs {
			checkOnValue[JSONState](t, []byte(d), &JSONKeyReader{}, &JSONKeyReader{}, seed)
		}
		for _, d := range xmlDocs {
			checkOnValue[XMLState](t, []byte(d), &XMLKeyReader{}, &XMLKeyReader{}, seed)
		}
	}
}
