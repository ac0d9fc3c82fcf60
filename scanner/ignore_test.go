package scanner

import (
	"fmt"
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

// TestFindingOrderIsTotal: findings of one location come in one order on
// every run: built-in categories in report order, custom ones after them
// by name, and the matches without an inline ignore before those with one.
func TestFindingOrderIsTotal(t *testing.T) {
	custom := func(id, cat, pattern, match string) detectors.Detector {
		d, err := detectors.NewCustom(detectors.Rule{ID: id, Category: cat, Pattern: pattern,
			Examples: detectors.RuleExamples{Match: []string{match}, NoMatch: []string{"X-1234"}}})
		if err != nil {
			t.Fatal(err)
		}
		return d
	}
	dets := []detectors.Detector{
		custom("zeta", "zeta_id", `\bZ-\d{4}\b`, "Z-1234"), detectors.NewNoFnr(), custom("alpha", "alpha_id", `\bA-\d{4}\b`, "A-1234"),
	}
	text := "Z-1234 A-1234\nfnr 15038712486 # piimap:ignore\nfnr 15038712486\n"
	want := []string{"national_id", "national_id ignored", "alpha_id", "zeta_id"}
	for range 30 {
		res := scan(t, Config{Detectors: dets, Workers: 2}, textUnit{path: "a.log", text: text, size: 1 << 20})
		var got []string
		for _, f := range res.Findings {
			s := string(f.Category)
			if f.InlineIgnored {
				s += " ignored"
			}
			got = append(got, s)
		}
		if len(got) != len(want) || fmt.Sprint(got) != fmt.Sprint(want) {
			t.Fatalf("findings in order %v, want %v", got, want)
		}
	}
}
