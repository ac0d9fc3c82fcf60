package files

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"testing/iotest"

	"github.com/google/go-cmp/cmp"

	"github.com/piimap/piimap/sources"
)

// csvOutcome is everything a CSV read reported, in order.
type csvOutcome struct {
	Chunks  []string
	Columns []string
	Failed  []string
	RErr    string
}

// readBoth reads data as CSV with the one-pass reader and with the
// encoding/csv reference, through readers that return it in small pieces.
func readBoth(t testing.TB, data []byte, comma rune) (got, want csvOutcome) {
	t.Helper()
	run := func(ref bool) csvOutcome {
		rd := NewReader(sources.Options{ChunkSize: minChunkSize}, nil)
		sink := newRecSink(t)
		b := rd.getBufs()
		defer rd.putBufs(b)
		loc := sources.Location{Path: "x.csv"}
		r := iotest.HalfReader(bytes.NewReader(data))
		var rerr, err error
		if ref {
			rerr, err = rd.readCSVRef(context.Background(), r, loc, comma, b, sink)
		} else {
			rerr, err = rd.readCSV(context.Background(), r, loc, comma, b, sink)
		}
		if err != nil {
			t.Fatal(err)
		}
		var o csvOutcome
		for _, c := range sink.chunks {
			o.Chunks = append(o.Chunks, fmt.Sprintf("%s line %d row %d skip %d limit %d: %q", c.loc, c.line, c.row, c.skip, c.limit, c.owned()))
		}
		for _, c := range sink.columns {
			o.Columns = append(o.Columns, fmt.Sprintf("%s rows %d non-null %d", c.Loc, c.Rows, c.NonNull))
		}
		for _, e := range sink.failed["x.csv"] {
			o.Failed = append(o.Failed, e.Error())
		}
		if rerr != nil {
			o.RErr = rerr.Error()
		}
		return o
	}
	return run(false), run(true)
}

// randomCSV writes a CSV of about size bytes with the given delimiter,
// exercising quoting, doubled quotes, bare quotes, delimiters and line
// breaks (\n and \r\n) in quoted fields, blank lines, blank fields,
// records shorter and longer than the header, a BOM, and non-ASCII text.
func randomCSV(rng *rand.Rand, comma byte, size int) []byte {
	var b bytes.Buffer
	if rng.IntN(4) == 0 {
		b.WriteString("\ufeff")
	}
	nl := "\n"
	if rng.IntN(3) == 0 {
		nl = "\r\n"
	}
	cols := 1 + rng.IntN(6)
	words := []string{"ola", "Kari Nordmann", "ola.nordmann@example.no", "+47 912 34 567", "15038712486",
		"4571 8579 5959 3587", "192.168.10.1", "fnr", "epost", "åse", "  ", "", "x" + string(comma) + "y", "12,50", "tlf: 22 22 22 22"}
	field := func() string {
		w := words[rng.IntN(len(words))]
		switch rng.IntN(10) {
		case 0:
			return `"` + w + `""quoted""` + string(comma) + `"`
		case 1:
			return `"` + w + nl + words[rng.IntN(len(words))] + `"`
		case 2:
			return `"` + w + `"`
		case 3:
			return w + `"bare"`
		case 4:
			return `"lazy"` + w + `"` // a quote inside a quoted field, not doubled
		case 5:
			return " " + w + "\t"
		}
		if strings.ContainsAny(w, string(comma)+"\"\r\n") {
			return `"` + strings.ReplaceAll(w, `"`, `""`) + `"`
		}
		return w
	}
	for i := range cols {
		if i > 0 {
			b.WriteByte(comma)
		}
		if rng.IntN(5) > 0 {
			fmt.Fprintf(&b, "kolonne%d", i)
		}
	}
	b.WriteString(nl)
	for b.Len() < size {
		if rng.IntN(20) == 0 {
			b.WriteString(nl) // a blank line
		}
		n := cols
		switch rng.IntN(8) {
		case 0:
			n = 1 + rng.IntN(cols)
		case 1:
			n = cols + 1 + rng.IntN(3)
		}
		for i := range n {
			if i > 0 {
				b.WriteByte(comma)
			}
			b.WriteString(field())
		}
		b.WriteString(nl)
	}
	switch rng.IntN(4) {
	case 0: // no line break at the end
		b.Truncate(b.Len() - len(nl))
	case 1: // a stray \r at the very end
		b.WriteString("\r")
	case 2: // an unclosed quote at the end
		b.WriteString(`"unclosed` + string(comma) + "rest")
	}
	return b.Bytes()
}

// TestCSVMatchesReference: the one-pass reader reports exactly what the
// encoding/csv reader it replaced reported (fields with their columns,
// lines and rows, columns with their counts, failures) over generated
// CSVs with every delimiter and quoting case, larger than the read buffer
// so that records straddle refills.
func TestCSVMatchesReference(t *testing.T) {
	rng := rand.New(rand.NewPCG(11, 12))
	for i := range 60 {
		comma := []byte{',', ';', '\t', '|'}[i%4]
		size := 1 << (8 + rng.IntN(10)) // 256 B .. 128 KiB
		data := randomCSV(rng, comma, size)
		got, want := readBoth(t, data, rune(comma))
		if len(want.Chunks) == 0 && i%4 != 3 {
			t.Fatalf("case %d: the reference read no fields", i)
		}
		if d := cmp.Diff(want, got); d != "" {
			t.Fatalf("case %d (%q, %d bytes): differs from encoding/csv (-want +got):\n%s", i, comma, len(data), d)
		}
	}
	// Edge cases by hand.
	for _, data := range []string{
		"", "\n", "\r\n", "a", "a\r", "a,b\n", "a,b\n\n\n", "a,b\n1,2", "a,b\n1,2\r", "a,b\n1,\"2\r",
		"a,b\n1,", "a,b\n\"1\",", "a,b\n\"x\"\"", "a,b\n\"x\"y\"\n2,3\n", "a,b\n\"x\ny\"\"\",z\n",
		"a,b\r\n\"1\r\n2\",3\r\n", "\"h\"\n\"unterminated\n1\n2\n", "a\n\"\"\n\" \"\n", "a,b\n\"1\"\r", "a,b\n1,\"2\"\rx\n",
	} {
		got, want := readBoth(t, []byte(data), ',')
		if d := cmp.Diff(want, got); d != "" {
			t.Errorf("%q: differs from encoding/csv (-want +got):\n%s", data, d)
		}
	}
}

// TestCSVReadErrorMatchesReference: content that fails part way (a
// truncated .csv.gz) is handed over as far as it goes, the same way.
func TestCSVReadErrorMatchesReference(t *testing.T) {
	data := randomCSV(rand.New(rand.NewPCG(3, 4)), ';', 100<<10)
	boom := errors.New("gzip data truncated")
	for _, cut := range []int{10, 5000, 70_000, len(data) - 1} {
		run := func(ref bool) csvOutcome {
			rd := NewReader(sources.Options{ChunkSize: minChunkSize}, nil)
			sink := newRecSink(t)
			b := rd.getBufs()
			defer rd.putBufs(b)
			r := &failAfter{r: bytes.NewReader(data[:cut]), err: boom}
			read := rd.readCSV
			if ref {
				read = rd.readCSVRef
			}
			rerr, err := read(context.Background(), r, sources.Location{Path: "x.csv"}, ';', b, sink)
			if err != nil {
				t.Fatal(err)
			}
			var o csvOutcome
			for _, c := range sink.chunks {
				o.Chunks = append(o.Chunks, fmt.Sprintf("%s %d %d %q", c.loc, c.line, c.row, c.owned()))
			}
			for _, c := range sink.columns {
				o.Columns = append(o.Columns, fmt.Sprintf("%s %d %d", c.Loc, c.Rows, c.NonNull))
			}
			if rerr != nil {
				o.RErr = rerr.Error()
			}
			return o
		}
		got, want := run(false), run(true)
		if want.RErr == "" || !slices.ContainsFunc(want.Chunks, func(s string) bool { return strings.Contains(s, "#") }) && cut > 5000 {
			t.Fatalf("cut %d: the reference did not fail or read nothing: %+v", cut, want.RErr)
		}
		if d := cmp.Diff(want, got); d != "" {
			t.Errorf("cut %d: differs from encoding/csv (-want +got):\n%s", cut, d)
		}
	}
}

// FuzzCSVMatchesReference compares the one-pass reader with encoding/csv
// on arbitrary content (records under the size limit).
func FuzzCSVMatchesReference(f *testing.F) {
	f.Add([]byte("a;b\n1;2\n"), byte(';'))
	f.Add([]byte("\"a\nb\",c\n\"1\"\"\",2\n3,\"4\n"), byte(','))
	f.Add([]byte("x\ty\n\"unclosed\t2\n"), byte('\t'))
	f.Add([]byte("h1,h2,h3\r\n,,\r\n\r\n1\n1,2,3,4\r"), byte(','))
	f.Add([]byte("a|b\n\"x\"y\"|\"\"\n"), byte('|'))
	f.Fuzz(func(t *testing.T, data []byte, comma byte) {
		if !slices.Contains([]byte{',', ';', '\t', '|'}, comma) || len(data) > 32<<10 {
			t.Skip()
		}
		got, want := readBoth(t, data, rune(comma))
		if d := cmp.Diff(want, got); d != "" {
			t.Fatalf("differs from encoding/csv (-want +got):\n%s", d)
		}
	})
}
