package detectors

import (
	"strings"
	"testing"
)

func TestInlinePasswordCases(t *testing.T) {
	d := NewInlinePassword()
	genericCheckCases(t, d, []genericCase{
		{text: "2026-03-01T10:00:00 WARN login failed user=kari password=Hemmelig123 ip=10.0.0.5", want: "password=***", conf: High},
		{text: "2026-03-01T10:00:00 smtp: auth with SMTP_PASSWORD=\"pa55-Wd x\" ok", want: "SMTP_PASSWORD=\"***\"", conf: High},
		{text: "2026-03-01T10:00:00 for example password=Hemmelig123", want: "password=***", conf: Low},
		// Outside a log record: nothing.
		{text: "run: mysql -u root --password=S3cr3t-Db shop"},
		{text: "passord: Fjord-Hest-42"},
		// Not passwords: placeholders, variables, words, paths, URLs,
		// keys about passwords, no separator, a time's colon.
		{text: "password=${DB_PASSWORD}"},
		{text: "password='<your password>'"},
		{text: "password: ********"},
		{text: "password=changeme"},
		{text: "password=/run/secrets/db"},
		{text: "password: https://lillemini.no/reset"},
		{text: "passwd: files systemd"},
		{text: "password_min_length=12"},
		{text: "showPassword=true"},
		{text: "the password is wrong"},
		{text: "at 10:00 password:12"},
		{text: "xpassword=Hemmelig123"},
		{text: "password="},
		{text: "password=\"unterminated"},
		// A document on one line (escaped line breaks): no log record.
		{text: "2026-03-01T10:00:00 " + strings.Repeat("x", 3000) + " password=Hemmelig123"},
		{text: "2026-03-01T10:00:00 dump \\nuserPassword: S3cr3t9x\\n", want: "userPassword: ***", conf: High},
	})
	// Structured text reports its values under their key paths: not here.
	var in Input
	in.Reset([]byte("password=Hemmelig123"), "notes")
	n := 0
	d.Find(&in, func(Match) { n++ })
	if n != 0 {
		t.Errorf("a column's value: %d matches, want none (column_name reports it)", n)
	}
}

// TestInlinePasswordNeverThePassword: no value, and no masked value,
// holds the password (checkRedacted).
func TestInlinePasswordNeverThePassword(t *testing.T) {
	const pw = "Vk7-qQ2xZ!r"
	checkRedacted(t, NewInlinePassword(), pw, []string{
		"10:00:00 password=" + pw,
		"2026-03-01T10:00:00 db_passwd: " + pw + " user=x",
		`10:00:00 {"pwd":"` + pw + `"}`,
		"10:00:00 --password='" + pw + "'",
		"10:00:00 PASSWORD=" + pw + ";next",
	})
}

func TestInlinePasswordZeroAllocsOnRejected(t *testing.T) {
	genericZeroAllocs(t, NewInlinePassword(), "2026-03-01T10:00:00 INFO order total=2749.59 ref=69095392174 key=user:79743 "+
		"10:00:00 a=b c:d http://x.no/?q=1&r=2 word: other")
}

// FuzzInlinePassword: see fuzzRedacted.
func FuzzInlinePassword(f *testing.F) {
	fuzzRedacted(f, NewInlinePassword(), `10:00:00 password="" pwd='x' passwd: a b passord=x&y DB_PASSWORD: "q`)
}

func BenchmarkInlinePassword(b *testing.B) { genericBench(b, NewInlinePassword()) }

// kindFind runs d over text of the given kind (Input.Kind).
func kindFind(d Detector, text string, kind TextKind) []Match {
	var in Input
	in.Reset([]byte(text), "")
	in.Kind = kind
	var ms []Match
	d.Find(&in, func(m Match) { ms = append(ms, m) })
	return ms
}

// TestInlinePasswordHistory: in a shell's history every command is a
// record: key=value passwords without a time of day, and the password
// options of MySQL's clients (-p glued), sshpass and curl, in order; not
// psql's or mysql's --password, which take none, nor variables and
// placeholders.
func TestInlinePasswordHistory(t *testing.T) {
	text := strings.Join([]string{
		"ls -la",
		"mysql -u root -pS3cr3t-Db shop",
		"sudo /usr/bin/mysqldump --single-transaction -p'Fj0rd Hest' shop > shop.sql",
		": 1700000000:0;mariadb -uapp -pKaffe-2026 -h db",
		"export DB_PASSWORD=Vinter-2026-x",
		"sshpass -p 'Sommer#2027' ssh deploy@web1",
		"curl -u kari:Hemmelig123 https://api.firma.no/v1/me",
		"curl --user=ola:Passord-99x https://api.firma.no",
		"psql --password shop",
		"mysql -p shop",
		"mysql -p$MYSQL_PWD shop",
		"mysql -ppassword shop",
		"curl -u kari https://api.firma.no",
		"echo -pS3cret-not-mysql",
		"git log -p HEAD",
		`CREATE\040USER\040'app'@'%'\040IDENTIFIED\040BY\040'Kaffe-Bryggeri-2026';`,
		"ALTER ROLE shop WITH LOGIN PASSWORD 'Sommer-2027x';",
		"CREATE USER u IDENTIFIED WITH mysql_native_password BY \"Fj0rd-Hest-9\";",
		"SET PASSWORD = PASSWORD('Gammel-Pw-11');",
		"ALTER USER x PASSWORD NULL;",
		"\\password shop",
		"CREATE USER u IDENTIFIED BY '${PW}';",
		"UPDATE users SET passwordless = 'x';",
	}, "\n") + "\n"
	checkKindValues(t, text, History, "-p***", "-p'***'", "-p***", "DB_PASSWORD=***", "-p '***'", "-u ***", "--user=***",
		`IDENTIFIED\040BY\040'***'`, "PASSWORD '***'", `IDENTIFIED WITH mysql_native_password BY "***"`, "PASSWORD('***'")
}

// TestInlinePasswordToolOptions: the password options of the other tools
// of inlineFlagCommands in a shell's history, in order, and the options
// that look alike and give none (a port, a prompt, a variable).
func TestInlinePasswordToolOptions(t *testing.T) {
	text := strings.Join([]string{
		"docker login -u kari -p Dkr-Pass-2026 registry.firma.no",
		"echo x | podman login --password Podm4n-Pw quay.io",
		"redis-cli -h cache -a R3dis-Secret-1 ping",
		"ldapsearch -x -D cn=admin,dc=firma -w Ld4p-Admin-pw -b dc=firma",
		"mongosh mongodb://db -u admin -p 'M0ngo Pw 77'",
		"smbclient //fs/share -U kari%Smb-Pass-11",
		"sqlcmd -S db -U sa -PSql-Srv-Pw1",
		"keytool -importcert -keystore ks.jks -storepass Keyst0re-Pw -file c.pem",
		"7z x -p7z-Arch-Pw9 backup.7z",
		"xfreerdp /u:kari /p:Rdp-Pass-2026 /v:ts1",
		"openssl pkcs12 -export -in c.pem -passout pass:P12-Export-pw -out c.p12",
		"wget --user kari --password Wg3t-Pass-x https://files.firma.no/a",
		"gpg --batch --passphrase Gpg-Phrase-42 -c secrets.txt",
		"ipmitool -I lanplus -H bmc1 -U admin -P Ipmi-Pw-2026 power status",
		"mosquitto_pub -h mq -u dev -P Mqtt-Pw-55 -t x -m y",
		"snmpwalk -v3 -u mon -l authPriv -a SHA -A Snmp-Auth-1 -x AES -X Snmp-Priv-2 sw1",
		"docker run -p 8080:80 nginx",
		"docker login registry.firma.no",
		"redis-cli -p 6379 ping",
		"ldapsearch -W -D cn=admin",
		"mongosh -p --host db",
		"smbclient -U kari //fs/share",
		"openssl pkcs12 -passin env:P12_PW -in c.p12",
		"mosquitto_sub -p 1883 -t x",
		"7z a -p backup.7z dir",
		"gpg --passphrase-fd 0 -c f",
		"keytool -list -storepass:env KS_PW",
		"sqlcmd -S db -U sa -P $SA_PASSWORD",
	}, "\n") + "\n"
	checkKindValues(t, text, History, "-p ***", "--password ***", "-a ***", "-w ***", "-p '***'", "-U ***", "-P***",
		"-storepass ***", "-p***", "/p:***", "-passout pass:***", "--password ***", "--passphrase ***", "-P ***", "-P ***",
		"-A ***", "-X ***")
}

// checkKindValues checks that inline_password finds in text of the given
// kind exactly the values want, in order, each a high credentials match,
// and nothing in the same text of no kind (no option, statement, stored
// password or key=value without a time is a record there).
func checkKindValues(t *testing.T, text string, kind TextKind, want ...string) {
	t.Helper()
	d := NewInlinePassword()
	ms := kindFind(d, text, kind)
	genericCheckMatches(t, d, []byte(text), ms)
	var got []string
	for _, m := range ms {
		if m.Confidence != High || m.Category != Credentials {
			t.Errorf("%q: %v %v, want high credentials", m.Value, m.Confidence, m.Category)
		}
		got = append(got, m.Value)
	}
	if strings.Join(got, " | ") != strings.Join(want, " | ") {
		t.Errorf("values %q\nwant %q", got, want)
	}
	if ms := genericFind(d, text, ""); len(ms) != 0 {
		t.Errorf("text of no kind: %d matches", len(ms))
	}
}

// FuzzInlinePasswordHistory: fuzzRedacted's checks on a shell's history,
// a database server's log and a credentials store (checkSecretReplaced).
func FuzzInlinePasswordHistory(f *testing.F) {
	f.Add([]byte("mysql -pS3cret x\nsshpass -p 'a b' ssh h; curl -u k:pw --user=a:b\nexport PASSWORD=x1y2z3w4\n"))
	f.Add([]byte("docker login -p a1 r; smbclient -U 'k%b c' //h/s\nopenssl x -passin 'pass:q w' && xfreerdp /p:z9 -X\n"))
	f.Add([]byte("CREATE\\040USER\\040u\\040IDENTIFIED\\040BY\\040'x1y2z3';\nALTER ROLE r PASSWORD 'q9w8e7' ; SET PASSWORD = PASSWORD(\"a1b2c3\")\n"))
	d := NewInlinePassword()
	f.Fuzz(func(t *testing.T, data []byte) {
		for _, kind := range []TextKind{History, DatabaseLog, CredentialStore} {
			ms := kindFind(d, string(data), kind)
			genericCheckMatches(t, d, data, ms)
			checkSecretReplaced(t, data, ms)
		}
	})
}

// TestInlinePasswordStatements: in a database server's log
// (DatabaseLog) the passwords its records' statements set are read,
// and not in a line without a time (a statement quoted in prose), nor in
// another log.
func TestInlinePasswordStatements(t *testing.T) {
	text := "2026-03-01T10:00:00.123456Z\t   12 Query\tCREATE USER 'app'@'%' IDENTIFIED BY 'Kaffe-Bryggeri-2026'\n" +
		"2026-03-01 10:00:01.001 CET [4711] postgres@shop LOG:  statement: ALTER ROLE shop WITH PASSWORD 'Sommer-2027x';\n" +
		"To set one, run CREATE USER u IDENTIFIED BY 'Vinter-2026-x' as root.\n" +
		"2026-03-01T10:00:02Z 13 Query SELECT password FROM users WHERE id = 1\n"
	checkKindValues(t, text, DatabaseLog, "IDENTIFIED BY '***'", "PASSWORD '***'")
}

// TestInlinePasswordCredentialStore: a credentials store's passwords,
// .netrc's and .pgpass's, are high; a comment, a wildcard-free line of
// another shape and a placeholder are none.
func TestInlinePasswordCredentialStore(t *testing.T) {
	text := "machine api.firma.no login kari password Hemmelig-123x\n" +
		"# machine old.firma.no login ola password Gammel-Pw-11\n" +
		"default login anonymous password changeme\n" +
		"db.prod:5432:shop:app:Kaffe\\:Bryggeri-2026\r\n" +
		"*:*:*:postgres:Vinter-2026-x\n" +
		"just some words here\n"
	checkKindValues(t, text, CredentialStore, "password ***", "db.prod:5432:shop:***", "*:*:*:***")
}
