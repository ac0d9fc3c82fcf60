package detectors

import (
	"strings"
	"testing"
)

func TestInRecord(t *testing.T) {
	for _, c := range []struct {
		text, value, key string
		json, want       bool
		cut              byte // with json: the value's opening byte ('"' when 0, unless yaml)
		yaml             bool // with json: YAML, values to the line's end
	}{
		{text: "2026-03-02T09:16:32.118+01:00 INFO login from 81.166.23.4", value: "81.166.23.4", want: true},
		{text: `81.166.23.4 - - [02/Mar/2026:09:14:02 +0100] "GET / HTTP/1.1" 200`, value: "81.166.23.4", want: true},
		{text: "Mar  2 09:16:32 web sshd[4242]: from 81.166.23.4 port 22", value: "81.166.23.4", want: true},
		{text: "[09:16:32] peer 81.166.23.4", value: "81.166.23.4", want: true},
		{text: "the remote address, for example 81.166.23.4", value: "81.166.23.4", want: false},
		{text: "at 12:30 call 81.166.23.4", value: "81.166.23.4", want: false},           // no seconds
		{text: "ether 00:11:22:33:44:55 81.166.23.4", value: "81.166.23.4", want: false}, // a MAC, not a time
		{text: "mac: '00:00:00:00:00:00', address: '81.166.23.4'", value: "81.166.23.4", want: false},
		{text: "99:16:32 81.166.23.4", value: "81.166.23.4", want: false},                                // not a time of day
		{text: "2026-03-02 09:16:32\n\nlater, in prose: 81.166.23.4", value: "81.166.23.4", want: false}, // another line
		{text: "81.166.23.4", key: "client_ip", want: true, value: "81.166.23.4"},
		{text: strings.Repeat("documentation ", 30) + "81.166.23.4", key: "body", value: "81.166.23.4", want: false},
		{text: `{"ts":1700000000,"client":"81.166.23.4"}`, json: true, value: "81.166.23.4", want: true},
		{text: `{"desc":"<p>For example 81.166.23.4 or</p>"}`, json: true, value: "81.166.23.4", want: false},
		{text: `{"ts":"2026-03-02T09:16:32Z","msg":"login from 81.166.23.4"}`, json: true, value: "81.166.23.4", want: true},
		{text: `{"fnr": 15038712486, "n": 1}`, json: true, value: "15038712486", want: true},
		{text: `<kunde><ip>81.166.23.4</ip></kunde>`, cut: '>', json: true, value: "81.166.23.4", want: true}, // an XML element's content
		{text: `<notat>fra 81.166.23.4 i går</notat>`, cut: '>', json: true, value: "81.166.23.4", want: false},
		{text: `<doc>{"source address": "81.166.23.4"}</doc>`, cut: '>', json: true, value: "81.166.23.4", want: false}, // JSON quoted in XML
		{text: "host:\n  ip: 81.166.23.4\n", yaml: true, json: true, value: "81.166.23.4", want: true},                  // YAML
		{text: "note: fra 81.166.23.4 i går\n", yaml: true, json: true, value: "81.166.23.4", want: false},
		{text: "{\n  \"fnr\": 15038712486\n}", json: true, value: "15038712486", want: true}, // pretty-printed
		{text: "[\n  15038712486,\n  1\n]", json: true, value: "15038712486", want: true},
		// Prose in a string: a value between a space and a comma is not a
		// whole value (botocore's documentation strings).
		{text: `{"documentation":"originated from the IP address 81.166.23.4, specify"}`, json: true, value: "81.166.23.4", want: false},
		{text: `{"documentation":"the input arrays [81.166.23.4, 81.166.23.5] and"}`, json: true, value: "81.166.23.4", want: false},
	} {
		var in Input
		in.Reset([]byte(c.text), c.key)
		if c.json {
			in.KeyAt = func(int) string { return "k" }
			in.KeyCut = c.cut
			if c.cut == 0 && !c.yaml {
				in.KeyCut = '"'
			}
		}
		s := strings.Index(c.text, c.value)
		if got := in.InRecord(s, s+len(c.value)); got != c.want {
			t.Errorf("%q key %q: InRecord = %v, want %v", c.text, c.key, got, c.want)
		}
	}
}

// FuzzInRecord checks InRecord on free text against a plain reference: it
// is true exactly when the value's line, within the window, holds a valid
// HH:MM:SS outside the value that is not inside a longer digit or colon run.
func FuzzInRecord(f *testing.F) {
	for _, s := range []string{"2026-03-02T09:16:32 x 1.2.3.4", "02/Mar/2026:09:14:02 +0100 1.2.3.4", "00:11:22:33:44:55 x",
		"23:59:60 a", "24:00:00 a", "1:02:03 a", "\n09:16:32\nx", "12:34:56:78 x",
		"10.1.2.3 - - [02/Mar/2026:03:40:52 +0100] x", "2026-03-01T16:09:54.167+01:00 INFO 1.2.3.4\n2026-03-01T99:09:54 2.3.4.5",
		"2026-03-01 16:09:54 a\n2026-03-01 16:09:54 b 2026-03-01 23:59:61 c"} {
		f.Add(s, 0, 1)
	}
	// Stamps that hold no time of day, or not on the value's line.
	f.Add("2026-03-01T99:09:54 x", 20, 0)
	f.Add("a 1.2.3.4\n2026-03-01 16:09:54", 2, 6)
	f.Add("2026-03-01 16:09:54\nb 1.2.3.4", 22, 6)
	f.Fuzz(func(t *testing.T, text string, s, n int) {
		if len(text) == 0 {
			return
		}
		s = ((s % len(text)) + len(text)) % len(text)
		e := min(len(text), s+1+((n%8)+8)%8)
		var in Input
		in.Reset([]byte(text), "")
		got := in.InRecord(s, e)
		b := []byte(text)
		lo, hi := max(0, s-recordBack), min(len(b), e+recordAhead)
		if i := strings.LastIndexByte(text[lo:s], '\n'); i >= 0 {
			lo += i + 1
		}
		if i := strings.IndexByte(text[e:hi], '\n'); i >= 0 {
			hi = e + i
		}
		want := refTime(b, lo, s) || refTime(b, e, hi)
		if got != want {
			t.Fatalf("InRecord(%q, %d, %d) = %v, reference %v", text, s, e, got, want)
		}
		// With the time stamps found (the run-based detectors find them
		// first), after a call further on and one at the start (the
		// stamps' cursor moved both ways), the same answer.
		in.Runs()
		for _, p := range []int{len(text) - 1, 0, s} {
			if got := in.InRecord(p, min(len(text), p+e-s)); p == s && got != want {
				t.Fatalf("with the stamps: InRecord(%q, %d, %d) = %v, reference %v", text, s, e, got, want)
			}
		}
	})
}

// refTime is a slow reference for timeOfDayIn.
func refTime(b []byte, lo, hi int) bool {
	num := func(i int) (int, bool) {
		if i < 0 || i+2 > len(b) || !IsDigit(b[i]) || !IsDigit(b[i+1]) {
			return 0, false
		}
		return int(b[i]-'0')*10 + int(b[i+1]-'0'), true
	}
	for st := lo; st+8 <= hi; st++ {
		h, ok1 := num(st)
		m, ok2 := num(st + 3)
		sec, ok3 := num(st + 6)
		if !ok1 || !ok2 || !ok3 || b[st+2] != ':' || b[st+5] != ':' || h > 23 || m > 59 || sec > 60 {
			continue
		}
		if st > 0 && IsDigit(b[st-1]) {
			continue
		}
		if st > 0 && b[st-1] == ':' && !(st-6 >= 0 && b[st-6] == '/' && IsDigit(b[st-5]) && IsDigit(b[st-2])) {
			continue
		}
		if st+8 < len(b) && (IsDigit(b[st+8]) || b[st+8] == ':') {
			continue
		}
		return true
	}
	return false
}
