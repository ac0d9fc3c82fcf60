package sources

import (
	"fmt"
	"strings"
	"testing"
)

// A reused reader, whose key paths come from its cache, gives at every
// position of a document the path a new reader gives. The keys have the
// same lengths and differ in their bytes, some are written like values
// ("*"), and the documents are read again after a reset, so that a
// signature that left anything out would return another key's path.
func TestPathCacheAgreesWithNewReaders(t *testing.T) {
	var js, xs, ys strings.Builder
	js.WriteString("{\"rows\": [\n")
	xs.WriteString("<rows>\n")
	for i := range 40 {
		k1, k2 := fmt.Sprintf("k%02d", i%7), fmt.Sprintf("x%02d", i%5)
		if i%9 == 0 {
			k2 = fmt.Sprintf("%d", 1000+i) // a dynamic key: "*"
		}
		sep := ","
		if i == 39 {
			sep = ""
		}
		fmt.Fprintf(&js, "  {%q: {%q: \"v%d\"}, \"tail\": [%q]}%s\n", k1, k2, i, k2, sep)
		fmt.Fprintf(&xs, "  <%s><%s>v%d</%s></%s>\n", k1, k2, i, k2, k1)
		fmt.Fprintf(&ys, "%s:\n  %s: v%d\n  list:\n  - %s: w\n", k1, k2, i, k2)
	}
	js.WriteString("]}\n")
	xs.WriteString("</rows>\n")
	check := func(name string, doc []byte, reset func([]byte), at func(int) string, fresh func(pos int) string) {
		t.Helper()
		for round := range 2 {
			reset(doc)
			for p := range doc {
				if got, want := at(p), fresh(p); got != want {
					t.Fatalf("%s, round %d, at %d (%q): reused reader %q, new reader %q", name, round, p, doc[max(0, p-10):p+1], got, want)
				}
			}
		}
	}
	jdoc, xdoc, ydoc := []byte(js.String()), []byte(xs.String()), []byte(ys.String())
	var jr JSONKeyReader
	check("JSON", jdoc, func(d []byte) { jr.ResetState(d, nil) }, jr.At, func(p int) string {
		return pathAt[JSONState](&JSONKeyReader{}, jdoc, p)
	})
	var xr XMLKeyReader
	check("XML", xdoc, func(d []byte) { xr.ResetState(d, nil) }, xr.At, func(p int) string {
		return pathAt[XMLState](&XMLKeyReader{}, xdoc, p)
	})
	var yr YAMLKeyReader
	check("YAML", ydoc, func(d []byte) { yr.ResetState(d, nil) }, yr.At, func(p int) string {
		return pathAt[YAMLState](&YAMLKeyReader{}, ydoc, p)
	})
}
