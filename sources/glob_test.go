package sources

import (
	"errors"
	"strings"
	"testing"
	"unicode/utf8"
)

var globCases = []struct {
	pattern, name string
	want          bool
}{
	{"", "", true},
	{"", "a", false},
	{"a", "a", true},
	{"a", "b", false},
	{"*.log", "app.log", true},
	{"*.log", "logs/app.log", false},
	{"*.log", ".log", true},
	{"*.log", "app.log.1", false},
	{"*.log*", "app.log.1", true},
	{"app.log.?", "app.log.1", true},
	{"app.log.?", "app.log.12", false},
	{"?", "/", false},
	{"?", "ø", true},
	{"??", "ø", false},
	{"a*b", "ab", true},
	{"a*b", "axxb", true},
	{"a*b", "a/b", false},
	{"a*b*c", "abbbcbc", true},
	{"a*b*c", "abbbcbx", false},
	{"*x/*y", "x/x/y", false},
	{"*a/b*", "xa/bz", true},
	{"logs/*", "logs/a", true},
	{"logs/*", "logs/a/b", false},
	{"logs/**", "logs/a/b", true},
	{"logs/**", "logs", true},
	{"logs/**", "logs/", true},
	{"logs/**", "logsx", false},
	{"logs/***", "logs", true},
	{"logs/**", "other/logs/a", false},
	{"**", "", true},
	{"**", "a/b/c", true},
	{"**/x.log", "x.log", true},
	{"**/x.log", "a/b/x.log", true},
	{"**/x.log", "a/bx.log", false},
	{"**/x.log", "ax.log", false},
	{"a/**/b", "a/b", true},
	{"a/**/b", "a/x/y/b", true},
	{"a/**/b", "a/xb", false},
	{"a/**/b", "ab", false},
	{"a/**/b/**/c", "a/b/c", true},
	{"a/**/b/**/c", "a/x/b/y/b/z/c", true},
	{"a/**/b/**/c", "a/x/b/y/b/z/d", false},
	{"**/*.csv", "exports/2024/kunder.csv", true},
	{"**/*.csv", "kunder.csv", true},
	{"**/*.csv", "kunder.csv/x", false},
	{"a**b", "a/x/b", true},
	{"a**b", "ab", true},
	{"**.log", "x/y.log", true},
	{"file:exports/**", "file:exports/a/b.csv", true},
	{"file:exports/**", "file:exportsx/a", false},
	{"postgres://*/shop/public.customers.*", "postgres://db:5432/shop/public.customers.fnr", true},
	{"postgres://*/shop/public.customers.*", "postgres://db:5432/shop/public.orders.fnr", false},
	{"file:logs/access.log*", "file:logs/access.log.2.gz", true},
	{"file:logs/access.log*", "file:logs/sub/access.log", false},
	{"[abc]", "b", true},
	{"[abc]", "d", false},
	{"[a-c]x", "bx", true},
	{"[!a-c]x", "bx", false},
	{"[^a-c]x", "dx", true},
	{"[!a]", "/", false},
	{"[]]", "]", true},
	{"[]a]", "a", true},
	{"[!]]", "]", false},
	{"[!]]", "x", true},
	{"[a-]", "-", true},
	{"[æøå]", "ø", true},
	{"[æøå]", "o", false},
	{"f[ø]dsel*", "fødselsnummer.csv", true},
	{`\*`, "*", true},
	{`\*`, "x", false},
	{`a\[b`, "a[b", true},
	{`[\]]`, "]", true},
	{`[\-a]`, "-", true},
	{"*", "", true},
	{"*", "a/b", false},
	{"*/*", "a/b", true},
	{"***", "a/b", true},
	{"a*", "aø", true},
	{"*?", "ø", true},
	{"*ø", "åø", true},
}

func TestMatchGlob(t *testing.T) {
	for _, c := range globCases {
		got, err := MatchGlob(c.pattern, c.name)
		if err != nil {
			t.Errorf("MatchGlob(%q, %q): %v", c.pattern, c.name, err)
			continue
		}
		if got != c.want {
			t.Errorf("MatchGlob(%q, %q) = %v, want %v", c.pattern, c.name, got, c.want)
		}
		if ref := refMatch(c.pattern, c.name); ref != c.want {
			t.Errorf("reference matcher disagrees with the table on (%q, %q)", c.pattern, c.name)
		}
		g, err := CompileGlob(c.pattern)
		if err != nil || g.Match(c.name) != c.want || g.String() != c.pattern {
			t.Errorf("CompileGlob(%q).Match(%q) disagrees", c.pattern, c.name)
		}
	}
}

func TestValidateGlob(t *testing.T) {
	bad := []struct {
		pattern string
		offset  int
		msg     string
	}{
		{"[", 0, "unclosed"},
		{"a[b", 1, "unclosed"},
		{"[]", 0, "unclosed"},
		{"[!]", 0, "unclosed"},
		{`a\`, 1, "trailing"},
		{`[a\`, 2, "trailing"},
		{"[z-a]", 2, "reversed"},
	}
	for _, c := range bad {
		err := ValidateGlob(c.pattern)
		var ge *GlobError
		if !errors.As(err, &ge) {
			t.Errorf("ValidateGlob(%q) = %v, want a *GlobError", c.pattern, err)
			continue
		}
		if ge.Offset != c.offset || !strings.Contains(err.Error(), c.msg) || !strings.Contains(err.Error(), c.pattern) {
			t.Errorf("ValidateGlob(%q) = %v (offset %d), want offset %d and %q", c.pattern, err, ge.Offset, c.offset, c.msg)
		}
		if _, err := MatchGlob(c.pattern, "anything"); err == nil {
			t.Errorf("MatchGlob(%q) accepted a bad pattern", c.pattern)
		}
		if _, err := CompileGlob(c.pattern); err == nil {
			t.Errorf("CompileGlob(%q) accepted a bad pattern", c.pattern)
		}
	}
	for _, p := range []string{"", "**/*.csv", "[]a]", "[a-]", `\[`, "[!a-z0-9_]", "ø*"} {
		if err := ValidateGlob(p); err != nil {
			t.Errorf("ValidateGlob(%q) = %v", p, err)
		}
	}
}

// refMatch is an obviously correct, exponential matcher written straight
// from the syntax description, for cross-checking matchGlob.
func refMatch(p, s string) bool { return ref(p, s, true) }

func ref(p, s string, atElem bool) bool {
	if p == "" {
		return s == ""
	}
	switch p[0] {
	case '*':
		if len(p) > 1 && p[1] == '*' {
			q := strings.TrimLeft(p, "*")
			if atElem && strings.HasPrefix(q, "/") {
				rest := q[1:]
				if ref(rest, s, true) {
					return true
				}
				for i := 0; i < len(s); i++ {
					if s[i] == '/' && ref(rest, s[i+1:], true) {
						return true
					}
				}
				return false
			}
			for _, i := range boundaries(s) {
				if ref(q, s[i:], false) {
					return true
				}
			}
			return false
		}
		for _, i := range boundaries(s) {
			if i > 0 && s[i-1] == '/' {
				return false
			}
			if ref(p[1:], s[i:], false) {
				return true
			}
		}
		return false
	case '?':
		if s == "" || s[0] == '/' {
			return false
		}
		_, w := utf8.DecodeRuneInString(s)
		return ref(p[1:], s[w:], false)
	case '[':
		if s == "" || s[0] == '/' {
			return false
		}
		r, w := utf8.DecodeRuneInString(s)
		ok, n := matchClass(p, 0, r)
		return ok && ref(p[n:], s[w:], false)
	case '\\':
		_, w := utf8.DecodeRuneInString(p[1:])
		return strings.HasPrefix(s, p[1:1+w]) && ref(p[1+w:], s[w:], p[1] == '/')
	case '/':
		if s == "" && len(p) >= 3 && strings.TrimLeft(p[1:], "*") == "" {
			return true
		}
	}
	return s != "" && s[0] == p[0] && ref(p[1:], s[1:], p[0] == '/')
}

// boundaries returns the offsets between the characters of s, as decoding
// it rune by rune (an invalid byte being one character) gives them.
func boundaries(s string) []int {
	b := []int{0}
	for i := 0; i < len(s); {
		_, w := utf8.DecodeRuneInString(s[i:])
		i += w
		b = append(b, i)
	}
	return b
}

func FuzzMatchGlob(f *testing.F) {
	for _, c := range globCases {
		f.Add(c.pattern, c.name)
	}
	f.Add("a/**/b/*/c", "a/x/b/y/c")
	f.Add("**/[a-c]?*", "z/bqq")
	f.Fuzz(func(t *testing.T, pattern, name string) {
		if len(pattern) > 24 || len(name) > 48 {
			return // keep the exponential reference quick
		}
		got, err := MatchGlob(pattern, name)
		if err != nil {
			if ValidateGlob(pattern) == nil {
				t.Fatalf("MatchGlob error %v for a valid pattern", err)
			}
			return
		}
		if !utf8.ValidString(pattern) || !utf8.ValidString(name) {
			return // defined for UTF-8 only; it must merely not crash
		}
		if want := refMatch(pattern, name); got != want {
			t.Fatalf("MatchGlob(%q, %q) = %v, reference says %v", pattern, name, got, want)
		}
	})
}

func BenchmarkMatchGlob(b *testing.B) {
	g, err := CompileGlob("**/exports/**/*.csv")
	if err != nil {
		b.Fatal(err)
	}
	name := "srv/data/exports/2024/q1/kunder-2024-01-01.csv"
	b.ReportAllocs()
	for b.Loop() {
		if !g.Match(name) {
			b.Fatal("no match")
		}
	}
}
