// Package testsmb gives tests a real SMB server: a throwaway Samba (smbd,
// and samba-dcerpcd so that shares can be listed) from the installed Debian
// packages, on 127.0.0.1 on a free port, with its configuration, password
// database, state, locks and logs in a temporary directory, so that the
// system's Samba setup is neither used nor touched.
//
// The server exports three shares, whose folders the tests fill through
// ShareDir: "files" and "docs" (disk shares a server-wide scan reads) and
// "hidden$" (a hidden share it must skip). One account exists: the user
// "scan" with a random password, mapped to the Unix account the server runs
// as (smbd needs root to serve files as a user, so the tests must run as
// root).
//
// A test package holds one Server, starts it on first use and stops it
// from TestMain (or a test starts its own with Start):
//
//	var smbd = testsmb.New()
//
//	func TestMain(m *testing.M) { os.Exit(testsmb.Main(m, smbd)) }
//
//	func TestX(t *testing.T) { u := smbd.URL(t, "files") ... }
//
// When smbd is not installed (or the tests do not run as root) the tests
// are skipped, unless CI or PIIMAP_REQUIRE_SERVERS=1 is set, which makes
// them fail. Stop ends only the processes this Server started (their
// process groups, by id) and removes only its own directory.
package testsmb

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	smb2 "github.com/cloudsoda/go-smb2"
)

// User is the account the server accepts.
const User = "scan"

// Shares are the disk shares the server exports (besides "hidden$").
var Shares = []string{"docs", "files"}

// HiddenShare is a share whose name ends in "$".
const HiddenShare = "hidden$"

const startTimeout = 60 * time.Second

// Server is a Samba server shared by the tests of a package.
type Server struct {
	once     sync.Once
	err      error
	missing  string
	dir      string
	port     int
	password string
	procs    []*proc
}

type proc struct {
	cmd  *exec.Cmd
	done chan struct{}
}

// New returns a server, started on first use.
func New() *Server { return &Server{} }

// Start starts a server of the test's own and stops it when the test and
// its subtests are done; it skips (or fails) the test when Samba is missing.
// Packages that share one server across tests use New and Main instead.
func Start(t testing.TB) *Server {
	t.Helper()
	s := New()
	t.Cleanup(s.Stop)
	s.start(t)
	return s
}

// Required reports whether a missing server must fail the tests.
func Required() bool {
	return os.Getenv("CI") != "" || os.Getenv("PIIMAP_REQUIRE_SERVERS") == "1"
}

// Main runs the tests, then stops the servers.
func Main(m *testing.M, servers ...*Server) int {
	code := m.Run()
	for _, s := range servers {
		s.Stop()
	}
	return code
}

// start starts the server once; the test is skipped (or failed) when it
// cannot be.
func (s *Server) start(t testing.TB) {
	t.Helper()
	s.once.Do(func() {
		s.err = s.launch()
		if s.err != nil && s.missing == "" {
			s.Stop()
		}
	})
	if s.missing != "" {
		if Required() {
			t.Fatalf("Samba required (CI or PIIMAP_REQUIRE_SERVERS set): %s", s.missing)
		}
		t.Skipf("skipping: %s", s.missing)
	}
	if s.err != nil {
		t.Fatalf("start Samba: %v", s.err)
	}
}

// URL returns "smb://scan@127.0.0.1:PORT/share" (share may be empty),
// starting the server on first use. The password is not in it.
func (s *Server) URL(t testing.TB, share string) string {
	s.start(t)
	return fmt.Sprintf("smb://%s@127.0.0.1:%d/%s", User, s.port, share)
}

// Password is the password of User.
func (s *Server) Password(t testing.TB) string {
	s.start(t)
	return s.password
}

// Port is the server's port.
func (s *Server) Port(t testing.TB) int {
	s.start(t)
	return s.port
}

// ShareDir is the local folder a share serves, for tests to fill.
func (s *Server) ShareDir(t testing.TB, share string) string {
	s.start(t)
	return filepath.Join(s.dir, "shares", shareFolder(share))
}

func shareFolder(share string) string { return strings.TrimSuffix(share, "$") + "-share" }

// Stop ends the processes this server started and removes its directory.
func (s *Server) Stop() {
	for _, p := range s.procs {
		if p.cmd.Process == nil {
			continue
		}
		// The process leads its own group (Setpgid), which holds the
		// children it forked: signal that group only.
		pgid := p.cmd.Process.Pid
		_ = syscall.Kill(-pgid, syscall.SIGTERM)
		select {
		case <-p.done:
		case <-time.After(10 * time.Second):
			_ = syscall.Kill(-pgid, syscall.SIGKILL)
			<-p.done
		}
		// Children that outlived the leader.
		_ = syscall.Kill(-pgid, syscall.SIGKILL)
	}
	s.procs = nil
	if s.dir != "" {
		_ = os.RemoveAll(s.dir)
		s.dir = ""
	}
}

// binaries finds smbd, smbpasswd and samba-dcerpcd.
func binaries() (smbd, smbpasswd, dcerpcd string, err error) {
	find := func(names ...string) string {
		for _, n := range names {
			if p, err := exec.LookPath(n); err == nil {
				return p
			}
		}
		return ""
	}
	smbd = find("smbd", "/usr/sbin/smbd")
	smbpasswd = find("smbpasswd", "/usr/bin/smbpasswd")
	dcerpcd = find("samba-dcerpcd", "/usr/libexec/samba/samba-dcerpcd", "/usr/lib/samba/samba-dcerpcd")
	if smbd == "" || smbpasswd == "" || dcerpcd == "" {
		return "", "", "", errors.New("smbd, smbpasswd or samba-dcerpcd not found (apt-get install samba)")
	}
	return smbd, smbpasswd, dcerpcd, nil
}

func (s *Server) launch() error {
	smbd, smbpasswd, dcerpcd, err := binaries()
	if err != nil {
		s.missing = err.Error()
		return err
	}
	if os.Geteuid() != 0 {
		s.missing = "smbd must run as root to serve files (the tests do not run as root)"
		return errors.New(s.missing)
	}
	dir, err := os.MkdirTemp("", "piimap-testsmb-")
	if err != nil {
		return err
	}
	s.dir = dir
	for _, d := range []string{"private", "lock", "state", "cache", "pid", "ncalrpc", "log"} {
		mode := os.FileMode(0o755) // Samba insists on it for ncalrpc and lock
		if d == "private" {
			mode = 0o700
		}
		if err := os.Mkdir(filepath.Join(dir, d), mode); err != nil {
			return err
		}
		if err := os.Chmod(filepath.Join(dir, d), mode); err != nil { // umask
			return err
		}
	}
	for _, sh := range append(cloneStrings(Shares), HiddenShare) {
		if err := os.MkdirAll(filepath.Join(dir, "shares", shareFolder(sh)), 0o755); err != nil {
			return err
		}
	}
	if s.port, err = freePort(); err != nil {
		return err
	}
	var pw [12]byte
	if _, err := rand.Read(pw[:]); err != nil {
		return err
	}
	s.password = hex.EncodeToString(pw[:])
	conf := filepath.Join(dir, "smb.conf")
	if err := os.WriteFile(filepath.Join(dir, "users.map"), []byte("root = "+User+"\n"), 0o600); err != nil {
		return err
	}
	var b strings.Builder
	fmt.Fprintf(&b, `[global]
server role = standalone server
smb ports = %d
interfaces = lo
bind interfaces only = yes
disable netbios = yes
server min protocol = SMB2_02
private dir = %[2]s/private
lock directory = %[2]s/lock
state directory = %[2]s/state
cache directory = %[2]s/cache
pid directory = %[2]s/pid
ncalrpc dir = %[2]s/ncalrpc
log file = %[2]s/log/samba.log
max log size = 1000
passdb backend = tdbsam:%[2]s/private/passdb.tdb
username map = %[2]s/users.map
map to guest = never
load printers = no
printing = bsd
printcap name = /dev/null
disable spoolss = yes
rpc start on demand helpers = no
`, s.port, dir)
	for _, sh := range append(cloneStrings(Shares), HiddenShare) {
		fmt.Fprintf(&b, "[%s]\npath = %s\nread only = yes\nguest ok = no\nbrowseable = yes\n", sh, filepath.Join(dir, "shares", shareFolder(sh)))
	}
	if err := os.WriteFile(conf, []byte(b.String()), 0o600); err != nil {
		return err
	}
	logPath := filepath.Join(dir, "log", "server.out")
	logFile, err := os.Create(logPath)
	if err != nil {
		return err
	}
	defer logFile.Close()
	add := exec.Command(smbpasswd, "-c", conf, "-s", "-a", "root")
	add.Stdin = strings.NewReader(s.password + "\n" + s.password + "\n")
	add.Stdout, add.Stderr = logFile, logFile
	if err := add.Run(); err != nil {
		return fmt.Errorf("smbpasswd: %v: %s", err, tail(logPath))
	}
	for _, args := range [][]string{
		{smbd, "--foreground", "--no-process-group", "-s", conf, "--debug-stdout"},
		{dcerpcd, "--libexec-rpcds", "--foreground", "--no-process-group", "-s", conf, "--debug-stdout"},
	} {
		cmd := exec.Command(args[0], args[1:]...)
		cmd.Stdout, cmd.Stderr = logFile, logFile
		cmd.Env = append(os.Environ(), "LC_ALL=C")
		cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true, Pdeathsig: syscall.SIGTERM}
		if err := cmd.Start(); err != nil {
			return fmt.Errorf("start %s: %w", filepath.Base(args[0]), err)
		}
		p := &proc{cmd: cmd, done: make(chan struct{})}
		go func() { _ = cmd.Wait(); close(p.done) }()
		s.procs = append(s.procs, p)
	}
	return s.waitReady(logPath)
}

// waitReady logs in and lists the shares until that works.
func (s *Server) waitReady(logPath string) error {
	deadline := time.Now().Add(startTimeout)
	var last error
	for time.Now().Before(deadline) {
		for _, p := range s.procs {
			select {
			case <-p.done:
				return fmt.Errorf("%s exited during start: %s", filepath.Base(p.cmd.Path), tail(logPath))
			default:
			}
		}
		if last = s.ping(); last == nil {
			return nil
		}
		time.Sleep(100 * time.Millisecond)
	}
	return fmt.Errorf("server not ready after %v: %v; log: %s", startTimeout, last, tail(logPath))
}

func (s *Server) ping() error {
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
	defer cancel()
	d := &smb2.Dialer{Initiator: &smb2.NTLMInitiator{User: User, Password: s.password}}
	sess, err := d.Dial(ctx, net.JoinHostPort("127.0.0.1", strconv.Itoa(s.port)))
	if err != nil {
		return err
	}
	defer func() { _ = sess.WithContext(ctx).Logoff() }()
	names, err := sess.WithContext(ctx).ListSharenames()
	if err != nil {
		return err
	}
	if len(names) < len(Shares) {
		return fmt.Errorf("shares %v", names)
	}
	return nil
}

func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

func tail(path string) string {
	b, err := os.ReadFile(path)
	if err != nil {
		return ""
	}
	if len(b) > 2000 {
		b = b[len(b)-2000:]
	}
	return strings.TrimSpace(string(b))
}

func cloneStrings(s []string) []string { return append([]string(nil), s...) }
