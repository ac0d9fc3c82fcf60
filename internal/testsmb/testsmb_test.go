package testsmb

import (
	"context"
	"net"
	"os"
	"strconv"
	"syscall"
	"testing"
	"time"

	smb2 "github.com/cloudsoda/go-smb2"
)

// TestStartStop starts a server, checks that it serves the shares to the
// user with the password only, and that Stop ends its processes and
// removes its directory.
func TestStartStop(t *testing.T) {
	s := New()
	defer s.Stop()
	_ = s.URL(t, "files")
	dir := s.dir
	var pids []int
	for _, p := range s.procs {
		pids = append(pids, p.cmd.Process.Pid)
	}
	if len(pids) != 2 {
		t.Fatalf("%d processes", len(pids))
	}
	addr := net.JoinHostPort("127.0.0.1", strconv.Itoa(s.Port(t)))
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	d := &smb2.Dialer{Initiator: &smb2.NTLMInitiator{User: User, Password: "wrong"}}
	if _, err := d.Dial(ctx, addr); err == nil {
		t.Error("a wrong password was accepted")
	}
	d = &smb2.Dialer{Initiator: &smb2.NTLMInitiator{User: User, Password: s.Password(t)}}
	sess, err := d.Dial(ctx, addr)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(s.ShareDir(t, "docs")+"/x.txt", []byte("hei"), 0o644); err != nil {
		t.Fatal(err)
	}
	sh, err := sess.WithContext(ctx).Mount("docs")
	if err != nil {
		t.Fatal(err)
	}
	if b, err := sh.WithContext(ctx).ReadFile("x.txt"); err != nil || string(b) != "hei" {
		t.Errorf("read %q, %v", b, err)
	}
	if err := sh.WithContext(ctx).WriteFile("y.txt", []byte("x"), 0o644); err == nil {
		t.Error("the share is writable")
	}
	_ = sess.WithContext(ctx).Logoff()

	s.Stop()
	if _, err := os.Stat(dir); !os.IsNotExist(err) {
		t.Errorf("directory left: %v", err)
	}
	for _, pid := range pids {
		if err := syscall.Kill(pid, 0); err == nil {
			t.Errorf("process %d still running", pid)
		}
	}
}
