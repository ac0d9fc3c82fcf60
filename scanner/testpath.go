package scanner

import (
	"strings"

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
	testStems        = map[string]bool{"test": true, "tests": true, "testdata": true, "dummy": true, "fake": true, "mock": true, "example": true}
	testFileSuffixes = []string{"_test.go", "_test.py", "_test.rb", "_spec.rb", ".test.js", ".test.ts", ".test.jsx",
		".test.tsx", ".spec.js", ".spec.ts", "_test.c", "_test.cc"}
	// testClassSuffixes are matched case-sensitively: FooTest.java, not Contest.java.
	testClassSuffixes = []string{"Test.java", "Tests.java", "Test.kt", "Tests.kt", "Test.cs", "Tests.cs"}
	testFilePrefixes  = []string{"test_"}
)

// testPath returns the element of a file location's path (folders,
// archive members, SQLite tables) that marks it as a test fixture, or "".
// Database servers' locations are never test paths.
func testPath(loc sources.Location) string {
	if loc.Target != "" && !strings.HasPrefix(loc.Target, "smb://") {
		return "" // a database: its tables are what they are
	}
	elems := strings.FieldsFunc(loc.Path, func(r rune) bool { return r == '/' || r == '!' || r == '\\' })
	for i, e := range elems {
		l := strings.ToLower(e)
		if i < len(elems)-1 && testDirs[l] {
			return e + "/"
		}
		if stem, _, ok := strings.Cut(l, "."); ok && testStems[stem] {
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
	return ""
}
