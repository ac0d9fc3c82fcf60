package detectors

import (
	"strings"
	"testing"
)

func TestURLCredentialsCases(t *testing.T) {
	d := NewURLCredentials()
	genericCheckCases(t, d, []genericCase{
		// Records: a log line with its time, a configuration value.
		{text: "2026-03-01T10:00:00 INFO connecting to postgres://app:S3cretPa55@db.internal:5432/shop",
			want: "postgres://app:***@db.internal:5432", conf: High},
		{text: "postgres://app:S3cretPa55@db.internal/shop", key: "DATABASE_URL", want: "postgres://app:***@db.internal", conf: High},
		// Free text without a time: Medium.
		{text: "export DATABASE_URL=mysql://root:hunter2x@10.0.0.5/prod", want: "mysql://root:***@10.0.0.5", conf: Medium},
		{text: `db = connect("postgresql://svc:Fj0rd-42@pg.lillemini.no:5432/orders")`, want: "postgresql://svc:***@pg.lillemini.no:5432", conf: Medium},
		// Local and example hosts, defaults, examples: Low.
		{text: "2026-03-01T10:00:00 postgres://app:S3cretPa55@localhost:5432/shop", want: "postgres://app:***@localhost:5432", conf: Low, labels: []string{LabelTestData}},
		{text: "url: https://kari:Hemmelig9@api.example.com/v1", want: "https://kari:***@api.example.com", conf: Low, labels: []string{LabelTestData}},
		{text: "2026-03-01T10:00:00 amqp://guest:guest@rabbit:5672/", want: "amqp://guest:***@rabbit:5672", conf: Low, labels: []string{LabelTestData}},
		{text: "for example: redis://:Zq81wwPmKn@cache.prod:6379", want: "redis://:***@cache.prod:6379", conf: Low},
		// Percent escapes are a password's, not a placeholder's.
		{text: "mongodb://kari:%21Fj0rd%40@mongo1:27017", want: "mongodb://kari:***@mongo1:27017", conf: Medium},
		// Placeholders, templates, no password, no host.
		{text: "postgres://app:${DB_PASSWORD}@db/shop"},
		{text: "postgres://app:$PGPASS@db/shop"},
		{text: "postgres://app:%(password)s@db/shop"},
		{text: "postgres://app:<password>@db/shop"},
		{text: "postgres://app:your_password@db/shop"},
		{text: "postgres://app:changeme@db/shop"},
		{text: "postgres://app:xxxxxx@db/shop"},
		{text: "postgres://app@db/shop"},
		{text: "postgres://app:pw1@/shop"},
		{text: "postgres://app:pw1@db:port/shop"},
		{text: "http://x.no/path?a=b:c@d"},
		{text: "https://github.com/user/repo@v1.2.3"},
		{text: "git@github.com:piimap/piimap.git"},
		// Text whose spaces were lost; an '@' in the user.
		{text: "canbereachedviahttps://x41-dsec.deormailto:info@x41-dsec.de."},
		{text: "(postgres://a@u:sec:ret@h parses with port"},
		// A sentence's full stop is not the host's.
		{text: "see ftp://u:Pw9-x@files.lillemini.no.", want: "ftp://u:***@files.lillemini.no", conf: Medium},
	})
}

// TestURLCredentialsNeverTheirPassword: no value, and no masked value,
// holds the password, with any placement around it.
func TestURLCredentialsNeverTheirPassword(t *testing.T) {
	const pw = "Vk7-qQ2xZ!r"
	checkRedacted(t, NewURLCredentials(), pw, []string{
		"postgres://app:" + pw + "@db:5432/x",
		"2026-03-01T10:00:00 INFO dsn=mysql://root:" + pw + "@10.1.2.3 ok",
		"\"url\": \"redis://:" + pw + "@cache:6379/0\"",
		"(amqp://u:" + pw + "@mq)",
		"jdbc:postgresql://u:" + pw + "@[fd00::1]:5432/db;",
	})
}

// checkRedacted runs d, a credentials detector, over each text, which
// holds the password pw once: it must find one match, whose value and
// masked value hold no part of pw.
func checkRedacted(t *testing.T, d Detector, pw string, texts []string) {
	t.Helper()
	for _, text := range texts {
		ms := genericFind(d, text, "")
		if len(ms) != 1 {
			t.Errorf("%q: %d matches, want 1", text, len(ms))
			continue
		}
		genericCheckMatches(t, d, []byte(text), ms)
		if v := ms[0].Value; strings.Contains(v, pw[:4]) || strings.Contains(Mask(Credentials, v), pw[:4]) {
			t.Errorf("%q: value %q (masked %q) holds the password", text, v, Mask(Credentials, v))
		}
	}
}

func TestMaskURLCredentials(t *testing.T) {
	for v, want := range map[string]string{
		"postgres://app:***@db.internal:5432": "postgres://a***:***@db.internal:5432",
		"redis://:***@cache:6379":             "redis://:***@cache:6379",
		"not a url":                           "********",
		"password=***":                        "password=***",
	} {
		if got := Mask(Credentials, v); got != want {
			t.Errorf("Mask(%q) = %q, want %q", v, got, want)
		}
	}
}

func TestURLCredentialsZeroAllocsOnRejected(t *testing.T) {
	genericZeroAllocs(t, NewURLCredentials(), "2026-03-01T10:00:00 GET https://www.lillemini.no/handle?x=1 "+
		"postgres://app:${DB_PASSWORD}@db/shop postgres://app@db mysql://u:password@h git@github.com:a/b.git http://a:b@")
}

// FuzzURLCredentials: see fuzzRedacted.
func FuzzURLCredentials(f *testing.F) {
	fuzzRedacted(f, NewURLCredentials(), "a://b:c@d e://f:g@h:1 ://:@ x://:@: y://a:b@[:: z://a:b@c@d")
}

// fuzzRedacted checks that d, a credentials detector, never panics, that
// its matches lie in the buffer in order, and that a value is the match's
// bytes with the secret replaced by "***": what precedes it in the value
// starts them, what follows ends them, and no byte between is in it.
func fuzzRedacted(f *testing.F, d Detector, seeds ...string) {
	for _, ex := range append(d.Positives(), d.Negatives()...) {
		f.Add([]byte(ex.Text))
	}
	for _, s := range seeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		ms := genericFind(d, string(data), "")
		genericCheckMatches(t, d, data, ms)
		checkSecretReplaced(t, data, ms)
	})
}

// checkSecretReplaced fails unless each match's value is the text it
// spans with its secret (something) replaced by "***", at one of the
// value's "***" (a user name may be one too: A://***:pw@host).
func checkSecretReplaced(t *testing.T, data []byte, ms []Match) {
	t.Helper()
	for _, m := range ms {
		src := string(data[m.Start:m.End])
		ok := false
		for i := 0; !ok; i++ {
			k := strings.Index(m.Value[i:], "***")
			if k < 0 {
				break
			}
			i += k
			head, tail := m.Value[:i], m.Value[i+3:]
			ok = strings.HasPrefix(src, head) && strings.HasSuffix(src, tail) && len(head)+len(tail) < len(src)
		}
		if !ok {
			t.Fatalf("%q: value %q is not %q with its secret replaced by ***", data, m.Value, src)
		}
	}
}

func BenchmarkURLCredentials(b *testing.B) { genericBench(b, NewURLCredentials()) }
