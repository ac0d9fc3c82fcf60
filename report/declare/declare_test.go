package declare

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/goccy/go-yaml"
	"golang.org/x/text/encoding/charmap"
	xunicode "golang.org/x/text/encoding/unicode"

	"github.com/piimap/piimap/detectors"
)

const fixtures = "../../testdata/policies"

func readFixture(t testing.TB, name string) Source {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(fixtures, name))
	if err != nil {
		t.Fatal(err)
	}
	return Source{Name: name, Text: data}
}

func draftOne(t testing.TB, src Source) *Result {
	t.Helper()
	r, err := Draft([]Source{src})
	if err != nil {
		t.Fatalf("Draft(%s): %v", src.Name, err)
	}
	return r
}

func cats(cs ...detectors.Category) []detectors.Category {
	// in report order, like Result.Declared
	var out []detectors.Category
	for _, c := range detectors.Categories {
		if slices.Contains(cs, c) {
			out = append(out, c)
		}
	}
	return out
}

const (
	nid   = detectors.NationalID
	email = detectors.Email
	phone = detectors.Phone
	ip    = detectors.IPAddress
	card  = detectors.PaymentCard
	bank  = detectors.BankAccount
	name  = detectors.Name
	addr  = detectors.Address
	dob   = detectors.DateOfBirth
	cred  = detectors.Credentials
)

// wantEvidence checks the first declaring sentence of a category.
type wantEvidence struct {
	cat     detectors.Category
	line    int
	quote   string // substring of the quote
	context string // substring of the context ("" = must be empty)
}

// wantMention checks that a category is named in a sentence read as reason.
type wantMention struct {
	cat    detectors.Category
	reason Reason
	line   int
}

func checkResult(t *testing.T, r *Result, declared, notMentioned []detectors.Category, ev []wantEvidence, mentions []wantMention) {
	t.Helper()
	if got := r.Declared(); !slices.Equal(got, declared) {
		t.Errorf("declared = %v, want %v", got, declared)
	}
	if got := r.NotMentioned(); !slices.Equal(got, notMentioned) {
		t.Errorf("not mentioned = %v, want %v", got, notMentioned)
	}
	for _, c := range r.Categories {
		if c.Declared != (len(c.Evidence) > 0) {
			t.Errorf("%s: Declared=%v with %d evidence", c.Category, c.Declared, len(c.Evidence))
		}
		for _, e := range c.Evidence {
			if e.Reason != Declares {
				t.Errorf("%s: evidence with reason %s", c.Category, e.Reason)
			}
		}
		for _, e := range c.Mentions {
			if e.Reason == Declares {
				t.Errorf("%s: mention with reason declares", c.Category)
			}
		}
	}
	for _, w := range ev {
		c := r.Category(w.cat)
		if c == nil || len(c.Evidence) == 0 {
			t.Errorf("%s: no evidence", w.cat)
			continue
		}
		e := c.Evidence[0]
		if e.Line != w.line || !strings.Contains(e.Quote, w.quote) {
			t.Errorf("%s: evidence %s, want line %d quoting %q", w.cat, e, w.line, w.quote)
		}
		if (w.context == "") != (e.Context == "") || !strings.Contains(e.Context, w.context) {
			t.Errorf("%s: context %q, want %q", w.cat, e.Context, w.context)
		}
		if !strings.Contains(strings.ToLower(e.Quote), strings.ToLower(e.Term)) {
			t.Errorf("%s: term %q not in quote %q", w.cat, e.Term, e.Quote)
		}
	}
	for _, w := range mentions {
		c := r.Category(w.cat)
		found := false
		for _, e := range c.Mentions {
			if e.Reason == w.reason && e.Line == w.line {
				found = true
			}
		}
		if !found {
			t.Errorf("%s: no %s mention on line %d; mentions: %v", w.cat, w.reason, w.line, c.Mentions)
		}
	}
}

func TestDraftBokmål(t *testing.T) {
	r := draftOne(t, readFixture(t, "nb_fjordbakst.txt"))
	checkResult(t, r,
		cats(name, addr, email, phone, ip, cred),
		nil,
		[]wantEvidence{
			{name, 13, "navn og leveringsadresse", "registrerer vi følgende opplysninger:"},
			{addr, 13, "navn og leveringsadresse", "registrerer vi følgende opplysninger:"},
			{email, 14, "e-postadressen din", "registrerer vi følgende opplysninger:"},
			{phone, 15, "mobilnummer, slik at sjåføren", "registrerer vi følgende opplysninger:"},
			{ip, 17, "lagrer vi IP-adressen din i serverloggen i 30 dager, f.eks. for å kunne oppdage innbruddsforsøk.", ""},
			{cred, 19, "Har du en kundekonto, lagrer vi brukernavnet ditt og en hash av passordet.", ""},
		},
		[]wantMention{
			{nid, Definition, 7},
			{nid, Negated, 21},
			{dob, Definition, 7},
			{card, Negated, 21},
			{bank, Negated, 22},
			{email, Mention, 26},
		})
}

func TestDraftSwedish(t *testing.T) {
	r := draftOne(t, readFixture(t, "sv_integritet.txt"))
	checkResult(t, r,
		cats(name, addr, phone, email, ip),
		cats(dob, cred),
		[]wantEvidence{
			{name, 11, "samlar vi in ditt namn, din adress och ditt telefonnummer.", ""},
			{addr, 11, "din adress", ""},
			{phone, 11, "ditt telefonnummer", ""},
			{email, 12, "Vi sparar även din e-postadress för att kunna skicka biljetten, t.ex. om resan ställs in.", ""},
			{ip, 13, "Vid inloggning registreras IP-adressen", ""},
		},
		[]wantMention{
			{nid, Definition, 7},
			{nid, Negated, 15},
			{bank, Definition, 7},
			{card, Negated, 15},
			{phone, Mention, 19},
		})
}

func TestDraftNynorsk(t *testing.T) {
	r := draftOne(t, readFixture(t, "nn_snippet.txt"))
	checkResult(t, r,
		cats(name, email, phone, ip),
		cats(addr, dob, cred),
		[]wantEvidence{
			{name, 9, "Me lagrar namnet ditt", ""},
			{email, 9, "e-postadressa di", ""},
			{phone, 9, "telefonnummeret ditt", ""},
			{ip, 10, "registrerer vi IP-adressa di", ""},
		},
		[]wantMention{
			{nid, Definition, 5},
			{nid, Negated, 12},
			{card, Negated, 12},
			{bank, Negated, 12},
		})
}

func TestDraftEnglish(t *testing.T) {
	r := draftOne(t, readFixture(t, "en_policy.txt"))
	checkResult(t, r,
		cats(name, addr, phone, email, cred),
		cats(ip),
		[]wantEvidence{
			{name, 11, "we collect your name, your delivery address and your phone number.", ""},
			{email, 12, "We store your email address so that we can send the receipt, e.g. when the order ships.", ""},
			{cred, 13, "Passwords are stored as salted hashes only.", ""},
		},
		[]wantMention{
			{nid, Definition, 7},
			{nid, Negated, 16},
			{dob, Definition, 7},
			{card, Negated, 15},
			{bank, Negated, 16},
			{phone, Mention, 20},
		})
}

func TestDraftHTML(t *testing.T) {
	r := draftOne(t, readFixture(t, "nb_kafe.html"))
	// The navigation and the script name email; both are skipped.
	checkResult(t, r,
		cats(name, phone),
		cats(ip, bank, addr, dob, cred),
		[]wantEvidence{
			{name, 17, "navn", "Vi behandler følgende opplysninger når du bestiller bord:"},
			{phone, 18, "mobilnummer", "Vi behandler følgende opplysninger når du bestiller bord:"},
		},
		[]wantMention{
			{nid, Definition, 13},
			{card, Negated, 20},
			{email, Mention, 22},
		})
	if q := r.Category(card).Mentions[0].Quote; q != "Vi lagrer ikke kortnummer – betaling skjer i kassen." {
		t.Errorf("entities not decoded: %q", q)
	}
}

// A text made only of definitions and negations declares nothing, in every language.
func TestDefinitionsAndNegationsDeclareNothing(t *testing.T) {
	texts := map[string]string{
		"nb": `Personopplysninger er alle opplysninger som kan knyttes til en person, for eksempel navn og personnummer.
En personopplysning er en opplysning eller vurdering som kan knyttes til deg, slik som e-postadresse, telefonnummer og IP-adresse.
Det kan være opplysninger som direkte knyttes til deg som person, slik som navn og fødselsdato.
Vi behandler ingen sensitive personopplysninger.
Vi lagrer ikke kortnummer.
Vi lagrer aldri fødselsnummer, kontonummer eller passord.
Adresse og brukernavn registreres ikke.`,
		"nn": `Personopplysningar er alle opplysningar som kan knytast til ein person, til dømes namn og fødselsnummer.
Me lagrar ikkje e-postadressa di, og vi handsamar korkje kortnummer eller kontonummer.`,
		"sv": `Personuppgifter är all information som kan kopplas till en fysisk person, t.ex. namn, adress och personnummer.
Vi sparar inte ditt personnummer.
Vi lagrar aldrig kortnummer eller lösenord i klartext, och vi samlar inte in IP-adresser.`,
		"en": `Personal data means any information relating to an identified or identifiable person, such as your name, email address or date of birth.
We do not store card numbers.
We never collect your bank account details, your phone number or your IP address.`,
	}
	for lang, text := range texts {
		t.Run(lang, func(t *testing.T) {
			r := draftOne(t, Source{Name: lang + ".txt", Text: []byte(text)})
			if got := r.Declared(); len(got) != 0 {
				for _, c := range got {
					t.Errorf("%s declared by %s", c, r.Category(c).Evidence[0])
				}
			}
			// the sentences were read, not skipped: the categories are mentioned
			mentioned := 0
			for _, c := range r.Categories {
				for _, m := range c.Mentions {
					if m.Reason != Definition && m.Reason != Negated {
						t.Errorf("%s: %s, want definition or negated", c.Category, m)
					}
				}
				if len(c.Mentions) > 0 {
					mentioned++
				}
			}
			if mentioned < 4 {
				t.Errorf("only %d categories mentioned", mentioned)
			}
		})
	}
}

// Sentences and short texts: what they declare.
func TestSentences(t *testing.T) {
	tests := []struct {
		text string
		want []detectors.Category
	}{
		// negation scope
		{"Vi lagrer navn, men ikke personnummer.", cats(name)},
		{"Vi lagrer ikke kortnummer, men vi lagrer navn.", cats(name)},
		{"Vi lagrer ikke kortnummer, navn eller e-post.", nil},
		{"Vi lagrer ikke kortnummer, kun navn og e-postadresse.", cats(name, email)},
		{"Kortnummer lagres ikke hos oss.", nil},
		{"Personnummer er noe vi aldri lagrer.", nil},
		{"Kontonummeret ditt er ikke noe vi ber om.", nil},
		{"Dersom du ikke betaler, lagrer vi kontonummeret ditt.", cats(bank)},
		{"Vi behandler ikke bare navn, men også adresse.", cats(name, addr)},
		{"Ingen personnummer lagres.", nil},
		{"Vi sparar inte ditt personnummer.", nil},
		{"Vi sparar namn men inte personnummer.", cats(name)},
		{"Vi lagrar ikkje fødselsnummer.", nil},
		{"We do not store card numbers.", nil},
		{"We never collect or store your date of birth.", nil},
		{"We collect your name and email address, but not your phone number.", cats(name, email)},
		{"Vi lagrer verken kortnummer eller CVC.", nil},
		// declaring verbs and subjects
		{"We collect your name and email address.", cats(name, email)},
		{"Milas AS registrerer navn og adresse.", cats(name, addr)},
		{"Navn og e-postadresse lagres i kunderegisteret.", cats(name, email)},
		{"Your IP address is logged for 30 days.", cats(ip)},
		{"Personopplysninger som behandles om deg er navn og e-post.", cats(name, email)},
		{"Du kan lagre adressen din på Min side.", nil},
		{"If you register, you choose a username.", nil},
		{"Vi logger inn brukere med BankID, og telefonnummer brukes til varsling.", nil},
		{"We use your email address to send receipts.", nil},
		{"Vi tar imot fødselsdato og personnummer fra Folkeregisteret.", cats(nid, dob)},
		{"Me handsamar namn og bustadadresse.", cats(name, addr)},
		// definitions
		{"Personopplysninger er alle opplysninger som kan knyttes til en person, for eksempel navn og personnummer.", nil},
		{"Personal data is any information about you, such as your name.", nil},
		{"Personuppgifter är all information som kan kopplas till dig, t.ex. namn.", nil},
		{"”Personlig information” är information och uppgifter som kan knytas till en fysisk person, t.ex. namn, bostadsadress, e-postadress.", nil},
		// vocabulary traps in declaring sentences
		{"Vi lagrer e-postadressen og IP-adressen din.", cats(email, ip)},
		{"Vi lagrer firmanavn og organisasjonsnummer.", nil},
		{"Vi lagrer brukernavn og passord.", cats(cred)},
		{"Vi lagrer e-post adresse og leverings- og fakturaadresse.", cats(email, addr)},
		{"Vi lagrer betalingsinformasjon og kontaktinformasjon.", nil},
		{"Vi lagrer opptak av telefonsamtaler.", nil},
		{"We store the domain name and the company name.", nil},
		// headings and lists
		{"Hvilke opplysninger behandler vi?\n\nDette omfatter navn og e-post.", cats(name, email)},
		{"Hvorfor behandler vi opplysninger?\n\nDette omfatter navn og e-post.", nil},
		{"Opplysninger vi ikke samler inn\n\nFødselsnummer og kortnummer.", nil},
		{"Hva er personopplysninger?\n\nDet kan være navn, adresse og fødselsnummer.", nil},
		{"Vi samler inn følgende:\n- navn\n- e-post\n\nKontakt oss\n\nTelefon 22 22 22 22", cats(name, email)},
		{"Vi lagrer ikke følgende:\n• fødselsnummer\n• kortnummer", nil},
		{"Eksempler på personopplysninger er:\n• navn\n• fødselsnummer", nil},
		{"What we collect\n\n* Name\n* Email address\n\nHow we use it\n\nWe send a newsletter to your phone.", cats(name, email)},
		{"Dette lagrer vi:\n\na)\n\nnavn og adresse,\n\nb)\n\ntelefonnummer.", cats(name, addr, phone)},
		{"## Hvilke personopplysninger behandler vi?\nNavn og telefonnummer.\n## Dine rettigheter\nDu kan be om innsyn i e-postadressen vi har.", cats(name, phone)},
		// abbreviations and wrapping
		{"Vi lagrer f.eks. navn. Personnummer lagres ikke.", cats(name)},
		{"Vi lagrer navn og\nadresse, men ikke\npersonnummer.", cats(name, addr)},
		{"Vi sparar bl.a. namn. Vi sparar inte personnummer.", cats(name)},
	}
	for _, tt := range tests {
		r := draftOne(t, Source{Name: "t.txt", Text: []byte(tt.text)})
		if got := r.Declared(); !slices.Equal(got, tt.want) {
			var why []string
			for _, c := range got {
				why = append(why, r.Category(c).Evidence[0].String())
			}
			t.Errorf("%q: declared %v, want %v %v", tt.text, got, tt.want, why)
		}
	}
}

// yamlDeclaration mirrors the declaration format; unknown keys are errors.
type yamlDeclaration struct {
	Organisation string `yaml:"organisation"`
	Declared     map[string]struct {
		Where []string `yaml:"where"`
		Note  string   `yaml:"note"`
	} `yaml:"declared"`
}

func checkYAML(t *testing.T, r *Result) {
	t.Helper()
	out := r.YAML()
	var d yamlDeclaration
	if err := yaml.UnmarshalWithOptions(out, &d, yaml.DisallowUnknownField()); err != nil {
		t.Fatalf("YAML does not parse: %v\n%s", err, out)
	}
	var keys []string
	for k := range d.Declared {
		keys = append(keys, k)
	}
	var want []string
	for _, c := range r.Declared() {
		want = append(want, string(c))
	}
	slices.Sort(keys)
	slices.Sort(want)
	if !slices.Equal(keys, want) {
		t.Errorf("YAML declares %v, want %v", keys, want)
	}
	for _, c := range r.Declared() {
		if got, want := d.Declared[string(c)].Note, r.Category(c).Evidence[0].String(); got != want {
			t.Errorf("%s: note %q, want %q", c, got, want)
		}
	}
	if d.Organisation != r.Organisation {
		t.Errorf("organisation = %q, want %q", d.Organisation, r.Organisation)
	}
}

func TestYAML(t *testing.T) {
	r := draftOne(t, readFixture(t, "nb_fjordbakst.txt"))
	checkYAML(t, r)
	out := string(r.YAML())
	for _, want := range []string{
		"# Draft declaration made by `piimap declare` from: nb_fjordbakst.txt\n",
		"# Review every entry: the quoted sentence is why it was drafted.\n",
		"organisation: \"Fjordbakst AS\"   # named once in the policy: check\n",
		"declared:\n  email:\n    note: \"nb_fjordbakst.txt:14: «e-postadressen din» (under «Når du bestiller kake hos oss, registrerer vi følgende opplysninger:»)\"\n",
		"#   payment_card: negated: nb_fjordbakst.txt:21: «Vi behandler ikke fødselsnummer",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("YAML lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "# Not mentioned") {
		t.Errorf("every category is mentioned in the fixture:\n%s", out)
	}

	r = draftOne(t, readFixture(t, "sv_integritet.txt"))
	checkYAML(t, r)
	if !strings.Contains(string(r.YAML()), "# Not mentioned in the policy (the scanner can find these): date_of_birth, credentials\n") {
		t.Errorf("no not-mentioned line:\n%s", r.YAML())
	}
}

func TestYAMLEscaping(t *testing.T) {
	nasty := "Vi lagrer navn \"i anførsel\" \\ bak\x7f\u0085\u2028 og e-post\x01 # ikke kommentar: ja. Vi lagrer IP-adresse\ufeff\U0001F600."
	srcs := []Source{
		{Name: "we\"ird\\ name\n# injected: true\t.txt", Text: []byte(nasty)},
		{Name: "tom.txt"},
	}
	r, err := Draft(srcs)
	if err != nil {
		t.Fatal(err)
	}
	if got := r.Declared(); !slices.Equal(got, cats(name, email, ip)) {
		t.Fatalf("declared %v", got)
	}
	checkYAML(t, r)

	none := draftOne(t, Source{Name: "empty.txt"})
	checkYAML(t, none)
	if !strings.Contains(string(none.YAML()), "declared: {}") {
		t.Errorf("empty draft:\n%s", none.YAML())
	}
	if got := none.NotMentioned(); !slices.Equal(got, detectors.Categories) {
		t.Errorf("not mentioned %v", got)
	}
}

func TestLongSentenceQuote(t *testing.T) {
	long := "Vi lagrer " + strings.Repeat("opplysninger om bestillinger og leveranser, ", 20) + "telefonnummer og " + strings.Repeat("historikk, ", 30) + "til slutt."
	r := draftOne(t, Source{Name: "long.txt", Text: []byte(long)})
	e := r.Category(phone).Evidence[0]
	if n := len([]rune(e.Quote)); n > maxQuote+4 {
		t.Errorf("quote has %d characters", n)
	}
	if !strings.Contains(e.Quote, "telefonnummer") || !strings.HasPrefix(e.Quote, "… ") || !strings.HasSuffix(e.Quote, " …") {
		t.Errorf("quote %q", e.Quote)
	}
}

func TestEncodings(t *testing.T) {
	for _, fx := range []string{"nb_fjordbakst.txt", "sv_integritet.txt"} {
		src := readFixture(t, fx)
		want := draftOne(t, src)

		u16, err := xunicode.UTF16(xunicode.LittleEndian, xunicode.UseBOM).NewEncoder().Bytes(src.Text)
		if err != nil {
			t.Fatal(err)
		}
		latin, err := charmap.Windows1252.NewEncoder().Bytes(src.Text)
		if err != nil {
			t.Fatal(err)
		}
		crlf := bytes.ReplaceAll(src.Text, []byte("\n"), []byte("\r\n"))
		bom := append([]byte{0xEF, 0xBB, 0xBF}, src.Text...)
		for enc, data := range map[string][]byte{"utf-16": u16, "windows-1252": latin, "crlf": crlf, "bom": bom} {
			got := draftOne(t, Source{Name: fx, Text: data})
			for i, c := range got.Categories {
				w := want.Categories[i]
				if !slices.Equal(c.Evidence, w.Evidence) || !slices.Equal(c.Mentions, w.Mentions) {
					t.Errorf("%s in %s: %s differs:\n got %v\nwant %v", fx, enc, c.Category, c.Evidence, w.Evidence)
				}
			}
		}
	}
}

func TestLimits(t *testing.T) {
	huge := Source{Name: "huge.txt", Text: bytes.Repeat([]byte("Vi lagrer navn. "), MaxTextBytes/16+1)}
	binary := Source{Name: "policy.pdf", Text: []byte("%PDF-1.7\x00\x00binary")}
	good := readFixture(t, "sv_integritet.txt")
	r, err := Draft([]Source{huge, binary, good})
	if err == nil {
		t.Fatal("no error for a huge and a binary source")
	}
	for _, want := range []string{"huge.txt: policy text is", "10 MiB limit", "policy.pdf: not text"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q lacks %q", err, want)
		}
	}
	if len(r.Unread) != 2 || !slices.Equal(r.Sources, []string{"sv_integritet.txt"}) {
		t.Errorf("unread %v, sources %v", r.Unread, r.Sources)
	}
	if got := r.Declared(); !slices.Equal(got, cats(name, addr, phone, email, ip)) {
		t.Errorf("the readable source was not drafted: %v", got)
	}
	if !strings.Contains(string(r.YAML()), "# Could not read: policy.pdf: not text") {
		t.Errorf("YAML does not name the unread source:\n%s", r.YAML())
	}
	checkYAML(t, r)

	if _, err := Draft(nil); err == nil {
		t.Error("no error without sources")
	}
}

func TestDraftFiles(t *testing.T) {
	dir := t.TempDir()
	big := filepath.Join(dir, "big.txt")
	f, err := os.Create(big)
	if err != nil {
		t.Fatal(err)
	}
	if err := f.Truncate(MaxTextBytes + 1); err != nil {
		t.Fatal(err)
	}
	f.Close()

	r, err := DraftFiles(context.Background(), []string{
		filepath.Join(fixtures, "nn_snippet.txt"), big, filepath.Join(dir, "missing.txt"),
	})
	if err == nil || !strings.Contains(err.Error(), "big.txt: policy text is more than the 10 MiB limit") ||
		!errors.Is(err, os.ErrNotExist) {
		t.Errorf("error = %v", err)
	}
	if got := r.Declared(); !slices.Equal(got, cats(name, email, phone, ip)) {
		t.Errorf("declared %v", got)
	}

	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := DraftFiles(ctx, []string{filepath.Join(fixtures, "nn_snippet.txt")}); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled: %v", err)
	}
}

func TestLexicon(t *testing.T) {
	lx, err := loadLexicon()
	if err != nil {
		t.Fatal(err)
	}
	// every category can be declared in words
	for _, c := range detectors.Categories {
		n := 0
		for _, p := range lx.terms.phrases {
			if p.key == string(c) {
				n++
			}
		}
		if n < 3 {
			t.Errorf("%s has %d terms", c, n)
		}
	}
	bad := []string{
		"term\tnavn\tnb\tnavn",        // unknown category
		"term\tname\tnb",              // three columns
		"verb\tsometimes\tnb\tlagrer", // unknown verb kind
		"term\tname\tde\tname",        // unknown language
		"term\tname\tnb\tNavn",        // not lower case
		"thing\t-\tnb\tnavn",          // unknown kind
		"term\tname\tnb\tfull  name",  // double space
		"term\tname\tnb\t*",           // empty prefix
	}
	for _, b := range bad {
		if _, err := parseLexicon(b); err == nil {
			t.Errorf("parseLexicon(%q) accepted", b)
		}
	}
}

// TestDraftDanish: a Danish policy ("vi behandler … CPR-nummer,
// bankoplysninger") declares national_id and bank_account.
func TestDraftDanish(t *testing.T) {
	r := draftOne(t, readFixture(t, "da_cykelshop.txt"))
	checkResult(t, r,
		cats(nid, email, phone, bank, name, addr),
		cats(ip, dob, cred),
		[]wantEvidence{
			{nid, 7, "dit CPR-nummer", ""},
			{bank, 7, "dine bankoplysninger", ""},
			{name, 7, "dit navn", ""},
			{addr, 7, "din adresse", ""},
			{email, 8, "din e-mailadresse", ""},
			{phone, 8, "dit telefonnummer", ""},
		},
		[]wantMention{
			{card, Negated, 10},
		})
}

// TestOrganisation: the organisation proposed is the name written with a
// company form most often, a longer mention ending with it counting too
// (a heading "Kontakt Milas AS"); capitals and genitives are read; none
// gives "".
func TestOrganisation(t *testing.T) {
	for _, tc := range []struct {
		text, want string
		n          int
	}{
		{"Kontakt Milas AS\nMilas AS behandler navn. Ring Milas AS på telefon.", "Milas AS", 3},
		{"INFORMASJON OM EASY STEP AS\nVi i Easy Step AS lagrer e-post.\nEasy Step AS: post@easy-step.no", "Easy Step AS", 3},
		{"Omilon AB:s Personuppgiftspolicy\nOmilon AB är personuppgiftsansvarig.", "Omilon AB", 2},
		{"Cykelværkstedet ApS (CVR 12345678) behandler navn.", "Cykelværkstedet ApS", 1},
		{"We, Northwind Cycles Ltd, store your e-mail.", "Northwind Cycles Ltd", 1},
		{"Vi behandler navn og e-post. AS er en selskapsform.", "", 0},
		{"behandles av oss i henhold til loven as required", "", 0},
	} {
		r, err := Draft([]Source{{Name: "p.txt", Text: []byte(tc.text)}})
		if err != nil {
			t.Fatal(err)
		}
		if r.Organisation != tc.want || r.Mentions != tc.n {
			t.Errorf("%q: organisation %q (%d), want %q (%d)", tc.text, r.Organisation, r.Mentions, tc.want, tc.n)
		}
	}
}
