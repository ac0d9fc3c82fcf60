package pump

import (
	"errors"
	"io"
	"testing"
	"testing/iotest"
)

// counter produces "0\n1\n…" up to n, a line per step, then fails with err.
type counter struct {
	Buffer
	i, n int
}

func (c *counter) Read(p []byte) (int, error) {
	return c.Buffer.Read(p, func() {
		if c.i == c.n {
			c.Done = true
			return
		}
		c.Out = append(c.Out, byte('0'+c.i%10), '\n')
		c.i++
	})
}

func TestBuffer(t *testing.T) {
	got, err := io.ReadAll(iotest.OneByteReader(&counter{n: 12}))
	if err != nil || string(got) != "0\n1\n2\n3\n4\n5\n6\n7\n8\n9\n0\n1\n" {
		t.Errorf("%q, %v", got, err)
	}
	bad := errors.New("bad")
	c := &counter{n: 1}
	c.Read(make([]byte, 1))
	c.Done, c.Err = true, bad
	if b, err := io.ReadAll(c); string(b) != "\n" || err != bad {
		t.Errorf("after an error: %q, %v", b, err)
	}
	if err := iotest.TestReader(&counter{n: 30}, []byte("0\n1\n2\n3\n4\n5\n6\n7\n8\n9\n0\n1\n2\n3\n4\n5\n6\n7\n8\n9\n0\n1\n2\n3\n4\n5\n6\n7\n8\n9\n")); err != nil {
		t.Error(err)
	}
}
