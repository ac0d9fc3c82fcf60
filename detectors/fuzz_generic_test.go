package detectors

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
	"unicode/utf8"
)

// Shared test helpers for the email, phone, ip_address and payment_card
// detectors: example tables, match invariants, fuzzing and a generated
// log for benchmarks. Names carry a "generic" prefix so that they do not
// clash with helpers of other detectors in this package.

// The four generic detectors are registered once each, with their categories.
func TestGenericRegistered(t *testing.T) {
	want := map[string]Category{"email": Email, "phone": Phone, "ip_address": IPAddress, "payment_card": PaymentCard}
	seen := map[string]int{}
	for _, d := range All() {
		if c, ok := want[d.ID()]; ok {
			seen[d.ID()]++
			if d.Category() != c {
				t.Errorf("%s: category %q, want %q", d.ID(), d.Category(), c)
			}
		}
	}
	for id := range want {
		if seen[id] != 1 {
			t.Errorf("%s registered %d times, want once", id, seen[id])
		}
	}
}

// genericFind runs d over text with key and returns its matches.
func genericFind(d Detector, text, key string) []Match {
	var in Input
	in.Reset([]byte(text), key)
	var ms []Match
	d.Find(&in, func(m Match) { ms = append(ms, m) })
	return ms
}

// keyAtValues runs d over text as a JSON document whose every value is
// under the key path key (Input.KeyAt), and returns its matches' values
// joined by spaces.
func keyAtValues(d Detector, text, key string) string {
	var in Input
	in.Reset([]byte(text), "")
	in.KeyAt = func(int) string { return key }
	var got []string
	d.Find(&in, func(m Match) { got = append(got, m.Value) })
	return strings.Join(got, " ")
}

// genericCheckMatches asserts the invariants every match must satisfy.
func genericCheckMatches(t testing.TB, d Detector, buf []byte, ms []Match) {
	t.Helper()
	prev := -1
	for _, m := range ms {
		if m.Start < 0 || m.End <= m.Start || m.End > len(buf) {
			t.Fatalf("%s: match [%d,%d) outside buffer of %d bytes", d.ID(), m.Start, m.End, len(buf))
		}
		if m.Start < prev {
			t.Fatalf("%s: matches out of order: start %d after %d", d.ID(), m.Start, prev)
		}
		prev = m.Start
		if m.Detector != d.ID() || m.Category != d.Category() {
			t.Fatalf("%s: match has detector %q category %q", d.ID(), m.Detector, m.Category)
		}
		if m.Confidence < Low || m.Confidence > High {
			t.Fatalf("%s: match confidence %d out of range", d.ID(), m.Confidence)
		}
		if m.Value == "" || !utf8.ValidString(m.Value) {
			t.Fatalf("%s: empty or invalid UTF-8 value at [%d,%d)", d.ID(), m.Start, m.End)
		}
	}
}

// genericRevalidates reports whether d, run over its own normalised value
// alone, finds exactly that value spanning the whole input.
func genericRevalidates(d Detector, value string) bool {
	ms := genericFind(d, value, "")
	return len(ms) == 1 && ms[0].Start == 0 && ms[0].End == len(value) && ms[0].Value == value
}

// genericCheckExamples asserts a detector's Positives and Negatives: every
// positive yields a match with the wanted value (which re-validates); a
// negative yields nothing, or only Low matches when its Note says
// "reported at Low".
func genericCheckExamples(t *testing.T, d Detector, minPos, minNeg int) {
	t.Helper()
	pos, neg := d.Positives(), d.Negatives()
	if len(pos) < minPos || len(neg) < minNeg {
		t.Fatalf("%s: %d positives and %d negatives, want at least %d and %d", d.ID(), len(pos), len(neg), minPos, minNeg)
	}
	if d.Description() == "" || len(d.ContextWords()) == 0 {
		t.Errorf("%s: missing description or context words", d.ID())
	}
	for i, ex := range pos {
		t.Run(fmt.Sprintf("positive/%02d", i), func(t *testing.T) {
			if ex.Want == "" || ex.Note == "" {
				t.Fatalf("positive %q lacks Want or Note", ex.Text)
			}
			ms := genericFind(d, ex.Text, "")
			genericCheckMatches(t, d, []byte(ex.Text), ms)
			found := false
			for _, m := range ms {
				if m.Value == ex.Want {
					found = true
					if ex.Text[m.Start:m.End] == "" {
						t.Errorf("empty span")
					}
				}
			}
			if !found {
				t.Errorf("%q (%s): want value %q, got %+v", ex.Text, ex.Note, ex.Want, ms)
			}
			if !genericRevalidates(d, ex.Want) {
				t.Errorf("value %q does not re-validate on its own", ex.Want)
			}
		})
	}
	for i, ex := range neg {
		t.Run(fmt.Sprintf("negative/%02d", i), func(t *testing.T) {
			if ex.Want != "" || ex.Note == "" {
				t.Fatalf("negative %q has a Want or lacks a Note", ex.Text)
			}
			ms := genericFind(d, ex.Text, "")
			genericCheckMatches(t, d, []byte(ex.Text), ms)
			claimsLow := strings.Contains(ex.Note, "reported at Low")
			for _, m := range ms {
				if m.Confidence >= Medium {
					t.Errorf("%q (%s): reported %q at %v", ex.Text, ex.Note, m.Value, m.Confidence)
				}
			}
			if claimsLow && len(ms) == 0 {
				t.Errorf("%q: Note says it is reported at Low, but nothing was reported", ex.Text)
			}
			if !claimsLow && len(ms) > 0 {
				t.Errorf("%q (%s): reported %q at Low, but the Note does not say so", ex.Text, ex.Note, ms[0].Value)
			}
		})
	}
}

// genericCase is one row of a confidence/label table.
type genericCase struct {
	text, key string
	want      string     // value expected; "" means no match at all
	conf      Confidence // expected confidence of that match
	labels    []string   // expected labels (nil: none)
}

// genericCheckCases asserts value, confidence and labels for each case.
func genericCheckCases(t *testing.T, d Detector, cases []genericCase) {
	t.Helper()
	for _, c := range cases {
		ms := genericFind(d, c.text, c.key)
		genericCheckMatches(t, d, []byte(c.text), ms)
		if c.want == "" {
			if len(ms) != 0 {
				t.Errorf("%q key %q: want no match, got %q at %v", c.text, c.key, ms[0].Value, ms[0].Confidence)
			}
			continue
		}
		if len(ms) != 1 {
			t.Errorf("%q key %q: want one match %q, got %d: %+v", c.text, c.key, c.want, len(ms), ms)
			continue
		}
		m := ms[0]
		if m.Value != c.want || m.Confidence != c.conf || strings.Join(m.Labels, ",") != strings.Join(c.labels, ",") {
			t.Errorf("%q key %q: got %q %v %v, want %q %v %v", c.text, c.key, m.Value, m.Confidence, m.Labels, c.want, c.conf, c.labels)
		}
	}
}

// genericZeroAllocs asserts that scanning text (whose candidates are all
// rejected) finds nothing and allocates nothing.
func genericZeroAllocs(t *testing.T, d Detector, text string) {
	t.Helper()
	var in Input
	in.Reset([]byte(text), "")
	n := 0
	emit := func(Match) { n++ }
	allocs := testing.AllocsPerRun(50, func() {
		in.Reset(in.Buf, "")
		d.Find(&in, emit)
	})
	if n != 0 {
		t.Fatalf("%s: %d matches in a text of rejected candidates", d.ID(), n)
	}
	if allocs != 0 {
		t.Errorf("%s: %.1f allocations per scan of rejected candidates, want 0", d.ID(), allocs)
	}
}

// genericFuzz checks that d never panics, that matches lie inside the
// buffer in order, and that every value re-validates: the detector finds it
// on its own, and check (when not nil) accepts it.
func genericFuzz(f *testing.F, d Detector, check func(string) bool, seeds ...string) {
	for _, ex := range d.Positives() {
		f.Add([]byte(ex.Text))
	}
	for _, ex := range d.Negatives() {
		f.Add([]byte(ex.Text))
	}
	for _, s := range seeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		var in Input
		in.Reset(data, "")
		var ms []Match
		d.Find(&in, func(m Match) { ms = append(ms, m) })
		genericCheckMatches(t, d, data, ms)
		for _, m := range ms {
			if !genericRevalidates(d, m.Value) {
				t.Fatalf("%s: value %q found in %q does not re-validate", d.ID(), m.Value, data)
			}
			if check != nil && !check(m.Value) {
				t.Fatalf("%s: value %q found in %q fails validation", d.ID(), m.Value, data)
			}
		}
	})
}

// genericLuhnComplete appends the Luhn check digit to the digits of s
// (separators kept): genericLuhnComplete("4111 1111 1111 111") = "4111 1111 1111 1111".
func genericLuhnComplete(s string) string {
	c, ok := LuhnCheckDigit([]byte(digitsOnly(s)))
	if !ok {
		panic("genericLuhnComplete: no digits in " + s)
	}
	return s + string(c)
}

// genericBenchLog generates a realistic log of about size bytes: nginx
// access lines with public and private client addresses, application lines
// with timestamps, ids and hashes, syslog lines with IPv6 addresses, and
// sparse personal data (about one line in 40).
func genericBenchLog(size int) []byte {
	r := rand.New(rand.NewPCG(1, 2))
	var sb strings.Builder
	sb.Grow(size + 512)
	ip4 := func() string {
		switch r.IntN(4) {
		case 0:
			return fmt.Sprintf("10.%d.%d.%d", r.IntN(256), r.IntN(256), 1+r.IntN(254))
		case 1:
			return fmt.Sprintf("192.168.%d.%d", r.IntN(256), 1+r.IntN(254))
		default:
			return fmt.Sprintf("%d.%d.%d.%d", 11+r.IntN(180), r.IntN(256), r.IntN(256), 1+r.IntN(254))
		}
	}
	paths := []string{"/", "/api/v1/orders/%d", "/static/app.%x.js", "/login", "/api/v1/users/%d/profile", "/img/logo@2x.png", "/search?q=sykkel&page=%d"}
	agents := []string{
		"Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36",
		"Mozilla/5.0 (iPhone; CPU iPhone OS 17_2 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.2 Mobile/15E148 Safari/604.1",
		"curl/8.5.0", "Go-http-client/1.1", "python-requests/2.31.0",
	}
	line := 0
	for sb.Len() < size {
		line++
		h, m, s := r.IntN(24), r.IntN(60), r.IntN(60)
		switch {
		case line%40 == 0: // sparse personal data
			switch r.IntN(5) {
			case 0:
				fmt.Fprintf(&sb, "2024-01-31T%02d:%02d:%02d.%03dZ INFO [mailer] sent receipt to kari.nordmann%d@gmail.com order=%d\n", h, m, s, r.IntN(1000), r.IntN(100), 10000000+r.IntN(90000000))
			case 1:
				fmt.Fprintf(&sb, "2024-01-31T%02d:%02d:%02d.%03dZ INFO [sms] tlf: +47 9%02d %02d %03d delivered\n", h, m, s, r.IntN(1000), r.IntN(100), r.IntN(100), r.IntN(1000))
			case 2:
				fmt.Fprintf(&sb, "2024-01-31T%02d:%02d:%02d.%03dZ WARN [payment] card %s declined\n", h, m, s, r.IntN(1000), genericLuhnComplete(fmt.Sprintf("4571%011d", r.Int64N(1e11))))
			case 3:
				fmt.Fprintf(&sb, "%s - - [31/Jan/2024:%02d:%02d:%02d +0100] \"GET /newsletter?email=ola.hansen%%40online.no HTTP/1.1\" 200 512 \"-\" \"%s\"\n", ip4(), h, m, s, agents[r.IntN(len(agents))])
			default:
				fmt.Fprintf(&sb, "2024-01-31T%02d:%02d:%02d.%03dZ INFO [crm] customer updated phone=070-%03d %02d %02d\n", h, m, s, r.IntN(1000), r.IntN(1000), r.IntN(100), r.IntN(100))
			}
		case line%3 != 0: // nginx access log
			p := paths[r.IntN(len(paths))]
			if strings.Contains(p, "%") {
				p = fmt.Sprintf(p, r.IntN(100000000))
			}
			fmt.Fprintf(&sb, "%s - - [31/Jan/2024:%02d:%02d:%02d +0100] \"GET %s HTTP/1.1\" %d %d \"https://www.firma.no/\" \"%s\" rt=%d.%03d\n",
				ip4(), h, m, s, p, []int{200, 200, 200, 304, 404, 500}[r.IntN(6)], r.IntN(100000), agents[r.IntN(len(agents))], r.IntN(3), r.IntN(1000))
		case line%9 == 0: // syslog with IPv6
			fmt.Fprintf(&sb, "Jan 31 %02d:%02d:%02d web01 sshd[%d]: Accepted publickey for deploy from 2a01:79d:%x:%x::%x port %d ssh2: ED25519 SHA256:%x\n",
				h, m, s, 1000+r.IntN(30000), r.IntN(65536), r.IntN(65536), r.IntN(65536), 1024+r.IntN(60000), r.Uint64())
		default: // application log
			fmt.Fprintf(&sb, "2024-01-31T%02d:%02d:%02d.%03dZ INFO [worker-%d] order_id=%d user_id=%d latency_ms=%d trace_id=%016x%016x version=2.%d.%d status=ok\n",
				h, m, s, r.IntN(1000), r.IntN(8), 10000000+r.IntN(90000000), r.IntN(1000000), r.IntN(500), r.Uint64(), r.Uint64(), r.IntN(20), r.IntN(100))
		}
	}
	return []byte(sb.String())
}

// genericBench measures d over the generated log. The digit runs are
// computed once, as the scanner does for all detectors; the with_runs
// variant includes computing them.
func genericBench(b *testing.B, d Detector) {
	buf := genericBenchLog(4 << 20)
	b.Run("detector", func(b *testing.B) {
		var in Input
		in.Reset(buf, "")
		in.candidates() // the digit runs and candidate lists all detectors share
		n := 0
		emit := func(Match) { n++ }
		b.SetBytes(int64(len(buf)))
		b.ReportAllocs()
		for b.Loop() {
			d.Find(&in, emit)
		}
		b.ReportMetric(float64(n)/float64(b.N), "matches/op")
	})
	b.Run("with_runs", func(b *testing.B) {
		var in Input
		emit := func(Match) {}
		b.SetBytes(int64(len(buf)))
		b.ReportAllocs()
		for b.Loop() {
			in.Reset(buf, "")
			d.Find(&in, emit)
		}
	})
}
