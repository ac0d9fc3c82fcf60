package mysql

import "testing"

// ShopForTest exposes the fixture to the external (end-to-end) tests: the
// scan user's URL, the expected location target and how many rows of
// people hold a valid national id.
func ShopForTest(t testing.TB) (scanURL, target string, people int) {
	f := shop(t)
	return f.scan, f.target, f.people
}
