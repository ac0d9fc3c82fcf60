package sources

import (
	"strings"
	"testing"
)

func TestRedact(t *testing.T) {
	cases := map[string]string{
		"postgres://scan:s3cret@db:5432/shop":              "postgres://scan:***@db:5432/shop",
		"mysql://root:p%40ss@127.0.0.1:3306/shop?tls=true": "mysql://root:***@127.0.0.1:3306/shop?tls=true",
		"postgres://db/shop?password=s3cret":               "postgres://db/shop?password=***",
		"smb://scan@host/share":                            "smb://scan@host/share",
		"testdata/demo":                                    "testdata/demo",
		"postgres://u:s3cret@[::1:5432/x":                  "postgres://***@[::1:5432/x",
		"smb:/scan:s3cret@host/share":                      "smb:/***@host/share",
		"mysql:u:s3cret@host":                              "mysql:***@host",
		"logs/user@host.log":                               "logs/user@host.log",
	}
	for in, want := range cases {
		got := Redact(in)
		if got != want {
			t.Errorf("Redact(%q) = %q, want %q", in, got, want)
		}
		if strings.Contains(got, "s3cret") || strings.Contains(got, "p%40ss") {
			t.Errorf("Redact(%q) leaks the password: %q", in, got)
		}
	}
}
