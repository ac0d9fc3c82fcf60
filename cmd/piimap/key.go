package main

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/piimap/piimap/report"
	"github.com/piimap/piimap/scanner"
)

// KeyEnv is the environment variable holding the project's fingerprint key
// (a CI secret). It wins over the key file.
const KeyEnv = "PIIMAP_FINGERPRINT_KEY"

// DefaultKeyFile is where the project's fingerprint key lives when
// KeyEnv is not set, relative to the project directory (the directory of
// the declaration in use, else the working directory). --write-baseline
// creates it (mode 0600) when no key exists, with a .gitignore beside it
// so that it is not committed.
const DefaultKeyFile = ".piimap/fingerprint.key"

// keyDirName is the directory of the default key file; scans skip it.
const keyDirName = ".piimap"

// minKeyBytes is the shortest secret accepted: 128 bits.
const minKeyBytes = 16

// projectKey is the resolved fingerprint secret of a run.
type projectKey struct {
	secret []byte
	source string // "PIIMAP_FINGERPRINT_KEY" or the key file path; "" = none
}

// locationKey keys the location fingerprints: the secret, or the public
// default when there is none (location fingerprints name no value).
func (k projectKey) locationKey() []byte {
	if len(k.secret) == 0 {
		return nil
	}
	return k.secret
}

// valueKey keys the value fingerprints: derived from the secret so that the
// two kinds of fingerprint never share a key; nil without a secret.
func (k projectKey) valueKey() []byte {
	if len(k.secret) == 0 {
		return nil
	}
	mac := hmac.New(sha256.New, k.secret)
	mac.Write([]byte("piimap value fingerprints v1"))
	return mac.Sum(nil)
}

// keyFilePath returns the key file to use: flag, else DefaultKeyFile in
// the directory of the declaration (or the working directory).
func keyFilePath(flag, declPath string) string {
	if flag != "" {
		return flag
	}
	dir := "."
	if declPath != "" {
		dir = filepath.Dir(declPath)
	}
	return filepath.Join(dir, DefaultKeyFile)
}

// loadProjectKey resolves the key: $PIIMAP_FINGERPRINT_KEY, else the key
// file. With create, a missing key file is made with 32 random bytes.
func loadProjectKey(env *Env, path string, create bool) (projectKey, error) {
	if v := os.Getenv(KeyEnv); v != "" {
		if len(v) < minKeyBytes {
			return projectKey{}, fmt.Errorf("%s is %d bytes; use at least %d random bytes (e.g. openssl rand -hex 32)", KeyEnv, len(v), minKeyBytes)
		}
		return projectKey{secret: []byte(v), source: KeyEnv}, nil
	}
	data, err := os.ReadFile(path)
	switch {
	case err == nil:
		s := strings.TrimSpace(string(data))
		if len(s) < minKeyBytes {
			return projectKey{}, fmt.Errorf("key file %s holds %d bytes; want at least %d (e.g. openssl rand -hex 32)", path, len(s), minKeyBytes)
		}
		return projectKey{secret: []byte(s), source: path}, nil
	case !errors.Is(err, fs.ErrNotExist):
		return projectKey{}, fmt.Errorf("read key file: %w", err)
	case !create:
		return projectKey{}, nil
	}
	var b [32]byte
	if _, err := rand.Read(b[:]); err != nil {
		return projectKey{}, fmt.Errorf("make key: %w", err)
	}
	// Letters only (a-p, one per nibble): a key file inside a scanned tree
	// holds no digit run a detector could take for a number.
	const nibbles = "abcdefghijklmnop"
	sb := make([]byte, 0, 2*len(b))
	for _, c := range b {
		sb = append(sb, nibbles[c>>4], nibbles[c&15])
	}
	secret := string(sb)
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return projectKey{}, fmt.Errorf("make key file: %w", err)
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return projectKey{}, fmt.Errorf("make key file: %w", err)
	}
	if _, err := f.WriteString(secret + "\n"); err != nil {
		f.Close()
		return projectKey{}, fmt.Errorf("make key file %s: %w", path, err)
	}
	if err := f.Close(); err != nil {
		return projectKey{}, fmt.Errorf("make key file %s: %w", path, err)
	}
	if filepath.Base(dir) == ".piimap" {
		gi := filepath.Join(dir, ".gitignore")
		if _, err := os.Stat(gi); errors.Is(err, fs.ErrNotExist) {
			_ = os.WriteFile(gi, []byte("# the fingerprint key is a secret: never commit it\n*.key\n"), 0o644)
		}
	}
	fmt.Fprintf(env.Stderr, "piimap: created the fingerprint key %s (mode 0600). Keep it out of version control; in CI set the secret %s to its content.\n", path, KeyEnv)
	return projectKey{secret: []byte(secret), source: path}, nil
}

// checkBaselineKey fails when a baseline's value fingerprints were made
// with another key than this run's (they could never match).
func checkBaselineKey(b *report.BaselineSet, path string, k projectKey) error {
	if b == nil || b.KeyID == "" {
		return nil
	}
	have := scanner.KeyID(k.valueKey())
	switch {
	case have == "":
		return fmt.Errorf("baseline %s holds value fingerprints (key %s) but this run has no fingerprint key: set %s or provide the key file (--fingerprint-key-file)", path, b.KeyID, KeyEnv)
	case have != b.KeyID:
		return fmt.Errorf("baseline %s was written with fingerprint key %s, this run uses key %s (from %s): use the same key, or write the baseline again (README: rotating the key)", path, b.KeyID, have, k.source)
	}
	return nil
}
