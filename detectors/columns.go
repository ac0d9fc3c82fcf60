package detectors

import (
	"strings"
	"unicode"
)

// ColumnEvidence is what a column name, CSV header or JSON key says on its
// own: a `fornavn` column holds names even though no value detector can
// recognise a name.
type ColumnEvidence struct {
	Category   Category
	Confidence Confidence
}

// columnWords maps folded tokens (or whole folded names with separators
// removed) to the category they reveal, in Norwegian, Swedish and English.
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
	// date of birth
	"fodt": {DateOfBirth, High}, "fodselsdato": {DateOfBirth, High}, "fodselsdag": {DateOfBirth, High},
	"fodd": {DateOfBirth, High}, "fodelsedatum": {DateOfBirth, High}, "fodelsedag": {DateOfBirth, High},
	"birthdate": {DateOfBirth, High}, "dateofbirth": {DateOfBirth, High}, "dob": {DateOfBirth, High},
	"birthday": {DateOfBirth, High}, "bursdag": {DateOfBirth, Medium}, "birth": {DateOfBirth, Medium},
	"fodselsar": {DateOfBirth, Medium}, "birthyear": {DateOfBirth, Medium},
	// credentials
	"passord": {Credentials, High}, "password": {Credentials, High}, "passwd": {Credentials, High},
	"pwd": {Credentials, High}, "passwordhash": {Credentials, High}, "pwhash": {Credentials, High},
	"passordhash": {Credentials, High}, "losenord": {Credentials, High}, "passhash": {Credentials, High},
	"brukernavn": {Credentials, Medium}, "username": {Credentials, Medium}, "login": {Credentials, Medium},
	"anvandarnamn": {Credentials, Medium}, "userid": {Credentials, Low}, "pincode": {Credentials, High},
	"encryptedpassword": {Credentials, High}, "hashedpassword": {Credentials, High},
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
	if e, hit := columnWords[strings.NewReplacer("-", "", ".", "").Replace(strings.Join(toks, ""))]; hit {
		return e, true
	}
	for _, t := range toks {
		if columnNot[t] {
			return ev, false
		}
	}
	// Whole name with separators removed: first_name -> firstname.
	whole := strings.Join(toks, "")
	whole = strings.NewReplacer("-", "", ".", "").Replace(whole)
	if columnNot[whole] {
		return ev, false
	}
	if e, hit := columnWords[whole]; hit {
		return e, true
	}
	best := ColumnEvidence{}
	for _, t := range toks {
		t = strings.NewReplacer("-", "", ".", "").Replace(t)
		if e, hit := columnWords[t]; hit && e.Confidence > best.Confidence {
			best = e
		}
	}
	if best.Confidence == None {
		return best, false
	}
	return best, true
}

// NameShaped reports whether a column value is written as a person's name:
// one to five words of letters, each capitalised (KARI and Kari, not kari)
// or a short name particle (van, de, af), joined by single spaces, with
// hyphens, apostrophes and initials' dots inside words and an optional
// comma after one ("Nordmann, Kari"). Package names, product codes, file
// names and free text are not. It lets a column with a generic name word
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
	s := string(w)
	first := true
	prev := rune(0)
	seg := 0 // letters since the last separator
	for _, r := range s {
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
	if !capital && !nameParticles[s] {
		return false, false
	}
	return capital, true
}
