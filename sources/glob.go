package sources

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

// Glob syntax, used by --include/--exclude and by declaration `where` globs.
// Names are slash-separated.
//
//	**      any sequence of characters, '/' included. Written as a whole
//	        path element ("**/x", "a/**/b", "a/**") it stands for zero or
//	        more whole elements: "**/x.log" matches "x.log" and "a/b/x.log"
//	        but not "ax.log"; "a/**/b" matches "a/b"; "a/**" matches "a"
//	        and everything below it.
//	*       any sequence of characters except '/'
//	?       one character (rune) except '/'
//	[abc]   one character of the class; ranges "[a-z0-9]"; "[!…]" or "[^…]"
//	        negates; a ']' first in the class is literal ("[]x]"). A class
//	        never matches '/'.
//	\c      the character c literally (e.g. "\*", "\[").
//	c       any other character matches itself, byte for byte.
//
// Matching is case-sensitive and anchored at both ends. Patterns and names
// are UTF-8; with invalid UTF-8 the result is unspecified (but safe).

// GlobError describes a malformed glob.
type GlobError struct {
	Pattern string
	Offset  int // byte offset of the problem in Pattern
	Msg     string
}

func (e *GlobError) Error() string {
	return fmt.Sprintf("bad glob %q at offset %d: %s", e.Pattern, e.Offset, e.Msg)
}

// ValidateGlob reports whether pattern is well-formed, with an error that
// says what is wrong and where.
func ValidateGlob(pattern string) error {
	for i := 0; i < len(pattern); {
		switch pattern[i] {
		case '\\':
			if i+1 >= len(pattern) {
				return &GlobError{pattern, i, "trailing '\\' escapes nothing"}
			}
			_, w := utf8.DecodeRuneInString(pattern[i+1:])
			i += 1 + w
		case '[':
			n, err := classLen(pattern, i)
			if err != nil {
				return err
			}
			i += n
		default:
			i++
		}
	}
	return nil
}

// classLen returns the length in bytes of the class that starts at p[start]
// ('['), or an error.
func classLen(p string, start int) (int, error) {
	i := start + 1
	if i < len(p) && (p[i] == '!' || p[i] == '^') {
		i++
	}
	first := true
	for {
		if i >= len(p) {
			return 0, &GlobError{p, start, "unclosed '['"}
		}
		if p[i] == ']' && !first {
			return i + 1 - start, nil
		}
		first = false
		lo, w, err := classChar(p, i)
		if err != nil {
			return 0, err
		}
		i += w
		if i+1 < len(p) && p[i] == '-' && p[i+1] != ']' {
			hi, w2, err := classChar(p, i+1)
			if err != nil {
				return 0, err
			}
			if hi < lo {
				return 0, &GlobError{p, i, fmt.Sprintf("range %q-%q is reversed", lo, hi)}
			}
			i += 1 + w2
		}
	}
}

// classChar decodes one (possibly escaped) character of a class at p[i].
func classChar(p string, i int) (rune, int, error) {
	if p[i] == '\\' {
		if i+1 >= len(p) {
			return 0, 0, &GlobError{p, i, "trailing '\\' escapes nothing"}
		}
		r, w := utf8.DecodeRuneInString(p[i+1:])
		return r, 1 + w, nil
	}
	r, w := utf8.DecodeRuneInString(p[i:])
	return r, w, nil
}

// MatchGlob reports whether name matches pattern (see the syntax above). The
// error is non-nil exactly when the pattern is malformed, whatever the name.
func MatchGlob(pattern, name string) (bool, error) {
	if err := ValidateGlob(pattern); err != nil {
		return false, err
	}
	return matchGlob(pattern, name), nil
}

// Glob is a validated pattern, for matching many names.
type Glob struct{ pattern string }

// CompileGlob validates pattern once.
func CompileGlob(pattern string) (Glob, error) {
	if err := ValidateGlob(pattern); err != nil {
		return Glob{}, err
	}
	return Glob{pattern}, nil
}

// Match reports whether name matches the glob.
func (g Glob) Match(name string) bool { return matchGlob(g.pattern, name) }

// String returns the pattern.
func (g Glob) String() string { return g.pattern }

// matchGlob matches a valid pattern without recursion or allocation. It keeps
// one backtrack point for the latest '*' and one for the latest '**': a later
// star of either kind makes the earlier '*' choices final (shortest match
// first is always safe, as a '*' cannot span a '/' that the pattern between
// would need), and a later '**' makes every earlier choice final. When the
// latest '*' cannot grow (it reached a '/'), the latest '**' grows instead.
func matchGlob(p, s string) bool {
	px, sx := 0, 0
	starP, starS := -1, 0 // latest '*': pattern resume index, name index
	dstarP, dstarS := -1, 0
	dstarSeg := false // the latest '**' was a whole path element ("**/")
	for {
		if px < len(p) {
			switch c := p[px]; c {
			case '*':
				if px+1 < len(p) && p[px+1] == '*' {
					q := px + 2
					for q < len(p) && p[q] == '*' {
						q++
					}
					seg := (px == 0 || p[px-1] == '/') && q < len(p) && p[q] == '/'
					if seg {
						q++
					}
					dstarP, dstarS, dstarSeg = q, sx, seg
					starP = -1
					px = q
					continue
				}
				starP, starS = px+1, sx
				px++
				continue
			case '?':
				if sx < len(s) && s[sx] != '/' {
					_, w := utf8.DecodeRuneInString(s[sx:])
					sx += w
					px++
					continue
				}
			case '[':
				if sx < len(s) && s[sx] != '/' {
					r, w := utf8.DecodeRuneInString(s[sx:])
					if ok, n := matchClass(p, px, r); ok {
						sx += w
						px += n
						continue
					}
				}
			case '\\':
				_, w := utf8.DecodeRuneInString(p[px+1:])
				if sx+w <= len(s) && s[sx:sx+w] == p[px+1:px+1+w] {
					sx += w
					px += 1 + w
					continue
				}
			default:
				if sx < len(s) && s[sx] == c {
					px++
					sx++
					continue
				}
				// "a/**" also matches "a".
				if c == '/' && sx == len(s) && len(p)-px >= 3 && strings.TrimLeft(p[px+1:], "*") == "" {
					return true
				}
			}
		} else if sx == len(s) {
			return true
		}
		// Mismatch: grow the latest '*', else the latest '**'.
		if starP >= 0 && starS < len(s) && s[starS] != '/' {
			_, w := utf8.DecodeRuneInString(s[starS:])
			starS += w
			px, sx = starP, starS
			continue
		}
		if dstarP >= 0 && dstarS < len(s) {
			if dstarSeg {
				i := strings.IndexByte(s[dstarS:], '/')
				if i < 0 {
					return false
				}
				dstarS += i + 1
			} else {
				_, w := utf8.DecodeRuneInString(s[dstarS:])
				dstarS += w
			}
			px, sx = dstarP, dstarS
			starP = -1
			continue
		}
		return false
	}
}

// matchClass matches r against the valid class at p[start] and returns the
// class length.
func matchClass(p string, start int, r rune) (bool, int) {
	i := start + 1
	neg := false
	if p[i] == '!' || p[i] == '^' {
		neg = true
		i++
	}
	match := false
	first := true
	for {
		if p[i] == ']' && !first {
			i++
			break
		}
		first = false
		lo, w, _ := classChar(p, i)
		i += w
		hi := lo
		if i+1 < len(p) && p[i] == '-' && p[i+1] != ']' {
			hi, w, _ = classChar(p, i+1)
			i += 1 + w
		}
		if lo <= r && r <= hi {
			match = true
		}
	}
	return match != neg, i - start
}
