package detectors

import (
	"bytes"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Email limits (RFC 5321 §4.5.3.1, RFC 1035).
const (
	emailMaxLocal  = 64
	emailMaxDomain = 253
	emailMaxLabel  = 63
	emailMaxTotal  = 254
)

// emailDetector finds e-mail addresses.
type emailDetector struct {
	boost      *WordSet
	msgID      *WordSet
	tlds       map[string]struct{}
	testLabels []string
	roleLabels []string
}

// NewEmail returns the e-mail address detector.
func NewEmail() Detector {
	tlds := make(map[string]struct{}, 1500)
	for _, t := range strings.Fields(emailTLDList) {
		tlds[t] = struct{}{}
	}
	return &emailDetector{
		boost: EmailWords(),
		// Header names whose values are Message-IDs, not mailboxes.
		msgID: NewWordSet("message-id", "message id", "messageid", "msgid", "msg-id", "msg id",
			"in-reply-to", "in reply to", "references", "content-id", "content id", "resent-message-id"),
		tlds:       tlds,
		testLabels: []string{LabelTestData},
		roleLabels: []string{LabelRoleAddress},
	}
}

func (d *emailDetector) ID() string         { return "email" }
func (d *emailDetector) Category() Category { return Email }

func (d *emailDetector) Description() string {
	return "E-mail addresses: practical RFC 5322 dot-atom subset (local part of letters incl. Unicode, digits and " +
		"._+-~ ≤ 64 bytes; domain of ≥ 2 LDH or Unicode labels with a real IANA top-level domain, xn-- punycode " +
		"or a Unicode TLD), also %40-encoded and after mailto:; not package@version, image@2x.png, URL " +
		"credentials, scp-style git remotes, Kerberos principals or Message-IDs. Medium; High with e-mail " +
		"context (e-post, mail, from, to, …) in the text or key; role mailboxes (noreply, postmaster, " +
		"kundeservice, …) Low; RFC 2606/6761 domains labelled test_data at Low."
}

func (d *emailDetector) ContextWords() []string { return sortedContextWords(d.boost) }

// Positives are inputs that must produce an e-mail match.
func (d *emailDetector) Positives() []Example {
	return []Example{
		{Text: "Kontakt: kari.nordmann@gmail.com", Want: "kari.nordmann@gmail.com", Note: "plain address"},
		{Text: "e-post: ola+nyhetsbrev@firma.no", Want: "ola+nyhetsbrev@firma.no", Note: "plus addressing, High with context"},
		{Text: `{"email":"Per.Hansen@Telenor.NO"}`, Want: "Per.Hansen@telenor.no", Note: "JSON value; domain lower-cased in Value"},
		{Text: "GET /api/user?email=kari.nordmann%40gmail.com&x=1 HTTP/1.1", Want: "kari.nordmann@gmail.com", Note: "%40 in an access log URL"},
		{Text: `<a href="mailto:anna.svensson@telia.se">`, Want: "anna.svensson@telia.se", Note: "mailto: link"},
		{Text: "mailto:kari%40firma.no", Want: "kari@firma.no", Note: "mailto with %40"},
		{Text: "Fra: åse.ødegård@blåbærskogen.no", Want: "åse.ødegård@blåbærskogen.no", Note: "Unicode local part and IDN domain"},
		{Text: "to=<ase@xn--blbrskogen-25an.no>", Want: "ase@xn--blbrskogen-25an.no", Note: "punycode IDN domain in a Postfix log"},
		{Text: "INSERT INTO users VALUES ('lars_olsen@online.no', 'Lars')", Want: "lars_olsen@online.no", Note: "SQL quotes are not part of the address"},
		{Text: "From: Kari Nordmann <kari@nav.no>", Want: "kari@nav.no", Note: "display name and angle brackets"},
		{Text: "send to patrick.o'brien@firma.ie now", Want: "patrick.o'brien@firma.ie", Note: "apostrophe inside a local part"},
		{Text: "user kari@uio.no.", Want: "kari@uio.no", Note: "sentence-final dot is not part of the domain"},
		{Text: "reply-to: e.berg@mail.kommune.no,", Want: "e.berg@mail.kommune.no", Note: "subdomains"},
		{Text: "ola@example.com", Want: "ola@example.com", Note: "RFC 2606 domain: labelled test_data at Low"},
		{Text: "login failed for jonas@firma.test", Want: "jonas@firma.test", Note: "RFC 6761 .test: test_data at Low"},
		{Text: "noreply@posten.no", Want: "noreply@posten.no", Note: "role mailbox: reported at Low"},
		{Text: "write to email-sig@python.org", Want: "email-sig@python.org", Note: "a special interest group's list: role_address at Low"},
		{Text: "e-mail;kundeservice@dnb.no", Want: "kundeservice@dnb.no", Note: "role mailbox stays Low even with context"},
		{Text: "https://firma.no/profile/kari.nordmann@gmail.com", Want: "kari.nordmann@gmail.com", Note: "address in a URL path is not userinfo"},
		{Text: "ANNA@SVENSSON.SE", Want: "ANNA@svensson.se", Note: "upper case"},
		{Text: `"members": ["user:person1@company.com"]`, Want: "person1@company.com", Note: "a numbered placeholder (person1@, test123@): test_data, reported at Low"},
		{Text: `e.g. "user:someuser@gmail.com"`, Want: "someuser@gmail.com", Note: "a placeholder mailbox: test_data, reported at Low"},
		{Text: "epost: person.berg@firma.no", Want: "person.berg@firma.no", Note: "a real address that starts with a placeholder word"},
		{Text: "# sender=e2scrub@host.domain.name", Want: "e2scrub@host.domain.name", Note: "a template's host (host.domain.name, your.server.org): test_data, reported at Low"},
		{Text: "e-post: kari@server.firma.no", Want: "kari@server.firma.no", Note: "a real host with a placeholder word in it"},
		{Text: "e-post: lacko@host.sk", Want: "lacko@host.sk", Note: "one placeholder word is a real provider's domain"},
		{Text: "+green@cygnus.com.", Want: "green@cygnus.com", Note: "a patch's added line: the '+' is the diff's"},
		{Text: `{"to":"Kari \u003ckari@firma.no\u003e","cc":"line\nola@firma.no"}`, Want: "kari@firma.no", Note: "a JSON string's escapes around it (<, >, a line break) are not part of it"},
		{Text: `{"from":"P\u00e5l.Hansen@firma.no"}`, Want: "Pål.Hansen@firma.no", Note: "a letter escaped in a JSON string (Python's ensure_ascii) is written as the letter"},
	}
}

// Negatives are inputs that must not produce an e-mail match at Medium or above.
func (d *emailDetector) Negatives() []Example {
	return []Example{
		{Text: `<img src="icon@2x.png">`, Note: "retina asset: png is not a TLD"},
		{Text: "background: url(hero@3x.webp)", Note: "retina asset"},
		{Text: "npm install lodash@4.17.21", Note: "package@version"},
		{Text: `"purl" : "pkg:maven/org.hibernate.search/hibernate-search-engine@7.1.2.Final?type=jar"`, Note: "package@version with a word TLD (Final) in a CycloneDX SBOM"},
		{Text: "go get golang.org/x/text@v0.34.0", Note: "Go module version"},
		{Text: "image: nginx@sha256:0d17b565c37bcbd895e9d92315a05c1c3c9a29f762b011a10c54a66cd53c9b31", Note: "image digest"},
		{Text: "https://user:hunter2@db.firma.no/app", Note: "URL credentials (userinfo)"},
		{Text: "ssh://git@github.com/org/repo.git", Note: "URL userinfo"},
		{Text: "Message-ID: <CAF3x9a8b7c6d5e4f3@mail.firma.no>", Note: "Message-ID header"},
		{Text: "In-Reply-To: <20240131.123456.ABCDEF@smtp.firma.no>", Note: "In-Reply-To header"},
		{Text: "    <142480216486.20800.16526388040877946887@nightshade.la.mastaler.com>", Note: "a Message-ID as make_msgid writes it, without its header"},
		{Text: "see <87poky5ca9.fsf@xmission.com>", Note: "a Gnus Message-ID"},
		{Text: "($gmane/20160419091055.GF2345@dinwoodie.org)", Note: "a mutt Message-ID (git release notes)"},
		{Text: "(merge 51A606A0.5060101@web.de later)", Note: "a Thunderbird Message-ID (git release notes)"},
		{Text: "ssh user@localhost", Note: "no TLD"},
		{Text: "root@server01:~# ls", Note: "shell prompt, single-label host"},
		{Text: "git clone git@github.com:org/repo.git", Note: "scp-style git remote"},
		{Text: "@media (max-width: 600px) { }", Note: "CSS at-rule"},
		{Text: "thanks @kari_nordmann for the fix", Note: "social handle"},
		{Text: "kinit HTTP/web01.firma.no@FIRMA.NO", Note: "Kerberos principal"},
		{Text: "printer@office.local", Note: ".local is mDNS, not a TLD"},
		{Text: "k***n@gmail.com", Note: "masked address"},
		{Text: "kari..nordmann@gmail.com", Note: "consecutive dots in the local part"},
		{Text: "kari@-firma.no", Note: "label starting with a hyphen"},
		{Text: "npx @babel/core@7.24.0", Note: "scoped package@version"},
		{Text: "// http://lkml.kernel.org/r/5ce86123a7b9dad925ac583d88d2f921040e859b.1538583282.git.puwen@hygon.cn", Note: "a git send-email Message-ID (commit hash, time, git, user) in a list archive's URL (Rust's sources)"},
		{Text: `email: "j.everyman@email.com",`, Note: "a placeholder person (John Everyman, Rust by Example): test_data, reported at Low"},
		{Text: "author: john@doe.org", Note: "John Doe's placeholder domain (go-git's examples): test_data, reported at Low"},
		{Text: "members: eng@foo.com", Note: "foo.com, bar.com: placeholder domains (Google Cloud's manual pages): test_data, reported at Low"},
		{Text: "(<code>git@github.com/user/repo.git</code>) should now work", Note: "git@: a git host's service user, not a person (Cargo's changelog): role_address, reported at Low"},
		{Text: "Contact [opencode@microsoft.com](mailto:opencode@microsoft.com) with questions", Note: "an open-source office's mailbox (codes of conduct): role_address, reported at Low"},
		{Text: "reported by contacting the project team at conduct@sourced.tech", Note: "a code of conduct's mailbox: role_address, reported at Low"},
		{Text: "author_email='buganizer-system+187143@google.com',", Note: "a bug tracker's system address: role_address, reported at Low"},
		{Text: "send email to [secure@microsoft.com](mailto:secure@microsoft.com)", Note: "a security response mailbox: role_address, reported at Low"},
		{Text: "Fallback to ports@openbsd.org, OpenBSD public mailing-list", Note: "a ports tree's list: role_address, reported at Low"},
		{Text: "grpc.io/author: example@bufbuild.com", Note: "example@, sample@, demo@: placeholder mailboxes (protoc-gen-validate's README): test_data, reported at Low"},
		{Text: `email      "locales@geez.org"`, Note: "a locale project's mailbox (glibc's locale files): role_address, reported at Low"},
	}
}

// sortedContextWords lists a word set in sorted order, for ContextWords.
func sortedContextWords(ws *WordSet) []string {
	w := ws.Words()
	slices.Sort(w)
	return w
}

// Find reports every e-mail address in in.Buf. Candidates are the '@' bytes
// and "%40" escapes (found with bytes.IndexByte); each is expanded left over
// local-part bytes and right over domain bytes and validated.
func (d *emailDetector) Find(in *Input, emit func(Match)) {
	b := in.Buf
	at := emailNextAt(b, 0)
	pct := emailNextPct40(b, 0)
	var facts emailDomainFacts
	for at >= 0 || pct >= 0 {
		p, sepLen := pct, 3
		if pct < 0 || (at >= 0 && at < pct) {
			p, sepLen = at, 1
		}
		next := p + sepLen
		if m, ok := d.candidate(in, p, sepLen, &facts); ok {
			emit(m)
			next = max(next, m.End)
		}
		if at >= 0 && at < next {
			at = emailNextAt(b, next)
		}
		if pct >= 0 && pct < next {
			pct = emailNextPct40(b, next)
		}
	}
}

func emailNextAt(b []byte, from int) int {
	if from >= len(b) {
		return -1
	}
	i := bytes.IndexByte(b[from:], '@')
	if i < 0 {
		return -1
	}
	return from + i
}

func emailNextPct40(b []byte, from int) int {
	for from < len(b) {
		i := bytes.IndexByte(b[from:], '%')
		if i < 0 {
			return -1
		}
		i += from
		if i+2 < len(b) && b[i+1] == '4' && b[i+2] == '0' {
			return i
		}
		from = i + 1
	}
	return -1
}

// emailLocalASCII reports whether c may appear in a local part. This is
// the practical subset of RFC 5322 atext: the other atext characters
// (= ? & / % { } | ` ' # * !) separate an address from what precedes it in
// URLs, SQL, JSON and shell text far more often than they occur in one.
func emailLocalASCII(c byte) bool {
	return IsAlnum(c) && c < utf8.RuneSelf || c == '.' || c == '_' || c == '+' || c == '-' || c == '~'
}

// emailWordRune reports whether r is a letter, digit or combining mark: the
// non-ASCII characters allowed in local parts (RFC 6531) and IDN labels.
func emailWordRune(r rune) bool {
	return r != utf8.RuneError && (unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.IsMark(r))
}

// candidate validates the address around the separator at p ('@' or "%40").
func (d *emailDetector) candidate(in *Input, p, sepLen int, facts *emailDomainFacts) (Match, bool) {
	b := in.Buf
	// Local part: expand left.
	ls := p
	roff := false    // the local part holds roff's escaped hyphen \- (manual pages)
	escaped := false // it holds a JSON string's escaped letter (P\u00e5l, as Python writes it)
	for ls > 0 {
		c := b[ls-1]
		if c < utf8.RuneSelf {
			if emailLocalASCII(c) {
				ls--
			} else if c == '\'' && ls >= 2 && IsAlnum(b[ls-2]) && b[ls-2] < utf8.RuneSelf && ls < p && IsAlnum(b[ls]) {
				ls-- // o'brien
			} else if c == '\\' && ls < p && b[ls] == '-' && ls >= 2 && IsAlnum(b[ls-2]) && b[ls-2] < utf8.RuneSelf {
				ls-- // bug\-gzip@gnu.org: bug-gzip
				roff = true
			} else if c == '\\' && jsonLetterAt(b, ls-1, p) {
				ls-- // P\u00e5l: Pål
				escaped = true
			} else {
				break
			}
		} else {
			r, n := utf8.DecodeLastRune(b[:ls])
			if !emailWordRune(r) {
				break
			}
			ls -= n
		}
		if p-ls > emailMaxLocal+1 {
			return Match{}, false
		}
	}
	stop := in.ByteAt(ls - 1)
	if stop == '\\' && roffFont(b, ls, p) {
		ls += 2 // roff's font escape: \fIkari@…
		stop = 0
	}
	if stop == '*' {
		return Match{}, false // masked: k***@…
	}
	if stop == '\\' {
		// A JSON string's escape before the address, not part of it:
		// "\u003ckari@…\u003e" as Go writes <kari@…>, "line\nkari@…".
		if _, ok := jsonEscapeAt(b, ls-1, p); ok {
			ls += 5
		} else if ls < p && (b[ls] == 'n' || b[ls] == 't' || b[ls] == 'r' || b[ls] == 'b' || b[ls] == 'f' && !roffFont(b, ls, p)) {
			ls++
		}
	}
	if stop == '%' {
		// The tail of a %XX escape: "%22kari@…" starts after the escape
		// when the escaped byte cannot be part of a local part.
		if p-ls < 2 || !emailIsHex(b[ls]) || !emailIsHex(b[ls+1]) {
			return Match{}, false
		}
		if emailLocalASCII(emailUnhex(b[ls])<<4 | emailUnhex(b[ls+1])) {
			return Match{}, false
		}
		ls += 2
		stop = 0
	}
	// A local part starts with a letter or digit in practice: a dot, a
	// diff's '+' or '-' (a patch's added line "+green@cygnus.com") or a
	// list's dash before it are not part of it.
	for ls < p && (b[ls] == '.' || b[ls] == '+' || b[ls] == '-') {
		ls++
	}
	if ls == p || p-ls > emailMaxLocal || b[p-1] == '.' || bytes.Contains(b[ls:p], []byte("..")) {
		return Match{}, false
	}

	// Domain: labels to the right.
	ds := p + sepLen
	de, tldStart, labels, upper, lower, ok := emailDomain(b, ds)
	if !ok || labels < 2 || de-ls-sepLen+1 > emailMaxTotal {
		return Match{}, false
	}
	switch c := in.ByteAt(de); {
	case c == '_' || c == '@':
		return Match{}, false
	case c == ':':
		// git@github.com:org/repo.git, host:port, @sha256:…
		if n := in.ByteAt(de + 1); IsAlnum(n) || n == '/' || n == '~' {
			return Match{}, false
		}
	}
	if allIn(b[ds:tldStart], &digitDotBytes) {
		return Match{}, false // a version: pkg:maven/…/hibernate-search-engine@7.1.2.Final
	}
	f := d.domainFacts(facts, b[ds:de], b[tldStart:de])
	if !f.validTLD {
		return Match{}, false
	}
	// Kerberos principal: HTTP/host.firma.no@FIRMA.NO.
	if stop == '/' && upper && !lower {
		return Match{}, false
	}
	if emailURLUserinfo(b, ls) {
		return Match{}, false
	}
	if stop == '<' && in.Context(ls, d.msgID, nil) == Boost {
		return Match{}, false // Message-ID, In-Reply-To, References
	}

	local, dom := b[ls:p], b[ds:de]
	if roff {
		local = bytes.ReplaceAll(local, []byte(`\-`), []byte("-"))
	}
	if escaped {
		local = jsonUnescapeLetters(local)
	}
	if f.protocol || emailAlgorithmName(local) || emailMessageIDLike(local) || emailAfterMessageIDPath(b, ls) {
		return Match{}, false // ssh extension names, Message-IDs in list archive URLs
	}

	conf := Medium
	var labelsOut []string
	if f.testTLD || f.test || f.placeholder || emailPlaceholderMailbox(local) || emailPlaceholderPerson(local, dom) ||
		in.ExampleBefore(ls) {
		conf, labelsOut = Low, d.testLabels
	} else if emailRoleMailbox(local) || f.list || emailProjectMailbox(local, dom) {
		conf, labelsOut = Low, d.roleLabels
	} else if in.Context(ls, d.boost, nil) == Boost {
		conf = High
	}
	// The value: the local part, '@' and the domain in lower case, spelled
	// on the stack.
	var buf [128]byte
	v := append(append(buf[:0], local...), '@')
	for _, c := range b[ds:de] {
		if c >= 'A' && c <= 'Z' {
			c += 'a' - 'A'
		}
		v = append(v, c)
	}
	return Match{
		Detector:   d.ID(),
		Category:   Email,
		Start:      ls,
		End:        de,
		Value:      in.valueString(v),
		Confidence: conf,
		Labels:     labelsOut,
	}, true
}

// roffFont reports roff's font escape at b[i-1:] before the address's
// '@' at p: \fIkari@…, \fB, \fR, \fP.
func roffFont(b []byte, i, p int) bool {
	return p-i > 2 && b[i] == 'f' && (b[i+1] == 'I' || b[i+1] == 'B' || b[i+1] == 'R' || b[i+1] == 'P')
}

// jsonEscapeAt reports a JSON string's \uXXXX escape at b[i:], ending
// before p, and the code point it writes (not a surrogate).
func jsonEscapeAt(b []byte, i, p int) (rune, bool) {
	if i < 0 || i+6 > p || b[i] != '\\' || b[i+1] != 'u' {
		return 0, false
	}
	var r rune
	for _, c := range b[i+2 : i+6] {
		if !emailIsHex(c) {
			return 0, false
		}
		r = r<<4 | rune(emailUnhex(c))
	}
	if r >= 0xd800 && r < 0xe000 {
		return 0, false
	}
	return r, true
}

// jsonLetterAt reports a JSON string's \uXXXX escape of a letter (or a
// digit or mark) at b[i:], ending before p.
func jsonLetterAt(b []byte, i, p int) bool {
	r, ok := jsonEscapeAt(b, i, p)
	return ok && emailWordRune(r)
}

// jsonUnescapeLetters returns local with its \uXXXX escapes written as
// UTF-8, in a new slice.
func jsonUnescapeLetters(local []byte) []byte {
	out := make([]byte, 0, len(local))
	for i := 0; i < len(local); i++ {
		if r, ok := jsonEscapeAt(local, i, len(local)); ok {
			out = utf8.AppendRune(out, r)
			i += 5
			continue
		}
		out = append(out, local[i])
	}
	return out
}

// emailDomainFacts is what candidate reads from a domain alone (and its
// last label, the TLD), kept by Find for the next address of the same
// domain: a log's addresses are of a few domains, each told again and
// again. The tests beyond the TLD's are made only for a valid one.
type emailDomainFacts struct {
	dom                               []byte // a slice of the chunk; nil before the first
	testTLD, validTLD                 bool   // validTLD: a test TLD or one validTLD knows
	protocol, test, placeholder, list bool   // emailProtocolName, emailTestDomain, emailPlaceholderDom, emailListDomain
}

// domainFacts returns the facts of dom, whose last label is tld: f's when
// they are dom's, else learned into f.
func (d *emailDetector) domainFacts(f *emailDomainFacts, dom, tld []byte) *emailDomainFacts {
	if f.dom != nil && bytes.Equal(f.dom, dom) {
		return f
	}
	*f = emailDomainFacts{dom: dom, testTLD: emailTestTLD(tld)}
	f.validTLD = f.testTLD || d.validTLD(tld)
	if f.validTLD {
		f.protocol, f.test = emailProtocolName(dom), emailTestDomain(dom)
		f.placeholder, f.list = emailPlaceholderDom(dom), emailListDomain(dom)
	}
	return f
}

// emailDomain reads dot-separated labels from ds. It returns the end of
// the domain, the start of its last label, the number of labels and
// whether ASCII upper or lower case letters occur. A trailing dot (end of
// a sentence) is not part of the domain.
func emailDomain(b []byte, ds int) (de, tldStart, labels int, upper, lower, ok bool) {
	i := ds
	for {
		ls := i
		for i < len(b) && i-ds <= emailMaxDomain {
			c := b[i]
			if c < utf8.RuneSelf {
				if !IsAlnum(c) && c != '-' {
					break
				}
				upper = upper || c >= 'A' && c <= 'Z'
				lower = lower || c >= 'a' && c <= 'z'
				i++
				continue
			}
			r, n := utf8.DecodeRune(b[i:])
			if !emailWordRune(r) {
				break
			}
			i += n
		}
		if i-ds > emailMaxDomain {
			return 0, 0, 0, false, false, false
		}
		if i == ls {
			if labels == 0 {
				return 0, 0, 0, false, false, false
			}
			// "a@b.no." or "a@b.no.-": the dot ends the sentence.
			return ls - 1, tldStart, labels, upper, lower, true
		}
		if i-ls > emailMaxLabel || b[ls] == '-' || b[i-1] == '-' {
			return 0, 0, 0, false, false, false
		}
		labels++
		tldStart = ls
		if i+1 < len(b) && b[i] == '.' {
			i++
			continue
		}
		return i, tldStart, labels, upper, lower, true
	}
}

// validTLD reports whether t is a delegated top-level domain (ASCII or
// xn--), or a Unicode TLD made of letters.
func (d *emailDetector) validTLD(t []byte) bool {
	if len(t) < 2 || len(t) > emailMaxLabel {
		return false
	}
	if t[0] >= utf8.RuneSelf {
		n := 0
		for _, r := range string(t) {
			if !unicode.IsLetter(r) && !unicode.IsMark(r) {
				return false
			}
			n++
		}
		return n >= 2
	}
	var buf [emailMaxLabel]byte
	for i, c := range t {
		if c >= 'A' && c <= 'Z' {
			c += 'a' - 'A'
		}
		buf[i] = c
	}
	_, ok := d.tlds[string(buf[:len(t)])]
	return ok
}

// emailTestTLD reports the RFC 2606/6761 reserved TLDs.
func emailTestTLD(t []byte) bool {
	return emailEqualFold(t, "test") || emailEqualFold(t, "example") || emailEqualFold(t, "invalid") ||
		emailEqualFold(t, "localhost")
}

// emailTestDomain reports example.com/.net/.org and their subdomains.
func emailTestDomain(dom []byte) bool {
	for _, s := range [...]string{"example.com", "example.net", "example.org"} {
		if len(dom) == len(s) && emailEqualFold(dom, s) {
			return true
		}
		if len(dom) > len(s) && dom[len(dom)-len(s)-1] == '.' && emailEqualFold(dom[len(dom)-len(s):], s) {
			return true
		}
	}
	return false
}

// emailRoleMailbox reports mailboxes of a function rather than a person.
func emailRoleMailbox(local []byte) bool {
	if i := bytes.IndexByte(local, '+'); i > 0 {
		local = local[:i]
	}
	if len(local) > 40 {
		return false
	}
	var buf [40]byte
	n := 0
	for _, c := range local {
		if c >= 'A' && c <= 'Z' {
			c += 'a' - 'A'
		}
		if c == '.' || c == '_' {
			c = '-'
		}
		buf[n] = c
		n++
	}
	// Lists and project mailboxes: bug-bash, krb5-bugs, help-make,
	// tmux-users, samba-announce, rpm-maint, dbus-security, lsof-l-request.
	if bytes.IndexByte(buf[:n], '-') > 0 {
		for rest := buf[:n]; len(rest) > 0; {
			tok := rest
			if i := bytes.IndexByte(rest, '-'); i >= 0 {
				tok, rest = rest[:i], rest[i+1:]
			} else {
				rest = nil
			}
			if emailRoleToken(tok) {
				return true
			}
		}
	}
	switch string(buf[:n]) {
	case "noreply", "no-reply", "donotreply", "do-not-reply", "dontreply", "postmaster", "hostmaster",
		"webmaster", "abuse", "mailer-daemon", "bounce", "bounces", "admin", "administrator", "root",
		"info", "support", "kundeservice", "kundesenter", "kundtjanst", "kontakt", "contact", "post",
		"postmottak", "firmapost", "sales", "salg", "faktura", "invoice", "billing", "ekspedisjon",
		"notifications", "notification", "security", "privacy", "personvern", "dpo", "help", "hjelp",
		"service", "booking", "orders", "order", "ordre", "office", "kontor", "resepsjon", "marketing",
		"newsletter", "nyhetsbrev", "presse", "press", "registrar", "hei", "hello", "mail", "epost",
		"e-post", "regnskap", "lonn", "okonomi", "it", "it-support", "helpdesk", "servicedesk", "drift",
		"coordinator", "maintainer", "maintainers", "announce", "majordomo", "listserv", "dev", "devel", "users",
		"discuss", "commits", "issues", "feedback", "stable", "git", "ports", "locales", "translations",
		"packages", "opensource", "open-source", "opencode", "oss", "secure", "workers", "conduct":
		return true
	}
	return false
}

// emailRoleToken reports the parts of a hyphenated local part (lower
// case) that make it a mailing list or a project's mailbox rather than a
// person's.
func emailRoleToken(tok []byte) bool {
	switch string(tok) {
	case "bug", "bugs", "help", "devel", "users", "announce", "discuss",
		"request", "subscribe", "unsubscribe", "owner", "maint", "maintainer",
		"maintainers", "security", "patches", "commits", "list", "team",
		"general", "questions", "info", "admin", "support", "noreply",
		"bounces", "digest", "technical", "interest", "announcements", "dev",
		"packagers", "releases", "release", "l", "sig", "feedback", "workers", "ports", "system", "testers", "thanks", "porters":
		return true
	}
	return false
}

// emailListDomain reports domains that host mailing lists and package or
// bug-tracker mailboxes (lists.debian.org, googlegroups.com,
// packages.debian.org): their addresses are not a person's.
func emailListDomain(dom []byte) bool {
	first := dom
	if i := bytes.IndexByte(dom, '.'); i > 0 {
		first = dom[:i]
	}
	switch {
	case emailEqualFold(first, "lists"), emailEqualFold(first, "list"), emailEqualFold(first, "bugs"),
		emailEqualFold(first, "mailman"), emailEqualFold(first, "bugzilla"), emailEqualFold(first, "ml"):
		return true
	}
	for _, d := range []string{"gserviceaccount.com", "googlegroups.com", "groups.io", "vger.kernel.org", "packages.debian.org",
		"lists.sourceforge.net", "freelists.org", "sourceware.org"} {
		if len(dom) >= len(d) && emailEqualFold(dom[len(dom)-len(d):], d) &&
			(len(dom) == len(d) || dom[len(dom)-len(d)-1] == '.') {
			return true
		}
	}
	return false
}

// emailProtocolName reports domains whose "addresses" are SSH extension
// and algorithm names (RFC 4251 §4.2: name@domain), not mailboxes:
// aes128-gcm@openssh.com, curve25519-sha256@libssh.org.
func emailProtocolName(dom []byte) bool {
	for _, d := range []string{"openssh.com", "libssh.org", "putty.projects.tartarus.org"} {
		if emailEqualFold(dom, d) {
			return true
		}
	}
	return false
}

// emailAlgoTokens are the parts of SSH and TLS algorithm and extension
// names (ssh-mldsa-44-cert-v01@golang.org, kex-strict-c-v00@…).
var emailAlgoTokens = map[string]bool{
	"ssh": true, "sha1": true, "sha2": true, "sha256": true, "sha512": true, "cert": true, "v00": true, "v01": true,
	"etm": true, "hmac": true, "gcm": true, "ctr": true, "cbc": true, "aes128": true, "aes256": true, "chacha20": true,
	"poly1305": true, "curve25519": true, "ed25519": true, "ecdsa": true, "rsa": true, "dss": true, "nistp256": true,
	"nistp384": true, "nistp521": true, "mldsa": true, "mlkem768x25519": true, "sntrup761x25519": true, "kex": true,
	"strict": true, "umac": true, "zlib": true, "sk": true,
}

// emailAlgorithmName reports local parts made of algorithm words: at least
// two of emailAlgoTokens between hyphens.
func emailAlgorithmName(local []byte) bool {
	if bytes.IndexByte(local, '-') < 0 {
		return false
	}
	n := 0
	for rest := local; len(rest) > 0; {
		tok := rest
		if i := bytes.IndexByte(rest, '-'); i >= 0 {
			tok, rest = rest[:i], rest[i+1:]
		} else {
			rest = nil
		}
		if len(tok) <= 16 {
			var buf [16]byte
			t := buf[:len(tok)]
			for i, c := range tok {
				if c >= 'A' && c <= 'Z' {
					c += 'a' - 'A'
				}
				t[i] = c
			}
			if emailAlgoTokens[string(t)] {
				n++
			}
		}
	}
	return n >= 2
}

// emailMessageIDLike reports local parts that are Message-ID tokens rather
// than mailboxes: the forms mail programs write (Gnus 87poky5ca9.fsf,
// mutt 20160419091055.GF2345, Thunderbird 51A606A0.5060101, Python's
// make_msgid time.pid.random), and long tokens without dots full of
// digits or of mixed-case base64 (CAMovtNoHFod2jMAKQjjxv209P…@mail.gmail.com,
// a UUID@ya.ru).
func emailMessageIDLike(local []byte) bool {
	if n := len(local); n >= 8 && n <= 24 && bytes.HasSuffix(local, []byte(".fsf")) && IsDigit(local[0]) {
		return true // Gnus: 87poky5ca9.fsf@host
	}
	if dot := bytes.IndexByte(local, '.'); dot >= 16 && allIn(local[:dot], &hexBytes) {
		return true // git send-email: <commit hash>.<time>.git.user@host, a hash first
	}
	if dot := bytes.IndexByte(local, '.'); dot >= 12 && allIn(local[:dot], &digitBytes) {
		return true // mutt: 20160419091055.GF2345@host (a time stamp, a dot, a counter)
	}
	if len(local) >= 12 && bytes.IndexByte(local, '.') > 0 && allIn(local, &hexDotBytes) {
		digits := 0
		for _, c := range local {
			if IsDigit(c) {
				digits++
			}
		}
		if digits >= 6 {
			return true // Thunderbird: 51A606A0.5060101@host
		}
	}
	if len(local) < 24 {
		return false
	}
	if bytes.IndexByte(local, '.') >= 0 {
		// time.pid.random, as Python's email.utils.make_msgid writes it:
		// digits and dots only.
		return allIn(local, &digitDotBytes)
	}
	var digits, upper, lower, dashes int
	for _, c := range local {
		switch {
		case IsDigit(c):
			digits++
		case c >= 'A' && c <= 'Z':
			upper++
		case c >= 'a' && c <= 'z':
			lower++
		case c == '-':
			dashes++
		}
	}
	return digits >= 8 || upper >= 6 && lower >= 6 || dashes >= 4 && digits >= 4
}

// emailAfterMessageIDPath reports an address that is the Message-ID in a
// mailing-list archive URL: …/message-id/<id>%40host, …?msgid=<id>@host.
func emailAfterMessageIDPath(b []byte, ls int) bool {
	lo := max(0, ls-12)
	w := b[lo:ls]
	for _, m := range []string{"message-id/", "msgid=", "message-id="} {
		if len(w) >= len(m) && emailEqualFold(w[len(w)-len(m):], m) {
			return true
		}
	}
	return false
}

// emailPlaceholderDom and emailPlaceholderMailbox report example
// addresses beyond the RFC 2606 domains: a domain whose name is "example"
// under any suffix (foo@example.biz), a metasyntactic name (eng@foo.com,
// bar.org), or a template's placeholder domain or host; and placeholder
// mailboxes (you@, your.name@, someone@, foo@, john.doe@, j.everyman@).
func emailPlaceholderDom(dom []byte) bool {
	if i := bytes.IndexByte(dom, '.'); i > 0 {
		if emailWordIs(emailExampleLabel, dom[:i]) {
			return true
		}
		if bytes.IndexByte(dom[i+1:], '.') < 0 {
			switch name := dom[:i]; {
			case emailEqualFold(name, "foo"), emailEqualFold(name, "bar"), emailEqualFold(name, "baz"),
				emailEqualFold(name, "foobar"), emailEqualFold(name, "qux"):
				return true
			}
		}
	}
	return emailWordIs(emailPlaceholderDomain, dom) || emailPlaceholderHost(dom)
}

// emailPlaceholderPerson reports John or Jane Doe's and Everyman's
// addresses in their forms (j.doe@, jane.everyman@, john@doe.org): the
// placeholder people of documentation and examples.
func emailPlaceholderPerson(local, dom []byte) bool {
	first, last := local, []byte(nil)
	if i := bytes.IndexByte(local, '.'); i > 0 {
		first, last = local[:i], local[i+1:]
	}
	if !emailEqualFold(first, "j") && !emailEqualFold(first, "john") && !emailEqualFold(first, "jane") {
		return false
	}
	if last == nil { // john@doe.org: the surname is the domain's name
		if i := bytes.IndexByte(dom, '.'); i > 0 {
			last = dom[:i]
		}
	}
	return emailEqualFold(last, "doe") || emailEqualFold(last, "everyman")
}

// emailPlaceholderMailbox: see emailPlaceholderDom.
func emailPlaceholderMailbox(local []byte) bool {
	bare := local // without a number at its end: person1@, test123@
	for len(bare) > 0 && IsDigit(bare[len(bare)-1]) {
		bare = bare[:len(bare)-1]
	}
	// Also numbered: person1@, person2@, foo2@, test123@.
	if emailWordIs(emailPlaceholderLocal, local) || emailWordIs(emailPlaceholderLocal, bare) {
		return true
	}
	if len(local) > 5 && emailEqualFold(local[:4], "your") && (local[4] == '-' || local[4] == '.' || local[4] == '_') {
		return true // your-email-account@gmail.com, your_name@…
	}
	if len(local) > 4 && emailEqualFold(local[:4], "user") && allIn(local[4:], &digitBytes) {
		return true // user1@, user42@
	}
	return emailTemplateName(local)
}

// The lists of placeholder words emailWordIs knows.
const (
	// emailExampleLabel: a domain's first label that is "example" in some
	// language (translated documentation: me@exemple.com,
	// mig@eksempel.com), under any suffix.
	emailExampleLabel = iota
	// emailPlaceholderDomain: the placeholder domains of templates.
	emailPlaceholderDomain
	// emailPlaceholderLocal: the placeholder mailboxes (you@, your.name@,
	// someone@, foo@, test@).
	emailPlaceholderLocal
	// emailHostLabel: the placeholder labels of a host name
	// (emailPlaceholderHost).
	emailHostLabel
)

// emailListLens holds, for each list of emailWordIs, the lengths of its
// words (bit n for n bytes): a word of another length is no word of the
// list, without being folded. TestEmailWordIsAgreesWithLists tries every
// word of every list. A constant lookup table.
var emailListLens = [...]uint32{
	emailExampleLabel:      1<<6 | 1<<7 | 1<<8 | 1<<9,
	emailPlaceholderDomain: 1<<10 | 1<<12 | 1<<14 | 1<<15,
	emailPlaceholderLocal:  1<<3 | 1<<4 | 1<<6 | 1<<7 | 1<<8 | 1<<9 | 1<<10 | 1<<11 | 1<<12 | 1<<17 | 1<<18,
	emailHostLabel:         1<<2 | 1<<4 | 1<<6 | 1<<8 | 1<<10,
}

// emailWordIs reports whether b, its ASCII letters folded to lower case as
// emailEqualFold folds them, is a word of the list. A switch finds it by
// its length and bytes, where a loop compared each word.
func emailWordIs(list int, b []byte) bool {
	var buf [24]byte // longer than any word of the lists
	if len(b) > len(buf) || emailListLens[list]>>len(b)&1 == 0 {
		return false
	}
	for i, c := range b {
		if c >= 'A' && c <= 'Z' {
			c += 'a' - 'A'
		}
		buf[i] = c
	}
	w := buf[:len(b)]
	switch list {
	case emailExampleLabel:
		switch string(w) {
		case "example", "exemple", "eksempel", "exempel", "beispiel", "ejemplo", "esempio",
			"voorbeeld", "esimerkki", "exemplo", "przyklad", "priklad", "primer":
			return true
		}
	case emailPlaceholderDomain:
		switch string(w) {
		case "domain.com", "yourdomain.com", "mydomain.com", "somedomain.com", "yourcompany.com":
			return true
		}
	case emailPlaceholderLocal:
		switch string(w) {
		case "foo", "bar", "baz", "you", "your.name", "yourname", "your-name", "someone", "somebody",
			"firstname.lastname", "first.last", "name.surname", "fornavn.etternavn", "john.doe", "jane.doe", "johndoe", "janedoe",
			"person", "user", "username", "user.name", "youremail", "your.email", "myname", "my.name", "myaccount",
			"myemail", "my-email", "abc", "xyz", "test", "testuser", "test-user", "test.user", "test_user",
			"someuser", "some.user", "some-user", "anotheruser", "otheruser", "example", "sample", "demo":
			return true
		}
	case emailHostLabel:
		switch string(w) {
		case "host", "hostname", "domain", "domainname", "yourdomain", "mydomain", "somedomain",
			"yourhost", "myhost", "somehost", "server", "yourserver", "myserver", "your", "my", "some":
			return true
		}
	}
	return false
}

// emailPlaceholderHost reports a domain whose labels before the last are
// two or more placeholder words, as configuration templates write a host:
// e2scrub@host.domain.name, admin@your.server.org. One is not enough:
// host.sk is a real provider's.
func emailPlaceholderHost(dom []byte) bool {
	last := bytes.LastIndexByte(dom, '.')
	if last <= 0 || bytes.IndexByte(dom[:last], '.') < 0 {
		return false
	}
	for rest := dom[:last]; len(rest) > 0; {
		label := rest
		if i := bytes.IndexByte(rest, '.'); i >= 0 {
			label, rest = rest[:i], rest[i+1:]
		} else {
			rest = nil
		}
		if !emailWordIs(emailHostLabel, label) {
			return false
		}
	}
	return true
}

// emailTemplateName reports a local part written as a template's variable:
// upper-case words joined by underscores (SERVICE_ACCOUNT@, USER_EMAIL@).
func emailTemplateName(local []byte) bool {
	under := false
	for _, c := range local {
		switch {
		case c == '_':
			under = true
		case c >= 'A' && c <= 'Z', IsDigit(c):
		default:
			return false
		}
	}
	return under && local[0] != '_'
}

// emailProjectMailbox reports a project's own address: the local part is
// the domain's name (valgrind@valgrind.org), or a build or CI machine's
// (buildd_amd64-x86-ubc-01@buildd.debian.org).
func emailProjectMailbox(local, dom []byte) bool {
	// The second-level label: the one before the last dot.
	if last := bytes.LastIndexByte(dom, '.'); last > 0 {
		sld := dom[:last]
		if i := bytes.LastIndexByte(sld, '.'); i >= 0 {
			sld = sld[i+1:]
		}
		if emailEqualFoldBytes(sld, local) {
			return true
		}
	}
	first := dom
	if i := bytes.IndexByte(dom, '.'); i >= 0 {
		first = dom[:i]
	}
	return emailEqualFold(first, "buildd") || len(local) >= 6 && emailEqualFold(local[:6], "buildd")
}

// emailURLUserinfo reports whether the local part starting at ls is the
// userinfo of a URL (scheme://user:pass@host, ssh://git@host).
func emailURLUserinfo(b []byte, ls int) bool {
	for j := ls - 1; j >= 0 && ls-j < 300; j-- {
		switch c := b[j]; c {
		case '/':
			return j >= 2 && b[j-1] == '/' && b[j-2] == ':'
		case ' ', '\t', '\n', '\r', '"', '\'', '<', '>', '(', ')', '[', ']', '{', '}', ',', ';', '|', '\\', '=', '?', '&':
			return false
		}
	}
	return false
}

// emailEqualFoldBytes compares a and b, ASCII case-insensitively.
func emailEqualFoldBytes(a, b []byte) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		x, y := a[i], b[i]
		if x >= 'A' && x <= 'Z' {
			x += 'a' - 'A'
		}
		if y >= 'A' && y <= 'Z' {
			y += 'a' - 'A'
		}
		if x != y {
			return false
		}
	}
	return true
}

func emailEqualFold(b []byte, s string) bool {
	if len(b) != len(s) {
		return false
	}
	for i := range b {
		c := b[i]
		if c >= 'A' && c <= 'Z' {
			c += 'a' - 'A'
		}
		if c != s[i] {
			return false
		}
	}
	return true
}

func emailIsHex(c byte) bool {
	return c-'0' <= 9 || (c|0x20)-'a' <= 5
}

func emailUnhex(c byte) byte {
	if c <= '9' {
		return c - '0'
	}
	return (c | 0x20) - 'a' + 10
}

// emailTLDList holds the delegated top-level domains of the IANA root zone
// (1450, as in the Public Suffix List of 2026-02-06 shipped with
// golang.org/x/net/publicsuffix v0.60.0), lower case, punycode for IDN TLDs.
const emailTLDList = `
aaa aarp abb abbott abbvie abc able abogado abudhabi ac academy accenture accountant accountants aco
actor ad ads adult ae aeg aero aetna af afl africa ag agakhan agency ai aig airbus airforce airtel
akdn al alibaba alipay allfinanz allstate ally alsace alstom am amazon americanexpress
americanfamily amex amfam amica amsterdam analytics android anquan anz ao aol apartments app apple
aq aquarelle ar arab aramco archi army arpa art arte as asda asia associates at athleta attorney au
auction audi audible audio auspost author auto autos aw aws ax axa az azure ba baby baidu banamex
band bank bar barcelona barclaycard barclays barefoot bargains baseball basketball bauhaus bayern bb
bbc bbt bbva bcg bcn bd be beats beauty beer berlin best bestbuy bet bf bg bh bharti bi bible bid
bike bing bingo bio biz bj black blackfriday blockbuster blog bloomberg blue bm bms bmw bn
bnpparibas bo boats boehringer bofa bom bond boo book booking bosch bostik boston bot boutique box
br bradesco bridgestone broadway broker brother brussels bs bt build builders business buy buzz bv
bw by bz bzh ca cab cafe cal call calvinklein cam camera camp canon capetown capital capitalone car
caravan cards care career careers cars casa case cash casino cat catering catholic cba cbn cbre cc
cd center ceo cern cf cfa cfd cg ch chanel channel charity chase chat cheap chintai christmas chrome
church ci cipriani circle cisco citadel citi citic city ck cl claims cleaning click clinic clinique
clothing cloud club clubmed cm cn co coach codes coffee college cologne com commbank community
company compare computer comsec condos construction consulting contact contractors cooking cool coop
corsica country coupon coupons courses cpa cr credit creditcard creditunion cricket crown crs cruise
cruises cu cuisinella cv cw cx cy cymru cyou cz dad dance data date dating datsun day dclk dds de
deal dealer deals degree delivery dell deloitte delta democrat dental dentist desi design dev dhl
diamonds diet digital direct directory discount discover dish diy dj dk dm dnp do docs doctor dog
domains dot download drive dtv dubai dupont durban dvag dvr dz earth eat ec eco edeka edu education
ee eg email emerck energy engineer engineering enterprises epson equipment er ericsson erni es esq
estate et eu eurovision eus events exchange expert exposed express extraspace fage fail fairwinds
faith family fan fans farm farmers fashion fast fedex feedback ferrari ferrero fi fidelity fido film
final finance financial fire firestone firmdale fish fishing fit fitness fj fk flickr flights flir
florist flowers fly fm fo foo food football ford forex forsale forum foundation fox fr free
fresenius frl frogans frontier ftr fujitsu fun fund furniture futbol fyi ga gal gallery gallo gallup
game games gap garden gay gb gbiz gd gdn ge gea gent genting george gf gg ggee gh gi gift gifts
gives giving gl glass gle global globo gm gmail gmbh gmo gmx gn godaddy gold goldpoint golf goo
goodyear goog google gop got gov gp gq gr grainger graphics gratis green gripe grocery group gs gt
gu gucci guge guide guitars guru gw gy hair hamburg hangout haus hbo hdfc hdfcbank health healthcare
help helsinki here hermes hiphop hisamitsu hitachi hiv hk hkt hm hn hockey holdings holiday
homedepot homegoods homes homesense honda horse hospital host hosting hot hotel hotels hotmail house
how hr hsbc ht hu hughes hyatt hyundai ibm icbc ice icu id ie ieee ifm ikano il im imamat imdb immo
immobilien in inc industries infiniti info ing ink institute insurance insure int international
intuit investments io ipiranga iq ir irish is ismaili ist istanbul it itau itv jaguar java jcb je
jeep jetzt jewelry jio jll jm jmp jnj jo jobs joburg jot joy jp jpmorgan jprs juegos juniper kaufen
kddi ke kerryhotels kerryproperties kfh kg kh ki kia kids kim kindle kitchen kiwi km kn koeln
komatsu kosher kp kpmg kpn kr krd kred kuokgroup kw ky kyoto kz la lacaixa lamborghini lamer land
landrover lanxess lasalle lat latino latrobe law lawyer lb lc lds lease leclerc lefrak legal lego
lexus lgbt li lidl life lifeinsurance lifestyle lighting like lilly limited limo lincoln link live
living lk llc llp loan loans locker locus lol london lotte lotto love lpl lplfinancial lr ls lt ltd
ltda lu lundbeck luxe luxury lv ly ma madrid maif maison makeup man management mango map market
marketing markets marriott marshalls mattel mba mc mckinsey md me med media meet melbourne meme
memorial men menu merck merckmsd mg mh miami microsoft mil mini mint mit mitsubishi mk ml mlb mls mm
mma mn mo mobi mobile moda moe moi mom monash money monster mormon mortgage moscow moto motorcycles
mov movie mp mq mr ms msd mt mtn mtr mu museum music mv mw mx my mz na nab nagoya name navy nba nc
ne nec net netbank netflix network neustar new news next nextdirect nexus nf nfl ng ngo nhk ni nico
nike nikon ninja nissan nissay nl no nokia norton now nowruz nowtv np nr nra nrw ntt nu nyc nz obi
observer office okinawa olayan olayangroup ollo om omega one ong onion onl online ooo open oracle
orange org organic origins osaka otsuka ott ovh pa page panasonic paris pars partners parts party
pay pccw pe pet pf pfizer pg ph pharmacy phd philips phone photo photography photos physio pics
pictet pictures pid pin ping pink pioneer pizza pk pl place play playstation plumbing plus pm pn pnc
pohl poker politie porn post pr praxi press prime pro prod productions prof progressive promo
properties property protection pru prudential ps pt pub pw pwc py qa qpon quebec quest racing radio
re read realestate realtor realty recipes red redumbrella rehab reise reisen reit reliance ren rent
rentals repair report republican rest restaurant review reviews rexroth rich richardli ricoh ril rio
rip ro rocks rodeo rogers room rs rsvp ru rugby ruhr run rw rwe ryukyu sa saarland safe safety
sakura sale salon samsclub samsung sandvik sandvikcoromant sanofi sap sarl sas save saxo sb sbi sbs
sc scb schaeffler schmidt scholarships school schule schwarz science scot sd se search seat secure
security seek select sener services seven sew sex sexy sfr sg sh shangrila sharp shell shia shiksha
shoes shop shopping shouji show si silk sina singles site sj sk ski skin sky skype sl sling sm smart
smile sn sncf so soccer social softbank software sohu solar solutions song sony soy spa space sport
spot sr srl ss st stada staples star statebank statefarm stc stcgroup stockholm storage store stream
studio study style su sucks supplies supply support surf surgery suzuki sv swatch swiss sx sy sydney
systems sz tab taipei talk taobao target tatamotors tatar tattoo tax taxi tc tci td tdk team tech
technology tel temasek tennis teva tf tg th thd theater theatre tiaa tickets tienda tips tires tirol
tj tjmaxx tjx tk tkmaxx tl tm tmall tn to today tokyo tools top toray toshiba total tours town
toyota toys tr trade trading training travel travelers travelersinsurance trust trv tt tube tui
tunes tushu tv tvs tw tz ua ubank ubs ug uk unicom university uno uol ups us uy uz va vacations vana
vanguard vc ve vegas ventures verisign versicherung vet vg vi viajes video vig viking villas vin vip
virgin visa vision viva vivo vlaanderen vn vodka volvo vote voting voto voyage vu wales walmart
walter wang wanggou watch watches weather weatherchannel webcam weber website wed wedding weibo weir
wf whoswho wien wiki williamhill win windows wine winners wme wolterskluwer woodside work works
world wow ws wtc wtf xbox xerox xihuan xin xn--11b4c3d xn--1ck2e1b xn--1qqw23a xn--2scrj9c
xn--30rr7y xn--3bst00m xn--3ds443g xn--3e0b707e xn--3hcrj9c xn--3pxu8k xn--42c2d9a xn--45br5cyl
xn--45brj9c xn--45q11c xn--4dbrk0ce xn--4gbrim xn--54b7fta0cc xn--55qw42g xn--55qx5d
xn--5su34j936bgsg xn--5tzm5g xn--6frz82g xn--6qq986b3xl xn--80adxhks xn--80ao21a xn--80aqecdr1a
xn--80asehdb xn--80aswg xn--8y0a063a xn--90a3ac xn--90ae xn--90ais xn--9dbq2a xn--9et52u xn--9krt00a
xn--b4w605ferd xn--bck1b9a5dre4c xn--c1avg xn--c2br7g xn--cck2b3b xn--cckwcxetd xn--cg4bki
xn--clchc0ea0b2g2a9gcd xn--czr694b xn--czrs0t xn--czru2d xn--d1acj3b xn--d1alf xn--e1a4c
xn--eckvdtc9d xn--efvy88h xn--fct429k xn--fhbei xn--fiq228c5hs xn--fiq64b xn--fiqs8s xn--fiqz9s
xn--fjq720a xn--flw351e xn--fpcrj9c3d xn--fzc2c9e2c xn--fzys8d69uvgm xn--g2xx48c xn--gckr3f0f
xn--gecrj9c xn--gk3at1e xn--h2breg3eve xn--h2brj9c xn--h2brj9c8c xn--hxt814e xn--i1b6b1a6a2e
xn--imr513n xn--io0a7i xn--j1aef xn--j1amh xn--j6w193g xn--jlq480n2rg xn--jvr189m xn--kcrx77d1x4a
xn--kprw13d xn--kpry57d xn--kput3i xn--l1acc xn--lgbbat1ad8j xn--mgb2ddes xn--mgb9awbf
xn--mgba3a3ejt xn--mgba3a4f16a xn--mgba3a4fra xn--mgba7c0bbn0a xn--mgbaam7a8h xn--mgbab2bd
xn--mgbah1a3hjkrd xn--mgbai9a5eva00b xn--mgbai9azgqp6j xn--mgbayh7gpa xn--mgbbh1a xn--mgbbh1a71e
xn--mgbc0a9azcg xn--mgbca7dzdo xn--mgbcpq6gpa1a xn--mgberp4a5d4a87g xn--mgberp4a5d4ar xn--mgbgu82a
xn--mgbi4ecexp xn--mgbpl2fh xn--mgbqly7c0a67fbc xn--mgbqly7cvafr xn--mgbt3dhd xn--mgbtf8fl
xn--mgbtx2b xn--mgbx4cd0ab xn--mix082f xn--mix891f xn--mk1bu44c xn--mxtq1m xn--ngbc5azd xn--ngbe9e0a
xn--ngbrx xn--nnx388a xn--node xn--nqv7f xn--nqv7fs00ema xn--nyqy26a xn--o3cw4h xn--ogbpf8fl
xn--otu796d xn--p1acf xn--p1ai xn--pgbs0dh xn--pssy2u xn--q7ce6a xn--q9jyb4c xn--qcka1pmc xn--qxa6a
xn--qxam xn--rhqv96g xn--rovu88b xn--rvc1e0am3e xn--s9brj9c xn--ses554g xn--t60b56a xn--tckwe
xn--tiq49xqyj xn--unup4y xn--vermgensberater-ctb xn--vermgensberatung-pwb xn--vhquv xn--vuq861b
xn--w4r85el8fhu5dnra xn--w4rs40l xn--wgbh1c xn--wgbl6a xn--xhq521b xn--xkc2al3hye2a
xn--xkc2dl3a5ee0h xn--y9a3aq xn--yfro4i67o xn--ygbi2ammx xn--zfr164b xxx xyz yachts yahoo yamaxun
yandex ye yodobashi yoga yokohama you youtube yt yun za zappos zara zero zip zm zone zuerich zw
`

// allIn reports whether every byte of b is in set: what
// len(bytes.Trim(b, cutset)) == 0 tells, without building the cutset's
// table on every call.
func allIn(b []byte, set *[256]bool) bool {
	for _, c := range b {
		if !set[c] {
			return false
		}
	}
	return true
}

// byteSet returns the table of the bytes of s, for allIn.
func byteSet(s string) (t [256]bool) {
	for i := 0; i < len(s); i++ {
		t[s[i]] = true
	}
	return t
}

// Constant tables for allIn.
var (
	digitBytes    = byteSet("0123456789")
	digitDotBytes = byteSet("0123456789.")
	hexDotBytes   = byteSet("0123456789abcdefABCDEF.")
	hexBytes      = byteSet("0123456789abcdefABCDEF")
)
