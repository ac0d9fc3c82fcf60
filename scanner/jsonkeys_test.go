package scanner

import (
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/piimap/piimap/detectors"
	"github.com/piimap/piimap/sources"
	"github.com/piimap/piimap/sources/files"
)

// scanFiles scans dir with every detector, one worker and the files
// source with opt.
func scanFiles(t *testing.T, dir string, cfg Config, opt sources.Options) *Result {
	t.Helper()
	cfg.Targets, cfg.Detectors, cfg.Workers = []string{dir}, detectors.All(), 1
	cfg.Open = func(ctx context.Context, target string) (sources.Source, error) {
		return files.New(target, opt, slog.New(slog.DiscardHandler))
	}
	res, err := Scan(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	return res
}

// TestJSONKeyColumns: the keys of JSON documents and JSON lines are
// column names. A specific key (fornavn, passord, fodselsdato) and a
// generic one under a key of people (kunder[].navn, author.name) report
// their category at the key path when most values are written as such a
// value; a package's name, a server's address, a password placeholder and
// an API schema's example do not, nor does a name key whose values are
// not names. Documents are cut into small chunks, so keys are read across
// chunk edges.
func TestJSONKeyColumns(t *testing.T) {
	dir := t.TempDir()
	write := func(name, text string) {
		t.Helper()
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	first := []string{"Kari", "Ola", "Bjørn", "Ingrid"}
	var crm, lines strings.Builder
	crm.WriteString("{\n  \"kunder\": [\n")
	for i := range 400 {
		if i > 0 {
			crm.WriteString(",\n")
		}
		fmt.Fprintf(&crm, "    {\n      \"navn\": \"%s Nordmann\",\n      \"fodselsdato\": \"1985-03-%02d\",\n      \"adresse\": {\"gate\": \"Storgata %d\"},\n      \"passord\": \"hunter%d\",\n      \"notat\": \"kunde %d\"\n    }", first[i%4], 1+i%28, i, i, i)
		fmt.Fprintf(&lines, `{"ts":"2026-01-01T00:00:00Z","user":{"fornavn":"%s","etternavn":"Nordmann"},"pkg":{"name":"lib%d"}}`+"\n", first[i%4], i)
	}
	crm.WriteString("\n  ]\n}\n")
	write("crm.json", crm.String())
	write("events.jsonl", lines.String())
	write("package.json", `{"name": "lodash", "author": {"name": "John-David Dalton"}, "contributors": [{"name": "Mathias Bynens"}]}`)
	write("config.json", `{"server": {"address": "0.0.0.0:8080"}, "db": {"password": "${DB_PASSWORD}", "user": {"name": "svc-db"}}}`)
	write("openapi.json", `{"components": {"schemas": {"User": {"properties": {"name": {"type": "string", "example": "Kari Nordmann"}}}}, "examples": {"kari": {"value": {"user": {"fornavn": "Kari"}}}}}}`)
	res := scanFiles(t, dir, Config{}, sources.Options{ChunkSize: 4 << 10})
	type key struct {
		loc   string
		cat   detectors.Category
		count int64
		conf  detectors.Confidence
	}
	var got []key
	for _, f := range res.Findings {
		if len(f.Detectors) == 1 && f.Detectors[0] == "column_name" {
			got = append(got, key{f.Location.String(), f.Category, f.Count, f.Confidence})
		}
	}
	want := []key{
		{"file:crm.json#kunder[].adresse.gate", detectors.Address, 400, detectors.Medium},
		{"file:crm.json#kunder[].fodselsdato", detectors.DateOfBirth, 400, detectors.High},
		{"file:crm.json#kunder[].navn", detectors.Name, 400, detectors.Medium},
		{"file:crm.json#kunder[].passord", detectors.Credentials, 400, detectors.High},
		{"file:events.jsonl#user.etternavn", detectors.Name, 400, detectors.High},
		{"file:events.jsonl#user.fornavn", detectors.Name, 400, detectors.High},
		{"file:openapi.json#components.examples.kari.value.user.fornavn", detectors.Name, 1, detectors.Low}, // an example: test data
		{"file:package.json#author.name", detectors.Name, 1, detectors.Medium},
		{"file:package.json#contributors[].name", detectors.Name, 1, detectors.Medium},
	}
	if d := cmp.Diff(want, got, cmp.AllowUnexported(key{})); d != "" {
		t.Errorf("key findings (-want +got):\n%s", d)
	}
	for _, f := range res.Findings {
		if f.Location.String() == "file:crm.json#kunder[].navn" && (len(f.Lines) == 0 || f.Lines[0] != 4) {
			t.Errorf("navn: lines %v, want the first at line 4", f.Lines)
		}
	}
	// --no-column-names turns them off.
	res = scanFiles(t, dir, Config{NoColumnNames: true}, sources.Options{})
	for _, f := range res.Findings {
		if f.Detectors[0] == "column_name" {
			t.Errorf("NoColumnNames: %s %s", f.Location, f.Category)
		}
	}
}

// dbJSONUnit hands over JSON values of a database column, as the database
// sources do: one chunk per value, the column as the field.
type dbJSONUnit struct{ values []string }

func (u dbJSONUnit) Location() sources.Location {
	return sources.Location{Target: "postgres://db/app", Path: "public.kunder", Field: "data", Table: true}
}
func (u dbJSONUnit) Size() int64 { return 0 }
func (u dbJSONUnit) Read(ctx context.Context, sink sources.Sink) error {
	for i, v := range u.values {
		if err := sink.Text(ctx, &sources.Chunk{Loc: u.Location(), Data: []byte(v), Row: int64(i + 1), JSON: true}); err != nil {
			return err
		}
	}
	sink.Column(sources.Column{Loc: u.Location(), Type: "jsonb", Rows: int64(len(u.values)), NonNull: int64(len(u.values))})
	return nil
}

// TestJSONKeyColumnsInDatabaseValues: the keys inside a database's JSON
// values are reported at the column, one finding per category.
func TestJSONKeyColumnsInDatabaseValues(t *testing.T) {
	var vs []string
	for i := range 20 {
		vs = append(vs, fmt.Sprintf(`{"fornavn": "Kari%c", "passord": "hemmelig%d"}`, 'a'+i, i))
	}
	res := scan(t, Config{Detectors: detectors.All()}, dbJSONUnit{vs})
	got := map[detectors.Category]Finding{}
	for _, f := range res.Findings {
		got[f.Category] = f
		if f.Location.Field != "data" {
			t.Errorf("%s at field %q, want the column", f.Category, f.Location.Field)
		}
	}
	// "Karia" … are capitalised words: names; every password is one.
	if n, c := got[detectors.Name], got[detectors.Credentials]; n.Count != 20 || c.Count != 20 {
		t.Errorf("name %+v, credentials %+v; want 20 each", n, c)
	}
}

// TestXMLElementPaths: an XML document (an A-melding-like payroll report)
// reports each value at its element path; an element's whole content is a
// record (an IP address there is not a mention), and element names are
// column names as JSON keys are.
func TestXMLElementPaths(t *testing.T) {
	dir := t.TempDir()
	var b strings.Builder
	b.WriteString("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<melding xmlns=\"urn:ske:a-melding\">\n <oppgave>\n")
	ids := []string{"15038712486", "01019012345", "29029600013"}
	for i := range 60 {
		fmt.Fprintf(&b, "  <inntektsmottaker>\n   <norskIdentifikator>%s</norskIdentifikator>\n   <identifiserendeInformasjon><navn>Kari Nordmann</navn><foedselsdato>1987-03-15</foedselsdato></identifiserendeInformasjon>\n   <epost>ansatt%d@firma.no</epost>\n   <ip>81.166.%d.%d</ip>\n   <notat>logget inn fra 81.166.1.%d i går</notat>\n  </inntektsmottaker>\n", ids[i%3], i, i, i+1, i+1)
	}
	for i := range 30 {
		fmt.Fprintf(&b, "  <ansatt nr=\"%d\" fornavn=\"Ola\" etternavn=\"Hansen\" passord=\"${PASSORD}\"/>\n", i)
	}
	b.WriteString(" </oppgave>\n</melding>\n")
	if err := os.WriteFile(filepath.Join(dir, "amelding.xml"), []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	res := scanFiles(t, dir, Config{}, sources.Options{ChunkSize: 4 << 10})
	const p = "file:amelding.xml#melding.oppgave.inntektsmottaker."
	got := map[string]detectors.Confidence{}
	for _, f := range res.Findings {
		got[f.Location.String()+" "+string(f.Category)] = f.Confidence
	}
	for k, want := range map[string]detectors.Confidence{
		p + "norskIdentifikator national_id":                        detectors.High,
		p + "epost email":                                           detectors.High,
		p + "ip ip_address":                                         detectors.High,
		p + "notat ip_address":                                      detectors.Low, // in a sentence: mentioned, as in a JSON string
		p + "identifiserendeInformasjon.navn name":                  detectors.Medium,
		p + "identifiserendeInformasjon.foedselsdato date_of_birth": detectors.High,
		// Attributes are values too; a placeholder password is not one.
		"file:amelding.xml#melding.oppgave.ansatt.@fornavn name":   detectors.High,
		"file:amelding.xml#melding.oppgave.ansatt.@etternavn name": detectors.High,
	} {
		if c, ok := got[k]; !ok || c != want {
			t.Errorf("%s: %q, want %q (all: %v)", k, c, want, got)
		}
	}
	if _, ok := got["file:amelding.xml#melding.oppgave.ansatt.@passord credentials"]; ok {
		t.Error("a placeholder password reported")
	}
}

// TestYAMLKeyPaths: a YAML document (a site's authors, a Helm chart's
// maintainers) reports each value at its key path, in a flow collection
// too, and its keys are column names; a Kubernetes manifest's name keys
// are not people's.
func TestYAMLKeyPaths(t *testing.T) {
	var b strings.Builder
	b.WriteString("# forfattere\nauthors:\n")
	for i := range 200 {
		fmt.Fprintf(&b, "  - name: \"Kari Nordmann\"\n    email: kari%d@firma.no # jobb\n    bio: |\n      Skriver om ting.\n      name: not a key\n", i)
	}
	b.WriteString("site:\n  title: Bloggen\n")
	got := scanTexts(t, map[string]string{
		"authors.yml": b.String(),
		"deploy.yaml": "metadata:\n  name: web\nspec:\n  containers:\n    - name: Web Server\n      image: nginx\n",
		"team.yml":    "members:\n  - {name: Kari Nordmann, role: dev}\n  - {name: Ola Hansen, role: ops}\n",
		// A value in a flow collection is found at the keys around it.
		"contacts.yaml": "kontakt: {navn: Kari Nordmann, epost: kari.nordmann@firma.no}\nansatte: [{epost: ola.hansen@firma.no}, {epost: 'per.olsen@firma.no'}]\n",
		// Passwords committed in a compose file, as a mapping and as a
		// list; a secret's file, a variable and a flag are not.
		"docker-compose.yml": "services:\n  db:\n    environment:\n      POSTGRES_PASSWORD: s3cr3t-Pg\n      POSTGRES_PASSWORD_FILE: /run/secrets/pg\n" +
			"      SMTP_PASSWORD: ${SMTP_PASSWORD}\n      SHOW_PASSWORD: \"false\"\n  mysql:\n    environment:\n      - MYSQL_ROOT_PASSWORD=zaphod\n" +
			"      - MYSQL_PASSWORD=\"$MYSQL_PW\"\n    command:\n      - --password=x\n",
	}, sources.Options{ChunkSize: 4 << 10})
	want := map[string]string{
		"file:authors.yml#authors[].email email":                                               "high 200",
		"file:authors.yml#authors[].name name":                                                 "medium 200",
		"file:team.yml#members[].name name":                                                    "medium 2", // flow mappings
		"file:contacts.yaml#kontakt.epost email":                                               "high 1",
		"file:contacts.yaml#ansatte[].epost email":                                             "high 2",
		"file:contacts.yaml#kontakt.navn name":                                                 "medium 1",
		"file:docker-compose.yml#services.db.environment.POSTGRES_PASSWORD credentials":        "high 1",
		"file:docker-compose.yml#services.mysql.environment[].MYSQL_ROOT_PASSWORD credentials": "high 1",
	}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("findings (-want +got):\n%s", d)
	}
}

// TestConfigKeyPaths: configuration files of key = value lines (INI,
// MySQL's option files, .properties, .env, TOML) report values at their
// section and key, and their keys are column names: a committed password
// counts under its key; a placeholder, a reference and a file's path do
// not, nor does a comment's address count under a key.
func TestConfigKeyPaths(t *testing.T) {
	got := scanTexts(t, map[string]string{
		"my.cnf":                 "[client]\nuser = app\npassword = \"Xk9#mq2!\"\n\n[mysqld]\nport = 3306\n",
		"application.properties": "spring.datasource.url=jdbc:postgresql://db:5432/shop\nspring.datasource.password=hunter22\nmail.password=${MAIL_PASSWORD}\n",
		".env":                   "# support: kari.nordmann@firma.no\nexport SMTP_PASSWORD=pa55word-smtp\nDB_PASSWORD_FILE=/run/secrets/db\n",
		"pyproject.toml":         "[project]\nname = \"shop\"\ndescription = \"\"\"\npassword = not-a-key\n\"\"\"\n[[project.authors]]\nname = \"Kari Nordmann\"\nemail = \"kari.nordmann@firma.no\"\n",
		".gitconfig":             "[user]\n\tname = Ola Hansen\n\temail = ola.hansen@firma.no\n",
	}, sources.Options{})
	want := map[string]string{
		"file:my.cnf#client.password credentials":                            "high 1",
		"file:application.properties#spring.datasource.password credentials": "high 1",
		"file:.env#SMTP_PASSWORD credentials":                                "high 1",
		"file:.env email":                                                    "medium 1",
		"file:pyproject.toml#project.authors[].email email":                  "high 1",
		"file:.gitconfig#user.email email":                                   "high 1",
		"file:.gitconfig#user.name name":                                     "medium 1",
		"file:pyproject.toml#project.authors[].name name":                    "medium 1",
	}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("findings (-want +got):\n%s", d)
	}
}

// TestNameValuePairs: a list of {name, value} members (Kubernetes' and
// ECS's environment variables, a HAR's form parameters) gives each value
// under its name: a committed password counts as one; a value whose
// name says nothing, a reference and a name without a value do not.
func TestNameValuePairs(t *testing.T) {
	got := scanTexts(t, map[string]string{
		"deployment.yaml": "spec:\n  containers:\n    - name: api\n      env:\n        - name: DB_HOST\n          value: db.local\n" +
			"        - name: DB_PASSWORD\n          value: \"Pg-s3cr3t-99\"\n        - name: API_TOKEN_PASSWORD\n          valueFrom:\n            secretKeyRef: {name: api, key: pw}\n" +
			"        - name: SMTP_PASSWORD\n          value: ${SMTP_PASSWORD}\n",
		"task-def.json": `{"containerDefinitions": [{"name": "web", "environment": [{"name": "LOG_LEVEL", "value": "info"}, {"name": "ADMIN_PASSWORD", "value": "Adm1n!2024"}]}]}`,
		"login.har":     `{"log": {"entries": [{"request": {"postData": {"params": [{"name": "username", "value": "kari"}, {"name": "password", "value": "Hemmelig123"}]}}}]}}`,
		"web.config": `<?xml version="1.0"?>` + "\n<configuration>\n  <appSettings>\n    <add key=\"Theme\" value=\"dark\"/>\n" +
			"    <add key=\"Smtp:Password\" value=\"S3cret!mail\"/>\n  </appSettings>\n</configuration>\n",
		"beans.xml": "<?xml version=\"1.0\"?>\n<beans>\n  <bean id=\"ds\">\n    <property name=\"url\" value=\"jdbc:x\"/>\n" +
			"    <property name=\"password\" value=\"hunter2-db\"/>\n  </bean>\n</beans>\n",
	}, sources.Options{})
	want := map[string]string{
		"file:deployment.yaml#spec.containers[].env[].DB_PASSWORD credentials":               "high 1",
		"file:task-def.json#containerDefinitions[].environment[].ADMIN_PASSWORD credentials": "high 1",
		"file:login.har#log.entries[].request.postData.params[].password credentials":        "high 1",
		"file:web.config#configuration.appSettings.add.Smtp:Password credentials":            "high 1",
		"file:beans.xml#beans.bean.property.password credentials":                            "high 1",
	}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("findings (-want +got):\n%s", d)
	}
}

// TestNameValueDetected: a value a detector finds in a {name, value}
// setting is at the setting's name, as a column name's finding is (an
// e-mail address at …env[].ADMIN_EMAIL, not at …env[].value), in YAML,
// JSON, JSON lines and XML attributes; a value without a name before it
// in its item keeps its own key path.
func TestNameValueDetected(t *testing.T) {
	got := scanTexts(t, map[string]string{
		"deployment.yaml": "spec:\n  containers:\n    - name: api\n      env:\n        - name: ADMIN_EMAIL\n          value: kari.nordmann@firma.no\n" +
			"        - {name: OPS_PHONE, value: +47 912 34 567}\n        - value: ola.hansen@firma.no\n",
		"task-def.json": `{"containerDefinitions": [{"environment": [{"name": "ADMIN_EMAIL", "value": "kari.nordmann@firma.no"}, {"name": "x y", "value": "ola.hansen@firma.no"}]}]}`,
		"events.jsonl":  `{"env": [{"name": "ADMIN_EMAIL", "value": "kari.nordmann@firma.no"}]}` + "\n" + `{"env": [{"value": "ola.hansen@firma.no"}]}` + "\n",
		"web.config":    "<?xml version=\"1.0\"?>\n<configuration>\n  <appSettings>\n    <add key=\"SupportEmail\" value=\"kari.nordmann@firma.no\"/>\n  </appSettings>\n</configuration>\n",
	}, sources.Options{})
	for _, k := range []string{
		"file:deployment.yaml#spec.containers[].env[].ADMIN_EMAIL email",
		"file:deployment.yaml#spec.containers[].env[].OPS_PHONE phone",
		"file:deployment.yaml#spec.containers[].env[].value email",
		"file:task-def.json#containerDefinitions[].environment[].ADMIN_EMAIL email",
		"file:task-def.json#containerDefinitions[].environment[].value email",
		"file:events.jsonl#env[].ADMIN_EMAIL email",
		"file:events.jsonl#env[].value email",
		"file:web.config#configuration.appSettings.add.SupportEmail email",
	} {
		if _, ok := got[k]; !ok {
			t.Errorf("no finding %s in %v", k, got)
		}
	}
	if len(got) != 8 {
		t.Errorf("findings %v, want the 8 above", got)
	}
}

// TestShellHistory: a shell's history is commands someone ran: the
// passwords in them are high (mysql -p…, export DB_PASSWORD=…, a URL's),
// where the same lines in another file are no log records: one URL at
// medium.
func TestShellHistory(t *testing.T) {
	const text = "ls -la\nmysql -u root -pS3cr3t-Db shop\nexport DB_PASSWORD=Vinter-2026-x\n" +
		"psql postgres://app:Kaffe-2026@db.prod:5432/shop\n"
	checkSecretFindings(t, map[string]string{".bash_history": text, "notes.txt": text,
		".mysql_history": `CREATE\040USER\040'app'@'%'\040IDENTIFIED\040BY\040'Kaffe-Bryggeri-2026';` + "\n"},
		map[string]string{
			"file:.bash_history credentials":  "high 3",
			"file:.mysql_history credentials": "high 1",
			"file:notes.txt credentials":      "medium 1",
		}, "S3cr3t", "Vinter-2026", "Kaffe-2026", "Kaffe-Bryggeri")
}

// checkSecretFindings scans files (name → text) and checks their findings
// against want ("location category" → "confidence count"), and that the
// result with values shown, which it returns, holds none of secrets.
func checkSecretFindings(t *testing.T, files, want map[string]string, secrets ...string) string {
	t.Helper()
	if d := cmp.Diff(want, scanTexts(t, files, sources.Options{})); d != "" {
		t.Errorf("findings (-want +got):\n%s", d)
	}
	s := scanShown(t, files)
	for _, secret := range secrets {
		if strings.Contains(s, secret) {
			t.Errorf("the password %q is in the result: %s", secret, s)
		}
	}
	return s
}

// TestCredentialStores: .netrc, .pgpass and .git-credentials store a
// password per entry: each is high, and none is in the result.
func TestCredentialStores(t *testing.T) {
	checkSecretFindings(t, map[string]string{
		".netrc":           "machine api.firma.no\n  login kari\n  password Hemmelig-123x\n",
		".pgpass":          "db.prod:5432:shop:app:Kaffe-Bryggeri-2026\n",
		".git-credentials": "https://kari:ghp_Fj0rdHest2026xyz@github.com\n",
	}, map[string]string{
		"file:.netrc credentials":           "high 1",
		"file:.pgpass credentials":          "high 1",
		"file:.git-credentials credentials": "high 1",
	}, "Hemmelig-123x", "Kaffe-Bryggeri", "Fj0rdHest")
}

// TestDatabaseLogStatements: a database server's log (postgresql-….log)
// reports the password a logged statement sets; the same lines in another
// log do not.
func TestDatabaseLogStatements(t *testing.T) {
	const text = "2026-03-01 10:00:01.001 CET [4711] postgres@shop LOG:  statement: ALTER ROLE shop WITH PASSWORD 'Sommer-2027x';\n"
	checkSecretFindings(t, map[string]string{"postgresql-2026-03-01.log": text, "app.log": text},
		map[string]string{"file:postgresql-2026-03-01.log credentials": "high 1"}, "Sommer-2027x")
	for path, want := range map[string]bool{
		"/var/log/mysql/mysql.log": true, "mysql/general.log.1": true, "var/log/postgresql/postgresql-15-main.log": true,
		"general.log": true, "db1-query.log": false, "app.log": false, "mysql-notes.txt": false, "backup.zip!mysql.log": true,
	} {
		if databaseLog(path) != want {
			t.Errorf("databaseLog(%q) = %v", path, !want)
		}
	}
}

// scanTexts writes files (name → text) to a folder, scans it with every
// detector and returns its findings as "location category" → "confidence
// count".
func scanTexts(t *testing.T, files map[string]string, opt sources.Options) map[string]string {
	t.Helper()
	dir := t.TempDir()
	for name, text := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	got := map[string]string{}
	for _, f := range scanFiles(t, dir, Config{}, opt).Findings {
		got[f.Location.String()+" "+string(f.Category)] = fmt.Sprintf("%s %d", f.Confidence, f.Count)
	}
	return got
}

// TestDocPathsBounded: a document keyed by user names makes a location per
// user only up to maxDocPaths; the rest are reported at the document, so
// the report and the memory stay bounded, and no value is lost.
func TestDocPathsBounded(t *testing.T) {
	dir := t.TempDir()
	var b strings.Builder
	b.WriteString("{\"users\": {\n")
	const n = 3000
	for i := range n {
		if i > 0 {
			b.WriteString(",\n")
		}
		fmt.Fprintf(&b, "  \"user_%c%c%c\": {\"email\": \"kari.n%d@firma.no\"}", 'a'+i%26, 'a'+i/26%26, 'a'+i/676%26, i)
	}
	b.WriteString("\n}}\n")
	if err := os.WriteFile(filepath.Join(dir, "users.json"), []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	res := scanFiles(t, dir, Config{}, sources.Options{})
	var keyed, whole, values int64
	for _, f := range res.Findings {
		if f.Category != detectors.Email {
			continue
		}
		values += f.Count
		if f.Location.Field == "" {
			whole++
		} else {
			keyed++
		}
	}
	if keyed > maxDocPaths || whole != 1 || values != n {
		t.Errorf("%d keyed findings, %d at the document, %d values; want at most %d, 1, %d", keyed, whole, values, maxDocPaths, n)
	}
}

// TestVCardColumns: a file of vCards is a table of contacts: their names,
// street addresses and birthdays are reported by their columns, their
// telephone numbers and e-mail addresses by the detectors, with the
// column as context.
func TestVCardColumns(t *testing.T) {
	var b strings.Builder
	first := []string{"Kari", "Ola", "Ingrid", "Per", "Anne"}
	for i, name := range first {
		fmt.Fprintf(&b, "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:%s Nordmann\r\nN:Nordmann;%s;;;\r\nTEL;TYPE=cell:+47 415 55 %03d\r\n", name, name, 120+i)
		fmt.Fprintf(&b, "EMAIL:%s.nordmann@firma.no\r\nADR;TYPE=home:;;Storgata %d;Oslo;;0155;Norge\r\nBDAY:1985-03-%02d\r\nEND:VCARD\r\n", strings.ToLower(name), i+1, 10+i)
	}
	got := scanTexts(t, map[string]string{"kontakter.vcf": b.String()}, sources.Options{})
	want := map[string]string{
		"file:kontakter.vcf#FullName name":          "high 5",
		"file:kontakter.vcf#GivenName name":         "high 5",
		"file:kontakter.vcf#Surname name":           "high 5",
		"file:kontakter.vcf#StreetAddress address":  "high 5",
		"file:kontakter.vcf#PostalCode address":     "medium 5",
		"file:kontakter.vcf#Birthday date_of_birth": "high 5",
		"file:kontakter.vcf#Telephone phone":        "high 5",
		"file:kontakter.vcf#Email email":            "high 5",
	}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("findings (-want +got):\n%s", d)
	}
}

// TestJSONDocColumnsReadOnce: the key columns of a JSON document and of
// JSON lines are counted from the member values the key reader told while
// the detectors looked up key paths, and from its own reading of the rest;
// the counts, lines and examples are those of a worker whose detectors
// look nothing up (none: every line is read for the columns), and of one
// that keeps fewer values than the chunk has before the last lookup
// (maxVals), so that it reads the chunk again. The detectors' lookups of
// numbers make the key reader go back for the next detector's; in JSON
// lines, to lines it read before.
func TestJSONDocColumnsReadOnce(t *testing.T) {
	var doc, lines, xml strings.Builder
	doc.WriteString("{\"kunder\": [")
	xml.WriteString("<?xml version=\"1.0\"?>\n<kunder>\n")
	n := 4000
	for i := range n {
		if i > 0 {
			doc.WriteString(",")
		}
		// XML: a long note now and then, whose address is looked up in
		// the middle of a content longer than the key reader's
		// checkpoint spacing.
		switch {
		case i%50 == 7 || i == n-3:
			fmt.Fprintf(&xml, "  <kunde id=\"%d\">\n    <navn>Kari Nordmann</navn>\n    <epost>kari.n%d@firma.no</epost>\n    <fnr>15038712486</fnr><tlf>91234567</tlf>\n    <add key=\"SmtpPassword\" value=\"s3cret%d\"/>\n  </kunde>\n", i, i, i)
		case i%7 == 0:
			fmt.Fprintf(&xml, "  <kunde>\n    <navn>Ola Hansen</navn>\n    <passord>hunter%d</passord>\n  </kunde>\n", i)
		case i%500 == 300:
			fmt.Fprintf(&xml, "  <notat>%s kontakt per.hansen%d@firma.no %s</notat>\n", strings.Repeat("levert ", 900), i, strings.Repeat("pakke ", 500))
		default:
			xml.WriteString("  <n>k</n>\n")
		}
		var rec string
		switch {
		case i%50 == 7 || i == n-3:
			rec = fmt.Sprintf(`{"navn":"Kari Nordmann","epost":"kari.n%d@firma.no","fnr":15038712486,"tlf":91234567,"env":[{"name":"DB_PASSWORD","value":"s3cret%d"}]}`, i, i)
		case i%7 == 0:
			rec = fmt.Sprintf(`{"navn":"Ola Hansen","passord":"hunter%d"}`, i)
		default:
			rec = `{"n":"k"}`
		}
		doc.WriteString(rec)
		lines.WriteString(rec + "\n")
	}
	doc.WriteString("]}\n")
	xml.WriteString("</kunder>\n")
	for _, form := range []string{"document", "lines", "XML"} {
		asLines := form == "lines"
		data := []byte(doc.String())
		switch form {
		case "lines":
			data = []byte(lines.String())
		case "XML":
			data = []byte(xml.String())
		}
		columns := func(dets []detectors.Detector, maxVals int) []Finding {
			cfg := Config{Detectors: dets, Workers: 1}
			w := newWorker(&cfg)
			w.agg = newAggregate()
			w.maxVals = maxVals
			c := sources.Chunk{Loc: sources.Location{Path: "crm.json"}, Data: data, Line: 1, JSON: true}
			switch form {
			case "document":
				c.JSONDoc = &sources.JSONState{}
			case "XML":
				c.XMLDoc = &sources.XMLState{}
			}
			// Owned from a third on (lines: from the third line), as a
			// chunk after the first is: values before it are not counted.
			c.Skip = len(data) / 3
			if asLines {
				c.Skip = bytes.IndexByte(data, '\n') + 1
				c.Skip += bytes.IndexByte(data[c.Skip:], '\n') + 1
			}
			if err := w.Text(context.Background(), &c); err != nil {
				t.Fatal(err)
			}
			var fs []Finding
			for _, f := range w.agg.result(&cfg, false).Findings {
				if len(f.Detectors) == 1 && f.Detectors[0] == "column_name" {
					fs = append(fs, f)
				}
			}
			return fs
		}
		want := columns(nil, maxSpans)
		// navn is a name under kunder[] only: not at a line's top level.
		if n := map[string]int{"document": 3, "lines": 2, "XML": 3}[form]; len(want) != n {
			t.Fatalf("%s: %d key findings, want %d (kunder[].navn, passord, a password setting)", form, len(want), n)
		}
		// One detector leaves the key reader keeping the values of the
		// last line it looked a key path up on.
		phone, _ := detectors.Select(detectors.All(), []string{"phone"}, nil)
		for _, c := range []struct {
			dets    []detectors.Detector
			maxVals int
		}{{detectors.All(), maxSpans}, {detectors.All(), 100}, {phone, maxSpans}} {
			if d := cmp.Diff(want, columns(c.dets, c.maxVals)); d != "" {
				t.Errorf("%s, %d detectors, maxVals %d: key findings with the detectors' lookups (-none +with):\n%s", form, len(c.dets), c.maxVals, d)
			}
		}
	}
}

// TestURLCredentials: a password in a URL is a finding where services
// keep it (a log, an environment file, configuration) and Low in source
// code and documentation, where such URLs are examples and tests'; the
// report never holds the password, with --show-values either.
func TestURLCredentials(t *testing.T) {
	const pw = "Xk29vvQpLm"
	dsn := "postgres://app:" + pw + "@db.lillemini.no:5432/shop"
	texts := map[string]string{
		"app.log":     "2026-03-01T10:00:00 INFO connecting to " + dsn + "\n",
		".env":        "DATABASE_URL=" + dsn + "\n",
		"values.yaml": "database:\n  url: " + dsn + "\n",
		"db.go":       "// Open(\"" + dsn + "\")\n",
		"guide.md":    "Connect with `" + dsn + "`.\n",
	}
	out := checkSecretFindings(t, texts, map[string]string{
		"file:app.log credentials":                  "high 1",
		"file:.env#DATABASE_URL credentials":        "high 1",
		"file:values.yaml#database.url credentials": "high 1",
		"file:db.go credentials":                    "low 1",
		"file:guide.md credentials":                 "low 1",
	}, pw)
	if !strings.Contains(out, "postgres://app:***@db.lillemini.no:5432") {
		t.Errorf("the result with values shown does not hold the URL without its password: %s", out)
	}
}

// TestInlinePasswords: a password under its key in a log record is a
// finding; in a script it is none (code and manuals write such lines as
// examples); in structured text it is the key path's (column_name), not
// counted twice. The report never holds
// the password, with --show-values either.
func TestInlinePasswords(t *testing.T) {
	const pw = "Hemmelig-123x"
	texts := map[string]string{
		"app.log":     "2026-03-01T10:00:00 WARN login failed user=kari password=" + pw + " ip=10.0.0.5\n",
		"install.sh":  "mysql -u root --password=" + pw + " shop < schema.sql\n",
		"events.json": `{"ts":"2026-03-01T10:00:00","user":"kari","password":"` + pw + `"}` + "\n",
	}
	out := checkSecretFindings(t, texts, map[string]string{
		"file:app.log credentials":              "high 1",
		"file:events.json#password credentials": "high 1",
		"file:app.log ip_address":               "medium 1",
	}, pw)
	if !strings.Contains(out, "password=***") {
		t.Errorf("the result with values shown does not hold the password's key: %s", out)
	}
}

// scanShown writes files (name → text) to a folder, scans it with every
// detector, values shown (--show-values) and value fingerprints kept, and
// returns the whole result printed, for a search for what it must not
// hold.
func scanShown(t *testing.T, texts map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, text := range texts {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	res, err := Scan(context.Background(), Config{
		Targets: []string{dir}, Detectors: detectors.All(), ShowValues: true, ValueKey: []byte("a value key for this test, 32 b."),
		Open: func(ctx context.Context, t string) (sources.Source, error) {
			return files.New(t, sources.Options{}, slog.New(slog.DiscardHandler))
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	return fmt.Sprintf("%+v", res)
}

// TestColouredLog: a log written with a terminal's colours (Rails, Docker)
// gives the values in its coloured words, each written as it is: the
// fødselsnummer and the phone number after a colour's final letter, and
// the address without it (kari.nordmann@…, not 1mkari.nordmann@…).
func TestColouredLog(t *testing.T) {
	const log = "2026-03-01T10:00:03 \x1b[32mINFO\x1b[0m user \x1b[1mkari.nordmann@firma.no\x1b[0m fnr \x1b[33m15038712486\x1b[0m " +
		"tlf \x1b[36m+4791234567\x1b[0m\n"
	if d := cmp.Diff(map[string]string{
		"file:app.log national_id": "high 1",
		"file:app.log email":       "medium 1",
		"file:app.log phone":       "high 1",
	}, scanTexts(t, map[string]string{"app.log": log}, sources.Options{})); d != "" {
		t.Errorf("findings (-want +got):\n%s", d)
	}
	if s := scanShown(t, map[string]string{"app.log": log}); !strings.Contains(s, "[kari.nordmann@firma.no]") {
		t.Errorf("the address is not written as it is: %s", s)
	}
}
