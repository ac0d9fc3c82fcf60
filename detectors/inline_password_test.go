package detectors

import (
	"strings"
	"testing"
)

func TestInlinePasswordCases(t *testing.T) {
	d := NewInlinePassword()
	genericCheckCases(t, d, []genericCase{
		{text: "2026-03-01T10:00:00 WARN login failed user=kari password=Hemmelig123 ip=10.0.0.5", want: "password=***", conf: High},
		{text: "2026-03-01T10:00:00 smtp: auth with SMTP_PASSWORD=\"pa55-Wd x\" ok", want: "SMTP_PASSWORD=\"***\"", conf: High},
		{text: "2026-03-01T10:00:00 for example password=Hemmelig123", want: "password=***", conf: Low},
		// Outside a log record: nothing.
		{text: "run: mysql -u root --password=S3cr3t-Db shop"},
		{text: "passord: Fjord-Hest-42"},
		// Not passwords: placeholders, variables, words, paths, URLs,
		// keys about passwords, no separator, a time's colon.
		{text: "password=${DB_PASSWORD}"},
		{text: "password='<your password>'"},
		{text: "password: ********"},
		{text: "password=changeme"},
		{text: "password=/run/secrets/db"},
		{text: "password: https://lillemini.no/reset"},
		{text: "passwd: files systemd"},
		{text: "password_min_length=12"},
		{text: "showPassword=true"},
		{text: "the password is wrong"},
		{text: "at 10:00 password:12"},
		{text: "xpassword=Hemmelig123"},
		{text: "password="},
		{text: "password=\"unterminated"},
		// A document on one line (escaped line breaks): no log record.
		{text: "2026-03-01T10:00:00 " + strings.Repeat("x", 3000) + " password=Hemmelig123"},
		{text: "2026-03-01T10:00:00 dump \\nuserPassword: S3cr3t9x\\n", want: "userPassword: ***", conf: High},
	})
	// Structured text reports its values under their key paths: not here.
	var in Input
	in.Reset([]byte("password=Hemmelig123"), "notes")
	n := 0
	d.Find(&in, func(Match) { n++ })
	if n != 0 {
		t.Errorf("a column's value: %d matches, want none (column_name reports it)", n)
	}
}

// TestInlinePasswordNeverThePassword: no value, and no masked value,
// holds the password (checkRedacted).
func TestInlinePasswordNeverThePassword(t *testing.T) {
	const pw = "Vk7-qQ2xZ!r"
	checkRedacted(t, NewInlinePassword(), pw, []string{
		"10:00:00 password=" + pw,
		"2026-03-01T10:00:00 db_passwd: " + pw + " user=x",
		`10:00:00 {"pwd":"` + pw + `"}`,
		"10:00:00 --password='" + pw + "'",
		"10:00:00 PASSWORD=" + pw + ";next",
	})
}

func TestInlinePasswordZeroAllocsOnRejected(t *testing.T) {
	genericZeroAllocs(t, NewInlinePassword(), "2026-03-01T10:00:00 INFO order total=2749.59 ref=69095392174 key=user:79743 "+
		"10:00:00 a=b c:d http://x.no/?q=1&r=2 word: other")
}

// FuzzInlinePassword: see fuzzRedacted.
func FuzzInlinePassword(f *testing.F) {
	fuzzRedacted(f, NewInlinePassword(), `10:00:00 password="" pwd='x' passwd: a b passord=x&y DB_PASSWORD: "q`)
}

func BenchmarkInlinePassword(b *testing.B) { genericBench(b, NewInlinePassword()) }
