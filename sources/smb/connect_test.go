package smb_test

import (
	"context"
	"errors"
	"net"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/piimap/piimap/sources"
	"github.com/piimap/piimap/sources/smb"
)

// silentServer listens on 127.0.0.1, accepts connections and never
// answers them: a server that hangs during negotiation. It returns the
// port; the listener and the connections are closed when the test ends.
func silentServer(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	var (
		mu    sync.Mutex
		conns []net.Conn
		wg    sync.WaitGroup
	)
	wg.Add(1)
	go func() {
		defer wg.Done()
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			mu.Lock()
			conns = append(conns, c)
			mu.Unlock()
		}
	}()
	t.Cleanup(func() {
		ln.Close()
		wg.Wait()
		mu.Lock()
		defer mu.Unlock()
		for _, c := range conns {
			c.Close()
		}
	})
	_, port, _ := net.SplitHostPort(ln.Addr().String())
	return port
}

// TestConnectTimeout: a server that accepts and never answers does not
// hang the scan. ConnectTimeout bounds dial and login; when it is 0 the
// statement Timeout does. Either way New fails soon, with the error
// naming the target without the password, and a deadline error. (The
// default when both are 0, 30 s, is not waited for.)
func TestConnectTimeout(t *testing.T) {
	port := silentServer(t)
	const password = "S3cret-pw-never-shown"
	target := "smb://ola:" + password + "@127.0.0.1:" + port + "/share/dir"
	for _, c := range []struct {
		name string
		opt  sources.Options
	}{
		{"ConnectTimeout 0: Timeout", sources.Options{Timeout: 300 * time.Millisecond}},
		{"ConnectTimeout set: it, not Timeout", sources.Options{ConnectTimeout: 300 * time.Millisecond, Timeout: time.Minute}},
	} {
		t.Run(c.name, func(t *testing.T) {
			// The test's own bound, should the timeouts not hold.
			ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			defer cancel()
			start := time.Now()
			src, err := smb.New(ctx, target, c.opt, nil, nil)
			elapsed := time.Since(start)
			if err == nil {
				src.Close()
				t.Fatal("connected to a server that never answers")
			}
			t.Logf("after %v: %v", elapsed, err)
			if elapsed < 250*time.Millisecond || elapsed > 5*time.Second {
				t.Errorf("failed after %v; want about the 300 ms timeout", elapsed)
			}
			msg := err.Error()
			if !strings.Contains(msg, "smb://127.0.0.1:"+port+"/share") || !strings.Contains(msg, `"ola"`) || strings.Contains(msg, password) {
				t.Errorf("error %q: want the target smb://127.0.0.1:%s/share and the user, never the password", msg, port)
			}
			if !errors.Is(err, context.DeadlineExceeded) {
				t.Errorf("error %q is not a deadline", msg)
			}
		})
	}
}
