package files

// This file holds a slow reference of the rule readCSV follows for a field
// that opens with a quote, which encoding/csv cannot express: the field is
// quoted only if no bare quote comes before its first line break. It reads
// the whole content as a string, record by record, with no buffers to
// refill. The differential tests compare readCSV with it on every input,
// and it with encoding/csv (readCSVRef) on the inputs where it reports
// that the two rules agree.

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"strings"

	"github.com/piimap/piimap/sources"
)

// ruleRecord is one record: its fields and the line each starts on; from
// the offset where reading it began (blank lines before it included) to
// the offset after it; line, the line at from; and whether it ended with a
// line break (otherwise at the end of the content).
type ruleRecord struct {
	fields   []string
	lines    []int64
	from, to int
	line     int64
	nl       bool
}

// bareOnFirstLine reports whether s, the content after a field's opening
// quote, has a bare quote before its first line break: a quote that is
// not doubled and is not followed by the delimiter, "\n", "\r\n", or the
// end of the content (a "\r" at the very end is dropped, so it counts as
// the end).
func bareOnFirstLine(s string, comma byte) bool {
	for k := 0; k < len(s) && s[k] != '\n'; k++ {
		if s[k] != '"' {
			continue
		}
		if strings.HasPrefix(s[k+1:], `"`) {
			k++ // doubled
			continue
		}
		return !closesQuote(s[k+1:], comma)
	}
	return false
}

// closesQuote reports whether a quote followed by after (the rest of the
// content) closes a quoted field: the delimiter, a line break or the end
// of the content comes next.
func closesQuote(after string, comma byte) bool {
	return after == "" || after == "\r" || after[0] == comma || after[0] == '\n' || strings.HasPrefix(after, "\r\n")
}

// tabAfterBreak reports, for a TSV (comma '\t'), whether the quoted field
// whose content starts s meets a tab after its first line break, before
// its closing quote.
func tabAfterBreak(s string, comma byte) bool {
	if comma != '\t' {
		return false
	}
	multi := false
	for k := 0; k < len(s); k++ {
		switch s[k] {
		case '\n':
			multi = true
		case '\t':
			if multi {
				return true
			}
		case '"':
			if strings.HasPrefix(s[k+1:], `"`) {
				k++ // doubled
				continue
			}
			if closesQuote(s[k+1:], comma) {
				return false
			}
		}
	}
	return false
}

// splitCSVRule splits data into records. reread reports whether some field
// opened with a quote and was read unquoted (encoding/csv with LazyQuotes
// reads such a field as a quoted one).
func splitCSVRule(data string, comma byte) (recs []ruleRecord, reread bool) {
	pos, line := 0, int64(1)
	for {
		r := ruleRecord{from: pos, line: line}
		// Blank lines, and a "\r" at the very end.
		for {
			if strings.HasPrefix(data[pos:], "\n") {
				pos++
				line++
			} else if strings.HasPrefix(data[pos:], "\r\n") {
				pos += 2
				line++
			} else {
				break
			}
		}
		if data[pos:] == "\r" {
			pos++
		}
		if pos == len(data) {
			return recs, reread
		}
		// The fields, up to the end of the record.
		for done := false; !done; {
			r.lines = append(r.lines, line)
			quoted := data[pos] == '"'
			if quoted && (bareOnFirstLine(data[pos+1:], comma) || tabAfterBreak(data[pos+1:], comma)) {
				quoted = false
				reread = true
			}
			if !quoted {
				// To the delimiter or the end of the line.
				end := pos
				for end < len(data) && data[end] != comma && data[end] != '\n' {
					end++
				}
				f := data[pos:end]
				switch {
				case end == len(data):
					f = strings.TrimSuffix(f, "\r")
					pos, done = end, true
				case data[end] == '\n':
					f = strings.TrimSuffix(f, "\r")
					pos, done, r.nl = end+1, true, true
					line++
				default: // the delimiter
					pos = end + 1
					if pos == len(data) {
						// A delimiter at the very end: a last empty field.
						r.fields = append(r.fields, f)
						r.lines = append(r.lines, line)
						f, done = "", true
					}
				}
				r.fields = append(r.fields, f)
				continue
			}
			// Quoted: to a quote followed by the delimiter, a line break or
			// the end of the content; "" is a quote, "\r\n" is "\n", and
			// any other quote is literal.
			var b strings.Builder
			k := pos + 1
			for {
				rest := data[k:]
				if rest == "" || rest == "\r" {
					pos, done = len(data), true
					break
				}
				if strings.HasPrefix(rest, `""`) {
					b.WriteByte('"')
					k += 2
					continue
				}
				if rest[0] == '"' {
					after := rest[1:]
					if after == "" || after == "\r" {
						pos, done = len(data), true
						break
					}
					if after[0] == comma {
						pos = k + 2
						if pos == len(data) {
							r.fields = append(r.fields, b.String())
							r.lines = append(r.lines, line)
							b.Reset()
							done = true
						}
						break
					}
					if after[0] == '\n' || strings.HasPrefix(after, "\r\n") {
						pos = k + 2
						if after[0] == '\r' {
							pos++
						}
						done, r.nl = true, true
						line++
						break
					}
					b.WriteByte('"') // a bare quote after a line break
					k++
					continue
				}
				if strings.HasPrefix(rest, "\r\n") || rest[0] == '\n' {
					b.WriteByte('\n')
					k += 1 + strings.Index(rest, "\n")
					line++
					continue
				}
				b.WriteByte(rest[0])
				k++
			}
			r.fields = append(r.fields, b.String())
		}
		r.to = pos
		recs = append(recs, r)
	}
}

// readCSVRule reads like readCSVRef (every non-blank field its own chunk,
// then the columns announced) by splitCSVRule. On a read error the records
// that ended with a line break are handed over and the rest, from the
// first that did not, is read as plain text, as readCSV does. It cannot
// tell where readCSV would find a record too large, and fails on records
// near the bound.
func (x *Reader) readCSVRule(ctx context.Context, r io.Reader, loc sources.Location, comma rune, b *buffers, sink sources.Sink) (rerr, err error) {
	content, readErr := io.ReadAll(r)
	recs, _ := splitCSVRule(string(content), byte(comma))
	maxRec := max(x.opt.ChunkSize, minCSVRecord)
	var cols []colStat
	var rows int64
	for n, rec := range recs {
		if rec.to-rec.from >= maxRec/2 {
			return nil, fmt.Errorf("readCSVRule: a record of %d bytes at line %d, near the bound of %d", rec.to-rec.from, rec.line, maxRec)
		}
		if readErr != nil && !rec.nl {
			recs = recs[:n]
			break
		}
		if n == 0 {
			// A header unless its cells say it is data, or, when they do
			// not tell, the second record (if it is read) does.
			header := true
			switch sources.FirstRowOf(bytesOf(rec.fields)) {
			case sources.FirstRowData:
				header = false
			case sources.FirstRowUnsure:
				header = len(recs) > 1 && (readErr == nil || recs[1].nl) && sources.HeaderAbove(bytesOf(rec.fields), bytesOf(recs[1].fields))
			}
			for i, h := range rec.fields {
				if !header {
					h = ""
				}
				cols = append(cols, colStat{name: columnName(h, i)})
			}
			if header {
				continue
			}
		}
		rows++
		if err := refRecord(ctx, sink, b, loc, &cols, rec.fields, rec.lines, rows); err != nil {
			return nil, err
		}
	}
	if len(recs) > 0 {
		for _, c := range cols {
			l := loc
			l.Field = c.name
			sink.Column(sources.Column{Loc: l, Rows: rows, NonNull: c.nonNull})
		}
	}
	if readErr != nil {
		from, line := 0, int64(1)
		if len(recs) > 0 {
			last := recs[len(recs)-1]
			from, line = last.to, last.line+int64(bytes.Count(content[last.from:last.to], nl))
		}
		return x.readText(ctx, &prefixed{head: content[from:], r: r, err: readErr}, loc, false, line, b, sink)
	}
	return nil, nil
}
