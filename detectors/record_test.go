package detectors

import (
	"strings"
	"testing"
)

func TestInRecord(t *testing.T) {
	for _, c := range []struct {
		text, value, key string
		json, want       bool
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
	} {
		var in Input
		in.Reset([]byte(c.text), c.key)
		if c.json {
			in.KeyAt = func(int) string { return "k" }
		}
		s := strings.Index(c.text, c.value)
		if got := in.InRecord(s, s+len(c.value)); got != c.want {
			t.Errorf("%q key %q: InRecord = %v, want %v", c.text, c.key, got, c.want)
		}
	}
}
