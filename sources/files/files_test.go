package files

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/piimap/piimap/sources"
)

func TestWalkIncludeExclude(t *testing.T) {
	dir := t.TempDir()
	for _, rel := range []string{
		"app.log", "logs/app.log.1", "logs/2024/x.log", "exports/kunder.csv", "notes.txt",
		"node_modules/pkg/readme.log", "logs/.git/config", "deep/a/b/c/d.txt",
	} {
		write(t, dir, rel, []byte("content of "+rel+"\n"))
	}
	cases := []struct {
		name             string
		include, exclude []string
		want             []string
	}{
		{"all", nil, nil, []string{"app.log", "deep/a/b/c/d.txt", "exports/kunder.csv", "logs/.git/config", "logs/2024/x.log", "logs/app.log.1", "node_modules/pkg/readme.log", "notes.txt"}},
		{"base name glob at any depth", []string{"*.log"}, nil, []string{"app.log", "logs/2024/x.log", "node_modules/pkg/readme.log"}},
		{"rotated", []string{"*.log", "*.log.[0-9]"}, []string{"node_modules"}, []string{"app.log", "logs/2024/x.log", "logs/app.log.1"}},
		{"path glob", []string{"logs/**"}, []string{".git"}, []string{"logs/2024/x.log", "logs/app.log.1"}},
		{"exclude directory by path", nil, []string{"logs/**", "node_modules", "deep/*/b"}, []string{"app.log", "exports/kunder.csv", "notes.txt"}},
		{"relative path glob", []string{"exports/*.csv"}, nil, []string{"exports/kunder.csv"}},
		{"double star element", []string{"**/c/*.txt"}, nil, []string{"deep/a/b/c/d.txt"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			sink := scan(t, dir, sources.Options{Include: c.include, Exclude: c.exclude})
			if got := keys(sink.scanned); !slices.Equal(got, c.want) {
				t.Errorf("scanned %v\nwant %v", got, c.want)
			}
			for p, n := range sink.scanned {
				if want := int64(len("content of " + p + "\n")); n != want {
					t.Errorf("%s: scanned %d bytes, want %d", p, n, want)
				}
				if strings.HasSuffix(p, ".csv") {
					// A header and no rows: one column, no text.
					if len(sink.columns) != 1 || sink.columns[0].Loc.Field != "content of "+p {
						t.Errorf("%s: columns %v", p, sink.columns)
					}
					continue
				}
				if got := sink.text(p); got != "content of "+p+"\n" {
					t.Errorf("%s: text %q", p, got)
				}
			}
			if len(sink.skipped)+len(sink.failed) != 0 {
				t.Errorf("skipped %v failed %v", sink.skipped, sink.failed)
			}
		})
	}
}

func TestNewErrors(t *testing.T) {
	dir := t.TempDir()
	if _, err := New(filepath.Join(dir, "missing"), sources.Options{}, nil); err == nil || !strings.Contains(err.Error(), "missing") {
		t.Errorf("New on a missing root: %v", err)
	}
	_, err := New(dir, sources.Options{Include: []string{"[a"}}, nil)
	var ge *sources.GlobError
	if !errors.As(err, &ge) || !strings.Contains(err.Error(), "--include") {
		t.Errorf("New with a bad include glob: %v", err)
	}
	if _, err := New(dir, sources.Options{Exclude: []string{`x\`}}, nil); err == nil || !strings.Contains(err.Error(), "--exclude") {
		t.Errorf("New with a bad exclude glob: %v", err)
	}
}

func TestSingleFileRoot(t *testing.T) {
	dir := t.TempDir()
	write(t, dir, "sub/app.log", []byte("hello\n"))
	t.Chdir(dir)
	// The path as given, cleaned; filters do not apply to a named file.
	sink := scan(t, "./sub/../sub/app.log", sources.Options{Include: []string{"*.csv"}, Exclude: []string{"*.log"}})
	if got := keys(sink.scanned); !slices.Equal(got, []string{"sub/app.log"}) {
		t.Errorf("scanned %v", got)
	}
	if sink.text("sub/app.log") != "hello\n" {
		t.Errorf("text %q", sink.text("sub/app.log"))
	}
	abs := filepath.Join(dir, "sub", "app.log")
	sink = scan(t, abs, sources.Options{})
	if _, ok := sink.scanned[filepath.ToSlash(abs)]; !ok {
		t.Errorf("absolute root: scanned %v", keys(sink.scanned))
	}
}

// TestTargetPrefix: with WithTargetPrefix (several targets scanned
// together) a directory's files, failures, skips and names are located by
// the root as given and their path in it, and the filters match that path
// too; "." adds nothing, and a file root is its path as given either way.
func TestTargetPrefix(t *testing.T) {
	dir := t.TempDir()
	for _, p := range []string{"svc-a/logs/app.log", "svc-b/logs/app.log", "svc-b/skip.tmp"} {
		write(t, dir, p, []byte("hello\n"))
	}
	write(t, dir, "svc-a/big.log", []byte("hello, world\n"))
	t.Chdir(dir)
	opt := sources.Options{Exclude: []string{"svc-b/*.tmp"}, MaxFileSize: 10}
	a := scan(t, "svc-a/", opt, WithTargetPrefix())
	if got, want := keys(a.scanned), []string{"svc-a/logs/app.log"}; !slices.Equal(got, want) {
		t.Errorf("svc-a/: scanned %v, want %v", got, want)
	}
	if _, ok := a.skipped["svc-a/big.log"]; !ok || len(a.skipped) != 1 {
		t.Errorf("svc-a/: skipped %v, want svc-a/big.log", a.skipped)
	}
	opt.MaxFileSize = 0
	b := scan(t, "./svc-b", opt, WithTargetPrefix())
	if got, want := keys(b.scanned), []string{"svc-b/logs/app.log"}; !slices.Equal(got, want) {
		t.Errorf("./svc-b: scanned %v, want %v (the .tmp excluded by its located path)", got, want)
	}
	opt.Exclude = []string{"*.tmp"}
	abs := filepath.ToSlash(filepath.Join(dir, "svc-b"))
	if got, want := keys(scan(t, abs, opt, WithTargetPrefix()).scanned), []string{abs + "/logs/app.log"}; !slices.Equal(got, want) {
		t.Errorf("absolute root: scanned %v, want %v", got, want)
	}
	if got, want := keys(scan(t, "svc-b", opt).scanned), []string{"logs/app.log"}; !slices.Equal(got, want) {
		t.Errorf("without the option: scanned %v, want %v", got, want)
	}
	if got := keys(scan(t, ".", sources.Options{Include: []string{"app.log"}}, WithTargetPrefix()).scanned); !slices.Equal(got, []string{"svc-a/logs/app.log", "svc-b/logs/app.log"}) {
		t.Errorf(".: scanned %v", got)
	}
	if got := keys(scan(t, "svc-a/logs/app.log", sources.Options{}, WithTargetPrefix()).scanned); !slices.Equal(got, []string{"svc-a/logs/app.log"}) {
		t.Errorf("a file root: scanned %v", got)
	}
	src, err := New("svc-b", sources.Options{Names: true}, nil, WithTargetPrefix())
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	if err := src.Units(context.Background(), func(u sources.Unit) bool {
		if _, ok := u.(*sources.NamesUnit); ok {
			names = append(names, u.Location().String())
		}
		return true
	}); err != nil {
		t.Fatal(err)
	}
	if want := []string{"file:svc-b/logs/#(file names)", "file:svc-b/#(file names)"}; !slices.Equal(names, want) {
		t.Errorf("names units %q, want %q", names, want)
	}
}

func TestSymlinks(t *testing.T) {
	base := t.TempDir()
	outside := filepath.Join(base, "outside")
	root := filepath.Join(base, "root")
	write(t, outside, "secret.txt", []byte("outside\n"))
	write(t, root, "real/in.txt", []byte("inside\n"))
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(os.Symlink(filepath.Join(outside, "secret.txt"), filepath.Join(root, "out-file")))
	must(os.Symlink(outside, filepath.Join(root, "out-dir")))
	must(os.Symlink("real/in.txt", filepath.Join(root, "in-file")))
	must(os.Symlink("real", filepath.Join(root, "in-dir")))
	must(os.Symlink("nowhere", filepath.Join(root, "dangling")))
	must(os.Symlink("..", filepath.Join(root, "real", "loop")))
	must(os.Symlink(".", filepath.Join(outside, "self")))

	sink := scan(t, root, sources.Options{})
	if got := keys(sink.scanned); !slices.Equal(got, []string{"in-file", "real/in.txt"}) {
		t.Errorf("scanned %v", got)
	}
	if sink.text("in-file") != "inside\n" {
		t.Errorf("in-tree link text %q", sink.text("in-file"))
	}
	for p, want := range map[string]string{
		"out-file":  "out of the tree",
		"out-dir":   "out of the tree",
		"in-dir":    "in the tree",
		"real/loop": "in the tree",
	} {
		if !strings.Contains(sink.skipped[p], want) {
			t.Errorf("%s: skipped %q, want %q", p, sink.skipped[p], want)
		}
	}
	if errs := sink.failed["dangling"]; len(errs) != 1 || !strings.Contains(errs[0].Error(), "dangling") {
		t.Errorf("dangling link: failed %v", errs)
	}
	if strings.Contains(fmt.Sprint(sink.chunks), "outside") {
		t.Error("content from outside the tree was read")
	}

	// Following links: out of the tree is read, loops end.
	sink = scan(t, root, sources.Options{FollowSymlinks: true})
	for _, p := range []string{"out-file", "out-dir/secret.txt", "real/in.txt", "in-file"} {
		if _, ok := sink.scanned[p]; !ok {
			t.Errorf("FollowSymlinks: %s not scanned (scanned %v)", p, keys(sink.scanned))
		}
	}
	if len(sink.scanned) != 4 {
		t.Errorf("FollowSymlinks scanned %v", keys(sink.scanned))
	}
	for p, want := range map[string]string{
		"in-dir":       "in the tree",
		"real/loop":    "in the tree",
		"out-dir/self": "already scanned",
	} {
		if !strings.Contains(sink.skipped[p], want) {
			t.Errorf("FollowSymlinks: %s skipped %q, want %q", p, sink.skipped[p], want)
		}
	}
}

func TestUnreadable(t *testing.T) {
	dir := t.TempDir()
	write(t, dir, "gone.txt", []byte("x\n"))
	write(t, dir, "ok.txt", []byte("fine\n"))
	src, err := New(dir, sources.Options{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	var units []sources.Unit
	if err := src.Units(context.Background(), func(u sources.Unit) bool { units = append(units, u); return true }); err != nil {
		t.Fatal(err)
	}
	// The file vanishes between listing and reading.
	if err := os.Remove(filepath.Join(dir, "gone.txt")); err != nil {
		t.Fatal(err)
	}
	sink := newRecSink(t)
	for _, u := range units {
		if err := u.Read(context.Background(), sink); err != nil {
			t.Fatalf("Read %s: %v (a missing file is not fatal)", u.Location(), err)
		}
	}
	if errs := sink.failed["gone.txt"]; len(errs) != 1 || !strings.Contains(errs[0].Error(), "gone.txt") ||
		!errors.Is(errs[0], os.ErrNotExist) || strings.Contains(errs[0].Error(), dir) {
		t.Errorf("vanished file: failed %v (want the relative path and ErrNotExist)", errs)
	}
	if sink.text("ok.txt") != "fine\n" {
		t.Error("the scan did not go on after a failure")
	}

	// Permissions: root reads chmod 000 files, so this part only runs as
	// another user (the vanished file and the dangling link in
	// TestSymlinks cover the failure path as root).
	if os.Geteuid() == 0 {
		t.Log("running as root: chmod 000 is no obstacle, permission cases not run")
		return
	}
	dir = t.TempDir()
	p := write(t, dir, "locked.txt", []byte("x\n"))
	write(t, dir, "lockeddir/x.txt", []byte("x\n"))
	if err := os.Chmod(p, 0); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(filepath.Join(dir, "lockeddir"), 0); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = os.Chmod(filepath.Join(dir, "lockeddir"), 0o755) })
	sink = scan(t, dir, sources.Options{})
	for _, p := range []string{"locked.txt", "lockeddir"} {
		if errs := sink.failed[p]; len(errs) != 1 || !errors.Is(errs[0], os.ErrPermission) || !strings.Contains(errs[0].Error(), p) {
			t.Errorf("%s: failed %v", p, errs)
		}
	}
}

func TestMaxFileSize(t *testing.T) {
	dir := t.TempDir()
	write(t, dir, "small.txt", []byte("12345"))
	write(t, dir, "big.txt", []byte("123456"))
	sink := scan(t, dir, sources.Options{MaxFileSize: 5})
	if got := keys(sink.scanned); !slices.Equal(got, []string{"small.txt"}) {
		t.Errorf("scanned %v", got)
	}
	if r := sink.skipped["big.txt"]; !strings.Contains(r, "--max-file-size") {
		t.Errorf("big.txt skipped %q", r)
	}
	// The limit also holds for a file that grew after it was listed.
	src, _ := New(dir, sources.Options{MaxFileSize: 5}, nil)
	var units []sources.Unit
	_ = src.Units(context.Background(), func(u sources.Unit) bool { units = append(units, u); return true })
	write(t, dir, "small.txt", []byte("1234567"))
	sink = newRecSink(t)
	for _, u := range units {
		_ = u.Read(context.Background(), sink)
	}
	if r := sink.skipped["small.txt"]; !strings.Contains(r, "--max-file-size") {
		t.Errorf("grown small.txt: skipped %q, scanned %v", r, sink.scanned)
	}
}

func TestCancel(t *testing.T) {
	dir := t.TempDir()
	for i := range 5 {
		write(t, dir, fmt.Sprintf("f%d.txt", i), []byte(strings.Repeat("line\n", 10000)))
	}
	src, err := New(dir, sources.Options{ChunkSize: 1024}, nil)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	var units []sources.Unit
	err = src.Units(ctx, func(u sources.Unit) bool {
		units = append(units, u)
		return len(units) < 2
	})
	if err != nil || len(units) != 2 {
		t.Fatalf("Units stopped by yield: %d units, %v", len(units), err)
	}
	sink := newRecSink(t)
	n := 0
	sink.onText = func(*sources.Chunk) error {
		if n++; n == 3 {
			cancel()
		}
		return nil
	}
	if err := units[0].Read(ctx, sink); !errors.Is(err, context.Canceled) {
		t.Errorf("Read after cancel: %v", err)
	}
	if n != 3 {
		t.Errorf("%d chunks handed over, want 3 (stop at the next chunk)", n)
	}
	units = nil
	if err := src.Units(ctx, func(u sources.Unit) bool { units = append(units, u); return true }); !errors.Is(err, context.Canceled) || len(units) != 0 {
		t.Errorf("Units with a cancelled context: %d units, %v", len(units), err)
	}
}

func TestSinkError(t *testing.T) {
	dir := t.TempDir()
	write(t, dir, "a.txt", []byte("abc\n"))
	src, _ := New(dir, sources.Options{}, nil)
	boom := errors.New("sink full")
	sink := newRecSink(t)
	sink.onText = func(*sources.Chunk) error { return boom }
	var err error
	_ = src.Units(context.Background(), func(u sources.Unit) bool { err = u.Read(context.Background(), sink); return true })
	if !errors.Is(err, boom) {
		t.Errorf("Read with a failing sink: %v", err)
	}
}

// TestNamesUnits: with Options.Names each directory yields, after its
// entries, a unit of the names of the entries it scans (files the filters
// include, directories not excluded, and no directories with Include),
// located at the directory ("./" for the root); without it, none.
func TestNamesUnits(t *testing.T) {
	dir := t.TempDir()
	for _, p := range []string{"hr/15038510190_kontrakt.pdf", "hr/skip.tmp", "hr/2024/lonn.pdf", "node_modules/x/a.js", "top.txt"} {
		write(t, dir, p, []byte("x\n"))
	}
	units := func(opt sources.Options) []string {
		src, err := New(dir, opt, nil)
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		err = src.Units(context.Background(), func(u sources.Unit) bool {
			if n, ok := u.(*sources.NamesUnit); ok {
				got = append(got, u.Location().String()+" "+strings.Join(n.Names.Strings(), ","))
			}
			return true
		})
		if err != nil {
			t.Fatal(err)
		}
		return got
	}
	want := []string{
		"file:hr/2024/#(file names) lonn.pdf",
		"file:hr/#(file names) 15038510190_kontrakt.pdf,2024",
		"file:./#(file names) hr,top.txt",
	}
	if got := units(sources.Options{Names: true, Exclude: []string{"*.tmp", "node_modules"}}); !slices.Equal(got, want) {
		t.Errorf("names units:\n got %q\nwant %q", got, want)
	}
	if got := units(sources.Options{}); len(got) != 0 {
		t.Errorf("without Names: %q", got)
	}
	// With --include only the included files' names are read.
	want = []string{"file:hr/#(file names) 15038510190_kontrakt.pdf"}
	if got := units(sources.Options{Names: true, Include: []string{"*.pdf"}, Exclude: []string{"hr/2024"}}); !slices.Equal(got, want) {
		t.Errorf("with Include:\n got %q\nwant %q", got, want)
	}
}
