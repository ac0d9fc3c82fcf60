package files

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"testing/iotest"

	"github.com/google/go-cmp/cmp"

	"github.com/piimap/piimap/internal/bitmask"
	"github.com/piimap/piimap/internal/corpus"
	"github.com/piimap/piimap/sources"
)

// csvOutcome is everything a CSV read reported, in order.
type csvOutcome struct {
	Chunks  []string
	Columns []string
	Failed  []string
	RErr    string
}

// The CSV readers the differential tests compare.
const (
	onePass     = iota // readCSV
	ruleRef            // readCSVRule, the slow reference of readCSV's rule
	encodingCSV        // readCSVRef, encoding/csv with LazyQuotes
)

// readWith reads data as CSV with the reader which, through a reader that
// returns it in small pieces.
func readWith(t testing.TB, data []byte, comma rune, which int) csvOutcome {
	t.Helper()
	rd := NewReader(sources.Options{ChunkSize: minChunkSize}, nil)
	sink := newRecSink(t)
	b := rd.getBufs()
	defer rd.putBufs(b)
	loc := sources.Location{Path: "x.csv"}
	r := iotest.HalfReader(bytes.NewReader(data))
	read := []func(context.Context, io.Reader, sources.Location, rune, *buffers, sources.Sink) (error, error){
		onePass: rd.readCSV, ruleRef: rd.readCSVRule, encodingCSV: rd.readCSVRef,
	}[which]
	rerr, err := read(context.Background(), r, loc, comma, b, sink)
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

// compareCSV reads data with readCSV and with the slow reference of its
// rule, and reports how they differ; where the rule agrees with
// encoding/csv (no field opening with a quote was read unquoted, reread
// false), also how the reference differs from encoding/csv.
func compareCSV(t testing.TB, data []byte, comma byte) (diff string, reread bool, got csvOutcome) {
	t.Helper()
	_, reread = splitCSVRule(string(data), comma)
	got = readWith(t, data, rune(comma), onePass)
	want := readWith(t, data, rune(comma), ruleRef)
	if d := cmp.Diff(want, got); d != "" {
		return "readCSV differs from the reference of its rule (-want +got):\n" + d, reread, got
	}
	if !reread {
		ref := readWith(t, data, rune(comma), encodingCSV)
		if d := cmp.Diff(ref, want); d != "" {
			return "the reference of the rule differs from encoding/csv where they agree (-encoding/csv +rule):\n" + d, reread, got
		}
	}
	return "", reread, got
}

// randomCSV writes a CSV of about size bytes with the given delimiter,
// exercising quoting, doubled quotes, bare quotes, delimiters and line
// breaks (\n and \r\n) in quoted fields, blank lines, blank fields,
// records shorter and longer than the header, a BOM, and non-ASCII text.
// Bare quotes come after a line break in a quoted field (literal), in
// unquoted fields, and, in about half of the files, on the first line of
// a field that opens with a quote (which is then not a quoted field, where
// encoding/csv with LazyQuotes reads it as one).
func randomCSV(rng *rand.Rand, comma byte, size int) []byte {
	var b bytes.Buffer
	if rng.IntN(4) == 0 {
		b.WriteString("\ufeff")
	}
	nl := "\n"
	if rng.IntN(3) == 0 {
		nl = "\r\n"
	}
	lazy := rng.IntN(2) == 0
	cols := 1 + rng.IntN(6)
	words := []string{"ola", "Kari Nordmann", "ola.nordmann@example.no", "+47 912 34 567", "15038712486",
		"4571 8579 5959 3587", "192.168.10.1", "fnr", "epost", "åse", "  ", "", "x" + string(comma) + "y", "12,50", "tlf: 22 22 22 22"}
	field := func() string {
		w := words[rng.IntN(len(words))]
		w2 := words[rng.IntN(len(words))]
		switch rng.IntN(12) {
		case 0:
			return `"` + w + `""quoted""` + string(comma) + `"`
		case 1:
			return `"` + w + nl + w2 + `"`
		case 2:
			return `"` + w + `"`
		case 3:
			return w + `"bare"`
		case 4:
			if lazy {
				return `"lazy"` + w + `"` // a bare quote on the first line
			}
			return `"` + w + nl + `lazy"` + w2 + `"` // a bare quote after a line break
		case 5:
			return " " + w + "\t"
		case 6:
			return `"` + w + nl + `after "a" break ` + w2 + `"`
		case 7:
			if lazy {
				return `"AGENT" K is ` + w + ` "doner"-wrap` // the shape of pypi.tsv
			}
			return `"""AGENT"" K is ` + w + `"`
		case 8:
			if lazy {
				return `"` + w + string(comma) + `x"` + w2 // a delimiter before the bare quote
			}
		case 9:
			if lazy && rng.IntN(4) == 0 {
				return `"` + w // an unclosed quote (in a TSV: read unquoted once it meets a tab on a later line)
			}
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
// slow reference of its rule reports (fields with their columns, lines and
// rows, columns with their counts, failures), and that reference what the
// encoding/csv reader readCSV replaced reported wherever the two rules
// agree, over generated CSVs with every delimiter and quoting case, larger
// than the read buffer so that records straddle refills.
func TestCSVMatchesReference(t *testing.T) {
	rng := rand.New(rand.NewPCG(11, 12))
	rereads := 0
	for i := range 60 {
		comma := []byte{',', ';', '\t', '|'}[i%4]
		size := 1 << (8 + rng.IntN(10)) // 256 B .. 128 KiB
		data := randomCSV(rng, comma, size)
		d, reread, got := compareCSV(t, data, comma)
		if len(got.Chunks) == 0 && i%4 != 3 {
			t.Fatalf("case %d: read no fields", i)
		}
		if d != "" {
			t.Fatalf("case %d (%q, %d bytes): %s", i, comma, len(data), d)
		}
		if reread {
			rereads++
		}
	}
	// Both rules and where they part are exercised.
	if rereads < 10 || rereads > 50 {
		t.Errorf("%d of 60 cases have a field opening with a quote read unquoted; want both kinds", rereads)
	}
	// Edge cases by hand.
	for _, data := range []string{
		"", "\n", "\r\n", "a", "a\r", "a,b\n", "a,b\n\n\n", "a,b\n1,2", "a,b\n1,2\r", "a,b\n1,\"2\r",
		"a,b\n1,", "a,b\n\"1\",", "a,b\n\"x\"\"", "a,b\n\"x\"y\"\n2,3\n", "a,b\n\"x\ny\"\"\",z\n",
		"a,b\r\n\"1\r\n2\",3\r\n", "\"h\"\n\"unterminated\n1\n2\n", "a\n\"\"\n\" \"\n", "a,b\n\"1\"\r", "a,b\n1,\"2\"\rx\n",
		// Bare quotes on a quoted field's first line, and after it.
		"a,b\n\"AGENT\" K \"doner\"-wrap,2\n3,4\n", "a,b\n\"x\"y,\"z\n5,6\n", "a,b\n\"x,y\"z,w\n", "a,b\n\"x\"\"y\"z\n",
		"a,b\n\"x\ny\"z\",w\n", "a,b\n\"\"\"x\n", "a,b\n\"x\"\ry\n", "a,b\n\"x\"y", "a,b\n\"x\"y\r", "a\r\n\"x\"y\r\n\"z\"\r\n",
	} {
		if d, _, _ := compareCSV(t, []byte(data), ','); d != "" {
			t.Errorf("%q: %s", data, d)
		}
	}
}

// TestCSVReadErrorMatchesReference: content that fails part way (a
// truncated .csv.gz) is handed over as far as it goes, the same way as by
// the slow reference of the rule, and by encoding/csv where the rules agree.
func TestCSVReadErrorMatchesReference(t *testing.T) {
	boom := errors.New("gzip data truncated")
	rereads := 0
	for _, seed := range []uint64{0, 4, 1, 5} {
		data := randomCSV(rand.New(rand.NewPCG(3+seed, 4)), ';', 100<<10)
		_, reread := splitCSVRule(string(data), ';')
		if reread {
			rereads++
		}
		for _, cut := range []int{10, 5000, 70_000, len(data) - 1} {
			run := func(which int) csvOutcome {
				rd := NewReader(sources.Options{ChunkSize: minChunkSize}, nil)
				sink := newRecSink(t)
				b := rd.getBufs()
				defer rd.putBufs(b)
				r := &failAfter{r: bytes.NewReader(data[:cut]), err: boom}
				read := []func(context.Context, io.Reader, sources.Location, rune, *buffers, sources.Sink) (error, error){
					onePass: rd.readCSV, ruleRef: rd.readCSVRule, encodingCSV: rd.readCSVRef,
				}[which]
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
			got, want := run(onePass), run(ruleRef)
			if want.RErr == "" || !slices.ContainsFunc(want.Chunks, func(s string) bool { return strings.Contains(s, "#") }) && cut > 5000 {
				t.Fatalf("seed %d, cut %d: the reference did not fail or read nothing: %+v", seed, cut, want.RErr)
			}
			if d := cmp.Diff(want, got); d != "" {
				t.Errorf("seed %d, cut %d: differs from the reference of the rule (-want +got):\n%s", seed, cut, d)
			}
			if !reread {
				if d := cmp.Diff(run(encodingCSV), want); d != "" {
					t.Errorf("seed %d, cut %d: the reference of the rule differs from encoding/csv (-encoding/csv +rule):\n%s", seed, cut, d)
				}
			}
		}
	}
	if rereads == 0 || rereads == 4 {
		t.Errorf("%d of 4 contents have a field opening with a quote read unquoted; want both kinds", rereads)
	}
}

// FuzzCSVMatchesReference compares the one-pass reader with the slow
// reference of its rule on arbitrary content (records under the size
// limit), and that reference with encoding/csv where the rules agree.
func FuzzCSVMatchesReference(f *testing.F) {
	f.Add([]byte("a;b\n1;2\n"), byte(';'))
	f.Add([]byte("\"a\nb\",c\n\"1\"\"\",2\n3,\"4\n"), byte(','))
	f.Add([]byte("x\ty\n\"unclosed\t2\n"), byte('\t'))
	f.Add([]byte("h1,h2,h3\r\n,,\r\n\r\n1\n1,2,3,4\r"), byte(','))
	f.Add([]byte("a|b\n\"x\"y\"|\"\"\n"), byte('|'))
	f.Add([]byte("n\tv\ts\nagentk\t0.3.2\t\"AGENT\" K \"doner\"-wrap\nx\t1.2.3.4\t\"s\"\n"), byte('\t'))
	f.Add([]byte("a,b\r\n\"x\r\ny\"z\",\"w,v\"u\r\n"), byte(','))
	// First records with and without a header row.
	f.Add([]byte("kari@x.no;Kari\nola@x.no;Ola\n"), byte(';'))
	f.Add([]byte("ID;Navn;2023-01-01\n1;Kari;5\n2;Ola;\n"), byte(';'))
	f.Add([]byte("2024-01-31,Kari\n2024-02-01,\"Ola\nH\"\n"), byte(','))
	f.Add([]byte("2024-01-31\tKari\n"), byte('\t'))
	f.Fuzz(func(t *testing.T, data []byte, comma byte) {
		if !slices.Contains([]byte{',', ';', '\t', '|'}, comma) || len(data) > 32<<10 {
			t.Skip()
		}
		if d, _, _ := compareCSV(t, data, comma); d != "" {
			t.Fatal(d)
		}
	})
}

// TestBlankAgreesWithTrimSpace: blank is len(bytes.TrimSpace(b)) == 0.
func TestBlankAgreesWithTrimSpace(t *testing.T) {
	r := rand.New(rand.NewPCG(8, 9))
	for range 20000 {
		b := corpus.Bytes(r, " \t\n\v\f\rx0\xc2\xa0\xe3\x80\x80\x85\xff", 5)
		if got, want := blank(b), len(bytes.TrimSpace(b)) == 0; got != want {
			t.Fatalf("blank(%q) = %v, want %v", b, got, want)
		}
	}
}

// TestCSVBlockAdd: fields of every length up to 40, from arrays with room
// past them and without, short fields copied by the 16-byte move and long
// ones appended, give each column's contents and separators exactly.
func TestCSVBlockAdd(t *testing.T) {
	var k csvBlock
	want := map[int][]byte{}
	src := []byte(strings.Repeat("0123456789abcdefghijklmnopqrstuvwxyz", 3))
	for round := range 3 {
		for n := range 41 {
			col := n % 3
			var content []byte
			if round == 1 {
				content = bytes.Clone(src[n : 2*n]) // no room past it
			} else {
				content = src[n : 2*n] // the array goes on
			}
			k.add(col, content, int64(n+1), int64(round*100+n))
			want[col] = append(append(want[col], content...), sources.FieldSep...)
		}
	}
	for col, w := range want {
		c := k.cols[col]
		if !bytes.Equal(c.data, w) {
			t.Fatalf("column %d: data %q, want %q", col, c.data, w)
		}
		for _, f := range c.fields {
			if got := c.data[f.Start:f.End]; f.End-f.Start != int(f.Line-1) || string(got) != string(src[f.Line-1:2*(f.Line-1)]) {
				t.Fatalf("column %d: field %+v is %q", col, f, got)
			}
		}
	}
	if k.fields != 3*41 {
		t.Errorf("%d fields, want %d", k.fields, 3*41)
	}
}

// TestCSVMasks checks the masks of random bytes where the wanted ones are
// common, of every length around whole words, against a byte loop: made
// in SSE2 (on amd64) and eight bytes at a time, with every delimiter,
// including a zero byte as the padding of the last word is; and bitmask.Next
// from every start against a search.
func TestCSVMasks(t *testing.T) {
	r := rand.New(rand.NewPCG(10, 11))
	var m csvMasks
	for range 2000 {
		b := corpus.Bytes(r, ";\n\"\x00\x01\x80\xff;a\t", 200)
		comma := []byte{';', ',', '\t', 0, 0xff}[r.IntN(5)]
		m.set(b, comma)
		if n := (len(b) + 63) / 64; len(m.ends) != n || len(m.quotes) != n {
			t.Fatalf("%d bytes: %d and %d words, want %d", len(b), len(m.ends), len(m.quotes), n)
		}
		for i := range 64 * len(m.ends) {
			e, q := m.ends[i/64]>>(i%64)&1 == 1, m.quotes[i/64]>>(i%64)&1 == 1
			var c byte = 'x'
			if i < len(b) {
				c = b[i]
			}
			if wantE, wantQ := i < len(b) && (c == comma || c == '\n'), i < len(b) && (c == '"' || c == '\n'); e != wantE || q != wantQ {
				t.Fatalf("comma %q, byte %d (%q) of %q: ends %v quotes %v, want %v %v", comma, i, c, b, e, q, wantE, wantQ)
			}
		}
		if full := len(b) / 64; full > 0 {
			ends, quotes := make([]uint64, full), make([]uint64, full)
			csvMaskBlocksGo(b[:64*full], comma, ends, quotes)
			if !slices.Equal(ends, m.ends[:full]) || !slices.Equal(quotes, m.quotes[:full]) {
				t.Fatalf("comma %q: eight bytes at a time differs from csvMaskBlocks on %q", comma, b)
			}
		}
		for i := 0; i <= len(b); i++ {
			for _, c := range []struct {
				m    []uint64
				x, y byte
			}{{m.ends, comma, '\n'}, {m.quotes, '"', '\n'}} {
				want := len(b)
				if j := slices.IndexFunc(b[i:], func(v byte) bool { return v == c.x || v == c.y }); j >= 0 {
					want = i + j
				}
				if got := bitmask.Next(c.m, i, len(b)); got != want {
					t.Fatalf("bitmask.Next from %d for %q or %q in %q = %d, want %d", i, c.x, c.y, b, got, want)
				}
			}
		}
	}
}
