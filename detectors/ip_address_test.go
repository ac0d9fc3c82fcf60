package detectors

import (
	"bytes"
	"fmt"
	"math/rand/v2"
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
		{text: "81.166.23.4", want: "81.166.23.4", conf: Low}, // mentioned, not in a record
		{text: "2026-03-02T09:16:32 81.166.23.4", want: "81.166.23.4", conf: Medium},
		{text: "81.166.23.4", key: "note", want: "81.166.23.4", conf: Medium},
		// A column's sentence: a private address there is nobody's (a
		// package description's "script for 10.0.0.55"); a public one
		// in a support note stays a record.
		{text: "IPv4Range creates objects like be 10.0.0.0-10.0.0.101", key: "summary", want: "10.0.0.101", conf: Low, labels: priv},
		{text: "kunde nr 4 sitter bak 10.20.30.140", key: "note", want: "10.20.30.140", conf: Medium, labels: priv},
		{text: "Kunden ringte fra 81.166.23.4 og ville endre adressen", key: "note", want: "81.166.23.4", conf: Medium},
		// A URL's host is a server's address.
		{text: "2026-03-02T09:16:32 fetch http://106.37.208.233:20035/ failed", want: "106.37.208.233", conf: Low},
		{text: "See http://129.10.79.19/wordpress/?p=246", key: "summary", want: "129.10.79.19", conf: Low},
		{text: "2026-03-02T09:16:32 GET https://[2a01:4f8::3]:8443/health", want: "2a01:4f8::3", conf: Low},
		{text: "2026-03-02T09:16:32 peer=//81.166.23.4", want: "81.166.23.4", conf: High}, // not a URL
		// A server's address is nobody's; a client's beside it is.
		{text: "2026-03-02T09:16:32 connected to server 81.166.23.4", want: ""},
		{text: "2026-03-02T09:16:32 server=10.0.0.5 client=81.166.23.4", want: "81.166.23.4", conf: High},
		{text: "client ip of the customer session was 10.20.30.140 at login", key: "note", want: "10.20.30.140", conf: Medium, labels: priv},
		{text: "2026-03-02T09:16:32 klient 81.166.23.4", want: "81.166.23.4", conf: High},
		{text: "klient 81.166.23.4", want: "81.166.23.4", conf: Low},
		{text: "81.166.23.4", key: "client_ip", want: "81.166.23.4", conf: High},
		{text: "2026-03-02T09:16:32 ip: 10.0.0.1", want: "10.0.0.1", conf: Medium, labels: priv},
		{text: "2026-03-02T09:16:32 172.16.0.1", want: "172.16.0.1", conf: Medium, labels: priv},
		{text: "2026-03-02T09:16:32 172.31.255.254", want: "172.31.255.254", conf: Medium, labels: priv},
		{text: "2026-03-02T09:16:32 172.32.0.1", want: "172.32.0.1", conf: Medium},
		{text: "2026-03-02T09:16:32 100.64.0.1", want: "100.64.0.1", conf: Medium, labels: priv},
		{text: "2026-03-02T09:16:32 100.128.0.1", want: "100.128.0.1", conf: Medium},
		{text: "2026-03-02T09:16:32 192.168.1.1", want: "192.168.1.1", conf: Medium, labels: priv},
		{text: "192.0.2.1", want: "192.0.2.1", conf: Low, labels: test},
		{text: "198.51.100.23", want: "198.51.100.23", conf: Low, labels: test},
		{text: "ip 203.0.113.9", want: "203.0.113.9", conf: Low, labels: test},
		{text: "169.254.1.1", want: "169.254.1.1", conf: Low},
		{text: "fd00::1", want: "fd00::1", conf: Low, labels: priv}, // two groups: as often not an address
		{text: "2026-03-02T09:16:32 client fd00::1", want: "fd00::1", conf: Medium, labels: priv},
		{text: "fe80::1", want: "fe80::1", conf: Low},
		{text: "2001:db8::1", want: "2001:db8::1", conf: Low, labels: test},
		{text: "3fff:fff::1", want: "3fff:fff::1", conf: Low, labels: test},
		{text: "2026-03-02T09:16:32 3fff:1000::1", want: "3fff:1000::1", conf: Medium},
		{text: "2026-03-02T09:16:32 ::ffff:10.1.2.3", want: "::ffff:10.1.2.3", conf: Medium, labels: priv},
		{text: "::ffff:127.0.0.1", want: ""},
		{text: "2026-03-02T09:16:32 [2001:4860::1]:443", want: "2001:4860::1", conf: Medium},
		{text: "2001:4860::1/64", want: ""},
		{text: "version: 81.166.23.4", want: ""},
		{text: "oid 1.3.6.1", want: ""},
		{text: "v=1.2.3.4", want: ""},
		{text: "128.0.0.0", want: ""},
		{text: "192.0.0.0", want: ""},
		{text: "255.255.248.0", want: ""},
		{text: "240.1.2.3", want: ""},
		{text: "0.1.2.3", want: ""},
		{text: "10.0.0.1.in-addr", want: "10.0.0.1", conf: Low, labels: priv},
		{text: "x10.0.0.1", want: ""},
		{text: "10.0.0.1x", want: ""},
		{text: "2001:4860::1g", want: ""},
		{text: "20:00:00:25:b5:00:00:0f", want: "20::25:b5:0:0:f", conf: Low},
		{text: "2026-03-02T09:16:32 ip 2001:4860:0:0:0:0:0:1", want: "2001:4860::1", conf: High},
		{text: "1:2:3:4:5:6:7:8:9", want: ""},
		{text: "ab:cd:ef:12:34:56:78:9a:bc", want: ""},
		{text: "2026-03-02T09:16:32 2001:4860::1: refused", want: "2001:4860::1", conf: Medium},
		{text: "2026-03-02T09:16:32 addr:2001:4860::1", want: "2001:4860::1", conf: High},
		{text: "2026-03-02T09:16:32 64:ff9b::81.166.23.4", want: "64:ff9b::51a6:1704", conf: Medium},
		// Real-world versions and section numbers (Debian /usr/share/doc, the Go module cache):
		{text: "    upgrades from versions before 1.7.9.5 (the version in Ubuntu", want: ""},
		{text: "  sleep no longer fails when resumed after being suspended on linux-2.6.8.1,", want: ""},
		{text: "adwaita-icon-theme (3.16.2.1-2) unstable; urgency=medium", want: ""},
		{text: `distinguished: e.g. "4.6.0.152-fe9c" is the 152th commit`, want: ""},
		{text: "  * Added base-passwd (>= 2.0.3.4) to the Depends field.", want: ""},
		{text: "     (<< 2.2.7.1-3~) due to", want: ""},
		{text: "Git 1.8.1.2 Release Notes", want: ""},
		{text: "   numeric color values are used.  This was fixed in 1.5.4.1.", want: ""},
		{text: "  * Updated package to Policy 3.6.1.1.", want: ""},
		{text: "# Revision 1.3.4.1  2001/02/05 15:14:34  rmahalin", want: ""},
		{text: "<h4 class=\"subsubsection\">2.3.4.1 Arrays</h4>", want: "2.3.4.1", conf: Low},
		{text: "Bump spotbugs-maven-plugin from 4.4.1 to 4.4.2.2 #71.", want: "4.4.2.2", conf: Low},
		{text: "What's new in at-spi2-core 2.39.90.1:", want: "2.39.90.1", conf: Low},
		{text: "3.23.91.1", want: "3.23.91.1", conf: Low},
		{text: "(such as 18.30.0.212). The ipportnumber", want: "18.30.0.212", conf: Low},
		{text: "2026-03-02T09:16:32 the peer, for example 81.166.23.4", want: "81.166.23.4", conf: Low, labels: test},
		{text: "	(get_dns_cert): Use DNS resolver at 8.8.8.8 in tor-mode.", want: "8.8.8.8", conf: Low, labels: []string{LabelPublicService}},
		{text: "  Before: Trying 2606:4700:4700::1111:443...", want: "2606:4700:4700::1111:443", conf: Low, labels: []string{LabelPublicService}},
		{text: "  After: Trying [2606:4700:4700::1111]:443...", want: "2606:4700:4700::1111", conf: Low, labels: []string{LabelPublicService}},
		{text: "PASS: gdb.cp/nested-class-func-class.exp: BP 2: ptype F1::F2", want: "f1::f2", conf: Low},
		{text: `  would print "2:4:6:8:10:12:14:16" and exit 0.`, want: "2:4:6:8:10:12:14:16", conf: Low},
		// Addresses where logs put them:
		{text: "84.212.77.14 - - [02/Mar/2026:09:14:02 +0100] \"GET / HTTP/1.1\" 200", want: "84.212.77.14", conf: Medium},
		{text: "Mar  2 09:16:32 mx postfix/smtpd[812]: connect from unknown[84.212.77.14]", want: "84.212.77.14", conf: Medium},
		{text: "Mar  2 09:16:32 web sshd[4242]: Failed password for root from 84.212.77.14 port 22", want: "84.212.77.14", conf: Medium},
		{text: "tcp/18.30.0.212:7890", want: "18.30.0.212", conf: Low},                                                         // a transport name in the X11 docs
		{text: "Mar  2 09:16:32 web sshd[4242]: Accepted publickey for kari from 5.4.3.2 port 22", want: "5.4.3.2", conf: Low}, // small octets: a version's shape
		{text: "2026-03-02T09:16:32 client=5.4.3.2", want: "5.4.3.2", conf: Medium},
		{text: "client=81.166.23.4", want: "81.166.23.4", conf: Low},
		// Documentation examples (nodejs, valgrind): no time of day on the line.
		{text: "remote IP address. For example, <code>'74.125.127.100'</code> or", want: "74.125.127.100", conf: Low},
		{text: "    you want to send the output to host IP 192.168.0.1 port 12345", want: "192.168.0.1", conf: Low, labels: priv},
		{text: "# ip -6 addr add abcd:ef10:ffff:ffff:ffff:ffff:ffff:ff62 dev lo", want: "abcd:ef10:ffff:ffff:ffff:ffff:ffff:ff62", conf: Low},
		{text: "Received: from pele.santafe.edu (pele.santafe.edu [192.12.12.119]) by nike", want: "192.12.12.119", conf: Low},
		{text: "[2026-03-02 09:16:32,118] WARN login failed user=kari ip=81.166.23.4", want: "81.166.23.4", conf: High},
		{text: "81.166.23.4", key: "user.last_ip", want: "81.166.23.4", conf: High},
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
	ms := genericFind(NewIPAddress(), "09:16:32 X-Forwarded-For: 10.0.0.1, 81.166.23.4,2a01:79d::7", "")
	var got []string
	for _, m := range ms {
		got = append(got, m.Value+"/"+m.Confidence.String())
	}
	if want := "10.0.0.1/medium 81.166.23.4/high 2a01:79d::7/high"; strings.Join(got, " ") != want {
		t.Fatalf("got %v, want %s", got, want)
	}
}

// ipRefFind is Find as it checks the IPv4 candidates before every colon
// token, accepted or not, and walks every digit run for them rather than
// the candidate list. Find, which checks only the listed candidates and
// only before accepted IPv6 addresses, must report exactly what it reports.
func ipRefFind(d *ipDetector, in *Input, emit func(Match)) {
	b := in.Buf
	runs := in.Runs()
	ri := 0
	for pos := 0; pos < len(b); {
		c := bytes.IndexByte(b[pos:], ':')
		if c < 0 {
			break
		}
		c += pos
		s, e, zoneEnd, next, addr, pairs, ok := ipv6Token(b, c)
		ri = ipRefV4(d, in, runs, ri, s, emit)
		if ok {
			d.emitV6(in, s, e, zoneEnd, addr, pairs, emit)
			for ri < len(runs) && runs[ri].Start < zoneEnd {
				ri++
			}
		}
		pos = max(next, c+1)
	}
	ipRefV4(d, in, runs, ri, len(b), emit)
}

// ipRefV4 checks every run from ri on that starts before limit as the
// first octet of an IPv4 address, and returns the first run not examined.
func ipRefV4(d *ipDetector, in *Input, runs []Run, ri, limit int, emit func(Match)) int {
	b := in.Buf
	for ; ri+3 < len(runs) && runs[ri].Start < limit; ri++ {
		r0, r1, r2, r3 := runs[ri], runs[ri+1], runs[ri+2], runs[ri+3]
		if r1.Start != r0.End+1 || r2.Start != r1.End+1 || r3.Start != r2.End+1 ||
			b[r0.End] != '.' || b[r1.End] != '.' || b[r2.End] != '.' {
			continue
		}
		o0, ok0 := ipOctetRun(b, r0)
		o1, ok1 := ipOctetRun(b, r1)
		o2, ok2 := ipOctetRun(b, r2)
		o3, ok3 := ipOctetRun(b, r3)
		if ok0 && ok1 && ok2 && ok3 && ipV4Bounded(b, r0.Start, r3.End) {
			d.emitV4(in, r0.Start, r3.End, [4]byte{o0, o1, o2, o3}, emit)
			ri += 3
		}
	}
	for ri < len(runs) && runs[ri].Start < limit {
		ri++
	}
	return ri
}

// ipRandText builds text from the pieces addresses and their look-alikes
// are made of.
func ipRandText(r *rand.Rand) []byte {
	pieces := []string{".", ".", ":", "::", " ", "/", "-", "[", "]", "%eth0", "ffff", "fe80", "2001:db8", "a", "x", "v",
		"version ", "ip ", "\n", "10.", "192.168.", "255.", "0.", "127.", "_", "Chrome/", "2026-03-20T03:54:10.644+01:00 ",
		"2a01:79d:", "::", "fd12:"}
	var sb strings.Builder
	for range 1 + r.IntN(24) {
		if r.IntN(6) == 0 { // a dotted quad, now and then with a bad octet
			for k := range 4 {
				if k > 0 {
					sb.WriteByte('.')
				}
				fmt.Fprint(&sb, []int{0, 1, 10, 100, 172, 192, 255, 256, 999, 1 + r.IntN(254)}[r.IntN(10)])
			}
			continue
		}
		if r.IntN(2) == 0 {
			n := 1 + r.IntN(3)
			if r.IntN(8) == 0 {
				n = 4 + r.IntN(3)
			}
			for range n {
				sb.WriteByte(byte('0' + r.IntN(10)))
			}
		} else {
			sb.WriteString(pieces[r.IntN(len(pieces))])
		}
	}
	return []byte(sb.String())
}

func ipCheckAgainstRef(t *testing.T, d *ipDetector, text []byte, key string) {
	t.Helper()
	checkAgainstRef(t, d.Find, func(in *Input, emit func(Match)) { ipRefFind(d, in, emit) }, text, key)
}

func TestIPFindAgreesWithTokenWalk(t *testing.T) {
	d := NewIPAddress().(*ipDetector)
	r := rand.New(rand.NewPCG(21, 34))
	v4, v6 := 0, 0
	for range 20000 {
		text := ipRandText(r)
		ipCheckAgainstRef(t, d, text, []string{"", "client_ip", "version"}[r.IntN(3)])
		for _, m := range genericFind(d, string(text), "") {
			if strings.Contains(m.Value, ":") {
				v6++
			} else {
				v4++
			}
		}
	}
	if v4 < 500 || v6 < 100 {
		t.Fatalf("only %d IPv4 and %d IPv6 addresses in the random texts: the comparison proves little", v4, v6)
	}
	for _, ex := range append(d.Positives(), d.Negatives()...) {
		ipCheckAgainstRef(t, d, []byte(ex.Text), "")
	}
	ipCheckAgainstRef(t, d, genericBenchLog(1<<18), "")
}

// ipOctetRun agrees with ipOctet on every run of 1–4 digits, wherever it
// lies in the buffer.
func TestIPOctetRun(t *testing.T) {
	for v := range 10000 {
		for n := 1; n <= 4; n++ {
			p := fmt.Sprintf("%0*d", n, v)
			if len(p) != n {
				continue
			}
			want, wantOK := ipOctet([]byte(p))
			for _, around := range [][2]string{{"", ""}, {"", ".1"}, {"1.", "."}, {"x", ""}} {
				text, s := around[0]+p+around[1], len(around[0])
				got, ok := ipOctetRun([]byte(text), Run{s, s + n})
				if ok != wantOK || (ok && got != want) {
					t.Fatalf("%q in %q: got %d %v, want %d %v", p, text, got, ok, want, wantOK)
				}
			}
		}
	}
}

// A reported IPv4 address costs no allocation of its own: its value is
// made in the Input's block of values (valueString), and it is asked
// about its context before, so that against-context costs none either. An
// IPv6 address costs one: net/netip, which takes a string, parses it
// before its context is asked.
func TestIPAllocsPerMatch(t *testing.T) {
	text := "81.166.23.4 - 10.2.3.4 - 192.0.2.7 - 169.254.1.1 - 2001:4860::8888 - fe80::1%eth0 - ::ffff:10.0.0.1\n" +
		"version 1.2.3.4 build 2.10.0.12 snmp 1.3.6.1 127.0.0.1 255.255.255.0"
	d := NewIPAddress()
	var in Input
	in.Reset([]byte(text), "")
	n := 0
	d.Find(&in, func(Match) { n++ })
	if n != 7 {
		t.Fatalf("%d matches, want 7", n)
	}
	allocs := testing.AllocsPerRun(50, func() {
		in.Reset(in.Buf, "")
		d.Find(&in, func(Match) {})
	})
	if v6 := 3; allocs != float64(v6) {
		t.Errorf("%.1f allocations for %d matches, want %d (one per IPv6 address)", allocs, n, v6)
	}
}

func FuzzIPFindAgreesWithTokenWalk(f *testing.F) {
	d := NewIPAddress().(*ipDetector)
	for _, ex := range append(d.Positives(), d.Negatives()...) {
		f.Add([]byte(ex.Text))
	}
	f.Add([]byte("1.2.3.4::5 10.0.0.1:2001:db8::1 fe80::1%eth0:10.1.2.3 ::ffff:1.2.3.4.5 1.2.3.4"))
	f.Fuzz(func(t *testing.T, data []byte) {
		ipCheckAgainstRef(t, d, data, "")
	})
}

// The IPv4 shape is four runs of 1–3 digits joined by single dots, read
// straight from the digit runs.
func TestIPv4Shapes(t *testing.T) {
	d := NewIPAddress()
	for text, want := range map[string]string{
		"1.2.3.x4": "", "1.2.3. 4": "", "1.2..3.4": "", "1. 2.3.4": "", "1.2.3.": "", "1.2.3.4444": "", "1111.2.3.4": "",
		"8.8.4.4": "8.8.4.4", "81.166.23.4.": "81.166.23.4", "(81.166.23.4)": "81.166.23.4", "a 81.166.23.255 b": "81.166.23.255",
		"81.166.23.256": "", "81.166.023.4": "", "81.0.23.4": "81.0.23.4", "1.2.3.4 5.6.7.8": "1.2.3.4,5.6.7.8",
	} {
		var got []string
		for _, m := range genericFind(d, text, "") {
			got = append(got, m.Value)
		}
		if strings.Join(got, ",") != want {
			t.Errorf("%q: got %q, want %q", text, got, want)
		}
	}
}
