package report

import (
	"fmt"
	"sort"
	"strings"

	"github.com/piimap/piimap/internal/textfmt"
)

// ReasonCount is how many failures share one reason.
type ReasonCount struct {
	Reason string
	Count  int
}

// FailureReasons groups failures by reason: the error text after the
// location it names, with numbers replaced by N ("zstd data corrupt: match
// offset (N) bigger than current history (N)"), most frequent first.
func FailureReasons(fs []Failure) []ReasonCount {
	counts := map[string]int{}
	for _, f := range fs {
		counts[failureReason(f)]++
	}
	out := make([]ReasonCount, 0, len(counts))
	for r, n := range counts {
		out = append(out, ReasonCount{r, n})
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Count != out[j].Count {
			return out[i].Count > out[j].Count
		}
		return out[i].Reason < out[j].Reason
	})
	return out
}

// failureReason is the part of f's error after the location it names.
func failureReason(f Failure) string {
	e := f.Error
	path := f.Location
	if i := strings.Index(path, ":"); i >= 0 && !strings.Contains(path[:i], "/") {
		path = path[i+1:] // file:logs/a.log → logs/a.log
	}
	if i := strings.LastIndex(e, path+": "); i >= 0 && path != "" {
		e = e[i+len(path)+2:]
	}
	var b strings.Builder
	digits := false
	for _, c := range e {
		if c >= '0' && c <= '9' {
			if !digits {
				b.WriteByte('N')
			}
			digits = true
			continue
		}
		digits = false
		b.WriteRune(c)
	}
	r := b.String()
	if len(r) > 100 {
		r = r[:100] + "…"
	}
	return r
}

// failureKinds says what failed: "3,523 archive members and 2 files".
func failureKinds(fs []Failure) string {
	var members, tables, files int
	for _, f := range fs {
		switch {
		case strings.Contains(f.Location, "!"):
			members++
		case !strings.HasPrefix(f.Location, "file:") && !strings.HasPrefix(f.Location, "smb://"):
			tables++
		default:
			files++
		}
	}
	var parts []string
	for _, p := range []struct {
		n          int
		one, other string
	}{{files, "file", "files"}, {members, "archive member", "archive members"}, {tables, "table or database", "tables or databases"}} {
		if p.n == 1 {
			parts = append(parts, "1 "+p.one)
		} else if p.n > 1 {
			parts = append(parts, textfmt.Thousands(int64(p.n))+" "+p.other)
		}
	}
	return strings.Join(parts, " and ")
}

// FailureSummary is one line on what could not be read, by reason:
// "3,523 archive members could not be read: 1,640 zstd data truncated:
// unexpected EOF, 466 …; see the report". Empty without failures.
func FailureSummary(fs []Failure) string {
	if len(fs) == 0 {
		return ""
	}
	reasons := FailureReasons(fs)
	const shown = 4
	var parts []string
	for i, r := range reasons {
		if i == shown {
			parts = append(parts, fmt.Sprintf("%s more in %d other reasons", textfmt.Thousands(int64(sumCounts(reasons[shown:]))), len(reasons)-shown))
			break
		}
		parts = append(parts, textfmt.Thousands(int64(r.Count))+" "+r.Reason)
	}
	return fmt.Sprintf("%s could not be read: %s; see the report", failureKinds(fs), strings.Join(parts, ", "))
}

func sumCounts(rs []ReasonCount) int {
	n := 0
	for _, r := range rs {
		n += r.Count
	}
	return n
}
