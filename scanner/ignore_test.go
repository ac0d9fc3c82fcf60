package scanner

import (
	"testing"

	"github.com/piimap/piimap/detectors"
)

func TestInlineIgnored(t *testing.T) {
	for _, tc := range []struct {
		text string
		cat  detectors.Category
		want bool
	}{
		{`fnr = "15038712486"  # piimap:ignore`, detectors.NationalID, true},
		{`fnr = "15038712486"  // piimap:ignore national_id`, detectors.NationalID, true},
		{`x = "15038712486 a@b.no" // piimap:ignore email`, detectors.NationalID, false},
		{`x = "15038712486 a@b.no" // piimap:ignore email, national_id`, detectors.NationalID, true},
		{`<td>15038712486</td> <!-- piimap:ignore -->`, detectors.NationalID, true},
		{`/* piimap:ignore */ 15038712486`, detectors.NationalID, true},
		{`fnr = "15038712486"  # piimap ignore`, detectors.NationalID, false},
		{"# piimap:ignore\nfnr = 15038712486", detectors.NationalID, false}, // the line before does not count
		{"fnr = 15038712486\n# piimap:ignore", detectors.NationalID, false},
		// A custom category of the scan is a category too: naming it does not ignore the rest.
		{`15038712486 KND-1234560 # piimap:ignore customer_number`, detectors.NationalID, false},
		{`15038712486 KND-1234560 # piimap:ignore customer_number`, "customer_number", true},
	} {
		pos := indexOf(tc.text, "15038712486")
		if got := inlineIgnored([]byte(tc.text), pos, tc.cat, []detectors.Category{"customer_number"}); got != tc.want {
			t.Errorf("%q (%s): %v, want %v", tc.text, tc.cat, got, tc.want)
		}
	}
}

func indexOf(s, sub string) int {
	for i := 0; i+len(sub) <= len(s); i++ {
		if s[i:i+len(sub)] == sub {
			return i
		}
	}
	return -1
}
