package detectors

import "bytes"

// urlCredentials finds passwords written into URLs: a connection string
// with its user and password (postgres://app:S3cret@db:5432/shop,
// mysql://root:…@10.0.0.5/prod, amqp://…, redis://:pw@cache), as logs,
// configuration files and environment dumps leak them.
//
// Rules (RFC 3986, 3.2.1): a scheme of a letter and then letters, digits,
// '+', '-' or '.', then "://", then userinfo "user:password" before the
// authority's last '@', then a host (a name, an IPv4 address or an IPv6
// address in brackets) and maybe a port. The password is not empty and is
// no placeholder: a variable or template (${DB_PASSWORD}, $PW, %(pw)s,
// {{ .Password }}, <password>), one character repeated (****, xxxx), or a
// word that stands for one (password, secret, changeme, pass, …).
//
// Confidence: High in a record (a log line with its time, a database
// value, a history's command, a credentials store's line: Input.Kind) or
// under a key of configuration or structured text; Medium elsewhere; Low
// for a local or example host (localhost, 127.0.0.1, example.com), a
// password equal to the user name
// (guest:guest, postgres:postgres: a default), in a sentence of a field or
// after example words.
//
// Match.Value is the URL up to the host and port with the password
// replaced by "***" (postgres://app:***@db:5432): no output, log or
// report ever holds the password, with --show-values either.
type urlCredentials struct {
	boost, against *WordSet
	localLabels    []string
}

// NewURLCredentials returns the URL credentials detector (id
// "url_credentials").
func NewURLCredentials() Detector {
	return &urlCredentials{
		boost:       NewWordSet("url", "uri", "dsn", "connection", "connect", "connecting", "database", "db", "password", "passord", "broker", "endpoint"),
		against:     NewWordSet("example", "eksempel", "exempel", "sample", "template"),
		localLabels: []string{LabelTestData},
	}
}

func (*urlCredentials) ID() string         { return "url_credentials" }
func (*urlCredentials) Category() Category { return Credentials }
func (*urlCredentials) Description() string {
	return "Passwords in URLs (RFC 3986 userinfo: scheme://user:password@host), not placeholders, variables " +
		"or templates; High in log records and configuration values, Low for local or example hosts and default " +
		"user-as-password; the value is reported with the password replaced by ***"
}

func (d *urlCredentials) ContextWords() []string { return sortedContextWords(d.boost) }

// urlMaxAuthority bounds the bytes read after "://" for the userinfo and
// host, urlMaxScheme those of the scheme ("mongodb+srv", "postgresql",
// "chrome-extension").
const (
	urlMaxAuthority = 256
	urlMaxScheme    = 16
)

// Find reports the passwords of URLs in in.Buf. Candidates are the '@'
// bytes (bytes.IndexByte: a log has few, its e-mail addresses'), each
// read back over the URL's userinfo to the "://" before it.
func (d *urlCredentials) Find(in *Input, emit func(Match)) {
	b := in.Buf
	next := 0 // where the last URL reported ended
	for at := bytes.IndexByte(b, '@'); at >= 0; {
		if at >= next {
			i := at - 1
			for i >= 0 && at-i <= urlMaxAuthority && !urlAuthorityEnd(b[i]) {
				i--
			}
			if i >= 2 && b[i] == '/' && b[i-1] == '/' && b[i-2] == ':' && i-2 >= next {
				if end := d.check(in, i-2, emit); end > 0 {
					next = end
				}
			}
		}
		j := bytes.IndexByte(b[at+1:], '@')
		if j < 0 {
			break
		}
		at += 1 + j
	}
}

// check reads the URL whose "://" is at b[c:], and reports its password;
// it returns the URL's end up to its host and port, or 0.
func (d *urlCredentials) check(in *Input, c int, emit func(Match)) int {
	b := in.Buf
	// The scheme: a letter, then letters, digits, '+', '-', '.', at most
	// urlMaxScheme of them after a byte that is none of those (text
	// whose spaces were lost, as a PDF's can be, runs words into it:
	// "reachedviahttps://").
	s := c
	for s > 0 && c-s <= urlMaxScheme && urlSchemeByte(b[s-1]) {
		s--
	}
	if c-s > urlMaxScheme || s == c || !isLetter(b[s]) {
		return 0
	}
	// The authority: up to '/', '?', '#', a space, a quote or '<', '>'.
	a := c + 3
	e := a
	for e < len(b) && e-a < urlMaxAuthority && !urlAuthorityEnd(b[e]) {
		e++
	}
	for e > a && b[e-1] == '.' {
		e-- // a sentence's full stop
	}
	at := bytes.LastIndexByte(b[a:e], '@')
	if at < 0 {
		return 0
	}
	at += a
	colon := bytes.IndexByte(b[a:at], ':')
	if colon < 0 {
		return 0 // a user without a password
	}
	colon += a
	user, pass, host := b[a:colon], b[colon+1:at], b[at+1:e]
	// An '@' in the user name is no URL's (RFC 3986 escapes it: %40).
	if len(pass) == 0 || !urlPrintable(user) || bytes.IndexByte(user, '@') >= 0 || !urlPrintable(pass) ||
		!urlHostPort(host) || urlPlaceholder(pass) {
		return 0
	}
	conf := Medium
	var labels []string
	switch {
	case urlLocalHost(host) || bytes.EqualFold(user, pass):
		conf, labels = Low, d.localLabels
	case in.InProse(s, e) || in.ExampleBefore(s) || in.Context(s, d.boost, d.against) == Against:
		conf = Low
	case in.Kind == History || in.Kind == CredentialStore || in.InRecord(s, e) || in.KeyAt != nil && in.KeyAt(s) != "":
		conf = High // a log record, or a value under a key of configuration
	}
	value := make([]byte, 0, e-s)
	value = append(value, b[s:colon+1]...)
	value = append(value, "***"...)
	value = append(value, b[at:e]...)
	emit(Match{Detector: d.ID(), Category: Credentials, Start: s, End: e, Value: in.valueString(value), Confidence: conf, Labels: labels, Secret: SecretHash(pass)})
	return e
}

// urlSchemeByte reports whether c can be in a URL's scheme.
func urlSchemeByte(c byte) bool {
	return isLetter(c) || IsDigit(c) || c == '+' || c == '-' || c == '.'
}

// lowerASCII appends b to dst with its ASCII letters in lower case.
func lowerASCII(dst, b []byte) []byte {
	for _, c := range b {
		if c >= 'A' && c <= 'Z' {
			c += 'a' - 'A'
		}
		dst = append(dst, c)
	}
	return dst
}

func isHex(c byte) bool { return IsDigit(c) || c|0x20 >= 'a' && c|0x20 <= 'f' }

// urlAuthorityEnd reports whether c ends a URL's authority (or the URL).
func urlAuthorityEnd(c byte) bool {
	switch c {
	case '/', '?', '#', ' ', '\t', '\n', '\r', '"', '\'', '`', '<', '>', '\\', ',', ';', ')':
		return true
	}
	return c < 0x20
}

// urlHostPort reports whether h is a host and maybe a port: a name or an IPv4
// address of letters, digits, '.', '-' and '_', or an IPv6 address in
// brackets.
func urlHostPort(h []byte) bool {
	if i := bytes.LastIndexByte(h, ':'); i >= 0 && (len(h) == 0 || h[0] != '[' || bytes.IndexByte(h[i:], ']') < 0) {
		port := h[i+1:]
		if len(port) == 0 || len(port) > 5 || !AllDigits(port) {
			return false
		}
		h = h[:i]
	}
	if len(h) == 0 {
		return false
	}
	if h[0] == '[' {
		// An IPv6 address (with a zone, maybe): hex digits, ':', '.'
		// and '%' and the zone's letters.
		if len(h) < 3 || h[len(h)-1] != ']' {
			return false
		}
		for _, c := range h[1 : len(h)-1] {
			if c >= 0x80 || !IsAlnum(c) && c != ':' && c != '.' && c != '%' {
				return false
			}
		}
		return true
	}
	if !IsAlnum(h[0]) {
		return false
	}
	for _, c := range h {
		if c >= 0x80 || !IsAlnum(c) && c != '.' && c != '-' && c != '_' {
			return false
		}
	}
	return true
}

// urlPrintable reports whether b is printable ASCII without spaces, as a
// URL's user name and password are (others are percent-escaped).
func urlPrintable(b []byte) bool {
	return inlinePrintable(b) && bytes.IndexByte(b, ' ') < 0
}

// urlLocalHost reports whether the host (and port) h is this machine's or
// an example's: localhost, 127.x.x.x, [::1], 0.0.0.0, example.com, .org,
// .net, and names under .example, .test, .invalid and .localhost.
func urlLocalHost(h []byte) bool {
	if i := bytes.LastIndexByte(h, ':'); i >= 0 && h[0] != '[' {
		h = h[:i]
	}
	if len(h) == len(urlLocalhost) && equalFold(h, urlLocalhost) || string(h) == "[::1]" || string(h) == "0.0.0.0" || bytes.HasPrefix(h, []byte("127.")) {
		return true
	}
	for _, suffix := range urlExampleSuffixes {
		n := len(h) - len(suffix)
		if n >= 0 && equalFold(h[n:], suffix) && (n == 0 || suffix[0] == '.' || h[n-1] == '.') {
			return true
		}
	}
	return false
}

// urlLocalhost is this machine's name; urlExampleSuffixes end the names
// of example hosts (RFC 2606, RFC 6761). Lower case.
var urlLocalhost = []byte("localhost")

var urlExampleSuffixes = [][]byte{[]byte("example.com"), []byte("example.org"), []byte("example.net"),
	[]byte(".example"), []byte(".test"), []byte(".invalid"), []byte(".localhost")}

// urlPlaceholderWords are the passwords that stand for one in URLs of
// documentation and templates, besides credentialPlaceholders (those of
// configuration files), in lower case.
var urlPlaceholderWords = map[string]bool{
	"passwd": true, "pass": true, "pwd": true, "pw": true, "changeit": true, "foo": true, "bar": true,
	"foobar": true, "masked": true, "token": true, "pass123": true, "password123": true, "yourpass": true,
	"mypass": true, "pass1": true, "p": true,
}

// urlPlaceholderParts make a password a placeholder wherever they stand in
// it (your_password, db_secret), in lower case.
var urlPlaceholderParts = [][]byte{[]byte("password"), []byte("passwd"), []byte("secret")}

// urlPlaceholder reports whether a URL's password p is a placeholder: a
// variable or a template, one character repeated, or a word that stands
// for a password (credentialPlaceholders, urlPlaceholderWords and
// urlPlaceholderParts).
func urlPlaceholder(p []byte) bool {
	switch p[0] {
	case '$', '{', '<', '[', '*', '(':
		return true
	case '%': // %(pw)s, %s; not an escaped byte (%21)
		if len(p) < 3 || !isHex(p[1]) || !isHex(p[2]) {
			return true
		}
	}
	if bytes.Count(p, p[:1]) == len(p) {
		return true // ****, xxxx, ...
	}
	if len(p) <= 16 {
		var buf [16]byte
		l := lowerASCII(buf[:0], p)
		if urlPlaceholderWords[string(l)] || credentialPlaceholders[string(l)] {
			return true
		}
	}
	for _, k := range urlPlaceholderParts {
		if indexFold(p, k) >= 0 {
			return true
		}
	}
	return false
}

func (d *urlCredentials) Positives() []Example {
	return []Example{
		{Text: "2026-03-01T10:00:00 INFO connecting to postgres://app:S3cretPa55@db.internal:5432/shop", Want: "postgres://app:***@db.internal:5432", Note: "a log record: High"},
		{Text: "DATABASE_URL=mysql://root:hunter2x@10.0.0.5/prod", Want: "mysql://root:***@10.0.0.5", Note: "an environment file"},
		{Text: "broker: amqp://shop:Rabb1t-Q@mq.lillemini.no:5672/", Want: "amqp://shop:***@mq.lillemini.no:5672"},
		{Text: "cache=redis://:RedisPass99@cache:6379/0", Want: "redis://:***@cache:6379", Note: "no user name"},
		{Text: "uri mongodb+srv://kari:Fj0rd%21x@cluster0.abcd.mongodb.net/?retryWrites=true", Want: "mongodb+srv://kari:***@cluster0.abcd.mongodb.net"},
		{Text: "jdbc:postgresql://svc:pw-9f2k@[fd00::5]:5432/db", Want: "postgresql://svc:***@[fd00::5]:5432", Note: "an IPv6 host"},
		{Text: "amqp://guest:guest@rabbit:5672/", Want: "amqp://guest:***@rabbit:5672", Note: "a default: Low"},
	}
}

func (d *urlCredentials) Negatives() []Example {
	return []Example{
		{Text: "postgres://app@db.internal:5432/shop", Note: "a user, no password"},
		{Text: "postgres://app:${DB_PASSWORD}@db:5432/shop", Note: "a variable"},
		{Text: "mysql://user:password@host/db", Note: "a placeholder word"},
		{Text: "redis://:****@cache:6379", Note: "masked"},
		{Text: "see https://www.lillemini.no/personvern", Note: "no userinfo"},
		{Text: "mailto:kari@firma.no and http://x.no/a@b", Note: "no '//' / the '@' is in the path"},
		{Text: "postgres://app:{{ .Values.db.password }}@db/shop", Note: "a template"},
		{Text: "ftp://anonymous:@ftp.example.org/", Note: "an empty password"},
	}
}
