package declare

import (
	"bytes"
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"
)

// YAML renders the draft as a piimap.yaml: every declared category with the
// sentence that declares it as its note (further evidence as comments),
// then comments listing the categories the policy names without declaring
// them, and those it does not name at all. The document is valid YAML in
// the declaration format; every entry is meant to be reviewed.
func (r *Result) YAML() []byte {
	var b bytes.Buffer
	fmt.Fprintf(&b, "# Draft declaration made by `piimap declare` from: %s\n", comment(strings.Join(r.Sources, ", ")))
	b.WriteString("# Review every entry: the quoted sentence is why it was drafted.\n")
	for _, u := range r.Unread {
		fmt.Fprintf(&b, "# Could not read: %s\n", comment(u))
	}
	switch {
	case r.Organisation == "":
		b.WriteString("organisation: \"\"   # fill in\n")
	case r.Mentions == 1:
		fmt.Fprintf(&b, "organisation: %s   # named once in the policy: check\n", yamlQuote(r.Organisation))
	default:
		fmt.Fprintf(&b, "organisation: %s   # named %d times in the policy: check\n", yamlQuote(r.Organisation), r.Mentions)
	}
	declared := r.Declared()
	if len(declared) == 0 {
		b.WriteString("declared: {}   # the policy declares none of the categories the scanner knows\n")
	} else {
		b.WriteString("declared:\n")
		for _, c := range r.Categories {
			if !c.Declared {
				continue
			}
			fmt.Fprintf(&b, "  %s:\n", c.Category)
			fmt.Fprintf(&b, "    note: %s\n", yamlQuote(c.Evidence[0].String()))
			for _, e := range c.Evidence[1:] {
				fmt.Fprintf(&b, "    # also %s\n", comment(e.String()))
			}
		}
	}
	var mentioned []string
	for _, c := range r.Categories {
		if c.Declared || len(c.Mentions) == 0 {
			continue
		}
		e := c.Mentions[0]
		why := map[Reason]string{
			Negated:    "negated",
			Definition: "only in a definition of personal data",
			Mention:    "named, but not as something the organisation processes",
		}[e.Reason]
		mentioned = append(mentioned, fmt.Sprintf("#   %s: %s: %s", c.Category, why, comment(e.String())))
	}
	if len(mentioned) > 0 {
		b.WriteString("# Named in the policy but not drafted (check that this is right):\n")
		for _, m := range mentioned {
			b.WriteString(m)
			b.WriteByte('\n')
		}
	}
	if nm := r.NotMentioned(); len(nm) > 0 {
		names := make([]string, len(nm))
		for i, c := range nm {
			names[i] = string(c)
		}
		fmt.Fprintf(&b, "# Not mentioned in the policy (the scanner can find these): %s\n", strings.Join(names, ", "))
	}
	return b.Bytes()
}

// yamlPrintable reports runes YAML allows unescaped in a double-quoted
// scalar (YAML 1.2 §5.1 c-printable, minus the break and BOM characters).
func yamlPrintable(r rune) bool {
	switch {
	case r == '\t':
		return true
	case r >= 0x20 && r <= 0x7E:
		return true
	case r == 0x85 || r == 0x2028 || r == 0x2029 || r == 0xFEFF:
		return false
	case r >= 0xA0 && r <= 0xD7FF, r >= 0xE000 && r <= 0xFFFD, r >= 0x10000 && r <= 0x10FFFF:
		return true
	}
	return false
}

// yamlQuote writes s as a YAML double-quoted scalar.
func yamlQuote(s string) string {
	var b strings.Builder
	b.Grow(len(s) + 2)
	b.WriteByte('"')
	for i, r := range s {
		if r == utf8.RuneError {
			if _, size := utf8.DecodeRuneInString(s[i:]); size == 1 {
				b.WriteString(`\uFFFD`)
				continue
			}
		}
		switch {
		case r == '"':
			b.WriteString(`\"`)
		case r == '\\':
			b.WriteString(`\\`)
		case r == '\t':
			b.WriteString(`\t`)
		case yamlPrintable(r):
			b.WriteRune(r)
		case r <= 0xFFFF:
			fmt.Fprintf(&b, `\u%04X`, r)
		default:
			fmt.Fprintf(&b, `\U%08X`, r)
		}
	}
	b.WriteByte('"')
	return b.String()
}

// comment makes s safe inside a YAML comment: one line, printable.
func comment(s string) string {
	return strings.Map(func(r rune) rune {
		if r == utf8.RuneError || !yamlPrintable(r) || unicode.IsControl(r) {
			return ' '
		}
		return r
	}, s)
}
