package scanner

import (
	"bytes"
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/piimap/piimap/detectors"
	"github.com/piimap/piimap/sources"
	"github.com/piimap/piimap/sources/files"
)

// csvUnit reads a CSV through the files reader; split hands every field
// over as its own chunk (sources.EachField), as the reader did before it
// handed over blocks of fields.
type csvUnit struct {
	data  []byte
	split bool
	chunk int
	path  string // "kunder.csv" when empty
}

func (u csvUnit) Location() sources.Location {
	if u.path != "" {
		return sources.Location{Path: u.path}
	}
	return sources.Location{Path: "kunder.csv"}
}
func (u csvUnit) Size() int64 { return int64(len(u.data)) }
func (u csvUnit) Read(ctx context.Context, sink sources.Sink) error {
	rd := files.NewReader(sources.Options{ChunkSize: u.chunk}, nil)
	var s sources.Sink = sink
	if u.split {
		s = splitSink{sink}
	}
	err := rd.ReadStream(ctx, files.Stream{Loc: u.Location(), Name: "kunder.csv", R: bytes.NewReader(u.data), Size: int64(len(u.data))}, s)
	sink.Scanned(u.Location(), int64(len(u.data)), 0)
	return err
}

type splitSink struct{ sources.Sink }

func (s splitSink) Text(ctx context.Context, c *sources.Chunk) error {
	if c.Fields == nil {
		panic("the files reader handed over CSV without fields")
	}
	return sources.EachField(c, func(c *sources.Chunk) error { return s.Sink.Text(ctx, c) })
}

// detectorCSV is a CSV whose fields are the detectors' own positive and
// negative examples, alone or with words around them, some on the second
// line of a quoted field, under column names that are evidence or not.
func detectorCSV(rng *rand.Rand, rows int) []byte {
	var texts []string
	for _, d := range detectors.All() {
		for _, e := range d.Positives() {
			texts = append(texts, e.Text)
		}
		for _, e := range d.Negatives() {
			texts = append(texts, e.Text)
		}
	}
	var b bytes.Buffer
	b.WriteString("id;fnr;epost;telefon;notat;kort;ip\n")
	for i := range rows {
		fmt.Fprintf(&b, "%d", i)
		for c := 1; c < 7; c++ {
			b.WriteByte(';')
			if rng.IntN(3) == 0 {
				continue
			}
			t := texts[rng.IntN(len(texts))]
			switch rng.IntN(4) {
			case 0:
				t = "kunde " + t + " ok"
			case 1:
				t = "første linje\n" + t + " " + texts[rng.IntN(len(texts))]
			}
			b.WriteString(`"` + strings.ReplaceAll(t, `"`, `""`) + `"`)
		}
		b.WriteByte('\n')
	}
	return b.Bytes()
}

// TestFieldBlocksMatchFieldChunks: handing the detectors a block of CSV
// fields column by column finds exactly what they found field by field:
// the same locations, counts, confidences, examples, lines and rows,
// candidates (and, up to rounding, the chance expectation).
func TestFieldBlocksMatchFieldChunks(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	for _, chunk := range []int{1024, 64 << 10, 1 << 20} {
		data := detectorCSV(rng, 3000)
		cfg := Config{Detectors: detectors.All(), Workers: 1}
		blocks := scan(t, cfg, csvUnit{data: data, chunk: chunk})
		fields := scan(t, cfg, csvUnit{data: data, chunk: chunk, split: true})
		if len(fields.Findings) < 10 {
			t.Fatalf("only %d findings field by field", len(fields.Findings))
		}
		opts := cmp.Options{
			cmpopts.IgnoreFields(Result{}, "Started", "Duration"),
			cmpopts.EquateApprox(1e-9, 0),
		}
		if d := cmp.Diff(fields, blocks, opts); d != "" {
			t.Errorf("chunk size %d: blocks of fields differ from field chunks (-fields +blocks):\n%s", chunk, d)
		}
	}
}

// TestShortFieldIsARecord: a value in a short CSV field is in a record
// however long the block of fields handed to the detectors is, as when each
// field was its own chunk. Before FieldAt, a column's block longer than a
// record field made every address in it "mentioned in prose" (low), and
// the column was not graded high.
func TestShortFieldIsARecord(t *testing.T) {
	var b bytes.Buffer
	b.WriteString("id;kode;notat\n")
	for i := range 60 {
		fmt.Fprintf(&b, "%d;x;koblet fra 81.166.%d.%d igjen\n", i, i, i+7)
	}
	cfg := Config{Detectors: []detectors.Detector{detectors.NewIPAddress()}, Workers: 1}
	for _, split := range []bool{false, true} {
		res := scan(t, cfg, csvUnit{data: b.Bytes(), chunk: 1 << 20, split: split})
		if len(res.Findings) != 1 {
			t.Fatalf("split %v: %d findings, want 1: %+v", split, len(res.Findings), res.Findings)
		}
		if f := res.Findings[0]; f.Location.Field != "notat" || f.Count != 60 || f.Confidence != detectors.High {
			t.Errorf("split %v: %+v; want the notat column, 60 addresses, high", split, f)
		}
	}
}

// TestGenericNameColumnJudgedByValues: a column whose name is a generic
// name word (name, navn) holds people's names only when its values are
// written as names: a package list's "name" column is graded low with the
// share in the reason; a customer list's stays medium. Both ways of
// handing over fields (blocks, one field per chunk, as database values
// come) count the values alike.
func TestGenericNameColumnJudgedByValues(t *testing.T) {
	people := []string{"Kari Nordmann", "Ola Hansen", "Anne-Lise Ødegård", "Nordmann, Per", "Jan van der Berg"}
	packages := []string{"requests", "left-pad", "ariga.io/atlas", "Microsoft.Extensions.Logging", "0.0.1"}
	var b bytes.Buffer
	b.WriteString("id;name;navn\n")
	for i := range 40 {
		fmt.Fprintf(&b, "%d;%s;%s\n", i, packages[i%len(packages)], people[i%len(people)])
	}
	cfg := Config{Detectors: detectors.All(), Workers: 1}
	for _, split := range []bool{false, true} {
		res := scan(t, cfg, csvUnit{data: b.Bytes(), chunk: 1 << 20, split: split})
		got := map[string]Finding{}
		for _, f := range res.Findings {
			if f.Category == detectors.Name {
				got[f.Location.Field] = f
			}
		}
		if f := got["name"]; f.Confidence != detectors.Low || f.ConfidenceReason != "0 % of the 40 values read are written as a person's name" {
			t.Errorf("split %v: name column %+v; want low, 0 %% of 40", split, f)
		}
		if f := got["navn"]; f.Confidence != detectors.Medium || f.ConfidenceReason != "100 % of the 40 values read are written as a person's name" {
			t.Errorf("split %v: navn column %+v; want medium, 100 %% of 40", split, f)
		}
	}
}

// TestQuoteOpenedFieldKeepsColumns: a TSV summary that opens with a quote
// and has a bare quote on its line ("AGENT" K …, as in an export of PyPI)
// is read to the end of its line, so the addresses in the host column of
// the records after it are found under #host. Before, the summary ran on
// over the following records, and the addresses were reported in the
// summary column. (The column is not named version: the address detector
// rightly takes its values for version numbers.)
func TestQuoteOpenedFieldKeepsColumns(t *testing.T) {
	var b bytes.Buffer
	b.WriteString("name\thost\tmonth\trank\tsummary\n")
	b.WriteString("agentk\t0.3.2\t2025-04\t\t\"AGENT\" K is a complete minimalistic kubectl \"doner\"-wrap\n")
	for i := range 40 {
		fmt.Fprintf(&b, "pkg%d\t81.166.%d.%d\t2025-04\t%d\tA tool for \"things\" and more\n", i, i, i+7, i)
	}
	cfg := Config{Detectors: []detectors.Detector{detectors.NewIPAddress()}, Workers: 1}
	res := scan(t, cfg, csvUnit{data: b.Bytes(), chunk: 1 << 20})
	var ips []string
	for _, f := range res.Findings {
		if f.Category == "ip_address" {
			ips = append(ips, fmt.Sprintf("%s: %d", f.Location, f.Count))
		}
	}
	if want := []string{"file:kunder.csv#host: 40"}; !slices.Equal(ips, want) {
		t.Errorf("addresses found %q, want %q", ips, want)
	}
}

// TestTinyShareOfAColumnIsLow: phone numbers in a few of a large
// column's values are coincidence, not a column of them: graded low with
// the share as the reason.
func TestTinyShareOfAColumnIsLow(t *testing.T) {
	var b bytes.Buffer
	b.WriteString("name\tsummary\n")
	for i := range 200 {
		s := "A library for parsing things"
		switch i {
		case 17:
			s = "Office +47 22 33 44 55 weekdays"
		case 99:
			s = "Ported from +46 8 123 456 78 sources"
		}
		fmt.Fprintf(&b, "pkg%d\t%s\n", i, s)
	}
	cfg := Config{Detectors: []detectors.Detector{detectors.NewPhone()}, Workers: 1, NoColumnNames: true}
	res := scan(t, cfg, csvUnit{data: b.Bytes(), chunk: 1 << 20})
	if len(res.Findings) != 1 {
		t.Fatalf("%d findings, want 1: %+v", len(res.Findings), res.Findings)
	}
	if f := res.Findings[0]; f.Location.Field != "summary" || f.Count != 2 || f.Confidence != detectors.Low ||
		f.ConfidenceReason != "2 of the column's 200 values match" {
		t.Errorf("%+v; want 2 phone numbers in summary, low, with the share", f)
	}
}

// TestGenericColumnsInTablesOfThings: generic column words (name,
// adresse) in a file whose rows are things are low with the reason;
// unambiguous ones (fornavn: a company's contact person) keep their grade.
func TestGenericColumnsInTablesOfThings(t *testing.T) {
	var b bytes.Buffer
	b.WriteString("id;name;adresse;fornavn\n")
	for i := range 30 {
		fmt.Fprintf(&b, "%d;Nordic Fish AS;Storgata %d;Kari\n", i, i+1)
	}
	cfg := Config{Detectors: detectors.All(), Workers: 1}
	res := scan(t, cfg, csvUnit{data: b.Bytes(), chunk: 1 << 20, path: "exports/companies.csv"})
	got := map[string]Finding{}
	for _, f := range res.Findings {
		got[f.Location.Field] = f
	}
	for _, col := range []string{"name", "adresse"} {
		if f := got[col]; f.Confidence != detectors.Low || f.ConfidenceReason != "the table's rows are things, not people (exports/companies.csv)" {
			t.Errorf("%s: %+v; want low, a table of things", col, f)
		}
	}
	if f := got["fornavn"]; f.Confidence != detectors.High {
		t.Errorf("fornavn: %+v; want high", f)
	}
}

// TestSmallGenericNameColumn: three values are enough to judge a generic
// name column (a test database's users table of go, zig and whatever);
// two are not.
func TestSmallGenericNameColumn(t *testing.T) {
	cfg := Config{Detectors: detectors.All(), Workers: 1}
	for _, c := range []struct {
		rows string
		want detectors.Confidence
	}{
		{"1;go\n2;zig\n3;whatever\n", detectors.Low},
		{"1;Kari Nordmann\n2;Ola\n3;Per Hansen\n", detectors.Medium},
		{"1;go\n2;zig\n", detectors.Medium},
	} {
		res := scan(t, cfg, csvUnit{data: []byte("id;name\n" + c.rows), chunk: 1 << 20})
		var got *Finding
		for i, f := range res.Findings {
			if f.Location.Field == "name" {
				got = &res.Findings[i]
			}
		}
		if got == nil || got.Confidence != c.want {
			t.Errorf("%q: %+v, want %v", c.rows, got, c.want)
		}
	}
}

// TestFieldIndexCursor checks fieldIndex, which tries the field it found
// last and the next before it searches, against its definition (the first
// field that ends at the offset or after it, or the last field) for
// offsets in order, repeated and at random, in groups with and without
// separators between fields.
func TestFieldIndexCursor(t *testing.T) {
	r := rand.New(rand.NewPCG(21, 22))
	for range 200 {
		var w worker
		pos := r.IntN(5)
		for range 1 + r.IntN(20) {
			n := r.IntN(6)
			w.group = append(w.group, sources.Field{Start: pos, End: pos + n})
			pos += n + r.IntN(3)
		}
		want := func(p int) int {
			for i, f := range w.group {
				if f.End >= p {
					return i
				}
			}
			return len(w.group) - 1
		}
		for k := range 300 {
			p := k / 3 // in order, each offset three times
			if k%4 == 0 {
				p = r.IntN(pos + 3) // and at random
			}
			if got := w.fieldIndex(p); got != want(p) {
				t.Fatalf("fields %v: fieldIndex(%d) = %d, want %d", w.group, p, got, want(p))
			}
		}
	}
}
