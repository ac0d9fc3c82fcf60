package scanner

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"hash"

	"github.com/piimap/piimap/detectors"
)

// ValueFP is the keyed fingerprint of one normalised value: the first 12
// bytes (96 bits) of HMAC-SHA256(key, category NUL value). 96 bits keep
// accidental collisions out of reach for any number of values a baseline
// holds, while a set of 10,000 costs about 300 KB in memory.
type ValueFP [12]byte

// MaxValueFingerprints caps the distinct value fingerprints one finding
// keeps. Past it the finding is marked incomplete and a baseline falls back
// to comparing counts for that location (README: "Baselines").
const MaxValueFingerprints = 10000

// valueHasher computes value fingerprints, reusing its HMAC and buffers so
// that a fingerprint allocates nothing.
type valueHasher struct {
	mac hash.Hash // HMAC-SHA256 keyed with the value key
	buf []byte
	sum [sha256.Size]byte
}

func newValueHasher(key []byte) *valueHasher {
	return &valueHasher{mac: hmac.New(sha256.New, key)}
}

// fingerprint is HMAC(key, category NUL value), truncated; with a
// secret (detectors.Match.Secret), HMAC(key, category NUL value NUL
// secret), the secret's eight bytes little-endian.
func (h *valueHasher) fingerprint(cat detectors.Category, value string, secret uint64) ValueFP {
	h.buf = append(append(append(h.buf[:0], cat...), 0), value...)
	if secret != 0 {
		h.buf = binary.LittleEndian.AppendUint64(append(h.buf, 0), secret)
	}
	h.mac.Reset()
	h.mac.Write(h.buf)
	var fp ValueFP
	copy(fp[:], h.mac.Sum(h.sum[:0]))
	return fp
}

// ValueFingerprint returns the hex fingerprint of a normalised value under
// key, as it appears in Finding.Values and in baselines.
func ValueFingerprint(key []byte, cat detectors.Category, value string) string {
	fp := newValueHasher(key).fingerprint(cat, value, 0)
	return hex.EncodeToString(fp[:])
}

// KeyID names a value key without revealing it: the first 8 bytes of
// HMAC-SHA256(key, "piimap value key id"), hex. Reports and baselines carry
// it so that a baseline written under another key is recognised.
func KeyID(key []byte) string {
	if len(key) == 0 {
		return ""
	}
	mac := hmac.New(sha256.New, key)
	mac.Write([]byte("piimap value key id"))
	return hex.EncodeToString(mac.Sum(nil)[:8])
}
