package scanner

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"unsafe"

	"github.com/piimap/piimap/detectors"
	"github.com/piimap/piimap/sources"
	filesrc "github.com/piimap/piimap/sources/files"
)

func TestValueFingerprintKeyed(t *testing.T) {
	a := ValueFingerprint([]byte("key one........."), detectors.NationalID, "15038712486")
	b := ValueFingerprint([]byte("key two........."), detectors.NationalID, "15038712486")
	c := ValueFingerprint([]byte("key one........."), detectors.Phone, "15038712486")
	if a == b || a == c || len(a) != 24 {
		t.Errorf("fingerprints %s %s %s: want 24 hex digits, different per key and category", a, b, c)
	}
	if a != ValueFingerprint([]byte("key one........."), detectors.NationalID, "15038712486") {
		t.Error("not deterministic")
	}
	if KeyID(nil) != "" || KeyID([]byte("k1")) == KeyID([]byte("k2")) {
		t.Error("key ids")
	}
}

// TestValueFingerprintsCapped: a finding keeps at most MaxValueFingerprints
// distinct values, says so, and merging keeps the cap.
func TestValueFingerprintsCapped(t *testing.T) {
	h := newValueHasher([]byte("test key 0123456"))
	f := &acc{}
	g := &acc{}
	m := detectors.Match{Detector: "no_fnr", Category: detectors.NationalID, Confidence: detectors.High}
	for i := range MaxValueFingerprints + 50 {
		m.Value = strconv.Itoa(i)
		fp := h.fingerprint(m.Category, m.Value, 0)
		f.add(m, "", 0, 0, &fp)
		f.add(m, "", 0, 0, &fp) // repeated values count once
		if i < 10 {
			g.add(m, "", 0, 0, &fp)
		}
	}
	vals, complete := f.values()
	if len(vals) != MaxValueFingerprints || complete || f.count != 2*(MaxValueFingerprints+50) {
		t.Errorf("%d values, complete %v, count %d", len(vals), complete, f.count)
	}
	gv, gc := g.values()
	if len(gv) != 10 || !gc {
		t.Errorf("small finding: %d values, complete %v", len(gv), gc)
	}
	a, b := newAggregate(), newAggregate()
	k := findingKey{cat: detectors.NationalID}
	a.findings[k], b.findings[k] = g, f
	a.merge(b)
	mv, mc := a.findings[k].values()
	if len(mv) != MaxValueFingerprints || mc {
		t.Errorf("merged: %d values, complete %v", len(mv), mc)
	}
}

// TestAddExampleKeepsACopy: an example is kept as a copy of the string it
// was given (a value shown with --show-values lives in a block of its
// chunk's values, which the example would otherwise keep alive), and
// examples stay distinct and at most MaxExamples.
func TestAddExampleKeepsACopy(t *testing.T) {
	var list []string
	for i := range MaxExamples + 3 {
		s := fmt.Sprintf("kari%d@example.no", i%(MaxExamples+1))
		list = addExample(list, s)
		if n := len(list); n > 0 && list[n-1] == s && unsafe.StringData(list[n-1]) == unsafe.StringData(s) {
			t.Fatalf("example %q kept as the string given, not a copy", s)
		}
	}
	if len(list) != MaxExamples {
		t.Errorf("%d examples kept, want %d", len(list), MaxExamples)
	}
}

// TestSecretsFingerprinted: a password's value is written with "***" for
// it, yet its value fingerprint tells two passwords at one place apart
// (Match.Secret), so that a baseline does not accept a new password in
// place of an old one; the same password gives the same fingerprint.
func TestSecretsFingerprinted(t *testing.T) {
	dir := t.TempDir()
	const stamp = "2026-03-01T10:00:00 ERROR "
	files := map[string]string{
		"a.log": stamp + "connect postgres://app:Vinter2026!@db.prod:5432/shop failed\n",
		"b.log": stamp + "connect postgres://app:Sommer-2027@db.prod:5432/shop failed\n",
		"c.log": stamp + "connect postgres://app:Vinter2026!@db.prod:5432/shop failed\n",
		"d.log": stamp + "login failed user=kari password=Vinter2026!\n",
		"e.log": stamp + "login failed user=kari password=Sommer2027?\n",
	}
	for name, text := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	res, err := Scan(context.Background(), Config{
		Targets: []string{dir}, Detectors: detectors.All(), ValueKey: []byte("secrets test value key, 32 byte"),
		Open: func(ctx context.Context, t string) (sources.Source, error) {
			return filesrc.New(t, sources.Options{}, slog.New(slog.DiscardHandler))
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	vals := map[string]string{}
	for _, f := range res.Findings {
		if f.Category == detectors.Credentials && len(f.Values) == 1 {
			vals[f.Location.Path] = f.Values[0]
		}
	}
	if len(vals) != len(files) {
		t.Fatalf("credentials value fingerprints %v, want one for each of %d files", vals, len(files))
	}
	if vals["a.log"] != vals["c.log"] || vals["a.log"] == vals["b.log"] || vals["d.log"] == vals["e.log"] {
		t.Errorf("fingerprints %v: want a = c, a ≠ b, d ≠ e", vals)
	}
	if s := fmt.Sprintf("%+v", res); strings.Contains(s, "Vinter2026") || strings.Contains(s, "Sommer2027") {
		t.Errorf("the result holds a password: %s", s)
	}
}
