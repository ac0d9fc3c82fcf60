package detectors

import (
	"net/netip"
	"strings"
	"testing"
)

func TestIPExamples(t *testing.T) {
	genericCheckExamples(t, NewIPAddress(), 15, 15)
}

func TestIPConfidenceAndLabels(t *testing.T) {
	priv := []string{LabelPrivateRange}
	test := []string{LabelTestData}
	genericCheckCases(t, NewIPAddress(), []genericCase{
		{text: "81.166.23.4", want: "81.166.23.4", conf: Medium},
		{text: "klient 81.166.23.4", want: "81.166.23.4", conf: High},
		{text: "81.166.23.4", key: "client_ip", want: "81.166.23.4", conf: High},
		{text: "ip: 10.0.0.1", want: "10.0.0.1", conf: Medium, labels: priv},
		{text: "172.16.0.1", want: "172.16.0.1", conf: Medium, labels: priv},
		{text: "172.31.255.254", want: "172.31.255.254", conf: Medium, labels: priv},
		{text: "172.32.0.1", want: "172.32.0.1", conf: Medium},
		{text: "100.64.0.1", want: "100.64.0.1", conf: Medium, labels: priv},
		{text: "100.128.0.1", want: "100.128.0.1", conf: Medium},
		{text: "192.168.1.1", want: "192.168.1.1", conf: Medium, labels: priv},
		{text: "192.0.2.1", want: "192.0.2.1", conf: Low, labels: test},
		{text: "198.51.100.23", want: "198.51.100.23", conf: Low, labels: test},
		{text: "ip 203.0.113.9", want: "203.0.113.9", conf: Low, labels: test},
		{text: "169.254.1.1", want: "169.254.1.1", conf: Low},
		{text: "fd00::1", want: "fd00::1", conf: Medium, labels: priv},
		{text: "fe80::1", want: "fe80::1", conf: Low},
		{text: "2001:db8::1", want: "2001:db8::1", conf: Low, labels: test},
		{text: "3fff:fff::1", want: "3fff:fff::1", conf: Low, labels: test},
		{text: "3fff:1000::1", want: "3fff:1000::1", conf: Medium},
		{text: "::ffff:10.1.2.3", want: "::ffff:10.1.2.3", conf: Medium, labels: priv},
		{text: "::ffff:127.0.0.1", want: ""},
		{text: "[2001:4860::1]:443", want: "2001:4860::1", conf: Medium},
		{text: "2001:4860::1/64", want: ""},
		{text: "version: 81.166.23.4", want: ""},
		{text: "oid 1.3.6.1", want: ""},
		{text: "v=1.2.3.4", want: ""},
		{text: "128.0.0.0", want: ""},
		{text: "192.0.0.0", want: ""},
		{text: "255.255.248.0", want: ""},
		{text: "240.1.2.3", want: ""},
		{text: "0.1.2.3", want: ""},
		{text: "10.0.0.1.in-addr", want: "10.0.0.1", conf: Medium, labels: priv},
		{text: "x10.0.0.1", want: ""},
		{text: "10.0.0.1x", want: ""},
		{text: "2001:4860::1g", want: ""},
		{text: "20:00:00:25:b5:00:00:0f", want: "20::25:b5:0:0:f", conf: Low},
		{text: "ip 2001:4860:0:0:0:0:0:1", want: "2001:4860::1", conf: High},
		{text: "1:2:3:4:5:6:7:8:9", want: ""},
		{text: "ab:cd:ef:12:34:56:78:9a:bc", want: ""},
		{text: "2001:4860::1: refused", want: "2001:4860::1", conf: Medium},
		{text: "addr:2001:4860::1", want: "2001:4860::1", conf: High},
		{text: "64:ff9b::81.166.23.4", want: "64:ff9b::51a6:1704", conf: Medium},
	})
}

func TestIPSeveralInOrder(t *testing.T) {
	text := "a 81.166.23.4:443 -> [2001:4860::8888]:53, ::ffff:10.0.0.1 then 10.0.0.2\n2a01:79d::1 1.2.3.4.5 8.8.4.4"
	ms := genericFind(NewIPAddress(), text, "")
	genericCheckMatches(t, NewIPAddress(), []byte(text), ms)
	var got []string
	for _, m := range ms {
		got = append(got, m.Value)
	}
	want := "81.166.23.4 2001:4860::8888 ::ffff:10.0.0.1 10.0.0.2 2a01:79d::1 8.8.4.4"
	if strings.Join(got, " ") != want {
		t.Fatalf("got %v\nwant %s", got, want)
	}
}

// parseIPv6 must agree with net/netip on every IPv6 string it accepts.
func TestParseIPv6AgreesWithNetip(t *testing.T) {
	for _, s := range []string{"2001:db8::1", "::ffff:1.2.3.4", "1:2:3:4:5:6:7:8", "1:2::", "1:2::3:4",
		"fe80::1:2:3:4:5:6", "::1.2.3.4", "0:0:0:0:0:0:1:1", "1:2:3:4:5:6:1.2.3.4", "0:0:0:0:0:0:1:2", "abcd:ef01::2345:6789"} {
		a, _, ok := parseIPv6([]byte(s))
		want, err := netip.ParseAddr(s)
		if !ok || err != nil || a != want {
			t.Errorf("%s: got %v %v, netip %v %v", s, a, ok, want, err)
		}
	}
	for _, s := range []string{"1:2:3:4:5:6:7", "1:2:3:4:5:6:7:8:9", "1:::2", "1::2::3", "12345::1", "1:2:3:4:5:6:7:1.2.3.4",
		"::1.2.3", "::1.2.3.256", "1:", ":1", "::",
		"1::", "::2", "a::b", "dead::beef:cafe", "::1", "0:0:0:0:1:0:0:0"} { // the last six: heuristics against code, not syntax
		if _, _, ok := parseIPv6([]byte(s)); ok {
			t.Errorf("%s: accepted", s)
		}
	}
}

func TestIPZeroAllocsOnRejected(t *testing.T) {
	genericZeroAllocs(t, NewIPAddress(), "12:30:45 2024-01-31T12:30:45Z 1.3.6.1.4.1.2021 v1.2.3.4 127.0.0.1:80 "+
		"00:1a:2b:3c:4d:5e std::string a::b ::1 ff02::1 224.0.0.251 255.255.255.0 10.0.0.0/8 "+
		"Chrome/120.0.0.0 http://x/ 192.168.001.010 999.1.1.1 "+strings.Repeat("ab:", 40))
}

func FuzzIPAddress(f *testing.F) {
	genericFuzz(f, NewIPAddress(), func(v string) bool {
		a, err := netip.ParseAddr(v)
		return err == nil && !a.IsLoopback() && !a.IsUnspecified() && !a.IsMulticast()
	}, "1.2.3.4:5", "[::1]:2", "fe80::1%", "fe80::1%eth0.1", "::ffff:1.2.3.4.", "1:2:3:4:5:6:7:8%x",
		"a:b:c:d:e:f:0:1", "::1.2.3.4", "01.2.3.4", "1.2.3.04")
}

func BenchmarkIPAddress(b *testing.B) { genericBench(b, NewIPAddress()) }

func TestIPForwardedList(t *testing.T) {
	ms := genericFind(NewIPAddress(), "X-Forwarded-For: 10.0.0.1, 81.166.23.4,2a01:79d::7", "")
	var got []string
	for _, m := range ms {
		got = append(got, m.Value+"/"+m.Confidence.String())
	}
	if want := "10.0.0.1/medium 81.166.23.4/high 2a01:79d::7/high"; strings.Join(got, " ") != want {
		t.Fatalf("got %v, want %s", got, want)
	}
}
