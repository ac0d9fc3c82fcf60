package sources

import (
	"net/url"
	"strings"
)

// Redact returns target with any password removed: URLs keep their user and
// show "***" in place of the password; paths are returned unchanged. Use it
// for every target that reaches a log line, an error or a report.
func Redact(target string) string {
	if !strings.Contains(target, "://") {
		return target
	}
	u, err := url.Parse(target)
	if err != nil {
		// Unparseable: cut everything between "://" and the last "@".
		i := strings.Index(target, "://") + 3
		if at := strings.LastIndexByte(target, '@'); at > i {
			return target[:i] + "***" + target[at:]
		}
		return target
	}
	if u.User != nil {
		if _, has := u.User.Password(); has {
			u.User = url.UserPassword(u.User.Username(), "***")
		}
	}
	q := u.Query()
	changed := false
	for k := range q {
		switch strings.ToLower(k) {
		case "password", "pass", "pwd", "sslpassword":
			q.Set(k, "***")
			changed = true
		}
	}
	if changed {
		u.RawQuery = q.Encode()
	}
	s := u.String()
	return strings.Replace(s, "%2A%2A%2A", "***", -1)
}
