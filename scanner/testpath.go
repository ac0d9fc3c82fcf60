package scanner

import (
	"path"
	"strings"

	"github.com/piimap/piimap/detectors"
	"github.com/piimap/piimap/sources"
)

// testDirs are folder names that hold test fixtures; testFileSuffixes and
// testFilePrefixes mark test source files. Values there are test data:
// generated customers in testdata/*.json, example numbers in *_test.go.
var (
	testDirs = map[string]bool{
		"testdata": true, "test": true, "tests": true, "__tests__": true, "fixtures": true, "fixture": true,
		"__fixtures__": true, "spec": true, "specs": true, "__mocks__": true, "mocks": true, "testfiles": true,
		"example": true, "examples": true,
	}
	// testStems are file names (without extension) of fixtures: test.csv, dummy.json.
	// The stem's first word counts too: example-crlf.toml, dummy_users.csv.
	testStems = map[string]bool{"test": true, "tests": true, "testdata": true, "dummy": true, "fake": true, "mock": true, "example": true}
	// templateMarks are the parts of a file name between dots that mark a
	// configuration template, its values placeholders: .env.example,
	// settings.py.dist, app.properties.template. Not "sample": a sample
	// of an export is real data.
	templateMarks    = map[string]bool{"example": true, "dist": true, "template": true, "tmpl": true}
	testFileSuffixes = []string{"_test.go", "_test.py", "_test.rb", "_spec.rb", ".test.js", ".test.ts", ".test.jsx",
		".test.tsx", ".spec.js", ".spec.ts", "_test.c", "_test.cc"}
	// testClassSuffixes are matched case-sensitively: FooTest.java, not Contest.java.
	testClassSuffixes = []string{"Test.java", "Tests.java", "Test.kt", "Tests.kt", "Test.cs", "Tests.cs"}
	testFilePrefixes  = []string{"test_"}
)

// firstWord returns the part of a file's stem before its first '-' or
// '_': the whole stem when it has neither.
func firstWord(stem string) string {
	if i := strings.IndexAny(stem, "-_"); i > 0 {
		return stem[:i]
	}
	return stem
}

// templateName reports whether the parts of a file name after its first
// dot (rest: "env.example", "sample.ini") hold a template mark.
func templateName(rest string) bool {
	for part := range strings.SplitSeq(rest, ".") {
		if templateMarks[part] {
			return true
		}
	}
	return false
}

// testPath returns the element of a file location's path (folders,
// archive members, SQLite tables) that marks it as a test fixture, or "";
// or, written "#examples", the element of its field (a key path) that
// marks its values as examples.
// Database servers' locations are never test paths.
func testPath(loc sources.Location) string {
	if !fileLocation(loc) {
		return "" // a database: its tables are what they are
	}
	elems := strings.FieldsFunc(loc.Path, func(r rune) bool { return r == '/' || r == '!' || r == '\\' })
	for i, e := range elems {
		l := strings.ToLower(e)
		if i < len(elems)-1 && testDirs[l] {
			return e + "/"
		}
		if stem, rest, ok := strings.Cut(l, "."); ok && (testStems[firstWord(stem)] || templateName(rest)) {
			return e
		}
		for _, s := range testFileSuffixes {
			if strings.HasSuffix(l, s) && len(l) > len(s) {
				return e
			}
		}
		for _, s := range testClassSuffixes {
			if strings.HasSuffix(e, s) && len(e) > len(s) {
				return e
			}
		}
		for _, p := range testFilePrefixes {
			if strings.HasPrefix(l, p) && strings.Contains(l[len(p):], ".") {
				return e
			}
		}
	}
	for k := range strings.FieldsFuncSeq(loc.Field, func(r rune) bool { return r == '.' || r == '[' || r == ']' }) {
		if exampleKeys[strings.ToLower(k)] {
			return "#" + k
		}
	}
	return ""
}

// exampleKeys are the keys of a JSON document (an element of a key path)
// under which values are examples: OpenAPI's example and examples, the
// examples of API definitions (botocore's examples-1.json).
var exampleKeys = map[string]bool{"example": true, "examples": true, "x-example": true, "x-examples": true}

// codeExts are source code files: the phone numbers, IP addresses and
// card numbers in them are examples, constants and test vectors
// (libphonenumber's "+41 44 668 1800", a server address in a comment).
var codeExts = map[string]bool{
	".go": true, ".c": true, ".h": true, ".cc": true, ".cpp": true, ".hpp": true, ".cxx": true, ".java": true,
	".kt": true, ".scala": true, ".groovy": true, ".js": true, ".mjs": true, ".cjs": true, ".ts": true, ".jsx": true,
	".tsx": true, ".py": true, ".rb": true, ".php": true, ".cs": true, ".rs": true, ".swift": true, ".m": true,
	".mm": true, ".pl": true, ".pm": true, ".sh": true, ".bash": true, ".ps1": true, ".lua": true, ".proto": true,
	".s": true, ".asm": true, ".el": true, ".hs": true, ".ml": true, ".ex": true, ".exs": true, ".erl": true,
	".dart": true, ".tcl": true, ".tm": true, ".awk": true, ".vim": true, ".clj": true, ".fs": true, ".vb": true,
	// Configuration: server addresses, ports, example values in help
	// texts (gcloud's surface YAML), not records of people.
	".yaml": true, ".yml": true, ".toml": true, ".ini": true, ".cfg": true, ".conf": true, ".properties": true,
	".tf": true, ".hcl": true,
}

// configExts are the configuration formats among codeExts: a password
// in a URL there is a service's (credentialsExample).
var configExts = map[string]bool{".yaml": true, ".yml": true, ".toml": true, ".ini": true, ".cfg": true, ".conf": true,
	".properties": true, ".tf": true, ".hcl": true}

// credentialsExample returns, for a location in source code (but not
// configuration) or documentation, why a password found in a URL there
// is an example or a test's (a client library's doc comment, a how-to),
// or "".
func credentialsExample(loc sources.Location) string {
	if ext := codePath(loc); ext != "" && !configExts[ext] {
		return "in source code (" + ext + "): passwords in URLs there are examples and tests'"
	}
	if doc := docPath(loc); doc != "" {
		return "in documentation (" + doc + "): passwords in URLs there are examples"
	}
	return ""
}

// codeCategories are the kinds that source code holds as examples.
var codeCategories = map[detectors.Category]bool{detectors.Phone: true, detectors.IPAddress: true, detectors.PaymentCard: true}

// dataSet reports a finding in a configuration format that is a data set
// rather than examples: phone numbers or cards at a key path of their own
// (customers[].kontakt.telefon in a customer export written as YAML), with
// at least dataSetMatches matches and dataSetExamples distinct examples.
// Addresses stay capped: a YAML list of many is a server inventory.
func dataSet(f *acc) bool {
	return f.loc.Field != "" && f.cat != detectors.IPAddress && f.count >= dataSetMatches && len(f.examples) >= dataSetExamples
}

// How many matches, and distinct examples, make a key path of a
// configuration file a data set (dataSet): a few are examples.
const (
	dataSetMatches  = 20
	dataSetExamples = 3
)

// codePath returns the extension of a file location that is source code
// (".go"), or "".
func codePath(loc sources.Location) string {
	p := fileName(loc)
	if p == "" {
		return ""
	}
	ext := strings.ToLower(path.Ext(p))
	if codeExts[ext] {
		return ext
	}
	return ""
}

// docNames are the base names of project documentation (lower case, up to
// the first dot, after which only a docSuffixes may follow, and without a
// compression suffix): change logs, release notes, read-me files.
var docNames = map[string]bool{
	"changelog": true, "changes": true, "news": true, "readme": true, "history": true, "release-notes": true,
	"releasenotes": true, "faq": true, "install": true, "todo": true, "authors": true, "thanks": true,
}

// docSuffixes are what may follow a documentation name after its first
// dot: changelog.Debian, CHANGES.txt, NEWS.old; not news.json.
var docSuffixes = map[string]bool{"": true, "txt": true, "debian": true, "old": true, "html": true}

// docExts are documentation markup and manual pages (a section number
// counts only under a man directory: access.log.1 is a rotated log).
var docExts = map[string]bool{
	".md": true, ".markdown": true, ".rst": true, ".adoc": true, ".asciidoc": true, ".texi": true,
	".texinfo": true, ".pod": true, ".man": true, ".info": true,
}

// docCategories are the kinds documentation holds as examples and
// configuration: addresses of servers in a how-to, log lines quoted in a
// change log, test card numbers, an organisation's donation account (vim's
// uganda.txt). Phone numbers and e-mail addresses in documentation are
// mostly its authors', and keep their grade.
var docCategories = map[detectors.Category]bool{detectors.IPAddress: true, detectors.PaymentCard: true, detectors.BankAccount: true}

// docPath returns the name of a file location that is documentation
// ("changelog.gz", "guide.md"), or "".
func docPath(loc sources.Location) string {
	p := fileName(loc)
	if p == "" {
		return ""
	}
	name := strings.ToLower(p)
	for _, z := range []string{".gz", ".bz2", ".xz", ".zst"} {
		name = strings.TrimSuffix(name, z)
	}
	ext := path.Ext(name)
	if docExts[ext] || strings.HasPrefix(ext, ".info-") && strings.Trim(ext[len(".info-"):], "0123456789") == "" {
		return p // guide.md, coreutils.info.gz, coreutils.info-2.gz
	}
	if len(ext) == 2 && ext[1] >= '1' && ext[1] <= '9' && manDir(loc.Path) {
		return p
	}
	if docDir(loc.Path) && (ext == ".txt" || ext == ".html" || ext == ".htm" || ext == "") {
		return p // vim/vim90/doc/uganda.txt, docs/install.html
	}
	stem, rest, _ := strings.Cut(name, ".")
	if docNames[stem] && docSuffixes[rest] {
		return p
	}
	return ""
}

// docDir reports whether the directory of path p is a documentation
// directory: a segment "doc" or "docs".
func docDir(p string) bool {
	return inDir(p, func(s string) bool { return strings.EqualFold(s, "doc") || strings.EqualFold(s, "docs") })
}

// manDir reports whether the directory of path p is a manual's: a
// segment "man" or "man1" … "man9".
func manDir(p string) bool {
	return inDir(p, func(s string) bool {
		return s == "man" || len(s) == 4 && strings.HasPrefix(s, "man") && s[3] >= '1' && s[3] <= '9'
	})
}

// inDir reports whether a directory segment of path p (not its last
// element; '!' separates an archive's members) satisfies is.
func inDir(p string, is func(seg string) bool) bool {
	segs := strings.FieldsFunc(p, func(r rune) bool { return r == '/' || r == '!' })
	for _, s := range segs[:max(len(segs)-1, 0)] {
		if is(s) {
			return true
		}
	}
	return false
}

// fileName returns the base name of a file location (of the member, in an
// archive), or "" for a table.
func fileName(loc sources.Location) string {
	if !fileLocation(loc) {
		return ""
	}
	p := loc.Path
	if i := strings.LastIndexAny(p, "/!"); i >= 0 {
		p = p[i+1:]
	}
	return p
}

// fileLocation reports whether loc is a file (local or on a share), not a
// database server's table.
func fileLocation(loc sources.Location) bool {
	return loc.Target == "" || strings.HasPrefix(loc.Target, "smb://")
}
