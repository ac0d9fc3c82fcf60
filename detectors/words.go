package detectors

// Context words per kind (Norwegian, Swedish, English), from
// identifiers.md §7.4. They are matched as whole folded tokens, so
// "fødselsnummer" and "fodselsnummer" are the same word.
// Words are data: detectors take the sets from here, `piimap detectors`
// prints them.

// NationalIDWords raise confidence for fødselsnummer and personnummer.
func NationalIDWords() *WordSet {
	return NewWordSet(
		// Norwegian
		"fødselsnummer", "fødselsnr", "f.nr", "fnr", "personnummer", "personnr", "pnr",
		"d-nummer", "dnummer", "dnr", "d-nr", "h-nummer", "hnummer", "hjelpenummer", "fh-nummer", "fhnummer",
		"personident", "personidentifikator", "ident", "folkeregisteridentifikator", "identitetsnummer",
		"nin", "ssn", "national identity number", "national id", "personal identification number",
		"id number", "id-nummer", "fodselsnummer", "foedselsnummer",
		// Swedish
		"pers.nr", "persnr", "p-nr", "samordningsnummer", "samordningsnr", "samnr", "födelsenummer",
		"identitetsbeteckning", "reservnummer", "interimsnummer", "personal identity number",
		// English (column names and JSON keys too: national_id, personal_number, person_id)
		"social security number", "birth number", "personal number", "personal id", "person id",
		"citizen id", "national identity", "identity number", "personal identity", "national identification number",
	)
}

// NationalIDAgainst are words for other identifiers that share the shape.
func NationalIDAgainst() *WordSet { return NewWordSet(againstWords...) }

var againstWords = []string{
	// Norwegian
	"kontonummer", "kontonr", "konto", "bankkonto", "kid", "ordre", "ordrenr", "ordrenummer",
	"faktura", "fakturanr", "fakturanummer", "kundenr", "kundenummer", "saksnr", "saksnummer",
	"referanse", "ref", "org.nr", "orgnr", "organisasjonsnummer", "mva", "isbn", "ean", "gtin",
	"imei", "iccid", "serienr", "serienummer", "sporingsnummer", "sendingsnr", "versjon", "build",
	"ts", "timestamp", "id", "uuid", "order", "order id", "orderid", "invoice", "account",
	"account number", "transaction", "txn", "trace", "span", "request id", "requestid",
	// Swedish
	"clearingnummer", "bankgiro", "plusgiro", "ocr", "ordernummer", "kundnummer",
	"ärendenummer", "referens", "artikelnummer", "organisationsnummer", "momsreg.nr",
}

// PhoneWords raise confidence for phone numbers.
func PhoneWords() *WordSet {
	return NewWordSet(
		"telefon", "tlf", "tel", "telefonnr", "telefonnummer", "mobil", "mob", "mobilnr", "mobilnummer",
		"ring", "sms", "faks", "fax", "msisdn", "kontakt", "tfn", "tel.nr", "telnr", "växel", "mobiltelefon",
		"puhelin", "puh", "puhelinnumero", "matkapuhelin", "gsm", // Finnish
		"phone", "telephone", "cell", "cellphone", "mobile", "call", "phone number", "phonenumber",
	)
}

// PhoneAgainst are words for numbers that look like phone numbers.
func PhoneAgainst() *WordSet { return NewWordSet(againstWords...) }

// EmailWords raise confidence for e-mail addresses.
func EmailWords() *WordSet {
	return NewWordSet("e-post", "epost", "e-postadresse", "epostadresse", "e-postadress", "epostadress",
		"mail", "e-mail", "email", "mejl", "mailto", "from", "to", "cc", "recipient", "sender",
		"sähköposti", "sahkoposti", "sposti", "s-posti") // Finnish
}

// CardWords raise confidence for payment card numbers.
func CardWords() *WordSet {
	return NewWordSet("kortnummer", "kortnr", "bankkort", "kredittkort", "betalingskort", "visa",
		"mastercard", "utløpsdato", "cvc", "cvv", "betalkort", "kreditkort", "kontokort", "giltig till",
		"card", "card number", "cardnumber", "pan", "credit card", "creditcard", "amex", "expiry",
		"cc number", "ccnumber", "ccnum", "card no")
}

// CardAgainst are words for numbers that pass Luhn but are not cards.
func CardAgainst() *WordSet {
	return NewWordSet("imei", "iccid", "kid", "ocr", "isbn", "ean", "gtin", "ordre", "ordrenr",
		"order", "faktura", "invoice", "referanse", "referens", "tracking", "sporingsnummer", "id", "uuid")
}

// IPWords raise confidence for IP addresses.
func IPWords() *WordSet {
	return NewWordSet("ip", "ip-adresse", "ip-adress", "ipadresse", "klient", "client", "remote_addr",
		"remote addr", "client_ip", "client ip", "x-forwarded-for", "forwarded", "src", "source", "from", "addr", "address", "peer", "host")
}

// IPAgainst are words for dotted numbers that are not addresses.
func IPAgainst() *WordSet {
	return NewWordSet("version", "versjon", "ver", "v", "build", "release", "oid", "snmp", "mib", "netmask", "mask", "server")
}
