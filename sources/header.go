package sources

import (
	"bytes"
	"unicode"
)

// DataLike reports whether a cell of a table's first row, or an object key
// of a JSON document, is written like a value rather than like a name: an
// e-mail address (kari@example.no, not @timestamp), a number, date, time,
// phone number or address written with digits and separators only
// ("+47 912 34 567", "2024-01-31", "10.0.0.1", "12,50"), a version
// ("1.5.0-alpha-0"), a hexadecimal id or UUID of eight characters or more,
// or a literal (NULL, true, false). A four-digit year alone ("2024", as in
// a column per year) is a name.
//
// A JSON key written so is a dynamic key (an id, a version, an address)
// and is not part of the key path, so that a value never becomes a
// location, where it would be reported unmasked. For a table's first row
// see FirstRowOf.
func DataLike(cell []byte) bool { return cellKind(cell) != nameCell }

// Kinds of cells, for telling a header row from a row of data.
const (
	nameCell   = iota // a name: no value shape
	periodCell        // a date, a short number, an amount, a version: headers of periods and numbered columns are written so too
	valueCell         // an address, a phone number, a long number, an IP address, an id, a literal: no header holds one
)

// cellKind classifies one cell (see DataLike).
func cellKind(cell []byte) int {
	c := bytes.TrimSpace(cell)
	if len(c) == 0 {
		return nameCell
	}
	if at := bytes.IndexByte(c, '@'); at > 0 && bytes.IndexByte(c[at+1:], '.') > 0 {
		return valueCell
	}
	switch string(c) {
	case "NULL", "null", "true", "false", "TRUE", "FALSE":
		// Not "Null": the header of MySQL's DESCRIBE (Field, Type, Null, Key).
		return valueCell
	}
	if semver(c) {
		return periodCell
	}
	digits, run, longest, dots, numeric, hex := 0, 0, 0, 0, true, len(c) >= 8
	for _, b := range c {
		if b >= '0' && b <= '9' {
			run++
			longest = max(longest, run)
		} else {
			run = 0
		}
		switch {
		case b >= '0' && b <= '9':
			digits++
		case b == ' ' || b == '+' || b == '-' || b == '.' || b == '/' || b == ':' || b == '(' || b == ')' || b == ',' || b == '%':
			hex = hex && b == '-'
			dots += b2i(b == '.')
		case b >= 'a' && b <= 'f' || b >= 'A' && b <= 'F':
			numeric = false
		default:
			numeric, hex = false, false
		}
	}
	switch {
	case digits == 0:
		return nameCell
	case numeric && digits == 4 && len(c) == 4:
		return nameCell // a year
	case numeric && (c[0] == '+' || longest >= 7 || dots == 3 && digits == len(c)-3):
		return valueCell // +47…, a long number (not a date: 2024-01-31), 10.0.0.1
	case numeric:
		return periodCell
	case hex:
		return valueCell
	}
	return nameCell
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

// FirstRow is what a table's first row is.
type FirstRow int

// What a first row is.
const (
	FirstRowHeader FirstRow = iota // names only: a header row
	FirstRowData                   // a cell no header holds (an address, a phone number, a long number, an id): data
	FirstRowUnsure                 // dates or short numbers next to names: the row below decides (HeaderAbove)
)

// FirstRowOf tells from its cells alone whether a table's first row (of a
// CSV/TSV file, or the first row with a value of a sheet) is a header. A
// file exported without a header row must not have its first row taken as
// column names: they would be reported unmasked as locations, and the
// row would not be scanned. A row of dates or short numbers may be either:
// the headers of a column per month or per week, or data.
func FirstRowOf(cells [][]byte) FirstRow {
	kind := FirstRowHeader
	for _, c := range cells {
		switch cellKind(c) {
		case valueCell:
			return FirstRowData
		case periodCell:
			kind = FirstRowUnsure
		}
	}
	if kind == FirstRowUnsure && numbered(cells) {
		return FirstRowHeader // columns numbered 1, 2, 3 (a column per week)
	}
	return kind
}

// numbered reports whether the whole numbers among cells count up by one,
// four of them at least, as the headers of numbered columns do (three in
// a row of data, "Kari;1;2;3", are too likely).
func numbered(cells [][]byte) bool {
	n, prev := 0, -1
	for _, c := range cells {
		v, ok := smallInt(bytes.TrimSpace(c))
		if !ok {
			continue
		}
		if n > 0 && v != prev+1 {
			return false
		}
		n, prev = n+1, v
	}
	return n >= 4
}

// smallInt parses one to three digits.
func smallInt(c []byte) (int, bool) {
	if len(c) == 0 || len(c) > 3 {
		return 0, false
	}
	v := 0
	for _, b := range c {
		if b < '0' || b > '9' {
			return 0, false
		}
		v = v*10 + int(b-'0')
	}
	return v, true
}

// HeaderAbove decides an unsure first row (FirstRowUnsure) by the row
// below it: a name above a value ("Telefon" above "91234567", "ID" above
// "1") or a date above a value that is no date ("2023-01-01" above "12", a
// column per month) is a header's; a row of data has names below names
// and dates below dates. Without a second row, the first is data.
func HeaderAbove(first, second [][]byte) bool {
	for i, c := range first {
		if i >= len(second) || cellKind(second[i]) == nameCell {
			continue
		}
		if isLabel(c) || isDate(c) && !isDate(second[i]) {
			return true
		}
	}
	return false
}

// isDate reports whether c is written like a date or a month: two or
// three digit groups joined by one kind of separator, '-', '.' or '/'
// (2023-01-01, 01.02.2024, 2023-01).
func isDate(c []byte) bool {
	c = bytes.TrimSpace(c)
	groups, sep := 0, byte(0)
	for i := 0; i < len(c); {
		j := i
		for j < len(c) && c[j] >= '0' && c[j] <= '9' {
			j++
		}
		if j == i || j-i > 4 {
			return false
		}
		groups++
		if j == len(c) {
			break
		}
		s := c[j]
		if (s != '-' && s != '.' && s != '/') || (sep != 0 && s != sep) {
			return false
		}
		sep, i = s, j+1
		if i == len(c) {
			return false
		}
	}
	return groups == 2 && sep != '.' || groups == 3
}

// isLabel reports whether c is written like a column name: letters, with
// no digits and no '@'.
func isLabel(c []byte) bool {
	letter := false
	for _, r := range string(bytes.TrimSpace(c)) {
		switch {
		case r >= '0' && r <= '9', r == '@':
			return false
		case unicode.IsLetter(r):
			letter = true
		}
	}
	return letter
}

// semver reports whether c starts like a version: three dot-separated
// numbers ("1.5.0", "1.5.0-alpha-0", "2.0.0+build.7").
func semver(c []byte) bool {
	for part := 0; part < 3; part++ {
		n := 0
		for n < len(c) && c[n] >= '0' && c[n] <= '9' {
			n++
		}
		if n == 0 {
			return false
		}
		c = c[n:]
		if part < 2 {
			if len(c) == 0 || c[0] != '.' {
				return false
			}
			c = c[1:]
		}
	}
	return true
}
