package detectors

// Run is a maximal run of ASCII digits in Input.Buf: Buf[Start:End].
type Run struct{ Start, End int }

// Input is one piece of content handed to every detector: a chunk of a file,
// one CSV field, one database value. It computes the digit runs once and
// offers the context helpers detectors share. An Input is reused between
// chunks with Reset; it is not safe for concurrent use.
type Input struct {
	// Buf is the content. Detectors never modify it.
	Buf []byte
	// Key is the column name, CSV header or JSON key path the content came
	// from, or "" for free text. It is context for every value in Buf.
	Key string
	// KeyAt, when set, returns the key path (e.g. "user.email") of the value
	// at byte offset pos, for structured text such as JSON lines. It is only
	// called for validated matches.
	KeyAt func(pos int) string

	runs     []Run
	runsDone bool
	keyCtx   keyContext
}

// Reset prepares in for new content, keeping its buffers.
func (in *Input) Reset(buf []byte, key string) {
	in.Buf = buf
	in.Key = key
	in.KeyAt = nil
	in.runs = in.runs[:0]
	in.runsDone = false
	in.keyCtx = keyContext{}
}

// Runs returns the maximal digit runs of Buf in order.
func (in *Input) Runs() []Run {
	if in.runsDone {
		return in.runs
	}
	in.runsDone = true
	b := in.Buf
	runs := in.runs[:0]
	for i := 0; i < len(b); i++ {
		if b[i]-'0' > 9 {
			continue
		}
		s := i
		for i < len(b) && b[i]-'0' <= 9 {
			i++
		}
		runs = append(runs, Run{s, i})
	}
	in.runs = runs
	return runs
}

// ByteAt returns Buf[i], or 0 when i is outside Buf. Detectors use it for
// boundary checks without bounds tests of their own.
func (in *Input) ByteAt(i int) byte {
	if i < 0 || i >= len(in.Buf) {
		return 0
	}
	return in.Buf[i]
}

// IsDigit reports whether c is an ASCII digit.
func IsDigit(c byte) bool { return c-'0' <= 9 }

// IsAlnum reports whether c is an ASCII letter or digit, or a byte of a
// multi-byte UTF-8 sequence (which may be a letter).
func IsAlnum(c byte) bool { return byteClass[c]&classAlnum != 0 }

const (
	classAlnum = 1 << iota
)

var byteClass = func() (t [256]byte) {
	for c := 0; c < 256; c++ {
		switch {
		case c >= '0' && c <= '9', c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c >= 0x80:
			t[c] |= classAlnum
		}
	}
	return t
}()
