package postgres

import "testing"

// ShopForTest exposes the fixture to the external (end-to-end) tests: the
// scan role's URL and the expected location target.
func ShopForTest(t testing.TB) (scanURL, target, password string) {
	f := shop(t)
	return f.scan, f.target, f.scanPW
}
