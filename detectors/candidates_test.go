package detectors

import (
	"bytes"
	"math/rand/v2"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/piimap/piimap/internal/corpus"
)

// Time stamps by their written forms, from a year at their start.
var (
	refISOStamp = regexp.MustCompile(`^([0-9]{4}-[0-9]{2}-[0-9]{2}[T ][0-9]{2}:[0-9]{2}:[0-9]{2}(?:\.[0-9]+)?(?:[+-][0-9]{2}:[0-9]{2})?)(?:[^0-9]|$)`)
	refCLFStamp = regexp.MustCompile(`^([0-9]{4}:[0-9]{2}:[0-9]{2}:[0-9]{2}(?: [+-][0-9]{4})?)(?:[^0-9]|$)`)
)

// refStamps returns the bytes of b's time stamps (isoStampEnd,
// clfStampEnd), by their written forms from a year run: an ISO 8601 or
// common-log-format stamp.
func refStamps(b []byte) []Run {
	var stamps []Run
	last := 0
	for _, r := range simpleRuns(b) {
		if r.Start < last || r.End-r.Start != 4 {
			continue
		}
		m := refISOStamp.FindSubmatch(b[r.Start:])
		if m == nil && r.Start >= 5 && b[r.Start-1] == '/' {
			m = refCLFStamp.FindSubmatch(b[r.Start:])
		}
		if m == nil {
			continue
		}
		last = r.Start + len(m[1]) // the stamp, without the byte after it
		stamps = append(stamps, Run{r.Start, last})
	}
	return stamps
}

// refISODate is an ISO date by its written form, from its year: 1900–2099,
// a month and a day of one, and no digit after.
var refISODate = regexp.MustCompile(`^(?:19|20)[0-9]{2}-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12][0-9]|3[01])(?:[^0-9]|$)`)

// refDates returns the bytes of b's ISO dates on their own (isoDate):
// where a run of four digits outside the stamps (refStamps) starts one,
// not after one of -.+/: nor joined by one of them to a digit after it.
func refDates(b []byte) []Run {
	stamps := refStamps(b)
	var dates []Run
	for _, r := range simpleRuns(b) {
		if r.End-r.Start != 4 || slices.ContainsFunc(stamps, func(s Run) bool { return s.Start <= r.Start && r.Start < s.End }) {
			continue
		}
		if !refISODate.Match(b[r.Start:]) || r.Start > 0 && bytes.IndexByte([]byte("-.+/:"), b[r.Start-1]) >= 0 {
			continue
		}
		if e := r.Start + 10; e+1 < len(b) && bytes.IndexByte([]byte("-.+/:"), b[e]) >= 0 && IsDigit(b[e+1]) {
			continue
		}
		dates = append(dates, Run{r.Start, r.Start + 10})
	}
	return dates
}

// refHTTPVersions returns the digits of the HTTP versions of b: after
// "HTTP/", a digit, maybe a dot and a digit, and no digit after.
func refHTTPVersions(b []byte) []Run {
	var vs []Run
	for i := 0; i+5 < len(b); i++ {
		if string(b[i:i+5]) != "HTTP/" || !IsDigit(b[i+5]) {
			continue
		}
		p, e := i+5, i+6
		if e+1 < len(b) && b[e] == '.' && IsDigit(b[e+1]) {
			e += 2
		}
		if e < len(b) && IsDigit(b[e]) {
			continue
		}
		vs = append(vs, Run{p, e})
	}
	return vs
}

// refRuns is simpleRuns without the runs in time stamps (refStamps), ISO
// dates (refDates) and HTTP versions (refHTTPVersions): what Runs must
// return.
func refRuns(b []byte) []Run {
	stamps := append(append(refStamps(b), refDates(b)...), refHTTPVersions(b)...)
	slices.SortFunc(stamps, func(a, b Run) int { return a.Start - b.Start })
	var runs []Run
	for _, r := range simpleRuns(b) {
		for len(stamps) > 0 && stamps[0].End <= r.Start {
			stamps = stamps[1:]
		}
		if len(stamps) == 0 || r.End <= stamps[0].Start {
			runs = append(runs, r)
		}
	}
	return runs
}

// refCandidates computes each candidate list from its definition, one list
// at a time over simpleRuns: the reference the one-pass candidates must
// agree with. A time stamp's runs are in none.
func refCandidates(b []byte) map[string][]int32 {
	runs := refRuns(b)
	length := func(i int) int {
		if i < 0 || i >= len(runs) {
			return -1
		}
		return runs[i].End - runs[i].Start
	}
	// gap is the number of bytes between run i and run i+1, or -1.
	gap := func(i int) int {
		if i+1 >= len(runs) {
			return -1
		}
		return runs[i+1].Start - runs[i].End
	}
	after := func(i int) byte { return byteAt(b, runs[i].End) }
	lists := map[string][]int32{}
	add := func(name string, i int, ok bool) {
		if ok {
			lists[name] = append(lists[name], int32(i))
		}
	}
	for i, r := range runs {
		n := length(i)
		add("fnr", i, n == 11 || n == 6 && gap(i) == 1 && length(i+1) == 5)
		add("se", i, n == 10 || n == 12 || (n == 6 || n == 8) && (gap(i) == 1 || gap(i) == 2 && (after(i) == '-' || after(i) == '+')))
		add("card", i, n >= 12 && n <= 19 || n == 4 && gap(i) == 1 && (after(i) == ' ' || after(i) == '-'))
		add("dot", i, n <= 3 && gap(i) == 1 && after(i) == '.' && length(i+1) <= 3 && gap(i+1) == 1 && after(i+1) == '.' && i+3 < len(runs))
		add("bare11", i, n == 11)
		add("acct", i, n == 4 && gap(i) == 1 && length(i+1) == 2 && gap(i+1) == 1 && length(i+2) == 5)
		clear := n == 4 && (gap(i) == 1 || gap(i) == 2) && length(i+1) >= 7 && length(i+1) <= 12
		swedbank := n == 4 && gap(i) == 1 && length(i+1) == 1 && (gap(i+1) == 1 || gap(i+1) == 2) && length(i+2) >= 7 && length(i+2) <= 12
		add("clear", i, clear)
		add("clear", i, swedbank)
		add("bare10", i, n == 10)
		add("six", i, n == 6 && gap(i) == 1 && (length(i+1) == 3 || length(i+1) == 4))
		add("iban", i, n >= 2 && r.Start >= 2 && isUpper(b[r.Start-2]) && isUpper(b[r.Start-1]))
	}
	return lists
}

// refPhoneSegs splits the runs of b into the segments between gaps that
// cannot join phone groups and time stamps, and keeps those with
// phoneMinE164 digits or a parenthesis gap, as phoneSeg describes them,
// but a run on its own only when it can be a number (refLonePhone).
func refPhoneSegs(b []byte) []phoneSeg {
	runs := refRuns(b)
	var segs []phoneSeg
	for s := 0; s < len(runs); {
		e, acc := s, 0
		for {
			acc += runs[e].End - runs[e].Start
			if e+1 == len(runs) {
				break
			}
			g := phoneGap(b, runs[e].End, runs[e+1].Start)
			if g == phoneGapNone {
				break
			}
			if g == phoneGapOpen || g == phoneGapClose {
				acc += phoneMarkParen
			}
			e++
		}
		if acc >= phoneMinE164 && (e > s || refLonePhone(b[runs[s].Start:runs[s].End], refPlusBefore(b, runs[s].Start))) {
			segs = append(segs, phoneSeg{int32(s), int32(e + 1), int32(acc)})
		}
		s = e + 1
	}
	return segs
}

// refPlusBefore reports a plus sign right before b[s]: '+', or a URL's
// %2B or %2b.
func refPlusBefore(b []byte, s int) bool {
	return strings.HasSuffix(string(b[:s]), "+") || strings.HasSuffix(strings.ToUpper(string(b[max(0, s-3):s])), "%2B")
}

// refLonePhone reports whether the digits of a run on its own can be a
// phone number: after a plus sign ('+', %2B), or with 8 digits (Norwegian), 10 starting
// with 47, or starting with 0 (Swedish, or 00 and an international
// number), and with at most 17 digits (00 and 15).
func refLonePhone(digits []byte, plus bool) bool {
	n := len(digits)
	switch {
	case n > 17:
		return false
	case plus || n == 8 || digits[0] == '0':
		return true
	}
	return n == 10 && string(digits[:2]) == "47"
}

// checkCandidates fails when the one-pass lists of b differ from refCandidates.
func checkCandidates(t *testing.T, b []byte) {
	t.Helper()
	var in Input
	in.Reset(b, "")
	c := in.candidates()
	want := refCandidates(b)
	for name, got := range map[string][]int32{
		"fnr": c.fnr, "se": c.se, "card": c.card, "dot": c.dot, "bare11": c.bare11, "acct": c.acct,
		"clear": c.clear, "bare10": c.bare10, "six": c.six, "iban": c.iban,
	} {
		if !slices.Equal(got, want[name]) && len(got)+len(want[name]) > 0 {
			t.Fatalf("%q: %s = %v, want %v (runs %v)", b, name, got, want[name], refRuns(b))
		}
	}
	if want := refPhoneSegs(b); !slices.Equal(c.phone, want) && len(c.phone)+len(want) > 0 {
		t.Fatalf("%q: phone segments %v, want %v (runs %v)", b, c.phone, want, refRuns(b))
	}
}

func TestCandidatesMatchDefinitions(t *testing.T) {
	for _, s := range []string{
		"", "1", "15038712486", "150387 12486", "150387-12486 ", "19870315-1234 870315+1234", "870315-T234",
		"4571 8579 5959 3587", "4571-8579-5959-3587-123", "123456789012", "10.0.0.1 1.2.3", "a.1.2.3.4",
		"1234.56.78903", "8327-9 123456789", "8327 1234567", "NO93 8601 1117 947", "DE89370400440532013000",
		"260683-1176", "131052-308T", "2026-03-02T09:16:31.123Z 81.166.23.4",
		// Time stamps: no candidates, and they end a phone segment.
		"tlf 912 34 567 2026-03-02 09:16:31,5", "2026-03-01T16:09:54.167+01:00 INFO 4571 8579 5959 3587",
		"10.1.2.3 - - [02/Mar/2026:03:40:52 +0100] \"GET\" 200", "\"GET / HTTP/1.1\" 200 512", "HTTP/2 301 HTTP/1.12 HTTP/11",
		"HTTP/1. HTTP/1.1HTTP/2 xHTTP/1.0 HTTP/3.0.1 HTTP/1.1", "HTTP/", "HTTP/9", "http/1.1 HTTPS/1.1 HTTP/1.1.", "x/2026:03:40:52-0100", "2026-03-01T16:09:5412",
		"2026-03-01T16:09:54.1-01:00 2026-03-01 16:09:54+01:000", "2026-03-01T16:09:54 2026-03-01T16:09:55",
		"+47 22 33 44 55", "(+47) 912 34 567", "tlf 912\u00a034\u00a0567", "0047 - 22 33 44 55", "(22) 33-44-55 (x",
		// ISO dates: no runs; what is almost one keeps its runs.
		"100234;2024-01-31;4571 8579 5959 3587", "2024-13-01 1899-01-01 2100-01-01 2024-00-10 2024-01-32",
		"x-2024-01-01 v2024-01-01 2024-01-01-5 2024-01-01.5 2024-01-01/ 2024-01-01T10:00", "19870315 2024-01-01 1234",
		"2024-01-01", "2024-01-012", "12024-01-01", "2026-03-01 16:09:54 2026-03-01",
	} {
		checkCandidates(t, []byte(s))
	}
	r := rand.New(rand.NewPCG(3, 4))
	for range 5000 {
		checkCandidates(t, corpus.Bytes(r, "0123456789012345678901234567890123456789 -.+:\nNODEX\xc3\xb8\xc2\xa0()T/", 120))
	}
	// HTTP versions and what is almost one, at every offset in a block.
	httpPieces := []string{"HTTP/", "HTTP/", "HTP/", "1", "1", "2", ".", ".", " ", "\"", "x", "200", "HTTP"}
	for range 5000 {
		var b []byte
		for len(b) < 140 {
			b = append(b, httpPieces[r.IntN(len(httpPieces))]...)
		}
		checkCandidates(t, b)
	}
	// Time stamps and what is almost one: stamps with a byte or two
	// changed, between other pieces.
	stamps := []string{"2026-03-01T16:09:54.167+01:00", "2026-03-01 16:09:54", "[02/Mar/2026:03:40:52 +0100]", "2026-03-01T16:09:54Z", "2024-01-31", "1999-12-01"}
	pieces := []string{" ", "-", ":", "912 34 567 ", "4571 ", "12", "."}
	for range 20000 {
		var b []byte
		for range 1 + r.IntN(3) {
			b = append(b, pieces[r.IntN(len(pieces))]...)
			st := []byte(stamps[r.IntN(len(stamps))])
			for range r.IntN(3) {
				st[r.IntN(len(st))] = "0123456789-:T +./"[r.IntN(17)]
			}
			b = append(b, st...)
		}
		checkCandidates(t, b)
	}
}

func FuzzCandidates(f *testing.F) {
	f.Add([]byte("2026-03-02T09:16:31 fnr=15038712486 card 4571 8579 5959 3587 ip 10.1.2.3"))
	f.Add([]byte("konto 1234.56.78903 clearing 8327-9 123456789 IBAN NO9386011117947 CPR 260683-1176"))
	f.Add([]byte("2026-03-01T16:09:54.167+01:00 tlf 912 34 567 [02/Mar/2026:03:40:52 +0100]"))
	f.Add([]byte("10.1.2.3 - - [02/Mar/2026:03:40:52 +0100] \"GET / HTTP/1.1\" 200 512 HTTP/2.0.1"))
	f.Add([]byte("GET /u?phone=%2B4791234567&b=%2b46701234567 x%2B4791234567"))
	f.Fuzz(func(t *testing.T, b []byte) { checkCandidates(t, b) })
}
