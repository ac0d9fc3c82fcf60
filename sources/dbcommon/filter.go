package dbcommon

import (
	"fmt"

	"github.com/piimap/piimap/sources"
)

// Filter selects tables by Options.Tables and Options.ExcludeTables, globs
// over "schema.table" (MySQL: "database.table") in the syntax of
// sources.MatchGlob.
type Filter struct {
	include, exclude []sources.Glob
}

// NewFilter compiles the table globs of opt.
func NewFilter(opt sources.Options) (Filter, error) {
	var f Filter
	for _, p := range opt.Tables {
		g, err := sources.CompileGlob(p)
		if err != nil {
			return Filter{}, fmt.Errorf("--tables: %w", err)
		}
		f.include = append(f.include, g)
	}
	for _, p := range opt.ExcludeTables {
		g, err := sources.CompileGlob(p)
		if err != nil {
			return Filter{}, fmt.Errorf("--exclude-tables: %w", err)
		}
		f.exclude = append(f.exclude, g)
	}
	return f, nil
}

// Match reports whether the table name ("schema.table") is selected: it
// matches one of the include globs (or there are none) and no exclude glob.
func (f Filter) Match(name string) bool {
	for _, g := range f.exclude {
		if g.Match(name) {
			return false
		}
	}
	if len(f.include) == 0 {
		return true
	}
	for _, g := range f.include {
		if g.Match(name) {
			return true
		}
	}
	return false
}
