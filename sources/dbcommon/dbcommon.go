// Package dbcommon holds what the database sources (postgres, mysql) share:
// option defaults, the redacted target of a connection URL, scrubbing of
// passwords from driver errors, column classification, sampling arithmetic
// and the delivery of column values to a sources.Sink. It knows no driver.
package dbcommon

import (
	"errors"
	"net"
	"strconv"
	"strings"
	"time"

	"github.com/piimap/piimap/sources"
)

// Defaults for the database options.
const (
	DefaultTimeout       = 30 * time.Second
	DefaultDBConnections = 2
)

// PasswordEnv is the environment variable both database sources read a
// password from when the URL has none.
const PasswordEnv = "PIIMAP_DB_PASSWORD"

// Normalize returns opt with zero values replaced by the defaults.
func Normalize(opt sources.Options) sources.Options {
	if opt.SampleRows <= 0 {
		opt.SampleRows = sources.DefaultSampleRows
	}
	if opt.Timeout <= 0 {
		opt.Timeout = DefaultTimeout
	}
	if opt.DBConnections <= 0 {
		opt.DBConnections = DefaultDBConnections
	}
	if opt.ChunkSize <= 0 {
		opt.ChunkSize = sources.DefaultChunkSize
	}
	return opt
}

// Target renders the location target of a database: scheme://host:port/db
// without user, password, query or trailing slash, so that it is stable for
// declaration globs whoever scans. An empty host (a unix socket) is shown as
// "localhost"; an empty db is left out.
func Target(scheme, host string, port int, db string) string {
	if host == "" || strings.HasPrefix(host, "/") {
		host = "localhost"
	}
	var b strings.Builder
	b.WriteString(scheme)
	b.WriteString("://")
	b.WriteString(net.JoinHostPort(host, strconv.Itoa(port)))
	if db != "" {
		b.WriteByte('/')
		b.WriteString(db)
	}
	return b.String()
}

// Scrub returns err with every occurrence of the given secrets replaced by
// "***". When nothing needs replacing the error is returned as it is, so
// that errors.Is and errors.As keep working; otherwise the result no longer
// unwraps (an unwrapped error would show the secret again).
func Scrub(err error, secrets ...string) error {
	if err == nil {
		return nil
	}
	msg := err.Error()
	out := msg
	for _, s := range secrets {
		if s == "" {
			continue
		}
		out = strings.ReplaceAll(out, s, "***")
	}
	if out == msg {
		return err
	}
	return errors.New(out)
}
