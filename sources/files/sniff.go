package files

import (
	"bytes"
	"encoding/binary"
	"path"
	"strings"
	"unicode/utf8"

	"github.com/piimap/piimap/internal/bitmask"
)

// Kind is what a file's content is, as its first bytes say.
type Kind string

// Kinds. Text and Binary are what content without known magic bytes is
// taken for; the others are named by their magic bytes.
const (
	KindText   Kind = "text"
	KindBinary Kind = "binary"

	// Compression: the files source decompresses these itself.
	KindGzip  Kind = "gzip"
	KindZstd  Kind = "zstd"
	KindBzip2 Kind = "bzip2"
	KindXz    Kind = "xz"

	// Containers and documents: read by a FormatReader when one is
	// registered (WithFormat), else skipped as "unsupported format: …".
	KindZip    Kind = "zip" // also docx, xlsx, pptx, odt, ods, jar
	KindTar    Kind = "tar"
	KindPDF    Kind = "pdf"
	KindSQLite Kind = "sqlite"
	KindOLE2   Kind = "ole2" // legacy doc, xls, ppt, msg
	KindTNEF   Kind = "tnef" // Exchange's winmail.dat
	KindPST    Kind = "pst"  // Outlook data files: .pst, .ost
	KindMail   Kind = "mail" // Internet mail (.eml, Maildir): text that looksLikeMail
	KindRTF    Kind = "rtf"  // Rich Text Format: text that starts with {\rtf
	Kind7z     Kind = "7z"
	KindRar    Kind = "rar"

	// Media and executables: skipped as "binary (png)" unless registered.
	KindPNG  Kind = "png"
	KindJPEG Kind = "jpeg"
	KindGIF  Kind = "gif"
	KindWebP Kind = "webp"
	KindTIFF Kind = "tiff"
	KindELF  Kind = "elf"
)

// Compressed reports whether k is a compression format.
func (k Kind) Compressed() bool {
	switch k {
	case KindGzip, KindZstd, KindBzip2, KindXz:
		return true
	}
	return false
}

// Container reports whether k is an archive, document or database format
// that may hold text, as opposed to media, executables and unknown binary.
func (k Kind) Container() bool {
	switch k {
	case KindZip, KindTar, KindPDF, KindSQLite, KindOLE2, KindTNEF, KindPST, Kind7z, KindRar:
		return true
	}
	return false
}

// SniffLen is how many leading bytes sniffing looks at.
const SniffLen = 8192

// SniffKind returns the kind head's magic bytes name, or "" when none does.
// head is the start of the content (SniffLen bytes, or all of it if shorter).
func SniffKind(head []byte) Kind {
	has := func(off int, magic string) bool {
		return len(head) >= off+len(magic) && string(head[off:off+len(magic)]) == magic
	}
	switch {
	case has(0, "\x1f\x8b"):
		return KindGzip
	case has(0, "\x28\xb5\x2f\xfd"):
		return KindZstd
	case len(head) >= 4 && head[0]&0xf0 == 0x50 && has(1, "\x2a\x4d\x18"):
		return KindZstd // skippable frame
	case has(0, "BZh") && len(head) >= 4 && head[3] >= '1' && head[3] <= '9' &&
		(has(4, "\x31\x41\x59\x26\x53\x59") || has(4, "\x17\x72\x45\x38\x50\x90")):
		return KindBzip2
	case has(0, "\xfd7zXZ\x00"):
		return KindXz
	case has(0, "PK\x03\x04"), has(0, "PK\x05\x06"), has(0, "PK\x07\x08"):
		return KindZip
	case has(0, "%PDF-"):
		return KindPDF
	case has(0, "SQLite format 3\x00"):
		return KindSQLite
	case has(0, "\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
		return KindOLE2
	case has(0, "\x78\x9f\x3e\x22"):
		return KindTNEF
	case has(0, "!BDN") && (has(8, "SM") || has(8, "SO")):
		return KindPST
	case has(0, "7z\xbc\xaf\x27\x1c"):
		return Kind7z
	case has(0, "Rar!\x1a\x07"):
		return KindRar
	case has(0, "\x89PNG\r\n\x1a\n"):
		return KindPNG
	case has(0, "\xff\xd8\xff"):
		return KindJPEG
	case has(0, "GIF87a"), has(0, "GIF89a"):
		return KindGIF
	case has(0, "RIFF") && has(8, "WEBP"):
		return KindWebP
	case has(0, "II*\x00"), has(0, "MM\x00*"):
		return KindTIFF
	case has(0, "\x7fELF"):
		return KindELF
	case isTarHeader(head):
		return KindTar
	}
	return ""
}

// isTarHeader reports whether head starts with a tar header: the "ustar"
// magic, or (old V7 archives) a valid header checksum.
func isTarHeader(head []byte) bool {
	if len(head) >= 262 && string(head[257:262]) == "ustar" {
		return true
	}
	if len(head) < 512 {
		return false
	}
	h := head[:512]
	if h[0] == 0 { // no name
		return false
	}
	// The checksum field: octal digits, terminated by NUL or space.
	var want int64
	digits := 0
	for _, c := range h[148:156] {
		if c == ' ' && digits == 0 {
			continue
		}
		if c >= '0' && c <= '7' {
			want = want*8 + int64(c-'0')
			digits++
			continue
		}
		if c == 0 || c == ' ' {
			break
		}
		return false
	}
	if digits == 0 {
		return false
	}
	var sum int64
	for i, c := range h {
		if i >= 148 && i < 156 {
			c = ' '
		}
		sum += int64(c)
	}
	return sum == want
}

// Encoding is a text encoding the files source decodes to UTF-8.
type Encoding string

// Encodings.
const (
	UTF8        Encoding = "utf-8"
	UTF16LE     Encoding = "utf-16le"
	UTF16BE     Encoding = "utf-16be"
	Windows1252 Encoding = "windows-1252"
)

// SniffText classifies content without magic bytes from its head: its
// encoding, or binary. atEOF says head is the whole content (so a rune cut
// at its end is an error, not a truncation).
//
//   - A BOM decides: EF BB BF is UTF-8, FF FE UTF-16LE, FE FF UTF-16BE.
//   - Without a BOM, UTF-16 is recognised when nearly every other byte is
//     NUL (ASCII and Latin-1 text); any other NUL byte means binary.
//   - More than 10% control characters (other than tab, newline, CR, form
//     feed, vertical tab, backspace and escape) means binary.
//   - Valid UTF-8 is UTF-8; anything else with high bytes is Windows-1252,
//     a superset of the printable Latin-1 range.
func SniffText(head []byte, atEOF bool) (enc Encoding, binary bool) {
	switch {
	case bytes.HasPrefix(head, []byte("\xef\xbb\xbf")):
		return UTF8, false
	case bytes.HasPrefix(head, []byte("\xff\xfe")):
		return UTF16LE, false
	case bytes.HasPrefix(head, []byte("\xfe\xff")):
		return UTF16BE, false
	}
	if bytes.IndexByte(head, 0) >= 0 {
		if e, ok := utf16NoBOM(head); ok {
			return e, false
		}
		return "", true
	}
	if controlBytes(head)*10 > len(head) {
		return "", true
	}
	h := head
	if !atEOF {
		// Do not count a rune cut at the end of the head against it.
		for i := 1; i <= utf8.UTFMax && i <= len(h); i++ {
			if utf8.RuneStart(h[len(h)-i]) {
				if !utf8.FullRune(h[len(h)-i:]) {
					h = h[:len(h)-i]
				}
				break
			}
		}
	}
	if utf8.Valid(h) {
		return UTF8, false
	}
	return Windows1252, false
}

// controlBytes counts the bytes of b that are control characters other
// than text's own (tab, line breaks, form feed, vertical tab, backspace
// and escape). Eight bytes at a time: a word with no byte below 0x20 and
// no DEL, most of a text's, is passed over in a few instructions.
func controlBytes(b []byte) int {
	const ones = 0x0101010101010101
	n, i := 0, 0
	for ; i+8 <= len(b); i += 8 {
		x := binary.LittleEndian.Uint64(b[i:])
		// A byte below 0x20 has its top three bits clear.
		if bitmask.ZeroBytes(x&(ones*0xE0))|bitmask.ZeroBytes(x^(ones*0x7F)) != 0 {
			n += controlBytesEach(b[i : i+8])
		}
	}
	return n + controlBytesEach(b[i:])
}

// controlBytesEach is controlBytes a byte at a time.
func controlBytesEach(b []byte) int {
	n := 0
	for _, c := range b {
		if c < 0x20 || c == 0x7f {
			switch c {
			case '\t', '\n', '\r', '\f', '\v', '\b', 0x1b:
			default:
				n++
			}
		}
	}
	return n
}

// utf16NoBOM recognises BOM-less UTF-16 of mostly ASCII/Latin-1 text: at
// least 90% of the high bytes are NUL and none of the low bytes are.
func utf16NoBOM(head []byte) (Encoding, bool) {
	n := len(head) / 2
	if n < 8 {
		return "", false
	}
	var zeroEven, zeroOdd int
	for i := 0; i+1 < len(head); i += 2 {
		if head[i] == 0 {
			zeroEven++
		}
		if head[i+1] == 0 {
			zeroOdd++
		}
		if zeroEven > 0 && zeroOdd > 0 {
			// NULs on both sides: no side is all low bytes. Binary
			// content (an executable, a .pyc) ends here, in its first
			// bytes, not after the whole head.
			return "", false
		}
	}
	switch {
	case zeroEven == 0 && zeroOdd*10 >= n*9:
		return UTF16LE, true
	case zeroOdd == 0 && zeroEven*10 >= n*9:
		return UTF16BE, true
	}
	return "", false
}

// Sniff names the kind of content from its head: SniffKind, else text or
// binary per SniffText.
func Sniff(head []byte, atEOF bool) Kind {
	if k := SniffKind(head); k != "" {
		return k
	}
	if _, bin := SniffText(head, atEOF); bin {
		return KindBinary
	}
	return KindText
}

// extKind is the compression a file name's extension claims, or "".
func extKind(name string) Kind {
	switch strings.ToLower(path.Ext(name)) {
	case ".gz", ".gzip", ".tgz":
		return KindGzip
	case ".zst", ".zstd", ".tzst":
		return KindZstd
	case ".bz2", ".tbz2":
		return KindBzip2
	case ".xz", ".txz":
		return KindXz
	}
	return ""
}

// textFormat is how text content is cut into chunks.
type textFormat int

const (
	formatPlain textFormat = iota
	formatJSONLines
	formatCSV
	formatHTML    // read through HTMLText
	formatJSONDoc // a JSON document: key paths across lines (readJSONDoc)
	formatRoff    // read through RoffText
	formatXMLDoc  // an XML document: element paths across lines (readXMLDoc)
	formatYAMLDoc // a YAML document: key paths (readYAMLDoc)
	formatConfig  // a configuration file of key = value lines: key paths (readYAMLDoc, sources.ConfigState)
	formatVCard   // vCards: a table of contacts (readVCard)
)

// innerName strips compression extensions and rotation suffixes from a file
// name, so that "app.log.2.gz" → "app.log", "kunder.csv.gz" → "kunder.csv",
// "access.log-20240101" → "access.log", "x.tgz" → "x.tar".
func innerName(name string) string {
	for {
		lower := strings.ToLower(name)
		switch ext := path.Ext(lower); ext {
		case ".gz", ".gzip", ".zst", ".zstd", ".bz2", ".xz":
			name = name[:len(name)-len(ext)]
			continue
		case ".tgz", ".tbz2", ".txz", ".tzst":
			return name[:len(name)-len(ext)] + ".tar"
		}
		// Rotation: ".1", ".12", "-20240101".
		if i := strings.LastIndexAny(name, ".-"); i > 0 && i < len(name)-1 && allDigits(name[i+1:]) &&
			(name[i] == '.' || len(name)-i-1 == 8) {
			name = name[:i]
			continue
		}
		return name
	}
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

// sniffFormat decides how to read text from the (inner) file name and the
// decoded head: .csv/.tsv are CSV with their delimiter sniffed from the
// header line; .jsonl/.ndjson, and any other text whose first lines (two
// at least) all start with '{', are JSON lines, one such line being a
// JSON document when it starts as one; a .txt or .tab file, or one without an
// extension, whose first lines are cells separated by tabs is read as
// CSV with a tab (looksLikeTSV); .html, .htm and .xhtml files, and text
// that starts as an HTML document, are HTML (HTMLText); text that starts
// as roff (a man page) is roff (RoffText); .xml files, and text that
// starts with an XML declaration, are XML documents (element paths);
// .vcf and .vcard files, and text that starts with BEGIN:VCARD, are
// vCards (a table of contacts), and .ics files and text that starts with
// BEGIN:VCALENDAR calendars, read the same way; .yaml and .yml files are
// YAML documents (key paths); configuration files of key = value lines
// are read by key path too (configFile). It returns the CSV delimiter.
func sniffFormat(name string, head []byte) (textFormat, rune) {
	ext := strings.ToLower(path.Ext(innerName(name)))
	switch ext {
	case ".csv", ".tsv":
		return formatCSV, sniffDelimiter(head, ext == ".tsv")
	case ".jsonl", ".ndjson":
		return formatJSONLines, 0
	}
	switch lines := jsonLines(head); {
	case lines > 1:
		return formatJSONLines, 0
	case jsonDocExt[ext] || looksLikeJSONDoc(head):
		// Also one line of JSON, which may be longer than a chunk.
		return formatJSONDoc, 0
	case lines == 1:
		return formatJSONLines, 0
	}
	if (ext == ".txt" || ext == ".tab" || ext == "") && looksLikeTSV(head) {
		return formatCSV, '\t'
	}
	if ext == ".html" || ext == ".htm" || ext == ".xhtml" || looksLikeHTML(head) || xhtml(head) {
		return formatHTML, 0
	}
	if looksLikeRoff(head) {
		return formatRoff, 0
	}
	switch start := bytes.ToUpper(bytes.TrimLeft(head[:min(len(head), 64)], "\ufeff \t\r\n")); {
	case ext == ".vcf" || ext == ".vcard" || ext == ".ics" || ext == ".ical",
		bytes.HasPrefix(start, []byte("BEGIN:VCARD")), bytes.HasPrefix(start, []byte("BEGIN:VCALENDAR")):
		return formatVCard, 0
	}
	if ext == ".yaml" || ext == ".yml" {
		return formatYAMLDoc, 0
	}
	if configFile(name, ext) && !bytes.HasPrefix(bytes.TrimLeft(head, " \t\r\n"), []byte("<")) {
		// (Not markup: D-Bus's .conf files are XML.)
		return formatConfig, 0
	}
	if ext == ".xml" || bytes.HasPrefix(bytes.TrimLeft(head, " \t\r\n"), []byte("<?xml")) {
		return formatXMLDoc, 0
	}
	return formatPlain, 0
}

// configFile reports whether the file name (ext its lower-case extension)
// is a configuration file of "key = value" lines under "[section]"
// headers: INI (.ini, .cfg, .conf, MySQL's .cnf, .gitconfig, .pypirc,
// .npmrc), Java .properties, TOML and .env files (.env, .env.local,
// prod.env).
func configFile(name, ext string) bool {
	base := strings.ToLower(path.Base(innerName(name)))
	switch base {
	case ".env", ".gitconfig", ".pypirc", ".npmrc":
		return true
	case "nsswitch.conf":
		return false // "passwd: files": databases and where they are looked up
	}
	switch ext {
	case ".ini", ".cfg", ".conf", ".cnf", ".properties", ".toml", ".env":
		return true
	}
	return strings.HasPrefix(base, ".env.")
}

// looksLikeTSV reports whether head is a table of tab-separated cells, as
// Excel's "Unicode text" (UTF-16, .txt) and many exports save one: two
// lines at least among its first sixteen that are not blank, each with the
// same number of tabs (one at least), and a first line without an empty
// cell. Source code indented with tabs, and Makefiles, have lines with
// different numbers of tabs. A last line that head cuts short may have
// fewer tabs.
func looksLikeTSV(head []byte) bool {
	tabs, lines := -1, 0
	for len(head) > 0 && lines < 16 {
		line, rest, complete := bytes.Cut(head, []byte{'\n'})
		head = rest
		line = bytes.TrimSuffix(line, []byte{'\r'})
		if len(bytes.TrimSpace(line)) == 0 {
			continue
		}
		n := bytes.Count(line, []byte{'\t'})
		if tabs < 0 {
			if n == 0 {
				return false
			}
			for cell := range bytes.SplitSeq(line, []byte{'\t'}) {
				if len(bytes.TrimSpace(cell)) == 0 {
					return false
				}
			}
			tabs = n
		} else if n != tabs {
			if complete || n > tabs {
				return false
			}
			break
		}
		lines++
	}
	return lines >= 2
}

// looksLikeMail reports whether a text file is an Internet message: its
// head starts with a header block (fields "Name: value", folded lines,
// then a blank line, or the end of the head) that has a From field and a
// Date, Received, Message-ID, MIME-Version or Return-Path field, three
// fields at least. A .eml, .mbox, .txt or extensionless file may start with any
// field, or an mbox "From " line; another (Maildir names such as
// "1700000000.M1P2.host:2,S") only with a field a mail server writes
// first (Return-Path, Received, Delivered-To, X-Original-To).
func looksLikeMail(name string, head []byte) bool {
	ext := strings.ToLower(path.Ext(innerName(name)))
	anyFirst := ext == ".eml" || ext == ".txt" || ext == "" || ext == ".mbox" || ext == ".mbx"
	from, other, fields := false, false, 0
	for len(head) > 0 {
		line, rest, _ := bytes.Cut(head, []byte{'\n'})
		head = rest
		line = bytes.TrimSuffix(line, []byte{'\r'})
		if len(line) == 0 {
			break // the end of the header block
		}
		if line[0] == ' ' || line[0] == '\t' {
			if fields == 0 {
				return false
			}
			continue // a folded line
		}
		if fields == 0 && anyFirst && bytes.HasPrefix(line, []byte("From ")) {
			continue // an mbox "From " line
		}
		colon := bytes.IndexByte(line, ':')
		if colon <= 0 {
			return false
		}
		field := strings.ToLower(string(line[:colon]))
		for _, c := range []byte(field) {
			if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '_') {
				return false
			}
		}
		if fields == 0 && !anyFirst {
			switch field {
			case "return-path", "received", "delivered-to", "x-original-to":
			default:
				return false
			}
		}
		fields++
		switch field {
		case "from":
			from = true
		case "date", "received", "message-id", "mime-version", "return-path":
			other = true
		}
	}
	return from && other && fields >= 3
}

// looksLikeHTML reports whether head starts (after spaces) with an HTML
// document's doctype or <html> tag.
func looksLikeHTML(head []byte) bool {
	head = bytes.TrimLeft(head, " \t\r\n")
	if len(head) > 15 {
		head = head[:15]
	}
	h := bytes.ToLower(head)
	return bytes.HasPrefix(h, []byte("<!doctype html")) || bytes.HasPrefix(h, []byte("<html"))
}

// looksLikeRoff reports whether head starts as a man page or other roff
// document: its first line that is not blank is a comment (.\" or '\"),
// or a title, a date or a macro definition (.TH, .Dd, .de, .so).
func looksLikeRoff(head []byte) bool {
	head = bytes.TrimLeft(head, " \t\r\n")
	for _, p := range []string{`.\"`, `'\"`, ".TH ", ".Dd ", ".Dt ", ".de ", ".so ", `.\#`} {
		if bytes.HasPrefix(head, []byte(p)) {
			return true
		}
	}
	return false
}

// xhtml reports whether head is XHTML after an XML declaration:
// <?xml …?> and then, in its first KiB, an HTML doctype or root.
func xhtml(head []byte) bool {
	head = bytes.TrimLeft(head, " \t\r\n")
	if !bytes.HasPrefix(head, []byte("<?xml")) {
		return false
	}
	h := bytes.ToLower(head[:min(len(head), 1024)])
	return bytes.Contains(h, []byte("<!doctype html")) || bytes.Contains(h, []byte("<html"))
}

// jsonDocExt are the extensions of files that hold one JSON document: HTTP
// archives (.har) and Jupyter notebooks hold what was sent and shown.
var jsonDocExt = map[string]bool{".json": true, ".har": true, ".geojson": true, ".ipynb": true, ".webmanifest": true}

// looksLikeJSONDoc reports whether head starts as a JSON document: an
// object whose first key or end follows, or an array of objects, arrays or
// strings. "[section]" (INI, TOML) and "{{ template }}" do not.
func looksLikeJSONDoc(head []byte) bool {
	head = bytes.TrimLeft(head, " \t\r\n")
	if len(head) < 2 || head[0] != '{' && head[0] != '[' {
		return false
	}
	rest := bytes.TrimLeft(head[1:], " \t\r\n")
	if len(rest) == 0 {
		return false
	}
	if head[0] == '{' {
		return rest[0] == '"' || rest[0] == '}'
	}
	return rest[0] == '{' || rest[0] == '"' || rest[0] == '['
}

// jsonLines returns how many of the first eight non-blank lines of head
// start with '{' (after spaces), or 0 when one does not: JSON lines when
// more than one.
func jsonLines(head []byte) int {
	seen := 0
	for len(head) > 0 && seen < 8 {
		line := head
		if i := bytes.IndexByte(head, '\n'); i >= 0 {
			line, head = head[:i], head[i+1:]
		} else {
			head = nil
		}
		line = bytes.TrimLeft(line, " \t\r")
		if len(line) == 0 {
			continue
		}
		if line[0] != '{' {
			return 0
		}
		seen++
	}
	return seen
}

// sniffDelimiter picks the CSV delimiter among , ; TAB | by how often each
// occurs outside quotes in the header line.
func sniffDelimiter(head []byte, tsv bool) rune {
	if i := bytes.IndexByte(head, '\n'); i >= 0 {
		head = head[:i]
	}
	var counts [4]int
	delims := [4]byte{',', ';', '\t', '|'}
	quoted := false
	for _, c := range head {
		if c == '"' {
			quoted = !quoted
			continue
		}
		if quoted {
			continue
		}
		for j, d := range delims {
			if c == d {
				counts[j]++
			}
		}
	}
	if tsv && counts[2] > 0 {
		return '\t'
	}
	best := 0
	for j := range counts {
		if counts[j] > counts[best] {
			best = j
		}
	}
	if counts[best] == 0 && tsv {
		return '\t'
	}
	return rune(delims[best])
}
