package textfmt

import "testing"

func TestThousands(t *testing.T) {
	for v, want := range map[int64]string{0: "0", 999: "999", 1000: "1,000", 12030: "12,030", 1234567: "1,234,567", -1234: "-1,234", -123: "-123"} {
		if got := Thousands(v); got != want {
			t.Errorf("Thousands(%d) = %q, want %q", v, got, want)
		}
	}
}
