package mail

import (
	"bytes"
	"context"
	"encoding/base64"
	"strings"
	"sync"
	"testing"

	"github.com/piimap/piimap/sources"
	"github.com/piimap/piimap/sources/files"
)

// recSink records the text of every location (CSV fields as
// "path#field") and the failures and skips.
type recSink struct {
	mu      sync.Mutex
	texts   map[string]string
	items   map[int64]string // the text of OneLine chunks by their line: an item's number
	failed  map[string]string
	skipped map[string]string
}

func newSink() *recSink {
	return &recSink{texts: map[string]string{}, items: map[int64]string{}, failed: map[string]string{}, skipped: map[string]string{}}
}

func (s *recSink) Text(_ context.Context, c *sources.Chunk) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	return sources.EachField(c, s.text1)
}

func (s *recSink) text1(c *sources.Chunk) error {
	l := c.Limit
	if l == 0 {
		l = len(c.Data)
	}
	k := c.Loc.Path
	if c.Loc.Field != "" {
		k += "#" + c.Loc.Field
	}
	s.texts[k] += string(c.Data[c.Skip:l]) + "\n"
	if c.OneLine {
		s.items[c.Line] += string(c.Data[c.Skip:l])
	}
	return nil
}
func (s *recSink) Column(sources.Column) {}
func (s *recSink) Table(sources.Table)   {}
func (s *recSink) Failed(loc sources.Location, err error) {
	s.failed[loc.Path] += err.Error()
}
func (s *recSink) Skipped(loc sources.Location, reason string) { s.skipped[loc.Path] = reason }
func (s *recSink) Scanned(sources.Location, int64, int64)      {}

func read(t testing.TB, name string, data []byte, opt sources.Options) *recSink {
	t.Helper()
	rd := files.NewReader(opt, nil, files.WithFormat(files.KindMail, Read))
	sink := newSink()
	if err := rd.ReadReaderAt(context.Background(), bytes.NewReader(data), int64(len(data)), sources.Location{Path: name}, sink); err != nil {
		t.Fatal(err)
	}
	return sink
}

func b64(s string) string {
	e := base64.StdEncoding.EncodeToString([]byte(s))
	var b strings.Builder
	for len(e) > 20 {
		b.WriteString(e[:20] + "\r\n")
		e = e[20:]
	}
	return b.String() + e + "\r\n"
}

// message is a multipart message with what plain-text reading misses: an
// RFC 2047 subject, a quoted-printable body whose soft line break cuts an
// address, a base64 HTML body, an ISO-8859-1 part, a base64 CSV
// attachment, and a forwarded message.
var message = strings.ReplaceAll(`Return-Path: <hr@firma.no>
Received: from mx.firma.no (mx.firma.no [192.0.2.10]) by mail.example.no; Mon, 2 Mar 2026 09:14:02 +0100
From: =?utf-8?q?L=C3=B8nn?= <hr@firma.no>
To: Kari Nordmann <kari.nordmann@example.no>
Subject: =?utf-8?B?TMO4bm5zc2xpcHAgZm9yIEthcmk=?=
Date: Mon, 2 Mar 2026 09:14:00 +0100
Message-ID: <1@firma.no>
MIME-Version: 1.0
Content-Type: multipart/mixed; boundary="ytre"

--ytre
Content-Type: multipart/alternative; boundary="indre"

--indre
Content-Type: text/plain; charset=utf-8
Content-Transfer-Encoding: quoted-printable

Hei Kari, ring meg p=C3=A5 +47 912 34 567 eller skriv til ola.hansen@exa=
mple.no.

--indre
Content-Type: text/html; charset=utf-8
Content-Transfer-Encoding: base64

`+b64("<p>Fødselsnummer: 15038712486</p><p>Ring <b>912</b>&nbsp;34&nbsp;567 eller <a href=\"mailto:kari&#64;example.no\">send e-post</a></p><script>var x = 'ola@script.no';</script><style>p{}</style><table><tr><td>Per</td><td>per&#x40;example.no</td></tr></table>")+`
--indre--

--ytre
Content-Type: text/plain; charset=iso-8859-1
Content-Transfer-Encoding: 8bit

Adresse: Storgata 1, Troms`+"\xf8"+`

--ytre
Content-Type: text/csv; name="ansatte.csv"
Content-Disposition: attachment; filename="ansatte.csv"
Content-Transfer-Encoding: base64

`+b64("navn;fnr\nOla Hansen;22079110098\n")+`
--ytre
Content-Type: message/rfc822

From: per.berg@example.no
To: hr@firma.no
Subject: Videresendt

Per sin konto: 1234.56.78903
--ytre--
`, "\n", "\r\n")

func TestMessage(t *testing.T) {
	sink := read(t, "lonn.eml", []byte(message), sources.Options{})
	text := sink.texts["lonn.eml"]
	for _, want := range []string{
		"Subject: Lønnsslipp for Kari",
		"From: Lønn <hr@firma.no>",
		"ring meg på +47 912 34 567 eller skriv til ola.hansen@example.no.",
		" Fødselsnummer: 15038712486 ",
		"Ring 912 34 567 eller  mailto:kari@example.no send e-post",
		"var x = 'ola@script.no';", // scripts are data too
		"\tPer\t\tper@example.no",
		"Adresse: Storgata 1, Tromsø",
		"From: per.berg@example.no",
		"Per sin konto: 1234.56.78903",
		"Received: from mx.firma.no (mx.firma.no [192.0.2.10]) by mail.example.no; Mon, 2 Mar 2026 09:14:02 +0100",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("no %q in the message's text:\n%s", want, text)
		}
	}
	if strings.Contains(text, "22079110098") || strings.Contains(text, "TMO4") || strings.Contains(text, "<p>") {
		t.Errorf("the attachment or undecoded base64 in the message's text:\n%s", text)
	}
	// The attachment is a file of its own, read as CSV by its name.
	if got := sink.texts["lonn.eml!ansatte.csv#fnr"]; got != "22079110098\n" {
		t.Errorf("attachment column fnr: %q (texts %v)", got, keys(sink.texts))
	}
	if len(sink.failed)+len(sink.skipped) != 0 {
		t.Errorf("failed %v, skipped %v", sink.failed, sink.skipped)
	}
	// The attachments' names are values.
	sink = read(t, "lonn.eml", []byte(message), sources.Options{Names: true})
	if got := sink.texts["lonn.eml!#"+sources.NamesField]; !strings.Contains(got, "ansatte") {
		t.Errorf("attachment names: %q", got)
	}
}

func keys(m map[string]string) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	return out
}

// TestBrokenMessages: a message whose parts cannot be told apart is read
// as plain text as well and says so; a missing closing boundary is no
// failure; undecodable base64 fails its part only; a message cut at any
// byte never fails the scan.
func TestBrokenMessages(t *testing.T) {
	head := "From: a@firma.no\r\nDate: Mon, 2 Mar 2026 09:14:00 +0100\r\nMIME-Version: 1.0\r\n"
	// A boundary line that is not a part's header: multipart's reader
	// fails on the malformed header, and the text after it is read raw.
	broken := head + "Content-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\nContent-Type text/plain\r\n\r\nfnr 15038712486\r\n--b--\r\n"
	sink := read(t, "x.eml", []byte(broken), sources.Options{})
	if !strings.Contains(sink.texts["x.eml"], "fnr 15038712486") || sink.failed["x.eml"] == "" {
		t.Errorf("broken multipart: text %q, failed %q", sink.texts["x.eml"], sink.failed["x.eml"])
	}
	// The error of a malformed header line does not quote it: it may hold
	// personal data.
	badLine := head + "Content-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\nKari Nordmann 22079110098\r\n\r\nx\r\n--b--\r\n"
	sink = read(t, "q.eml", []byte(badLine), sources.Options{})
	if f := sink.failed["q.eml"]; f == "" || strings.Contains(f, "22079110098") || strings.Contains(f, "Nordmann") {
		t.Errorf("malformed header line: failed %q", f)
	}
	badHead := head + "Content-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\nContent-Type: message/rfc822\r\n\r\nfnr 22079110098 Kari\r\n\r\nbody\r\n--b--\r\n"
	sink = read(t, "h.eml", []byte(badHead), sources.Options{})
	if f := sink.failed["h.eml"]; f == "" || strings.Contains(f, "22079110098") {
		t.Errorf("malformed forwarded message's header: failed %q", f)
	}
	open := head + "Content-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\nContent-Type: text/plain\r\n\r\nfnr 15038712486\r\n"
	sink = read(t, "y.eml", []byte(open), sources.Options{})
	if !strings.Contains(sink.texts["y.eml"], "fnr 15038712486") || sink.failed["y.eml"] != "" {
		t.Errorf("no closing boundary: text %q, failed %q", sink.texts["y.eml"], sink.failed["y.eml"])
	}
	bad64 := head + "Content-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\nContent-Type: text/plain\r\nContent-Transfer-Encoding: base64\r\n\r\nZm5y===IDE1MDM4NzEyNDg2\r\n--b\r\nContent-Type: text/plain\r\n\r\nkari@example.no\r\n--b--\r\n"
	sink = read(t, "z.eml", []byte(bad64), sources.Options{})
	if !strings.Contains(sink.texts["z.eml"], "kari@example.no") || !strings.Contains(sink.failed["z.eml"], "part") {
		t.Errorf("bad base64: text %q, failed %q", sink.texts["z.eml"], sink.failed["z.eml"])
	}
	msg := []byte(message)
	for cut := 0; cut <= len(msg); cut += 7 {
		read(t, "cut.eml", msg[:cut], sources.Options{})
	}
}

func TestLooksLikeMail(t *testing.T) {
	// Through the reader: the kind decides whether the text is decoded.
	qp := "From: a@firma.no\r\nTo: b@firma.no\r\nDate: Mon, 2 Mar 2026 09:14:00 +0100\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\nkari.nordm=\r\nann@example.no\r\n"
	for name, decoded := range map[string]bool{
		"a.eml": true, "a.txt": true, "a": true, "a.mbox": true,
		"1700000000.M1P2.host:2,S": false, // Maildir, but no server field first
		"app.log":                  false,
	} {
		got := strings.Contains(read(t, name, []byte(qp), sources.Options{}).texts[name], "kari.nordmann@example.no")
		if got != decoded {
			t.Errorf("%s decoded as mail: %v, want %v", name, got, decoded)
		}
	}
	maildir := "Return-Path: <a@firma.no>\r\n" + qp
	if name := "1700000000.M1P2.host:2,S"; !strings.Contains(read(t, name, []byte(maildir), sources.Options{}).texts[name], "kari.nordmann@example.no") {
		t.Error("a Maildir message with Return-Path first is not read as mail")
	}
	mbox := "From envelope@firma.no Mon Mar  2 09:14:00 2026\r\n" + qp
	if got := read(t, "inbox.txt", []byte(mbox), sources.Options{}).texts["inbox.txt"]; !strings.Contains(got, "kari.nordmann@example.no") || !strings.Contains(got, "From envelope@firma.no") {
		t.Errorf("a message after an mbox From line is not read as mail, or its From line is lost: %q", got)
	}
	// Not mail: read as the text they are (as mail, the fields would come
	// back canonical: "From: a@firma.no").
	for _, text := range []string{
		"from: a@firma.no\nhello\n",                       // one field, then text
		"subject: x\nto: y\nx-a: z\n\nfrom: a@firma.no\n", // no From field
		"from: a@firma.no\nto: b\nx: c\n\nbody\n",         // no Date, Received, …
		"2024-01-01 from: a@firma.no\ndate: x\n\n",        // a log line
		"# from: a@firma.no\n# date: b\n",                 // comments
	} {
		if got := read(t, "n.txt", []byte(text), sources.Options{}).texts["n.txt"]; !strings.Contains(got, "from: a@firma.no") {
			t.Errorf("%q read as mail: %q", text, got)
		}
	}
}

// FuzzMail: no message, however broken, fails the scan, hangs or
// panics; its text passes are deterministic.
func FuzzMail(f *testing.F) {
	f.Add([]byte(message))
	f.Add([]byte("From: a@b.no\r\nDate: x\r\nContent-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\n\r\nx\r\n--b--\r\n"))
	f.Add([]byte("From x\nFrom: a@b.no\nDate: y\nContent-Type: message/rfc822\n\nFrom: c@d.no\n\nhei\n"))
	f.Fuzz(func(t *testing.T, b []byte) {
		a := read(t, "f.eml", b, sources.Options{Names: true, MaxArchiveBytes: 1 << 20})
		c := read(t, "f.eml", b, sources.Options{Names: true, MaxArchiveBytes: 1 << 20})
		if a.texts["f.eml"] != c.texts["f.eml"] {
			t.Fatal("two reads differ")
		}
	})
}

// TestMbox: an mbox file (Thunderbird's "Inbox", /var/mail/kari) is read
// message by message: the text of every message on the line of its
// number, and the attachments of all, at "Inbox!N/name" for the N-th
// message. A multipart's epilogue
// would otherwise swallow every message after the first.
func TestMbox(t *testing.T) {
	first := "From - Mon Mar  2 09:14:00 2026\nFrom: a@firma.no\nDate: Mon, 2 Mar 2026 09:14:00 +0100\nMIME-Version: 1.0\nContent-Type: multipart/mixed; boundary=b\n\n--b\nContent-Type: text/plain\n\nfirst kari@example.no\n--b\nContent-Type: text/plain; name=a.txt\nContent-Disposition: attachment\n\nfnr 15038712486\n--b--\n\n"
	second := "From ola@example.no Mon Mar  2 10:00:00 2026\nFrom: ola@example.no\nDate: Mon, 2 Mar 2026 10:00:00 +0100\nSubject: hei\n\nsecond per.berg@example.no\nFrom the start of a line, not after a blank one\n\n>From an escaped line\n\n"
	third := "From - Tue Mar  3 09:00:00 2026\nFrom: b@firma.no\nDate: Tue, 3 Mar 2026 09:00:00 +0100\nMIME-Version: 1.0\nContent-Type: multipart/mixed; boundary=c\n\n--c\nContent-Type: text/plain\n\nthird\n--c\nContent-Type: text/plain; name=a.txt\nContent-Disposition: attachment\n\nfnr 22079110098\n--c--\n"
	sink := read(t, "Inbox", []byte(first+second+third), sources.Options{})
	text := sink.texts["Inbox"]
	for _, want := range []string{"first kari@example.no", "second per.berg@example.no", "From the start of a line", ">From an escaped line", "third", "From: b@firma.no", "From ola@example.no Mon Mar  2 10:00:00 2026"} {
		if !strings.Contains(text, want) {
			t.Errorf("no %q in the text:\n%s", want, text)
		}
	}
	// What is found in a message is on the line of its number.
	for n, want := range map[int64]string{1: "first kari@example.no", 2: "second per.berg@example.no", 3: "third"} {
		if !strings.Contains(sink.items[n], want) || n > 1 && strings.Contains(sink.items[n], "first kari") {
			t.Errorf("message %d: %q", n, sink.items[n])
		}
	}
	// Attachments by message number: the first message's and the third's,
	// of the same name.
	if got := sink.texts["Inbox!1/a.txt"]; !strings.Contains(got, "15038712486") {
		t.Errorf("first attachment: %q (texts %v)", got, keys(sink.texts))
	}
	if got := sink.texts["Inbox!3/a.txt"]; !strings.Contains(got, "22079110098") {
		t.Errorf("the third message's attachment of the same name: %q (texts %v)", got, keys(sink.texts))
	}
	if len(sink.failed) != 0 {
		t.Errorf("failed: %v", sink.failed)
	}
}

// TestNestedDepth: a message attached to a message is read as a file of
// its own, and its attachments too, within the archive depth limit.
func TestNestedDepth(t *testing.T) {
	inner := "From: a@firma.no\r\nDate: Mon, 2 Mar 2026 09:14:00 +0100\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=i\r\n\r\n--i\r\nContent-Type: text/plain\r\n\r\nhei\r\n--i\r\nContent-Type: text/plain; name=a.txt\r\nContent-Disposition: attachment\r\n\r\nfnr 15038712486\r\n--i--\r\n"
	outer := "From: b@firma.no\r\nDate: Mon, 2 Mar 2026 09:15:00 +0100\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=o\r\n\r\n--o\r\nContent-Type: text/plain\r\n\r\nvideresendt\r\n--o\r\nContent-Type: message/rfc822\r\nContent-Disposition: attachment; filename=fwd.eml\r\n\r\n" + inner + "\r\n--o--\r\n"
	sink := read(t, "x.eml", []byte(outer), sources.Options{})
	if got := sink.texts["x.eml!fwd.eml!a.txt"]; !strings.Contains(got, "15038712486") {
		t.Errorf("the attached message's attachment: %q (texts %v)", got, keys(sink.texts))
	}
	sink = read(t, "x.eml", []byte(outer), sources.Options{MaxArchiveDepth: 1})
	if r := sink.skipped["x.eml!fwd.eml!a.txt"]; !strings.Contains(r, "nested deeper than 1") {
		t.Errorf("depth 1: skipped %v, texts %v", sink.skipped, keys(sink.texts))
	}
}
