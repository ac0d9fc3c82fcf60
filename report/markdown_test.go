package report

import (
	"bytes"
	"strings"
	"testing"
)

func TestMarkdownFailingFirst(t *testing.T) {
	r := sampleReport(t, Options{})
	var buf bytes.Buffer
	if err := RenderMarkdown(&buf, r); err != nil {
		t.Fatal(err)
	}
	md := buf.String()
	failing := strings.Index(md, "### Failing the run")
	details := strings.Index(md, "<details>")
	notFound := strings.Index(md, "### Declared but not found")
	unread := strings.Index(md, "### Could not read")
	if failing < 0 || details < 0 || notFound < 0 || unread < 0 {
		t.Fatalf("sections missing (failing %d, details %d, not found %d, unread %d):\n%s", failing, details, notFound, unread, md)
	}
	if !(failing < details && details < notFound && notFound < unread) {
		t.Errorf("sections out of order: failing %d, details %d, not found %d, unread %d", failing, details, notFound, unread)
	}
	// Every failing row is above <details>, with why it fails; every other below it.
	for _, line := range strings.Split(md, "\n") {
		if !strings.HasPrefix(line, "| ") || strings.HasPrefix(line, "| Location") {
			continue
		}
		pos := strings.Index(md, line)
		isFailing := strings.Contains(line, "| **FAIL ")
		isOther := !isFailing && pos < notFound
		if isFailing && !strings.Contains(line, "fails the run: ") {
			t.Errorf("failing row does not say why: %s", line)
		}
		switch {
		case isFailing && pos > details:
			t.Errorf("failing row inside <details>: %s", line)
		case isOther && (pos < details || pos > notFound):
			t.Errorf("declared/ignored row outside <details>: %s", line)
		}
	}
	counts := map[string]int{}
	for _, line := range strings.Split(md, "\n") {
		for _, v := range []string{Undeclared, Misplaced, Declared, Ignored} {
			if strings.HasPrefix(line, "| ") && (strings.Contains(line, "fails the run: "+v+" (") || strings.Contains(line, "does not fail: "+v+" (")) {
				counts[v]++
			}
		}
	}
	for _, v := range []string{Undeclared, Misplaced, Declared, Ignored} {
		if counts[v] != r.Summary.Verdicts[v] {
			t.Errorf("%d %s rows, want %d", counts[v], v, r.Summary.Verdicts[v])
		}
	}
	if !strings.Contains(md, "date\\_of\\_birth: §2: fødselsdato") {
		t.Errorf("not-found entry missing")
	}
	if !strings.Contains(md, "logs/old.log.gz | gzip: unexpected EOF") {
		t.Errorf("unreadable file missing")
	}
}

func TestMarkdownEscapes(t *testing.T) {
	for in, want := range map[string]string{
		"a|b":               `a\|b`,
		"**bold** _x_ `c`":  `\*\*bold\*\* \_x\_ \` + "`c\\`",
		"<script>":          `\<script\>`,
		"[x](http://e)":     `\[x\](http://e)`,
		"line\nbreak":       "line break",
		"@team":             "@\u200bteam",
		"&amp; $x$ ~~s~~":   `\&amp; \$x\$ \~\~s\~\~`,
		`back\slash`:        `back\\slash`,
		"file:logs/app.log": "file:logs/app.log",
	} {
		if got := mdText(in); got != want {
			t.Errorf("mdText(%q) = %q, want %q", in, got, want)
		}
	}
	r := sampleReport(t, Options{})
	var buf bytes.Buffer
	if err := RenderMarkdown(&buf, r); err != nil {
		t.Fatal(err)
	}
	for _, line := range strings.Split(buf.String(), "\n") {
		if strings.Contains(line, "alert(1)") {
			// 8 columns: 9 unescaped pipes.
			if n := strings.Count(line, "|") - strings.Count(line, `\|`); n != 9 {
				t.Errorf("row has %d cell separators: %s", n, line)
			}
			if strings.Contains(line, "<script>") {
				t.Errorf("raw HTML in row: %s", line)
			}
		}
	}
}

func TestMarkdownTruncates(t *testing.T) {
	r := sampleReport(t, Options{})
	f := r.Findings[0]
	f.Verdict = Undeclared
	r.Findings = nil
	for i := 0; i < MarkdownMaxRows+5; i++ {
		r.Findings = append(r.Findings, f)
	}
	var buf bytes.Buffer
	if err := RenderMarkdown(&buf, r); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(buf.String(), "| … and 5 more |") {
		t.Errorf("no truncation note")
	}
	if n := strings.Count(buf.String(), "| file:logs/app.log |"); n != MarkdownMaxRows {
		t.Errorf("%d rows, want %d", n, MarkdownMaxRows)
	}
}
