package detectors

// inlineName finds people's names written into a log record under a key
// that names them, as logfmt and key=value logs write them:
// first_name=Kari, etternavn="Nordmann", "fullName":"Kari Nordmann" in a
// line with its time. The key must name a person's name as a column name
// does (ClassifyColumn: fornavn, etternavn, first_name, surname,
// customer_name; not the generic name, nor username), the value must be
// written as a name (NameShaped: capitalised words). Structured text
// (JSON, XML, YAML, CSV fields, database values) reports its names under
// their key paths already (column_name), and is left alone; so are lines
// that are no record (code and manuals write such lines as examples).
//
// Match.Value is the name; High.
type inlineName struct{}

// NewInlineName returns the inline name detector (id "inline_name").
func NewInlineName() Detector { return inlineName{} }

func (inlineName) ID() string         { return "inline_name" }
func (inlineName) Category() Category { return Name }
func (inlineName) Description() string {
	return "People's names in a log record under a key that names them (first_name=Kari, etternavn=\"Nordmann\", " +
		"fullName: \"Kari Nordmann\"; keys as column names name a person's name, not name or username), the value " +
		"written as a name (capitalised words); High. Only log records: code and manuals write such lines as examples"
}

func (inlineName) ContextWords() []string {
	return []string{"first_name", "last_name", "fornavn", "etternavn", "fornamn", "efternamn", "etunimi", "sukunimi",
		"surname", "full_name", "customer_name"}
}

// Find reports the names in in.Buf: candidates are the '=' bytes and the
// colons the run scan marked whose key's last bytes can end a name's key
// (Input.keySeps, keyTail).
func (d inlineName) Find(in *Input, emit func(Match)) {
	if in.Key != "" || in.KeyAt != nil {
		return
	}
	next := 0 // the end of the last match
	for _, s := range in.keySeps() {
		if p := int(s.P); s.Kind == sepName && p >= next {
			if e := d.check(in, p, emit); e > 0 {
				next = e
			}
		}
	}
}

// inlineNameStems are the parts of the words that name a person's name in
// a key (ClassifyColumn's High name words: first_name, fornavn, sukunimi),
// before the name word itself, lower case: a key without one is no
// person's name's.
var inlineNameStems = [][]byte{[]byte("first"), []byte("last"), []byte("sur"), []byte("given"), []byte("family"),
	[]byte("full"), []byte("middle"), []byte("maiden"), []byte("contact"), []byte("customer"), []byte("for"),
	[]byte("etter"), []byte("mellom"), []byte("slekt"), []byte("efter"), []byte("mellan"), []byte("tilltal"),
	[]byte("mellem"), []byte("etu"), []byte("suku"), []byte("koko")}

// check reads the key before the separator b[p] and the value after it,
// and reports a name; it returns the value's end, or 0.
func (d inlineName) check(in *Input, p int, emit func(Match)) int {
	b := in.Buf
	ks, ke, ok := inlineKey(b, p)
	if !ok || !keyHasStem(b[ks:ke], inlineNameStems) {
		return 0 // (name, hostname, username: told without ClassifyColumn's allocations)
	}
	vs, ve, end, ok := inlineValue(b, p)
	if !ok || !NameShaped(b[vs:ve]) || !inlineShortLine(b, ks, end) || !in.InRecord(ks, end) {
		return 0
	}
	// (The key's words last: ClassifyColumn allocates.)
	if ev, ok := ClassifyColumn(string(b[ks:ke])); !ok || ev.Category != Name || ev.Confidence != High {
		return 0
	}
	conf := High
	if in.ExampleBefore(ks) {
		conf = Low
	}
	emit(Match{Detector: d.ID(), Category: Name, Start: vs, End: ve, Value: in.valueString(b[vs:ve]), Confidence: conf})
	return end
}

// Positives are inputs that must produce a name.
func (inlineName) Positives() []Example {
	return []Example{
		{Text: "2026-03-01T10:00:00Z level=INFO msg=signup first_name=Kari last_name=Nordmann", Want: "Kari", Note: "logfmt keys"},
		{Text: "10:00:01 kunde opprettet: etternavn=\"Nordmann\"", Want: "Nordmann", Note: "a Norwegian key, quoted"},
		{Text: `2026-03-01 10:00:02 {"fullName":"Kari Nordmann","plan":"pro"}`, Want: "Kari Nordmann", Note: "a JSON object in a log line, not read as a document"},
		{Text: "10:00:03 INFO customer_name='Ola Hansen' created", Want: "Ola Hansen", Note: "single quotes"},
		{Text: "Mar  1 10:00:04 app[12]: efternamn=Svensson", Want: "Svensson", Note: "Swedish, syslog"},
		{Text: "10:00:05 sukunimi=Virtanen", Want: "Virtanen", Note: "Finnish"},
	}
}

// Negatives are inputs that must not produce a name.
func (inlineName) Negatives() []Example {
	return []Example{
		{Text: "10:00:00 name=Coffee", Note: "the generic name: a thing's as often"},
		{Text: "10:00:00 username=Kari", Note: "a user name is a credential's, not a name"},
		{Text: "10:00:00 host_name=Web01", Note: "not a person's name's key"},
		{Text: "first_name=Kari", Note: "not a log record: code and manuals write such lines as examples"},
		{Text: "10:00:00 first_name=kari", Note: "not written as a name"},
		{Text: "10:00:00 first_name=${FIRST_NAME}", Note: "a template"},
		{Text: "10:00:00 last_name: string", Note: "a declaration"},
	}
}
