package report

import (
	"encoding/json"
	"strings"
	"testing"
)

// TestCompareCarriesNoValues: an earlier report made with --show-values
// must not bring its values into a diff or a comparison section.
func TestCompareCarriesNoValues(t *testing.T) {
	old := &Report{Findings: []Finding{
		{Location: "file:a.log", Category: "email", Fingerprint: "pm1:a", Count: 1, Verdict: Undeclared, Confidence: "high",
			Examples: []string{"kari.nordmann@gmail.com"}, RowKeys: []string{"epost=kari.nordmann@gmail.com"}},
		{Location: "file:gone.log", Category: "national_id", Fingerprint: "pm1:g", Count: 1, Verdict: Undeclared, Confidence: "high",
			Examples: []string{"15038712486"}},
	}}
	cur := &Report{Findings: []Finding{
		{Location: "file:a.log", Category: "email", Fingerprint: "pm1:a", Count: 2, Verdict: Undeclared, Confidence: "high",
			Examples: []string{"k***@g***.com"}},
	}}
	d := Compare("old.json", old, "this scan", cur)
	b, err := json.Marshal(d)
	if err != nil {
		t.Fatal(err)
	}
	out := string(b)
	for _, v := range []string{"kari.nordmann", "15038712486"} {
		if strings.Contains(out, v) {
			t.Errorf("the diff holds the value %q: %s", v, out)
		}
	}
	if len(d.Changed) != 1 || len(d.Gone) != 1 || !strings.Contains(out, `"old_report":"old.json"`) {
		t.Errorf("diff %s; want one changed, one gone, named reports", out)
	}
}
