// Package corpus generates realistic log text for benchmarks and
// false-positive tests: nginx access lines, application lines with
// timestamps, UUIDs, order ids, account numbers and random numbers, and
// now and then a line that leaks personal data. The output is deterministic
// for a seed.
package corpus

import (
	"bufio"
	"fmt"
	"io"
	"math/rand/v2"
)

// Options shape a corpus.
type Options struct {
	Seed uint64
	// PIIEvery puts a personal-data line every PIIEvery lines on average; 0 = never.
	PIIEvery int
}

// Write writes about size bytes of log lines to w and returns the bytes
// written and the number of personal-data lines.
func Write(w io.Writer, size int64, opt Options) (written int64, piiLines int, err error) {
	rng := rand.New(rand.NewPCG(opt.Seed, opt.Seed^0x9e3779b97f4a7c15))
	bw := bufio.NewWriterSize(w, 1<<16)
	var line []byte
	for written < size {
		line = line[:0]
		if opt.PIIEvery > 0 && rng.IntN(opt.PIIEvery) == 0 {
			line = appendPII(line, rng)
			piiLines++
		} else {
			line = appendNoise(line, rng)
		}
		line = append(line, '\n')
		n, werr := bw.Write(line)
		written += int64(n)
		if werr != nil {
			return written, piiLines, werr
		}
	}
	return written, piiLines, bw.Flush()
}

func ts(b []byte, r *rand.Rand) []byte {
	return fmt.Appendf(b, "2026-03-%02dT%02d:%02d:%02d.%03d+01:00", 1+r.IntN(28), r.IntN(24), r.IntN(60), r.IntN(60), r.IntN(1000))
}

var paths = []string{"/", "/produkter/kaffe/espresso-500g", "/kasse", "/api/v2/cart", "/static/app.3f9a1c.js", "/healthz", "/metrics", "/ordre/status"}
var agents = []string{"Mozilla/5.0 (Windows NT 10.0; Win64; x64)", "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X)", "kube-probe/1.29", "curl/8.5.0"}

// appendNoise appends one line without personal data, full of the numbers
// that look like identifiers: timestamps, UUIDs, order ids, random 11-digit
// numbers, account numbers written 1234.56.78903, KIDs.
func appendNoise(b []byte, r *rand.Rand) []byte {
	switch r.IntN(8) {
	case 0, 1, 2:
		// access log from private ranges and loopback (not findings, or private_range)
		b = fmt.Appendf(b, "10.%d.%d.%d - - [02/Mar/2026:%02d:%02d:%02d +0100] \"GET %s HTTP/1.1\" %d %d \"-\" \"%s\"",
			r.IntN(256), r.IntN(256), 1+r.IntN(254), r.IntN(24), r.IntN(60), r.IntN(60),
			paths[r.IntN(len(paths))], []int{200, 200, 302, 404}[r.IntN(4)], r.IntN(90000), agents[r.IntN(len(agents))])
	case 3:
		b = ts(b, r)
		b = fmt.Appendf(b, " INFO  request id=%08x-%04x-%04x-%04x-%012x took %d ms", r.Uint32(), r.IntN(1<<16), r.IntN(1<<16), r.IntN(1<<16), r.Int64N(1<<48), r.IntN(900))
	case 4:
		b = ts(b, r)
		b = fmt.Appendf(b, " INFO  order %d%02d%02d-%05d total=%d.%02d NOK ref=%011d", 2026, 1+r.IntN(12), 1+r.IntN(28), r.IntN(100000), r.IntN(5000), r.IntN(100), r.Int64N(1e11))
	case 5:
		b = ts(b, r)
		b = fmt.Appendf(b, " DEBUG batch %04d%02d%02d%02d%02d%02d processed %d rows, trace=%d", 2020+r.IntN(7), 1+r.IntN(12), 1+r.IntN(28), r.IntN(24), r.IntN(60), r.IntN(60), r.IntN(10000), r.Int64N(1e11))
	case 6:
		b = ts(b, r)
		b = fmt.Appendf(b, " INFO  invoice sent, konto %04d.%02d.%05d KID %d", 1000+r.IntN(9000), r.IntN(100), r.IntN(100000), r.Int64N(1e13))
	default:
		b = ts(b, r)
		b = fmt.Appendf(b, " WARN  cache miss key=user:%d:%d epoch=%d", r.IntN(100000), r.Int64N(1e11), 1700000000+r.IntN(100000000))
	}
	return b
}

// appendPII appends one line that leaks personal data.
func appendPII(b []byte, r *rand.Rand) []byte {
	b = ts(b, r)
	switch r.IntN(5) {
	case 0:
		b = append(b, " ERROR kyc: lookup failed for fnr="...)
		b = append(b, Fnr(r)...)
	case 1:
		b = fmt.Appendf(b, " INFO  mail sent to %s.%s%d@example-post.no", []string{"ola", "kari", "per", "ingrid"}[r.IntN(4)], []string{"nordmann", "hansen", "olsen"}[r.IntN(3)], r.IntN(100))
	case 2:
		b = fmt.Appendf(b, " INFO  sms to tlf +47 9%02d %02d %03d", r.IntN(100), r.IntN(100), r.IntN(1000))
	case 3:
		b = append(b, " ERROR payment declined card="...)
		b = append(b, Card(r)...)
	default:
		b = fmt.Appendf(b, " INFO  login from client_ip=84.%d.%d.%d user=%d", r.IntN(256), r.IntN(256), 1+r.IntN(254), r.IntN(100000))
	}
	return b
}

// Fnr returns a random valid classic fødselsnummer (11 digits).
func Fnr(r *rand.Rand) string {
	w1 := [9]int{3, 7, 6, 1, 8, 9, 4, 5, 2}
	w2 := [10]int{5, 4, 3, 2, 7, 6, 5, 4, 3, 2}
	for {
		d := [11]int{}
		day, month, year := 1+r.IntN(28), 1+r.IntN(12), r.IntN(100)
		ind := r.IntN(500)
		d[0], d[1], d[2], d[3], d[4], d[5] = day/10, day%10, month/10, month%10, year/10, year%10
		d[6], d[7], d[8] = ind/100, ind/10%10, ind%10
		s := 0
		for i, w := range w1 {
			s += w * d[i]
		}
		k1 := (11 - s%11) % 11
		if k1 == 10 {
			continue
		}
		d[9] = k1
		s = 0
		for i, w := range w2 {
			s += w * d[i]
		}
		k2 := (11 - s%11) % 11
		if k2 == 10 {
			continue
		}
		d[10] = k2
		out := make([]byte, 11)
		for i, v := range d {
			out[i] = byte('0' + v)
		}
		return string(out)
	}
}

// Card returns a random Luhn-valid 16-digit Visa number.
func Card(r *rand.Rand) string {
	d := make([]byte, 16)
	d[0] = '4'
	for i := 1; i < 15; i++ {
		d[i] = byte('0' + r.IntN(10))
	}
	sum := 0
	for i := 14; i >= 0; i-- {
		v := int(d[i] - '0')
		if (14-i)%2 == 0 {
			v *= 2
			if v > 9 {
				v -= 9
			}
		}
		sum += v
	}
	d[15] = byte('0' + (10-sum%10)%10)
	return string(d)
}

// Bytes returns up to maxLen-1 bytes (a length drawn from r) drawn from
// alphabet: random input for tests that compare a fast function with a
// plain one, where an alphabet of the bytes that matter makes the cases
// that matter common.
func Bytes(r *rand.Rand, alphabet string, maxLen int) []byte {
	b := make([]byte, r.IntN(maxLen))
	for i := range b {
		b[i] = alphabet[r.IntN(len(alphabet))]
	}
	return b
}
