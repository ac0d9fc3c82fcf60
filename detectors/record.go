package detectors

import (
	"bytes"
	"sort"
)

// How far around a value InRecord looks for a time of day on its line:
// a log record's timestamp comes before the message, or, in access logs,
// right after the client address.
const (
	recordBack  = 240
	recordAhead = 120
)

// InRecord reports whether the value Buf[s:e] is part of a record rather
// than mentioned in prose: a short structured field (a database column, a
// CSV field, a whole JSON value under its key path) or a line that
// carries a time of day (HH:MM:SS), as log records do. Documentation, source code and
// changelogs mention addresses and numbers as examples; logs record the
// ones of people.
func (in *Input) InRecord(s, e int) bool {
	if in.Key != "" {
		lo, hi := 0, len(in.Buf)
		if in.FieldAt != nil {
			lo, hi = in.FieldAt(s)
		}
		if hi-lo <= recordField {
			return true // a column value, a CSV field
		}
	}
	if in.KeyAt != nil && wholeValue(in.Buf, s, e, in.KeyCut) && in.KeyAt(s) != "" {
		return true // "client_ip": "81.166.23.4", not an address inside a description
	}
	return in.runsDone && in.stampTime(s, e) || hasTimeOfDay(in.Buf, s, e)
}

// stampTime reports what hasTimeOfDay reports when a time stamp that Runs
// found holds the time of day: a log line's own stamp, found among the
// stamps rather than by reading the line. A false answer says nothing.
func (in *Input) stampTime(s, e int) bool {
	st, b := in.rs.stamps, in.Buf
	// j is the first stamp that ends after s. Calls mostly come in
	// order: the one before left rs.cur at or before it.
	j := min(in.rs.cur, len(st))
	if j > 0 && st[j-1].End > s {
		j = sort.Search(j, func(i int) bool { return st[i].End > s })
	}
	for j < len(st) && st[j].End <= s {
		j++
	}
	in.rs.cur = j
	// The stamps on the value's line (a stamp holds no line break) within
	// the window, from the nearest out; hasTimeOfDay finds a time of day
	// in its window when it finds one in a part of it. A stamp before the
	// value is on its line when it ends after the line's last break before
	// the value, which the value's context lookups have mostly found
	// already (lastLineBreak).
	nl := -1
	if j > 0 && st[j-1].Start >= s-recordBack {
		nl = in.lastLineBreak(max(0, s-recordBack), s)
	}
	for i := j - 1; i >= 0 && st[i].Start >= s-recordBack; i-- {
		r := st[i]
		if r.End <= nl {
			break
		}
		if stampHasTime(b, r) {
			return true
		}
	}
	for i, at := j, e; i < len(st) && st[i].End <= e+recordAhead; i++ {
		r := st[i]
		if r.Start < e {
			continue // the value's own
		}
		if bytes.IndexByte(b[at:r.Start], '\n') >= 0 {
			break
		}
		if stampHasTime(b, r) {
			return true
		}
		at = r.End
	}
	return false
}

// stampHasTime reports whether the time stamp r of b (isoStampEnd,
// clfStampEnd) holds a time of day timeOfDayIn accepts.
func stampHasTime(b []byte, r Run) bool {
	t := r.Start + 11 // 2026-03-01T16:09:54
	if b[r.Start+4] == ':' {
		t = r.Start + 5 // 2026:03:40:52
	}
	return timeOfDayIn(b, t, t+8)
}

// InProse reports whether the value Buf[s:e] is part of a sentence in a
// field of a column (a CSV field, a database value): the field holds at
// least proseWords words of two letters or more besides the value, as a
// description or a note does ("A headless login script for 10.0.0.55").
// A value in free text is judged by InRecord.
func (in *Input) InProse(s, e int) bool {
	if in.Key == "" {
		return false
	}
	lo, hi := 0, len(in.Buf)
	if in.FieldAt != nil {
		lo, hi = in.FieldAt(s)
	}
	return words(in.Buf[lo:s])+words(in.Buf[e:hi]) >= proseWords
}

// proseWords is how many words make a field a sentence.
const proseWords = 5

// words counts the runs of two ASCII letters or more in b.
func words(b []byte) int {
	n, run := 0, 0
	for _, c := range b {
		if c|0x20 >= 'a' && c|0x20 <= 'z' {
			run++
			if run == 2 {
				n++
			}
		} else {
			run = 0
		}
	}
	return n
}

// recordField is the longest field that counts as a record by itself;
// longer fields (articles, descriptions, bodies) are read like free text.
const recordField = 256

// wholeValue reports whether b[s:e] is a whole value of the structured
// text whose values open with cut (Input.KeyCut): JSON's (jsonWholeValue),
// an XML element's content (>v<), or a YAML key's value (key: v, to the
// line's end).
func wholeValue(b []byte, s, e int, cut byte) bool {
	switch cut {
	case '"':
		return jsonWholeValue(b, s, e)
	case '>':
		return s > 0 && e < len(b) && b[s-1] == '>' && b[e] == '<'
	case 0:
		return s >= 2 && b[s-1] == ' ' && b[s-2] == ':' && (e == len(b) || b[e] == '\n' || b[e] == '\r')
	}
	return false
}

// jsonWholeValue reports whether b[s:e] is a whole JSON value: a string's
// entire content, or a JSON number after a ':', '[' or ',' and before a ',',
// '}' or ']' (spaces and line breaks between, as pretty-printed JSON has
// them). Prose inside a string ("from 192.0.2.44, specify") is not one.
func jsonWholeValue(b []byte, s, e int) bool {
	if s == 0 || e >= len(b) {
		return false
	}
	if b[s-1] == '"' && b[e] == '"' {
		return true
	}
	i := s - 1
	for i > 0 && jsonSpace(b[i]) {
		i--
	}
	j := e
	for j < len(b)-1 && jsonSpace(b[j]) {
		j++
	}
	before, after := b[i], b[j]
	return (before == ':' || before == '[' || before == ',') && (after == ',' || after == '}' || after == ']') && jsonNumber(b[s:e])
}

// jsonNumber reports whether v is written as a JSON number: an address
// (81.166.23.4) between "[" and "," is prose inside a string, not one.
func jsonNumber(v []byte) bool {
	if len(v) > 0 && v[0] == '-' {
		v = v[1:]
	}
	digits, dots := 0, 0
	for _, c := range v {
		switch {
		case c >= '0' && c <= '9':
			digits++
		case c == '.' && dots == 0 && digits > 0:
			dots++
		default:
			return false // exponents too: no detector finds one
		}
	}
	return digits > 0 && v[len(v)-1] != '.'
}

func jsonSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }

// hasTimeOfDay reports whether the line around b[s:e], within recordBack
// bytes before and recordAhead after, holds a time HH:MM:SS outside the
// value itself.
func hasTimeOfDay(b []byte, s, e int) bool {
	lo := max(0, s-recordBack)
	if i := lastIndexByte(b[lo:s], '\n'); i >= 0 {
		lo += i + 1
	}
	hi := min(len(b), e+recordAhead)
	if i := bytes.IndexByte(b[e:hi], '\n'); i >= 0 {
		hi = e + i
	}
	return timeOfDayIn(b, lo, s) || timeOfDayIn(b, e, hi)
}

// timeOfDayIn reports whether b[lo:hi] holds HH:MM:SS (00–23, 00–59,
// 00–60) not inside a longer run of digits, nor inside a longer run of
// colon-separated groups (a MAC address), except after a year as in
// Apache's 02/Mar/2026:09:14:02.
func timeOfDayIn(b []byte, lo, hi int) bool {
	for i := lo + 2; i+6 <= hi; i++ {
		if b[i] != ':' {
			j := bytes.IndexByte(b[i:hi-5], ':')
			if j < 0 {
				return false
			}
			i += j
		}
		if b[i+3] != ':' {
			continue
		}
		if !IsDigit(b[i-2]) || !IsDigit(b[i-1]) || !IsDigit(b[i+1]) || !IsDigit(b[i+2]) || !IsDigit(b[i+4]) || !IsDigit(b[i+5]) {
			continue
		}
		if i-3 >= 0 && IsDigit(b[i-3]) {
			continue
		}
		if i-3 >= 0 && b[i-3] == ':' && !(i-8 >= 0 && b[i-8] == '/' && IsDigit(b[i-7]) && IsDigit(b[i-4])) {
			continue // the tail of a MAC address; but 02/Mar/2026:09:14:02 is a time
		}
		if i+6 < len(b) && (IsDigit(b[i+6]) || b[i+6] == ':') {
			continue
		}
		h := (b[i-2]-'0')*10 + b[i-1] - '0'
		m := (b[i+1]-'0')*10 + b[i+2] - '0'
		sec := (b[i+4]-'0')*10 + b[i+5] - '0'
		if h < 24 && m < 60 && sec <= 60 {
			return true
		}
	}
	return false
}
