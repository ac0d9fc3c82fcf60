package sources

import (
	"fmt"
	"strconv"
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

// toldSpan is what a key-path reader tells of a span it reads past
// (JSONKeyReader.OnString, XMLKeyReader.OnText, YAMLKeyReader.OnLine).
type toldSpan struct {
	lo, hi int
	path   string
}

// checkTold checks the spans a reader told as it read doc: in order, each
// once, and with what a new reader's Span (span) gives at their first and
// last positions.
func checkTold(t *testing.T, doc []byte, told []toldSpan, span func(p int) (string, int, int)) {
	t.Helper()
	for k, x := range told {
		if k > 0 && x.lo < told[k-1].hi {
			t.Fatalf("%q: spans told out of order or twice: %v", doc, told)
		}
		for _, p := range []int{x.lo, min(x.hi-1, len(doc)-1)} {
			if p < x.lo {
				continue // an empty last line
			}
			if path, lo, hi := span(p); path != x.path || lo != x.lo || hi != x.hi {
				t.Fatalf("%q: told %v, Span(%d) = %q [%d, %d)", doc, x, p, path, lo, hi)
			}
		}
	}
}

// spanReader is a key-path reader of documents read chunk by chunk that
// gives spans (XMLKeyReader, YAMLKeyReader).
type spanReader[S any] interface {
	ResetState(line []byte, st *S)
	At(pos int) string
	Span(pos int) (string, int, int)
}

// checkToldReading reads doc at every position with r, whose spans its
// onSpan (r's OnText or OnLine) tells, then back at its start and end,
// and checks what it told against new readers made by newReader.
func checkToldReading[S any](t *testing.T, doc []byte, r spanReader[S], onSpan func(func(lo, hi int, path string)), newReader func() spanReader[S]) {
	t.Helper()
	var told []toldSpan
	onSpan(func(lo, hi int, path string) { told = append(told, toldSpan{lo, hi, path}) })
	r.ResetState(doc, nil)
	for p := range doc {
		r.At(p)
	}
	if len(doc) > 0 {
		r.At(0)
		r.At(len(doc) - 1)
	}
	checkTold(t, doc, told, func(p int) (string, int, int) {
		f := newReader()
		f.ResetState(doc, nil)
		return f.Span(p)
	})
}

// TestPathCacheSkipsWhenMissing checks the cache's two regimes: paths that
// repeat are served from it however many are asked for, and paths that are
// all new (keys that are data) fill it once and are then built without it
// for skipPaths paths; either way every path is the one build makes.
func TestPathCacheSkipsWhenMissing(t *testing.T) {
	var c pathCache
	ask := func(sig string) (string, bool) {
		if !c.on() {
			return "built:" + sig, false
		}
		built := false
		p := c.get([]byte(sig), func() string { built = true; return "built:" + sig })
		return p, !built
	}
	// Repeating: 20 signatures over and over, all hits after the first
	// round, and no skipping.
	hits := 0
	for i := range 5 * maxCachedPaths {
		sig := "rec." + strconv.Itoa(i%20)
		p, hit := ask(sig)
		if p != "built:"+sig {
			t.Fatalf("%s: got %q", sig, p)
		}
		if hit {
			hits++
		}
	}
	if hits < 5*maxCachedPaths-25 || c.skip != 0 {
		t.Fatalf("repeating paths: %d hits of %d, skip %d", hits, 5*maxCachedPaths, c.skip)
	}
	// All new: once the cache is full of misses, the next skipPaths are
	// built without it, and it is used again after them.
	skipped, n := 0, 0
	for i := 0; skipped == 0 || c.skip > 0; i++ {
		sig := "id." + strconv.Itoa(i)
		wasOn := c.skip == 0
		p, _ := ask(sig)
		if p != "built:"+sig {
			t.Fatalf("%s: got %q", sig, p)
		}
		if !wasOn {
			skipped++
		}
		if n++; n > 4*skipPaths {
			t.Fatal("the cache never skips paths that are all new")
		}
	}
	if skipped != skipPaths {
		t.Fatalf("%d paths built without the cache, want %d", skipped, skipPaths)
	}
	if !c.on() {
		t.Fatal("the cache is not used again after skipping")
	}
}

// TestPathCacheFront asks for signatures that share a front slot (the same
// length and last eight bytes) in turn with others that do not: every
// path is the one build makes for its own signature, and once built, none
// is built again.
func TestPathCacheFront(t *testing.T) {
	var c pathCache
	c.built = 2 // the cache is on from the first path
	sigs := []string{"a.kontakt.epost", "b.kontakt.epost", "c.kontakt.epost", "x", "", "[.4navn", "[.2ip", "[.5ordre[.3ref"}
	if frontSlot([]byte(sigs[0])) != frontSlot([]byte(sigs[1])) {
		t.Fatal("the first two signatures should share a slot")
	}
	builds := 0
	for round := range 50 {
		for i, sig := range sigs {
			if !c.on() {
				t.Fatal("cache off")
			}
			p := c.get([]byte(sig), func() string { builds++; return "path:" + sig })
			if p != "path:"+sig {
				t.Fatalf("round %d, %q: got %q", round, sig, p)
			}
			if i == 2 && round%7 == 0 {
				_ = c.get([]byte(sigs[0]), func() string { builds++; return "path:" + sigs[0] })
			}
		}
	}
	if builds != len(sigs) {
		t.Errorf("%d builds, want %d (one per signature)", builds, len(sigs))
	}
}
