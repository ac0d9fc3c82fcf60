package main

import (
	"fmt"
	"io"
	"runtime"
	"runtime/debug"
	"slices"
	"strconv"
	"strings"

	"github.com/piimap/piimap/detectors"
	"github.com/piimap/piimap/report"
	"github.com/piimap/piimap/report/declare"
)

// VersionCmd is `piimap version`.
type VersionCmd struct{}

// Run prints the version.
func (VersionCmd) Run(env *Env) error {
	fmt.Fprintln(env.Stdout, versionString(env.Version))
	return nil
}

// versionString describes the build: the release version (set by
// -ldflags "-X main.version=…", as goreleaser does) or else the module
// version go install recorded, the VCS revision and time the binary was
// built from (with "+dirty" for uncommitted changes), the Go version and
// the platform: "piimap v1.2.0 (module v1.2.0, commit 3f9a0c1d2e4b,
// 2026-05-04T10:00:00Z) go1.26.8 linux/amd64".
func versionString(ldVersion string) string {
	bi, _ := debug.ReadBuildInfo()
	return versionFrom(ldVersion, bi)
}

// versionFrom is versionString with the build info given (nil = none).
func versionFrom(ldVersion string, bi *debug.BuildInfo) string {
	v := ldVersion
	var details []string
	goVersion := runtime.Version()
	if bi != nil {
		goVersion = bi.GoVersion
		mod := bi.Main.Version
		if mod == "" {
			mod = "(devel)"
		}
		if v == "" || v == "dev" {
			if mod != "(devel)" {
				v = mod
			} else {
				v = "dev"
			}
		}
		details = append(details, "module "+bi.Main.Path+" "+mod)
		var rev, at string
		dirty := false
		for _, s := range bi.Settings {
			switch s.Key {
			case "vcs.revision":
				rev = s.Value
			case "vcs.time":
				at = s.Value
			case "vcs.modified":
				dirty = s.Value == "true"
			}
		}
		if rev != "" {
			if len(rev) > 12 {
				rev = rev[:12]
			}
			if dirty {
				rev += "+dirty"
			}
			details = append(details, "commit "+rev)
		}
		if at != "" {
			details = append(details, at)
		}
	}
	out := "piimap " + v
	if len(details) > 0 {
		out += " (" + strings.Join(details, ", ") + ")"
	}
	return out + " " + goVersion + " " + runtime.GOOS + "/" + runtime.GOARCH
}

// DetectorsCmd is `piimap detectors`.
type DetectorsCmd struct {
	Examples bool     `help:"Also list every true- and false-positive example (masked only in reports, shown here as written)."`
	Declared string   `short:"d" help:"Declaration file whose custom detectors to list too (default: ./piimap.yaml when it exists)." type:"path" env:"PIIMAP_DECLARED"`
	Rules    []string `help:"Rules files (custom detectors) to list too; repeatable." type:"path" placeholder:"FILE" env:"PIIMAP_RULES"`
}

// Run lists the detectors.
func (c DetectorsCmd) Run(env *Env) error {
	w := env.Stdout
	decl, rules, err := loadDeclarationAndRules(env, c.Declared, c.Rules)
	if err != nil {
		return err
	}
	source := map[string]string{}
	var customCats []string
	for _, r := range append(rules, declRules(decl)...) {
		for _, d := range r.Detectors {
			source[d.ID()] = r.Path
			if !detectors.IsBuiltin(d.Category()) && !slices.Contains(customCats, string(d.Category())) {
				customCats = append(customCats, string(d.Category()))
			}
		}
	}
	for _, d := range allDetectors(decl, rules) {
		if p, ok := source[d.ID()]; ok {
			fmt.Fprintf(w, "%s  [%s]  (custom, %s)\n  %s\n", d.ID(), d.Category(), p, d.Description())
		} else {
			fmt.Fprintf(w, "%s  [%s]\n  %s\n", d.ID(), d.Category(), d.Description())
		}
		words := d.ContextWords()
		if len(words) > 12 {
			words = append(words[:12:12], "…")
		}
		fmt.Fprintf(w, "  context words: %s\n", strings.Join(words, ", "))
		if m, ok := detectors.ChanceOf(d.ID()); ok {
			fmt.Fprintf(w, "  chance: %s of random candidates (%s) validate; %s\n", strconv.FormatFloat(m.Chance*100, 'g', 3, 64)+" %", m.Shape, m.Use)
		}
		pos, neg := d.Positives(), d.Negatives()
		fmt.Fprintf(w, "  examples: %d true positives, %d false positives\n", len(pos), len(neg))
		if c.Examples {
			for _, e := range pos {
				fmt.Fprintf(w, "    + %-40q %s\n", e.Text, e.Note)
			}
			for _, e := range neg {
				fmt.Fprintf(w, "    - %-40q %s\n", e.Text, e.Note)
			}
		}
		fmt.Fprintln(w)
	}
	fmt.Fprintln(w, "Column names, CSV headers and JSON keys (column_name): name, address, date_of_birth, credentials, bank_account.")
	fmt.Fprintln(w, "  generic words (name, navn, adresse, username) are low in a table of things (products, kategorier, companies);")
	fmt.Fprintln(w, "  a generic name column is medium only when at least half of its values are written as a person's name.")
	cats := make([]string, len(detectors.Categories))
	for i, c := range detectors.Categories {
		cats[i] = string(c)
	}
	fmt.Fprintln(w, "Categories:", strings.Join(cats, ", "))
	if len(customCats) > 0 {
		slices.Sort(customCats)
		fmt.Fprintln(w, "Custom categories:", strings.Join(customCats, ", "))
	}
	return nil
}

// declRules returns the declaration's custom detectors as a list.
func declRules(decl *report.Declaration) []*report.Rules {
	if decl == nil || decl.Custom == nil {
		return nil
	}
	return []*report.Rules{decl.Custom}
}

// DeclareCmd is `piimap declare`.
type DeclareCmd struct {
	Policies []string `arg:"" help:"Privacy-policy files (plain text or HTML) in Norwegian, Swedish, Danish or English."`
	Output   string   `short:"o" help:"Write the draft to FILE (mode 0600) instead of stdout (- for stdout)." type:"path" env:"PIIMAP_DECLARE_OUTPUT"`
}

// Run drafts a declaration from the policies and prints it as YAML.
func (c DeclareCmd) Run(env *Env) error {
	c.Output = stdoutDash(c.Output)
	r, err := declare.DraftFiles(env.Ctx, c.Policies)
	if r == nil || len(r.Sources) == 0 {
		if err == nil {
			err = fmt.Errorf("declare: no policy text could be read")
		}
		return &exitError{code: report.ExitUsage, err: err}
	}
	if c.Output != "" {
		if werr := writeFile(c.Output, func(w io.Writer) error { _, e := w.Write(r.YAML()); return e }); werr != nil {
			return &exitError{code: report.ExitUnread, err: werr}
		}
	} else if _, werr := env.Stdout.Write(r.YAML()); werr != nil {
		return werr
	}
	if err != nil {
		return &exitError{code: report.ExitUnread, err: err}
	}
	return nil
}
