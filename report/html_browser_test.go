//go:build unix

package report

import (
	"bytes"
	"context"
	"encoding/json"
	"image/png"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// chromiumFlags keep a headless Chromium quiet: no sandbox (tests run as
// root), no GPU, and none of the browser's own background requests.
var chromiumFlags = []string{
	"--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
	"--disable-background-networking", "--disable-component-update", "--disable-sync",
	"--disable-extensions", "--disable-default-apps", "--no-first-run", "--no-default-browser-check",
	"--metrics-recording-only", "--disable-features=NetworkTimeServiceQuerying,OptimizationHints,Translate,MediaRouter",
}

// findChromium returns the browser, or skips the test (fails it in CI).
func findChromium(t *testing.T) string {
	t.Helper()
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome", "headless_shell"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	if os.Getenv("CI") != "" || os.Getenv("PIIMAP_REQUIRE_SERVERS") != "" {
		t.Fatal("chromium is not installed (apt-get install chromium); required in CI")
	}
	t.Skip("chromium is not installed (apt-get install chromium)")
	return ""
}

// runChromium runs the browser with extra arguments in its own profile and
// returns its stdout; the whole process group is killed on timeout.
func runChromium(t *testing.T, bin, profile string, args ...string) []byte {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	all := append(slices.Clone(chromiumFlags), "--user-data-dir="+profile)
	cmd := exec.CommandContext(ctx, bin, append(all, args...)...)
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	cmd.Cancel = func() error { return syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL) }
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("chromium %v: %v\n%s", args, err, lastLines(stderr.String(), 20))
	}
	return stdout.Bytes()
}

func lastLines(s string, n int) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}

// pageRequests reads a Chromium net log and returns the URLs of requests
// started on behalf of a page (those with an initiator origin); the
// browser's own requests have the initiator "not an origin".
func pageRequests(t *testing.T, path string) []string {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var log struct {
		Constants struct {
			LogEventTypes map[string]int `json:"logEventTypes"`
		} `json:"constants"`
		Events []struct {
			Type   int            `json:"type"`
			Params map[string]any `json:"params"`
		} `json:"events"`
	}
	if err := json.Unmarshal(data, &log); err != nil {
		// Chromium may leave the closing brackets out when killed; it exits normally here.
		t.Fatalf("net log %s: %v", path, err)
	}
	start, ok := log.Constants.LogEventTypes["URL_REQUEST_START_JOB"]
	if !ok {
		t.Fatal("net log has no URL_REQUEST_START_JOB event type")
	}
	var urls []string
	for _, e := range log.Events {
		if e.Type != start {
			continue
		}
		u, _ := e.Params["url"].(string)
		initiator, _ := e.Params["initiator"].(string)
		if u != "" && initiator != "not an origin" {
			urls = append(urls, u)
		}
	}
	return urls
}

// selftestResult is what report.js writes into #selftest-result.
type selftestResult struct {
	Rows         int               `json:"rows"`
	Verdicts     map[string]int    `json:"verdicts"`
	Colors       map[string]string `json:"colors"`
	Term         string            `json:"term"`
	TermShown    int               `json:"termShown"`
	SortAsc      []int64           `json:"sortAsc"`
	SortAscAria  string            `json:"sortAscAria"`
	SortDesc     []int64           `json:"sortDesc"`
	SortDescAria string            `json:"sortDescAria"`
	AfterReset   int               `json:"afterReset"`
	Cells        int               `json:"cells"`
	Explained    []struct {
		Verdict string `json:"verdict"`
		Text    string `json:"text"`
		X, Y, H int
	} `json:"explained"`
	MapRows   []int    `json:"mapRows"`
	FirstRows []string `json:"firstRows"`
	CatHeads  []string `json:"catHeads"`
}

// TestHTMLInChromium loads the report in a real headless Chromium: the
// page's own script, on #selftest, filters by each verdict and by text and
// sorts by count through the page's controls, and writes the outcomes into
// the DOM, which the test reads from the dumped DOM. It also checks the map
// cells' colours, that the page made no request (from Chromium's net log,
// with a control page proving that the check sees requests), and saves a
// screenshot in the test's temp dir.
func TestHTMLInChromium(t *testing.T) {
	bin := findChromium(t)
	dir := t.TempDir()
	r := sampleReport(t, Options{})
	page := filepath.Join(dir, "report.html")
	if err := os.WriteFile(page, renderHTML(t, r), 0o600); err != nil {
		t.Fatal(err)
	}
	const term = "kunder.csv"
	pageURL := (&url.URL{Scheme: "file", Path: page, Fragment: "selftest=" + term}).String()
	netLog := filepath.Join(dir, "net.json")
	dom := runChromium(t, bin, filepath.Join(dir, "profile1"), "--log-net-log="+netLog, "--dump-dom", pageURL)

	doc := parseDOM(t, dom)
	res, ok := doc.byID("selftest-result")
	if !ok || strings.TrimSpace(res.text()) == "" {
		t.Fatalf("the page's self-test did not run (script blocked?):\n%s", lastLines(string(dom), 10))
	}
	var st selftestResult
	if err := json.Unmarshal([]byte(res.text()), &st); err != nil {
		t.Fatalf("self-test result %q: %v", res.text(), err)
	}
	t.Logf("self-test: %s", res.text())

	if st.Rows != len(r.Findings) || st.AfterReset != len(r.Findings) {
		t.Errorf("rows %d, after reset %d; want %d", st.Rows, st.AfterReset, len(r.Findings))
	}
	for _, v := range []string{Undeclared, Misplaced, Declared, Ignored} {
		if st.Verdicts[v] != r.Summary.Verdicts[v] {
			t.Errorf("filter %s shows %d rows, want %d", v, st.Verdicts[v], r.Summary.Verdicts[v])
		}
	}
	wantTerm := 0
	for _, f := range r.Findings {
		text := strings.ToLower(strings.Join([]string{f.Location, f.Category, f.Verdict, f.Reason, f.Confidence,
			strings.Join(f.Detectors, ", "), strings.Join(f.Examples, ", "), strings.Join(f.Labels, ", "), positions(f), f.Fingerprint}, " "))
		if strings.Contains(text, term) {
			wantTerm++
		}
	}
	if st.Term != term || st.TermShown != wantTerm || wantTerm == 0 {
		t.Errorf("text filter %q shows %d rows, want %d", st.Term, st.TermShown, wantTerm)
	}
	var counts []int64
	for _, f := range r.Findings {
		counts = append(counts, f.Count)
	}
	slices.Sort(counts)
	if !slices.Equal(st.SortAsc, counts) || st.SortAscAria != "ascending" {
		t.Errorf("sort by count (first click): %v %s, want %v ascending", st.SortAsc, st.SortAscAria, counts)
	}
	slices.Reverse(counts)
	if !slices.Equal(st.SortDesc, counts) || st.SortDescAria != "descending" {
		t.Errorf("sort by count (second click): %v %s, want %v descending", st.SortDesc, st.SortDescAria, counts)
	}
	// Computed colours of the map cells, as the CSS defines them.
	wantColor := map[string]string{Undeclared: "rgb(198, 40, 40)", Misplaced: "rgb(230, 81, 0)", Declared: "rgb(46, 125, 50)", Ignored: "rgb(141, 141, 141)"}
	for v, c := range wantColor {
		if st.Colors[v] != c {
			t.Errorf("%s cells are %q, want %q", v, st.Colors[v], c)
		}
	}
	_, groups := dataMap(r)
	cells := 0
	for _, g := range groups {
		for _, res := range g.Resources {
			for _, row := range append([]*mapRow{res}, res.Fields...) {
				for _, c := range row.Cells {
					if c.Verdict != "" {
						cells++
					}
				}
			}
		}
	}
	if st.Cells != cells || cells < len(r.Findings) {
		t.Errorf("%d coloured cells in the browser, want %d", st.Cells, cells)
	}
	// The dumped DOM has the grid with counts.
	var total int64
	for _, c := range doc.all("td", func(n domNode) bool { return n.hasClass("cell") && !n.hasClass("agg") }) {
		n, _ := c.attr("data-count")
		v, _ := strconv.ParseInt(n, 10, 64)
		total += v
	}
	if total == 0 {
		t.Error("no counts in the rendered grid")
	}

	// No request left the page.
	if reqs := pageRequests(t, netLog); len(reqs) > 0 {
		t.Errorf("the report made requests: %v", reqs)
	}
	// Control: a page that does load something is seen by the same check.
	control := filepath.Join(dir, "control.html")
	if err := os.WriteFile(control, []byte(`<!DOCTYPE html><title>control</title><img src="http://127.0.0.1:9/pixel.png">`), 0o600); err != nil {
		t.Fatal(err)
	}
	controlLog := filepath.Join(dir, "control-net.json")
	runChromium(t, bin, filepath.Join(dir, "profile2"), "--log-net-log="+controlLog, "--dump-dom", "file://"+control)
	if reqs := pageRequests(t, controlLog); !slices.ContainsFunc(reqs, func(u string) bool { return strings.Contains(u, "127.0.0.1:9/pixel.png") }) {
		t.Errorf("the net-log check does not see a page's request: %v", reqs)
	}

	// A screenshot for people (kept in the temp dir while the test runs).
	shot := filepath.Join(dir, "report.png")
	runChromium(t, bin, filepath.Join(dir, "profile3"), "--screenshot="+shot, "--window-size=1400,1000", "--hide-scrollbars", "file://"+page)
	f, err := os.Open(shot)
	if err != nil {
		t.Fatalf("no screenshot: %v", err)
	}
	defer f.Close()
	img, err := png.Decode(f)
	if err != nil {
		t.Fatalf("screenshot: %v", err)
	}
	b := img.Bounds()
	if b.Dx() != 1400 || b.Dy() != 1000 {
		t.Errorf("screenshot is %dx%d", b.Dx(), b.Dy())
	}
	colours := map[[3]uint32]bool{}
	for y := b.Min.Y; y < b.Max.Y; y += 7 {
		for x := b.Min.X; x < b.Max.X; x += 7 {
			cr, cg, cb, _ := img.At(x, y).RGBA()
			colours[[3]uint32{cr >> 8, cg >> 8, cb >> 8}] = true
		}
	}
	if len(colours) < 20 {
		t.Errorf("screenshot looks blank (%d colours)", len(colours))
	}
	t.Logf("screenshot: %s", shot)
}

// TestHTMLVerdictsExplainedInChromium renders an audit report (with a
// comparison with an earlier one) in headless Chromium and checks, from the
// page as the browser laid it out: the four verdicts explained in words in
// the summary, drawn where a screenshot shows each verdict's colour; the data
// map with readable category names and undeclared and misplaced rows first;
// the findings with those that fail the run first; and the comparison.
func TestHTMLVerdictsExplainedInChromium(t *testing.T) {
	bin := findChromium(t)
	dir := t.TempDir()
	r := sampleReport(t, Options{})
	older := sampleReport(t, Options{})
	older.Findings = older.Findings[1:]
	r.Comparison = Compare("audit-2025.json", older, "this scan", r)
	page := filepath.Join(dir, "audit.html")
	if err := os.WriteFile(page, renderHTML(t, r), 0o600); err != nil {
		t.Fatal(err)
	}
	pageURL := (&url.URL{Scheme: "file", Path: page, Fragment: "selftest"}).String()
	const size = "--window-size=1400,2400"
	dom := runChromium(t, bin, filepath.Join(dir, "p1"), size, "--dump-dom", pageURL)
	doc := parseDOM(t, dom)
	res, ok := doc.byID("selftest-result")
	if !ok || strings.TrimSpace(res.text()) == "" {
		t.Fatalf("self-test did not run:\n%s", lastLines(string(dom), 10))
	}
	var st selftestResult
	if err := json.Unmarshal([]byte(res.text()), &st); err != nil {
		t.Fatal(err)
	}
	// The verdicts in words, in order.
	order := []string{Undeclared, Misplaced, Declared, Ignored}
	if len(st.Explained) != 4 {
		t.Fatalf("%d verdict explanations: %+v", len(st.Explained), st.Explained)
	}
	for i, e := range st.Explained {
		if e.Verdict != order[i] || e.Text != VerdictExplanations[order[i]] || e.H == 0 {
			t.Errorf("explanation %d: %+v", i, e)
		}
	}
	// Readable category names head the map.
	if len(st.CatHeads) == 0 || st.CatHeads[0] != "National identity number" || slices.Contains(st.CatHeads, "") {
		t.Errorf("map headers %v", st.CatHeads)
	}
	// Undeclared and misplaced rows first within each source.
	last := -1
	for _, w := range st.MapRows {
		if w == -1 {
			last = -1
			continue
		}
		if w < last {
			t.Errorf("map rows out of order (worst verdicts %v)", st.MapRows)
			break
		}
		last = w
	}
	if len(st.MapRows) < 2 || st.MapRows[1] != 0 {
		t.Errorf("the first map row is not undeclared: %v", st.MapRows)
	}
	// Failing findings first, then by verdict.
	seenPass := false
	for _, v := range st.FirstRows {
		failing := strings.HasSuffix(v, "!")
		if failing && seenPass {
			t.Errorf("a failing finding after a passing one: %v", st.FirstRows)
			break
		}
		seenPass = seenPass || !failing
	}
	if len(st.FirstRows) != len(r.Findings) || !strings.HasSuffix(st.FirstRows[0], "!") {
		t.Errorf("findings order %v", st.FirstRows)
	}
	// The comparison: the finding the earlier audit lacked is new.
	cmp, ok := doc.byID("compare")
	if !ok || !strings.Contains(cmp.text(), "1 new") || !strings.Contains(cmp.text(), r.Comparison.Added[0].Location) {
		t.Errorf("comparison section missing or wrong")
	}

	// The screenshot shows each verdict's colour where its explanation is.
	shot := filepath.Join(dir, "audit.png")
	runChromium(t, bin, filepath.Join(dir, "p2"), size, "--screenshot="+shot, "--hide-scrollbars", pageURL)
	f, err := os.Open(shot)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	img, err := png.Decode(f)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string][3]uint32{Undeclared: {198, 40, 40}, Misplaced: {230, 81, 0}, Declared: {46, 125, 50}, Ignored: {141, 141, 141}}
	for _, e := range st.Explained {
		cr, cg, cb, _ := img.At(e.X, e.Y).RGBA()
		got := [3]uint32{cr >> 8, cg >> 8, cb >> 8}
		w := want[e.Verdict]
		for i := range 3 {
			if d := int(got[i]) - int(w[i]); d < -12 || d > 12 {
				t.Errorf("screenshot at the %s explanation (%d,%d) is %v, want %v", e.Verdict, e.X, e.Y, got, w)
				break
			}
		}
	}
	t.Logf("screenshot: %s", shot)
}
