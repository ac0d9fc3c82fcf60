package dbcommon

import "strings"

// Class says how a column's values are scanned.
type Class uint8

// Column classes.
const (
	// Skip: not scanned by value (dates, booleans, uuids, small integers,
	// floats, enums, …). The column is still announced: its name is evidence.
	Skip Class = iota
	// Text: character data, XML, network addresses, arrays: scanned as text.
	Text
	// JSON: JSON documents, scanned as JSON (key paths are context).
	JSON
	// WideInt: an integer or exact numeric wide enough for an 11-digit
	// number. Ten-digit values are padded to eleven with a leading '0'
	// (see PadWideInt).
	WideInt
	// Binary: bytes, scanned only with Options.Binary.
	Binary
)

// String names the class.
func (c Class) String() string {
	switch c {
	case Text:
		return "text"
	case JSON:
		return "json"
	case WideInt:
		return "wide integer"
	case Binary:
		return "binary"
	}
	return "skip"
}

// WideDigits is how many integer digits a numeric column must hold to be
// scanned: a fødselsnummer stored as a number has 10 or 11 digits.
const WideDigits = 10

// NumericWide reports whether an exact numeric with the given precision and
// scale holds at least WideDigits integer digits. precision < 0 means
// unconstrained.
func NumericWide(precision, scale int) bool {
	if precision < 0 {
		return true
	}
	if scale < 0 {
		scale = 0
	}
	return precision-scale >= WideDigits
}

// PadWideInt returns v left-padded with '0' to 11 digits when v is exactly
// ten ASCII digits: a fødselsnummer (or personnummer) stored in an integer
// column loses its leading zero, and the detectors expect eleven digits.
// Other values are returned unchanged. buf is scratch space for the result.
func PadWideInt(v, buf []byte) []byte {
	if len(v) != 10 {
		return v
	}
	for _, c := range v {
		if c < '0' || c > '9' {
			return v
		}
	}
	buf = append(buf[:0], '0')
	return append(buf, v...)
}

// phoneColumnWords are the column-name tokens of phone number columns
// (Norwegian, Swedish, English). The detectors weigh the name as context;
// here it only decides that an integer column is worth reading.
var phoneColumnWords = map[string]bool{
	"tlf": true, "tel": true, "telefon": true, "telefonnr": true, "telefonnummer": true, "mobil": true,
	"mobilnr": true, "mobilnummer": true, "mob": true, "phone": true, "phonenumber": true, "telephone": true,
	"mobile": true, "cell": true, "cellphone": true, "msisdn": true, "fax": true, "faks": true, "sms": true,
	"tfn": true, "mobiltelefon": true, "handy": true,
}

// PhoneColumn reports whether a column name reads as a phone number
// column: mobil, telefon_nr, phoneNumber, customer_msisdn.
func PhoneColumn(name string) bool {
	var toks []string
	start := 0
	flush := func(i int) {
		if i > start {
			toks = append(toks, strings.ToLower(name[start:i]))
		}
		start = i + 1
	}
	for i := 0; i < len(name); i++ {
		c := name[i]
		switch {
		case c == '_' || c == '-' || c == ' ' || c == '.':
			flush(i)
		case c >= 'A' && c <= 'Z' && i > start && name[i-1] >= 'a' && name[i-1] <= 'z':
			flush(i)
			start = i
		}
	}
	flush(len(name))
	if phoneColumnWords[strings.Join(toks, "")] {
		return true
	}
	for _, t := range toks {
		if phoneColumnWords[t] {
			return true
		}
	}
	return false
}

// IntegerColumnClass is the class of an integer column named name whose
// type alone gives c: a phone column is read as text whatever its width
// (an 8-digit Norwegian mobile fits an INT; padding a 47xxxxxxxx MSISDN in
// a BIGINT to eleven digits, as for a fødselsnummer, would corrupt it).
func IntegerColumnClass(c Class, name string) Class {
	if PhoneColumn(name) {
		return Text
	}
	return c
}
