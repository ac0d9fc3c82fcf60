package detectors

import (
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"
)

// ColumnEvidence is what a column name, CSV header or JSON key says on its
// own: a `fornavn` column holds names even though no value detector can
// recognise a name.
type ColumnEvidence struct {
	Category   Category
	Confidence Confidence
}

// columnWords maps folded tokens (or whole folded names with separators
// removed) to the category they reveal, in Norwegian, Swedish, Danish,
// Finnish and English.
// High words are unambiguous; Medium words are generic ("name", "adresse").
var columnWords = map[string]ColumnEvidence{
	// name
	"fornavn": {Name, High}, "etternavn": {Name, High}, "mellomnavn": {Name, High},
	"slektsnavn": {Name, High}, "fulltnavn": {Name, High}, "kundenavn": {Name, Medium},
	"fornamn": {Name, High}, "efternamn": {Name, High}, "mellannamn": {Name, High},
	"tilltalsnamn": {Name, High}, "firstname": {Name, High}, "lastname": {Name, High},
	"surname": {Name, High}, "givenname": {Name, High}, "familyname": {Name, High},
	"fullname": {Name, High}, "middlename": {Name, High}, "maidenname": {Name, High},
	"navn": {Name, Medium}, "namn": {Name, Medium}, "name": {Name, Medium},
	"kontaktperson": {Name, Medium}, "contactname": {Name, High}, "customername": {Name, High},
	// A directory's (Active Directory, Entra ID, Google Workspace) display
	// name is a person's full name, judged by its values like "name".
	"displayname": {Name, Medium}, "visningsnavn": {Name, Medium},
	// Danish and Finnish
	"efternavn": {Name, High}, "mellemnavn": {Name, High}, "etunimi": {Name, High}, "etunimet": {Name, High},
	"sukunimi": {Name, High}, "kokonimi": {Name, High}, "nimi": {Name, Medium}, "kundnamn": {Name, Medium},
	// address
	"adresse": {Address, Medium}, "adress": {Address, Medium}, "address": {Address, Medium},
	"addr": {Address, Medium}, "gateadresse": {Address, High}, "postadresse": {Address, High},
	"hjemmeadresse": {Address, High}, "bostedsadresse": {Address, High}, "gatuadress": {Address, High},
	"postadress": {Address, High}, "hemadress": {Address, High}, "utdelningsadress": {Address, High},
	"streetaddress": {Address, High}, "street": {Address, Medium}, "gate": {Address, Medium},
	"gata": {Address, Medium}, "postnr": {Address, Medium}, "postnummer": {Address, Medium},
	"poststed": {Address, Medium}, "postort": {Address, Medium}, "zip": {Address, Medium},
	"zipcode": {Address, Medium}, "postcode": {Address, Medium}, "postalcode": {Address, Medium},
	"addressline1": {Address, High}, "addressline": {Address, High}, "address1": {Address, High},
	"streetname": {Address, High}, "gatenavn": {Address, High}, "gatunamn": {Address, High}, // SAF-T's StreetName
	"vejnavn": {Address, High}, "osoite": {Address, Medium}, "katuosoite": {Address, High}, "lahiosoite": {Address, High},
	"kotiosoite": {Address, High}, "postiosoite": {Address, High}, "postinumero": {Address, Medium},
	"postitoimipaikka": {Address, Medium},

	// date of birth
	"fodt": {DateOfBirth, High}, "fodselsdato": {DateOfBirth, High}, "fodselsdag": {DateOfBirth, High},
	"fodd": {DateOfBirth, High}, "fodelsedatum": {DateOfBirth, High}, "fodelsedag": {DateOfBirth, High},
	"birthdate": {DateOfBirth, High}, "dateofbirth": {DateOfBirth, High}, "dob": {DateOfBirth, High},
	"birthday": {DateOfBirth, High}, "foedselsdato": {DateOfBirth, High}, "foedt": {DateOfBirth, High}, "bursdag": {DateOfBirth, Medium}, "birth": {DateOfBirth, Medium},
	"fodselsar": {DateOfBirth, Medium}, "birthyear": {DateOfBirth, Medium},
	"syntymaaika": {DateOfBirth, High}, "syntymapaiva": {DateOfBirth, High}, "syntymavuosi": {DateOfBirth, Medium},
	// credentials
	"passord": {Credentials, High}, "password": {Credentials, High}, "passwd": {Credentials, High},
	"pwd": {Credentials, High}, "passwordhash": {Credentials, High}, "pwhash": {Credentials, High},
	"passordhash": {Credentials, High}, "losenord": {Credentials, High}, "passhash": {Credentials, High},
	"brukernavn": {Credentials, Medium}, "username": {Credentials, Medium}, "login": {Credentials, Medium},
	"anvandarnamn": {Credentials, Medium}, "userid": {Credentials, Low}, "pincode": {Credentials, High},
	"encryptedpassword": {Credentials, High}, "hashedpassword": {Credentials, High},
	"adgangskode": {Credentials, High}, "salasana": {Credentials, High}, "brugernavn": {Credentials, Medium},
	"kayttajatunnus": {Credentials, Medium}, "kayttajanimi": {Credentials, Medium},
	// bank account (Norwegian, Swedish, Danish, Finnish, Finland-Swedish, English)
	"kontonummer": {BankAccount, High}, "kontonr": {BankAccount, High}, "bankkonto": {BankAccount, High},
	"bankkontonummer": {BankAccount, High}, "bankkontonr": {BankAccount, High}, "iban": {BankAccount, High},
	"ibannr": {BankAccount, High}, "ibannumber": {BankAccount, High}, "clearingnummer": {BankAccount, High},
	"clearingnr": {BankAccount, High}, "bankaccount": {BankAccount, High}, "bankaccountnumber": {BankAccount, High},
	"accountnumber": {BankAccount, Medium}, "accountno": {BankAccount, Medium}, "acctno": {BankAccount, Medium},
	"tilinumero": {BankAccount, High}, "pankkitili": {BankAccount, High}, "lonekonto": {BankAccount, High},
	"utbetalingskonto": {BankAccount, High}, "nemkonto": {BankAccount, High}, "kontonumre": {BankAccount, High},
	"payoutaccount": {BankAccount, High}, "kontonummeriban": {BankAccount, High},
}

// columnNot are tokens that make a name generic or about something else:
// product_name, file_name, e-postadresse, ip_address, company_name.
var columnNot = map[string]bool{
	"product": true, "produkt": true, "file": true, "fil": true, "filename": true, "host": true, "hostname": true,
	"company": true, "firma": true, "firmanavn": true, "bedrift": true, "org": true, "organisation": true,
	"tuote": true, "yritys": true, "virksomhed": true, "tiedosto": true, // Finnish and Danish
	"organization": true, "table": true, "column": true, "schema": true, "domain": true, "server": true,
	"app": true, "application": true, "bucket": true, "key": true, "field": true, "class": true,
	"type": true, "tag": true, "event": true, "category": true, "kategori": true, "brand": true, "merke": true,
	"display": true, "screen": true, "project": true, "prosjekt": true, "service": true, "queue": true,
	"email": true, "epost": true, "e-post": true, "mail": true, "e-postadresse": true, "epostadresse": true,
	"e-postadress": true, "ip": true, "mac": true, "url": true, "web": true, "remote": true, "ipadresse": true,
	"ip-adresse": true, "ip-adress": true, "bic": true, "wallet": true, "billing": false,
	"item": true, "sku": true, "shop": true, "butikk": true, "store": true, "bank": true, "team": true,
	"group": true, "gruppe": true, "role": true, "rolle": true, "policy": true, "reset": true, "expires": true,
	"expiry": true, "changed": true, "updated": true, "created": true, "length": true, "strength": true,
	"min": true, "max": true, "count": true, "attempts": true, "algo": true, "algorithm": true, "salt": false,
	// Things software names: distribution_name, package_name, db_name,
	// region_name, job_name, font_name.
	"distribution": true, "distro": true, "package": true, "pkg": true, "module": true, "repo": true,
	"repository": true, "library": true, "lib": true, "api": true, "version": true, "release": true,
	"branch": true, "path": true, "dir": true, "directory": true, "folder": true, "mappe": true,
	"device": true, "node": true, "cluster": true, "region": true, "zone": true, "instance": true,
	"database": true, "db": true, "index": true, "model": true, "metric": true, "job": true, "task": true,
	"stage": true, "env": true, "environment": true, "namespace": true, "pod": true, "container": true,
	"image": true, "volume": true, "network": true, "interface": true, "feature": true, "flag": true,
	"setting": true, "config": true, "param": true, "parameter": true, "variable": true, "function": true,
	"method": true, "operation": true, "resource": true, "attribute": true, "font": true, "color": true,
	"colour": true, "theme": true, "locale": true, "plugin": true, "extension": true, "command": true,
	"script": true, "topic": true, "channel": true, "workflow": true, "pipeline": true, "vendor": true,
	"manufacturer": true, "provider": true, "driver": true, "browser": true, "platform": true, "format": true,
	"unit": true, "currency": true, "sheet": true, "template": true, "layout": true, "route": true,
	"endpoint": true, "permission": true, "scope": true, "license": true, "certificate": true, "cert": true,
}

// ClassifyColumn returns the evidence a column name gives on its own, or
// ok=false. Name-only categories are name, address, date_of_birth,
// credentials and bank_account (a Swedish, Danish or internal account
// number cannot always be validated, but a column named kontonummer or
// iban holds one); other categories are judged by their values. A whole
// name in the vocabulary (bank_account, account_number) wins over a
// generic part (bank).
func ClassifyColumn(column string) (ev ColumnEvidence, ok bool) {
	toks := Tokens(column)
	if len(toks) == 0 {
		return ev, false
	}
	// Whole name with separators removed: first_name -> firstname.
	whole := dropDotsHyphens(strings.Join(toks, ""))
	if e, hit := columnWords[whole]; hit {
		return e, true
	}
	// A password named by its head word: db_password, smtpPassword; words
	// that elsewhere make a name generic (db, server, app) qualify it.
	if e, ok := credentialHead(toks); ok {
		return e, true
	}
	for _, t := range toks {
		if columnNot[t] {
			return ev, false
		}
	}
	if columnNot[whole] {
		return ev, false
	}
	best := ColumnEvidence{}
	for _, t := range toks {
		t = dropDotsHyphens(t)
		if e, hit := columnWords[t]; hit && e.Confidence > best.Confidence {
			best = e
		}
	}
	if best.Confidence == None {
		return best, false
	}
	if best.Category == Credentials && slices.ContainsFunc(toks, func(t string) bool { return aboutPassword[t] }) {
		return ColumnEvidence{}, false // password_hint, password_changed_at: about a password
	}
	return best, true
}

// NameShaped reports whether a column value is written as a person's name:
// one to five words of letters, each capitalised (KARI and Kari, not kari)
// or a short name particle (van, de, af), joined by single spaces, with
// hyphens, apostrophes and initials' dots inside words and an optional
// comma after one ("Nordmann, Kari"). Package names, product codes, file
// names, free text and companies' names (Fjordbakst AS, Acme Ltd) are
// not. It lets a column with a generic name word
// (name, navn) be judged by its values: a package list's "name" column is
// not a column of people.
func NameShaped(v []byte) bool {
	if len(v) == 0 || len(v) > nameShapeMax {
		return false
	}
	words, capital := 0, false
	for i := 0; i < len(v); {
		// One word: v[i:j].
		j := i
		for j < len(v) && v[j] != ' ' {
			j++
		}
		w := v[i:j]
		if len(w) > 0 && w[len(w)-1] == ',' && words == 0 {
			w = w[:len(w)-1] // "Nordmann, Kari"
		}
		if len(w) == 0 {
			return false // two spaces, a leading or trailing space
		}
		c, ok := nameWord(w)
		if !ok {
			return false
		}
		if words > 0 && companyForms[string(w)] {
			return false // Fjordbakst AS, Acme Ltd: a company's name
		}
		capital = capital || c
		words++
		if words > 5 {
			return false
		}
		i = j
		if i < len(v) {
			i++ // the space
			if i == len(v) {
				return false
			}
		}
	}
	return capital
}

// companyForms are the legal forms a company's name ends or goes on
// with, as written (AS, not as): Norwegian, Swedish, Danish, Finnish,
// German, Dutch, French, Italian, English.
var companyForms = map[string]bool{
	"AS": true, "ASA": true, "ANS": true, "DA": true, "AB": true, "Abp": true, "HB": true, "KB": true,
	"ApS": true, "IVS": true, "Oy": true, "Oyj": true, "GmbH": true, "AG": true, "KG": true, "BV": true,
	"NV": true, "SA": true, "SAS": true, "SARL": true, "SpA": true, "Srl": true, "Ltd": true, "LLC": true,
	"LLP": true, "Inc": true, "PLC": true, "Plc": true, "Corp": true,
}

// nameShapeMax is the longest value NameShaped accepts.
const nameShapeMax = 80

// nameParticles are the lower-case words of names: van der Berg, de la
// Cruz, af Klint, von Trapp.
var nameParticles = map[string]bool{
	"van": true, "von": true, "der": true, "den": true, "de": true, "la": true, "le": true, "da": true,
	"di": true, "du": true, "af": true, "av": true, "zu": true, "bin": true, "ibn": true, "al": true,
}

// nameWord checks one word of a name: letters (any script), with '-',
// apostrophes and '.' inside, or '.' at the end of an initial. capital
// reports that it starts with an upper-case letter, or has one after an
// apostrophe (d’Arc); a lower-case word must be a particle.
func nameWord(w []byte) (capital, ok bool) {
	first := true
	prev := rune(0)
	seg := 0 // letters since the last separator
	for k := 0; k < len(w); {
		r, size := utf8.DecodeRune(w[k:])
		k += size
		switch {
		case unicode.IsLetter(r):
			if first || (prev == '\'' || prev == '’') && unicode.IsUpper(r) {
				capital = unicode.IsUpper(r) // Kari; d’Arc
			}
			seg++
		case r == '-' || r == '\'' || r == '’' || r == '.':
			if first || prev == '-' || prev == '\'' || prev == '’' || prev == '.' {
				return false, false
			}
			if r == '.' && seg > 2 {
				return false, false // J. and Jr. are initials; Microsoft.Extensions is not a name
			}
			seg = 0
		default:
			return false, false
		}
		first = false
		prev = r
	}
	if prev == '-' || prev == '\'' || prev == '’' {
		return false, false
	}
	if !capital && !nameParticles[string(w)] {
		return false, false
	}
	return capital, true
}

// thingTables are the (singular) words of table and file names whose rows
// are things, not people, in English, Norwegian and Swedish: a generic
// name column there (products.name, kategorier.navn) names the things.
var thingTables = map[string]bool{
	"product": true, "produkt": true, "item": true, "vare": true, "artikkel": true, "article": true, "artikel": true,
	"category": true, "kategori": true, "tag": true, "project": true, "prosjekt": true, "projekt": true,
	"team": true, "group": true, "gruppe": true, "grupp": true, "role": true, "rolle": true, "roll": true,
	"service": true, "tjeneste": true, "tjanst": true, "company": true, "firma": true, "bedrift": true,
	"foretak": true, "foretag": true, "organization": true, "organisation": true, "brand": true, "merke": true,
	"shop": true, "store": true, "butikk": true, "butik": true, "bank": true, "package": true, "pakke": true,
	"module": true, "modul": true, "region": true, "country": true, "land": true, "city": true, "location": true,
	"warehouse": true, "lager": true, "plan": true, "feature": true, "permission": true, "setting": true,
	"template": true, "mal": true, "menu": true, "page": true, "channel": true, "kanal": true, "queue": true,
	"topic": true, "event": true, "course": true, "kurs": true, "department": true, "avdeling": true,
	"avdelning": true, "tenant": true, "device": true, "enhet": true,
	"tuote": true, "tuotteet": true, "yritys": true, "yritykset": true, "virksomhed": true, "produkter": true,
	"varer": true, "tuoteryhma": true, "osasto": true, // Finnish, Danish, Norwegian plurals
}

// NamesThings reports whether a table or file name (public.products,
// exports/kategorier.csv) says that its rows are things rather than
// people, so that a column with a generic name word there names things.
func NamesThings(table string) bool {
	if i := strings.LastIndexAny(table, "/!"); i >= 0 {
		table = table[i+1:]
	}
	if i := strings.IndexByte(table, '.'); i >= 0 {
		// schema.table, or name.csv: the table, or the file's name.
		if j := strings.LastIndexByte(table, '.'); strings.Count(table, ".") == 1 && looksLikeExt(table[j+1:]) {
			table = table[:j]
		} else {
			table = table[j+1:]
		}
	}
	for _, t := range Tokens(strings.ReplaceAll(table, ".", "_")) {
		for _, s := range []string{t, strings.TrimSuffix(t, "s"), strings.TrimSuffix(t, "es"),
			strings.TrimSuffix(t, "ies") + "y", strings.TrimSuffix(t, "er"), strings.TrimSuffix(t, "ene"),
			strings.TrimSuffix(t, "ar"), strings.TrimSuffix(t, "or")} {
			if thingTables[s] {
				return true
			}
		}
	}
	return false
}

// looksLikeExt reports a file extension of a table-like file.
func looksLikeExt(ext string) bool {
	switch strings.ToLower(ext) {
	case "csv", "tsv", "json", "jsonl", "ndjson", "xlsx", "ods", "txt", "log", "gz", "zst", "xz", "bz2":
		return true
	}
	return false
}

// personKeys are keys of a JSON document whose objects are people (or
// their addresses): under them a generic word (name, adresse, username)
// names the person, as in author.name or kunder[].adresse. Folded, in
// English and the Nordic languages, singular and plural.
var personKeys = map[string]bool{
	"author": true, "authors": true, "contributor": true, "contributors": true, "maintainer": true,
	"maintainers": true, "user": true, "users": true, "customer": true, "customers": true, "kunde": true,
	"kunder": true, "kund": true, "kundene": true, "person": true, "persons": true, "people": true, "personer": true,
	"employee": true, "employees": true, "staff": true, "ansatt": true, "ansatte": true, "anstalld": true,
	"anstallda": true, "contact": true, "contacts": true, "kontakt": true, "kontakter": true, "member": true,
	"members": true, "medlem": true, "medlemmer": true, "medlemmar": true, "patient": true, "patients": true,
	"pasient": true, "pasienter": true, "patienter": true, "student": true, "students": true, "elev": true,
	"elever": true, "passenger": true, "passengers": true, "guest": true, "guests": true, "gjest": true,
	"gjester": true, "recipient": true, "recipients": true, "mottaker": true, "mottakere": true,
	"mottagare": true, "sender": true, "avsender": true, "avsandare": true, "requester": true,
	"applicant": true, "applicants": true, "soker": true, "sokere": true, "buyer": true, "kjoper": true,
	"seller": true, "selger": true, "holder": true, "cardholder": true, "billing": true, "shipping": true,
	"delivery": true, "levering": true, "profile": true, "profil": true, "bruker": true, "brukere": true,
	"bruger": true, "brugere": true, "anvandare": true, "asiakas": true, "asiakkaat": true, "henkilo": true,
	"kayttaja": true, "dbtr": true, "cdtr": true, "ultmtdbtr": true, "ultmtcdtr": true, "developer": true, "developers": true, "inntektsmottaker": true, "arbeidstaker": true, "arbeidstakere": true, "pupil": true, "pupils": true, "resident": true, "beboer": true, "beboere": true,
	"owner": false, "client": false, // owners and clients are as often organisations and programs
}

// ClassifyKey returns what the key path of a JSON value says about it, as
// ClassifyColumn does for a column, from its last key: a specific word
// (fornavn, password, birth_date) on its own, a generic one (name,
// adresse, username) only under a key whose objects are people
// (author.name, kunder[].adresse), since documents name all kinds of
// things (package.json's name, an API's address).
func ClassifyKey(path, key string) (ColumnEvidence, bool) {
	ev, ok := KeyNames(key)
	if !ok {
		return ev, false
	}
	if ev.Confidence == High {
		return ev, true
	}
	// The two keys above it: kunder[].navn, users[].profile.displayName;
	// not a schema's properties (schemas.User.properties.name).
	segs := strings.Split(path, ".")
	for k := len(segs) - 2; k >= 0 && k >= len(segs)-3; k-- {
		seg := strings.ReplaceAll(segs[k], "[]", "")
		if schemaKeys[seg] {
			return ev, false
		}
		// The segment's head word names what it holds: contact_persons,
		// not contact_links; billing_address, whose street is a person's.
		toks := Tokens(seg)
		if len(toks) > 0 && personKeys[toks[len(toks)-1]] {
			return ev, true
		}
		for _, t := range toks {
			if addressOf[t] {
				return ev, true
			}
		}
	}
	return ev, false
}

// KeyNames returns what a JSON key or XML element name says on its own,
// the part of ClassifyKey that does not depend on the path: the key as a
// whole must name the category (customer_name, displayName), or its other
// words must be of people (authorName); not locationName. A generic word
// (ok, Medium) still needs a key of people above it (ClassifyKey).
func KeyNames(key string) (ColumnEvidence, bool) {
	if ev, ok := keyWords[strings.ToLower(key)]; ok {
		return ev, true
	}
	ev, ok := ClassifyColumn(key)
	if !ok || ev.Confidence == Low {
		return ev, false
	}
	toks := Tokens(key)
	if _, ok := credentialHead(toks); ok {
		return ev, true
	}
	if _, whole := columnWords[dropDotsHyphens(strings.Join(toks, ""))]; !whole {
		for _, t := range toks {
			if e, hit := columnWords[t]; !(hit && e.Category == ev.Category) && !personKeys[t] {
				return ev, false
			}
		}
	}
	return ev, true
}

// credentialHead returns the evidence of a compound name (its tokens
// toks) that names a password by its head word: POSTGRES_PASSWORD,
// smtpPassword, admin-passwd; not IAMUserChangePassword (a policy),
// password_min_length or showPassword, whose other words say the value is
// about a password, not one.
func credentialHead(toks []string) (ColumnEvidence, bool) {
	if len(toks) < 2 {
		return ColumnEvidence{}, false
	}
	e, hit := columnWords[toks[len(toks)-1]]
	if !hit || e.Category != Credentials || e.Confidence != High {
		return ColumnEvidence{}, false
	}
	for _, t := range toks[:len(toks)-1] {
		if aboutPassword[t] {
			return ColumnEvidence{}, false
		}
	}
	return e, true
}

// aboutPassword are words of a key that make a password word in it name
// something about a password (a rule, a form, a flag, an event), not the
// password itself.
var aboutPassword = map[string]bool{
	"change": true, "changed": true, "reset": true, "forgot": true, "forgotten": true, "lost": true,
	"recover": true, "recovery": true, "hint": true, "prompt": true, "label": true, "placeholder": true,
	"input": true, "text": true, "title": true, "message": true, "msg": true, "error": true, "rule": true,
	"rules": true, "regex": true, "pattern": true, "validation": true, "validate": true, "require": true,
	"required": true, "requires": true, "enable": true, "enabled": true, "disable": true, "disabled": true,
	"show": true, "hide": true, "toggle": true, "visible": true, "allow": true, "allowed": true, "use": true,
	"has": true, "is": true, "no": true, "skip": true, "ask": true, "remember": true, "save": true,
	"store": true, "set": true, "get": true, "update": true, "last": true, "history": true, "path": true,
	"env": true, "var": true, "command": true, "cmd": true, "helper": true, "mode": true, "method": true,
	"form": true, "page": true, "button": true, "dialog": true, "view": true, "link": true,
	"min": true, "max": true, "length": true, "strength": true, "expiry": true, "expires": true,
	"expired": true, "expiration": true, "age": true, "policy": true, "complexity": true,
}

// keyWords are whole keys and element names of documents that name a
// category only there, not as words of column names: ISO 20022 payment
// messages (pain.001, camt.053) abbreviate, Nm, StrtNm, BldgNb, PstCd,
// TwnNm and AdrLine under Dbtr, Cdtr, UltmtDbtr and UltmtCdtr ("nm" in a
// column name is as often nanometres).
var keyWords = map[string]ColumnEvidence{
	"nm": {Name, Medium}, "strtnm": {Address, High}, "bldgnb": {Address, Medium}, "pstcd": {Address, Medium},
	"twnnm": {Address, Medium}, "adrline": {Address, High},
}

// addressOf are words that make an address key a person's wherever they
// stand in the key above it (billing_address.street).
var addressOf = map[string]bool{"billing": true, "shipping": true, "delivery": true, "levering": true}

// schemaKeys hold the descriptions of data, not data (JSON Schema,
// OpenAPI).
var schemaKeys = map[string]bool{"properties": true, "definitions": true, "schemas": true, "$defs": true}

// KeyValueFits reports whether v, a value under a key that ClassifyKey
// gives category cat (generic: a generic word, Medium), is written as such
// a value: a person's name (NameShaped; of two words at least under a
// generic key); an address of words or numbers, not an e-mail address,
// URL or host:port; a date of birth as a date; credentials that are not a
// placeholder (${DB_PASSWORD}, changeme, ****); an account number with
// eight digits or more.
func KeyValueFits(cat Category, v string, generic bool) bool {
	if v == "" || len(v) > 200 {
		return false
	}
	switch cat {
	case Name:
		// Under a generic key (name, navn) a name of one word is as
		// often a thing's (ETag, Oslo): a person's name has two.
		return NameShaped([]byte(v)) && (!generic || strings.IndexByte(v, ' ') > 0)
	case Address:
		return !strings.ContainsAny(v, "@:") && strings.IndexFunc(v, func(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }) >= 0
	case DateOfBirth:
		digits := 0
		for _, r := range v {
			switch {
			case r >= '0' && r <= '9':
				digits++
			case !strings.ContainsRune("-./ TZ:+", r):
				return false
			}
		}
		return digits >= 4 && len(v) <= 30
	case Credentials:
		l := strings.ToLower(v)
		if credentialPlaceholders[l] || strings.Trim(l, l[:1]) == "" {
			return false
		}
		for _, p := range []string{"$", "{{", "<", "%", "[", "arn:"} {
			if strings.HasPrefix(l, p) {
				return false // a variable, a template, a reference
			}
		}
		// A URL, a file's path, a sentence and words are not passwords: a
		// schema's description, a secret's mount, nsswitch.conf's
		// "passwd: files systemd", openssl.cnf's "challengePassword = A
		// challenge password".
		return !strings.Contains(l, "://") && !(l[0] == '/' && strings.Count(l, "/") > 1) && strings.Count(l, " ") < 3 && !letterWords(l)
	case BankAccount:
		digits := 0
		for i := 0; i < len(v); i++ {
			if v[i] >= '0' && v[i] <= '9' {
				digits++
			}
		}
		return digits >= 8
	}
	return true
}

// letterWords reports whether v is two words or more of letters only.
func letterWords(v string) bool {
	words := strings.Fields(v)
	if len(words) < 2 {
		return false
	}
	for _, w := range words {
		if strings.IndexFunc(w, func(r rune) bool { return !unicode.IsLetter(r) }) >= 0 {
			return false
		}
	}
	return true
}

// credentialPlaceholders are what configuration files and examples put
// where a password goes.
var credentialPlaceholders = map[string]bool{
	"password": true, "passord": true, "changeme": true, "change_me": true, "secret": true, "null": true,
	"none": true, "true": true, "false": true, "redacted": true, "hidden": true, "example": true,
	"your_password": true, "yourpassword": true, "mypassword": true, "test": true, "dummy": true,
}
