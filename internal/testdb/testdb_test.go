package testdb

import (
	"context"
	"database/sql"
	"errors"
	"os"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/go-sql-driver/mysql"
	"github.com/jackc/pgx/v5"
)

// checkFnr is the independent check form of identifiers.md §1.1:
// Σ w·d ≡ 0 (mod 11) for both weight rows.
func checkFnr(s string) bool {
	if len(s) != 11 {
		return false
	}
	w1 := []int{3, 7, 6, 1, 8, 9, 4, 5, 2, 1}
	w2 := []int{5, 4, 3, 2, 7, 6, 5, 4, 3, 2, 1}
	s1, s2 := 0, 0
	for i := range 11 {
		d := int(s[i] - '0')
		if d < 0 || d > 9 {
			return false
		}
		if i < 10 {
			s1 += w1[i] * d
		}
		s2 += w2[i] * d
	}
	return s1%11 == 0 && s2%11 == 0
}

func TestFnrPublishedExamples(t *testing.T) {
	// Skatteetaten's examples (identifiers.md §1): classic 02013299997,
	// Tenor synthetic 17912099997 (month + 80).
	for _, c := range []struct {
		day, month, yy, individ int
		want                    string
	}{
		{2, 1, 32, 999, "02013299997"},
		{17, 91, 20, 999, "17912099997"},
	} {
		got, ok := Fnr(c.day, c.month, c.yy, c.individ)
		if !ok || got != c.want {
			t.Errorf("Fnr(%d,%d,%d,%d) = %q,%v; want %q", c.day, c.month, c.yy, c.individ, got, ok, c.want)
		}
	}
	// An individnummer whose K1 would be 10 is refused: find one and
	// check that the refusal is right by trying every control digit.
	refused := 0
	for individ := 0; individ < 100; individ++ {
		if _, ok := Fnr(1, 1, 90, individ); ok {
			continue
		}
		refused++
		base := "010190" + strconv.Itoa(1000 + individ)[1:]
		for k := range 100 {
			if f := base + strconv.Itoa(100 + k)[1:]; checkFnr(f) {
				t.Errorf("individnummer %03d refused but %s is valid", individ, f)
			}
		}
	}
	if refused == 0 {
		t.Error("no individnummer refused among 100; expected about 1 in 11 for K1 alone")
	}
}

func TestFnrsValidDistinct(t *testing.T) {
	got := Fnrs(500, 0)
	seen := map[string]bool{}
	leadingZero := 0
	for _, f := range got {
		if !checkFnr(f) {
			t.Errorf("%s fails the checksum", f)
		}
		if seen[f] {
			t.Errorf("%s repeated", f)
		}
		seen[f] = true
		if f[0] == '0' {
			leadingZero++
		}
	}
	if len(got) != 500 || leadingZero == 0 {
		t.Errorf("got %d numbers, %d with a leading zero", len(got), leadingZero)
	}
	// A changed digit breaks the check.
	bad := []byte(got[0])
	bad[4] = '0' + (bad[4]-'0'+1)%10
	if checkFnr(string(bad)) {
		t.Errorf("%s with one digit changed still passes", bad)
	}
}

func TestLuhnAndPersonnummer(t *testing.T) {
	if got := Luhn("411111111111111"); got != "4111111111111111" {
		t.Errorf("Luhn = %s", got)
	}
	if !LuhnValid("79927398713") || LuhnValid("79927398710") {
		t.Error("LuhnValid wrong on 7992739871x")
	}
	// Skatteverket's example (identifiers.md): 701063-2391.
	if got := Personnummer(70, 10, 63, 239); got != "701063-2391" {
		t.Errorf("Personnummer = %s", got)
	}
}

func alive(pid int) bool {
	return syscall.Kill(pid, 0) == nil
}

// procUID returns the real uid of a process from /proc.
func procUID(t *testing.T, pid int) int {
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/status")
	if err != nil {
		t.Fatal(err)
	}
	for _, l := range strings.Split(string(b), "\n") {
		if f := strings.Fields(l); len(f) > 1 && f[0] == "Uid:" {
			uid, _ := strconv.Atoi(f[1])
			return uid
		}
	}
	t.Fatal("no Uid in status")
	return -1
}

func TestPostgresStartStop(t *testing.T) {
	t.Setenv(PostgresURLEnv, "")
	s := Postgres()
	defer s.Stop()
	u := s.URL(t)
	if !s.Started() {
		t.Fatal("server not started by us")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	c, err := pgx.Connect(ctx, u)
	if err != nil {
		t.Fatal(err)
	}
	var super bool
	if err := c.QueryRow(ctx, "SELECT rolsuper FROM pg_roles WHERE rolname = current_user").Scan(&super); err != nil || !super {
		t.Fatalf("admin URL is not a superuser: %v %v", super, err)
	}
	c.Close(ctx)
	// Password authentication is on: a wrong password is refused.
	cfg, _ := pgx.ParseConfig(u)
	cfg.Password = "wrong"
	if c2, err := pgx.ConnectConfig(ctx, cfg); err == nil {
		c2.Close(ctx)
		t.Fatal("wrong password accepted")
	}
	pid, dir := s.cmd.Process.Pid, s.Dir()
	if os.Geteuid() == 0 && procUID(t, pid) == 0 {
		t.Error("postgres runs as root")
	}
	s.Stop()
	if alive(pid) {
		t.Errorf("postgres %d still running after Stop", pid)
	}
	if _, err := os.Stat(dir); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("%s not removed: %v", dir, err)
	}
}

func TestMariaDBStartStop(t *testing.T) {
	t.Setenv(MySQLURLEnv, "")
	s := MariaDB()
	defer s.Stop()
	u := s.URL(t)
	if !s.Started() || !strings.HasPrefix(u, "mysql://"+MariaDBAdmin+":") {
		t.Fatalf("unexpected URL form or not started: started=%v", s.Started())
	}
	addr := u[strings.LastIndexByte(u, '@')+1 : len(u)-1]
	pw := u[len("mysql://"+MariaDBAdmin+":"):strings.LastIndexByte(u, '@')]
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	open := func(pass string) *sql.DB {
		cfg := mysql.NewConfig()
		cfg.User, cfg.Passwd, cfg.Net, cfg.Addr = MariaDBAdmin, pass, "tcp", addr
		cfg.Logger = quietLogger{}
		conn, err := mysql.NewConnector(cfg)
		if err != nil {
			t.Fatal(err)
		}
		return sql.OpenDB(conn)
	}
	db := open(pw)
	var version string
	if err := db.QueryRowContext(ctx, "SELECT VERSION()").Scan(&version); err != nil || !strings.Contains(version, "MariaDB") {
		t.Fatalf("version %q, %v", version, err)
	}
	db.Close()
	bad := open("wrong")
	if err := bad.PingContext(ctx); err == nil {
		t.Fatal("wrong password accepted")
	}
	bad.Close()
	pid, dir := s.cmd.Process.Pid, s.Dir()
	if os.Geteuid() == 0 && procUID(t, pid) == 0 {
		t.Error("mariadbd runs as root")
	}
	s.Stop()
	if alive(pid) {
		t.Errorf("mariadbd %d still running after Stop", pid)
	}
	if _, err := os.Stat(dir); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("%s not removed: %v", dir, err)
	}
}

func TestMissingBinaries(t *testing.T) {
	t.Setenv(PostgresURLEnv, "")
	t.Setenv("PIIMAP_PG_BIN", t.TempDir())
	s := Postgres()
	s.once.Do(s.start)
	if s.missing == "" || !strings.Contains(s.missing, "not found") {
		t.Fatalf("missing binaries not noticed: missing=%q err=%v", s.missing, s.err)
	}
	if s.Started() || s.Dir() != "" {
		t.Error("a server or directory was left behind")
	}
}

func TestExistingServerFromEnv(t *testing.T) {
	t.Setenv(PostgresURLEnv, "postgres://someone@127.0.0.1:1/x")
	s := Postgres()
	if got := s.URL(t); got != "postgres://someone@127.0.0.1:1/x" || s.Started() {
		t.Fatalf("URL = %q, started = %v", got, s.Started())
	}
	s.Stop() // must not touch anything
}
