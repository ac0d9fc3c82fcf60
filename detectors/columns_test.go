package detectors

import "testing"

func TestClassifyColumn(t *testing.T) {
	cases := []struct {
		col  string
		want Category // "" = no evidence
		min  Confidence
	}{
		{"fornavn", Name, High}, {"etternavn", Name, High}, {"first_name", Name, High},
		{"LastName", Name, High}, {"efternamn", Name, High}, {"Förnamn", Name, High},
		{"navn", Name, Medium}, {"customer_name", Name, Medium},
		{"adresse", Address, Medium}, {"gatuadress", Address, High}, {"postnr", Address, Medium},
		{"street_address", Address, High},
		// Danish and Finnish
		{"efternavn", Name, High}, {"Etunimi", Name, High}, {"sukunimi", Name, High}, {"nimi", Name, Medium},
		{"vejnavn", Address, High}, {"katuosoite", Address, High}, {"lähiosoite", Address, High},
		{"postinumero", Address, Medium}, {"syntymäaika", DateOfBirth, High}, {"syntymäpäivä", DateOfBirth, High},
		{"adgangskode", Credentials, High}, {"salasana", Credentials, High}, {"käyttäjätunnus", Credentials, Medium},
		{"brugernavn", Credentials, Medium},
		{"tuote_nimi", "", 0}, {"yritys_nimi", "", 0},
		{"fodt", DateOfBirth, High}, {"født", DateOfBirth, High}, {"fødselsdato", DateOfBirth, High},
		{"date_of_birth", DateOfBirth, High}, {"birthDate", DateOfBirth, High},
		{"passord", Credentials, High}, {"password_hash", Credentials, High}, {"brukernavn", Credentials, Medium},
		{"lösenord", Credentials, High}, {"db_password", Credentials, High}, {"smtpPassword", Credentials, High},
		{"kontonummer", BankAccount, High}, {"kontonr", BankAccount, High}, {"iban", BankAccount, High},
		{"bankkonto", BankAccount, High}, {"account_number", BankAccount, Medium}, {"bank_account", BankAccount, High},
		{"customer_iban", BankAccount, High}, {"clearingnummer", BankAccount, High}, {"tilinumero", BankAccount, High},
		{"KontoNr", BankAccount, High},
		// not personal, or judged by values
		{"product_name", "", None}, {"file_name", "", None}, {"hostname", "", None},
		{"password_hint", "", None}, {"reset_password", "", None}, {"password_min_length", "", None},
		{"e_postadresse", "", None}, {"email_address", "", None}, {"ip_address", "", None},
		{"company_name", "", None}, {"firmanavn", "", None}, {"created_at", "", None},
		{"order_id", "", None}, {"password_reset_expires", "", None}, {"beløp", "", None},
		{"bank_name", "", None}, {"bic", "", None}, {"swift_bic", "", None},
		{"distribution_name", "", None}, {"package_name", "", None}, {"db_name", "", None},
		{"region_name", "", None}, {"job_name", "", None}, {"font_name", "", None}, {"folder_name", "", None},
		{"owner_name", Name, Medium}, {"employee_name", Name, Medium},
		{"displayName", Name, Medium}, {"display_name", Name, Medium}, {"display_title", "", None},
		{"", "", None},
	}
	for _, c := range cases {
		ev, ok := ClassifyColumn(c.col)
		if c.want == "" {
			if ok {
				t.Errorf("ClassifyColumn(%q) = %v, want no evidence", c.col, ev)
			}
			continue
		}
		if !ok || ev.Category != c.want || ev.Confidence < c.min {
			t.Errorf("ClassifyColumn(%q) = %+v (ok=%v), want %s at least %s", c.col, ev, ok, c.want, c.min)
		}
	}
}

// BenchmarkClassifyColumn classifies typical column names. It allocates
// only for the tokens: no replacer is built per call (one was, three
// times, and its garbage made the scan of 200,000 columns spend most of
// its 12 s in the garbage collector).
func BenchmarkClassifyColumn(b *testing.B) {
	cols := []string{"fornavn", "customer_name", "distribution_name", "created_at", "tel.nr", "e-post", "KontoNr", "c1234_56"}
	b.ReportAllocs()
	for b.Loop() {
		for _, c := range cols {
			ClassifyColumn(c)
		}
	}
}

func TestClassifyKey(t *testing.T) {
	for _, c := range []struct {
		path, key string
		want      Category // "" for none
	}{
		{"kunder[].fornavn", "fornavn", Name},
		{"fornavn", "fornavn", Name},
		{"author.name", "name", Name},
		{"contributors[].name", "name", Name},
		{"kunder[].adresse", "adresse", Address},
		{"data.users[].profile.displayName", "displayName", Name},
		{"db.password", "password", Credentials},
		// A compound key names a password by its head word.
		{"services.db.environment.POSTGRES_PASSWORD", "POSTGRES_PASSWORD", Credentials},
		{"env[].DB_PASSWORD", "DB_PASSWORD", Credentials}, // db elsewhere makes a name a thing's
		{"server.admin_passwd", "admin_passwd", Credentials},
		{"mail.smtpPassword", "smtpPassword", Credentials},
		{"Policies.IAMUserChangePassword", "IAMUserChangePassword", ""}, // an AWS managed policy
		{"auth.password_min_length", "password_min_length", ""},
		{"ui.showPassword", "showPassword", ""},
		{"env.DB_PASSWORD_FILE", "DB_PASSWORD_FILE", ""},
		{"ansatte[].fodselsdato", "fodselsdato", DateOfBirth},
		// Generic words elsewhere name things.
		{"name", "name", ""},
		{"dependencies.foo.name", "name", ""},
		{"schemas.User.properties.name", "name", ""}, // an API's schema: "User" is a word of the schema's name, not a person key
		{"server.address", "address", ""},
		{"owner.name", "name", ""},
		{"kunder[].id", "id", ""},
		{"shapes.AliasList.member.locationName", "locationName", ""}, // botocore: a location's name
		{"users[].authorName", "authorName", Name},
		{"project.developers.developer.name", "name", Name}, // a Maven POM's developers
		// ISO 20022 payments: the debtor's and creditor's names and addresses.
		{"Document.CstmrCdtTrfInitn.PmtInf.CdtTrfTxInf.Cdtr.Nm", "Nm", Name},
		{"Document.CstmrCdtTrfInitn.PmtInf.Dbtr.PstlAdr.StrtNm", "StrtNm", Address},
		{"Document.CstmrCdtTrfInitn.PmtInf.Dbtr.PstlAdr.TwnNm", "TwnNm", Address},
		{"Document.CstmrCdtTrfInitn.GrpHdr.InitgPty.Nm", "Nm", ""},
		{"spectrum.wavelength_nm", "wavelength_nm", ""},
		{"users[].wavelength_nm", "wavelength_nm", ""},
		{"contact_links[].name", "name", ""}, // a GitHub issue template's links
		{"customer_contacts[].name", "name", Name},
		{"billing_address.street", "street", Address},
		// SAF-T: a customer's contact and billing address.
		{"AuditFile.MasterFiles.Customers.Customer.Contact.ContactPerson.FirstName", "FirstName", Name},
		{"AuditFile.MasterFiles.Customers.Customer.BillingAddress.StreetName", "StreetName", Address},
	} {
		ev, ok := ClassifyKey(c.path, c.key)
		got := Category("")
		if ok {
			got = ev.Category
		}
		if got != c.want {
			t.Errorf("ClassifyKey(%q, %q) = %q, want %q", c.path, c.key, got, c.want)
		}
	}
}

func TestKeyValueFits(t *testing.T) {
	for _, c := range []struct {
		cat  Category
		v    string
		want bool
	}{
		{Name, "Kari Nordmann", true}, {Name, "lodash", false}, {Name, "projects/{project}", false},
		{Address, "Storgata 1, 0155 Oslo", true}, {Address, "0155", true}, {Address, "0.0.0.0:8080", false},
		{Address, "kari@firma.no", false}, {Address, "https://example.com", false},
		{DateOfBirth, "1985-03-15", true}, {DateOfBirth, "15.03.1985", true}, {DateOfBirth, "yesterday", false},
		{Credentials, "hunter2!", true}, {Credentials, "${DB_PASSWORD}", false}, {Credentials, "changeme", false},
		{Credentials, "********", false}, {Credentials, "<password>", false}, {Credentials, "", false},
		{Credentials, "$DB_PASSWORD", false}, {Credentials, "%DB_PASS%", false}, {Credentials, "[REDACTED]", false},
		{Credentials, "arn:aws:iam::aws:policy/IAMUserChangePassword", false},
		{Credentials, "/run/secrets/db_password", false}, {Credentials, "vault://secret/db", false},
		{Credentials, "The password of the database user", false}, {Credentials, "/x!9Kd", true},
		{Credentials, "Smbpasswd12345", true}, {Credentials, "files systemd", false},
		{Credentials, "A challenge password", false}, {Credentials, "s3 cr3t", true},
		{BankAccount, "1234.56.78903", true}, {BankAccount, "n/a", false},
	} {
		if got := KeyValueFits(c.cat, c.v, false); got != c.want {
			t.Errorf("KeyValueFits(%s, %q) = %v, want %v", c.cat, c.v, got, c.want)
		}
	}
	// Under a generic key, one word is not a person's name.
	if KeyValueFits(Name, "ETag", true) || !KeyValueFits(Name, "Kari Nordmann", true) || !KeyValueFits(Name, "Kari", false) {
		t.Error("KeyValueFits: a generic key's names have two words")
	}
}
