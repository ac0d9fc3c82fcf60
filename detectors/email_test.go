package detectors

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"net/mail"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/piimap/piimap/internal/corpus"
)

func TestEmailExamples(t *testing.T) {
	genericCheckExamples(t, NewEmail(), 15, 15)
}

func TestEmailConfidenceAndLabels(t *testing.T) {
	test := []string{LabelTestData}
	role := []string{LabelRoleAddress}
	genericCheckCases(t, NewEmail(), []genericCase{
		{text: "sähköposti: maija.virtanen@yritys.fi", want: "maija.virtanen@yritys.fi", conf: High},
		{text: "maija.virtanen@yritys.fi", key: "sahkoposti", want: "maija.virtanen@yritys.fi", conf: High},
		// Mailing lists and project mailboxes (Debian /usr/share/doc):
		{text: "Please send bug reports to bug-bash@gnu.org.", want: "bug-bash@gnu.org", conf: Low, labels: role},
		{text: "mail krb5-bugs@mit.edu", want: "krb5-bugs@mit.edu", conf: Low, labels: role},
		{text: "write to email-sig@python.org", want: "email-sig@python.org", conf: Low, labels: role},
		// roff's escaped hyphen in manual pages.
		{text: `Report bugs to <bug\-gzip@gnu.org>.`, want: "bug-gzip@gnu.org", conf: Low, labels: role},
		{text: `.B kari\-anne.nordmann@firma.no`, want: "kari-anne.nordmann@firma.no", conf: Medium},
		{text: `<\fIdebian\-l10n\-german@lists.debian.org\fR>`, want: "debian-l10n-german@lists.debian.org", conf: Low, labels: role},
		{text: `mail \fBkari@firma.no\fR`, want: "kari@firma.no", conf: High},
		// Placeholders of command-line help (gcloud's manual pages).
		{text: "--member=user:person@google.com", want: "person@google.com", conf: Low, labels: []string{LabelTestData}},
		// Numbered placeholders (Google's API descriptions): person1@, test123@.
		{text: `e-mail "user:person1@company.com"`, want: "person1@company.com", conf: Low, labels: []string{LabelTestData}},
		{text: `email "user:someuser@gmail.com"`, want: "someuser@gmail.com", conf: Low, labels: []string{LabelTestData}},
		{text: "email test123@firma.no", want: "test123@firma.no", conf: Low, labels: []string{LabelTestData}},
		{text: "e-post: person.berg@firma.no", want: "person.berg@firma.no", conf: High},
		{text: "--account=SERVICE_ACCOUNT@domain.com", want: "SERVICE_ACCOUNT@domain.com", conf: Low, labels: []string{LabelTestData}},
		{text: "email USER_EMAIL@firma.no", want: "USER_EMAIL@firma.no", conf: Low, labels: []string{LabelTestData}},
		{text: "email admin@domain.com", want: "admin@domain.com", conf: Low, labels: []string{LabelTestData}},
		{text: "account your-email-account@gmail.com", want: "your-email-account@gmail.com", conf: Low, labels: []string{LabelTestData}},
		{text: "email yourick@firma.no", want: "yourick@firma.no", conf: High},
		// Example domains of translated documentation (debconf templates).
		{text: "email:me@exemple.com,IP:192.168.7.3", want: "me@exemple.com", conf: Low, labels: []string{LabelTestData}},
		{text: "email:mig@eksempel.com", want: "mig@eksempel.com", conf: Low, labels: []string{LabelTestData}},
		{text: "E-Mail: max@beispiel.de", want: "max@beispiel.de", conf: Low, labels: []string{LabelTestData}},
		{text: `"members": ["user:user1@google.com"]`, want: "user1@google.com", conf: Low, labels: []string{LabelTestData}},
		{text: "grant to xyz@amazon.com", want: "xyz@amazon.com", conf: Low, labels: []string{LabelTestData}},
		{text: "--member=user:test-user@gmail.com", want: "test-user@gmail.com", conf: Low, labels: []string{LabelTestData}},
		{text: "serviceAccount:my-other-app@appspot.gserviceaccount.com", want: "my-other-app@appspot.gserviceaccount.com", conf: Low, labels: role},
		{text: "send to workspaces-feedback@amazon.com", want: "workspaces-feedback@amazon.com", conf: Low, labels: role},
		{text: "send to awssecretsmanager-feedback@amazon.com", want: "awssecretsmanager-feedback@amazon.com", conf: Low, labels: role},
		{text: "list dev@jstl.java.net", want: "dev@jstl.java.net", conf: Low, labels: role},
		{text: "Cc: stable@k.org", want: "stable@k.org", conf: Low, labels: role},
		{text: "from 20160419@firma.no", want: "20160419@firma.no", conf: High},           // digits without the dot: not a Message-ID
		{text: "mail deadbeef.cafe@firma.no", want: "deadbeef.cafe@firma.no", conf: High}, // hex, but too few digits
		{text: "email userfriendly@firma.no", want: "userfriendly@firma.no", conf: High},
		{text: "from KARI.NORDMANN@FIRMA.NO", want: "KARI.NORDMANN@firma.no", conf: High}, // upper case, no underscore: a person
		{text: "e-mail dbus-security@lists.freedesktop.org", want: "dbus-security@lists.freedesktop.org", conf: Low, labels: role},
		{text: "to deity@lists.debian.org", want: "deity@lists.debian.org", conf: Low, labels: role},
		{text: "email tmux-users@googlegroups.com", want: "tmux-users@googlegroups.com", conf: Low, labels: role},
		{text: "git@vger.kernel.org", want: "git@vger.kernel.org", conf: Low, labels: role},
		{text: "Maintainer: adduser@packages.debian.org", want: "adduser@packages.debian.org", conf: Low, labels: role},
		{text: "mail jpeg-info@jpegclub.org", want: "jpeg-info@jpegclub.org", conf: Low, labels: role},
		{text: "Email: valgrind@valgrind.org", want: "valgrind@valgrind.org", conf: Low, labels: role},
		{text: " -- buildd_amd64-x86-ubc-01@buildd.debian.org", want: "buildd_amd64-x86-ubc-01@buildd.debian.org", conf: Low, labels: role},
		// Not mailboxes at all (the Go module cache): ssh extension names, Message-IDs.
		{text: `CipherAES128GCM = "aes128-gcm@openssh.com"`, want: ""},
		{text: "// curve25519-sha256@libssh.org) key exchange method", want: ""},
		{text: `CertAlgoMLDSA44v01 = "ssh-mldsa-44-cert-v01@golang.org"`, want: ""},
		{text: "please write to `coordinator@translationproject.org' to", want: "coordinator@translationproject.org", conf: Low, labels: role},
		{text: "// https://www.postgresql.org/message-id/0cdc5485-cb3c-5e16-4a46-e3b2f7a41322%40ya.ru", want: ""},
		{text: "// https://www.postgresql.org/message-id/CAMovtNoHFod2jMAKQjjxv209PCTJx5Kc66anwWvX0mEiaXwgmA%40mail.gmail.com", want: ""},
		{text: "<CAMovtNoHFod2jMAKQjjxv209PCTJx5Kc66anwWvX0mEiaXwgmA@mail.gmail.com>", want: ""},
		// Placeholders:
		{text: "Email me at foo@example.biz. #winning", want: "foo@example.biz", conf: Low, labels: test},
		{text: "e-post: your.name@firma.no", want: "your.name@firma.no", conf: Low, labels: test},
		// People, also with hyphens and list-like words inside names:
		{text: "Anne-Marie Lund <anne-marie.lund@firma.no>", want: "anne-marie.lund@firma.no", conf: Medium},
		{text: "e-post: kari.listou@gmail.com", want: "kari.listou@gmail.com", conf: High},
		{text: "from devon-hansen@online.no", want: "devon-hansen@online.no", conf: High},
		{text: "kari.nordmann@gmail.com", want: "kari.nordmann@gmail.com", conf: Medium},
		{text: "e-post: kari.nordmann@gmail.com", want: "kari.nordmann@gmail.com", conf: High},
		{text: "kari.nordmann@gmail.com", key: "kunde_epost", want: "kari.nordmann@gmail.com", conf: High},
		{text: "kari.nordmann@gmail.com", key: "userEmail", want: "kari.nordmann@gmail.com", conf: High},
		{text: "from=<kari@firma.no>", want: "kari@firma.no", conf: High},
		{text: "?email=kari%40firma.no", want: "kari@firma.no", conf: High},
		{text: "ola@example.com", want: "ola@example.com", conf: Low, labels: test},
		{text: "ola@mail.example.org", want: "ola@mail.example.org", conf: Low, labels: test},
		{text: "e-post: ola@firma.invalid", want: "ola@firma.invalid", conf: Low, labels: test},
		{text: "ola@app.localhost", want: "ola@app.localhost", conf: Low, labels: test},
		{text: "ola@notexample.com", want: "ola@notexample.com", conf: Medium},
		{text: "No-Reply@firma.no", want: "No-Reply@firma.no", conf: Low, labels: role},
		{text: "postmaster+x@firma.no", want: "postmaster+x@firma.no", conf: Low, labels: role},
		{text: "Message-ID: <kari@firma.no>", want: ""},
		{text: "References: <a1@mail.firma.no> <b2@mail.firma.no>", want: ""},
		{text: `"message_id": "<x7@mail.firma.no>"`, want: ""},
		{text: "Kari N <kari@firma.no>", want: "kari@firma.no", conf: Medium},
		{text: "kari@firma.no_old", want: ""},
		{text: "\u201ckari@firma.no\u201d", want: "kari@firma.no", conf: Medium},
		{text: "%22kari@firma.no%22", want: "kari@firma.no", conf: Medium},
		{text: "kari%2Bx%40firma.no", want: ""},
		{text: "a@b.photography", want: "a@b.photography", conf: Medium},
		{text: "kari@firma.рф", want: "kari@firma.рф", conf: Medium},
		{text: strings.Repeat("a", 65) + "@firma.no", want: ""},
		{text: strings.Repeat("a", 64) + "@firma.no", want: strings.Repeat("a", 64) + "@firma.no", conf: Medium},
		{text: "kari@" + strings.Repeat("b", 64) + ".no", want: ""},
	})
}

func TestEmailSeveralInOrder(t *testing.T) {
	text := "cc: a.b@firma.no, c%40d.se; e@f.com git@github.com:x/y.git g@h.dk"
	ms := genericFind(NewEmail(), text, "")
	var got []string
	for _, m := range ms {
		got = append(got, m.Value)
	}
	want := "a.b@firma.no c@d.se e@f.com g@h.dk"
	if strings.Join(got, " ") != want {
		t.Fatalf("got %v, want %s", got, want)
	}
	genericCheckMatches(t, NewEmail(), []byte(text), ms)
}

// The ASCII values found must also parse as addresses for net/mail.
func TestEmailValuesParseWithNetMail(t *testing.T) {
	d := NewEmail()
	for _, ex := range d.Positives() {
		if !isASCII(ex.Want) {
			continue
		}
		if _, err := mail.ParseAddress(ex.Want); err != nil {
			t.Errorf("%q: net/mail rejects: %v", ex.Want, err)
		}
	}
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}

func TestEmailZeroAllocsOnRejected(t *testing.T) {
	genericZeroAllocs(t, NewEmail(), "icon@2x.png lodash@4.17.21 user@localhost @media root@server01 "+
		"printer@office.local k***n@gmail.com x%41y %20 %4 @ a@ @b.no kari@-x.no "+
		strings.Repeat("a", 80)+"@firma.no")
}

func FuzzEmail(f *testing.F) {
	d := NewEmail()
	genericFuzz(f, d, func(v string) bool {
		at := strings.LastIndexByte(v, '@')
		return at > 0 && at < len(v)-3 && strings.Contains(v[at:], ".") && len(v) <= emailMaxTotal
	}, "a@b.no%40c.se", "x@y.no@z.se", "%40%40@@..", "a.@b.no", ".a@b.no", "a@b.no.", "a@b..no",
		"o'@b.no", "'a@b.no", "\xff@b.no", "a@\xc3.no", "a@b.\xd1\x80\xd1\x84")
}

func BenchmarkEmail(b *testing.B) { genericBench(b, NewEmail()) }

// TestAllInAgreesWithTrim checks allIn against what it replaces,
// len(bytes.Trim(b, cutset)) == 0, for each of its tables.
func TestAllInAgreesWithTrim(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	for _, tc := range []struct {
		set    *[256]bool
		cutset string
	}{{&digitBytes, "0123456789"}, {&digitDotBytes, "0123456789."}, {&hexDotBytes, "0123456789abcdefABCDEF."}, {&hexBytes, "0123456789abcdefABCDEF"}} {
		alphabet := tc.cutset + "xX-/\x00\xff"
		for range 2000 {
			b := corpus.Bytes(r, alphabet, 6)
			if got, want := allIn(b, tc.set), len(bytes.Trim(b, tc.cutset)) == 0; got != want {
				t.Fatalf("allIn(%q, %q) = %v, want %v", b, tc.cutset, got, want)
			}
		}
	}
}

// TestEmailWordIsAgreesWithLists compares emailWordIs, whose lists are
// switches, with the loops over the word lists it replaced, on every word
// of the lists and on others, in mixed case, with digits and bytes beyond
// ASCII.
func TestEmailWordIsAgreesWithLists(t *testing.T) {
	lists := map[int][]string{
		emailExampleLabel: {"example", "exemple", "eksempel", "exempel", "beispiel", "ejemplo", "esempio",
			"voorbeeld", "esimerkki", "exemplo", "przyklad", "priklad", "primer"},
		emailPlaceholderDomain: {"domain.com", "yourdomain.com", "mydomain.com", "somedomain.com", "yourcompany.com"},
		emailPlaceholderLocal: {"foo", "bar", "baz", "you", "your.name", "yourname", "your-name", "someone", "somebody",
			"firstname.lastname", "first.last", "name.surname", "fornavn.etternavn", "john.doe", "jane.doe", "johndoe", "janedoe",
			"person", "user", "username", "user.name", "youremail", "your.email", "myname", "my.name", "myaccount",
			"myemail", "my-email", "abc", "xyz", "test", "testuser", "test-user", "test.user", "test_user",
			"someuser", "some.user", "some-user", "anotheruser", "otheruser", "example", "sample", "demo"},
		emailHostLabel: {"host", "hostname", "domain", "domainname", "yourdomain", "mydomain", "somedomain",
			"yourhost", "myhost", "somehost", "server", "yourserver", "myserver", "your", "my", "some"},
	}
	var words []string
	for _, l := range lists {
		words = append(words, l...)
	}
	words = append(words, "kari", "ola.nordmann", "x", "", "øl", "a-very-long-local-part-that-is-long", "firstname.lastname.x")
	r := rand.New(rand.NewPCG(5, 6))
	found := 0
	for range 50000 {
		b := []byte(words[r.IntN(len(words))])
		for i := range b {
			if r.IntN(4) == 0 && b[i] >= 'a' && b[i] <= 'z' {
				b[i] -= 'a' - 'A'
			}
		}
		if r.IntN(5) == 0 {
			b = strconv.AppendInt(b, int64(r.IntN(100)), 10)
		}
		for list, l := range lists {
			want := slices.ContainsFunc(l, func(w string) bool { return emailEqualFold(b, w) })
			if got := emailWordIs(list, b); got != want {
				t.Fatalf("emailWordIs(%d, %q) = %v, the list says %v", list, b, got, want)
			}
			if want {
				found++
			}
		}
	}
	if found < 20000 {
		t.Fatalf("only %d words found in the lists: the comparison proves little", found)
	}
}

// TestEmailRoleToken checks the switch of emailRoleToken against the list
// it was written from: every word of it, and no other token.
func TestEmailRoleToken(t *testing.T) {
	list := []string{"bug", "bugs", "help", "devel", "users", "announce", "discuss",
		"request", "subscribe", "unsubscribe", "owner", "maint", "maintainer",
		"maintainers", "security", "patches", "commits", "list", "team",
		"general", "questions", "info", "admin", "support", "noreply",
		"bounces", "digest", "technical", "interest", "announcements", "dev",
		"packagers", "releases", "release", "l", "sig", "feedback"}
	for _, w := range list {
		if !emailRoleToken([]byte(w)) {
			t.Errorf("emailRoleToken(%q) = false", w)
		}
	}
	for _, w := range []string{"", "kari", "bugz", "Bug", "user", "lists", "ll", "olsen28", "announce-"} {
		if emailRoleToken([]byte(w)) {
			t.Errorf("emailRoleToken(%q) = true", w)
		}
	}
	// A list's address and a person's: the first is a role.
	if !emailRoleMailbox([]byte("bug-bash")) || emailRoleMailbox([]byte("ingrid.olsen28")) {
		t.Error("bug-bash is no role mailbox, or ingrid.olsen28 is one")
	}
}

// TestEmailDomainFactsMemo reads the addresses of a text of many domains
// (valid, test and placeholder ones, lists, invalid TLDs, one domain the
// start of another) in turn with the facts of the last domain kept, as
// Find does, and each with none: every candidate comes out the same.
func TestEmailDomainFactsMemo(t *testing.T) {
	d := NewEmail().(*emailDetector)
	doms := []string{"firma.no", "firma.no.example", "example.com", "lists.debian.org", "gmail.com", "x.invalidtld",
		"example-post.no", "FIRMA.NO", "test", "localhost", "users.sourceforge.net", "firma.no"}
	locals := []string{"kari.nordmann", "you", "user42", "info", "debian-devel", "ola"}
	r := rand.New(rand.NewPCG(4, 9))
	var text []byte
	for range 400 {
		text = fmt.Appendf(text, "%s@%s ", locals[r.IntN(len(locals))], doms[r.IntN(len(doms))])
		if r.IntN(5) == 0 {
			text = append(text, "\n"...)
		}
	}
	var in Input
	in.Reset(text, "")
	var kept emailDomainFacts
	n := 0
	for p := bytes.IndexByte(text, '@'); p >= 0; {
		got, gok := d.candidate(&in, p, 1, &kept)
		want, wok := d.candidate(&in, p, 1, &emailDomainFacts{})
		if gok != wok || !reflect.DeepEqual(got, want) {
			t.Fatalf("at %d: with the kept facts %+v %v, without %+v %v", p, got, gok, want, wok)
		}
		if gok {
			n++
		}
		q := bytes.IndexByte(text[p+1:], '@')
		if q < 0 {
			break
		}
		p += 1 + q
	}
	if n < 200 {
		t.Fatalf("only %d addresses found: the comparison proves little", n)
	}
}
