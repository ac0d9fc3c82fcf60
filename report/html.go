package report

import (
	"crypto/sha256"
	"embed"
	"encoding/base64"
	"fmt"
	"html/template"
	"io"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/piimap/piimap/detectors"
)

//go:embed assets/report.html.tmpl assets/report.css assets/report.js
var assets embed.FS

// htmlAsset reads an embedded asset; they are part of the binary, so a
// failure is a build error, reported as such.
func htmlAsset(name string) (string, error) {
	b, err := assets.ReadFile("assets/" + name)
	if err != nil {
		return "", fmt.Errorf("html: embedded asset %s: %w", name, err)
	}
	return string(b), nil
}

type htmlData struct {
	R          *Report
	Title      string
	CSP        string
	CSS        template.CSS
	JS         template.JS
	Started    string
	Duration   string
	Bytes      string
	Verdicts   []nameCount
	SkipCounts []nameCount
	Categories []string
	Cols       int
	Groups     []mapGroup
	Findings   []htmlFinding
	// Explained are the verdicts in words, in report order.
	Explained []verdictText
	// CategoryNames maps category ids to readable names.
	CategoryNames map[string]string
	// Compare is the comparison with an earlier report (--compare), or nil.
	Compare *Diff
}

// verdictText explains one verdict for people.
type verdictText struct {
	Name, Title, Text string
	Count             int
}

// VerdictExplanations say what each verdict means and what to do, in
// words, for the HTML report.
var VerdictExplanations = map[string]string{
	Undeclared: "Personal data of a category your declaration (piimap.yaml) does not list at all. Either the privacy policy leaves out something you process, or the data should not be here: remove it, or declare the category.",
	Misplaced:  "A category you declare, found in a place the declaration does not allow (outside its where globs), such as e-mail addresses in a log. Remove it from here, or widen the declaration if this place is intended.",
	Declared:   "A category you declare, found where the declaration allows it. This is the processing your privacy policy describes; nothing to do.",
	Ignored:    "Accepted on purpose: by an ignore rule in piimap.yaml, by the baseline (every value was known before), or by an inline piimap:ignore comment. Listed for the record; it never fails the run.",
}

var verdictTitles = map[string]string{Undeclared: "Undeclared", Misplaced: "Misplaced", Declared: "Declared", Ignored: "Ignored"}

type nameCount struct {
	Name  string
	Count int
}

type mapGroup struct {
	Name      string
	Resources []*mapRow
}

type mapRow struct {
	Name, Loc string
	Cells     []mapCell
	Fields    []*mapRow
}

type mapCell struct {
	Verdict, Category, Loc, Title, Abbrev string
	Count                                 int64
	Agg                                   bool
	// Confidence is the finding's (for a resource row, the highest of its
	// fields'); ConfAbbrev its initial, shown in the cell.
	Confidence, ConfAbbrev string
}

type htmlFinding struct {
	Finding
	VerdictRank, ConfidenceRank int
	Detectors, Labels           string
	Examples, Positions         string
	Outcome                     string
	CategoryName, VerdictText   string
}

var confidenceRank = map[string]int{"high": 3, "medium": 2, "low": 1}

// cspHash is the CSP source for an inline element with this exact content.
func cspHash(content string) string {
	sum := sha256.Sum256([]byte(content))
	return "'sha256-" + base64.StdEncoding.EncodeToString(sum[:]) + "'"
}

// RenderHTML writes the report as one self-contained HTML file for audits:
// the summary, the data map (locations against categories, coloured by
// verdict), the declared categories not found, what could not be scanned,
// and a sortable, filterable findings table. CSS and JavaScript are inline
// and allowed by hash in a Content-Security-Policy that permits nothing
// else, so the file makes no network request. All text is escaped by
// html/template.
func RenderHTML(w io.Writer, r *Report) error {
	tmplText, err := htmlAsset("report.html.tmpl")
	if err != nil {
		return err
	}
	css, err := htmlAsset("report.css")
	if err != nil {
		return err
	}
	js, err := htmlAsset("report.js")
	if err != nil {
		return err
	}
	t, err := template.New("report").Parse(tmplText)
	if err != nil {
		return fmt.Errorf("html: template: %w", err)
	}
	d := htmlData{
		R:        r,
		CSS:      template.CSS(css),
		JS:       template.JS(js),
		CSP:      "default-src 'none'; style-src " + cspHash(css) + "; script-src " + cspHash(js) + "; img-src 'none'; base-uri 'none'; form-action 'none'",
		Started:  r.Started.UTC().Format(time.RFC3339),
		Duration: strconv.FormatFloat(r.Duration, 'f', 2, 64) + " s",
		Bytes:    humanBytes(r.Summary.Bytes),
	}
	d.Title = "Personal data report"
	if r.Organisation != "" {
		d.Title += ": " + r.Organisation
	}
	for _, v := range []string{Undeclared, Misplaced, Declared, Ignored} {
		d.Verdicts = append(d.Verdicts, nameCount{v, r.Summary.Verdicts[v]})
		d.Explained = append(d.Explained, verdictText{Name: v, Title: verdictTitles[v], Text: VerdictExplanations[v], Count: r.Summary.Verdicts[v]})
	}
	d.CategoryNames = map[string]string{}
	for _, f := range r.Findings {
		d.CategoryNames[f.Category] = CategoryName(f.Category)
	}
	d.Compare = r.Comparison
	for _, k := range sortedKeys(r.SkipCounts) {
		d.SkipCounts = append(d.SkipCounts, nameCount{k, r.SkipCounts[k]})
	}
	d.Categories, d.Groups = dataMap(r)
	for _, c := range d.Categories {
		d.CategoryNames[c] = CategoryName(c)
	}
	d.Cols = len(d.Categories) + 1
	for _, f := range SortedFindings(r) {
		d.Findings = append(d.Findings, htmlFinding{
			Finding: f, VerdictRank: verdictOrder[f.Verdict], ConfidenceRank: confidenceRank[f.Confidence],
			Detectors: strings.Join(f.Detectors, ", "), Labels: strings.Join(f.Labels, ", "),
			Examples: strings.Join(f.Examples, ", "), Positions: positions(f),
			Outcome: Outcome(f, r.Summary), CategoryName: CategoryName(f.Category), VerdictText: VerdictExplanations[f.Verdict],
		})
	}
	if err := t.Execute(w, d); err != nil {
		return fmt.Errorf("html: %w", err)
	}
	return nil
}

var verdictAbbrev = map[string]string{Undeclared: "U", Misplaced: "M", Declared: "D", Ignored: "I"}

// dataMap builds the grid: the categories (columns) and, per source, per
// resource (file or table), a row for the resource itself (summing its
// fields, coloured by the worst verdict) and a nested row per field.
func dataMap(r *Report) ([]string, []mapGroup) {
	if len(r.Findings) == 0 {
		return nil, nil
	}
	var cats []string
	for _, c := range detectors.Categories {
		cats = append(cats, string(c))
	}
	for _, f := range r.Findings {
		if !slices.Contains(cats, f.Category) {
			cats = append(cats, f.Category)
		}
	}
	col := map[string]int{}
	for i, c := range cats {
		col[c] = i
	}
	newRow := func(name, loc string) *mapRow {
		return &mapRow{Name: name, Loc: loc, Cells: make([]mapCell, len(cats))}
	}
	type groupAcc struct {
		name string
		res  map[string]*mapRow
		keys []string
	}
	groups := map[string]*groupAcc{}
	var groupKeys []string
	for _, f := range r.Findings {
		gk := f.Where.Target
		g := groups[gk]
		if g == nil {
			g = &groupAcc{name: groupName(r, f), res: map[string]*mapRow{}}
			groups[gk] = g
			groupKeys = append(groupKeys, gk)
		}
		resLoc := f.Where.Resource().String()
		res := g.res[resLoc]
		if res == nil {
			res = newRow(f.Where.Path, resLoc)
			g.res[resLoc] = res
			g.keys = append(g.keys, resLoc)
		}
		i := col[f.Category]
		// The resource row sums everything in the resource, coloured by the worst verdict.
		agg := &res.Cells[i]
		if agg.Verdict == "" || verdictOrder[f.Verdict] < verdictOrder[agg.Verdict] {
			agg.Verdict = f.Verdict
		}
		agg.Count += f.Count
		agg.Category, agg.Loc = f.Category, resLoc
		if confidenceRank[f.Confidence] > confidenceRank[agg.Confidence] {
			agg.Confidence = f.Confidence
		}
		if f.Where.Field == "" {
			continue
		}
		agg.Agg = true
		var field *mapRow
		for _, fr := range res.Fields {
			if fr.Loc == f.Location {
				field = fr
			}
		}
		if field == nil {
			field = newRow(f.Where.Field, f.Location)
			res.Fields = append(res.Fields, field)
		}
		field.Cells[i] = mapCell{Verdict: f.Verdict, Category: f.Category, Loc: f.Location, Count: f.Count, Confidence: f.Confidence}
	}
	// Undeclared and misplaced first: resources (and sources) by their
	// worst verdict, then by name.
	worst := func(cells []mapCell) int {
		w := len(verdictOrder)
		for _, c := range cells {
			if c.Verdict != "" {
				w = min(w, verdictOrder[c.Verdict])
			}
		}
		return w
	}
	groupWorst := map[string]int{}
	for gk, g := range groups {
		groupWorst[gk] = len(verdictOrder)
		for _, res := range g.res {
			groupWorst[gk] = min(groupWorst[gk], worst(res.Cells))
		}
	}
	slices.SortFunc(groupKeys, func(a, b string) int {
		if d := groupWorst[a] - groupWorst[b]; d != 0 {
			return d
		}
		return strings.Compare(a, b)
	})
	var out []mapGroup
	for _, gk := range groupKeys {
		g := groups[gk]
		slices.SortFunc(g.keys, func(a, b string) int {
			if d := worst(g.res[a].Cells) - worst(g.res[b].Cells); d != 0 {
				return d
			}
			return strings.Compare(a, b)
		})
		mg := mapGroup{Name: g.name}
		for _, k := range g.keys {
			res := g.res[k]
			slices.SortFunc(res.Fields, func(a, b *mapRow) int {
				if d := worst(a.Cells) - worst(b.Cells); d != 0 {
					return d
				}
				return strings.Compare(a.Name, b.Name)
			})
			finishCells(res.Cells, "all of "+res.Loc)
			for _, fr := range res.Fields {
				finishCells(fr.Cells, fr.Loc)
			}
			mg.Resources = append(mg.Resources, res)
		}
		out = append(out, mg)
	}
	return cats, out
}

func finishCells(cells []mapCell, where string) {
	for i := range cells {
		c := &cells[i]
		if c.Verdict == "" {
			continue
		}
		c.Abbrev = verdictAbbrev[c.Verdict]
		if c.Confidence != "" {
			c.ConfAbbrev = c.Confidence[:1]
		}
		c.Title = fmt.Sprintf("%s: %d %s values in %s, %s confidence", c.Verdict, c.Count, strings.ToLower(CategoryName(c.Category)), where, c.Confidence)
	}
}

// groupName names a source in the data map: the target URL, or the local
// targets for files.
func groupName(r *Report, f Finding) string {
	if f.Where.Target != "" {
		if f.Where.Table {
			return "Database " + f.Where.Target
		}
		return "Share " + f.Where.Target
	}
	var local []string
	for _, t := range r.Targets {
		if !strings.Contains(t, "://") && !strings.HasPrefix(t, "sqlite:") {
			local = append(local, t)
		}
	}
	if len(local) == 0 {
		return "Files"
	}
	return "Files in " + strings.Join(local, ", ")
}
