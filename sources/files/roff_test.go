package files

import (
	"context"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"strings"
	"testing"

	"github.com/piimap/piimap/sources"
)

func roffString(t testing.TB, r io.Reader) string {
	t.Helper()
	return convString(t, RoffText, r)
}

func TestRoffText(t *testing.T) {
	for in, want := range map[string]string{
		// What escapes split is whole again.
		"Karel Zak <kzak\\(atredhat.com>\n":                   "Karel Zak <kzak@redhat.com>\n",
		"matthias@tenstral\\&.net\n":                          "matthias@tenstral.net\n",
		"Send bug reports to <socat@dest\\-unreach\\&.org>\n": "Send bug reports to <socat@dest-unreach.org>\n",
		"\\fBkari\\fR@\\fIexample.no\\fP\n":                   "kari@example.no\n",
		"tlf\\ 912\\ 34\\ 567\n":                              "tlf 912 34 567\n",
		"\\[u00F8]ystein\\[at]example.no \\(lqx\\(rq\n":       "øystein@example.no \"x\"\n",
		"\\f(CWcode\\f[] \\s-2small\\s0 \\s+2big\\s[12]x\n":   "code small bigx\n",
		"\\*(lqquoted\\*(rq \\*R \\n(.l \\n[reg]end\n":        "quoted   end\n",
		"a\\h'1m'b\\N'64'c\\v'-1'd\n":                         "ab@cd\n",
		"text \\\" a comment kari@example.no\n":               "text   a comment kari@example.no\n",
		// Macros: their arguments are text; alternating fonts join them.
		".TH FINDMNT 8 \"March 2023\" util-linux\n": "FINDMNT 8 March 2023 util-linux\n",
		".SH AUTHORS\n":              "AUTHORS\n",
		".BR kari@ example.no\n":     "kari@example.no\n",
		".B \"Kari Nordmann\"\n":     "Kari Nordmann\n",
		".IP \"say \"\"hi\"\"\" 4\n": "say \"hi\" 4\n",
		".Mt kari@example.no\n":      "kari@example.no\n",
		// Comments are text; requests are not.
		".\\\" Copyright 2003 Kari <kari@example.no>\n": " Copyright 2003 Kari <kari@example.no>\n",
		"'\\\" t\n":                       " t\n",
		".ft B\n.sp 2\n.ds lq \\(lq\nx\n": "\n\n\nx\n",
		".\n":                             "\n",
		// Conditionals: their body is read, text or request.
		".if  !'po4a'hide' Colin Watson (cjwatson@debian.org).\n": "Colin Watson (cjwatson@debian.org).\n",
		".if n .B \"Kari Nordmann\"\n":                            "Kari Nordmann\n",
		".if n .ds lq \"\"\n.ie \\n(.g x\n.el \\{ y\n":            "\nx\ny\n",
		// A line that only looks like a request in the middle of a line.
		"a.b 'c\n": "a.b 'c\n",
		"end\\":    "end",
	} {
		if got := roffString(t, strings.NewReader(in)); got != want {
			t.Errorf("%q:\n got %q\nwant %q", in, got, want)
		}
	}
}

// TestRoffLongLine: a line longer than the reader's buffer is read in
// parts, whole, and its parts after the first are text, not requests.
func TestRoffLongLine(t *testing.T) {
	long := strings.Repeat("x", textBufSize+100) + ".B not a macro\n.B macro\n"
	got := roffString(t, strings.NewReader(long))
	want := strings.Repeat("x", textBufSize+100) + ".B not a macro\nmacro\n"
	if got != want {
		t.Errorf("long line: got %d bytes ending %q", len(got), got[len(got)-30:])
	}
}

func FuzzRoffText(f *testing.F) {
	f.Add([]byte(".TH X 1\n.SH NAME\nx \\- y\n.BR a (1)\nkzak\\(atredhat.com \\fBb\\fR\n.\\\" c\n\\[u00F8]\\N'64'\\h'1'"))
	f.Add([]byte("\\(a\\[\\s\\*\\n\\f\\h'\\"))
	f.Fuzz(func(t *testing.T, b []byte) { checkConverter(t, RoffText, b) })
}

func TestSniffRoff(t *testing.T) {
	for head, want := range map[string]bool{
		".\\\" Man page for x\n.TH X 1\n": true, "'\\\" t\n.TH X 1\n": true, ".TH LS 1 \"2023\"\n": true,
		".Dd $Mdocdate$\n.Dt LS 1\n": true, "\n\n.so man3/x.3\n": true,
		".gitignore contents\n": false, "...\n": false, "Text .TH in a line\n": false,
	} {
		if got := looksLikeRoff([]byte(head)); got != want {
			t.Errorf("looksLikeRoff(%q) = %v, want %v", head, got, want)
		}
	}
}

// TestConvertedFileAllocs: a Reader reading man pages and HTML pages one
// after another converts each through the buffers it keeps (textConvBufs),
// not through an output buffer grown anew for every file: a tree of small
// files (/usr/share/man) spent a tenth of its time growing and clearing
// them.
func TestConvertedFileAllocs(t *testing.T) {
	if raceEnabled {
		t.Skip("the race detector's sync.Pool drops buffers at random")
	}
	// No collection while counting: it empties the pools.
	defer debug.SetGCPercent(debug.SetGCPercent(-1))
	dir := t.TempDir()
	var page strings.Builder
	page.WriteString(".TH LS 1\n.SH NAME\nls \\- list directory contents\n")
	for i := range 400 {
		fmt.Fprintf(&page, ".TP\n\\fB\\-%d\\fR\nline %d of the page, with words enough to fill it.\n", i, i)
	}
	html := "<html><body>" + strings.Repeat("<p>a paragraph of the page, with words enough to fill it.</p>\n", 400) + "</body></html>"
	for name, text := range map[string]string{"ls.1": page.String(), "side.html": html} {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
		rd := NewReader(sources.Options{}, nil)
		sink := &countSink{}
		read := func() {
			if err := rd.ReadFile(context.Background(), p, sources.Location{Path: name}, sink); err != nil {
				t.Fatal(err)
			}
		}
		read() // the pools fill
		// The least of three rounds: on a loaded machine the goroutine
		// moves between Ps, and each pool miss costs 2 KiB a file.
		perFile := uint64(math.MaxUint64)
		for range 3 {
			var before, after runtime.MemStats
			runtime.ReadMemStats(&before)
			const n = 50
			for range n {
				read()
			}
			runtime.ReadMemStats(&after)
			perFile = min(perFile, (after.TotalAlloc-before.TotalAlloc)/n)
		}
		// The page's text is about 30 KiB. With an output buffer grown
		// from nothing for each file, 34 KiB were allocated per file;
		// with the kept one, under 1 KiB.
		if perFile > 8<<10 {
			t.Errorf("%s: %d bytes allocated per file, want at most %d", name, perFile, 8<<10)
		}
		if len(sink.failed) > 0 {
			t.Fatal(sink.failed)
		}
	}
}
