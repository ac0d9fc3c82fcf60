package report

import (
	"fmt"
	"strings"
	"testing"
)

func TestFailureSummaryGroupsByReason(t *testing.T) {
	var fs []Failure
	for i := 0; i < 1200; i++ {
		loc := fmt.Sprintf("file:t/fuzz.zip!case-%d", i)
		fs = append(fs, Failure{Location: loc, Error: "read t/fuzz.zip!case-" + fmt.Sprint(i) + ": zstd data truncated: unexpected EOF"})
	}
	for i := 0; i < 30; i++ {
		loc := fmt.Sprintf("file:t/fuzz.zip!off-%d", i)
		fs = append(fs, Failure{Location: loc, Error: fmt.Sprintf("read t/fuzz.zip!off-%d: zstd data corrupt: match offset (%d) bigger than current history (%d)", i, 1000+i, i)})
	}
	fs = append(fs, Failure{Location: "file:bad.pdf", Error: "read bad.pdf: malformed PDF"})
	for i := 0; i < 5; i++ {
		fs = append(fs, Failure{Location: "file:x" + fmt.Sprint(i), Error: fmt.Sprintf("read x%d: reason %c", i, 'a'+i)})
	}
	got := FailureSummary(fs)
	for _, want := range []string{
		"6 files and 1,230 archive members could not be read: ",
		"1,200 zstd data truncated: unexpected EOF, 30 zstd data corrupt: match offset (N) bigger than current history (N), ",
		"more in 4 other reasons; see the report",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("summary lacks %q:\n%s", want, got)
		}
	}
	if strings.Contains(got, "case-") || strings.Count(got, "\n") > 0 {
		t.Errorf("summary names locations or spans lines:\n%s", got)
	}
	if FailureSummary(nil) != "" {
		t.Error("no failures: want an empty summary")
	}
}
