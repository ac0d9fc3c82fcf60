#!/usr/bin/env bash
# testdb.sh: start throwaway PostgreSQL and MariaDB servers for the tests, once
# for a whole `go test` run, on loopback and free ports, in one directory.
#
#   eval "$(scripts/testdb.sh start /tmp/piimap-testdb)"   # prints export lines
#   go test ./...
#   scripts/testdb.sh stop /tmp/piimap-testdb
#
# The exported PIIMAP_TEST_POSTGRES_URL / PIIMAP_TEST_MYSQL_URL are admin URLs;
# the tests (internal/testdb) use them instead of starting servers of their
# own, and create and drop their own databases and roles. Without this script
# every test package starts its own servers (a few seconds each).
#
# Needs: postgresql (initdb, postgres: /usr/lib/postgresql/*/bin or
# PIIMAP_PG_BIN) and mariadb-server (mariadbd, mariadb-install-db). As root the
# servers run as the postgres and mysql users. `stop` stops only the servers
# whose pid files are in DIR, and removes DIR.
set -euo pipefail

die() { echo "testdb.sh: $*" >&2; exit 1; }

free_port() {
  local p
  for _ in $(seq 1 200); do
    p=$((20000 + RANDOM % 40000))
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then
      echo "$p"
      return
    fi
  done
  die "no free port found"
}

# as USER CMD...: run CMD as USER when root, else as ourselves.
as() {
  local user=$1
  shift
  if [ "$(id -u)" = 0 ]; then
    runuser -u "$user" -- "$@"
  else
    "$@"
  fi
}

pg_bin() {
  if [ -n "${PIIMAP_PG_BIN:-}" ]; then
    echo "$PIIMAP_PG_BIN"
    return
  fi
  local d
  d=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -t/ -k4 -n | tail -1)
  [ -x "$d/initdb" ] || die "PostgreSQL binaries not found (apt-get install postgresql)"
  echo "$d"
}

start_pg() {
  local dir=$1/pg bin port pw
  bin=$(pg_bin)
  mkdir -p "$dir"
  chmod 700 "$dir"
  [ "$(id -u)" = 0 ] && chown postgres: "$dir"
  pw=$(od -An -tx1 -N12 /dev/urandom | tr -d ' \n')
  (umask 077 && echo "$pw" >"$dir/pwfile")
  [ "$(id -u)" = 0 ] && chown postgres: "$dir/pwfile"
  as postgres "$bin/initdb" -D "$dir/data" -U postgres --pwfile="$dir/pwfile" \
    --auth-local=trust --auth-host=scram-sha-256 -E UTF8 --no-locale --no-sync \
    --no-instructions >"$dir/initdb.log" 2>&1 || die "initdb failed: $(tail -5 "$dir/initdb.log")"
  port=$(free_port)
  as postgres "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 start \
    -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=100" \
    >/dev/null || die "postgres did not start: $(tail -5 "$dir/server.log")"
  echo "export PIIMAP_TEST_POSTGRES_URL='postgres://postgres:$pw@127.0.0.1:$port/postgres?sslmode=disable'"
}

start_mariadb() {
  local dir=$1/mariadb port pw server install user=mysql
  server=$(command -v mariadbd || echo /usr/sbin/mariadbd)
  install=$(command -v mariadb-install-db || true)
  [ -x "$server" ] && [ -n "$install" ] || die "MariaDB binaries not found (apt-get install mariadb-server)"
  [ "$(id -u)" = 0 ] || user=$(id -un)
  mkdir -p "$dir"
  chmod 700 "$dir"
  [ "$(id -u)" = 0 ] && chown mysql: "$dir"
  as "$user" "$install" --no-defaults --datadir="$dir/data" --auth-root-authentication-method=normal \
    --skip-test-db --skip-name-resolve >"$dir/install.log" 2>&1 || die "mariadb-install-db failed: $(tail -5 "$dir/install.log")"
  pw=$(od -An -tx1 -N12 /dev/urandom | tr -d ' \n')
  (umask 077 && printf "CREATE USER IF NOT EXISTS 'piimap_admin'@'%%' IDENTIFIED BY '%s';\nGRANT ALL PRIVILEGES ON *.* TO 'piimap_admin'@'%%' WITH GRANT OPTION;\n" "$pw" >"$dir/init.sql")
  [ "$(id -u)" = 0 ] && chown mysql: "$dir/init.sql"
  port=$(free_port)
  as "$user" "$server" --no-defaults --datadir="$dir/data" --socket="$dir/mysqld.sock" \
    --pid-file="$dir/mysqld.pid" --port="$port" --bind-address=127.0.0.1 --skip-name-resolve \
    --init-file="$dir/init.sql" --log-error="$dir/error.log" --innodb-buffer-pool-size=256M \
    --innodb-flush-log-at-trx-commit=0 --innodb-doublewrite=0 --skip-log-bin \
    --performance-schema=OFF --max-connections=100 --character-set-server=utf8mb4 \
    --collation-server=utf8mb4_general_ci >/dev/null 2>&1 </dev/null &
  for _ in $(seq 1 600); do
    if [ -S "$dir/mysqld.sock" ] && (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && [ -s "$dir/mysqld.pid" ]; then
      echo "export PIIMAP_TEST_MYSQL_URL='mysql://piimap_admin:$pw@127.0.0.1:$port/'"
      return
    fi
    sleep 0.1
  done
  die "mariadbd did not start: $(tail -5 "$dir/error.log" 2>/dev/null)"
}

stop_all() {
  local dir=$1 pid
  if [ -f "$dir/pg/data/postmaster.pid" ]; then
    as postgres "$(pg_bin)/pg_ctl" -D "$dir/pg/data" -m fast -w stop >/dev/null || true
  fi
  if [ -s "$dir/mariadb/mysqld.pid" ]; then
    pid=$(cat "$dir/mariadb/mysqld.pid")
    kill "$pid" 2>/dev/null || true
    for _ in $(seq 1 200); do
      kill -0 "$pid" 2>/dev/null || break
      sleep 0.1
    done
  fi
  rm -rf "$dir"
}

case "${1:-}" in
start)
  dir=${2:-$(mktemp -d /tmp/piimap-testdb.XXXXXX)}
  mkdir -p "$dir"
  chmod 711 "$dir"
  start_pg "$dir"
  start_mariadb "$dir"
  echo "export PIIMAP_TESTDB_DIR='$dir'"
  ;;
stop)
  [ -n "${2:-}" ] || die "usage: $0 stop DIR"
  stop_all "$2"
  ;;
*)
  die "usage: $0 start [DIR] | stop DIR"
  ;;
esac
