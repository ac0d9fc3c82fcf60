package detectors

import (
	"strings"
	"unicode/utf8"
)

// Mask hides most of a value so that a report shows its shape, never the
// value: "01019*****3", "o***@e***.no", "**** **** **** 1111".
func Mask(cat Category, value string) string {
	switch cat {
	case NationalID:
		return keepEnds(value, 5, 1)
	case BankAccount:
		// IBAN: the country stays ("NO*********47"); an account number
		// shows its last two digits only.
		if len(value) > 6 && value[0] >= 'A' && value[0] <= 'Z' && value[1] >= 'A' && value[1] <= 'Z' {
			return keepEnds(value, 2, 2)
		}
		return keepEnds(value, 0, 2)
	case PaymentCard:
		d := digitsOnly(value)
		if len(d) < 8 {
			return strings.Repeat("*", len(d))
		}
		return "**** **** **** " + d[len(d)-4:]
	case Email:
		at := strings.LastIndexByte(value, '@')
		if at < 0 {
			return keepEnds(value, 1, 0)
		}
		local, domain := value[:at], value[at+1:]
		dot := strings.LastIndexByte(domain, '.')
		tld := ""
		if dot >= 0 {
			tld, domain = domain[dot:], domain[:dot]
		}
		return firstRune(local) + "***@" + firstRune(domain) + "***" + tld
	case Phone:
		d := digitsOnly(value)
		if len(d) <= 2 {
			return "**"
		}
		prefix := ""
		if strings.HasPrefix(value, "+") {
			prefix = "+"
		}
		return prefix + strings.Repeat("*", len(d)-2) + d[len(d)-2:]
	case Credentials:
		// A URL's credentials (url_credentials), their password
		// already replaced: the scheme and host stay, the user name
		// shows its first character ("postgres://a***:***@db:5432");
		// a key and its replaced value (inline_password) stay.
		if i := strings.Index(value, "://"); i >= 0 {
			rest := value[i+3:]
			if c := strings.IndexByte(rest, ':'); c >= 0 {
				user := ""
				if c > 0 {
					user = firstRune(rest[:c]) + "***"
				}
				if at := strings.LastIndexByte(rest, '@'); at > c {
					return value[:i+3] + user + ":***" + rest[at:]
				}
			}
		}
		if strings.Contains(value, "***") {
			return value // inline_password's key=***: its detector left no secret in it
		}
		return strings.Repeat("*", min(utf8.RuneCountInString(value), 8))
	case DateOfBirth:
		// 1987-03-15 → 19**-**-**: the century stays.
		if len(value) == 10 && value[4] == '-' && value[7] == '-' {
			return value[:2] + "**-**-**"
		}
	case IPAddress:
		if strings.Contains(value, ":") {
			if i := strings.IndexByte(value, ':'); i >= 0 {
				return value[:i] + ":****:****"
			}
		}
		if i := strings.IndexByte(value, '.'); i >= 0 {
			return value[:i] + ".*.*.*"
		}
	}
	return keepEnds(value, 1, 0)
}

func keepEnds(s string, head, tail int) string {
	n := utf8.RuneCountInString(s)
	if n <= head+tail {
		return strings.Repeat("*", n)
	}
	r := []rune(s)
	return string(r[:head]) + strings.Repeat("*", n-head-tail) + string(r[n-tail:])
}

func firstRune(s string) string {
	_, n := utf8.DecodeRuneInString(s)
	return s[:n]
}

func digitsOnly(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if IsDigit(s[i]) {
			b.WriteByte(s[i])
		}
	}
	return b.String()
}
