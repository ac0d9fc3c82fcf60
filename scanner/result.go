package scanner

import (
	"time"

	"github.com/piimap/piimap/detectors"
	"github.com/piimap/piimap/sources"
)

// Result is what a scan found and what it could and could not read.
type Result struct {
	Targets    []string
	Started    time.Time
	Duration   time.Duration
	Incomplete bool   // cancelled before every unit was read
	Shard      string // "k/n" when sharded

	Files, Tables int64 // units read
	Bytes, Rows   int64 // bytes of files, rows of tables read

	Findings  []Finding
	TableInfo []sources.Table
	Failures  []Failure
	Skipped   []Skip         // up to MaxSkipList, then only counted
	SkipCount map[string]int // reason -> count
}

// Finding is one (location, category) with its evidence.
type Finding struct {
	Location   sources.Location
	Category   detectors.Category
	Count      int64 // matching values
	Confidence detectors.Confidence
	Detectors  []string
	Labels     []string
	Examples   []string // masked unless ShowValues
	Lines      []int64  // example line numbers
	Rows       []int64  // example row numbers
	// RowKeys name example database rows by primary key ("id=42"), the
	// key values masked when they are personal data; nil without a key.
	RowKeys []string
	Column  *ColumnStats
	// Candidates is how many well-shaped candidates of this category the
	// detectors examined at the location (for checksum-validated kinds), or 0.
	Candidates int64
	// Expected is how many of the Candidates chance alone would validate.
	Expected float64
	// ConfidenceReason explains a grading by the scanner (the chance model,
	// the share of a column), or is "".
	ConfidenceReason string
	Fingerprint      string
	// Values are the keyed fingerprints (ValueFingerprint, hex) of the
	// distinct values found, sorted, at most MaxValueFingerprints; nil
	// when no value key is configured. ValuesComplete is false when the
	// location held more distinct values than were kept.
	Values         []string
	ValuesComplete bool
	// InlineIgnored: every match of this finding was on a line carrying an
	// inline piimap:ignore comment (for its category or all); such matches
	// are a finding of their own, with its own fingerprint.
	InlineIgnored bool
}

// ColumnStats are the statistics of a column finding.
type ColumnStats struct {
	Type    string
	Rows    int64   // rows read
	NonNull int64   // non-empty values
	Share   float64 // matching values / non-empty values
}

// Failure is a location that could not be read, and why.
type Failure struct {
	Location sources.Location
	Error    string
}

// Skip is a location deliberately not scanned, and why.
type Skip struct {
	Location sources.Location
	Reason   string
}
