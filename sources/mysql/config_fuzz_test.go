package mysql

import (
	"net/url"
	"strings"
	"testing"
)

// FuzzConfig feeds arbitrary URLs to the URL-to-DSN conversion: it must not
// panic, and an error must never contain the password of the URL, nor the target
// (unless the host, port, database or a default happens to spell it).
func FuzzConfig(f *testing.F) {
	f.Add("mysql://scan:pw@db:3306/shop?tls=true")
	f.Add("mariadb://u:p%40ss@[::1]/x?socket=/tmp/s.sock&charset=utf8mb4")
	f.Add("mysql://u:secret@host:port/db")
	f.Add("mysql://u:secret@h/a/b?x=%zz")
	f.Fuzz(func(t *testing.T, raw string) {
		cfg, target, _, err := Config(raw)
		u, perr := url.Parse(raw)
		pw := ""
		if perr == nil && u.User != nil {
			pw, _ = u.User.Password()
		}
		if err != nil {
			if len(pw) >= 4 && strings.Contains(err.Error(), pw) {
				t.Fatalf("error %q contains the password", err)
			}
			return
		}
		if len(pw) >= 4 && strings.Contains(target, pw) && !strings.Contains(u.Host+u.Path+" :3306 localhost 127.0.0.1", pw) {
			t.Fatalf("target %q contains the password", target)
		}
		if cfg == nil {
			t.Fatal("nil config without error")
		}
	})
}
