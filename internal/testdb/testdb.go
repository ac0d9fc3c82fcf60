// Package testdb gives tests real database servers: a throwaway PostgreSQL
// or MariaDB server started from the installed Debian packages on loopback,
// on a free port, in a temporary directory, or an existing server named by
// an environment variable. It also computes valid identifiers for fixtures.
//
// A test package holds one Server per kind, starts it on first use and stops
// it from TestMain:
//
//	var pg = testdb.Postgres()
//
//	func TestMain(m *testing.M) { os.Exit(testdb.Main(m, pg)) }
//
//	func TestX(t *testing.T) { admin := pg.URL(t) ... }
//
// Environment:
//
//	PIIMAP_TEST_POSTGRES_URL  superuser URL of an existing PostgreSQL server
//	PIIMAP_TEST_MYSQL_URL     URL (mysql://…) of an existing MariaDB/MySQL
//	                          account with ALL PRIVILEGES … WITH GRANT OPTION
//	PIIMAP_PG_BIN             directory holding initdb and postgres
//	CI, PIIMAP_REQUIRE_SERVERS=1  missing server binaries fail the tests
//	                          instead of skipping them
//
// A Server stops only the process it started (by its pid) and removes only
// its own directory. The servers run as the postgres / mysql system users
// when the tests run as root (PostgreSQL refuses root), and receive SIGTERM
// when the test process dies.
package testdb

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/go-sql-driver/mysql"
	"github.com/jackc/pgx/v5"
)

// Environment variables naming existing servers.
const (
	PostgresURLEnv = "PIIMAP_TEST_POSTGRES_URL"
	MySQLURLEnv    = "PIIMAP_TEST_MYSQL_URL"
)

type kind int

const (
	kindPostgres kind = iota
	kindMariaDB
)

func (k kind) String() string {
	if k == kindPostgres {
		return "PostgreSQL"
	}
	return "MariaDB"
}

// startTimeout bounds how long a server may take to accept connections.
const startTimeout = 60 * time.Second

// Server is one database server shared by the tests of a package. The zero
// value is not usable: use Postgres or MariaDB.
type Server struct {
	kind kind
	once sync.Once

	url     string // admin URL
	err     error  // start failed
	missing string // binaries missing: skip (or fail under CI)

	cmd  *exec.Cmd
	done chan struct{} // closed when cmd has exited
	dir  string
}

// Postgres returns a PostgreSQL server, started on first use.
func Postgres() *Server { return &Server{kind: kindPostgres} }

// MariaDB returns a MariaDB server, started on first use.
func MariaDB() *Server { return &Server{kind: kindMariaDB} }

// Required reports whether missing server binaries must fail the tests
// (CI set, or PIIMAP_REQUIRE_SERVERS=1) rather than skip them.
func Required() bool {
	return os.Getenv("CI") != "" || os.Getenv("PIIMAP_REQUIRE_SERVERS") == "1"
}

// URL returns the admin URL of the server, starting it on first use. For
// PostgreSQL it is a superuser URL to the database "postgres"; for MariaDB
// a mysql:// URL of an account with all privileges and no database. When
// the server binaries are missing the test is skipped (failed when
// Required); when the server does not start the test fails.
func (s *Server) URL(t testing.TB) string {
	t.Helper()
	s.once.Do(s.start)
	if s.missing != "" {
		if Required() {
			t.Fatalf("%s required (CI or PIIMAP_REQUIRE_SERVERS set): %s", s.kind, s.missing)
		}
		t.Skipf("skipping: %s", s.missing)
	}
	if s.err != nil {
		t.Fatalf("start %s: %v", s.kind, s.err)
	}
	return s.url
}

// Started reports whether this Server started a process of its own (as
// opposed to using an existing server or not having started yet).
func (s *Server) Started() bool { return s.cmd != nil }

// Dir is the temporary directory of a started server, or "".
func (s *Server) Dir() string { return s.dir }

// Main runs the tests and then stops the servers. Use it from TestMain:
// os.Exit(testdb.Main(m, servers...)).
func Main(m *testing.M, servers ...*Server) int {
	code := m.Run()
	for _, s := range servers {
		s.Stop()
	}
	return code
}

// Stop stops the process this Server started, if any, and removes its
// directory. Existing servers named by the environment are left alone.
func (s *Server) Stop() {
	if s.cmd != nil && s.cmd.Process != nil {
		// SIGINT is PostgreSQL's fast shutdown; SIGTERM MariaDB's normal one.
		sig := syscall.SIGTERM
		if s.kind == kindPostgres {
			sig = syscall.SIGINT
		}
		_ = s.cmd.Process.Signal(sig)
		select {
		case <-s.done:
		case <-time.After(20 * time.Second):
			_ = s.cmd.Process.Kill()
			<-s.done
		}
		s.cmd = nil
	}
	if s.dir != "" {
		_ = os.RemoveAll(s.dir)
		s.dir = ""
	}
}

func (s *Server) start() {
	switch s.kind {
	case kindPostgres:
		if u := os.Getenv(PostgresURLEnv); u != "" {
			s.url = u
			return
		}
		s.err = s.startPostgres()
	case kindMariaDB:
		if u := os.Getenv(MySQLURLEnv); u != "" {
			s.url = u
			return
		}
		s.err = s.startMariaDB()
	}
	if s.err != nil {
		s.Stop()
	}
}

// errMissing marks missing binaries.
var errMissing = errors.New("server binaries not found")

// FreePort returns a TCP port on 127.0.0.1 that was free a moment ago.
func FreePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

// Password returns a random password (hex).
func Password() string {
	var b [12]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

// runAs holds the system account a server runs as when we are root.
type runAs struct {
	uid, gid uint32
	set      bool
}

// account returns the system user name to run as when root; otherwise the
// current user is used.
func account(name string) (runAs, error) {
	if os.Geteuid() != 0 {
		return runAs{}, nil
	}
	u, err := user.Lookup(name)
	if err != nil {
		return runAs{}, fmt.Errorf("%w: running as root needs the %q system user: %v", errMissing, name, err)
	}
	uid, err1 := strconv.ParseUint(u.Uid, 10, 32)
	gid, err2 := strconv.ParseUint(u.Gid, 10, 32)
	if err1 != nil || err2 != nil {
		return runAs{}, fmt.Errorf("user %q: bad uid/gid %s/%s", name, u.Uid, u.Gid)
	}
	return runAs{uid: uint32(uid), gid: uint32(gid), set: true}, nil
}

func (r runAs) chown(path string) error {
	if !r.set {
		return nil
	}
	return os.Chown(path, int(r.uid), int(r.gid))
}

// command returns cmd for name args, run as r, with output to logFile.
func (r runAs) command(logFile *os.File, name string, args ...string) *exec.Cmd {
	cmd := exec.Command(name, args...)
	cmd.Stdout = logFile
	cmd.Stderr = logFile
	cmd.Env = append(os.Environ(), "LC_ALL=C")
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGTERM, Setpgid: true}
	if r.set {
		cmd.SysProcAttr.Credential = &syscall.Credential{Uid: r.uid, Gid: r.gid}
	}
	return cmd
}

// prepare looks up the system account name to run as (see account) and
// creates the server's temporary directory, owned by it.
func (s *Server) prepare(name, prefix string) (runAs, error) {
	r, err := account(name)
	if err != nil {
		return runAs{}, err
	}
	dir, err := os.MkdirTemp("", prefix)
	if err != nil {
		return runAs{}, err
	}
	s.dir = dir
	if err := os.Chmod(dir, 0o700); err != nil {
		return runAs{}, err
	}
	return r, r.chown(dir)
}

// logTail returns the end of a log file, for error messages.
func logTail(path string) string {
	b, err := os.ReadFile(path)
	if err != nil {
		return ""
	}
	if len(b) > 2000 {
		b = b[len(b)-2000:]
	}
	return strings.TrimSpace(string(b))
}

// launch starts the server process and watches for its exit.
func (s *Server) launch(cmd *exec.Cmd) error {
	if err := cmd.Start(); err != nil {
		return err
	}
	s.cmd = cmd
	s.done = make(chan struct{})
	go func() {
		_ = cmd.Wait()
		close(s.done)
	}()
	return nil
}

// waitReady calls ping until it succeeds, the process exits or time is up.
func (s *Server) waitReady(logPath string, ping func(ctx context.Context) error) error {
	deadline := time.Now().Add(startTimeout)
	var last error
	for time.Now().Before(deadline) {
		select {
		case <-s.done:
			return fmt.Errorf("server exited during start: %s", logTail(logPath))
		default:
		}
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		last = ping(ctx)
		cancel()
		if last == nil {
			return nil
		}
		time.Sleep(100 * time.Millisecond)
	}
	return fmt.Errorf("server not ready after %v: %v; log: %s", startTimeout, last, logTail(logPath))
}

// postgresBin finds the directory with initdb and postgres: PIIMAP_PG_BIN,
// else the newest /usr/lib/postgresql/*/bin.
func postgresBin() (string, error) {
	if d := os.Getenv("PIIMAP_PG_BIN"); d != "" {
		if isExec(filepath.Join(d, "initdb")) && isExec(filepath.Join(d, "postgres")) {
			return d, nil
		}
		return "", fmt.Errorf("%w: no initdb/postgres in PIIMAP_PG_BIN=%s", errMissing, d)
	}
	dirs, _ := filepath.Glob("/usr/lib/postgresql/*/bin")
	sort.Slice(dirs, func(i, j int) bool {
		vi, _ := strconv.Atoi(filepath.Base(filepath.Dir(dirs[i])))
		vj, _ := strconv.Atoi(filepath.Base(filepath.Dir(dirs[j])))
		return vi > vj
	})
	for _, d := range dirs {
		if isExec(filepath.Join(d, "initdb")) && isExec(filepath.Join(d, "postgres")) {
			return d, nil
		}
	}
	return "", fmt.Errorf("%w: no initdb/postgres in /usr/lib/postgresql/*/bin (apt-get install postgresql, or set PIIMAP_PG_BIN or %s)", errMissing, PostgresURLEnv)
}

func isExec(p string) bool {
	fi, err := os.Stat(p)
	return err == nil && !fi.IsDir() && fi.Mode()&0o111 != 0
}

func (s *Server) startPostgres() (err error) {
	defer func() { s.noteMissing(err) }()
	bin, err := postgresBin()
	if err != nil {
		return err
	}
	r, err := s.prepare("postgres", "piimap-testdb-pg-")
	if err != nil {
		return err
	}
	pw := Password()
	pwFile := filepath.Join(s.dir, "pwfile")
	if err := os.WriteFile(pwFile, []byte(pw+"\n"), 0o600); err != nil {
		return err
	}
	if err := r.chown(pwFile); err != nil {
		return err
	}
	logPath := filepath.Join(s.dir, "server.log")
	logFile, err := os.Create(logPath)
	if err != nil {
		return err
	}
	defer logFile.Close()
	data := filepath.Join(s.dir, "data")
	initdb := r.command(logFile, filepath.Join(bin, "initdb"),
		"-D", data, "-U", "postgres", "--pwfile="+pwFile,
		"--auth-local=trust", "--auth-host=scram-sha-256",
		"-E", "UTF8", "--no-locale", "--no-sync", "--no-instructions")
	if err := initdb.Run(); err != nil {
		return fmt.Errorf("initdb: %v: %s", err, logTail(logPath))
	}
	port, err := FreePort()
	if err != nil {
		return err
	}
	cmd := r.command(logFile, filepath.Join(bin, "postgres"),
		"-D", data, "-p", strconv.Itoa(port), "-k", s.dir,
		"-c", "listen_addresses=127.0.0.1",
		"-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "full_page_writes=off",
		"-c", "max_connections=60", "-c", "logging_collector=off")
	if err := s.launch(cmd); err != nil {
		return fmt.Errorf("start postgres: %w", err)
	}
	s.url = fmt.Sprintf("postgres://postgres:%s@127.0.0.1:%d/postgres?sslmode=disable", pw, port)
	return s.waitReady(logPath, func(ctx context.Context) error {
		c, err := pgx.Connect(ctx, s.url)
		if err != nil {
			return err
		}
		return c.Close(ctx)
	})
}

// mariadbBins finds mariadbd and mariadb-install-db.
func mariadbBins() (server, install string, err error) {
	for _, n := range []string{"mariadbd", "/usr/sbin/mariadbd", "/usr/sbin/mysqld"} {
		if p, err := exec.LookPath(n); err == nil {
			server = p
			break
		}
	}
	for _, n := range []string{"mariadb-install-db", "mysql_install_db"} {
		if p, err := exec.LookPath(n); err == nil {
			install = p
			break
		}
	}
	if server == "" || install == "" {
		return "", "", fmt.Errorf("%w: mariadbd or mariadb-install-db not found (apt-get install mariadb-server, or set %s)", errMissing, MySQLURLEnv)
	}
	return server, install, nil
}

// MariaDBAdmin is the account the started MariaDB server creates for tests.
const MariaDBAdmin = "piimap_admin"

func (s *Server) startMariaDB() (err error) {
	defer func() { s.noteMissing(err) }()
	server, install, err := mariadbBins()
	if err != nil {
		return err
	}
	r, err := s.prepare("mysql", "piimap-testdb-mariadb-")
	if err != nil {
		return err
	}
	logPath := filepath.Join(s.dir, "server.log")
	logFile, err := os.Create(logPath)
	if err != nil {
		return err
	}
	defer logFile.Close()
	if err := r.chown(logPath); err != nil {
		return err
	}
	data := filepath.Join(s.dir, "data")
	// Its own directory for temporary files: the install's and the
	// server's went to /tmp, where a concurrent bootstrap or a cleanup
	// deleted one (Error on delete of '/tmp/#sql-temptable-…').
	tmp := filepath.Join(s.dir, "tmp")
	if err := os.Mkdir(tmp, 0o700); err != nil {
		return err
	}
	if err := r.chown(tmp); err != nil {
		return err
	}
	inst := r.command(logFile, install, "--no-defaults", "--datadir="+data,
		"--auth-root-authentication-method=normal", "--skip-test-db", "--skip-name-resolve")
	inst.Env = append(inst.Env, "TMPDIR="+tmp)
	if err := inst.Run(); err != nil {
		return fmt.Errorf("mariadb-install-db: %v: %s", err, logTail(logPath))
	}
	pw := Password()
	initFile := filepath.Join(s.dir, "init.sql")
	initSQL := fmt.Sprintf("CREATE USER IF NOT EXISTS '%s'@'%%' IDENTIFIED BY '%s';\n"+
		"GRANT ALL PRIVILEGES ON *.* TO '%s'@'%%' WITH GRANT OPTION;\n", MariaDBAdmin, pw, MariaDBAdmin)
	if err := os.WriteFile(initFile, []byte(initSQL), 0o600); err != nil {
		return err
	}
	if err := r.chown(initFile); err != nil {
		return err
	}
	port, err := FreePort()
	if err != nil {
		return err
	}
	cmd := r.command(logFile, server, "--no-defaults",
		"--datadir="+data,
		"--tmpdir="+tmp,
		"--socket="+filepath.Join(s.dir, "mysqld.sock"),
		"--pid-file="+filepath.Join(s.dir, "mysqld.pid"),
		"--port="+strconv.Itoa(port),
		"--bind-address=127.0.0.1",
		"--skip-name-resolve",
		"--init-file="+initFile,
		"--log-error="+filepath.Join(s.dir, "error.log"),
		"--innodb-buffer-pool-size=256M",
		"--innodb-flush-log-at-trx-commit=0",
		"--innodb-doublewrite=0",
		"--skip-log-bin",
		"--performance-schema=OFF",
		"--max-connections=60",
		"--character-set-server=utf8mb4",
		"--collation-server=utf8mb4_general_ci")
	if err := s.launch(cmd); err != nil {
		return fmt.Errorf("start mariadbd: %w", err)
	}
	s.url = fmt.Sprintf("mysql://%s:%s@127.0.0.1:%d/", MariaDBAdmin, pw, port)
	cfg := mysql.NewConfig()
	cfg.User, cfg.Passwd, cfg.Net, cfg.Addr = MariaDBAdmin, pw, "tcp", fmt.Sprintf("127.0.0.1:%d", port)
	cfg.Logger = quietLogger{} // connection errors while starting are expected
	errLog := filepath.Join(s.dir, "error.log")
	return s.waitReady(errLog, func(ctx context.Context) error {
		conn, err := mysql.NewConnector(cfg)
		if err != nil {
			return err
		}
		db := sql.OpenDB(conn)
		defer db.Close()
		return db.PingContext(ctx)
	})
}

func (s *Server) noteMissing(err error) {
	if errors.Is(err, errMissing) {
		s.missing = err.Error()
	}
}

// quietLogger drops the MySQL driver's log lines.
type quietLogger struct{}

func (quietLogger) Print(...any) {}
