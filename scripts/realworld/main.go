// Command realworld summarises piimap JSON reports of real public text
// (scripts/realworld.sh): the number of findings per category and
// confidence, with and without the test_data label. With -sample N it
// writes a template of findings to label for testdata/realworld/sample.tsv
// (values masked, as in the reports).
//
//	go run ./scripts/realworld doc=doc.json gomod=gomod.json
//	go run ./scripts/realworld -sample 100 doc=doc.json > sample.tsv
package main

import (
	"flag"
	"fmt"
	"math/rand/v2"
	"os"
	"slices"
	"strings"

	"github.com/piimap/piimap/detectors"
	"github.com/piimap/piimap/report"
)

func main() {
	sample := flag.Int("sample", 0, "write a TSV template of up to N findings per corpus to label, all phone, payment_card, national_id and ip_address findings at medium or high included")
	flag.Parse()
	var corpora []string
	reports := map[string]*report.Report{}
	for _, arg := range flag.Args() {
		name, path, ok := strings.Cut(arg, "=")
		if !ok {
			fmt.Fprintln(os.Stderr, "usage: realworld [-sample N] NAME=REPORT.json ...")
			os.Exit(2)
		}
		r, err := report.ReadJSON(path)
		if err != nil {
			fmt.Fprintln(os.Stderr, "realworld:", err)
			os.Exit(1)
		}
		corpora = append(corpora, name)
		reports[name] = r
	}
	if *sample > 0 {
		writeSample(corpora, reports, *sample)
		return
	}
	summarise(corpora, reports)
}

// summarise prints, per corpus and category, the findings at high, medium
// and low, and how many of them carry the test_data label.
func summarise(corpora []string, reports map[string]*report.Report) {
	fmt.Printf("%-9s %-14s %8s %8s %8s   %s\n", "corpus", "category", "high", "medium", "low", "(of which test_data: high/medium/low)")
	for _, c := range corpora {
		r := reports[c]
		type counts struct{ all, test [4]int }
		byCat := map[string]*counts{}
		for _, f := range r.Findings {
			conf, _ := detectors.ParseConfidence(f.Confidence)
			n := byCat[f.Category]
			if n == nil {
				n = &counts{}
				byCat[f.Category] = n
			}
			n.all[conf]++
			if slices.Contains(f.Labels, detectors.LabelTestData) {
				n.test[conf]++
			}
		}
		cats := make([]string, 0, len(byCat))
		for k := range byCat {
			cats = append(cats, k)
		}
		slices.Sort(cats)
		fmt.Printf("%-9s %d files, %.1f MB, %d could not be read\n", c, r.Summary.Files, float64(r.Summary.Bytes)/1e6, r.Summary.Failures)
		for _, k := range cats {
			n := byCat[k]
			fmt.Printf("%-9s %-14s %8d %8d %8d   (%d/%d/%d)\n", "", k, n.all[detectors.High], n.all[detectors.Medium], n.all[detectors.Low],
				n.test[detectors.High], n.test[detectors.Medium], n.test[detectors.Low])
		}
	}
}

// writeSample prints findings to label: every medium or high finding of
// the weak kinds (phone, payment_card, national_id, ip_address), then a
// random draw of the rest, up to n per corpus.
func writeSample(corpora []string, reports map[string]*report.Report, n int) {
	fmt.Println("# corpus\tlocation\tcategory\tline\texamples\tlabel\tnote")
	r := rand.New(rand.NewPCG(1, 2))
	for _, c := range corpora {
		var must, rest []report.Finding
		for _, f := range reports[c].Findings {
			weak := f.Category == "phone" || f.Category == "payment_card" || f.Category == "national_id" || f.Category == "ip_address"
			if weak && f.Confidence != "low" {
				must = append(must, f)
			} else {
				rest = append(rest, f)
			}
		}
		r.Shuffle(len(rest), func(i, j int) { rest[i], rest[j] = rest[j], rest[i] })
		pick := append(must, rest[:max(0, min(len(rest), n-len(must)))]...)
		for _, f := range pick {
			line := int64(0)
			if len(f.Lines) > 0 {
				line = f.Lines[0]
			}
			fmt.Printf("%s\t%s\t%s\t%d\t%s\t\t\n", c, f.Location, f.Category, line, strings.Join(f.Examples, " "))
		}
	}
}
