package detectors

import (
	"bytes"
	"slices"
)

// inlinePassword finds passwords written into free text under their key:
// "password=Hemmelig123" or "db_passwd: …" in a log line, a shell
// history, a command line or a ticket. Structured text (JSON, XML, YAML,
// configuration files, CSV fields, database values) reports its values
// under their key paths already (column_name), and is left alone.
//
// Rules: a key of letters, digits, '_', '.' and '-' that names a password
// as a column name does (ClassifyColumn: password, passwd, pwd, passord,
// db_password, smtpPassword; not password_hint, showPassword), then '='
// or ':' and a space, then a value, quoted or up to a space, ',', ';',
// '&' or ')', that is written as a password (KeyValueFits: not a
// placeholder, a variable, a template, a path, a URL or words).
//
// Only log records (a line with its time, at most inlineMaxRecord bytes
// long) are read: code, scripts, manuals and help texts write key=value
// lines as examples and declarations (password: str, PWD=`pwd`). In a
// shell's history (Input.Kind History) every line is a record, and the
// password options of commands that take one without a key=value form
// are read too (mysql -pS3cret, sshpass -p S3cret, curl -u kari:S3cret,
// docker login -p S3cret, ldapsearch -w S3cret; see inlineFlagCommands),
// and the passwords SQL statements set (CREATE
// USER … IDENTIFIED BY '…', ALTER ROLE … PASSWORD '…': sqlPasswords), as
// in a database server's log's records (DatabaseLog). A credentials store
// (CredentialStore) holds one per line or entry: .netrc's "password …",
// .pgpass's last field (storedPassword).
// Confidence: High, Low after example words. The scanner lowers it in
// source code and documentation too.
//
// Match.Value is the key and its separator with "***" for the password
// (password=***): no output holds the password, with --show-values
// either.
type inlinePassword struct {
	boost, against *WordSet
}

// NewInlinePassword returns the inline password detector (id
// "inline_password").
func NewInlinePassword() Detector {
	return &inlinePassword{
		boost:   NewWordSet("login", "logon", "auth", "authentication", "credentials", "user", "bruker"),
		against: NewWordSet("example", "eksempel", "exempel", "sample", "template", "e.g"),
	}
}

func (*inlinePassword) ID() string         { return "inline_password" }
func (*inlinePassword) Category() Category { return Credentials }
func (*inlinePassword) Description() string {
	return "Passwords in free text under their key (password=…, db_passwd: …, \"pwd\":\"…\" in a log line), " +
		"keys as column names name a password, values not placeholders, variables, paths or words; High in log " +
		"records only (code and manuals write such lines as examples), in shell and SQL histories with mysql -p…, " +
		"sshpass -p …, curl -u user:…, docker login -p …, redis-cli -a …, ldapsearch -w …, smbclient -U user%…, " +
		"keytool -storepass …, openssl -passin pass:… and the like, and IDENTIFIED BY '…', in database servers' " +
		"logs' statements, and in " +
		".netrc and .pgpass; the value is reported as key=***"
}

func (d *inlinePassword) ContextWords() []string { return sortedContextWords(d.boost) }

// Limits of a key and of a value.
const (
	inlineMaxKey   = 48
	inlineMaxValue = 128
)

// Find reports the passwords in in.Buf. Candidates are the '=' bytes and
// the colons the run scan marked whose key's last bytes can end a
// password's name (Input.keySeps, keyTail).
func (d *inlinePassword) Find(in *Input, emit func(Match)) {
	if in.Key != "" || in.KeyAt != nil {
		return
	}
	var lines func(lo, hi int, ms []Match) []Match
	switch in.Kind {
	case History:
		// The commands' password options and statements.
		lines = func(lo, hi int, ms []Match) []Match {
			return d.sqlPasswords(in, lo, hi, d.lineFlags(in, lo, hi, ms))
		}
	case DatabaseLog:
		// The statements in records.
		lines = func(lo, hi int, ms []Match) []Match {
			n := len(ms)
			ms = d.sqlPasswords(in, lo, hi, ms)
			for k := len(ms) - 1; k >= n; k-- {
				if !in.InRecord(ms[k].Start, ms[k].End) {
					ms = slices.Delete(ms, k, k+1) // a statement quoted in prose
				}
			}
			return ms
		}
	case CredentialStore:
		lines = func(lo, hi int, ms []Match) []Match { return d.storedPassword(in, lo, hi, ms) }
	default:
		d.keyValues(in, emit)
		return
	}
	// In order with the key=value matches.
	ms := eachShortLine(in.Buf, nil, lines)
	d.keyValues(in, func(m Match) { ms = append(ms, m) })
	slices.SortStableFunc(ms, func(a, b Match) int { return a.Start - b.Start })
	for _, m := range ms {
		emit(m)
	}
}

// keyValues reports the passwords written as key=value or key: value.
func (d *inlinePassword) keyValues(in *Input, emit func(Match)) {
	next := 0 // the end of the last match
	for _, s := range in.keySeps() {
		if p := int(s.P); s.Kind == sepPassword && p >= next {
			if e := d.check(in, p, emit); e > 0 {
				next = e
			}
		}
	}
}

// check reads the key before the separator b[p] and the value after it,
// and reports a password; it returns the value's end, or 0.
func (d *inlinePassword) check(in *Input, p int, emit func(Match)) int {
	b := in.Buf
	ks, ke, ok := inlineKey(b, p)
	if !ok || !keyHasStem(b[ks:ke], inlinePasswordStems) {
		return 0
	}
	if ev, ok := ClassifyColumn(string(b[ks:ke])); !ok || ev.Category != Credentials || ev.Confidence != High {
		return 0
	}
	start := ks
	if ks > 0 && ke < p && b[ks-1] == b[ke] {
		start = ks - 1 // the key's opening quote
	}
	vs, ve, end, ok := inlineValue(b, p)
	if !ok || ve-vs > inlineMaxValue || !inlinePrintable(b[vs:ve]) || !KeyValueFits(Credentials, string(b[vs:ve]), false) {
		return 0
	}
	// Outside a log record, key=value text is mostly code, a script, a
	// manual or a help text (password: str, PWD=`pwd`, Pwd= in a usage
	// line): 772 findings in the real-text sweep, none a password. Only
	// records are reported.
	if !inlineShortLine(b, start, end) || in.Kind != History && in.Kind != CredentialStore && !in.InRecord(start, end) {
		return 0
	}
	emit(d.match(in, start, vs, ve, end))
	return end
}

// inlineKey reads the key b[ks:ke] before the separator b[p] of a
// key=value or key: value: back over a closing quote, then key bytes, from
// a letter or digit; ok is false when it is longer than a key or joined to
// a word.
func inlineKey(b []byte, p int) (ks, ke int, ok bool) {
	ke = p
	if ke > 0 && (b[ke-1] == '"' || b[ke-1] == '\'') {
		ke--
	}
	ks = ke
	for ks > 0 && ke-ks < inlineMaxKey && inlineKeyByte(b[ks-1]) {
		ks--
	}
	if ks > 0 && (inlineKeyByte(b[ks-1]) || IsAlnum(b[ks-1])) {
		return 0, 0, false // longer than a key, or joined to a word
	}
	if ks > 0 && b[ks-1] == '\\' && ks < ke && (b[ks] == 'n' || b[ks] == 't' || b[ks] == 'r') {
		ks++ // \nuserPassword: an escaped line break before the key
	}
	for ks < ke && !IsAlnum(b[ks]) {
		ks++ // --password, .pwd: the key starts at a letter or digit
	}
	return ks, ke, ks < ke
}

// inlineValue reads the value after the separator b[p] of a key: after
// ':' a space (or a quote: "pwd":"…"), after '=' at once or after one
// space; quoted, or up to a space or a list's separator: b[vs:ve], and
// end past a closing quote. An unquoted value after ':' with words after
// it is prose ("passwd: files systemd").
func inlineValue(b []byte, p int) (vs, ve, end int, ok bool) {
	vs = p + 1
	if vs < len(b) && b[vs] == ' ' {
		vs++
	} else if b[p] == ':' && (vs >= len(b) || b[vs] != '"' && b[vs] != '\'') {
		return 0, 0, 0, false // 10:00, http://, a key:value without a space
	}
	if vs >= len(b) {
		return 0, 0, 0, false
	}
	if q := b[vs]; q == '"' || q == '\'' {
		i := bytes.IndexByte(b[vs+1:min(len(b), vs+2+inlineMaxValue)], q)
		if i < 0 {
			return 0, 0, 0, false
		}
		return vs + 1, vs + 1 + i, vs + 2 + i, i > 0
	}
	ve = vs
	for ve < len(b) && ve-vs <= inlineMaxValue && !inlineValueEnd(b[ve]) {
		ve++
	}
	if b[p] == ':' && inlineWordAfter(b, ve) {
		return 0, 0, 0, false // "passwd: files systemd": words, not a value
	}
	return vs, ve, ve, ve > vs
}

// match returns the match of the password b[vs:ve] written in
// b[start:end] (a key or an option before it, maybe a closing quote
// after): its value is b[start:end] with "***" for the password, High, or
// Low after example words or words against.
func (d *inlinePassword) match(in *Input, start, vs, ve, end int) Match {
	b := in.Buf
	conf := High
	if in.ExampleBefore(start) || in.Context(start, d.boost, d.against) == Against {
		conf = Low
	}
	value := make([]byte, 0, vs-start+3+end-ve)
	value = append(value, b[start:vs]...)
	value = append(value, "***"...)
	value = append(value, b[ve:end]...) // a closing quote
	return Match{Detector: d.ID(), Category: Credentials, Start: start, End: end, Value: in.valueString(value), Confidence: conf, Secret: SecretHash(b[vs:ve])}
}

// inlineMaxRecord is the longest line read as a log record: a longer one
// is a document on one line (a SQL dump's help text with escaped line
// breaks), whose times say nothing of the value.
const inlineMaxRecord = 2 << 10

// inlineShortLine reports whether the line around b[s:e] is at most
// inlineMaxRecord bytes long.
func inlineShortLine(b []byte, s, e int) bool {
	lo := max(0, s-inlineMaxRecord)
	if i := bytes.LastIndexByte(b[lo:s], '\n'); i >= 0 {
		lo += i + 1
	} else if lo > 0 {
		return false
	}
	hi := min(len(b), lo+inlineMaxRecord+1)
	if e > hi {
		return false
	}
	return bytes.IndexByte(b[e:hi], '\n') >= 0 || hi == len(b)
}

// inlineWordAfter reports whether b[e:] goes on, on the same line, with
// a space and a word of letters only.
func inlineWordAfter(b []byte, e int) bool {
	if e >= len(b) || b[e] != ' ' {
		return false
	}
	i := e + 1
	for i < len(b) && isLetter(b[i]) {
		i++
	}
	return i > e+1 && (i == len(b) || b[i] == ' ' || b[i] == '\n' || b[i] == '.' || b[i] == ',')
}

// inlinePasswordStems are the stems of the words that name a password in
// a key (ClassifyColumn's), lower case: a key without one is no password's,
// which is told without the allocations of ClassifyColumn.
var inlinePasswordStems = [][]byte{[]byte("pass"), []byte("pwd"), []byte("losen"), []byte("salasana"), []byte("adgangskode"), []byte("pin")}

// keyHasStem reports whether the key k holds one of stems (lower case), in
// any case.
func keyHasStem(k []byte, stems [][]byte) bool {
	var buf [inlineMaxKey]byte
	l := lowerASCII(buf[:0], k[:min(len(k), inlineMaxKey)])
	for _, s := range stems {
		if bytes.Contains(l, s) {
			return true
		}
	}
	return false
}

// inlinePrintable reports whether v is printable ASCII, spaces included
// (a quoted value may hold them; an unquoted one ends at one).
func inlinePrintable(v []byte) bool {
	for _, c := range v {
		if c < ' ' || c >= 0x7F {
			return false
		}
	}
	return true
}

// inlineKeyByte reports whether c can be in a key.
func inlineKeyByte(c byte) bool {
	return c < 0x80 && (IsAlnum(c) || c == '_' || c == '.' || c == '-')
}

// inlineValueEnd reports whether c ends an unquoted value (a backslash:
// an escaped line break in text on one line).
func inlineValueEnd(c byte) bool {
	return c <= ' ' || c == ',' || c == ';' || c == '&' || c == ')' || c == ']' || c == '}' || c == '"' || c == '\'' || c == '\\' || c >= 0x7F
}

func (d *inlinePassword) Positives() []Example {
	return []Example{
		{Text: "2026-03-01T10:00:00 WARN login failed user=kari password=Hemmelig123 ip=10.0.0.5", Want: "password=***", Note: "a log record: High"},
		{Text: "Mar  1 10:00:01 mail smtpd: auth passwd: Zq81-wwP!mKn", Want: "passwd: ***", Note: "a syslog record"},
		{Text: `2026-03-01 10:00:02 exec mysql -u root --password=S3cr3t-Db`, Want: "password=***", Note: "a command line's option"},
		{Text: `2026-03-01T10:00:03Z debug: {"user":"ola","password":"Fj0rd-42x"}`, Want: `"password":"***"`, Note: "JSON inside a log line"},
		{Text: "[01/Mar/2026:10:00:04 +0100] env DB_PASSWORD=pg-Xk29vvQpLm ./run.sh", Want: "DB_PASSWORD=***"},
		{Text: "10:00:05 connect(host=db, pwd=Tr0ub4dor&3)", Want: "pwd=***", Note: "the value ends at '&' (a query string's separator)"},
	}
}

func (d *inlinePassword) Negatives() []Example {
	return []Example{
		{Text: "10:00:00 password=${DB_PASSWORD} ./run.sh", Note: "a variable"},
		{Text: "10:00:00 password: ********", Note: "masked"},
		{Text: "10:00:00 password=changeme", Note: "a placeholder"},
		{Text: "10:00:00 password_min_length=12 show_password=true", Note: "about passwords, not one"},
		{Text: "10:00:00 passwd: files systemd", Note: "nsswitch.conf: words"},
		{Text: "10:00:00 reset password: https://lillemini.no/reset", Note: "a URL"},
		{Text: "10:00:00 the password is required", Note: "no separator"},
		{Text: "10:00:00 mypassword1=abc", Note: "not a key that names a password"},
		{Text: "mysql -u root --password=S3cr3t-Db", Note: "not a log record: a script's or a manual's line"},
	}
}

// inlineFlags says where a command's options give a password with no
// key=value form to find it by (inlinePassword.lineFlags). An option
// word of glued holds it after its prefix (mysql -pS3cret, 7z -pS3cret,
// xfreerdp /p:S3cret); one of next takes it as the next word (sshpass -p
// S3cret, redis-cli -a S3cret, keytool -storepass S3cret), and not a word
// that starts with '-' (another option: mongosh -p prompts for it); one
// of users takes user<sep>password next or after '=' (curl -u
// kari:S3cret, smbclient -U kari%S3cret), the user hidden with the
// password (it may be a person's address). With sub, only after that
// word (docker login -p …; docker run -p is a port). With prefix, the
// password is what follows it in the value (openssl -passin pass:S3cret;
// env:VAR and file:path are none). A long option after '=' is key=value,
// read by keyValues.
type inlineFlags struct {
	glued, next, users []string
	sep                byte
	sub, prefix        string
}

// inlineFlagCommands are the commands of inlineFlags, by name. Not
// mysql's or psql's --password followed by a space: they take no value,
// and the word after is a database's name; nor mysql's -p alone.
var inlineFlagCommands = func() map[string]*inlineFlags {
	mysql := &inlineFlags{glued: []string{"-p"}}
	ldap := &inlineFlags{glued: []string{"-w"}, next: []string{"-w"}}
	login := &inlineFlags{sub: "login", glued: []string{"-p"}, next: []string{"-p", "--password"}}
	mongo := &inlineFlags{next: []string{"-p", "--password"}}
	smb := &inlineFlags{users: []string{"-U", "--user"}, sep: '%', next: []string{"--password"}}
	sqlServer := &inlineFlags{glued: []string{"-P"}, next: []string{"-P"}}
	keytool := &inlineFlags{next: []string{"-storepass", "-keypass", "-srcstorepass", "-deststorepass", "-srckeypass", "-destkeypass"}}
	snmp := &inlineFlags{glued: []string{"-A", "-X"}, next: []string{"-A", "-X"}}
	mosquitto := &inlineFlags{next: []string{"-P", "--pw"}}
	m := map[string]*inlineFlags{
		"sshpass":   {glued: []string{"-p"}, next: []string{"-p"}},
		"curl":      {users: []string{"-u", "--user"}, sep: ':'},
		"redis-cli": {next: []string{"-a", "--pass"}},
		"cqlsh":     {next: []string{"-p", "--password"}},
		"ipmitool":  {next: []string{"-P"}},
		"rdesktop":  {next: []string{"-p"}},
		"xfreerdp":  {glued: []string{"/p:"}},
		"zip":       {next: []string{"-P", "--password"}},
		"unzip":     {next: []string{"-P"}},
		"gpg":       {next: []string{"--passphrase"}},
		"gpg2":      {next: []string{"--passphrase"}},
		"wget":      {next: []string{"--password", "--http-password", "--ftp-password", "--proxy-password"}},
		"openssl":   {next: []string{"-passin", "-passout", "-pass", "-password"}, prefix: "pass:"},
		"az":        login,
	}
	for _, c := range []string{"mysql", "mysqldump", "mysqladmin", "mysqlimport", "mysqlcheck", "mysqlshow",
		"mariadb", "mariadb-dump", "mariadb-admin", "mariadb-import", "mariadb-check"} {
		m[c] = mysql
	}
	for _, c := range []string{"7z", "7za", "7zr"} {
		m[c] = &inlineFlags{glued: []string{"-p"}}
	}
	for _, c := range []string{"ldapsearch", "ldapadd", "ldapmodify", "ldapdelete", "ldapmodrdn", "ldapcompare",
		"ldapwhoami", "ldappasswd", "ldapexop"} {
		m[c] = ldap
	}
	for _, c := range []string{"docker", "podman", "nerdctl", "buildah", "skopeo", "helm", "oras"} {
		m[c] = login
	}
	for _, c := range []string{"mongo", "mongosh", "mongodump", "mongorestore", "mongoexport", "mongoimport",
		"mongostat", "mongotop", "mongofiles"} {
		m[c] = mongo
	}
	for _, c := range []string{"smbclient", "rpcclient", "smbcacls", "smbmap"} {
		m[c] = smb
	}
	for _, c := range []string{"sqlcmd", "bcp", "osql"} {
		m[c] = sqlServer
	}
	for _, c := range []string{"keytool", "jarsigner"} {
		m[c] = keytool
	}
	for _, c := range []string{"snmpwalk", "snmpget", "snmpset", "snmpbulkwalk", "snmpbulkget", "snmpgetnext", "snmptable"} {
		m[c] = snmp
	}
	for _, c := range []string{"mosquitto_pub", "mosquitto_sub", "mosquitto_rr"} {
		m[c] = mosquitto
	}
	return m
}()

// eachShortLine calls f with the bounds of each line of b at most
// inlineMaxRecord bytes long and the matches so far, keeping what it
// returns, and returns the matches.
func eachShortLine(b []byte, ms []Match, f func(lo, hi int, ms []Match) []Match) []Match {
	for lo := 0; lo < len(b); {
		hi := bytes.IndexByte(b[lo:], '\n')
		if hi < 0 {
			hi = len(b)
		} else {
			hi += lo
		}
		if hi-lo <= inlineMaxRecord {
			ms = f(lo, hi, ms)
		}
		lo = hi + 1
	}
	return ms
}

// sqlPasswords appends to ms the passwords that SQL statements on the
// line b[lo:hi] of a client's history set (.mysql_history, .psql_history):
// CREATE USER … IDENTIFIED BY '…' (IDENTIFIED WITH plugin BY '…'), ALTER
// ROLE … PASSWORD '…', SET PASSWORD = PASSWORD('…'). MySQL's history
// writes a space as \040. The value is the words with "***" for the
// password (IDENTIFIED BY '***').
func (d *inlinePassword) sqlPasswords(in *Input, lo, hi int, ms []Match) []Match {
	b := in.Buf
	for i := lo; i < hi; i++ {
		c := b[i] | 0x20
		if c != 'i' && c != 'p' || i > lo && !sqlSpace(b, lo, i) && b[i-1] != '(' && b[i-1] != ',' {
			continue
		}
		var e int // the end of the words before the literal
		switch {
		case sqlWord(b, i, hi, "identified"):
			e = sqlSkip(b, i+len("identified"), hi)
			if sqlWord(b, e, hi, "with") { // IDENTIFIED WITH mysql_native_password BY
				e = sqlSkip(b, e+len("with"), hi)
				for e < hi && (IsAlnum(b[e]) || b[e] == '_') {
					e++
				}
				e = sqlSkip(b, e, hi)
			}
			if !sqlWord(b, e, hi, "by") {
				continue
			}
			e = sqlSkip(b, e+len("by"), hi)
		case sqlWord(b, i, hi, "password"):
			e = i + len("password")
			if e < hi && b[e] == '(' { // PASSWORD('…')
				e++
			} else {
				e = sqlSkip(b, e, hi)
			}
		default:
			continue
		}
		if e >= hi || b[e] != '\'' && b[e] != '"' {
			continue
		}
		q := b[e]
		vs := e + 1
		ve := vs + bytes.IndexByte(b[vs:hi], q)
		if ve <= vs || ve-vs > inlineMaxValue || !inlinePrintable(b[vs:ve]) || !KeyValueFits(Credentials, string(b[vs:ve]), false) {
			continue
		}
		ms = append(ms, d.match(in, i, vs, ve, ve+1))
		i = ve
	}
	return ms
}

// sqlWord reports whether b[i:hi] starts with the lower-case word w, in any
// case, not followed by a letter, a digit or '_'.
func sqlWord(b []byte, i, hi int, w string) bool {
	if hi-i < len(w) {
		return false
	}
	for k := range len(w) {
		if b[i+k]|0x20 != w[k] {
			return false
		}
	}
	e := i + len(w)
	return e == hi || !IsAlnum(b[e]) && b[e] != '_'
}

// sqlSkip returns the first byte from i on that is no space of a history
// line (' ', a tab, MySQL's \040).
func sqlSkip(b []byte, i, hi int) int {
	for i < hi {
		switch {
		case b[i] == ' ' || b[i] == '\t':
			i++
		case hi-i >= 4 && string(b[i:i+4]) == `\040`:
			i += 4
		default:
			return i
		}
	}
	return i
}

// sqlSpace reports whether b[i] follows a space of a history line.
func sqlSpace(b []byte, lo, i int) bool {
	return b[i-1] == ' ' || b[i-1] == '\t' || i-lo >= 4 && string(b[i-4:i]) == `\040`
}

// lineFlags appends to ms the passwords given as options of the commands
// of inlineFlagCommands on the line b[lo:hi] of a shell's history (one
// command, or several joined by ;, &&, || and |), and returns ms. The
// value is the option with "***" for the password, and for a user's
// option with the user name (-p***, -u ***, -U ***).
func (d *inlinePassword) lineFlags(in *Input, lo, hi int, ms []Match) []Match {
	b := in.Buf
	var cmd *inlineFlags // the command whose options are read, or nil
	sub := false         // its sub-command was given, or it needs none
	prev, prevS := "", 0 // the word before, and its start
	for i := lo; i < hi; {
		for i < hi && (b[i] == ' ' || b[i] == '\t') {
			i++
		}
		// A word: up to a space outside quotes ('Fj0rd Hest').
		s := i
		var q byte
		for i < hi && (q != 0 || b[i] != ' ' && b[i] != '\t') {
			switch c := b[i]; {
			case c == q:
				q = 0
			case q == 0 && (c == '\'' || c == '"'):
				q = c
			}
			i++
		}
		if s == i {
			break
		}
		// A ';' ends a command (zsh's ": 1700000000:0;mysql …" too), as
		// do "&&", "||" and "|".
		if j := bytes.LastIndexByte(b[s:i], ';'); j >= 0 {
			cmd, prev = nil, ""
			if s += j + 1; s == i {
				continue
			}
		}
		w := b[s:i]
		if string(w) == "&&" || string(w) == "||" || string(w) == "|" || string(w) == "&" {
			cmd, prev = nil, ""
			continue
		}
		if cmd == nil {
			if f, ok := inlineFlagCommands[string(w[bytes.LastIndexByte(w, '/')+1:])]; ok {
				cmd, sub, prev = f, f.sub == "", "" // (/usr/bin/mysql too)
				continue
			}
		}
		if cmd != nil && !sub {
			sub = string(w) == cmd.sub // docker login
			prev, prevS = string(w), s
			continue
		}
		start, vs, ve, ps := cmd.option(w, s, i, prev, prevS)
		prev, prevS = string(w), s
		if ve <= vs {
			continue
		}
		// Quotes around what is hidden (-p'S3cret', 'kari:S3cret').
		if q := b[vs]; (q == '\'' || q == '"') && ve-vs >= 2 && b[ve-1] == q {
			vs, ve = vs+1, ve-1
			ps = max(ps, vs)
		}
		if cmd.prefix != "" { // openssl -passin pass:S3cret
			if !bytes.HasPrefix(b[ps:ve], []byte(cmd.prefix)) {
				continue
			}
			ps += len(cmd.prefix)
			vs = ps // (the value keeps pass:)
		}
		if ps >= ve || ve-vs > inlineMaxValue || !inlinePrintable(b[start:i]) || !KeyValueFits(Credentials, string(b[ps:ve]), false) {
			continue
		}
		ms = append(ms, d.match(in, start, vs, ve, i))
	}
	return ms
}

// option returns what the word w = b[s:e] gives of a password, after the
// word prev starting at prevS: the start of the option, the bounds of
// what the value hides and where the password starts in them (ps), or
// ve <= vs for none. f may be nil: no command's options.
func (f *inlineFlags) option(w []byte, s, e int, prev string, prevS int) (start, vs, ve, ps int) {
	if f == nil {
		return 0, 0, 0, 0
	}
	for _, o := range f.glued { // mysql -pS3cret
		if len(w) > len(o) && string(w[:len(o)]) == o {
			return s, s + len(o), e, s + len(o)
		}
	}
	if w[0] != '-' && slices.Contains(f.next, prev) { // sshpass -p S3cret
		return prevS, s, e, s
	}
	if f.sep == 0 {
		return 0, 0, 0, 0
	}
	if w[0] != '-' && slices.Contains(f.users, prev) { // curl -u kari:S3cret
		if c := bytes.IndexByte(w, f.sep); c > 0 {
			return prevS, s, e, s + c + 1
		}
	}
	for _, o := range f.users { // curl --user=kari:S3cret
		if len(o) > 2 && len(w) > len(o)+1 && string(w[:len(o)]) == o && w[len(o)] == '=' {
			if c := bytes.IndexByte(w[len(o)+1:], f.sep); c > 0 {
				v := s + len(o) + 1
				return s, v, e, v + c + 1
			}
		}
	}
	return 0, 0, 0, 0
}

// storedPassword appends to ms the password on the line b[lo:hi] of a
// credentials store, and returns ms: .netrc's (machine … login …
// password S3cret, the value "password ***") or .pgpass's
// (host:port:database:user:S3cret, '\' escaping ':' and '\', the value
// "host:port:database:***"). A comment or another line gives none.
func (d *inlinePassword) storedPassword(in *Input, lo, hi int, ms []Match) []Match {
	b := in.Buf
	for hi > lo && (b[hi-1] == '\r' || b[hi-1] == ' ' || b[hi-1] == '\t') {
		hi--
	}
	t := lo
	for t < hi && (b[t] == ' ' || b[t] == '\t') {
		t++
	}
	if t == hi || b[t] == '#' {
		return ms
	}
	// .netrc: the token after "password" (or "passwd").
	for i := t; i < hi; {
		s := i
		for i < hi && b[i] != ' ' && b[i] != '\t' {
			i++
		}
		if w := b[s:i]; string(w) == "password" || string(w) == "passwd" {
			vs := i
			for vs < hi && (b[vs] == ' ' || b[vs] == '\t') {
				vs++
			}
			ve := vs
			for ve < hi && b[ve] != ' ' && b[ve] != '\t' {
				ve++
			}
			if ve > vs && ve-vs <= inlineMaxValue && inlinePrintable(b[s:ve]) && KeyValueFits(Credentials, string(b[vs:ve]), false) {
				ms = append(ms, d.match(in, s, vs, ve, ve))
			}
			return ms
		}
		for i < hi && (b[i] == ' ' || b[i] == '\t') {
			i++
		}
	}
	// .pgpass: after the fourth unescaped colon. The value keeps the
	// host, port and database; the user, maybe a person's name, goes with
	// the password.
	colons, user := 0, 0
	for i := t; i < hi; i++ {
		switch b[i] {
		case '\\':
			i++
		case ' ', '\t':
			return ms // no .pgpass line
		case ':':
			switch colons++; colons {
			case 3:
				user = i + 1
			case 4:
				vs := i + 1
				if hi > vs && hi-vs <= inlineMaxValue && inlinePrintable(b[t:hi]) && KeyValueFits(Credentials, string(b[vs:hi]), false) {
					ms = append(ms, d.match(in, t, user, hi, hi))
				}
				return ms
			}
		}
	}
	return ms
}
