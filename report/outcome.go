package report

import (
	"slices"
	"strings"
)

// Outcome says in words whether a finding fails the run and why: its
// verdict under --fail-on, and its confidence against --fail-confidence.
func Outcome(f Finding, s Summary) string {
	failOn, failConf := s.FailOn, s.FailConfidence
	if failOn == "" {
		failOn = "undeclared"
	}
	if failConf == "" {
		failConf = "medium"
	}
	verdict := f.Verdict
	if f.Reason != "" {
		verdict += " (" + f.Reason + ")"
	}
	switch {
	case f.Failing:
		return "fails the run: " + verdict + ", " + f.Confidence + " confidence is at or above --fail-confidence " + failConf
	case Failing(f.Verdict, failOn):
		return "does not fail: " + verdict + ", but " + f.Confidence + " confidence is below --fail-confidence " + failConf
	case failOn == "never":
		return "does not fail: --fail-on never"
	}
	return "does not fail: " + verdict
}

// VerdictLabel is the short verdict of a finding for tables: "FAIL
// undeclared" when it fails the run, "undeclared (< medium)" when only its
// confidence keeps it from failing, with "+N new" values a baseline did not
// know.
func VerdictLabel(f Finding, s Summary) string {
	v := f.Verdict
	switch {
	case f.Failing:
		v = "FAIL " + v
	case f.Verdict != Ignored && Failing(f.Verdict, s.failOn()) && s.FailOn != "never":
		v += " (< " + s.failConfidence() + ")"
	}
	if f.NewValues > 0 {
		v += ", " + itoa(f.NewValues) + " new"
	}
	return v
}

func (s Summary) failOn() string {
	if s.FailOn == "" {
		return "undeclared"
	}
	return s.FailOn
}

func (s Summary) failConfidence() string {
	if s.FailConfidence == "" {
		return "medium"
	}
	return s.FailConfidence
}

// FailRule says in one sentence what fails the run.
func FailRule(s Summary) string {
	switch s.failOn() {
	case "never":
		return "Nothing fails the run (--fail-on never)."
	case "any":
		return "FAIL: fails the run: every finding not ignored (--fail-on any) at " + s.failConfidence() + " confidence or above (--fail-confidence)."
	}
	return "FAIL: fails the run: undeclared and misplaced findings (--fail-on undeclared) at " + s.failConfidence() + " confidence or above (--fail-confidence)."
}

// findingRank orders findings: failing first, then by verdict.
func findingRank(f Finding) int {
	r := verdictOrder[f.Verdict]
	if !f.Failing {
		r += 10
	}
	return r
}

// GroupedFindings returns the findings grouped by location: locations in
// the order of their most urgent finding (failing first, then undeclared,
// misplaced, declared, ignored), then by location; within a location the
// same order.
func GroupedFindings(r *Report) []Finding {
	best := map[string]int{}
	for _, f := range r.Findings {
		if b, ok := best[f.Location]; !ok || findingRank(f) < b {
			best[f.Location] = findingRank(f)
		}
	}
	fs := slices.Clone(r.Findings)
	slices.SortStableFunc(fs, func(a, b Finding) int {
		if d := best[a.Location] - best[b.Location]; d != 0 {
			return d
		}
		if c := strings.Compare(a.Location, b.Location); c != 0 {
			return c
		}
		return findingRank(a) - findingRank(b)
	})
	return fs
}

// categoryNames are the names people read for the category ids.
var categoryNames = map[string]string{
	"national_id":   "National identity number",
	"email":         "E-mail address",
	"phone":         "Phone number",
	"ip_address":    "IP address",
	"payment_card":  "Payment card number",
	"bank_account":  "Bank account number",
	"name":          "Name",
	"address":       "Postal address",
	"date_of_birth": "Date of birth",
	"credentials":   "Credentials (passwords, secrets)",
}

// CategoryName is the readable name of a category id ("National identity
// number" for national_id); an unknown id is spelled out from its words.
func CategoryName(cat string) string {
	if n, ok := categoryNames[cat]; ok {
		return n
	}
	s := strings.ReplaceAll(cat, "_", " ")
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}
