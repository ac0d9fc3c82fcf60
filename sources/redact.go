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
		return redactLoose(target)
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

// redactLoose handles targets that are not well-formed URLs but may still
// carry credentials, such as a mistyped "smb:/user:pw@host/share": when the
// text starts like a URL scheme and has an '@', everything between the
// scheme and the last '@' is hidden.
func redactLoose(target string) string {
	at := strings.LastIndexByte(target, '@')
	colon := strings.IndexByte(target, ':')
	if at < 0 || colon <= 0 || colon > at {
		return target
	}
	for i := 0; i < colon; i++ {
		c := target[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || i > 0 && (c >= '0' && c <= '9' || c == '+' || c == '-' || c == '.')) {
			return target // a path such as "C:/x@y" or "logs/a:b@c"
		}
	}
	start := colon + 1
	for start < at && target[start] == '/' {
		start++
	}
	return target[:start] + "***" + target[at:]
}

// CleanTarget is a target as a location shows it: a URL without user,
// password, query or fragment, and without doubled or trailing slashes in
// its path ("postgres://u:pw@db:5432/shop?sslmode=disable" gives
// "postgres://db:5432/shop", "smb://host//files/" gives "smb://host/files");
// a path is returned redacted like Redact does.
func CleanTarget(target string) string {
	if !strings.Contains(target, "://") {
		return redactLoose(target)
	}
	u, err := url.Parse(target)
	if err != nil {
		return Redact(target)
	}
	p := u.Path
	for strings.Contains(p, "//") {
		p = strings.ReplaceAll(p, "//", "/")
	}
	p = strings.TrimSuffix(p, "/")
	return u.Scheme + "://" + u.Host + p
}
