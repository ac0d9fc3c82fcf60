package detectors

import (
	"bytes"
	"math/bits"
	"net/netip"
	"strings"
)

// ipv6MaxToken bounds how far an IPv6 candidate is expanded around a colon:
// the longest address with an IPv4 tail is 45 bytes.
const ipv6MaxToken = 64

// ipDetector finds IPv4 and IPv6 addresses.
type ipDetector struct {
	boost, against *WordSet
	// strong are the boost words that name an address on their own (ip,
	// client, remote_addr, …), unlike "from" or "address" (upgrades from
	// versions before 1.7.9.5).
	strong        *WordSet
	privLabels    []string
	testLabels    []string
	serviceLabels []string
}

// ipWeakWords are the IP context words that speak for an address only
// when the value does not look like a version.
var ipWeakWords = map[string]bool{"from": true, "source": true, "address": true}

// ipVersionWords are words before dotted numbers that are versions or
// section numbers, beside IPAgainst.
var ipVersionWords = []string{"versions", "versjoner", "revision", "rev", "policy", "standards-version",
	"releases", "section", "chapter", "kapittel", "avsnitt", "rfc", "kernel", "linux", "gcc", "glibc", "git",
	"zlib", "jvm", "java", "jdk", "python", "perl", "doxygen", "xfree86", "fixed", "upgrade", "upgraded",
	"bump", "bumped", "depends", "requires", "tag", "firmware", "patch", "patchlevel"}

// NewIPAddress returns the IP address detector.
func NewIPAddress() Detector {
	boost := IPWords()
	var strong []string
	for _, w := range boost.Words() {
		if !ipWeakWords[w] {
			strong = append(strong, w)
		}
	}
	return &ipDetector{
		boost:         boost,
		against:       NewWordSet(append(IPAgainst().Words(), ipVersionWords...)...),
		strong:        NewWordSet(strong...),
		privLabels:    []string{LabelPrivateRange},
		testLabels:    []string{LabelTestData},
		serviceLabels: []string{LabelPublicService},
	}
}

func (d *ipDetector) ID() string         { return "ip_address" }
func (d *ipDetector) Category() Category { return IPAddress }

func (d *ipDetector) Description() string {
	return "IPv4 (four decimal octets 0-255 without leading zeros, not inside a longer dotted run, :port " +
		"stripped) and IPv6 (compressed, IPv4-mapped, bracketed, with zone) addresses, parsed into " +
		"net/netip. Loopback, unspecified, 0/8, multicast, 240/4 (incl. broadcast and 255.255.x.x netmasks), " +
		"contiguous netmasks and CIDR networks are not reported, nor is anything after version/build/oid or server " +
		"context. Not a version: glued by '-' to a name (linux-2.6.8.1), followed by -N (1.2.5.1-2), ~ or " +
		"+word, after >=, <=, <<, >>, or after a version word (policy, revision, gcc, …). In a record (a log " +
		"line with a time of day, a column, a CSV header or a JSON key path): High with an IP word (ip, client, " +
		"remote_addr, …), else Medium, and Low when every octet is small like a version's (first < 30, others " +
		"< 100) unless an IP word vouches, or when it is a URL's host (http://81.166.23.4/: a server). A private " +
		"address in a column's sentence (five words or more) is Low. Outside a record (prose, documentation, source code: an address " +
		"mentioned, not recorded): Low. private_range (RFC 1918, CGNAT, ULA): at most Medium; public_service " +
		"(public DNS resolvers, root servers): Low; link-local, two-group IPv6 (F1::F2), short decimal groups " +
		"and 8 two-digit hex groups (WWN-like): Low; " +
		"documentation ranges: test_data at Low."
}

func (d *ipDetector) ContextWords() []string { return sortedContextWords(d.boost) }

// Find reports IPv4 candidates from the digit runs and IPv6 candidates
// around each ':' (found with bytes.IndexByte), in order of position. The
// IPv4 candidates before an IPv6 address are checked when it is found
// (token starts only grow, so one pass over the candidates up to it finds
// what checking them before every rejected token would), and the
// candidates inside it are skipped.
func (d *ipDetector) Find(in *Input, emit func(Match)) {
	b := in.Buf
	cand := in.candidates()
	v4 := ipV4Cands{runs: in.Runs(), dots: cand.dot}
	// The IPv6 candidates: the colons (a time stamp's are not in the
	// masks) with another colon at most five bytes on. An address's
	// groups have at most four hex digits, so each address holds such a
	// colon, and a token is expanded from it both ways; a lone colon
	// ("key: value", "user:64442:6565…") costs nothing.
	colons := in.colons()
	pos := 0
	for k, w := range colons {
		var w2 uint64 // the next block's
		if k+1 < len(colons) {
			w2 = colons[k+1]
		}
		near := w>>1 | w2<<63 | w>>2 | w2<<62 | w>>3 | w2<<61 | w>>4 | w2<<60 | w>>5 | w2<<59
		for cand := w & near; cand != 0; cand &= cand - 1 {
			c := 64*k + bits.TrailingZeros64(cand)
			if c < pos {
				continue // inside the token before
			}
			s, e, zoneEnd, next, addr, pairs, ok := ipv6Token(b, c)
			if ok {
				d.findV4(in, &v4, s, emit)
				d.emitV6(in, s, e, zoneEnd, addr, pairs, emit)
				for v4.q < len(v4.dots) && v4.runs[v4.dots[v4.q]].Start < zoneEnd {
					v4.q++
				}
			}
			pos = max(next, c+1)
		}
	}
	d.findV4(in, &v4, len(b), emit)
}

// ipV4Cands walks the IPv4 candidates of an Input: the runs of one to
// three digits that start two octets joined by dots (candidates.go).
type ipV4Cands struct {
	runs []Run
	dots []int32 // indices into runs
	q    int     // the next candidate in dots
	skip int     // runs before skip belong to a reported address
}

// findV4 checks the IPv4 candidates whose first octet starts before limit.
// The octets are parsed straight from the digit runs.
func (d *ipDetector) findV4(in *Input, v *ipV4Cands, limit int, emit func(Match)) {
	b := in.Buf
	runs := v.runs
	for ; v.q < len(v.dots); v.q++ {
		ri := int(v.dots[v.q])
		r0 := runs[ri]
		if r0.Start >= limit {
			return
		}
		if ri < v.skip {
			continue
		}
		// r0 is followed by a dot and a run (and three runs follow it):
		// the rest of four runs joined by single dots; ipOctetRun checks
		// their lengths.
		r1, r2, r3 := runs[ri+1], runs[ri+2], runs[ri+3]
		if r2.Start != r1.End+1 || r3.Start != r2.End+1 || b[r1.End] != '.' || b[r2.End] != '.' {
			continue
		}
		o0, ok0 := ipOctetRun(b, r0)
		o1, ok1 := ipOctetRun(b, r1)
		o2, ok2 := ipOctetRun(b, r2)
		o3, ok3 := ipOctetRun(b, r3)
		if ok0 && ok1 && ok2 && ok3 && ipV4Bounded(b, r0.Start, r3.End) {
			d.emitV4(in, r0.Start, r3.End, [4]byte{o0, o1, o2, o3}, emit)
			v.skip = ri + 4
		}
	}
}

// ipOctetRun parses the digit run r of b as an octet: 1–3 digits without
// a leading zero, 0–255. The digits are weighted by the run's length
// instead of looped over: octet lengths vary at random in logs.
func ipOctetRun(b []byte, r Run) (byte, bool) {
	n := r.End - r.Start
	if n > 3 || r.Start+2 >= len(b) {
		return ipOctet(b[r.Start:r.End])
	}
	w := &ipOctetWeights[n]
	d0 := uint(b[r.Start] - '0')
	v := d0*w[0] + uint(b[r.Start+1]-'0')*w[1] + uint(b[r.Start+2]-'0')*w[2]
	return byte(v), v <= 255 && (d0 != 0 || n == 1)
}

// ipOctetWeights[n] weights the three bytes from an octet's start by the
// octet's length n (bytes beyond it weigh 0). A constant lookup table.
var ipOctetWeights = [4][3]uint{{}, {1, 0, 0}, {10, 1, 0}, {100, 10, 1}}

// ipOctet parses 1–3 digits without a leading zero as a value 0–255.
func ipOctet(p []byte) (byte, bool) {
	if len(p) == 0 || len(p) > 3 || len(p) > 1 && p[0] == '0' {
		return 0, false
	}
	v := 0
	for _, c := range p {
		v = v*10 + int(c-'0')
	}
	return byte(v), v <= 255
}

// ipV4Bounded checks what surrounds the dotted quad b[s:e]: not part of a
// longer dotted run (OIDs, 1.2.3.4.5), not glued to a word (v1.2.3.4), not
// a product version (Chrome/120.0.0.0), not a CIDR network (10.0.0.0/8).
func ipV4Bounded(b []byte, s, e int) bool {
	if s > 0 {
		c := b[s-1]
		switch {
		case c == '.' || c == '_' || IsAlnum(c) && !jsonEscapeBefore(b, s):
			return false
		case c == '/' && s >= 2 && IsAlnum(b[s-2]):
			// Product/version tokens are capitalised (Chrome/, Version/,
			// Edg/, OPR/); lower-case path segments (/hosts/10.0.0.1) are not.
			for j := s - 2; j >= 0 && IsAlnum(b[j]); j-- {
				if b[j] >= 'A' && b[j] <= 'Z' {
					return false
				}
			}
		}
	}
	if e < len(b) {
		c, next := b[e], byteAt(b, e+1)
		switch {
		case c == '_' || IsAlnum(c):
			return false
		case (c == '.' || c == '/') && IsDigit(next):
			return false
		}
	}
	return true
}

// ipV4Reject reports addresses that are never findings: 0/8, loopback,
// multicast, 240/4 (reserved, broadcast, 255.255.x.x netmasks) and
// contiguous-ones netmasks such as 255.0.0.0 or 192.0.0.0.
func ipV4Reject(o [4]byte) bool {
	if o[0] == 0 || o[0] == 127 || o[0] >= 224 {
		return true
	}
	if o[0] >= 128 {
		m := uint32(o[0])<<24 | uint32(o[1])<<16 | uint32(o[2])<<8 | uint32(o[3])
		inv := ^m
		if inv&(inv+1) == 0 {
			return true
		}
	}
	return false
}

// ipScope classifies a reportable address.
type ipScope int8

const (
	ipPublic ipScope = iota
	ipPrivate
	ipLinkLocal
	ipTest
	ipService
	ipNever
)

func ipV4Scope(o [4]byte) ipScope {
	switch {
	case ipV4Reject(o):
		return ipNever
	case o[0] == 10, o[0] == 172 && o[1]&0xF0 == 16, o[0] == 192 && o[1] == 168, o[0] == 100 && o[1]&0xC0 == 64:
		return ipPrivate
	case o[0] == 169 && o[1] == 254:
		return ipLinkLocal
	case o[0] == 192 && o[1] == 0 && o[2] == 2, o[0] == 198 && o[1] == 51 && o[2] == 100, o[0] == 203 && o[1] == 0 && o[2] == 113:
		return ipTest
	}
	return ipPublic
}

func ipV6Scope(a netip.Addr) ipScope {
	if a.Is4In6() {
		return ipV4Scope(a.Unmap().As4())
	}
	x := a.As16()
	switch {
	case a.IsUnspecified(), a.IsLoopback(), a.IsMulticast():
		return ipNever
	case x[0]&0xFE == 0xFC:
		return ipPrivate
	case x[0] == 0xFE && x[1]&0xC0 == 0x80:
		return ipLinkLocal
	case x[0] == 0x20 && x[1] == 0x01 && x[2] == 0x0D && x[3] == 0xB8, x[0] == 0x3F && x[1] == 0xFF && x[2]&0xF0 == 0:
		return ipTest
	}
	return ipPublic
}

func (d *ipDetector) emitV4(in *Input, s, e int, o [4]byte, emit func(Match)) {
	scope := ipV4Scope(o)
	if scope == ipNever {
		return
	}
	sig := in.Context(s, d.boost, d.against)
	if sig == Against || ipVersionSyntax(in.Buf, s, e) {
		return // version 1.2.3.4, build 2.10.0.12, OIDs, netmask 255.255.255.0, 3.16.2.1-2
	}
	strong := sig == Boost && in.Context(s, d.strong, d.against) == Boost
	vish := o[0] < 30 && o[1] < 100 && o[2] < 100 && o[3] < 100
	if ipV4Service(o) {
		scope = ipService
	}
	if ipV4Placeholder(o) {
		scope = ipTest // 1.2.3.4
	}
	// The costlier looks (the line's time of day, example words) only
	// where they can change the grade.
	conf := Low
	switch {
	case vish && !strong, scope == ipTest, scope == ipService, scope == ipLinkLocal:
		// Low whatever the line says.
	case urlHost(in.Buf, s):
		// http://106.37.208.233:20035/: a server's address, named
	case !in.InRecord(s, e):
		// prose, documentation, code: an address mentioned, not one recorded
	case scope == ipPrivate && !strong && in.InProse(s, e):
		// a private address in a column's sentence: a description's
		// "script for 10.0.0.55", an address of nobody's
	case in.ExampleBefore(s):
		scope = ipTest // "for example, vmIp = …"
	case strong && !vish:
		conf = High
	default:
		conf = Medium
	}
	d.reportConf(s, e, in.lastValue(in.Buf[s:e]), scope, conf, emit)
}

// urlHost reports whether the address at b[s] is the host of a URL
// (http://81.166.23.4/, http://[2001:db8::1]:8443/): the address of a
// server the text names, not of a person.
func urlHost(b []byte, s int) bool {
	if s > 0 && b[s-1] == '[' {
		s--
	}
	return s >= 3 && b[s-1] == '/' && b[s-2] == '/' && b[s-3] == ':'
}

// ipVersionSyntax reports the written forms of a version around the dotted
// quad b[s:e]: glued by '-' to a name before (linux-2.6.8.1), a Debian
// revision or suffix after (3.16.2.1-2, 4.6.0.152-fe9c, 1.2~rc1, 1.0+dfsg),
// or a dependency relation before (>= 2.0.3.4, << 2.2.7.1).
func ipVersionSyntax(b []byte, s, e int) bool {
	if s >= 2 && b[s-1] == '-' && IsAlnum(b[s-2]) && !IsDigit(b[s-2]) {
		return true
	}
	if e < len(b) {
		c, next := b[e], byteAt(b, e+1)
		switch {
		case c == '-' && IsAlnum(next), c == '~', c == '+' && IsAlnum(next):
			return true
		}
	}
	if s >= 3 && b[s-1] == ' ' {
		p, q := b[s-3], b[s-2]
		if (p == '>' || p == '<') && (q == '=' || q == p) || p == '(' && q == '=' {
			return true
		}
	}
	return buildOfVersion(b, s, e)
}

// buildOfVersion reports a dotted quad b[s:e] in parentheses right after
// the version it extends: "openconfiguration.host 1.4.6 (1.4.6.100)".
func buildOfVersion(b []byte, s, e int) bool {
	p := s - 1
	if p < 0 || b[p] != '(' {
		return false
	}
	p--
	if p >= 0 && b[p] == ' ' {
		p--
	}
	end := p + 1
	for p >= 0 && (IsDigit(b[p]) || b[p] == '.') {
		p--
	}
	v := b[p+1 : end]
	n := len(v)
	return n >= 3 && n < e-s && bytes.IndexByte(v, '.') > 0 && b[s+n] == '.' && bytes.Equal(b[s:s+n], v)
}

// ipV4Placeholder reports the dotted quads written as placeholders:
// 1.2.3.4, 4.3.2.1, 5.6.7.8.
func ipV4Placeholder(o [4]byte) bool {
	return o == [4]byte{1, 2, 3, 4} || o == [4]byte{4, 3, 2, 1} || o == [4]byte{5, 6, 7, 8}
}

// ipV4Service reports well-known public service addresses: public DNS
// resolvers (Google, Cloudflare, Quad9, OpenDNS, Level 3) and the DNS root
// servers. They appear in documentation and configuration, not as a
// person's address.
func ipV4Service(o [4]byte) bool {
	if !ipV4ServiceFirst[o[0]] {
		return false // most addresses: one table look-up, no map
	}
	v := uint32(o[0])<<24 | uint32(o[1])<<16 | uint32(o[2])<<8 | uint32(o[3])
	_, ok := ipV4Services[v]
	return ok
}

// ipV4ServiceFirst marks the first octets of ipV4Services.
var ipV4ServiceFirst = func() (t [256]bool) {
	for v := range ipV4Services {
		t[v>>24] = true
	}
	return t
}()

var ipV4Services = func() map[uint32]struct{} {
	m := map[uint32]struct{}{}
	for _, a := range []string{
		"8.8.8.8", "8.8.4.4", "1.1.1.1", "1.0.0.1", "9.9.9.9", "149.112.112.112", "208.67.222.222",
		"208.67.220.220", "4.2.2.1", "4.2.2.2", "4.2.2.3", "4.2.2.4", "4.2.2.5", "4.2.2.6", "64.6.64.6", "64.6.65.6",
		// root servers a–m
		"198.41.0.4", "170.247.170.2", "199.9.14.201", "192.33.4.12", "199.7.91.13", "192.203.230.10", "192.5.5.241",
		"192.112.36.4", "198.97.190.53", "192.36.148.17", "192.58.128.30", "193.0.14.129", "199.7.83.42", "202.12.27.33",
	} {
		x := netip.MustParseAddr(a).As4()
		m[uint32(x[0])<<24|uint32(x[1])<<16|uint32(x[2])<<8|uint32(x[3])] = struct{}{}
	}
	return m
}()

// ipV6Service reports a public service address, also written with a port
// glued on without brackets (2606:4700:4700::1111:443).
func ipV6Service(a netip.Addr, text string) bool {
	if _, ok := ipV6Services[a]; ok {
		return true
	}
	if i := strings.LastIndexByte(text, ':'); i > 0 && strings.Contains(text[:i], "::") {
		if p, err := netip.ParseAddr(text[:i]); err == nil {
			_, ok := ipV6Services[p]
			return ok
		}
	}
	return false
}

// ipV6Services are the IPv6 public service addresses (resolvers, root servers).
var ipV6Services = func() map[netip.Addr]struct{} {
	m := map[netip.Addr]struct{}{}
	for _, a := range []string{
		"2001:4860:4860::8888", "2001:4860:4860::8844", "2606:4700:4700::1111", "2606:4700:4700::1001",
		"2620:fe::fe", "2620:fe::9", "2620:119:35::35", "2620:119:53::53",
		"2001:503:ba3e::2:30", "2801:1b8:10::b", "2001:500:200::b", "2001:500:2::c", "2001:500:2d::d",
		"2001:500:a8::e", "2001:500:2f::f", "2001:500:12::d0d", "2001:500:1::53", "2001:7fe::53",
		"2001:503:c27::2:30", "2001:7fd::1", "2001:500:9f::42", "2001:dc3::35",
	} {
		m[netip.MustParseAddr(a)] = struct{}{}
	}
	return m
}()

func (d *ipDetector) emitV6(in *Input, s, e, zoneEnd int, a netip.Addr, pairs bool, emit func(Match)) {
	scope := ipV6Scope(a)
	if scope == ipNever {
		return
	}
	// The final word is net/netip's: parse the text (with its zone).
	text := string(in.Buf[s:zoneEnd])
	p, err := netip.ParseAddr(text)
	if err != nil || p.WithZone("") != a {
		return
	}
	sig := in.Context(s, d.boost, d.against)
	if sig == Against {
		return
	}
	if ipV6Service(p.WithZone(""), text) {
		scope = ipService
	}
	// Two groups around "::" (F1::F2, a C++ scope) and short decimal groups
	// (2:4:6:8:10:12:14:16) are rarely addresses without an IP word.
	if !pairs && ipV6Weak(text) && (sig != Boost || in.Context(s, d.strong, d.against) != Boost) {
		pairs = true // reported at Low
	}
	if !pairs && scope != ipTest && scope != ipLinkLocal {
		if urlHost(in.Buf, s) || !in.InRecord(s, zoneEnd) {
			pairs = true // mentioned in prose or code, not recorded: Low
		} else if in.ExampleBefore(s) {
			scope = ipTest
		}
	}
	// The value is the canonical form, most often the text itself: format
	// it on the stack and allocate only when it differs.
	var buf [64]byte
	value := text
	if canon := p.AppendTo(buf[:0]); string(canon) != text {
		value = string(canon)
	}
	d.report(s, zoneEnd, value, scope, sig, pairs, emit)
}

// ipV6Weak reports IPv6 text that is as often something else: at most two
// groups around "::", or only groups of one or two decimal digits.
func ipV6Weak(text string) bool {
	if strings.IndexByte(text, '.') >= 0 {
		return false // an IPv4 tail (::ffff:10.1.2.3)
	}
	groups, short := 0, true
	for i := 0; i < len(text); {
		j := i
		for j < len(text) && text[j] != ':' && text[j] != '%' {
			j++
		}
		if g := text[i:j]; g != "" {
			groups++
			if len(g) > 2 || !IsDigit(g[0]) || !IsDigit(g[len(g)-1]) {
				short = false
			}
		}
		if j < len(text) && text[j] == '%' {
			break
		}
		i = j + 1
	}
	return groups <= 2 && strings.Contains(text, "::") || short
}

// reportConf emits an address graded conf, with the scope's labels:
// private addresses are capped at Medium; link-local, documentation and
// public service addresses are Low. Labels are the detector's shared,
// read-only slices.
func (d *ipDetector) reportConf(s, e int, value string, scope ipScope, conf Confidence, emit func(Match)) {
	m := Match{Detector: d.ID(), Category: IPAddress, Start: s, End: e, Value: value, Confidence: conf}
	switch scope {
	case ipPrivate:
		m.Confidence, m.Labels = min(conf, Medium), d.privLabels
	case ipLinkLocal:
		m.Confidence = Low
	case ipTest:
		m.Confidence, m.Labels = Low, d.testLabels
	case ipService:
		m.Confidence, m.Labels = Low, d.serviceLabels
	}
	emit(m)
}

// report applies the context signal sig (not Against) and the scope to a
// validated IPv6 address and emits it: Medium, raised or lowered by sig,
// Low when low is set, capped by the scope as in reportConf.
func (d *ipDetector) report(s, e int, value string, scope ipScope, sig Signal, low bool, emit func(Match)) {
	conf := Adjust(Medium, sig)
	if low {
		conf = Low
	}
	d.reportConf(s, e, value, scope, conf, emit)
}

// ipv6Bytes marks the bytes an IPv6 candidate is expanded over: hex
// digits, ':' and '.' (an IPv4 tail). A constant lookup table.
var ipv6Bytes = func() (t [256]bool) {
	for _, c := range []byte("0123456789abcdefABCDEF:.") {
		t[c] = true
	}
	return t
}()

func ipv6Byte(c byte) bool { return ipv6Bytes[c] }

// ipv6Token expands the candidate around the colon at c over hex digits,
// ':' and '.', and parses it. s and e bound the token (e > c unless the
// token was cut); zoneEnd is e or the end of a "%zone" suffix; next is
// where the search for the next colon resumes. ok is false
// when the token is not an IPv6 address; pairs is true for eight groups of
// exactly two hex digits (Fibre Channel WWN, MAC-like dumps).
func ipv6Token(b []byte, c int) (s, e, zoneEnd, next int, a netip.Addr, pairs, ok bool) {
	// Expand, counting colons and noting "::" on the way.
	s, e = c, c+1
	colons, dbl := 1, false
	for s > 0 && ipv6Byte(b[s-1]) && c-s < ipv6MaxToken {
		s--
		if b[s] == ':' {
			colons++
			dbl = dbl || b[s+1] == ':'
		}
	}
	for e < len(b) && ipv6Byte(b[e]) && e-c < ipv6MaxToken {
		if b[e] == ':' {
			colons++
			dbl = dbl || b[e-1] == ':'
		}
		e++
	}
	zoneEnd = e
	if c-s >= ipv6MaxToken || e-c >= ipv6MaxToken {
		// Too long for an address: skip the whole run.
		for e < len(b) && ipv6Byte(b[e]) {
			e++
		}
		return s, e, e, e, a, false, false
	}
	// Quick rejects on the shape before parsing: an address has "::" or
	// at least six colons (8 groups, or 6 groups and an IPv4 tail); times
	// (12:30:45) and "key:value" have neither.
	if e-s < 3 {
		return s, e, e, e, a, false, false
	}
	if !dbl && colons < 6 {
		return s, e, e, e, a, false, false
	}
	ts, te := s, e
	for te > ts && b[te-1] == '.' { // sentence end
		te--
	}
	if te-ts >= 2 && b[te-1] == ':' && b[te-2] != ':' {
		te-- // "2001:db8::1: connection refused"
	}
	if te-ts >= 2 && b[ts] == ':' && b[ts+1] != ':' {
		ts++ // "addr:2001:db8::1"
	}
	if ts > 0 {
		if p := b[ts-1]; p == '_' || p == '.' || IsAlnum(p) {
			return s, e, e, e, a, false, false
		}
	}
	zoneEnd = te
	if te < len(b) {
		switch n := b[te]; {
		case n == '%' && te == e:
			z := te + 1
			for z < len(b) && z-te <= 16 && (IsAlnum(b[z]) && b[z] < 0x80 || b[z] == '_' || b[z] == '-' || b[z] == '.') {
				z++
			}
			if z-te > 16 || z == te+1 {
				return s, e, e, e, a, false, false
			}
			zoneEnd = z
		case n == '_' || IsAlnum(n):
			return s, e, e, e, a, false, false
		case n == '/' && te+1 < len(b) && IsDigit(b[te+1]):
			return s, e, e, e, a, false, false // a network, 2001:db8::/32
		}
	}
	a, pairs, ok = parseIPv6(b[ts:te])
	if !ok {
		return s, e, e, e, a, false, false
	}
	return ts, te, max(zoneEnd, te), max(e, zoneEnd), a, pairs, true
}

// parseIPv6 parses an IPv6 address without allocating: 8 groups of 1–4
// hex digits, at most one "::", optionally an IPv4 tail. It also requires
// a decimal digit and at least two non-zero groups, so that code such as
// "a::b" or "dead::beef" is not an address.
func parseIPv6(t []byte) (netip.Addr, bool, bool) {
	var out [16]byte
	var groups [8]uint16
	var glen [8]int8
	n := 0
	ellipsis := -1
	hasDigit := false // set below, from the value
	v4 := false
	i := 0
	if len(t) >= 2 && t[0] == ':' && t[1] == ':' {
		ellipsis = 0
		i = 2
		if len(t) == 2 {
			return netip.Addr{}, false, false
		}
	} else if len(t) > 0 && t[0] == ':' {
		return netip.Addr{}, false, false
	}
	for i < len(t) {
		// One group: hex digits, or an IPv4 tail.
		j := i
		for j < len(t) && emailIsHex(t[j]) && j-i <= 4 {
			j++
		}
		if j < len(t) && t[j] == '.' {
			// IPv4 tail: needs room for two groups.
			if n > 6 {
				return netip.Addr{}, false, false
			}
			var o [4]byte
			k := i
			for q := 0; q < 4; q++ {
				st := k
				for k < len(t) && IsDigit(t[k]) {
					k++
				}
				v, ok := ipOctet(t[st:k])
				if !ok {
					return netip.Addr{}, false, false
				}
				o[q] = v
				if q < 3 {
					if k >= len(t) || t[k] != '.' {
						return netip.Addr{}, false, false
					}
					k++
				}
			}
			if k != len(t) {
				return netip.Addr{}, false, false
			}
			groups[n], groups[n+1] = uint16(o[0])<<8|uint16(o[1]), uint16(o[2])<<8|uint16(o[3])
			glen[n], glen[n+1] = 4, 4
			n += 2
			v4 = true
			i = k
			break
		}
		if j == i || j-i > 4 || n == 8 {
			return netip.Addr{}, false, false
		}
		var v uint16
		for _, c := range t[i:j] {
			v = v<<4 | uint16(emailUnhex(c))
		}
		groups[n], glen[n] = v, int8(j-i)
		n++
		i = j
		if i == len(t) {
			break
		}
		if t[i] != ':' {
			return netip.Addr{}, false, false
		}
		i++
		if i < len(t) && t[i] == ':' {
			if ellipsis >= 0 {
				return netip.Addr{}, false, false
			}
			ellipsis = n
			i++
		} else if i == len(t) {
			return netip.Addr{}, false, false // trailing single ':'
		}
	}
	if ellipsis < 0 && n != 8 || ellipsis >= 0 && n >= 8 {
		return netip.Addr{}, false, false
	}
	// Heuristics on the value (so that the canonical form of an accepted
	// address is accepted too): a decimal digit among the significant hex
	// digits, and at least two non-zero groups (::1 is never a finding).
	nonzero := 0
	for g := 0; g < n; g++ {
		v := groups[g]
		if v == 0 {
			continue
		}
		nonzero++
		for x := v; x != 0 && !hasDigit; x >>= 4 {
			hasDigit = x&0xF < 10
		}
	}
	if !hasDigit || nonzero < 2 {
		return netip.Addr{}, false, false
	}
	// Expand the ellipsis.
	k := 0
	for g := 0; g < n; g++ {
		if g == ellipsis {
			k += 8 - n
		}
		out[2*k], out[2*k+1] = byte(groups[g]>>8), byte(groups[g])
		k++
	}
	pairs := ellipsis < 0 && !v4
	for g := 0; pairs && g < 8; g++ {
		pairs = glen[g] == 2
	}
	return netip.AddrFrom16(out), pairs, true
}

// Positives are inputs that must produce an IP address match.
func (d *ipDetector) Positives() []Example {
	return []Example{
		{Text: `81.166.23.4 - - [31/Jan/2024:12:30:45 +0100] "GET / HTTP/1.1" 200 512`, Want: "81.166.23.4", Note: "nginx client address"},
		{Text: "client_ip=10.2.3.4 user=kari", Want: "10.2.3.4", Note: "RFC 1918: private_range, Medium"},
		{Text: "2026-03-01T16:09:54.167+01:00 INFO login from 2a01:79c:cebd:d400::5", Want: "2a01:79c:cebd:d400::5", Note: "an IPv6 client after a time stamp, whose colons are skipped"},
		{Text: "2024/01/31 12:30:45 [error] upstream 172.20.1.15:8080 timed out", Want: "172.20.1.15", Note: ":port stripped; a log record (time of day)"},
		{Text: "X-Forwarded-For: 100.72.1.9", Want: "100.72.1.9", Note: "CGNAT 100.64/10: private_range"},
		{Text: "ip-adresse: 192.168.0.101.", Want: "192.168.0.101", Note: "sentence-final dot"},
		{Text: "12:30:45 login from 2a01:79d:4c3e:1a00:d5b1:3c4f:8a6b:12f0", Want: "2a01:79d:4c3e:1a00:d5b1:3c4f:8a6b:12f0", Note: "full IPv6"},
		{Text: "Jan 31 12:30:45 web sshd[812]: Failed password for root from 81.166.23.4 port 22", Want: "81.166.23.4", Note: "syslog record"},
		{Text: "see the FAQ: 81.166.23.4 is blocked", Want: "81.166.23.4", Note: "an address mentioned outside a record: Low"},
		{Text: "peer 2A02:2121:2C3:9F00::1", Want: "2a02:2121:2c3:9f00::1", Note: "compressed IPv6, Value in canonical lower case"},
		{Text: "GET http://[2001:4860:4860::8888]:8443/health", Want: "2001:4860:4860::8888", Note: "bracketed with port"},
		{Text: "neighbor fe80::1ff:fe23:4567:890a%eth0 reachable", Want: "fe80::1ff:fe23:4567:890a%eth0", Note: "link-local with zone: Low"},
		{Text: "src=::ffff:81.166.23.4", Want: "::ffff:81.166.23.4", Note: "IPv4-mapped IPv6"},
		{Text: "remote_addr=\"203.0.113.7\"", Want: "203.0.113.7", Note: "RFC 5737 documentation range: test_data at Low"},
		{Text: "host 2001:db8:85a3::8a2e:370:7334", Want: "2001:db8:85a3::8a2e:370:7334", Note: "RFC 3849: test_data at Low"},
		{Text: "ULA fd12:3456:789a:1::42 assigned", Want: "fd12:3456:789a:1::42", Note: "ULA fc00::/7: private_range"},
		{Text: "range 10.0.0.1-10.0.0.254", Want: "10.0.0.254", Note: "second address of a range"},
		{Text: "GET /api/hosts/51.175.2.9/status", Want: "51.175.2.9", Note: "address in a lower-case URL path"},
		{Text: "addr:62.97.200.1 Bcast:62.97.200.255", Want: "62.97.200.1", Note: "ifconfig output"},
		{Text: "169.254.10.20 self-assigned", Want: "169.254.10.20", Note: "link-local IPv4: Low"},
		{Text: "new=3fff:12:34::5", Want: "3fff:12:34::5", Note: "RFC 9637 documentation prefix: test_data at Low"},
	}
}

// Negatives are inputs that must not produce an IP address match at Medium or above.
func (d *ipDetector) Negatives() []Example {
	return []Example{
		{Text: "snmpwalk 1.3.6.1.4.1.2021.10", Note: "OID: longer dotted run"},
		{Text: "values 1.2.3.4.5", Note: "five dotted numbers"},
		{Text: "version 1.2.3.4", Note: "version context"},
		{Text: "build 2.10.0.12 deployed", Note: "build context"},
		{Text: "openconfiguration.host 1.4.6 (1.4.6.100)", Note: "the build number of the version before it"},
		{Text: "pkg v1.2.3.4", Note: "v-prefixed version"},
		{Text: "Mozilla/5.0 (X11) Chrome/120.0.0.0 Safari/537.36", Note: "user-agent product version"},
		{Text: "listen 127.0.0.1:8080", Note: "loopback"},
		{Text: "bind 0.0.0.0 and ::", Note: "unspecified"},
		{Text: "mdns 224.0.0.251 and ff02::fb", Note: "multicast"},
		{Text: "netmask 255.255.255.0 broadcast 255.255.255.255", Note: "netmask and broadcast"},
		{Text: "mask=255.0.0.0", Note: "contiguous netmask"},
		{Text: "route 10.0.0.0/8 via gw", Note: "CIDR network"},
		{Text: "ether 00:1a:2b:3c:4d:5e txqueuelen 1000", Note: "MAC address (6 groups)"},
		{Text: "at 12:30:45 on 2024-01-31", Note: "time"},
		{Text: "std::string name; Foo::Bar::baz()", Note: "C++ scope operators"},
		{Text: "a::b and dead::beef", Note: "hex words around ::"},
		{Text: "Lateral upgrade to 4.5.103.33 from 4.5.103.30, contains minor fixes", Note: "versions in a changelog (nodejs): not a record, reported at Low"},
		{Text: "    upgrades from versions before 1.7.9.5 (the version in Ubuntu", Note: "version after 'versions' (Debian changelog)"},
		{Text: "2026-03-02 09:16:32 INFO loaded plugin 2.3.0.1", Note: "small octets in a log record: a version's shape, reported at Low"},
		{Text: "the remote IP address. For example, '74.125.127.100' or '2001:4860:a005::68'", Note: "documentation example: not a record, reported at Low"},
		{Text: "upgrade to 3.16.2.1-2", Note: "Debian revision after the quad"},
		{Text: "fingerprint 12:f8:7e:78:61:b4:bf:e2:de:24:15:96:4e:d4:72:53", Note: "SSH MD5 fingerprint: longer colon run"},
		{Text: "192.168.001.010", Note: "leading zeros (octal in inet_aton)"},
		{Text: "999.1.2.3 and 256.1.1.1", Note: "octet out of range"},
		{Text: "::1 loopback", Note: "IPv6 loopback"},
		{Text: "WWN 20:00:00:25:b5:00:00:0f", Note: "eight two-digit hex groups (Fibre Channel WWN): reported at Low"},
		{Text: "2001:db8::1:2:3:4:5:6:7", Note: "too many groups"},
	}
}
