package declare

import (
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/piimap/piimap/detectors"
)

func lexiconT(t testing.TB) *lexicon {
	t.Helper()
	lx, err := loadLexicon()
	if err != nil {
		t.Fatal(err)
	}
	return lx
}

// termsIn lists the categories the vocabulary finds in a phrase.
func termsIn(lx *lexicon, text string) []detectors.Category {
	toks := tokenize(text, nil)
	var out []detectors.Category
	for i := 0; i < len(toks); i++ {
		idx, n := lx.terms.match(toks, i, langAll)
		if n == 0 {
			continue
		}
		if k := lx.terms.phrases[idx].key; k != "-" {
			out = append(out, detectors.Category(k))
		}
		i += n - 1
	}
	return out
}

func TestVocabulary(t *testing.T) {
	lx := lexiconT(t)
	tests := map[detectors.Category][]string{
		email: {"e-postadresse", "e-postadressen", "e-postadressa", "E-postadress", "epost", "e-post", "e-post adresse",
			"epostadresser", "email address", "e-mail", "emails", "mejladress"},
		ip: {"IP-adresse", "ip-adressen", "IP-adress", "IP-adressa", "IP address", "IP-adresser", "ip adresse", "IP addresses"},
		addr: {"adresse", "adressen", "adresser", "adressa", "adress", "postadresse", "leveringsadresse", "bostadsadress",
			"hjemmeadressen", "fakturaadresser", "address", "home address", "adresseinformasjon", "bustadadressa"},
		name: {"navn", "navnet", "navnene", "namn", "namnet", "fornavn", "etternavnet", "förnamn", "efternamn", "name", "full name", "surname"},
		phone: {"telefonnummer", "telefonnumret", "telefonnummeret", "telefonnumre", "mobilnummer", "mobilnumret", "telefon",
			"tlf", "phone number", "telephone", "mobile number"},
		nid: {"fødselsnummer", "fødselsnummeret", "fødselsnr", "personnummer", "personnumret", "personnr", "D-nummer",
			"samordningsnummer", "social security number", "national identity number", "fnr"},
		card: {"kortnummer", "kredittkortnummer", "kreditkortnummer", "kortnumret", "card number", "credit card", "credit cards",
			"betalingskort", "kortopplysninger"},
		bank: {"kontonummer", "bankkontonummer", "kontonumret", "IBAN", "bank account", "bankkonto", "clearingnummer"},
		dob:  {"fødselsdato", "fødselsdatoen", "födelsedatum", "date of birth", "birthday", "fødselsdag"},
		cred: {"brukernavn", "brukarnamn", "användarnamn", "passord", "passordet", "lösenord", "password", "username",
			"innloggingsinformasjon", "inloggningsuppgifter"},
	}
	for want, words := range tests {
		for _, w := range words {
			if got := termsIn(lx, w); !slices.Equal(got, []detectors.Category{want}) {
				t.Errorf("%q: %v, want [%s]", w, got, want)
			}
		}
	}
	// Words that must not name a category (or not the one their parts suggest).
	for _, w := range []string{
		"firmanavn", "domenenavn", "filnavn", "organisasjonsnummer", "organisationsnummer", "betalingsinformasjon",
		"kontaktinformasjon", "kontaktinfo", "telefonsamtaler", "innlogging", "innloggingshistorikk", "nettadresse",
		"mac-adresse", "company name", "domain name", "web address", "kundekonto", "ordrenummer", "mobil enhet",
		"adressere", "adressaten", "informasjon", "personopplysninger",
	} {
		if got := termsIn(lx, w); len(got) != 0 {
			t.Errorf("%q: %v, want nothing", w, got)
		}
	}
	// Longest match: one term, one category.
	multi := map[string][]detectors.Category{
		"brukernavn og passord":         {cred, cred},
		"e-post adresse og postadresse": {email, addr},
		"leverings- og fakturaadresse":  {addr},
		"navn, IP-adresse og adresse":   {name, ip, addr},
		"user name and password":        {cred, cred},
		"email address and address":     {email, addr},
	}
	for text, want := range multi {
		if got := termsIn(lx, text); !slices.Equal(got, want) {
			t.Errorf("%q: %v, want %v", text, got, want)
		}
	}
}

func TestSentenceSplit(t *testing.T) {
	lx := lexiconT(t)
	tests := map[string][]string{
		"Vi lagrer f.eks. navn og adresse. Personnummer lagres ikke.":    {"Vi lagrer f.eks. navn og adresse.", "Personnummer lagres ikke."},
		"Det gjelder bl.a. navn. Neste.":                                 {"Det gjelder bl.a. navn.", "Neste."},
		"Vi sparar t.ex. namn. Nästa mening.":                            {"Vi sparar t.ex. namn.", "Nästa mening."},
		"We store e.g. your name. Next one.":                             {"We store e.g. your name.", "Next one."},
		"We store e.g. IP addresses. Next one.":                          {"We store e.g. IP addresses.", "Next one."},
		"Fra 1. juli 2018 gjelder dette. Neste.":                         {"Fra 1. juli 2018 gjelder dette.", "Neste."},
		"Leverandører er f. eks innenfor drift. Neste.":                  {"Leverandører er f. eks innenfor drift.", "Neste."},
		"Kontakt post@firma.no. Neste setning.":                          {"Kontakt post@firma.no.", "Neste setning."},
		"Se https://lovdata.no/lov/2000-04-14-31 for mer. Neste.":        {"Se https://lovdata.no/lov/2000-04-14-31 for mer.", "Neste."},
		"Er det sant? Ja! Nei.":                                          {"Er det sant?", "Ja!", "Nei."},
		"Det gjelder regnskap o.l. Vi lagrer navn.":                      {"Det gjelder regnskap o.l.", "Vi lagrer navn."},
		"Logger (f.eks. IP-adresser eller logging). Neste.":              {"Logger (f.eks. IP-adresser eller logging).", "Neste."},
		"Sist oppdatert 1.1.2024. Vi lagrer navn.":                       {"Sist oppdatert 1.1.2024.", "Vi lagrer navn."},
		"(rettskrav, regnskapslov mv.). Vi lagrer navn.":                 {"(rettskrav, regnskapslov mv.).", "Vi lagrer navn."},
		"Nettlesere (Chrome, Safari, etc.) er satt opp slik. Neste.":     {"Nettlesere (Chrome, Safari, etc.) er satt opp slik.", "Neste."},
		"«Vi lagrer navn.» Neste.":                                       {"«Vi lagrer navn.»", "Neste."},
		"Uten punktum":                                                   {"Uten punktum"},
		"Dette gjelder jf. § 18. Vi lagrer navn.":                        {"Dette gjelder jf. § 18.", "Vi lagrer navn."},
		"Ring tlf. 22 33 44 55 eller send e-post.":                       {"Ring tlf. 22 33 44 55 eller send e-post."},
		"Vi lagrer data i ca. 3 år. Deretter slettes de.":                {"Vi lagrer data i ca. 3 år.", "Deretter slettes de."},
		"Dataene lagres hos Acme Inc. Vi lagrer også navn.":              {"Dataene lagres hos Acme Inc.", "Vi lagrer også navn."},
		"Vi lagrer navn… Og adresse.":                                    {"Vi lagrer navn…", "Og adresse."},
		"Vi lagrer navn og adresse i.e. kontaktinfo. Neste.":             {"Vi lagrer navn og adresse i.e. kontaktinfo.", "Neste."},
		"Personopplysninger (t.ex. namn) sparas. Vi sparar inte mer än.": {"Personopplysninger (t.ex. namn) sparas.", "Vi sparar inte mer än."},
	}
	for text, want := range tests {
		var got []string
		for _, sp := range lx.sentences(text) {
			got = append(got, text[sp.start:sp.end])
		}
		if !slices.Equal(got, want) {
			t.Errorf("%q:\n got %q\nwant %q", text, got, want)
		}
	}
	// A wall of text without punctuation is cut into bounded pieces.
	wall := strings.Repeat("navn og adresse ", 1000)
	for _, sp := range lx.sentences(wall) {
		if sp.end-sp.start > maxSentence+20 {
			t.Fatalf("sentence of %d bytes", sp.end-sp.start)
		}
	}
}

func TestHeadings(t *testing.T) {
	lx := lexiconT(t)
	tests := map[string]headingClass{
		"Hvilke personopplysninger behandler vi?":                                     headDeclaring,
		"HVILKE PERSONOPPLYSNINGER BEHANDLER VI?":                                     headDeclaring,
		"Personopplysninger som behandles":                                            headDeclaring,
		"Vilka personuppgifter behandlar vi?":                                         headDeclaring,
		"Vilka typer av personlig information som behandlas":                          headDeclaring,
		"Kva opplysningar handsamar vi?":                                              headDeclaring,
		"Hvilken informasjon samler vi inn?":                                          headDeclaring,
		"What we collect":                                                             headDeclaring,
		"Information we collect":                                                      headDeclaring,
		"Kategorier av personopplysninger":                                            headDeclaring,
		"Opplysninger du gir oss":                                                     headDeclaring,
		"Opplysninger vi ikke samler inn":                                             headNegating,
		"Hvorfor behandler vi personopplysninger?":                                    headReset,
		"Hvordan lagrer vi dine personopplysninger?":                                  headReset,
		"Hva gjør vi med informasjonen din?":                                          headReset,
		"Hva er vårt juridiske grunnlag for å behandle dine personlige opplysninger?": headReset,
		"Dine rettigheter":                                                            headReset,
		"Informasjonskapsler":                                                         headReset,
		"Cookies och spårningsbilder":                                                 headReset,
		"Informasjonsplikt når det samles inn opplysninger fra den registrerte":       headReset,
		"Sikker oppbevaring av personopplysninger":                                    headReset,
		"Anslutningar till andra webbsidor och tjänster":                              headReset,
		"How we use your data":                                                        headReset,
		"Identifikasjon":                                                              headNeutral,
		"Kontakt":                                                                     headNeutral,
		"Historikk":                                                                   headNeutral,
		"Navn og kontaktinformasjon":                                                  headNeutral,
		"Hva er personopplysninger?":                                                  headDefinition,
		"Vad är personuppgifter?":                                                     headDefinition,
		"What is personal data?":                                                      headDefinition,
	}
	for text, want := range tests {
		if got, _ := lx.classifyHeading(text, langScand, nil); got != want {
			t.Errorf("%q: class %d, want %d", text, got, want)
		}
	}
}

func TestBlocks(t *testing.T) {
	text := "Tittel\n\nFørste linje som brytes\nmidt i setningen. Og så videre.\n" +
		"Vi samler inn:\n  • navn\n  - e-post\n\na)\n\nadresse,\n  b) telefon\n" +
		"1. Første punkt\n2- HVILKE OPPLYSNINGER?\n§ 3 Paragraf\n" +
		"Som kunde har du rett til:\n      å få innsyn,\n      å kreve retting.\n## Overskrift\n\u00a0\u00a0\nSiste\u00ad linje\t med\u200b  rom."
	blocks := buildBlocks(plainLines(text))
	type want struct {
		text   string
		line   int
		marker markerKind
		blank  bool
	}
	wants := []want{
		{"Tittel", 1, markerNone, true},
		{"Første linje som brytes midt i setningen. Og så videre.", 3, markerNone, true},
		{"Vi samler inn:", 5, markerNone, false},
		{"navn", 6, markerBullet, false},
		{"e-post", 7, markerBullet, false},
		{"adresse,", 11, markerLetter, true},
		{"telefon", 12, markerLetter, false},
		{"Første punkt", 13, markerNumber, false},
		{"HVILKE OPPLYSNINGER?", 14, markerNumber, false},
		{"Paragraf", 15, markerNumber, false},
		{"Som kunde har du rett til:", 16, markerNone, false},
		{"å få innsyn,", 17, markerNone, false},
		{"å kreve retting.", 18, markerNone, false},
		{"Overskrift", 19, markerNone, false},
		{"Siste linje med rom.", 21, markerNone, true},
	}
	if len(blocks) != len(wants) {
		for _, b := range blocks {
			t.Logf("%q", b.text)
		}
		t.Fatalf("%d blocks, want %d", len(blocks), len(wants))
	}
	for i, w := range wants {
		b := blocks[i]
		if b.text != w.text || lineAt(b.marks, 0) != w.line || b.marker != w.marker || b.blankBefore != w.blank {
			t.Errorf("block %d: %q line %d marker %d blank %v, want %+v", i, b.text, lineAt(b.marks, 0), b.marker, b.blankBefore, w)
		}
	}
	if !blocks[13].forced {
		t.Error("Markdown heading not marked")
	}
	// the second source line of a joined paragraph keeps its number
	if got := lineAt(blocks[1].marks, strings.Index(blocks[1].text, "midt")); got != 4 {
		t.Errorf("joined line at %d, want 4", got)
	}
}

func TestHTMLLines(t *testing.T) {
	src := "<html><head><title>T</title><style>p{}</style></head>\n<body>\n<p>En\nto &amp; tre</p><ul><li>navn</li>\n<li>e-post</li></ul>" +
		"<pre>a\nb</pre><svg><g><text>skjult</text></g></svg><nav>meny</nav><h2>Over&shy;skrift</h2>slutt<br>linje</body></html>"
	var got []string
	for _, l := range htmlLines(src) {
		got = append(got, l.text+"@"+strconv.Itoa(lineAt(l.marks, 0)))
	}
	want := []string{"T@1", "@1", "En to & tre@3", "@3", "• navn@4", "• e-post@5", "a@5", "b@6", "@6", "Over\u00adskrift@6", "@6", "slutt@6", "linje@6"}
	if !slices.Equal(got, want) {
		t.Errorf("got  %q\nwant %q", got, want)
	}
}
