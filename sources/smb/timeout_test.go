package smb

import (
	"testing"
	"time"

	"github.com/piimap/piimap/sources"
)

// TestConnectTimeoutOption: connecting to a share is bounded by
// --smb-timeout, else --timeout, else the 30 s default.
func TestConnectTimeoutOption(t *testing.T) {
	for _, tc := range []struct {
		opt  sources.Options
		want time.Duration
	}{
		{sources.Options{}, 30 * time.Second},
		{sources.Options{Timeout: 5 * time.Second}, 5 * time.Second},
		{sources.Options{Timeout: 5 * time.Second, ConnectTimeout: 2 * time.Second}, 2 * time.Second},
	} {
		if got := connectTimeout(tc.opt); got != tc.want {
			t.Errorf("connectTimeout(%+v) = %s, want %s", tc.opt, got, tc.want)
		}
	}
}
