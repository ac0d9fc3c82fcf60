package sources

import "bytes"

// DataLike reports whether a cell of a table's first row, or an object key
// of a JSON document, is written like a value rather than like a name: an
// e-mail address (kari@example.no, not @timestamp), a number, date, time,
// phone number or address written with digits and separators only
// ("+47 912 34 567", "2024-01-31", "10.0.0.1", "12,50"), a version
// ("1.5.0-alpha-0"), a hexadecimal id
// or UUID of eight characters or more, or a literal (NULL, true, false).
// A four-digit year alone ("2024", as in a column per year) is a name.
//
// A CSV file or a sheet whose first row has such a cell has no header row:
// its columns are named by position and the first row is data. A JSON key
// written so is a dynamic key (an id, a version, an address) and is not
// part of the key path. Either way a value never becomes a location, where
// it would be reported unmasked.
func DataLike(cell []byte) bool {
	c := bytes.TrimSpace(cell)
	if len(c) == 0 {
		return false
	}
	if at := bytes.IndexByte(c, '@'); at > 0 && bytes.IndexByte(c[at+1:], '.') > 0 {
		return true
	}
	if semver(c) {
		return true
	}
	switch string(c) {
	case "NULL", "null", "true", "false", "TRUE", "FALSE":
		// Not "Null": the header of MySQL's DESCRIBE (Field, Type, Null, Key).
		return true
	}
	digits, numeric, hex := 0, true, len(c) >= 8
	for _, b := range c {
		switch {
		case b >= '0' && b <= '9':
			digits++
		case b == ' ' || b == '+' || b == '-' || b == '.' || b == '/' || b == ':' || b == '(' || b == ')' || b == ',' || b == '%':
			hex = hex && b == '-'
		case b >= 'a' && b <= 'f' || b >= 'A' && b <= 'F':
			numeric = false
		default:
			numeric, hex = false, false
		}
	}
	if digits == 0 {
		return false
	}
	if numeric {
		return !(digits == 4 && len(c) == 4)
	}
	return hex
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
